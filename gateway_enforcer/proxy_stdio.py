"""stdio proxy: the MCP client talks to us on stdin/stdout; we run the upstream server
as a child and relay newline-delimited JSON-RPC both ways, acting only on
``initialize``, ``tools/list``, ``tools/call`` and ``notifications/tools/list_changed``.
Every other message is relayed byte for byte."""

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
from gateway_enforcer.gate import ToolGate

log = logging.getLogger("gateway_enforcer")

UPSTREAM_TIMEOUT_S = 30.0
MAX_PAGES = 100


class StdioProxy:
    def __init__(self, gate: ToolGate, argv: list[str], env: dict[str, str]) -> None:
        self.gate = gate
        self.argv = argv
        self.env = env
        self._child: subprocess.Popen[bytes] | None = None
        self._upstream_pipe: asyncio.WriteTransport | None = None
        self._own: dict[str, asyncio.Future[Any]] = {}
        self._lists: dict[Any, bool] = {}  # client tools/list ids -> asked for a later page
        self._inits: set[Any] = set()
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

    async def fetch_tools(self) -> list[dict[str, Any]]:
        """The upstream's complete tool list, asked with our own request ids."""
        tools: list[dict[str, Any]] = []
        cursor: str | None = None
        for _ in range(MAX_PAGES):
            params: dict[str, Any] = {"_meta": dict(self._meta)} if self._meta else {}
            if cursor:
                params["cursor"] = cursor
            msg_id = jsonrpc.own_id()
            future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
            self._own[msg_id] = future
            self._to_upstream(jsonrpc.encode(jsonrpc.request("tools/list", params, msg_id)))
            try:
                reply = await asyncio.wait_for(future, UPSTREAM_TIMEOUT_S)
            except TimeoutError as exc:
                raise UpstreamError("the upstream server did not answer tools/list") from exc
            finally:
                self._own.pop(msg_id, None)
            result = reply.get("result") if isinstance(reply, dict) else None
            if not isinstance(result, dict) or not isinstance(result.get("tools"), list):
                raise UpstreamError(f"the upstream server's tools/list failed: {reply!r:.200}")
            tools.extend(t for t in result["tools"] if isinstance(t, dict))
            cursor = result.get("nextCursor")
            if not cursor:
                return tools
        raise UpstreamError("the upstream server's tools/list has more than 100 pages")

    # ---- client -> upstream ---------------------------------------------------
    def on_client(self, line: bytes) -> None:
        env = jsonrpc.peek(line)
        if env is None and _split_batch(line, self.on_client):
            return
        if env is None or env.method is None:
            self._to_upstream(line)  # responses to the server's requests, batches, garbage
            return
        if env.method == "tools/call" and env.id is not None:
            self._on_call(line, env.id)
            return
        if env.method in ("tools/list", "initialize", "notifications/initialized"):
            message = jsonrpc.decode(line)
            self._meta = jsonrpc.envelope_meta(message) or self._meta
            if env.method == "tools/list" and env.id is not None:
                params = message.get("params") or {}
                self._lists[env.id] = bool(isinstance(params, dict) and params.get("cursor"))
            elif env.method == "initialize":
                self._inits.add(env.id)
            else:
                self._spawn_task(self._warm())
        self._to_upstream(line)

    def _on_call(self, line: bytes, msg_id: Any) -> None:
        message = jsonrpc.decode(line)
        params = message.get("params") if isinstance(message, dict) else None
        name = str(params.get("name")) if isinstance(params, dict) else ""
        self._meta = jsonrpc.envelope_meta(message) or self._meta
        decision = self.gate.fast_decision()
        if decision is None:
            self._spawn_task(self._slow_call(line, msg_id, name))
        elif decision.tool_allowed(name):
            self._to_upstream(line)
        else:
            refusal = self.gate.refusal(msg_id, name, decision, modern=bool(self._meta))
            self._to_client(jsonrpc.encode(refusal))

    async def _slow_call(self, line: bytes, msg_id: Any, name: str) -> None:
        try:
            decision = await self.gate.decide(self.fetch_tools)
        except UpstreamError as exc:
            self._to_client(jsonrpc.encode(jsonrpc.error(msg_id, -32603, f"mcp-trust: {exc}")))
            return
        if decision.tool_allowed(name):
            self._to_upstream(line)
        else:
            refusal = self.gate.refusal(msg_id, name, decision, modern=bool(self._meta))
            self._to_client(jsonrpc.encode(refusal))

    async def _warm(self) -> None:
        """Verify right after the handshake, so the first call finds a warm cache."""
        await self.gate.warm(self.fetch_tools)

    # ---- upstream -> client ---------------------------------------------------
    def on_upstream(self, line: bytes) -> None:
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
            self._spawn_task(self._filter_list(line, self._lists.pop(env.id)))
            return
        if env.method is None and env.id in self._inits:
            self._inits.discard(env.id)
            self._capture_version(line)
        elif env.method == "notifications/tools/list_changed":
            self.gate.mark_stale()
            self._spawn_task(self._warm())
        self._to_client(line)

    def _capture_version(self, line: bytes) -> None:
        result = jsonrpc.decode(line).get("result")
        info = result.get("serverInfo") if isinstance(result, dict) else None
        if isinstance(info, dict) and isinstance(info.get("version"), str):
            self.gate.version = info["version"]

    async def _filter_list(self, line: bytes, paged: bool) -> None:
        message = jsonrpc.decode(line)
        result = message.get("result")
        if not isinstance(result, dict) or not isinstance(result.get("tools"), list):
            self._to_client(line)  # an error answer: nothing to hide
            return
        if not paged and not result.get("nextCursor"):
            self.gate.set_tools([t for t in result["tools"] if isinstance(t, dict)])
        try:
            decision = await self.gate.decide(self.fetch_tools)
        except UpstreamError as exc:
            err = jsonrpc.error(message.get("id"), -32603, f"mcp-trust: {exc}")
            self._to_client(jsonrpc.encode(err))
            return
        result["tools"] = self.gate.filter_tools(decision, result["tools"])
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


async def serve_stdio(gate: ToolGate, argv: list[str], env: dict[str, str]) -> int:
    proxy = StdioProxy(gate, argv, env)
    return await proxy.run(sys.stdin)
