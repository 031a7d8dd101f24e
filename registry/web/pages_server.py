"""A server's page: score and breakdown, findings in place, drift diff, history."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from sqlmodel import Session, col, select

from registry.auth import same_person
from registry.models import OPEN_REVIEW_STATES, AuditEvent, Observation, ReviewItem, Scan
from registry.services import reviews, servers
from registry.web.common import base_context, require
from registry.web.context import DoneQ, NamePath, WebDep, WebUser
from registry.web.diffview import surface_diffs, surface_of
from registry.web.permissions import may
from registry.web.render import render
from registry.web.views import (
    age,
    finding_groups,
    iso,
    report_findings,
    tool_rows,
    trust_view,
)
from scanner.contract.surface import Surface

HISTORY_LIMIT = 50


def _approved_surface(session: Session, server_id: int, review_id: int | None) -> Surface | None:
    approval = reviews.last_approval(session, server_id, before_review=review_id)
    if approval is None:
        return None
    item = session.get(ReviewItem, approval.review_id)
    scan = session.get(Scan, item.scan_id) if item and item.scan_id else None
    return surface_of(scan.report) if scan else None


def _current_surface(session: Session, item: ReviewItem, scan: Scan | None) -> Surface | None:
    if scan is not None and scan.report:
        return surface_of(scan.report)
    obs = session.get(Observation, item.observation_id) if item.observation_id else None
    return Surface(tools=list(obs.tools)) if obs and obs.tools is not None else None


def _scan_view(scan: Scan | None) -> dict[str, Any] | None:
    if scan is None:
        return None
    report = scan.report or {}
    source = report.get("source") or {}
    return {
        "status": scan.status,
        "error": scan.error,
        "manifest_sha256": scan.manifest_sha256,
        "worst": scan.worst_severity,
        "verdict": report.get("verdict"),
        "finished_at": iso(scan.finished_at),
        "source": source.get("target"),
    }


def _history(session: Session, server_id: int, name: str) -> dict[str, Any]:
    scans = session.exec(
        select(Scan).where(Scan.server_id == server_id).order_by(col(Scan.id).desc()).limit(HISTORY_LIMIT)
    ).all()
    events = session.exec(
        select(AuditEvent)
        .where(AuditEvent.subject == f"server:{name}")
        .order_by(col(AuditEvent.id).desc())
        .limit(HISTORY_LIMIT)
    ).all()
    return {
        "scans": [
            {
                "at": iso(s.finished_at or s.created_at),
                "trigger": s.trigger,
                "status": s.status,
                "score": s.score,
                "manifest": s.manifest_sha256,
            }
            for s in scans
        ],
        "events": [{"at": e.at, "actor": e.actor, "action": e.action, "reason": e.reason} for e in events],
    }


def server_page_data(session: Session, name: str) -> dict[str, Any]:
    server = servers.get_server(session, name)
    assert server.id is not None
    item = session.exec(
        select(ReviewItem)
        .where(ReviewItem.server_id == server.id, col(ReviewItem.state).in_(OPEN_REVIEW_STATES))
        .order_by(col(ReviewItem.id).desc())
    ).first()
    item_scan = session.get(Scan, item.scan_id) if item and item.scan_id else None
    latest = session.get(Scan, server.latest_scan_id) if server.latest_scan_id else None
    scan = item_scan if item_scan is not None else latest
    report = scan.report if scan else None
    diffs = []
    if item is not None and item.kind in {"drift", "surface"}:
        before = _approved_surface(session, server.id, item.id)
        after = _current_surface(session, item, item_scan)
        if before is not None and after is not None:
            if item_scan is None:  # a gateway's report lists the tools alone: compare those
                before = Surface(tools=before.tools)
            diffs = surface_diffs(before, after)
    review = (
        None
        if item is None
        else {
            "id": item.id,
            "state": item.state,
            "kind": item.kind,
            "submitted_by": item.submitted_by,
            "submitted_by_person": item.submitted_by_person or item.submitted_by,
            "created_at": iso(item.created_at),
            "age": age(item.created_at),
        }
    )
    return {
        "server": {
            "name": server.name,
            "state": server.state,
            "approved_manifest_sha256": server.approved_manifest_sha256,
        },
        "review": review,
        "scan": _scan_view(scan),
        "trust": trust_view((report or {}).get("trust")),
        "finding_groups": finding_groups(report),
        "finding_count": len(report_findings(report)),
        "tools": tool_rows(report),
        "diffs": diffs,
        "history": _history(session, server.id, server.name),
    }


async def render_server(
    request: Request[Any, Any, Any],
    web: WebDep,
    user: WebUser,
    name: str,
    *,
    flashes: list[dict[str, str]] | None = None,
    status_code: int = 200,
) -> Response[str]:
    data = await web.db(request, lambda s: server_page_data(s, name))
    ctx = await base_context(request, web, user, "queue", name)
    review = data["review"]
    return render(
        "server.html",
        {
            **ctx,
            **data,
            "flashes": flashes or [],
            "can_decide": may(user.role, "approve"),
            # four eyes compares people: any of the submitter's tokens counts as the submitter
            "is_submitter": review is not None and same_person(user.principal.person, review["submitted_by_person"]),
            "can_revoke": may(user.role, "revoke"),
            "can_decommission": may(user.role, "decommission"),
        },
        status_code=status_code,
    )


@get("/servers/{name:path}", name="web-server")
async def server_page(
    request: Request[Any, Any, Any], web: WebDep, name: NamePath, done: DoneQ = None
) -> Response[str]:
    user = await web.require_user(request)
    require(user, "read", "read server details")
    from registry.web.pages_actions import DONE_MESSAGES

    flashes = [{"kind": "ok", "text": DONE_MESSAGES[done]}] if done in DONE_MESSAGES else []
    return await render_server(request, web, user, name.lstrip("/"), flashes=flashes)


SERVER_HANDLERS = [server_page]
