"""The schedule rows: one per approved server, created as servers get approved.

The per-server interval (default ``RescanConfig.interval_s``) and the next due
time live in ``rescan_jobs``; APScheduler in each replica only fires "claim due
work" ticks, so adding replicas never multiplies rescans.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from registry.models import Server, utcnow
from registry.rescan.config import RescanConfig
from registry.rescan.leases import Lease, claim
from registry.rescan.tables import RescanJob

JOBS = RescanJob.__table__  # type: ignore[attr-defined]
SERVERS = Server.__table__  # type: ignore[attr-defined]
SCHEDULED_STATES = ("approved",)


def next_due(now: dt.datetime, interval_s: float, jitter: float, rng: random.Random | None = None) -> dt.datetime:
    spread = (rng or random.Random()).uniform(-jitter, jitter)  # noqa: S311 - spreading load
    return now + dt.timedelta(seconds=max(0.0, interval_s * (1.0 + spread)))


def _insert_ignore(conn: Connection, rows: list[dict[str, object]]) -> None:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(dialect.insert(JOBS).values(rows).on_conflict_do_nothing(index_elements=["server_name"]))


def ensure_jobs(engine: Engine, config: RescanConfig, now: dt.datetime | None = None) -> int:
    """Give every approved server without a schedule row one; returns how many were added.
    Concurrent replicas insert-or-ignore, so each server gets one row."""
    now = now or utcnow()
    with engine.begin() as conn:
        missing = (
            conn.execute(
                select(SERVERS.c.name)
                .where(SERVERS.c.state.in_(SCHEDULED_STATES))
                .where(~SERVERS.c.name.in_(select(JOBS.c.server_name)))
            )
            .scalars()
            .all()
        )
        if not missing:
            return 0
        rows: list[dict[str, object]] = [
            {
                "server_name": name,
                "interval_s": config.interval_s,
                "next_due_at": next_due(now, config.interval_s, config.jitter),
                "attempts": 0,
                "consecutive_failures": 0,
                "runs": 0,
            }
            for name in missing
        ]
        _insert_ignore(conn, rows)
    return len(missing)


def claim_due(engine: Engine, owner: str, *, limit: int, lease_s: float, now: dt.datetime | None = None) -> list[Lease]:
    now = now or utcnow()
    return claim(
        engine,
        JOBS,
        owner=owner,
        due=JOBS.c.next_due_at <= now,
        order_by=JOBS.c.next_due_at,
        limit=limit,
        lease_s=lease_s,
        now=now,
        also_set={"attempts": JOBS.c.attempts + 1},
    )


def claim_server(
    engine: Engine, config: RescanConfig, owner: str, server_name: str, now: dt.datetime | None = None
) -> Lease | None:
    """A manual rescan: the server's row whatever its due time, unless a live lease
    holds it (a rescan of that server is running somewhere right now)."""
    now = now or utcnow()
    with engine.begin() as conn:
        _insert_ignore(
            conn,
            [
                {
                    "server_name": server_name,
                    "interval_s": config.interval_s,
                    "next_due_at": next_due(now, config.interval_s, config.jitter),
                    "attempts": 0,
                    "consecutive_failures": 0,
                    "runs": 0,
                }
            ],
        )
    leases = claim(
        engine,
        JOBS,
        owner=owner,
        due=JOBS.c.server_name == server_name,
        order_by=JOBS.c.id,
        limit=1,
        lease_s=config.lease_s,
        now=now,
        also_set={"attempts": JOBS.c.attempts + 1},
    )
    return leases[0] if leases else None
