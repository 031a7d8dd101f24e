"""Writing signed audit checkpoints outside the database, on a schedule and on demand.

Each replica signs the chain head every ``Settings.audit_checkpoint_interval_s`` (when
it moved since this replica's last checkpoint) and whenever ``POST
/v1/audit/checkpoints`` asks. A checkpoint goes to an append-only JSON-lines file
and/or is POSTed to a URL. Neither ever blocks a request: the file append runs on a
worker thread, the POST in a background task with a bounded timeout. A destination
that fails keeps its checkpoints queued (bounded, oldest dropped with an error in the
log) and they are retried, in order, at the next tick.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import urllib.parse
from collections import deque
from pathlib import Path

import anyio.to_thread
import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.engine import Engine

from registry.db import session_scope
from registry.services.checkpoints import (
    Checkpoint,
    CheckpointError,
    check_chain_holds,
    checkpoint_file,
    encode_line,
    key_path,
    read_head,
    sign_checkpoint,
)
from registry.settings import Settings
from registry.snapshot.signing import SigningKeyError, load_or_create_key
from registry.tasks import cancel_and_wait
from scanner.contract.snapshot import key_id

log = logging.getLogger("registry.audit")

DELIVERY_TIMEOUT_S = 5.0
MAX_PENDING = 10_000  # per destination: 34 days of 5-minute checkpoints


def load_signing_key(path: Path) -> Ed25519PrivateKey:
    """The audit key at ``path``, created (0600) on first use; a bad file is a CheckpointError."""
    existed = path.exists()
    try:
        key = load_or_create_key(path)
    except (SigningKeyError, OSError) as exc:
        raise CheckpointError(f"audit signing key: {exc}") from exc
    if not existed:
        log.warning("created the audit signing key %s (key id %s)", path, key_id(key.public_key()))
    return key


def append_lines(path: Path, data: bytes) -> None:
    """Append in one write (O_APPEND: whole lines even with several writers) and fsync."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def describe(settings: Settings) -> str:
    """One line for ``mcp-trust serve``: where checkpoints go and which key signs them
    (the key is created here on the first start, so its public half can be handed out)."""
    _checked_url(settings.audit_checkpoint_url)
    key = load_signing_key(key_path(settings))
    where = [str(p) for p in (checkpoint_file(settings),) if p]
    if settings.audit_checkpoint_url:  # printed without credentials or query (it may hold a token)
        url = urllib.parse.urlsplit(settings.audit_checkpoint_url)
        where.append(f"{url.scheme}://{url.hostname}{f':{url.port}' if url.port else ''}{url.path}")
    interval = settings.audit_checkpoint_interval_s
    when = f"every {interval:g} s" if interval and interval > 0 else "on demand only"
    return f"{when} to {' and '.join(where)}, key id {key_id(key.public_key())} ({key_path(settings)})"


def _push(queue: deque[bytes], line: bytes, name: str) -> None:
    if len(queue) >= MAX_PENDING:
        queue.popleft()
        log.error("audit checkpoint queue for %s is full: dropped the oldest undelivered checkpoint", name)
    queue.append(line)


def _checked_url(url: str | None) -> str | None:
    """A bad webhook setting is a start-up error, not a failure at every tick."""
    if url and (urllib.parse.urlsplit(url).scheme not in {"http", "https"} or not urllib.parse.urlsplit(url).hostname):
        raise ValueError("MCP_TRUST_AUDIT_CHECKPOINT_URL must be an http:// or https:// URL with a host")
    return url or None


def _why(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.HTTPStatusError):
        return f"HTTP {exc.response.status_code}"
    return str(exc) or type(exc).__name__  # timeouts often carry no message


class CheckpointWriter:
    """Signs the chain head and hands each checkpoint to the configured destinations."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.key_path = key_path(settings)
        self.file = checkpoint_file(settings)
        self.url = _checked_url(settings.audit_checkpoint_url)
        self.interval_s = settings.audit_checkpoint_interval_s
        self._key: Ed25519PrivateKey | None = None  # loaded on first use, never at import or start
        self._sign_lock = threading.Lock()  # the scheduled tick and the endpoint sign one at a time
        self._file_lock = threading.Lock()
        self._file_pending: deque[bytes] = deque()
        self._url_pending: deque[bytes] = deque()  # deque appends/pops are thread-safe
        self._last: Checkpoint | None = None  # the newest this process signed
        self._post_lock = asyncio.Lock()
        self._posts: set[asyncio.Task[None]] = set()

    def _head(self) -> tuple[int, str]:
        """The head to sign, refused if the chain no longer holds the last one this process
        signed (rolled back or rewritten since): never vouch for a chain that lost history."""
        with session_scope(self.engine) as session:
            head = read_head(session)
            if self._last is not None:
                problem = check_chain_holds(session, head[0], [("last written by this registry", self._last)])
                if problem is not None:
                    raise CheckpointError(f"refusing to sign the audit head: {problem}")
        return head

    def _sign_and_queue(self, count: int, head: str) -> Checkpoint:
        if self._key is None:
            self._key = load_signing_key(self.key_path)
        cp = sign_checkpoint(self._key, count, head)
        line = encode_line(cp)
        self._last = cp
        if self.file is not None:
            with self._file_lock:
                _push(self._file_pending, line, str(self.file))
        if self.url:
            _push(self._url_pending, line, self.url)
        self._flush_file()
        return cp

    def _checkpoint_now(self) -> Checkpoint:
        with self._sign_lock:
            return self._sign_and_queue(*self._head())

    def _checkpoint_if_moved(self) -> None:
        with self._sign_lock:
            head = self._head()
            if self._last is None or head != (self._last.count, self._last.head):  # unchanged: nothing new
                self._sign_and_queue(*head)

    def _flush_file(self) -> None:
        if self.file is None:
            return
        with self._file_lock:
            if not self._file_pending:
                return
            try:
                append_lines(self.file, b"".join(self._file_pending))
            except OSError as exc:
                log.error("cannot append audit checkpoints to %s (%s); retrying at the next tick", self.file, exc)
                return
            self._file_pending.clear()

    async def _flush_url(self) -> None:
        if not self.url or not self._url_pending:
            return
        async with self._post_lock, httpx.AsyncClient(timeout=DELIVERY_TIMEOUT_S) as client:
            while self._url_pending:
                line = self._url_pending[0]
                try:
                    r = await client.post(self.url, content=line, headers={"Content-Type": "application/json"})
                    r.raise_for_status()
                except httpx.HTTPError as exc:
                    log.warning(
                        "audit checkpoint POST to %s failed (%s); %d queued for the next tick",
                        self.url, _why(exc), len(self._url_pending),
                    )
                    return
                self._url_pending.popleft()

    async def write_now(self) -> Checkpoint:
        """On demand: sign the current head, append it to the file, POST it in the background."""
        cp = await anyio.to_thread.run_sync(self._checkpoint_now)
        if self.url:
            task = asyncio.create_task(self._flush_url())
            self._posts.add(task)
            task.add_done_callback(self._posts.discard)
        return cp

    async def tick(self) -> None:
        """Scheduled: checkpoint a head that moved, then retry whatever is still queued."""
        try:
            await anyio.to_thread.run_sync(self._checkpoint_if_moved)
        except CheckpointError as exc:
            log.error("audit checkpoint: %s", exc.detail)
        except Exception:
            log.exception("audit checkpoint failed")
        try:
            await anyio.to_thread.run_sync(self._flush_file)
            await self._flush_url()
        except Exception:  # the schedule must outlive any one failure
            log.exception("delivering audit checkpoints failed")

    async def run(self) -> None:
        """The schedule (a Runtime background task): one tick per interval."""
        interval = self.interval_s or 0.0
        while interval > 0:
            await asyncio.sleep(interval)
            await self.tick()

    async def stop(self) -> None:
        await cancel_and_wait(self._posts)
