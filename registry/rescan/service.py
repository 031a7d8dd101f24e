"""The rescan service of one replica: ticks that claim due rescans from the
database, bounded concurrency, lease heartbeats, and "rescan now".

APScheduler (``AsyncIOScheduler``) fires the ticks; it never decides *what* runs.
Each tick asks the database for due rows up to the free capacity, so N replicas
share the work and each due rescan runs once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import anyio
import msgspec
from sqlalchemy import update
from sqlalchemy.engine import Engine

from registry.db import session_scope
from registry.errors import Conflict, NotFound
from registry.models import utcnow
from registry.rescan import jobs, runner
from registry.rescan.config import RescanConfig
from registry.rescan.leases import Lease, heartbeat
from registry.settings import Settings
from registry.tasks import cancel_and_wait
from scanner.models import ScanReport

log = logging.getLogger("mcp_trust.rescan")


def default_scan_fn(settings: Settings) -> runner.ScanFn:
    async def scan(stored: dict[str, Any]) -> ScanReport:
        from registry.services.scanning import (
            ScanFailed,
            detector,
            failure_text,
            network_policy,
            source_from_stored,
            trust_breakdown,
        )
        from scanner.limits import DEFAULT_LIMITS
        from scanner.scan import scan_source

        limits = DEFAULT_LIMITS.scaled_total(settings.scan_timeout_s)
        det = await anyio.to_thread.run_sync(detector)
        try:
            source = source_from_stored(stored, settings)
            report = await scan_source(source, limits=limits, detector=det, network=network_policy(settings))
        except Exception as exc:
            # the run record, its alert and the rescan API get a generic reason; the log the detail
            raise ScanFailed(failure_text(stored, exc, "rescan")) from exc
        # the same trust scoring as a submission scan, so scores compare across scans
        trust = await anyio.to_thread.run_sync(trust_breakdown, stored, report, settings)
        return msgspec.structs.replace(report, trust=trust)

    return scan


def _one_line(exc: BaseException) -> str:
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return f"{type(exc).__name__}: {text}"[:500]


class RescanService:
    def __init__(
        self, engine: Engine, config: RescanConfig, scan_fn: runner.ScanFn, *, actor: str = "system:rescan"
    ) -> None:
        self.engine = engine
        self.config = config
        self.scan_fn = scan_fn
        self.actor = actor
        self.limiter = anyio.CapacityLimiter(max(1, config.concurrency))
        self._tasks: set[asyncio.Task[runner.RunResult]] = set()
        self._last_ensure = -float("inf")
        self.results: list[runner.RunResult] = []  # this replica's finished runs (newest last)

    @property
    def running(self) -> int:
        return len(self._tasks)

    async def tick(self) -> int:
        """Claim due rescans up to the free capacity and start them; returns how many."""
        free = self.config.concurrency - self.running
        if free <= 0:
            return 0  # no capacity: leave due rows to replicas that have some
        now = time.monotonic()
        if now - self._last_ensure >= self.config.ensure_every_s:
            # newly approved servers get their schedule row (cheap, but not every tick)
            self._last_ensure = now
            await anyio.to_thread.run_sync(jobs.ensure_jobs, self.engine, self.config)
        leases = await anyio.to_thread.run_sync(
            lambda: jobs.claim_due(self.engine, self.config.worker_id, limit=free, lease_s=self.config.lease_s)
        )
        for lease in leases:
            task = asyncio.create_task(self._scheduled(lease))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return len(leases)

    async def _scheduled(self, lease: Lease) -> runner.RunResult:
        try:
            return await self.run_lease(lease, "schedule")
        except Exception:  # database trouble mid-run: the lease expires and the run is retried
            log.exception("scheduled rescan %s crashed", lease)
            return runner.RunResult(server="?", status="lost", trigger="schedule")

    async def drain(self) -> list[runner.RunResult]:
        """Wait for the rescans this replica has started (tests, benchmarks, shutdown)."""
        results: list[runner.RunResult] = []
        while self._tasks:
            done = await asyncio.gather(*list(self._tasks), return_exceptions=True)
            results.extend(r for r in done if isinstance(r, runner.RunResult))
        return results

    async def rescan_now(self, server_name: str) -> runner.RunResult:
        exists = await anyio.to_thread.run_sync(self._server_state, server_name)
        if exists is None:
            raise NotFound(f"no server named {server_name!r}")
        if exists not in runner.RESCAN_STATES:
            raise Conflict(f"server {server_name!r} is {exists}; only approved or drifted servers are rescanned")
        lease = await anyio.to_thread.run_sync(
            jobs.claim_server, self.engine, self.config, self.config.worker_id, server_name
        )
        if lease is None:
            raise Conflict(f"a rescan of {server_name!r} is running right now; try again later")
        return await self.run_lease(lease, "manual")

    def _server_state(self, name: str) -> str | None:
        from sqlmodel import Session, select

        from registry.models import Server

        with Session(self.engine) as session:
            row = session.exec(select(Server.state).where(Server.name == name)).first()
        return str(row) if row is not None else None

    async def run_lease(self, lease: Lease, trigger: str) -> runner.RunResult:
        target = await anyio.to_thread.run_sync(self._load, lease)
        if target is None:
            return runner.RunResult(server="?", status="lost", trigger=trigger)
        if target.state not in runner.RESCAN_STATES:
            result = await anyio.to_thread.run_sync(self._skip, lease, target, trigger)
            return self._keep(result)
        if target.source is None:  # an approval that pins nothing: say so, never scan something else
            why = target.error or "no pinned source to rescan"
            result = await anyio.to_thread.run_sync(self._record, lease, target, trigger, None, why)
            return self._keep(result)
        report: ScanReport | None = None
        error: str | None = None
        async with self.limiter, anyio.create_task_group() as tg:
            tg.start_soon(self._heartbeat, lease, tg.cancel_scope)
            try:
                with anyio.fail_after(self.config.lease_s * 4):
                    report = await self.scan_fn(target.source)
            except Exception as exc:  # noqa: BLE001 - every failure is recorded as a failed run
                error = _one_line(exc)
            tg.cancel_scope.cancel()
        if lease.token == "":  # the heartbeat found the lease taken over
            return self._keep(runner.RunResult(server=target.server, status="lost", trigger=trigger))
        try:
            result = await anyio.to_thread.run_sync(self._record, lease, target, trigger, report, error)
        except runner.LeaseLost:
            log.warning("rescan of %s: lease lost before the result was recorded", target.server)
            result = runner.RunResult(server=target.server, status="lost", trigger=trigger)
        return self._keep(result)

    def _keep(self, result: runner.RunResult) -> runner.RunResult:
        self.results.append(result)
        return result

    def _load(self, lease: Lease) -> runner.Target | None:
        from sqlmodel import Session

        with Session(self.engine) as session:
            return runner.load_target(session, lease)

    def _record(
        self, lease: Lease, target: runner.Target, trigger: str, report: ScanReport | None, error: str | None
    ) -> runner.RunResult:
        with session_scope(self.engine) as session:
            if report is None:
                return runner.record_failure(
                    session, lease, self.config, target, trigger=trigger, error=error or "scan failed", actor=self.actor
                )
            return runner.record_success(
                session, lease, self.config, target, trigger=trigger, report=report, actor=self.actor
            )

    def _skip(self, lease: Lease, target: runner.Target, trigger: str) -> runner.RunResult:
        """Not scheduled any more (revoked, decommissioned): push the row out."""
        with session_scope(self.engine) as session:
            session.execute(
                update(jobs.JOBS)
                .where(jobs.JOBS.c.id == lease.row_id, jobs.JOBS.c.lease_token == lease.token)
                .values(
                    lease_owner=None,
                    lease_token=None,
                    lease_expires_at=None,
                    attempts=0,
                    last_status="skipped",
                    next_due_at=jobs.next_due(utcnow(), target.interval_s, self.config.jitter),
                )
            )
        return runner.RunResult(server=target.server, status="skipped", trigger=trigger)

    async def _heartbeat(self, lease: Lease, scope: anyio.CancelScope) -> None:
        period = max(0.05, self.config.lease_s / 3)
        while True:
            await anyio.sleep(period)
            lost = await anyio.to_thread.run_sync(
                lambda: heartbeat(self.engine, jobs.JOBS, [lease], self.config.lease_s, utcnow())
            )
            if lost:
                log.warning("rescan lease %s lost; abandoning the scan", lease)
                lease.token = ""
                scope.cancel()
                return

    async def stop(self) -> None:
        """Cancel running rescans and hand their rows back at once (not at lease expiry),
        so another replica can pick them up on its next tick."""
        await cancel_and_wait(list(self._tasks))
        await anyio.to_thread.run_sync(self._release_all)

    def _release_all(self) -> None:
        with session_scope(self.engine) as session:
            session.execute(
                update(jobs.JOBS)
                .where(jobs.JOBS.c.lease_owner == self.config.worker_id)
                .values(lease_owner=None, lease_token=None, lease_expires_at=None)
            )
