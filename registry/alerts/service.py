"""Alerts and webhook targets: queries and changes behind the API (one session each)."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from registry.alerts.schemas import AlertDetail, DeliveryOut, WebhookCreated, WebhookIn, WebhookOut
from registry.alerts.tables import AlertDelivery, DeliveryStatus, WebhookTarget
from registry.api.common import Page, clamp, decode_cursor, page
from registry.api.schemas import AlertOut, alert_out
from registry.auth import Principal
from registry.errors import Conflict, NotFound
from registry.models import Alert, as_utc, utcnow
from registry.services import audit


def list_alerts(session: Session, *, kind: str | None, server: str | None,
                acknowledged: bool | None, cursor: str | None, limit: int) -> Page[AlertOut]:
    limit = clamp(limit)
    stmt = select(Alert)
    if kind:
        stmt = stmt.where(Alert.kind == kind)
    if server:
        stmt = stmt.where(Alert.server_name == server)
    if acknowledged is not None:
        ack = col(Alert.acknowledged_at)
        stmt = stmt.where(ack.is_not(None) if acknowledged else ack.is_(None))
    after = decode_cursor(cursor)
    if after is not None:
        stmt = stmt.where(col(Alert.id) < after[1])
    rows = session.exec(stmt.order_by(col(Alert.id).desc()).limit(limit + 1)).all()
    return page([alert_out(r) for r in rows], limit, key=lambda a: None, ident=lambda a: a.id)


def _deliveries(session: Session, alert_id: int) -> list[DeliveryOut]:
    rows = session.exec(
        select(AlertDelivery, WebhookTarget)
        .join(WebhookTarget, col(WebhookTarget.id) == AlertDelivery.target_id)
        .where(AlertDelivery.alert_id == alert_id).order_by(col(AlertDelivery.id))
    ).all()
    now = utcnow()
    out = []
    for d, t in rows:
        expires = as_utc(d.lease_expires_at)
        out.append(DeliveryOut(
            id=d.id or 0, target_id=t.id or 0, target=t.name, status=d.status, attempts=d.attempts,
            last_error=d.last_error, last_status_code=d.last_status_code,
            next_attempt_at=as_utc(d.next_attempt_at) if d.status == DeliveryStatus.PENDING else None,
            delivered_at=as_utc(d.delivered_at), in_flight=expires is not None and expires > now))
    return out


def alert_detail(session: Session, alert_id: int) -> AlertDetail:
    row = session.get(Alert, alert_id)
    if row is None:
        raise NotFound(f"no alert {alert_id}")
    base = alert_out(row)
    return AlertDetail(**{f: getattr(base, f) for f in base.__struct_fields__},
                       deliveries=_deliveries(session, alert_id))


def acknowledge(session: Session, alert_id: int, reason: str, who: Principal) -> AlertDetail:
    """Conditional: of two people acknowledging at once, one wins and the other gets 409."""
    if session.get(Alert, alert_id) is None:
        raise NotFound(f"no alert {alert_id}")
    done = session.execute(
        update(Alert).where(col(Alert.id) == alert_id, col(Alert.acknowledged_at).is_(None))
        .values(acknowledged_by=who.actor, acknowledged_at=utcnow())
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(f"alert {alert_id} was already acknowledged")
    audit.append_event(session, actor=who.actor, action="alert.acknowledge",
                       subject=f"alert:{alert_id}", reason=reason or None, details={})
    session.expire_all()
    return alert_detail(session, alert_id)


def webhook_out(t: WebhookTarget) -> WebhookOut:
    return WebhookOut(id=t.id or 0, name=t.name, url=_display_url(t.url), format=t.format,
                      kinds=list(t.kinds) if t.kinds else None, enabled=t.enabled, origin=t.origin,
                      has_secret=bool(t.secret), created_at=as_utc(t.created_at) or utcnow())


def _display_url(url: str) -> str:
    # Slack-style URLs carry their credential in the path; show the host and a hint only
    head, _, rest = url.partition("://")
    host, _, path = rest.partition("/")
    return f"{head}://{host}/" + ("..." if path else "")


def list_webhooks(session: Session) -> list[WebhookOut]:
    rows = session.exec(select(WebhookTarget).order_by(col(WebhookTarget.id))).all()
    return [webhook_out(r) for r in rows]


def create_webhook(session: Session, body: WebhookIn, who: Principal) -> WebhookCreated:
    secret = body.secret
    if secret is None and body.format == "generic":
        secret = secrets.token_urlsafe(32)
    row = WebhookTarget(name=body.name, url=body.url, format=body.format, secret=secret,
                        kinds=body.kinds, origin="api", created_by=who.actor)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError as exc:
        raise Conflict(f"a webhook named {body.name!r} exists") from exc
    audit.append_event(session, actor=who.actor, action="webhook.create",
                       subject=f"webhook:{body.name}",
                       details={"format": body.format, "kinds": body.kinds or []})
    return WebhookCreated(webhook=webhook_out(row), secret=secret if body.secret is None else None)


def delete_webhook(session: Session, webhook_id: int, who: Principal) -> WebhookOut:
    """Disables the target (its delivery history stays); pending deliveries become dead."""
    row = session.get(WebhookTarget, webhook_id)
    if row is None:
        raise NotFound(f"no webhook {webhook_id}")
    if row.origin == "settings":
        raise Conflict("this webhook comes from the registry settings; change them instead")
    row.enabled = False
    session.add(row)
    session.execute(update(AlertDelivery).where(col(AlertDelivery.target_id) == webhook_id,
                                                col(AlertDelivery.status) == DeliveryStatus.PENDING)
                    .values(status=DeliveryStatus.DEAD, last_error="webhook disabled"))
    audit.append_event(session, actor=who.actor, action="webhook.disable",
                       subject=f"webhook:{row.name}", details={})
    return webhook_out(row)


def sync_settings_targets(session: Session, targets: list[dict[str, Any]]) -> None:
    """Make the ``origin='settings'`` rows match the configured URLs (every replica
    runs this at start; names are derived from position so the rows are stable)."""
    wanted = {t["name"]: t for t in targets}
    rows = session.exec(select(WebhookTarget).where(WebhookTarget.origin == "settings")).all()
    existing = {r.name: r for r in rows}
    for name, spec in wanted.items():
        row = existing.get(name) or WebhookTarget(name=name, origin="settings", url=spec["url"])
        row.url, row.format, row.secret, row.enabled = spec["url"], spec["format"], spec["secret"], True
        session.add(row)
    for name, row in existing.items():
        if name not in wanted:
            row.enabled = False
            session.add(row)
    session.flush()
