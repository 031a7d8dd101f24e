"""The review queue and the server list."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from sqlmodel import Session, col, select

from registry.models import OPEN_REVIEW_STATES, Scan, Server
from registry.services import reviews
from registry.web.common import base_context, require
from registry.web.context import ShortQ, StateQ, TextQ, WebDep
from registry.web.render import render
from registry.web.views import SEVERITY_RANK, age, iso, report_findings

QUEUE_LIMIT = 1000  # the page filters in memory; a queue this long needs triage anyway
SORTS = {"age", "-age", "score", "-score", "worst", "-worst"}


def _queue_rows(session: Session) -> list[dict[str, Any]]:
    items = reviews.list_items(session, state=None, sort="age", after=None, limit=QUEUE_LIMIT)
    server_ids = {i.server_id for i in items}
    scan_ids = {i.scan_id for i in items if i.scan_id is not None}
    servers = {s.id: s for s in session.exec(select(Server).where(col(Server.id).in_(server_ids)))}
    scans = {s.id: s for s in session.exec(select(Scan).where(col(Scan.id).in_(scan_ids)))}
    rows = []
    for item in items:
        server = servers.get(item.server_id)
        scan = scans.get(item.scan_id) if item.scan_id is not None else None
        done = scan is not None and scan.status == "succeeded"
        rows.append(
            {
                "id": item.id,
                "server": server.name if server else "?",
                "kind": item.kind,
                "state": item.state,
                "score": scan.score if scan else None,
                "worst": scan.worst_severity if done and scan else None,
                "findings": len(report_findings(scan.report)) if done and scan else None,
                "scan_status": scan.status if scan else "missing",
                "created_at": iso(item.created_at),
                "age": age(item.created_at),
                "age_key": item.id or 0,
                "submitted_by": item.submitted_by,
            }
        )
    return rows


def _filter_sort(rows: list[dict[str, Any]], state: str, min_severity: str, q: str, sort: str) -> list[dict[str, Any]]:
    if state in OPEN_REVIEW_STATES:
        rows = [r for r in rows if r["state"] == state]
    if min_severity in SEVERITY_RANK:
        floor = SEVERITY_RANK[min_severity]
        rows = [r for r in rows if r["worst"] and SEVERITY_RANK.get(r["worst"], 0) >= floor]
    if q:
        rows = [r for r in rows if q.lower() in r["server"].lower()]
    field = sort.lstrip("-")

    # unscored items always go last, whatever the direction, so they never hide the rest
    def key(r: dict[str, Any]) -> tuple[bool, float]:
        if field == "score":
            v = r["score"]
        elif field == "worst":
            # a finished scan without findings ranks below "info"; an unfinished one is unknown
            v = SEVERITY_RANK.get(r["worst"] or "", -1) if r["scan_status"] == "succeeded" else None
        else:
            v = r["age_key"]
        missing = v is None
        signed = 0.0 if v is None else (float(v) if not sort.startswith("-") else -float(v))
        return missing, signed

    # "age" means oldest first, "-worst" most severe first
    return sorted(rows, key=key)


def _counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {
        "open": len(rows),
        "pending": sum(r["state"] == "pending" for r in rows),
        "drifted": sum(r["state"] == "drifted" for r in rows),
        "severe": sum(SEVERITY_RANK.get(r["worst"] or "", 0) >= 3 for r in rows),
        "unscanned": sum(r["scan_status"] in {"queued", "running"} for r in rows),
    }


@get("/", name="web-queue")
async def queue_page(
    request: Request[Any, Any, Any],
    web: WebDep,
    *,
    review_state: StateQ = "open",
    min_severity: ShortQ = "",
    q: TextQ = "",
    sort: ShortQ = "age",
) -> Response[str]:
    user = await web.require_user(request)
    require(user, "queue", "read the review queue (the Servers page lists the servers you can see)")
    sort = sort if sort in SORTS else "age"
    rows = await web.db(request, _queue_rows)
    shown = _filter_sort(rows, review_state, min_severity, q.strip()[:200], sort)
    ctx = await base_context(request, web, user, "queue", "Review queue")
    filters = {"state": review_state, "min_severity": min_severity, "q": q, "sort": sort}
    return render(
        "queue.html",
        {**ctx, "rows": shown, "counts": _counts(rows), "filters": filters, "truncated": len(rows) >= QUEUE_LIMIT},
    )


def _server_rows(session: Session) -> list[dict[str, Any]]:
    out = []
    for s in session.exec(select(Server).order_by(col(Server.name)).limit(QUEUE_LIMIT)):
        scan = session.get(Scan, s.latest_scan_id) if s.latest_scan_id else None
        out.append(
            {
                "name": s.name,
                "state": s.state,
                "score": scan.score if scan else None,
                "approved_manifest_sha256": s.approved_manifest_sha256,
                "updated_at": iso(s.updated_at),
            }
        )
    return out


@get("/servers", name="web-servers")
async def servers_page(request: Request[Any, Any, Any], web: WebDep) -> Response[str]:
    user = await web.require_user(request)
    require(user, "read", "list servers")
    rows = await web.db(request, _server_rows)
    ctx = await base_context(request, web, user, "servers", "Servers")
    return render("servers.html", {**ctx, "servers": rows})


QUEUE_HANDLERS = [queue_page, servers_page]
