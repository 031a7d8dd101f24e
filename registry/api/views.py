"""Read models and write wrappers: each takes a session and returns API Structs, so the
controllers stay one call long and rows never leave the transaction."""

from __future__ import annotations

from typing import Any

import msgspec
from sqlmodel import Session, col, select

from registry.api import schemas as s
from registry.api.common import Page, clamp, decode_cursor, encode_cursor, page
from registry.auth import Principal
from registry.errors import InvalidInput
from registry.models import Approval, AuditEvent, ReviewItem, Scan, Server, as_utc
from registry.services import reviews, servers, submissions, surface_pins, tokens
from registry.services.audit import verify_chain
from scanner.diff import diff_manifests, diff_reports

SORTS = ("score", "worst_finding", "age")
REVIEW_STATES = ("pending", "drifted", "approved", "rejected", "closed")


def submit(
    session: Session, req: submissions.SubmitRequest, who: Principal, allow: tuple[str, ...] = ()
) -> s.SubmissionOut:
    acc = submissions.submit(session, req, who, allow)
    return s.submission_out(acc.submission, acc.server, acc.review, acc.scan)


def list_servers(session: Session, cursor: str | None, limit: int, state: str | None) -> Page[s.ServerSummary]:
    after = decode_cursor(cursor)
    n = clamp(limit)
    rows = servers.list_servers(session, after=after[1] if after else 0, limit=n + 1, state=state)
    return page([s.server_summary(r) for r in rows], n, lambda x: None, lambda x: x.id)


def server_detail(session: Session, name: str) -> s.ServerDetail:
    srv = servers.get_server(session, name)
    scan = session.get(Scan, srv.latest_scan_id) if srv.latest_scan_id else None
    approval = session.exec(
        select(Approval).where(Approval.server_id == srv.id, col(Approval.active).is_(True))
    ).first()
    events = session.exec(
        select(AuditEvent).where(AuditEvent.subject == f"server:{name}").order_by(col(AuditEvent.id).desc()).limit(100)
    ).all()
    return s.ServerDetail(
        id=srv.id or 0,
        name=srv.name,
        state=srv.state,
        owner=srv.owner,
        approved_manifest_sha256=srv.approved_manifest_sha256,
        tool_level=srv.tool_level,
        score=scan.score if scan else None,
        latest_scan=s.scan_out(scan) if scan else None,
        approval=s.approval_out(approval) if approval else None,
        history=[s.history_event(e) for e in events],
        created_at=s._t(srv.created_at),
        updated_at=s._t(srv.updated_at),
    )


def list_reviews(
    session: Session, state: str | None, sort: str, cursor: str | None, limit: int
) -> Page[s.ReviewSummary]:
    if sort not in SORTS:
        raise InvalidInput(
            f"sort must be one of {', '.join(SORTS)}", extra={"errors": [{"path": "sort", "message": "unknown sort"}]}
        )
    if state is not None and state not in REVIEW_STATES:
        raise InvalidInput(
            f"state must be one of {', '.join(REVIEW_STATES)}",
            extra={"errors": [{"path": "state", "message": "unknown state"}]},
        )
    n = clamp(limit)
    rows = reviews.list_items(session, state=state, sort=sort, after=decode_cursor(cursor), limit=n + 1)
    more = len(rows) > n
    rows = rows[:n]
    cursor = encode_cursor(_sort_value(rows[-1], sort), rows[-1].id or 0) if more and rows else None
    return Page(items=[_summary(session, r) for r in rows], next_cursor=cursor)


def _sort_value(item: ReviewItem, sort: str) -> float | int | None:
    return {"score": item.sort_score, "worst_finding": item.sort_worst}.get(sort)


def _summary(session: Session, item: ReviewItem) -> s.ReviewSummary:
    srv = session.get(Server, item.server_id)
    assert srv is not None
    scan = session.get(Scan, item.scan_id) if item.scan_id else None
    return s.review_summary(item, srv, scan)


def review_detail(session: Session, review_id: int) -> s.ReviewDetail:
    item = reviews.get_item(session, review_id)
    srv = session.get(Server, item.server_id)
    assert srv is not None
    scan = session.get(Scan, item.scan_id) if item.scan_id else None
    report: dict[str, Any] = (scan.report or {}) if scan else {}
    prior = reviews.last_approval(session, srv.id or 0, before_review=item.id)
    return s.ReviewDetail(
        id=item.id or 0,
        server=srv.name,
        server_state=srv.state,
        kind=item.kind,
        state=item.state,
        version=item.version,
        submitted_by=item.submitted_by,
        decided_by=item.decided_by,
        decided_at=as_utc(item.decided_at),
        decision_reason=item.decision_reason,
        created_at=s._t(item.created_at),
        scan=s.scan_out(scan) if scan else None,
        manifest_sha256=report.get("manifest_sha256"),
        tools=[
            {k: t.get(k) for k in ("name", "sha256", "verdict", "findings", "tool")} for t in report.get("tools", [])
        ],
        server_findings=list(report.get("server_findings", [])),
        surface_sha256=report.get("surface_sha256"),
        items=[
            {k: i.get(k) for k in ("kind", "key", "sha256", "verdict", "findings", "item")}
            for i in report.get("items", [])
        ],
        trust=report.get("trust"),
        approved_manifest_sha256=prior.manifest_sha256 if prior else None,
        diff=_diff(session, prior, report) if prior and report else None,
    )


def _diff(session: Session, prior: Approval, report: dict[str, Any]) -> dict[str, Any]:
    """Field-level diff (``scanner.diff``) of the whole surface against the last approval:
    the tools' fields at the top level, as readers of the tools-only diff expect, and the
    prompts, resources, templates and instructions beside them."""
    old_scan = session.exec(
        select(Scan).join(ReviewItem, col(ReviewItem.scan_id) == col(Scan.id)).where(ReviewItem.id == prior.review_id)
    ).first()
    old_stored: dict[str, Any] = (old_scan.report or {}) if old_scan else {}
    old, new = surface_pins.decode_report(old_stored), surface_pins.decode_report(report)
    if old is not None and new is not None:
        built = msgspec.to_builtins(diff_reports(old, new))
    else:  # a report missing or not readable as one: the tools alone, as far as they are stored
        old_tools = [t["tool"] for t in old_stored.get("tools", [])]
        built = msgspec.to_builtins(diff_manifests(old_tools, [t["tool"] for t in report.get("tools", [])]))
    return built if isinstance(built, dict) else {"changes": built}


def approve(session: Session, review_id: int, body: s.ApproveIn, who: Principal) -> s.ApprovalOut:
    d = reviews.Decision(
        reason=body.reason, allowed_tools=body.allowed_tools, principals=body.principals, tool_level=body.tool_level
    )
    return s.approval_out(reviews.approve(session, review_id, who, d))


def reject(session: Session, review_id: int, body: s.ReasonIn, who: Principal) -> s.ReviewDetail:
    reviews.reject(session, review_id, who.actor, body.reason)
    return review_detail(session, review_id)


def revoke(session: Session, name: str, body: s.OptionalReasonIn, who: Principal) -> s.ServerDetail:
    reviews.revoke(session, name, who.actor, body.reason)
    return server_detail(session, name)


def decommission(session: Session, name: str, body: s.OptionalReasonIn, who: Principal) -> s.ServerDetail:
    reviews.decommission(session, name, who.actor, body.reason)
    return server_detail(session, name)


def assign_owner(session: Session, name: str, body: s.OwnerIn, who: Principal) -> s.ServerDetail:
    srv = servers.assign_owner(session, name, body.owner, who.actor)
    return server_detail(session, srv.name)


def create_token(session: Session, body: s.TokenIn, who: Principal) -> s.TokenCreated:
    owner = who.person if body.owner is None else body.owner
    row, token = tokens.create_token(
        session, role=body.role, name=body.name, owner=owner, actor=who.actor, created_by=who.person
    )
    return s.TokenCreated(
        id=row.id or 0, name=row.name, role=row.role, owner=row.owner, created_by=row.created_by, token=token
    )


def list_tokens(session: Session, cursor: str | None, limit: int) -> Page[s.TokenOut]:
    after = decode_cursor(cursor)
    n = clamp(limit)
    rows = tokens.list_tokens(session, after=after[1] if after else 0, limit=n + 1)
    return page([s.token_out(r) for r in rows], n, lambda x: None, lambda x: x.id)


def revoke_token(session: Session, ident: str, who: Principal) -> s.TokenOut:
    return s.token_out(tokens.revoke_token(session, ident, actor=who.actor))


def list_audit(session: Session, cursor: str | None, limit: int) -> Page[s.AuditEventOut]:
    after = decode_cursor(cursor)
    n = clamp(limit)
    rows = session.exec(
        select(AuditEvent)
        .where(col(AuditEvent.id) > (after[1] if after else 0))
        .order_by(col(AuditEvent.id))
        .limit(n + 1)
    ).all()
    return page([s.audit_out(r) for r in rows], n, lambda x: None, lambda x: x.id)


def check_audit(session: Session) -> s.AuditCheckOut:
    c = verify_chain(session)
    return s.AuditCheckOut(ok=c.ok, rows=c.rows, first_bad_id=c.first_bad_id, problem=c.problem)
