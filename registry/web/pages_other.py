"""Alerts (acknowledge) and the audit log with the chain's verification status."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.response import Redirect
from sqlmodel import Session, col, func, select

from registry.models import Alert, AuditEvent
from registry.services import audit
from registry.web.context import WebContext
from registry.web.permissions import may
from registry.web.render import UI, render
from registry.web.views import iso

PAGE = 100


def open_alert_count(session: Session) -> int:
    stmt = select(func.count()).select_from(Alert).where(col(Alert.acknowledged_at).is_(None))
    return int(session.exec(stmt).one())


def _summary(alert: Alert) -> str:
    payload = alert.payload or {}
    for key in ("message", "summary", "reason"):
        if isinstance(payload.get(key), str):
            return str(payload[key])[:500]
    diff = payload.get("diff")
    if isinstance(diff, dict) and diff.get("tools_reported", True):
        parts = [f"{k}: {', '.join(map(str, diff[k]))}" for k in ("changed", "added", "removed") if diff.get(k)]
        if parts:
            return "; ".join(parts)
    return ""


def _alerts(session: Session, show: str) -> list[dict[str, Any]]:
    stmt = select(Alert)
    if show != "all":
        stmt = stmt.where(col(Alert.acknowledged_at).is_(None))
    rows = session.exec(stmt.order_by(col(Alert.id).desc()).limit(PAGE)).all()
    return [
        {
            "id": a.id,
            "kind": a.kind,
            "server": a.server_name,
            "severity": a.severity,
            "created_at": iso(a.created_at),
            "summary": _summary(a),
            "acknowledged_by": a.acknowledged_by,
            "acknowledged_at": iso(a.acknowledged_at),
        }
        for a in rows
    ]


@get("/alerts", name="web-alerts")
async def alerts_page(request: Request[Any, Any, Any], web: WebContext, show: str = "open") -> Response[str]:
    from registry.web.pages_queue import base_context

    user = await web.require_user(request)
    rows = await web.db(request, lambda s: _alerts(s, show))
    ctx = await base_context(request, web, user, "alerts", "Alerts")
    return render("alerts.html", {**ctx, "alerts": rows, "show": show, "can_ack": may(user.role, "acknowledge")})


@post("/alerts/{alert_id:int}/acknowledge", name="web-alert-ack")
async def acknowledge(request: Request[Any, Any, Any], web: WebContext, alert_id: int) -> Response[Any]:
    from registry.web.pages_queue import base_context
    from registry.web.services import acknowledge_alert

    user = await web.require_user(request)
    form = await request.form()
    web.check_csrf(request, form.get("csrf_token"))
    if not may(user.role, "acknowledge"):
        ctx = await base_context(request, web, user, "alerts", "Not permitted")
        return render(
            "message.html",
            {
                **ctx,
                "message": f"Your role ({user.role}) may not acknowledge alerts.",
                "back": f"{UI}/alerts",
                "back_label": "Back to alerts",
            },
            status_code=403,
        )
    await web.db(request, lambda s: acknowledge_alert(s, alert_id, user.actor))
    return Redirect(f"{UI}/alerts", status_code=303)


def _audit(session: Session, before: int | None) -> dict[str, Any]:
    stmt = select(AuditEvent)
    if before is not None:
        stmt = stmt.where(col(AuditEvent.id) < before)
    rows = session.exec(stmt.order_by(col(AuditEvent.id).desc()).limit(PAGE)).all()
    return {
        "chain": audit.verify_chain(session),
        "events": [
            {
                "id": e.id,
                "at": e.at,
                "actor": e.actor,
                "action": e.action,
                "subject": e.subject,
                "reason": e.reason,
                "hash": e.hash,
            }
            for e in rows
        ],
    }


@get("/audit", name="web-audit")
async def audit_page(request: Request[Any, Any, Any], web: WebContext, before: int | None = None) -> Response[str]:
    from registry.web.pages_queue import base_context

    user = await web.require_user(request)
    ctx = await base_context(request, web, user, "audit", "Audit log")
    if not may(user.role, "audit"):
        return render(
            "message.html",
            {**ctx, "title": "Not permitted", "message": f"Your role ({user.role}) may not read the audit log."},
            status_code=403,
        )
    data = await web.db(request, lambda s: _audit(s, before))
    events = data["events"]
    older = f"{UI}/audit?before={events[-1]['id']}" if len(events) == PAGE else ""
    return render("audit.html", {**ctx, **data, "older_url": older})


OTHER_HANDLERS = [alerts_page, acknowledge, audit_page]
