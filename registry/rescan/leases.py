"""Row leases: the database decides which replica runs which due row.

Used for due rescans (``rescan_jobs``) and for webhook deliveries
(``alert_deliveries``). A claim is one short transaction:

* PostgreSQL: ``SELECT id ... FOR UPDATE SKIP LOCKED`` picks due rows no other
  transaction is claiming right now, then an ``UPDATE`` stamps owner, a fresh
  token and an expiry on exactly those rows. Two replicas ticking at the same
  instant get disjoint rows.
* SQLite: the registry's engine opens every transaction with ``BEGIN
  IMMEDIATE``, so the select-then-update pair runs under the database write
  lock; the same statements are a conditional claim.

A row is claimable when it is due and has no live lease (never leased, or the
lease expired because its owner died). Every later write by the owner is
fenced with ``WHERE id = :id AND lease_token = :token``: a worker whose lease
lapsed and was taken over finds zero rows updated and drops its result.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, Table, or_, select, update
from sqlalchemy.engine import Engine

from registry.db import session_scope


class Lease:
    __slots__ = ("expires_at", "row_id", "token")

    def __init__(self, row_id: int, token: str, expires_at: dt.datetime) -> None:
        self.row_id = row_id
        self.token = token
        self.expires_at = expires_at

    def __repr__(self) -> str:
        return f"Lease(row={self.row_id}, token={self.token[:8]})"


def free_or_expired(table: Table, now: dt.datetime) -> ColumnElement[bool]:
    return or_(table.c.lease_expires_at.is_(None), table.c.lease_expires_at < now)


def claim(
    engine: Engine,
    table: Table,
    *,
    owner: str,
    due: ColumnElement[bool],
    order_by: Any,
    limit: int,
    lease_s: float,
    now: dt.datetime,
    also_set: Mapping[str, Any] | None = None,
) -> list[Lease]:
    """Claim up to ``limit`` due rows of ``table`` for ``owner``; returns their leases."""
    if limit <= 0:
        return []
    expires = now + dt.timedelta(seconds=lease_s)
    with session_scope(engine) as session:
        pick = (
            select(table.c.id)
            .where(due, free_or_expired(table, now))
            .order_by(order_by)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        ids = [int(row_id) for row_id in session.execute(pick).scalars()]
        leases = [Lease(row_id, uuid.uuid4().hex, expires) for row_id in ids]
        for lease in leases:
            values = {
                "lease_owner": owner,
                "lease_token": lease.token,
                "lease_expires_at": expires,
                **(also_set or {}),
            }
            session.execute(update(table).where(table.c.id == lease.row_id).values(**values))
    return leases


def heartbeat(engine: Engine, table: Table, leases: list[Lease], lease_s: float, now: dt.datetime) -> list[Lease]:
    """Extend live leases; returns the ones lost (taken over or released)."""
    lost: list[Lease] = []
    expires = now + dt.timedelta(seconds=lease_s)
    with session_scope(engine) as session:
        for lease in leases:
            result = session.execute(
                update(table)
                .where(table.c.id == lease.row_id, table.c.lease_token == lease.token)
                .values(lease_expires_at=expires)
            )
            if result.rowcount == 0:  # type: ignore[attr-defined]
                lost.append(lease)
            else:
                lease.expires_at = expires
    return lost


def fenced(table: Table, lease: Lease) -> ColumnElement[bool]:
    """The WHERE clause for any write made under ``lease``."""
    return (table.c.id == lease.row_id) & (table.c.lease_token == lease.token)
