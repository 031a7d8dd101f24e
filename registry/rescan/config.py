"""Settings for rescans, alerts and webhook delivery.

The registry's ``Settings`` carries ``rescan_interval_s`` and ``webhooks``; the
finer knobs live here and are read from ``MCP_TRUST_RESCAN_*`` /
``MCP_TRUST_WEBHOOK_*`` variables when the plugin starts (never at import).
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Mapping
from typing import Any

import msgspec

from registry.settings import Settings


def default_worker_id() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class WebhookConfig(msgspec.Struct, frozen=True, kw_only=True):
    urls: tuple[str, ...] = ()  # generic JSON targets from settings
    slack_urls: tuple[str, ...] = ()  # Slack-compatible targets from settings
    secret: str | None = None  # HMAC key for the settings targets
    timeout_s: float = 5.0
    max_attempts: int = 8
    backoff_base_s: float = 5.0
    backoff_cap_s: float = 3600.0
    tick_s: float = 2.0  # how often a replica looks for due deliveries
    batch: int = 20


class RescanConfig(msgspec.Struct, frozen=True, kw_only=True):
    enabled: bool = True
    interval_s: float = 6 * 3600.0  # per server, unless its job row says otherwise
    jitter: float = 0.1  # +- this fraction of the interval, so servers spread out
    tick_s: float = 30.0  # how often a replica asks the database for due rescans
    concurrency: int = 4  # rescans running at once in one replica
    ensure_every_s: float = 60.0  # how often a replica adds schedule rows for new approvals
    lease_s: float = 300.0  # heartbeat every lease_s / 3; a dead worker's lease expires
    failure_alert_after: int = 3  # N failed rescans in a row raise an alert
    score_threshold: float = 50.0  # a score falling below this raises an alert
    upstream_url: str | None = None  # MCP registry base URL to poll for status
    upstream_poll_s: float = 3600.0
    worker_id: str = msgspec.field(default_factory=default_worker_id)
    webhooks: WebhookConfig = msgspec.field(default_factory=WebhookConfig)

    @classmethod
    def from_settings(cls, settings: Settings, env: Mapping[str, str] | None = None) -> RescanConfig:
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        if settings.rescan_interval_s:
            values["interval_s"] = settings.rescan_interval_s
        for field in (
            "jitter",
            "tick_s",
            "concurrency",
            "ensure_every_s",
            "lease_s",
            "failure_alert_after",
            "score_threshold",
            "upstream_url",
            "upstream_poll_s",
            "worker_id",
        ):
            raw = env.get(f"MCP_TRUST_RESCAN_{field.upper()}")
            if raw:
                values[field] = raw
        if env.get("MCP_TRUST_RESCAN_ENABLED"):
            values["enabled"] = env["MCP_TRUST_RESCAN_ENABLED"].lower() in {"1", "true", "yes"}
        hooks: dict[str, Any] = {
            "urls": settings.webhooks.urls,
            "secret": settings.webhooks.secret,
            "timeout_s": settings.webhooks.timeout_s,
            "max_attempts": settings.webhooks.max_attempts,
        }
        for field in ("urls", "slack_urls"):
            raw = env.get(f"MCP_TRUST_WEBHOOK_{field.upper()}")
            if raw:
                hooks[field] = tuple(u.strip() for u in raw.split(",") if u.strip())
        for field in ("secret", "backoff_base_s", "backoff_cap_s", "tick_s", "max_attempts"):
            raw = env.get(f"MCP_TRUST_WEBHOOK_{field.upper()}")
            if raw:
                hooks[field] = raw
        values["webhooks"] = hooks
        try:
            return msgspec.convert(values, cls, strict=False)
        except msgspec.ValidationError as exc:
            raise ValueError(f"bad MCP_TRUST_RESCAN_*/WEBHOOK_* setting: {exc}") from exc
