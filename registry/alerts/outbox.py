"""The transactional outbox: a delivery row per (alert, target) in the alert's own
transaction, claimed later with a row lease by whichever replica gets there first.

The rows are written by a SQLAlchemy ``after_flush`` listener, so every path that
inserts an alert (``raise_alert`` from the review service, the verify API, the
rescans) gets its deliveries without knowing about webhooks; the listener uses
the flushing session's own connection, hence the same transaction.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import event, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session as OrmSession

from registry.alerts.payloads import AlertDoc, rfc3339
from registry.alerts.tables import AlertDelivery, DeliveryStatus, WebhookTarget, target_wants
from registry.models import Alert, utcnow
from registry.rescan.leases import Lease, claim, fenced

DELIVERIES = AlertDelivery.__table__  # type: ignore[attr-defined]
TARGETS = WebhookTarget.__table__  # type: ignore[attr-defined]


def alert_doc(alert: Alert) -> AlertDoc:
    return AlertDoc(
        id=int(alert.id or 0),
        kind=alert.kind,
        severity=alert.severity,
        server=alert.server_name,
        created_at=rfc3339(alert.created_at),
        payload=dict(alert.payload),
    )


def _enqueue_new_alerts(session: OrmSession, _flush_context: Any) -> None:
    alerts = [obj for obj in session.new if isinstance(obj, Alert)]
    if not alerts:
        return
    conn = session.connection()
    targets = conn.execute(select(TARGETS.c.id, TARGETS.c.kinds).where(TARGETS.c.enabled)).all()
    now = utcnow()
    rows = [
        {
            "alert_id": alert.id,
            "target_id": target.id,
            "status": DeliveryStatus.PENDING,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for alert in alerts
        for target in targets
        if target_wants(target.kinds, alert.kind)
    ]
    if rows:
        conn.execute(insert(DELIVERIES), rows)


def install() -> None:
    """Register the outbox listener once per process (idempotent)."""
    if not event.contains(OrmSession, "after_flush", _enqueue_new_alerts):
        event.listen(OrmSession, "after_flush", _enqueue_new_alerts)


def claim_due(engine: Engine, owner: str, *, limit: int, lease_s: float, now: dt.datetime | None = None) -> list[Lease]:
    now = now or utcnow()
    return claim(
        engine,
        DELIVERIES,
        owner=owner,
        due=(DELIVERIES.c.status == DeliveryStatus.PENDING) & (DELIVERIES.c.next_attempt_at <= now),
        order_by=DELIVERIES.c.next_attempt_at,
        limit=limit,
        lease_s=lease_s,
        now=now,
    )


def backoff_s(attempts: int, *, base_s: float, cap_s: float, rng: random.Random | None = None) -> float:
    """Exponential backoff with +-20 % jitter, so receivers coming back up are not
    hit by every replica's retries in the same second."""
    delay = min(cap_s, base_s * (2 ** max(0, attempts - 1)))
    jitter = (rng or random.Random()).uniform(0.8, 1.2)  # noqa: S311 - jitter, not a secret
    return float(delay * jitter)


def record_success(engine: Engine, lease: Lease, status_code: int) -> bool:
    with engine.begin() as conn:
        done = conn.execute(
            update(DELIVERIES)
            .where(fenced(DELIVERIES, lease))
            .values(
                status=DeliveryStatus.DELIVERED,
                attempts=DELIVERIES.c.attempts + 1,
                last_status_code=status_code,
                last_error=None,
                delivered_at=utcnow(),
                lease_owner=None,
                lease_token=None,
                lease_expires_at=None,
            )
        )
        return bool(done.rowcount)


def record_failure(
    engine: Engine, lease: Lease, *, error: str, status_code: int | None, max_attempts: int, base_s: float, cap_s: float
) -> bool:
    with engine.begin() as conn:
        attempts = conn.execute(select(DELIVERIES.c.attempts).where(fenced(DELIVERIES, lease))).scalar_one_or_none()
        if attempts is None:
            return False  # lease lost: someone else owns this delivery now
        attempts += 1
        dead = attempts >= max_attempts
        next_at = utcnow() + dt.timedelta(seconds=backoff_s(attempts, base_s=base_s, cap_s=cap_s))
        conn.execute(
            update(DELIVERIES)
            .where(fenced(DELIVERIES, lease))
            .values(
                status=DeliveryStatus.DEAD if dead else DeliveryStatus.PENDING,
                attempts=attempts,
                last_status_code=status_code,
                last_error=error[:1000],
                next_attempt_at=next_at,
                lease_owner=None,
                lease_token=None,
                lease_expires_at=None,
            )
        )
        return True
