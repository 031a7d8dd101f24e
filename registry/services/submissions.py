"""Submissions: validate the source, record it, open a review item, queue the scan.

The submission is committed before any scan starts, so a scan that fails lands as a
failed scan with its error on the review item; a submission is never lost.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import msgspec
from sqlalchemy import update
from sqlmodel import Session, col

from registry.auth import Principal
from registry.errors import Forbidden, InvalidInput, InvalidTransition
from registry.models import (
    OPEN_REVIEW_STATES,
    ReviewItem,
    ReviewState,
    Scan,
    Server,
    Submission,
)
from registry.services import audit, changes
from registry.services.servers import check_name, find_server, transition

MAX_COMMAND_ARGS = 64


class SubmitSource(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    url: str | None = None
    command: list[str] | None = None


class SubmitRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """``{"server_json": {...}}`` or ``{"name": ..., "source": {"url"|"command": ...}}``."""

    server_json: dict[str, Any] | None = None
    name: str | None = None
    source: SubmitSource | None = None
    tool_level: bool = False


@dataclasses.dataclass(frozen=True)
class Accepted:
    submission: Submission
    review: ReviewItem
    scan: Scan
    server: Server


def normalise(req: SubmitRequest, principal: Principal) -> tuple[str, str | None, dict[str, Any]]:
    """-> (server name, version, stored source) or an InvalidInput naming JSON paths."""
    if req.server_json is not None:
        if req.name is not None or req.source is not None:
            raise InvalidInput("send either server_json or name+source, not both")
        return _from_server_json(req.server_json)
    if req.name is None or req.source is None:
        raise InvalidInput(
            "send {'server_json': {...}} or {'name': ..., 'source': {'url': ...}}",
            extra={"errors": [{"path": "$", "message": "server_json or name+source required"}]},
        )
    name = check_name(req.name)
    src = req.source
    if (src.url is None) == (src.command is None):
        raise InvalidInput(
            "source needs exactly one of url or command",
            extra={"errors": [{"path": "$.source", "message": "url or command"}]},
        )
    if src.url is not None:
        if not src.url.startswith(("http://", "https://")) or len(src.url) > 2000:
            raise InvalidInput(
                "source.url must be an http(s) URL",
                extra={"errors": [{"path": "$.source.url", "message": "not http(s)"}]},
            )
        return name, None, {"url": src.url}
    if principal.role != "admin":
        raise Forbidden("a command source runs code on the registry host: admins only")
    cmd = src.command or []
    if not cmd or len(cmd) > MAX_COMMAND_ARGS or any(not a or "\x00" in a for a in cmd):
        raise InvalidInput(
            "source.command must be a non-empty argv list",
            extra={"errors": [{"path": "$.source.command", "message": "bad argv"}]},
        )
    return name, None, {"command": list(cmd)}


def _from_server_json(doc: dict[str, Any]) -> tuple[str, str | None, dict[str, Any]]:
    from scanner.serverjson import ServerJsonError, load_server_json

    try:
        sj = load_server_json(doc)
    except ServerJsonError as exc:
        errors = [
            {"path": "$.server_json" + i.path.removeprefix("$"), "message": i.message}
            for i in exc.issues
            if i.severity == "error"
        ]
        raise InvalidInput(str(exc), extra={"errors": errors}) from exc
    return check_name(sj.name), sj.version, {"server_json": sj.raw}


def submit(session: Session, req: SubmitRequest, principal: Principal) -> Accepted:
    name, version, source = normalise(req, principal)
    server = find_server(session, name)
    if server is None:
        server = Server(name=name, tool_level=req.tool_level)
        session.add(server)
        session.flush()
    elif server.state in {"revoked", "decommissioned"}:
        raise InvalidTransition(f"server {name!r} is {server.state}; it cannot be resubmitted")
    elif server.state == "rejected":
        transition(session, server, "pending")
    assert server.id is not None
    _close_open_submissions(session, server.id)
    sub = Submission(server_id=server.id, submitted_by=principal.actor, version=version, source=source)
    session.add(sub)
    session.flush()
    scan = Scan(server_id=server.id, submission_id=sub.id, trigger="submission")
    session.add(scan)
    session.flush()
    item = ReviewItem(
        server_id=server.id,
        submission_id=sub.id,
        scan_id=scan.id,
        kind="submission",
        state=ReviewState.PENDING.value,
        submitted_by=principal.actor,
    )
    session.add(item)
    session.flush()
    audit.append_event(
        session,
        actor=principal.actor,
        action="server.submit",
        subject=f"server:{name}",
        details={"submission_id": sub.id, "review_id": item.id, "version": version, "source": sorted(source)},
    )
    changes.bump(session)
    session.refresh(server)
    return Accepted(submission=sub, review=item, scan=scan, server=server)


def _close_open_submissions(session: Session, server_id: int) -> None:
    """A newer submission supersedes an older one still waiting in the queue."""
    session.execute(
        update(ReviewItem)
        .where(
            col(ReviewItem.server_id) == server_id,
            col(ReviewItem.kind) == "submission",
            col(ReviewItem.state).in_(OPEN_REVIEW_STATES),
        )
        .values(
            state=ReviewState.CLOSED.value,
            version=ReviewItem.version + 1,
            decision_reason="superseded by a newer submission",
        )
    )
