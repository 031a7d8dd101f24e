"""Alerts: the ONE function that raises them.

Delivery (outbox rows for webhooks) is added in the same transaction as the alert
row, so an alert is never raised without its deliveries.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from registry.models import Alert
from registry.services import audit


def raise_alert(
    session: Session,
    kind: str,
    server: str | None,
    payload: dict[str, Any],
    actor: str,
    *,
    severity: str = "high",
    dedupe_key: str | None = None,
) -> Alert | None:
    """Record an alert in the caller's transaction. With ``dedupe_key``, an incident that
    already has an alert returns ``None`` instead of a second one."""
    if dedupe_key is not None:
        existing = session.exec(select(Alert).where(Alert.dedupe_key == dedupe_key)).first()
        if existing is not None:
            return None
    row = Alert(kind=kind, server_name=server, severity=severity, payload=payload, dedupe_key=dedupe_key)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:  # another replica raised the same incident a moment ago
        return None
    audit.append_event(
        session,
        actor=actor,
        action="alert.raise",
        subject=f"server:{server}",
        details={"alert_id": row.id, "kind": kind, "severity": severity},
    )
    return row
