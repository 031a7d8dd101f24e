"""stdio proxy: the MCP client talks to us on stdin/stdout; we run the upstream server
as a child and relay newline-delimited JSON-RPC both ways, acting only on the handshake
(``initialize``, ``server/discover``), the four list calls, ``tools/call``,
``prompts/get``, ``resources/read`` and the ``list_changed`` notifications. Every other
message is relayed byte for byte."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any, BinaryIO

from gateway_enforcer import jsonrpc
from gateway_enforcer.childproc import MAX_LINE, spawn, stop
from gateway_enforcer.errors import UpstreamError
from gateway_enforcer.gate import GUARDED, LIST_CHANGED, SurfaceGate
from gateway_enforcer.lists import HANDSHAKES, LIST_METHODS, LISTS
from scanner.contract.surface import ItemKind

log = logging.getLogger("gateway_enforcer")

UPSTREAM_TIMEOUT_S = 30.0
DECODED = frozenset({*LIST_METHODS, *HANDSHAKES, "notifications/initialized"})


class StdioProxy:
    """One client on our stdin/stdout, one upstream server as our child."""

    def __init__(self, gate: SurfaceGate, argv: list[str], env: dict[str, str]) -> None:
        self.gate = gate
        self.argv = argv
        self.env = env
        self._child: subprocess.Popen[bytes] | None = None
        self._upstream_pipe: asyncio.WriteTransport | None = None
        self._own: dict[str, asyncio.Future[Any]] = {}
        self._lists: dict[Any, tuple[ItemKind, bool]] = {}  # client list ids -> kind, asked for a later page
        self._handshakes: set[Any] = set()
        self._meta: dict[str, Any] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._write_client: Callable[[bytes], None] = _stdout_writer(sys.stdout.buffer)

    # ---- plumbing -------------------------------------------------------------
    def _to_client(self, data: bytes) -> None:
        self._write_client(data if data.endswith(b"\n") else data + b"\n")

    def _to_upstream(self, data: bytes) -> None:
        assert self._upstream_pipe is not None
        self._upstream_pipe.write(data if data.endswith(b"\n") else data + b"\n")

    def _spawn_task(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def ask(self, method: str, params: dict[str, Any]) -> Any:
        """One request of our own to the upstream (an id the client never sees), and its answer."""
        msg_id = jsonrpc.own_id()
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._own[msg_id] = future
        self._to_upstream(jsonrpc.encode(jsonrpc.request(method, params, msg_id)))
        try:
            return await asyncio.wait_for(future, UPSTREAM_TIMEOUT_S)
        except TimeoutError as exc:
            raise UpstreamError(f"the upstream server did not answer {method}") from exc
        finally:
            self._own.pop(msg_id, None)

    # ---- client -> upstream ---------------------------------------------------
    def on_client(self, line: bytes) -> None:
        """One message from the client."""
        env = jsonrpc.peek(line)
        if env is None and _split_batch(line, self.on_client):
            return
        if env is None or env.method is None:
            self._to_upstream(line)  # responses to the server's requests, batches, garbage
            return
        if env.method in GUARDED and env.id is not None:
            self._on_guarded(line, env.method, env.id)
            return
        if env.method in DECODED:
            message = jsonrpc.decode(line)
            self._meta = jsonrpc.envelope_meta(message) or self._meta
            if env.method in LIST_METHODS and env.id is not None:
                params = message.get("params") or {}
                paged = bool(isinstance(params, dict) and params.get("cursor"))
                self._lists[env.id] = (LIST_METHODS[env.method], paged)
            elif env.method in HANDSHAKES:
                self._handshakes.add(env.id)
            elif env.method == "notifications/initialized":
                self._spawn_task(self._warm())
        self._to_upstream(line)

    def _on_guarded(self, line: bytes, method: str, msg_id: Any) -> None:
        message = jsonrpc.decode(line)
        params = message.get("params") if isinstance(message, dict) else None
        self._meta = jsonrpc.envelope_meta(message) or self._meta
        decision = self.gate.fast_decision()
        if decision is None:
            self._spawn_task(self._slow_guarded(line, method, msg_id, params))
            return
        refusal = self.gate.refusal(method, msg_id, params, decision, modern=bool(self._meta))
        if refusal is None:
            self._to_upstream(line)
        else:
            self._to_client(jsonrpc.encode(refusal))

    async def _slow_guarded(self, line: bytes, method: str, msg_id: Any, params: Any) -> None:
        try:
            decision = await self.gate.decide(self.ask, self._meta)
        except UpstreamError as exc:
            self._to_client(jsonrpc.encode(jsonrpc.error(msg_id, -32603, f"mcp-trust: {exc}")))
            return
        refusal = self.gate.refusal(method, msg_id, params, decision, modern=bool(self._meta))
        if refusal is None:
            self._to_upstream(line)
        else:
            self._to_client(jsonrpc.encode(refusal))

    async def _warm(self) -> None:
        """Verify right after the handshake, so the first request finds a warm cache."""
        await self.gate.warm(self.ask, self._meta)

    # ---- upstream -> client ---------------------------------------------------
    def on_upstream(self, line: bytes) -> None:
        """One message from the upstream server."""
        env = jsonrpc.peek(line)
        if env is None and _split_batch(line, self.on_upstream):
            return
        if env is None:
            self._to_client(line)
            return
        if env.method is None and isinstance(env.id, str) and env.id in self._own:
            future = self._own.pop(env.id)
            if not future.done():
                future.set_result(jsonrpc.decode(line))
            return
        if env.method is None and env.id in self._lists:
            kind, paged = self._lists.pop(env.id)
            self._spawn_task(self._filter_list(line, kind, paged))
            return
        if env.method is None and env.id in self._handshakes:
            self._handshakes.discard(env.id)
            message = jsonrpc.decode(line)
            self.gate.adopt_handshake(message.get("result") if isinstance(message, dict) else None)
        elif env.method in LIST_CHANGED:
            self.gate.mark_stale()
            self._spawn_task(self._warm())
        self._to_client(line)

    async def _filter_list(self, line: bytes, kind: ItemKind, paged: bool) -> None:
        message = jsonrpc.decode(line)
        field = LISTS[kind][1]
        result = message.get("result") if isinstance(message, dict) else None
        if not isinstance(result, dict) or not isinstance(result.get(field), list):
            self._to_client(line)  # an error answer: nothing to hide
            return
        complete = not paged and not result.get("nextCursor")
        try:
            result[field] = await self.gate.filter_list(kind, result[field], complete=complete, ask=self.ask,
                                                        meta=self._meta)
        except UpstreamError as exc:
            err = jsonrpc.error(message.get("id"), -32603, f"mcp-trust: {exc}")
            self._to_client(jsonrpc.encode(err))
            return
        self._to_client(jsonrpc.encode(message))

    # ---- lifecycle ------------------------------------------------------------
    async def run(self, stdin: Any) -> int:
        """Relay until either side hangs up. Pipes are read with line protocols that call
        the handlers directly from the event loop: no task wake-up per message."""
        loop = asyncio.get_running_loop()
        self._child = child = spawn(self.argv, self.env)
        assert child.stdin is not None and child.stdout is not None
        upstream_done: asyncio.Future[None] = loop.create_future()
        client_done: asyncio.Future[None] = loop.create_future()
        try:
            self._upstream_pipe, _ = await loop.connect_write_pipe(asyncio.Protocol, child.stdin)
            await loop.connect_read_pipe(lambda: LineProtocol(self.on_upstream, upstream_done),
                                         child.stdout)
            reader, _ = await loop.connect_read_pipe(
                lambda: LineProtocol(self.on_client, client_done), stdin)
            await asyncio.wait({upstream_done, client_done}, return_when=asyncio.FIRST_COMPLETED)
            reader.close()
        finally:
            for task in self._tasks:
                task.cancel()
            if self._upstream_pipe is not None:
                self._upstream_pipe.close()  # EOF on the server's stdin: the polite shutdown
            await stop(child)
        return child.returncode or 0


def _split_batch(line: bytes, handle: Callable[[bytes], None]) -> bool:
    """A JSON-RPC batch (allowed up to protocol 2025-03-26) is taken apart and each message
    handled on its own, so no tools/call or tools/list can slip through inside one. The
    answers then come back one by one, which clients of that revision also accept."""
    if not line.lstrip().startswith(b"["):
        return False
    try:
        batch = jsonrpc.decode(line)
    except ValueError:
        return False
    if not isinstance(batch, list):
        return False
    for item in batch:
        handle(jsonrpc.encode(item))
    return True


class LineProtocol(asyncio.Protocol):
    """Newline-delimited JSON-RPC from a pipe, each complete line handed to ``handle``."""

    def __init__(self, handle: Callable[[bytes], None], done: asyncio.Future[None]) -> None:
        self._handle = handle
        self._done = done
        self._buffer = b""
        self._transport: asyncio.BaseTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        if b"\n" not in data:
            self._buffer += data
            if len(self._buffer) > MAX_LINE:  # one message above the limit: drop the link
                log.error("a message larger than %d bytes; closing", MAX_LINE)
                assert self._transport is not None
                self._transport.close()
            return
        *lines, self._buffer = (self._buffer + data).split(b"\n")
        for line in lines:
            if line.strip():
                self._handle(line)

    def connection_lost(self, exc: Exception | None) -> None:
        if not self._done.done():
            self._done.set_result(None)


def _stdout_writer(stream: BinaryIO) -> Callable[[bytes], None]:
    """Unbuffered writes straight to the descriptor: one syscall per message."""
    fd = stream.fileno()

    def write(data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]

    return write


async def serve_stdio(gate: SurfaceGate, argv: list[str], env: dict[str, str]) -> int:
    """Run the stdio proxy until the client or the server hangs up; the server's exit code."""
    proxy = StdioProxy(gate, argv, env)
    return await proxy.run(sys.stdin)
