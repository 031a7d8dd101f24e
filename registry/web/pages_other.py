"""Alerts (acknowledge) and the audit log with the chain's verification status."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.response import Redirect
from sqlmodel import Session, col, select

from registry.alerts import service as alert_service
from registry.api.schemas import AlertOut
from registry.errors import RegistryError
from registry.models import AuditEvent
from registry.services import audit
from registry.web.common import base_context, require
from registry.web.context import BeforeQ, IdPath, ShortQ, WebDep
from registry.web.permissions import may
from registry.web.render import UI, render
from registry.web.views import iso

PAGE = 100
MAX_NOTE = 4000


def _summary(alert: AlertOut) -> str:
    payload = alert.payload or {}
    for key in ("message", "summary", "reason"):
        if isinstance(payload.get(key), str) and payload[key]:
            return str(payload[key])[:500]
    diff = payload.get("diff")
    if isinstance(diff, dict):
        parts = [f"{k}: {', '.join(map(str, diff[k]))}" for k in ("changed", "added", "removed") if diff.get(k)]
        if parts:
            return "tools " + "; ".join(parts)
    return ""


def _alerts(session: Session, show: str) -> list[dict[str, Any]]:
    acknowledged = None if show == "all" else False
    page = alert_service.list_alerts(
        session, kind=None, server=None, acknowledged=acknowledged, cursor=None, limit=PAGE
    )
    return [
        {
            "id": a.id,
            "kind": a.kind,
            "server": a.server,
            "severity": a.severity,
            "created_at": iso(a.created_at),
            "summary": _summary(a),
            "acknowledged_by": a.acknowledged_by,
            "acknowledged_at": iso(a.acknowledged_at),
        }
        for a in page.items
    ]


async def _alerts_page(
    request: Request[Any, Any, Any], web: WebDep, show: str, *, flashes: list[dict[str, str]], status: int = 200
) -> Response[str]:
    user = await web.require_user(request)
    require(user, "alerts", "read alerts")
    rows = await web.db(request, lambda s: _alerts(s, show))
    ctx = await base_context(request, web, user, "alerts", "Alerts")
    return render(
        "alerts.html",
        {**ctx, "alerts": rows, "show": show, "can_ack": may(user.role, "acknowledge"), "flashes": flashes},
        status_code=status,
    )


@get("/alerts", name="web-alerts")
async def alerts_page(request: Request[Any, Any, Any], web: WebDep, show: ShortQ = "open") -> Response[str]:
    return await _alerts_page(request, web, show, flashes=[])


@post("/alerts/{alert_id:int}/acknowledge", name="web-alert-ack")
async def acknowledge(request: Request[Any, Any, Any], web: WebDep, alert_id: IdPath) -> Response[Any]:
    user = await web.require_user(request)
    form = await request.form()
    web.check_csrf(request, form.get("csrf_token"))
    require(user, "acknowledge", "acknowledge alerts", back=f"{UI}/alerts")
    note = str(form.get("note") or "").strip()[:MAX_NOTE]
    try:
        await web.db(request, lambda s: alert_service.acknowledge(s, alert_id, note, user.principal))
    except RegistryError as exc:
        return await _alerts_page(
            request, web, "open", flashes=[{"kind": "error", "text": exc.detail}], status=exc.status
        )
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
async def audit_page(request: Request[Any, Any, Any], web: WebDep, before: BeforeQ = None) -> Response[str]:
    user = await web.require_user(request)
    require(user, "audit", "read the audit log")
    ctx = await base_context(request, web, user, "audit", "Audit log")
    data = await web.db(request, lambda s: _audit(s, before))
    events = data["events"]
    older = f"{UI}/audit?before={events[-1]['id']}" if len(events) == PAGE else ""
    return render("audit.html", {**ctx, **data, "older_url": older})


OTHER_HANDLERS = [alerts_page, acknowledge, audit_page]
