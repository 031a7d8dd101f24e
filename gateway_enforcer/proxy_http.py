"""Streamable HTTP proxy: a bare ASGI app in front of one streamable HTTP MCP server.

Only three kinds of POSTed message are touched: ``tools/call`` requests (answered with
an error when the tool is blocked, otherwise forwarded as they came), ``tools/list``
answers (JSON or SSE: the blocked tools are removed) and ``initialize`` answers (the
server version). After ``notifications/initialized`` the proxy verifies the tools in
the background, as the stdio proxy does, so the first call finds a warm cache.
Everything else, GET streams and DELETEs included, is relayed as bytes with its
headers (``Mcp-Session-Id`` too); SSE streams are only searched for
``notifications/tools/list_changed``, never parsed.

Relayed requests, and the proxy's own ``tools/list`` requests, go through one pool of
HTTP/1.1 keep-alive connections to the upstream (``gateway_enforcer.upstream``: asyncio
Protocols and httptools' C parser). An SSE answer is relayed as it comes, chunk for
chunk; only the answers the proxy must change (``tools/list``) are cut into events.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from gateway_enforcer import jsonrpc, sse
from gateway_enforcer.asgi import (
    LOOPBACK_NAMES,
    RESPONSE_HOP,
    Incoming,
    RawHeaders,
    Receive,
    Scope,
    Send,
    lifespan,
    read_body,
    respond,
    stream,
)
from gateway_enforcer.errors import UpstreamError
from gateway_enforcer.gate import ToolGate
from gateway_enforcer.upstream import RelayError, Response, UpstreamPool

log = logging.getLogger("gateway_enforcer")

MAX_BODY = 32 * 1024 * 1024
MAX_SESSIONS = 10_000
LIST_CHANGED = b"notifications/tools/list_changed"
MARK = len(LIST_CHANGED)
OWN_REQUEST_TIMEOUT = 30.0  # the proxy's own tools/list, answer included
METHODS = {"POST": b"POST", "GET": b"GET", "DELETE": b"DELETE"}
# what a request target may hold (uvicorn's parser already refused anything else)
TARGET_OK = re.compile(rb"[!-~]*")
# Our own tools/list requests set these themselves; the client's must not leak into them.
OWN_REQUEST_DROP = frozenset({b"mcp-name", b"mcp-method", b"content-type", b"accept",
                              b"last-event-id"})
BATCH_REFUSED = (
    "mcp-trust: JSON-RPC batches are not accepted by the HTTP proxy (MCP removed them in "
    "protocol 2025-06-18); send each message in its own request"
)

Rewrite = Callable[[Any], Awaitable[Any]]


class HttpProxy:
    """The ASGI application (``await proxy(scope, receive, send)``)."""

    def __init__(
        self, make_gate: Callable[[], ToolGate], upstream_url: str,
        pool: UpstreamPool | None = None, *, loopback_only: bool = False,
    ) -> None:
        self.make_gate = make_gate
        self.loopback_only = loopback_only
        self.upstream_url = upstream_url
        self._mcp_path = urlsplit(upstream_url).path or "/"
        self._pool = pool or UpstreamPool(upstream_url)
        self._gates: OrderedDict[str, ToolGate] = OrderedDict()
        self._tasks: set[asyncio.Task[None]] = set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self.handle(Incoming(scope), receive, send)
        elif scope["type"] == "lifespan":
            await lifespan(receive, send, self.aclose)

    async def aclose(self) -> None:
        for task in self._tasks:
            task.cancel()
        await self._pool.aclose()

    def gate_for(self, session: str | None) -> ToolGate:
        key = session or ""
        gate = self._gates.get(key)
        if gate is None:
            gate = self._gates[key] = self.make_gate()
            while len(self._gates) > MAX_SESSIONS:
                self._gates.popitem(last=False)
        self._gates.move_to_end(key)
        return gate

    def _target(self, req: Incoming) -> bytes | None:
        """The upstream request target: the upstream URL's for the MCP endpoint, the
        client's own for any other path (None: not a valid target)."""
        if req.path == self._mcp_path:
            return self._pool.target
        target = req.raw_path + (b"?" + req.query if req.query else b"")
        return target if target.startswith(b"/") and TARGET_OK.fullmatch(target) else None

    def _spawn(self, coro: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def handle(self, req: Incoming, receive: Receive, send: Send) -> None:
        if self.loopback_only and not req.from_loopback_name():
            # DNS rebinding: a web page must not reach a local proxy under another name
            return await _json(send, 403, jsonrpc.error(None, -32600, "mcp-trust: Host/Origin not allowed"))
        if req.method not in ("POST", "GET", "DELETE"):
            return await respond(send, 405, b"", [(b"allow", b"GET, POST, DELETE")])
        gate = self.gate_for(req.session)
        if req.method != "POST":
            if req.method == "DELETE":
                self._gates.pop(req.session or "", None)
            return await self._relay(req, None, gate, send,
                                     receive=receive if req.method == "GET" else None)
        body = await read_body(receive, MAX_BODY)
        if body is None:
            return await _json(send, 413, jsonrpc.error(None, -32600, "mcp-trust: request too large"))
        env = jsonrpc.peek(body)
        if env is None and body.lstrip().startswith(b"["):
            return await _json(send, 400, jsonrpc.error(None, -32600, BATCH_REFUSED))
        method = env.method if env is not None else None
        msg_id = env.id if env is not None else None
        rewrite: Rewrite | None = None
        if method == "tools/call" and msg_id is not None:
            refusal = await self._check_call(req, body, msg_id, gate)
            if refusal is not None:
                return await _json(send, 200, refusal)
        elif method == "tools/list" and msg_id is not None:
            rewrite = self._list_filter(jsonrpc.decode(body), gate, req)
        elif method == "initialize":
            rewrite = self._init_capture(msg_id, gate)
        # A tool call may not be safe to run twice: never sent again after a lost connection.
        await self._relay(req, body, gate, send, rewrite=rewrite, msg_id=msg_id,
                          replayable=method != "tools/call")
        if method == "notifications/initialized":
            self._spawn(gate.warm(self._fetcher(req, jsonrpc.envelope_meta(jsonrpc.decode(body)))))
        return None

    # ---- interception ---------------------------------------------------------
    async def _check_call(
        self, req: Incoming, body: bytes, msg_id: Any, gate: ToolGate
    ) -> dict[str, Any] | None:
        """None: forward the call as it came; otherwise the answer the client gets."""
        message = jsonrpc.decode(body)
        params = message.get("params") if isinstance(message, dict) else None
        name = str(params.get("name")) if isinstance(params, dict) else ""
        meta = jsonrpc.envelope_meta(message)
        decision = gate.fast_decision()
        if decision is None:
            try:
                decision = await gate.decide(self._fetcher(req, meta))
            except UpstreamError as exc:
                return jsonrpc.error(msg_id, -32603, f"mcp-trust: {exc}")
        if decision.tool_allowed(name):
            return None
        return gate.refusal(msg_id, name, decision, modern=bool(meta))

    def _list_filter(self, asked: Any, gate: ToolGate, req: Incoming) -> Rewrite:
        msg_id = asked.get("id")
        meta = jsonrpc.envelope_meta(asked)
        params = asked.get("params")
        paged = isinstance(params, dict) and bool(params.get("cursor"))

        async def rewrite(message: Any) -> Any:
            if not isinstance(message, dict) or message.get("id") != msg_id:
                return None
            result = message.get("result")
            if not isinstance(result, dict) or not isinstance(result.get("tools"), list):
                return None
            if not paged and not result.get("nextCursor"):
                gate.set_tools([t for t in result["tools"] if isinstance(t, dict)])
            try:
                decision = await gate.decide(self._fetcher(req, meta))
            except UpstreamError as exc:
                return jsonrpc.error(msg_id, -32603, f"mcp-trust: {exc}")
            result["tools"] = gate.filter_tools(decision, result["tools"])
            return message

        return rewrite

    def _init_capture(self, msg_id: Any, gate: ToolGate) -> Rewrite:
        async def capture(message: Any) -> Any:
            result = message.get("result") if isinstance(message, dict) else None
            info = result.get("serverInfo") if isinstance(result, dict) else None
            if message.get("id") == msg_id and isinstance(info, dict):
                gate.version = info.get("version") if isinstance(info.get("version"), str) else None
            return None

        return capture

    def _fetcher(self, req: Incoming, meta: dict[str, Any]) -> Callable[[], Awaitable[list[dict[str, Any]]]]:
        return lambda: self.fetch_tools(req, meta)

    async def fetch_tools(self, req: Incoming, meta: dict[str, Any]) -> list[dict[str, Any]]:
        """The upstream's complete tool list, asked in the client's session."""
        headers = [(k, v) for k, v in req.headers if k not in OWN_REQUEST_DROP]
        headers += [(b"content-type", b"application/json"), (b"mcp-method", b"tools/list"),
                    (b"accept", b"application/json, text/event-stream")]
        tools: list[dict[str, Any]] = []
        cursor: str | None = None
        for _ in range(100):
            params: dict[str, Any] = {"_meta": meta} if meta else {}
            if cursor:
                params["cursor"] = cursor
            msg_id = jsonrpc.own_id()
            reply = await self._ask(headers, jsonrpc.request("tools/list", params, msg_id), msg_id)
            result = reply.get("result")
            if not isinstance(result, dict) or not isinstance(result.get("tools"), list):
                raise UpstreamError(f"the upstream server's tools/list failed: {reply!r:.200}")
            tools.extend(t for t in result["tools"] if isinstance(t, dict))
            cursor = result.get("nextCursor")
            if not cursor:
                return tools
        raise UpstreamError("the upstream server's tools/list has more than 100 pages")

    async def _ask(self, headers: RawHeaders, message: Any, msg_id: str) -> dict[str, Any]:
        try:
            async with asyncio.timeout(OWN_REQUEST_TIMEOUT):
                response = await self._pool.request(b"POST", self._pool.target, headers,
                                                    jsonrpc.encode(message))
                try:
                    content = await response.read()
                finally:
                    self._pool.release(response)
        except TimeoutError as exc:
            raise UpstreamError(f"upstream did not answer tools/list within "
                                f"{OWN_REQUEST_TIMEOUT:g} s") from exc
        except RelayError as exc:  # the details name internal hosts: the log has them
            log.error("tools/list from upstream %s failed: %s", self.upstream_url, exc)
            raise UpstreamError("upstream unreachable, or it failed answering tools/list") from exc
        if response.status != 200:
            raise UpstreamError(f"upstream answered tools/list with HTTP {response.status}")
        if _response_headers(response.headers)[1].startswith(b"text/event-stream"):
            candidates = sse.messages_in(content)
        else:
            try:
                candidates = [jsonrpc.decode(content)]
            except ValueError as exc:
                raise UpstreamError("upstream answered tools/list with invalid JSON") from exc
        for candidate in candidates:
            if isinstance(candidate, dict) and candidate.get("id") == msg_id:
                return candidate
        raise UpstreamError("upstream sent no answer to tools/list")

    # ---- relaying ---------------------------------------------------------------
    async def _relay(
        self, req: Incoming, body: bytes | None, gate: ToolGate, send: Send, *,
        receive: Receive | None = None, rewrite: Rewrite | None = None, msg_id: Any = None,
        replayable: bool = True,
    ) -> None:
        target = self._target(req)
        if target is None:
            return await _json(send, 400, jsonrpc.error(None, -32600, "mcp-trust: bad request target"))
        try:
            upstream = await self._pool.request(METHODS[req.method], target, req.headers, body,
                                                replayable=replayable)
        except RelayError as exc:
            log.error("upstream %s unreachable: %s", self.upstream_url, exc)
            return await _json(send, 502, jsonrpc.error(msg_id, -32603, "mcp-trust: upstream unreachable"))
        try:
            headers, content_type = _response_headers(upstream.headers)
            if content_type.startswith(b"text/event-stream"):
                return await self._relay_events(upstream, headers, gate, req, send,
                                                receive=receive, rewrite=rewrite)
            raw = await upstream.read()
        except RelayError as exc:
            log.warning("upstream %s failed mid-answer: %s", self.upstream_url, exc)
            return await _json(send, 502, jsonrpc.error(msg_id, -32603, "mcp-trust: upstream failed"))
        finally:
            self._pool.release(upstream)
        if rewrite is not None and content_type.startswith(b"application/json"):
            raw = await _rewrite_json(raw, rewrite)
        elif LIST_CHANGED in raw:
            self._tools_changed(gate, req)
        return await respond(send, upstream.status, raw, headers)

    async def _relay_events(
        self, upstream: Response, headers: RawHeaders, gate: ToolGate, req: Incoming,
        send: Send, *, receive: Receive | None, rewrite: Rewrite | None,
    ) -> None:
        """An SSE answer. A ``tools/list`` answer is cut into events to filter it; a GET
        stream also ends when the client hangs up; any other answer (the common case: a
        ``tools/call``) is passed on as its bytes arrive, with the last bytes and the
        end of the answer in one message."""
        if rewrite is not None:
            events = sse.rewrite_stream(_chunks(upstream, req), rewrite)
            return await stream(send, upstream.status, headers, events, receive)
        if receive is not None:
            chunks = self._sniff(_chunks(upstream, req), gate, req)
            return await stream(send, upstream.status, headers, chunks, receive)
        await send({"type": "http.response.start", "status": upstream.status, "headers": headers})
        tail = b""
        more = True
        try:
            while more:
                data = await upstream.next_data()
                more = not upstream.drained
                if LIST_CHANGED in data or LIST_CHANGED in tail + data[:MARK]:
                    self._tools_changed(gate, req)
                tail = data[-MARK:]
                await send({"type": "http.response.body", "body": data, "more_body": more})
        except RelayError as exc:  # the upstream broke off: so does the relayed answer
            log.warning("upstream stream for %s %s broke off: %s", req.method, req.path, exc)
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        return None

    async def _sniff(self, chunks: AsyncIterator[bytes], gate: ToolGate, req: Incoming
                     ) -> AsyncIterator[bytes]:
        """Pass bytes through; a tools/list_changed notification makes the gate re-verify
        (the marker is also found across a chunk boundary)."""
        tail = b""
        async for chunk in chunks:
            if LIST_CHANGED in chunk or LIST_CHANGED in tail + chunk[:MARK]:
                self._tools_changed(gate, req)
            tail = chunk[-MARK:]
            yield chunk

    def _tools_changed(self, gate: ToolGate, req: Incoming) -> None:
        gate.mark_stale()
        self._spawn(gate.warm(self._fetcher(req, {})))


def _response_headers(raw: RawHeaders) -> tuple[RawHeaders, bytes]:
    """The upstream's headers for the client (names lower-cased, as ASGI wants) and its
    content type."""
    headers: RawHeaders = []
    content_type = b""
    for original, value in raw:
        name = original.lower()
        if name not in RESPONSE_HOP:
            headers.append((name, value))
            if name == b"content-type":
                content_type = value.lower()
    return headers, content_type


async def _chunks(upstream: Response, req: Incoming) -> AsyncIterator[bytes]:
    """The upstream's bytes as they come; an upstream that breaks off ends the relayed
    stream too."""
    try:
        while data := await upstream.next_data():
            yield data
    except RelayError as exc:
        log.warning("upstream stream for %s %s broke off: %s", req.method, req.path, exc)


async def _rewrite_json(raw: bytes, rewrite: Rewrite) -> bytes:
    try:
        message = jsonrpc.decode(raw)
    except ValueError:
        return raw
    new = await rewrite(message)
    return raw if new is None else jsonrpc.encode(new)


async def _json(send: Send, status: int, message: Any) -> None:
    await respond(send, status, jsonrpc.encode(message))


def serve_http(make_gate: Callable[[], ToolGate], upstream_url: str, host: str, port: int) -> int:
    import uvicorn

    loopback = host in LOOPBACK_NAMES or host.startswith("127.")
    proxy = HttpProxy(make_gate, upstream_url, loopback_only=loopback)
    log.info("enforcing proxy on http://%s:%d -> %s", host, port, upstream_url)
    # h11 unless httptools is installed ("auto"); no access log, no proxy-headers
    # middleware, and no Server/Date headers of our own: the upstream's are relayed.
    uvicorn.run(proxy, host=host, port=port, log_level="warning", lifespan="on",
                access_log=False, proxy_headers=False, server_header=False, date_header=False)
    return 0
