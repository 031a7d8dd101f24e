"""Server lookups and the conditional state change every transition goes through."""

from __future__ import annotations

import re

from sqlalchemy import update
from sqlmodel import Session, col, select

from registry.errors import InvalidInput, InvalidTransition, NotFound
from registry.models import Server, utcnow

# reverse-DNS namespace "/" name, as the official MCP registry names servers
NAME_RE = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9.-]{0,99}/[a-zA-Z0-9][a-zA-Z0-9._-]{0,99}$")

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
    if not NAME_RE.match(name):
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
    return session.exec(select(Server).where(Server.name == name)).first()


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
