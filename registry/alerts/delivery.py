"""The delivery worker: claims due outbox rows with a lease, POSTs them, records
the outcome with exponential backoff, and gives up (``dead``) after max attempts.

Any replica may run it; the lease makes sure one row is in flight at one worker.
A 2xx answer is a delivery. The lease outlives the HTTP timeout, so a row cannot
be claimed by another replica while its POST is still in flight; a worker that
dies after the receiver answered but before recording it causes one resend with
the same ``X-MCP-Trust-Delivery`` id, which receivers use to deduplicate.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import anyio
import httpx
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from registry.alerts import outbox
from registry.alerts.payloads import render
from registry.alerts.signing import DELIVERY_HEADER, EVENT_HEADER, signed_headers
from registry.models import Alert
from registry.rescan.config import WebhookConfig
from registry.rescan.leases import Lease, fenced

log = logging.getLogger("mcp_trust.alerts.delivery")


@dataclass(frozen=True)
class Outgoing:
    delivery_id: int
    url: str
    secret: str | None
    fmt: str
    kind: str
    body: bytes


def _load(engine: Engine, lease: Lease) -> Outgoing | None:
    d, t = outbox.DELIVERIES, outbox.TARGETS
    query = (
        select(d.c.id, d.c.alert_id, t.c.url, t.c.secret, t.c.format)
        .join(t, t.c.id == d.c.target_id)
        .where(fenced(d, lease))
    )
    with Session(engine) as session:
        row = session.execute(query).first()
        alert = session.get(Alert, row.alert_id) if row is not None else None
    if row is None or alert is None:
        return None
    body = render(outbox.alert_doc(alert), row.format)
    return Outgoing(row.id, row.url, row.secret, row.format, alert.kind, body)


class DeliveryWorker:
    def __init__(
        self, engine: Engine, config: WebhookConfig, owner: str, client: httpx.AsyncClient | None = None
    ) -> None:
        self.engine = engine
        self.config = config
        self.owner = owner
        self._client = client

    @property
    def lease_s(self) -> float:
        return self.config.timeout_s * 2 + 30.0

    async def tick(self) -> int:
        """Deliver every row due now; returns how many were attempted."""
        leases = await anyio.to_thread.run_sync(self._claim)
        if not leases:
            return 0
        client = self._client or httpx.AsyncClient(timeout=self.config.timeout_s)
        try:
            async with anyio.create_task_group() as tg:
                for lease in leases:
                    tg.start_soon(self._deliver, client, lease)
        finally:
            if self._client is None:
                await client.aclose()
        return len(leases)

    def _claim(self) -> list[Lease]:
        return outbox.claim_due(self.engine, self.owner, limit=self.config.batch, lease_s=self.lease_s)

    async def _deliver(self, client: httpx.AsyncClient, lease: Lease) -> None:
        item = await anyio.to_thread.run_sync(_load, self.engine, lease)
        if item is None:
            return
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "mcp-trust-webhooks/1",
            EVENT_HEADER: item.kind,
            DELIVERY_HEADER: str(item.delivery_id),
        }
        if item.secret:
            headers.update(signed_headers(item.secret, item.body))
        error, status = await self._post(client, item, headers)
        if error is None:
            await anyio.to_thread.run_sync(outbox.record_success, self.engine, lease, status or 200)
            return
        log.warning("webhook delivery %s to target failed: %s", item.delivery_id, error)
        cfg = self.config
        await anyio.to_thread.run_sync(
            lambda: outbox.record_failure(
                self.engine,
                lease,
                error=error,
                status_code=status,
                max_attempts=cfg.max_attempts,
                base_s=cfg.backoff_base_s,
                cap_s=cfg.backoff_cap_s,
            )
        )

    async def _post(
        self, client: httpx.AsyncClient, item: Outgoing, headers: dict[str, str]
    ) -> tuple[str | None, int | None]:
        try:
            response = await client.post(
                item.url, content=item.body, headers=headers, timeout=self.config.timeout_s, follow_redirects=False
            )
        except httpx.HTTPError as exc:
            return f"{type(exc).__name__}: {exc}"[:500] or type(exc).__name__, None
        if 200 <= response.status_code < 300:
            return None, response.status_code
        return f"HTTP {response.status_code}", response.status_code
