"""Server lookups and the conditional state change every transition goes through."""

from __future__ import annotations

import re

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from registry.auth import MAX_PERSON_CHARS, Principal, one_line, same_person
from registry.errors import Conflict, InvalidInput, InvalidTransition, NotFound
from registry.models import Server, utcnow
from registry.services import audit

# reverse-DNS namespace "/" name, as the official MCP registry names servers; always used
# with fullmatch ("$" would let "acme/crm\n" through as a look-alike of "acme/crm")
NAME_RE = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9.-]{0,99}/[a-zA-Z0-9][a-zA-Z0-9._-]{0,99}")
MAX_NAME_CHARS = 200  # the width of servers.name and servers.name_key
# row ids are PostgreSQL integer columns: a larger number from a request is a 4xx, never
# an out-of-range error from the database
MAX_ROW_ID = 2**31 - 1
# one line of text, no control characters: for a JSON Schema "pattern" (ECMA-262) and
# msgspec (Python re.search), where "$" alone would also match before a final newline
ONE_LINE = r"^[^\x00-\x1f\x7f]*$(?!\n)"

# design.md: pending -> approved|rejected; approved -> drifted -> approved|rejected;
# any -> revoked; revoked -> decommissioned. A new submission reopens a rejected server,
# and approving a newer version of an approved server keeps it approved.
TRANSITIONS: dict[str, frozenset[str]] = {
    "pending": frozenset({"approved", "rejected", "revoked"}),
    "approved": frozenset({"drifted", "approved", "revoked", "pending"}),
    "drifted": frozenset({"approved", "rejected", "revoked"}),
    "rejected": frozenset({"pending", "revoked"}),
    "revoked": frozenset({"decommissioned"}),
    "decommissioned": frozenset(),
}


def check_name(name: str) -> str:
    """``name`` if the whole of it is 'namespace/name', else InvalidInput (422)."""
    if len(name) > MAX_NAME_CHARS or not NAME_RE.fullmatch(name):
        raise InvalidInput(
            f"server name {name[:120]!r} is not 'namespace/name' (e.g. io.github.acme/crm)",
            extra={"errors": [{"path": "$.name", "message": "expected reverse-DNS namespace/name"}]},
        )
    return name


def get_server(session: Session, name: str) -> Server:
    row = session.exec(select(Server).where(Server.name == name)).first()
    if row is None:
        raise NotFound(f"no server named {name!r}")
    return row


def find_server(session: Session, name: str) -> Server | None:
    """The server named exactly ``name`` (look-ups stay exact; only new names are checked
    against case variants, by ``create_server``)."""
    return session.exec(select(Server).where(Server.name == name)).first()


def find_case_variant(session: Session, name: str) -> Server | None:
    """A server whose name equals ``name`` but for letter case (``Server.name_key``)."""
    return session.exec(select(Server).where(Server.name_key == name.lower(), Server.name != name)).first()


def create_server(session: Session, name: str, *, tool_level: bool = False, owner: str | None = None) -> Server:
    """Insert a new server; a case variant of an existing name is refused (409), even
    when a concurrent request inserts it between our look-up and our insert."""
    _refuse_case_variant(session, name)
    server = Server(name=name, tool_level=tool_level, owner=owner)
    try:
        with session.begin_nested():
            session.add(server)
            session.flush()
    except IntegrityError as exc:
        _refuse_case_variant(session, name, cause=exc)
        raise Conflict(f"a server named {name!r} was registered at the same moment; submit again") from exc
    return server


def _refuse_case_variant(session: Session, name: str, cause: Exception | None = None) -> None:
    existing = find_case_variant(session, name)
    if existing is not None:
        raise Conflict(
            f"server name {name!r} collides with the existing server {existing.name!r}: "
            "names are unique regardless of letter case",
            extra={"existing": existing.name},
        ) from cause


def person_of(principal: Principal) -> str:
    """The person behind a credential: names are owned by people, not by tokens."""
    return principal.person


def is_owner(server: Server, person: str) -> bool:
    """Whether ``person`` owns ``server`` (a server without an owner has none: nobody does)."""
    return same_person(server.owner, person)


def assign_owner(session: Session, name: str, owner: str, actor: str) -> Server:
    """Give a name to another person (an admin's decision, audited); from then on their
    submissions of it supersede their own open ones and the former owner's do not."""
    server = get_server(session, name)
    owner = one_line(owner.strip(), field="owner", what="the owner", limit=MAX_PERSON_CHARS)
    before = server.owner
    session.execute(update(Server).where(col(Server.id) == server.id).values(owner=owner, updated_at=utcnow()))
    audit.append_event(
        session,
        actor=actor,
        action="server.owner",
        subject=f"server:{server.name}",
        details={"from": before, "to": owner},
    )
    session.expire(server)
    return server


def transition(session: Session, server: Server, new_state: str, **values: object) -> None:
    """Move ``server`` to ``new_state`` if nobody else changed it since it was read."""
    if new_state not in TRANSITIONS[server.state] and new_state != server.state:
        raise InvalidTransition(f"server {server.name!r} is {server.state}; cannot become {new_state}")
    stmt = (
        update(Server)
        .where(col(Server.id) == server.id, col(Server.version) == server.version)
        .values(state=new_state, version=server.version + 1, updated_at=utcnow(), **values)
    )
    if session.execute(stmt).rowcount != 1:  # type: ignore[attr-defined]
        raise InvalidTransition(f"server {server.name!r} was changed by someone else; reload")
    session.expire(server)


def list_servers(session: Session, *, after: int, limit: int, state: str | None) -> list[Server]:
    stmt = select(Server).where(col(Server.id) > after)
    if state:
        stmt = stmt.where(Server.state == state)
    return list(session.exec(stmt.order_by(col(Server.id)).limit(limit)).all())
