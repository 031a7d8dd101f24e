"""Feature plug-in (listed in ``registry.features``): rescans, alerts, webhooks.

On startup it installs the outbox listener, makes the settings-configured webhook
targets rows, and (when ``Settings.start_workers``) starts an ``AsyncIOScheduler``
with three interval jobs: claim due rescans, deliver due webhooks, poll the
upstream registry. ``app.state["rescan_config"]`` and ``app.state["rescan_scan_fn"]``,
when set before startup, replace the configuration read from the environment and
the real scanner (tests and benchmarks).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import anyio
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from litestar import Litestar
from litestar.types import ControllerRouterHandler
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from registry.alerts import outbox, service
from registry.alerts.api import AlertController, WebhookController
from registry.alerts.delivery import DeliveryWorker
from registry.db import session_scope
from registry.rescan import upstream
from registry.rescan.api import RescanController
from registry.rescan.config import RescanConfig
from registry.rescan.service import RescanService, default_scan_fn
from registry.runtime import Runtime
from registry.settings import Settings

log = logging.getLogger("mcp_trust.rescan")


def route_handlers(settings: Settings) -> Sequence[ControllerRouterHandler]:
    outbox.install()  # every process that builds the app writes outbox rows for its alerts
    return [RescanController, AlertController, WebhookController]


def settings_targets(config: RescanConfig) -> list[dict[str, Any]]:
    hooks = config.webhooks
    out = [{"name": f"settings-generic-{i}", "url": u, "format": "generic", "secret": hooks.secret}
           for i, u in enumerate(hooks.urls)]
    out += [{"name": f"settings-slack-{i}", "url": u, "format": "slack", "secret": hooks.secret}
            for i, u in enumerate(hooks.slack_urls)]
    return out


def sync_targets(engine: Engine, config: RescanConfig) -> None:
    targets = settings_targets(config)
    for attempt in range(3):  # replicas starting together race on the unique name
        try:
            with session_scope(engine) as session:
                service.sync_settings_targets(session, targets)
            return
        except IntegrityError:
            if attempt == 2:
                raise


RUNNING: set[asyncio.Task[Any]] = set()  # job runs in flight, awaited at shutdown


def quiet_on_cancel(fn: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[None]]:
    """A job cancelled by shutdown ends quietly (APScheduler would log it as a crash),
    and is tracked so shutdown can wait for the database call it was in to return
    its connection before the engine is disposed. Whatever the job held is safe:
    leases expire, and ``RescanService.stop`` hands back this replica's rows."""

    async def job(*args: Any) -> None:
        task = asyncio.current_task()
        if task is not None:
            RUNNING.add(task)
        try:
            await fn(*args)
        except asyncio.CancelledError:
            return
        finally:
            if task is not None:
                RUNNING.discard(task)

    job.__name__ = getattr(fn, "__name__", "job")
    return job


def build_scheduler(rescans: RescanService, worker: DeliveryWorker,
                    config: RescanConfig) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone="UTC")
    common: dict[str, Any] = {"max_instances": 1, "coalesce": True, "misfire_grace_time": None}
    if config.enabled:
        scheduler.add_job(quiet_on_cancel(rescans.tick), "interval", seconds=config.tick_s,
                          jitter=config.tick_s / 10, id="rescan-tick", **common)
    scheduler.add_job(quiet_on_cancel(worker.tick), "interval", seconds=config.webhooks.tick_s,
                      jitter=config.webhooks.tick_s / 10, id="webhook-delivery", **common)
    if config.upstream_url:
        url = config.upstream_url
        scheduler.add_job(quiet_on_cancel(upstream.poll), "interval", args=[rescans.engine, url],
                          seconds=config.upstream_poll_s, id="upstream-poll", **common)
    return scheduler


async def on_startup(app: Litestar) -> None:
    settings: Settings = app.state["settings"]
    runtime: Runtime = app.state["runtime"]
    config: RescanConfig = app.state.get("rescan_config") or RescanConfig.from_settings(settings)
    outbox.install()
    await anyio.to_thread.run_sync(sync_targets, runtime.engine, config)
    scan_fn = app.state.get("rescan_scan_fn") or default_scan_fn(settings)
    rescans = RescanService(runtime.engine, config, scan_fn)
    worker = DeliveryWorker(runtime.engine, config.webhooks, config.worker_id)
    app.state["rescans"] = rescans
    app.state["deliveries"] = worker
    if settings.start_workers:
        # APScheduler logs every run (INFO) and every tick skipped while the previous one
        # still runs (WARNING, expected with max_instances=1): noise, not news
        logging.getLogger("apscheduler").setLevel(logging.ERROR)
        scheduler = build_scheduler(rescans, worker, config)
        scheduler.start()
        app.state["rescan_scheduler"] = scheduler
        log.info("rescans every %.0f s per server (tick %.1f s, %d at once), worker %s",
                 config.interval_s, config.tick_s, config.concurrency, config.worker_id)


async def on_shutdown(app: Litestar) -> None:
    scheduler: AsyncIOScheduler | None = app.state.get("rescan_scheduler")
    if scheduler is not None:
        scheduler.shutdown(wait=False)  # cancels the job runs in flight...
        mine = [t for t in RUNNING if t.get_loop() is asyncio.get_running_loop()]
        await asyncio.gather(*mine, return_exceptions=True)  # ...and we let them unwind
    rescans: RescanService | None = app.state.get("rescans")
    if rescans is not None:
        await rescans.stop()
