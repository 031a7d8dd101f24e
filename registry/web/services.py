"""Service calls the web UI needs that the registry's service layer may not offer yet.

Acknowledging an alert: when ``registry.services.alerts`` (engineers D/E) provides
``acknowledge(session, alert_id, actor)``, it is used; until then this module does
the same minimal thing, conditionally and with an audit event, so acknowledging
twice (two tabs, two reviewers) records one acknowledgement.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col

from registry.errors import NotFound
from registry.models import Alert, utcnow
from registry.services import alerts as alert_service
from registry.services import audit


def acknowledge_alert(session: Session, alert_id: int, actor: str) -> None:
    provided: Callable[..., Any] | None = getattr(alert_service, "acknowledge", None)
    if provided is not None:
        provided(session, alert_id, actor)
        return
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise NotFound(f"no alert {alert_id}")
    changed = session.execute(
        update(Alert)
        .where(col(Alert.id) == alert_id, col(Alert.acknowledged_at).is_(None))
        .values(acknowledged_by=actor, acknowledged_at=utcnow())
    ).rowcount  # type: ignore[attr-defined]
    if changed == 1:
        audit.append_event(
            session,
            actor=actor,
            action="alert.acknowledge",
            subject=f"server:{alert.server_name}",
            details={"alert_id": alert_id, "kind": alert.kind},
        )
