"""Append-only, hash-chained audit trail.

Each row stores ``prev_hash`` and ``hash = sha256(JCS({id, at, actor, action, subject,
reason, details, prev_hash}))``. Ids are contiguous (1, 2, 3...), and the chain head
(count and last hash) lives in ``registry_state`` updated in the same transaction,
so an edited, deleted (even the newest), inserted or reordered row is detected.
Appends serialise on the ``registry_state`` row (``FOR UPDATE``; SQLite's
``BEGIN IMMEDIATE`` already serialises writers), so replicas never fork the chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from typing import Any

import msgspec
from sqlmodel import Session, col, select

from registry.models import AuditEvent, RegistryState
from scanner.contract.hashing import canonical_json

GENESIS = "0" * 64


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def event_hash(fields: dict[str, Any]) -> str:
    keys = ("id", "at", "actor", "action", "subject", "reason", "details", "prev_hash")
    return hashlib.sha256(canonical_json({k: fields[k] for k in keys})).hexdigest()


def locked_state(session: Session) -> RegistryState:
    return session.exec(select(RegistryState).where(RegistryState.id == 1).with_for_update()).one()


def append_event(
    session: Session,
    *,
    actor: str,
    action: str,
    subject: str,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one event to the chain (inside the caller's transaction)."""
    state = locked_state(session)
    fields: dict[str, Any] = {
        "id": state.audit_count + 1,
        "at": _now(),
        "actor": actor,
        "action": action,
        "subject": subject,
        "reason": reason,
        # round-trip through JSON so the hashed form equals what the database returns
        "details": msgspec.json.decode(msgspec.json.encode(details or {})),
        "prev_hash": state.audit_head,
    }
    row = AuditEvent(**fields, hash=event_hash(fields))
    state.audit_count += 1
    state.audit_head = row.hash
    session.add(row)
    session.add(state)
    session.flush()
    return row


class ChainCheck(msgspec.Struct, frozen=True, kw_only=True):
    ok: bool
    rows: int
    first_bad_id: int | None = None
    problem: str | None = None


def iter_events(session: Session, batch: int = 1000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        rows = session.exec(
            select(AuditEvent).where(col(AuditEvent.id) > last).order_by(col(AuditEvent.id)).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].id or last


def verify_chain(session: Session) -> ChainCheck:
    """Walk the chain in id order; name the first row that does not fit."""
    prev, expected_id, n = GENESIS, 1, 0
    for row in iter_events(session):
        fields = row.model_dump()
        bad = None
        if row.id != expected_id:
            bad = f"expected event {expected_id} next, found {row.id} (a row was deleted or moved)"
        elif row.prev_hash != prev:
            bad = "prev_hash does not match the previous event (deleted or reordered rows)"
        elif event_hash(fields) != row.hash:
            bad = "contents do not match its hash (the row was edited)"
        if bad:
            return ChainCheck(ok=False, rows=n, first_bad_id=row.id, problem=bad)
        prev, expected_id, n = row.hash, expected_id + 1, n + 1
    state = session.get(RegistryState, 1)
    if state is not None and (state.audit_count != n or state.audit_head != prev):
        return ChainCheck(
            ok=False,
            rows=n,
            first_bad_id=n + 1 if state.audit_count > n else n,
            problem=f"the chain head records {state.audit_count} events but {n} remain (the newest rows were deleted)",
        )
    return ChainCheck(ok=True, rows=n)


def event_to_dict(row: AuditEvent) -> dict[str, Any]:
    return row.model_dump()
