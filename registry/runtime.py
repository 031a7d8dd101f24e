"""Per-app runtime state: engine, verify index, token store, scan workers, and the
background tasks that keep the index fresh and write verify side effects.

Cross-replica freshness: on PostgreSQL a dedicated psycopg async connection LISTENs
on ``mcp_trust_changes``; on SQLite (and as a backstop on PostgreSQL, in case a
notification is lost over a reconnect) the change counter is polled.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

import anyio.to_thread
from sqlalchemy.engine import Engine
from sqlmodel import Session

from registry.auth import OidcVerifier, TokenStore
from registry.db import is_postgres, session_scope
from registry.services import audit, changes
from registry.services.checkpoint_writer import CheckpointWriter
from registry.services.confirm import report_request
from registry.services.scanning import ScanWorkers
from registry.services.verify import VerifyIndex, VerifyRequest, load_entries
from registry.settings import Settings
from registry.tasks import cancel_and_wait

log = logging.getLogger("registry.runtime")

POSTGRES_BACKSTOP_POLL_S = 5.0
LAST_USED_FLUSH_S = 10.0  # token last-used times are written in batches, off the request path
BATCH = 200


class Runtime:
    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine
        self.index = VerifyIndex(settings.verify_cache_ttl_s)
        self.tokens = TokenStore(engine)
        self.oidc = OidcVerifier(settings.oidc) if settings.oidc else None
        self.scans = ScanWorkers(engine, settings)
        self.checkpoints = CheckpointWriter(engine, settings)  # signed audit heads, outside the database
        self._effects: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []
        self._reload_lock = asyncio.Lock()
        self._writing = False
        self._flushed_at = time.monotonic()

    # -- freshness -------------------------------------------------------
    def _load(self) -> tuple[int, Any]:
        with Session(self.engine) as session:
            version = changes.current(session)
        entries = load_entries(self.engine)
        self.tokens.reload()
        return version, entries

    async def refresh(self) -> None:
        """Reload the index now (after a local decision, or when the counter moved)."""
        async with self._reload_lock:
            version, entries = await anyio.to_thread.run_sync(self._load)
            self.index.replace(entries, version)

    def _counter(self) -> int:
        with Session(self.engine) as session:
            return changes.current(session)

    async def _poll(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                if await anyio.to_thread.run_sync(self._counter) != self.index.version:
                    await self.refresh()
                if time.monotonic() - self._flushed_at > LAST_USED_FLUSH_S:
                    self._flushed_at = time.monotonic()
                    await anyio.to_thread.run_sync(self.tokens.flush_last_used)
            except Exception:
                log.exception("index poll failed")

    async def _listen(self) -> None:
        import psycopg

        url = self.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {changes.CHANNEL}")
                    await self.refresh()  # anything missed while not listening
                    async for _ in conn.notifies():
                        await self.refresh()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("LISTEN connection lost; reconnecting")
                await asyncio.sleep(1.0)

    # -- verify side effects ---------------------------------------------
    def record_verify(self, req: VerifyRequest, actor: str, reason: str, observed: str | None) -> None:
        if observed is not None:
            self.index.mark_observed(req.server, observed)  # report each drift once per replica
            self._effects.put_nowait(("drift", (req, actor, observed)))
        if reason != "approved":
            self._effects.put_nowait(("deny", (req.server, actor, reason, req.manifest_sha256 or observed)))

    async def _effects_loop(self) -> None:
        while True:
            batch = [await self._effects.get()]
            self._writing = True  # no await since get(): idle never reads a gap
            try:
                while not self._effects.empty() and len(batch) < BATCH:
                    batch.append(self._effects.get_nowait())
                await self._apply(batch)
            except Exception:
                log.exception("writing verify side effects failed")
            finally:
                self._writing = False

    async def _apply(self, batch: list[tuple[str, Any]]) -> None:
        try:
            scan_ids = await anyio.to_thread.run_sync(self._write_effects, batch)
        except Exception:
            # one bad item must not lose the others: write them one transaction each
            log.exception("batch of %d verify side effects failed; retrying one by one", len(batch))
            scan_ids = []
            for item in batch:
                try:
                    scan_ids += await anyio.to_thread.run_sync(self._write_effects, [item])
                except Exception:
                    log.exception("verify side effect %s for %s failed", item[0], item[1])
        for scan_id in scan_ids:
            self.scans.enqueue(scan_id)
        if any(kind == "drift" for kind, _ in batch):
            await self.refresh()

    def _write_effects(self, batch: list[tuple[str, Any]]) -> list[int]:
        scan_ids: list[int] = []
        with session_scope(self.engine) as session:
            for kind, data in batch:
                if kind == "deny":
                    server, actor, reason, sha = data
                    audit.append_event(
                        session,
                        actor=actor,
                        action="verify.deny",
                        subject=f"server:{server}",
                        reason=reason,
                        details={"manifest_sha256": sha},
                    )
                else:
                    req, actor, _ = data
                    # recorded and confirmed by the registry's own scan, never taken on trust
                    scan_id = report_request(session, req, actor=actor)  # its manifest and surface
                    if scan_id is not None:
                        scan_ids.append(scan_id)
        return scan_ids

    def effects_idle(self) -> bool:
        """True when every queued verify side effect has been written (tests poll this)."""
        return self._effects.empty() and not self._writing

    # -- lifecycle -------------------------------------------------------
    async def start(self) -> None:
        await self.refresh()
        self._tasks.append(asyncio.create_task(self._effects_loop()))
        if not self.settings.start_workers:
            return
        await self.scans.start()
        if is_postgres(str(self.engine.url)):
            self._tasks.append(asyncio.create_task(self._listen()))
            self._tasks.append(asyncio.create_task(self._poll(POSTGRES_BACKSTOP_POLL_S)))
        else:
            self._tasks.append(asyncio.create_task(self._poll(self.settings.index_poll_s)))
        self._tasks.append(asyncio.create_task(self.checkpoints.run()))

    async def stop(self) -> None:
        await self.scans.stop()
        await cancel_and_wait(self._tasks)
        await self.checkpoints.stop()
        with contextlib.suppress(Exception):
            await anyio.to_thread.run_sync(self.tokens.flush_last_used)
