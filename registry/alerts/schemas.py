"""Bodies of the alerts and webhooks API (msgspec Structs; rows never leave the service)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import msgspec

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._:-]+$")]
Url = Annotated[str, msgspec.Meta(min_length=8, max_length=2000, pattern=r"^https?://")]
Secret = Annotated[str, msgspec.Meta(min_length=16, max_length=200)]
Kind = Annotated[str, msgspec.Meta(min_length=1, max_length=40)]


class DeliveryOut(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    target_id: int
    target: str
    status: str  # pending | delivered | dead
    attempts: int
    last_error: str | None
    last_status_code: int | None
    next_attempt_at: dt.datetime | None  # null once delivered or dead
    delivered_at: dt.datetime | None
    in_flight: bool  # a worker holds a live lease on it right now


class AlertDetail(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    kind: str
    server: str | None
    severity: str
    payload: dict[str, Any]
    created_at: dt.datetime
    acknowledged_by: str | None
    acknowledged_at: dt.datetime | None
    deliveries: list[DeliveryOut]


class AcknowledgeIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(max_length=4000)] = ""


class WebhookIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: Name
    url: Url
    format: Literal["generic", "slack"] = "generic"
    secret: Secret | None = None  # generic targets get a generated one when omitted
    kinds: Annotated[list[Kind], msgspec.Meta(max_length=50)] | None = None  # None: all kinds


class WebhookOut(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    name: str
    url: str
    format: str
    kinds: list[str] | None
    enabled: bool
    origin: str
    has_secret: bool
    created_at: dt.datetime


class WebhookCreated(msgspec.Struct, frozen=True, kw_only=True):
    webhook: WebhookOut
    secret: str | None  # shown once; sign-verification key for the receiver
