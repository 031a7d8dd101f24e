"""Tell every replica that approvals, servers or tokens changed.

A decision bumps ``registry_state.changes`` in its own transaction; on PostgreSQL it
also ``pg_notify``s the channel (delivered at commit), so listening replicas reload
at once; SQLite replicas poll the counter (``Settings.index_poll_s``).
"""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

from registry.models import RegistryState
from registry.services.audit import locked_state

CHANNEL = "mcp_trust_changes"


def bump(session: Session) -> int:
    state = locked_state(session)
    state.changes += 1
    session.add(state)
    session.flush()
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_notify(:ch, :n)"), {"ch": CHANNEL, "n": str(state.changes)})
    return state.changes


def current(session: Session) -> int:
    state = session.get(RegistryState, 1)
    return 0 if state is None else int(state.changes)
