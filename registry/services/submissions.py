"""Submissions: validate the source, record it, open a review item, queue the scan.

The submission is committed before any scan starts, so a scan that fails lands as a
failed scan with its error on the review item; a submission is never lost.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

import msgspec
from sqlalchemy import update
from sqlmodel import Session, col, select

from registry.auth import Principal, same_person
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
from registry.services.servers import (
    MAX_NAME_CHARS,
    check_name,
    create_server,
    find_server,
    is_owner,
    person_of,
    transition,
)

MAX_COMMAND_ARGS = 64


MAX_URL_CHARS, MAX_ARG_CHARS = 2000, 4096
Arg = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_ARG_CHARS)]


class SubmitSource(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    url: Annotated[str, msgspec.Meta(max_length=MAX_URL_CHARS)] | None = None
    command: Annotated[list[Arg], msgspec.Meta(min_length=1, max_length=MAX_COMMAND_ARGS)] | None = None


class SubmitRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """``{"server_json": {...}}`` or ``{"name": ..., "source": {"url"|"command": ...}}``."""

    server_json: dict[str, Any] | None = None
    name: Annotated[str, msgspec.Meta(max_length=MAX_NAME_CHARS)] | None = None
    source: SubmitSource | None = None
    tool_level: bool = False
    # let pip build an sdist (its build code runs, confined): admins only, pinned with the source
    allow_sdist: bool = False


@dataclasses.dataclass(frozen=True)
class Accepted:
    submission: Submission
    review: ReviewItem
    scan: Scan
    server: Server


def normalise(
    req: SubmitRequest, principal: Principal, allow: tuple[str, ...] = ()
) -> tuple[str, str | None, dict[str, Any]]:
    """-> (server name, version, stored source) or an InvalidInput naming JSON paths.
    ``allow``: the operator's scan-network allowlist (URLs at other internal addresses are refused)."""
    if req.allow_sdist and principal.role != "admin":
        raise Forbidden("allow_sdist lets a package's build code run: admins only")
    if req.server_json is not None:
        if req.name is not None or req.source is not None:
            raise InvalidInput("send either server_json or name+source, not both")
        name, version, stored = _from_server_json(req.server_json, allow)
        if req.allow_sdist:
            stored["allow_sdist"] = True
        return name, version, stored
    if req.allow_sdist:
        raise InvalidInput(
            "allow_sdist applies to a server_json's packages only",
            extra={"errors": [{"path": "$.allow_sdist", "message": "only with server_json"}]},
        )
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
        _check_reachable(src.url, "$.source.url", allow)
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


def _from_server_json(doc: dict[str, Any], allow: tuple[str, ...]) -> tuple[str, str | None, dict[str, Any]]:
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
    # what a scan of this document fetches: its first package's index, else its first remote
    if sj.packages and sj.packages[0].registry_base_url:
        _check_reachable(sj.packages[0].registry_base_url, "$.server_json.packages[0].registryBaseUrl", allow)
    elif not sj.packages and sj.remotes and "{" not in sj.remotes[0].url:
        _check_reachable(sj.remotes[0].url, "$.server_json.remotes[0].url", allow)
    return check_name(sj.name), sj.version, {"server_json": sj.raw}


def _check_reachable(url: str, path: str, allow: tuple[str, ...]) -> None:
    """Refuse a URL the registry would fetch at an address the scan-network guard refuses
    (scans check again: a DNS answer may change). The reason is generic on purpose."""
    from scanner.errors import SourceError
    from scanner.netguard import ADDRESS_NOT_ALLOWED, AddressNotAllowed, HostUnresolvable, check_url

    try:
        check_url(url, allow)
    except AddressNotAllowed:
        message = ADDRESS_NOT_ALLOWED
    except HostUnresolvable:
        message = "the host name does not resolve"
    except SourceError:
        message = "not an http(s) URL with a host"
    else:
        return
    raise InvalidInput(f"{path.removeprefix('$.')}: {message}", extra={"errors": [{"path": path, "message": message}]})


def submit(session: Session, req: SubmitRequest, principal: Principal, allow: tuple[str, ...] = ()) -> Accepted:
    name, version, source = normalise(req, principal, allow)
    person = person_of(principal)
    server = find_server(session, name)
    if server is None:
        server = create_server(session, name, tool_level=req.tool_level, owner=person)  # the first submitter owns it
    elif server.state in {"revoked", "decommissioned"}:
        raise InvalidTransition(f"server {name!r} is {server.state}; it cannot be resubmitted")
    elif server.state == "rejected":
        transition(session, server, "pending")
    assert server.id is not None
    # anyone may submit a name (a separate pending review); it never changes what rescans
    # scan (the approval's pinned source) and never closes another person's review
    _close_open_submissions(session, server.id, person)
    sub = Submission(
        server_id=server.id, submitted_by=principal.actor, submitted_by_person=person, version=version, source=source
    )
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
        submitted_by_person=person,
    )
    session.add(item)
    session.flush()
    audit.append_event(
        session,
        actor=principal.actor,
        action="server.submit",
        subject=f"server:{name}",
        details={
            "submission_id": sub.id,
            "review_id": item.id,
            "version": version,
            "source": sorted(source),
            "by_owner": is_owner(server, person),
        },
    )
    changes.bump(session)
    session.refresh(server)
    return Accepted(submission=sub, review=item, scan=scan, server=server)


def _close_open_submissions(session: Session, server_id: int, person: str) -> None:
    """A newer submission supersedes the same person's older ones still waiting in the
    queue, never another person's: a second submitter cannot close the owner's review."""
    open_items = session.exec(
        select(ReviewItem).where(
            col(ReviewItem.server_id) == server_id,
            col(ReviewItem.kind) == "submission",
            col(ReviewItem.state).in_(OPEN_REVIEW_STATES),
        )
    ).all()
    mine = [i.id for i in open_items if same_person(i.submitted_by_person or i.submitted_by, person)]
    if not mine:
        return
    session.execute(
        update(ReviewItem)
        .where(col(ReviewItem.id).in_(mine), col(ReviewItem.state).in_(OPEN_REVIEW_STATES))
        .values(
            state=ReviewState.CLOSED.value,
            version=ReviewItem.version + 1,
            decision_reason="superseded by a newer submission",
        )
    )
