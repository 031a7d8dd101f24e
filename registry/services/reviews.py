"""The review queue and decisions (design.md state machine; four eyes; one winner).

A decision is a conditional UPDATE on the review item (``WHERE version = :read AND
state IN open``): two reviewers deciding at once, exactly one row changes; the
other request gets 409. Every transition writes an audit event and bumps the
change counter so every replica's verify index reloads.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from registry.auth import Principal, same_person
from registry.errors import Conflict, FourEyesViolation, InvalidInput, InvalidTransition, NotFound
from registry.models import (
    OPEN_REVIEW_STATES,
    Approval,
    Observation,
    ReviewItem,
    ReviewState,
    Scan,
    Server,
    Submission,
    utcnow,
)
from registry.services import alerts, audit, changes, drift, surface_pins
from registry.services.servers import get_server, transition
from registry.services.tokens import created_through


@dataclasses.dataclass(frozen=True)
class Decision:
    reason: str
    allowed_tools: list[str] | None = None
    principals: list[str] | None = None
    tool_level: bool | None = None


def get_item(session: Session, review_id: int) -> ReviewItem:
    item = session.get(ReviewItem, review_id)
    if item is None:
        raise NotFound(f"no review item {review_id}")
    return item


def _claim(session: Session, item: ReviewItem, new_state: str, actor: str, reason: str) -> None:
    if item.state not in OPEN_REVIEW_STATES:
        raise InvalidTransition(f"review {item.id} is already {item.state}")
    stmt = (
        update(ReviewItem)
        .where(
            col(ReviewItem.id) == item.id,
            col(ReviewItem.version) == item.version,
            col(ReviewItem.state).in_(OPEN_REVIEW_STATES),
        )
        .values(
            state=new_state, version=item.version + 1, decided_by=actor, decided_at=utcnow(), decision_reason=reason
        )
    )
    if session.execute(stmt).rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(f"review {item.id} was decided by someone else a moment ago")


def _finished_scan(session: Session, item: ReviewItem) -> Scan:
    scan = session.get(Scan, item.scan_id) if item.scan_id else None
    if scan is None or scan.status != "succeeded" or not scan.report:
        status = scan.status if scan else "missing"
        raise Conflict(f"review {item.id} has no finished scan (scan {status}); nothing to pin")
    return scan


def pinned_source(session: Session, item: ReviewItem) -> tuple[dict[str, Any] | None, int | None]:
    """What approving ``item`` pins for rescans and drift confirmations: the submission's
    own source (whoever submitted it: approving a non-owner's submission is a reviewer's
    deliberate choice of that source), or for a drift re-review the source its approval pinned."""
    if item.kind in {"drift", "surface"}:
        obs = session.get(Observation, item.observation_id) if item.observation_id else None
        # a surface review confirms the surface of the approval in force (it keeps its source)
        prior = session.get(Approval, obs.approval_id) if obs else drift.active_approval(session, item.server_id)
        if prior is None:
            return None, None
        return (dict(prior.source) if prior.source else None), prior.submission_id
    sub = session.get(Submission, item.submission_id) if item.submission_id else None
    return (dict(sub.source) if sub else None), (sub.id if sub else None)


def check_four_eyes(session: Session, item: ReviewItem, who: Principal) -> None:
    """Four eyes compares people: the person who submitted may not approve, with any of
    their tokens or through a token they created (directly or via their puppets)."""
    submitter = item.submitted_by_person or item.submitted_by
    if who.actor == item.submitted_by or same_person(who.person, submitter):
        raise FourEyesViolation(f"{who.person} submitted this server and cannot approve it")
    if created_through(session, who, submitter):
        raise FourEyesViolation(
            f"this token was created by {submitter}, who submitted this server; another person must approve it"
        )


def approve(session: Session, review_id: int, who: Principal, d: Decision) -> Approval:
    actor = who.actor
    item = get_item(session, review_id)
    check_four_eyes(session, item, who)
    server = session.get(Server, item.server_id)
    assert server is not None
    scan = _finished_scan(session, item)
    if item.kind == "surface":
        _check_surface_review(session, server, item, scan)
    report: dict[str, Any] = scan.report or {}
    hashes = {t["name"]: t["sha256"] for t in report.get("tools", [])}
    typed = surface_pins.decode_report(scan.report)
    surface = surface_pins.pin_of_report(typed) if typed is not None else None
    if d.allowed_tools is not None:
        unknown = sorted(set(d.allowed_tools) - set(hashes))
        if unknown:
            raise InvalidInput(
                f"allowed_tools names tools the server does not have: {unknown}",
                extra={"errors": [{"path": "$.allowed_tools", "message": "unknown tool"}]},
            )
    _claim(session, item, ReviewState.APPROVED.value, actor, d.reason)
    tool_level = server.tool_level if d.tool_level is None else d.tool_level
    transition(session, server, "approved", approved_manifest_sha256=scan.manifest_sha256, tool_level=tool_level)
    session.execute(update(Approval).where(col(Approval.server_id) == server.id).values(active=False))
    source, submission_id = pinned_source(session, item)
    approval = Approval(
        server_id=server.id or 0,
        review_id=item.id or 0,
        submission_id=submission_id,
        source=source,
        manifest_sha256=scan.manifest_sha256 or "",
        tool_hashes=hashes,
        # the whole surface the reviewer read (None: a report from before surfaces were pinned)
        **(dataclasses.asdict(surface) if surface is not None else {}),
        allowed_tools=d.allowed_tools,
        principals=d.principals,
        tool_level=tool_level,
        approved_by=actor,
        reason=d.reason,
    )
    session.add(approval)
    session.flush()
    if surface is not None:  # this approval pins a surface: no older surface review is left to confirm
        _close_open_items(session, server.id or 0, "the surface is pinned by a newer approval", kind="surface")
    audit.append_event(
        session,
        actor=actor,
        action="server.approve",
        subject=f"server:{server.name}",
        reason=d.reason,
        details={
            "review_id": item.id,
            "manifest_sha256": scan.manifest_sha256,
            "surface_sha256": surface.surface_sha256 if surface is not None else None,
            "kind": item.kind,
            "source_submission_id": submission_id,
            "allowed_tools": d.allowed_tools,
            "principals": d.principals,
            "tool_level": tool_level,
        },
    )
    changes.bump(session)
    return approval


def reject(session: Session, review_id: int, actor: str, reason: str) -> ReviewItem:
    if not reason.strip():
        raise InvalidInput(
            "a rejection needs a reason", extra={"errors": [{"path": "$.reason", "message": "required"}]}
        )
    item = get_item(session, review_id)
    server = session.get(Server, item.server_id)
    assert server is not None
    _claim(session, item, ReviewState.REJECTED.value, actor, reason)
    if _rejects_server(session, server, item):
        transition(session, server, "rejected")
    audit.append_event(
        session,
        actor=actor,
        action="server.reject",
        subject=f"server:{server.name}",
        reason=reason,
        details={"review_id": item.id, "kind": item.kind},
    )
    changes.bump(session)
    session.refresh(item)
    return item


def _rejects_server(session: Session, server: Server, item: ReviewItem) -> bool:
    """Only the review that holds the server's state rejects the server: the re-review of a
    drifted one, or the last open review of a pending one. Turning down another person's
    submission of a name leaves the server and its owner's review as they were."""
    if server.state == "drifted":
        return item.kind == "drift"
    if server.state != "pending":
        return False
    others = session.exec(
        select(ReviewItem.id).where(
            col(ReviewItem.server_id) == server.id,
            col(ReviewItem.id) != item.id,
            col(ReviewItem.state).in_(OPEN_REVIEW_STATES),
        )
    ).first()
    return others is None


def _close_open_items(session: Session, server_id: int, why: str, *, kind: str | None = None) -> None:
    stmt = update(ReviewItem).where(
        col(ReviewItem.server_id) == server_id, col(ReviewItem.state).in_(OPEN_REVIEW_STATES)
    )
    if kind is not None:
        stmt = stmt.where(col(ReviewItem.kind) == kind)
    session.execute(stmt.values(state=ReviewState.CLOSED.value, version=ReviewItem.version + 1, decision_reason=why))


def _check_surface_review(session: Session, server: Server, item: ReviewItem, scan: Scan) -> None:
    """A surface review confirms what the approval in force already allows: refused once the
    server drifted or was approved again with another manifest (that review decides)."""
    approval = drift.active_approval(session, server.id)
    if server.state != "approved" or approval is None or approval.manifest_sha256 != scan.manifest_sha256:
        raise Conflict(
            f"review {item.id} confirms the surface of an approval no longer in force "
            f"(server {server.state}); decide its open review instead"
        )


def revoke(session: Session, name: str, actor: str, reason: str) -> Server:
    server = get_server(session, name)
    if server.state in {"revoked", "decommissioned"}:
        raise InvalidTransition(f"server {name!r} is already {server.state}")
    before = server.state
    transition(session, server, "revoked")
    session.execute(update(Approval).where(col(Approval.server_id) == server.id).values(active=False))
    _close_open_items(session, server.id or 0, "server revoked")
    audit.append_event(
        session, actor=actor, action="server.revoke", subject=f"server:{name}", reason=reason, details={"from": before}
    )
    changes.bump(session)
    session.refresh(server)
    return server


def decommission(session: Session, name: str, actor: str, reason: str) -> Server:
    """Revoke (if not yet) and retire for good; alert so its credentials get rotated."""
    server = get_server(session, name)
    if server.state == "decommissioned":
        raise InvalidTransition(f"server {name!r} is already decommissioned")
    if server.state != "revoked":
        server = revoke(session, name, actor, reason)
    transition(session, server, "decommissioned")
    audit.append_event(
        session, actor=actor, action="server.decommission", subject=f"server:{name}", reason=reason, details={}
    )
    alerts.raise_alert(
        session,
        "rotate_credentials",
        name,
        {
            "reason": reason,
            "message": f"{name} was decommissioned: rotate every "
            "credential it held (API keys, OAuth grants, tokens in its environment)",
        },
        actor,
        severity="high",
        dedupe_key=f"decommission:{name}",
    )
    changes.bump(session)
    session.refresh(server)
    return server


def list_items(
    session: Session, *, state: str | None, sort: str, after: tuple[Any, int] | None, limit: int
) -> list[ReviewItem]:
    """Keyset pagination over (sort key, id); score and worst finding sort worst first."""
    key = {"score": col(ReviewItem.sort_score), "worst_finding": col(ReviewItem.sort_worst), "age": col(ReviewItem.id)}[
        sort
    ]
    stmt = select(ReviewItem)
    stmt = (
        stmt.where(col(ReviewItem.state) == state)
        if state
        else stmt.where(col(ReviewItem.state).in_(OPEN_REVIEW_STATES))
    )
    if sort == "age":
        if after is not None:
            stmt = stmt.where(col(ReviewItem.id) > after[1])
        stmt = stmt.order_by(col(ReviewItem.id))
    elif sort == "score":  # lowest trust first
        if after is not None:
            v, last = after
            stmt = stmt.where((key > v) | ((key == v) & (col(ReviewItem.id) > last)))
        stmt = stmt.order_by(key, col(ReviewItem.id))
    else:  # worst finding first
        if after is not None:
            v, last = after
            stmt = stmt.where((key < v) | ((key == v) & (col(ReviewItem.id) > last)))
        stmt = stmt.order_by(key.desc(), col(ReviewItem.id))
    return list(session.exec(stmt.limit(limit)).all())


def last_approval(session: Session, server_id: int, before_review: int | None = None) -> Approval | None:
    stmt = select(Approval).where(Approval.server_id == server_id)
    if before_review is not None:
        stmt = stmt.where(col(Approval.review_id) != before_review)
    return session.exec(stmt.order_by(col(Approval.id).desc())).first()
