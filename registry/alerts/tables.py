"""Webhook targets and the delivery outbox (created by migration 0002).

An ``alert_deliveries`` row is inserted in the same transaction as its alert
(see ``registry.alerts.outbox``), so an alert committed is an alert that will be
delivered, and an alert rolled back is never sent. The body is rendered from the
alert row at each attempt; alert rows do not change after commit (only their
acknowledgement, which the body leaves out), so every retry sends the same bytes.
The delivery id doubles as the receiver's idempotency key.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Column, DateTime, Index, Text
from sqlmodel import Field, SQLModel

from registry.models import utcnow


class WebhookTarget(SQLModel, table=True):
    __tablename__ = "webhook_targets"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    url: str = Field(max_length=2000)
    format: str = Field(default="generic", max_length=20)  # generic | slack
    # HMAC key; must be readable to sign, so it is stored as given (see docs/webhooks.md)
    secret: str | None = Field(default=None, max_length=200)
    kinds: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    enabled: bool = Field(default=True)
    origin: str = Field(default="api", max_length=20)  # api | settings
    created_by: str = Field(default="settings", max_length=200)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))


class DeliveryStatus:
    PENDING = "pending"  # waiting for next_attempt_at (first try or a retry)
    DELIVERED = "delivered"
    DEAD = "dead"  # max attempts reached; stays visible, can be retried by an admin


class AlertDelivery(SQLModel, table=True):
    __tablename__ = "alert_deliveries"
    __table_args__ = (Index("ix_alert_deliveries_due", "status", "next_attempt_at"),)
    id: int | None = Field(default=None, primary_key=True)
    alert_id: int = Field(foreign_key="alerts.id", index=True)
    target_id: int = Field(foreign_key="webhook_targets.id", index=True)
    status: str = Field(default=DeliveryStatus.PENDING, max_length=20)
    attempts: int = Field(default=0)
    next_attempt_at: dt.datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    lease_owner: str | None = Field(default=None, max_length=120)
    lease_token: str | None = Field(default=None, max_length=40)
    lease_expires_at: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    last_status_code: int | None = Field(default=None)
    delivered_at: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))


def target_wants(kinds: list[str] | None, kind: str) -> bool:
    return not kinds or kind in kinds
