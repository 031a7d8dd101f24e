"""Streamable HTTP proxy: a bare ASGI app in front of one streamable HTTP MCP server.

Only these POSTed messages are touched: ``tools/call``, ``prompts/get`` and
``resources/read`` requests (answered with an error when the item is blocked or not
listed, otherwise forwarded as they came), the answers to the four list calls (JSON or
SSE: blocked items are removed) and the handshake answers (``initialize``,
``server/discover``: the server's version, capabilities and instructions, kept for the
session the answer opens). After ``notifications/initialized`` the proxy verifies the
surface in the background, as the stdio proxy does, so the first call finds a warm
cache. Everything else, GET streams and DELETEs included, is relayed as bytes with its
headers (``Mcp-Session-Id`` too); SSE streams are only searched for the
``list_changed`` notifications, never parsed.

Relayed requests, and the proxy's own list requests, go through one pool of HTTP/1.1
keep-alive connections to the upstream (``gateway_enforcer.upstream``: asyncio
Protocols and httptools' C parser). An SSE answer is relayed as it comes, chunk for
chunk; only the answers the proxy must change (the lists) are cut into events.
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
from gateway_enforcer.gate import GUARDED, LIST_CHANGED, SurfaceGate
from gateway_enforcer.lists import HANDSHAKES, LIST_METHODS, LISTS, Ask
from gateway_enforcer.upstream import RelayError, Response, UpstreamPool
from scanner.contract.surface import ItemKind

log = logging.getLogger("gateway_enforcer")

MAX_BODY = 32 * 1024 * 1024
MAX_SESSIONS = 10_000
MARKERS = tuple(sorted(m.encode() for m in LIST_CHANGED))
MARK = max(len(m) for m in MARKERS)
OWN_REQUEST_TIMEOUT = 30.0  # each of the proxy's own requests, answer included
METHODS = {"POST": b"POST", "GET": b"GET", "DELETE": b"DELETE"}
# what a request target may hold (uvicorn's parser already refused anything else)
TARGET_OK = re.compile(rb"[!-~]*")
# Our own requests set these themselves; the client's must not leak into them.
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
        self, make_gate: Callable[[], SurfaceGate], upstream_url: str,
        pool: UpstreamPool | None = None, *, loopback_only: bool = False,
    ) -> None:
        self.make_gate = make_gate
        self.loopback_only = loopback_only
        self.upstream_url = upstream_url
        self._mcp_path = urlsplit(upstream_url).path or "/"
        self._pool = pool or UpstreamPool(upstream_url)
        self._gates: OrderedDict[str, SurfaceGate] = OrderedDict()
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

    def gate_for(self, session: str | None) -> SurfaceGate:
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
        if method in GUARDED and msg_id is not None:
            refusal = await self._check(req, body, method, msg_id, gate)
            if refusal is not None:
                return await _json(send, 200, refusal)
        elif method in LIST_METHODS and msg_id is not None:
            rewrite = self._list_filter(LIST_METHODS[method], jsonrpc.decode(body), gate, req)
        elif method in HANDSHAKES:
            rewrite = HandshakeCapture(self, msg_id, gate)
        # A tool call may not be safe to run twice: never sent again after a lost connection.
        await self._relay(req, body, gate, send, rewrite=rewrite, msg_id=msg_id,
                          replayable=method != "tools/call")
        if method == "notifications/initialized":
            self._spawn(gate.warm(self._asker(req), jsonrpc.envelope_meta(jsonrpc.decode(body))))
        return None

    # ---- interception ---------------------------------------------------------
    async def _check(
        self, req: Incoming, body: bytes, method: str, msg_id: Any, gate: SurfaceGate
    ) -> dict[str, Any] | None:
        """None: forward the request as it came; otherwise the answer the client gets."""
        message = jsonrpc.decode(body)
        params = message.get("params") if isinstance(message, dict) else None
        meta = jsonrpc.envelope_meta(message)
        decision = gate.fast_decision()
        if decision is None:
            try:
                decision = await gate.decide(self._asker(req), meta)
            except UpstreamError as exc:
                return jsonrpc.error(msg_id, -32603, f"mcp-trust: {exc}")
        return gate.refusal(method, msg_id, params, decision, modern=bool(meta))

    def _list_filter(self, kind: ItemKind, asked: Any, gate: SurfaceGate, req: Incoming) -> Rewrite:
        msg_id = asked.get("id")
        meta = jsonrpc.envelope_meta(asked)
        params = asked.get("params")
        paged = isinstance(params, dict) and bool(params.get("cursor"))
        field = LISTS[kind][1]

        async def rewrite(message: Any) -> Any:
            if not isinstance(message, dict) or message.get("id") != msg_id:
                return None
            result = message.get("result")
            if not isinstance(result, dict) or not isinstance(result.get(field), list):
                return None
            complete = not paged and not result.get("nextCursor")
            try:
                result[field] = await gate.filter_list(kind, result[field], complete=complete,
                                                       ask=self._asker(req), meta=meta)
            except UpstreamError as exc:
                return jsonrpc.error(msg_id, -32603, f"mcp-trust: {exc}")
            return message

        return rewrite

    def _asker(self, req: Incoming) -> Ask:
        """Our own requests to the upstream, in the client's session (its headers)."""
        headers = [(k, v) for k, v in req.headers if k not in OWN_REQUEST_DROP]
        headers += [(b"content-type", b"application/json"),
                    (b"accept", b"application/json, text/event-stream")]

        async def ask(method: str, params: dict[str, Any]) -> Any:
            msg_id = jsonrpc.own_id()
            own = [*headers, (b"mcp-method", method.encode())]
            return await self._ask(own, method, jsonrpc.request(method, params, msg_id), msg_id)

        return ask

    async def _ask(self, headers: RawHeaders, method: str, message: Any, msg_id: str) -> dict[str, Any]:
        try:
            async with asyncio.timeout(OWN_REQUEST_TIMEOUT):
                response = await self._pool.request(b"POST", self._pool.target, headers,
                                                    jsonrpc.encode(message))
                try:
                    content = await response.read()
                finally:
                    self._pool.release(response)
        except TimeoutError as exc:
            raise UpstreamError(f"upstream did not answer {method} within "
                                f"{OWN_REQUEST_TIMEOUT:g} s") from exc
        except RelayError as exc:  # the details name internal hosts: the log has them
            log.error("%s from upstream %s failed: %s", method, self.upstream_url, exc)
            raise UpstreamError(f"upstream unreachable, or it failed answering {method}") from exc
        # the stateless revision answers an error with an HTTP 4xx carrying the JSON-RPC error
        if _response_headers(response.headers)[1].startswith(b"text/event-stream"):
            candidates = sse.messages_in(content)
        else:
            try:
                candidates = [jsonrpc.decode(content)]
            except ValueError as exc:
                if response.status != 200:
                    raise UpstreamError(f"upstream answered {method} with HTTP {response.status}") from exc
                raise UpstreamError(f"upstream answered {method} with invalid JSON") from exc
        for candidate in candidates:
            if isinstance(candidate, dict) and candidate.get("id") == msg_id:
                return candidate
        if response.status != 200:
            raise UpstreamError(f"upstream answered {method} with HTTP {response.status}")
        raise UpstreamError(f"upstream sent no answer to {method}")

    # ---- relaying ---------------------------------------------------------------
    async def _relay(
        self, req: Incoming, body: bytes | None, gate: SurfaceGate, send: Send, *,
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
            if isinstance(rewrite, HandshakeCapture):  # the session this answer opens
                rewrite.session = next((v.decode("latin-1") for k, v in headers if k == b"mcp-session-id"), None)
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
        elif _changed(raw):
            self._lists_changed(gate, req)
        return await respond(send, upstream.status, raw, headers)

    async def _relay_events(
        self, upstream: Response, headers: RawHeaders, gate: SurfaceGate, req: Incoming,
        send: Send, *, receive: Receive | None, rewrite: Rewrite | None,
    ) -> None:
        """An SSE answer. A list answer is cut into events to filter it; a GET
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
                if _changed(data) or _changed(tail + data[:MARK]):
                    self._lists_changed(gate, req)
                tail = data[-MARK:]
                await send({"type": "http.response.body", "body": data, "more_body": more})
        except RelayError as exc:  # the upstream broke off: so does the relayed answer
            log.warning("upstream stream for %s %s broke off: %s", req.method, req.path, exc)
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        return None

    async def _sniff(self, chunks: AsyncIterator[bytes], gate: SurfaceGate, req: Incoming
                     ) -> AsyncIterator[bytes]:
        """Pass bytes through; a list_changed notification makes the gate re-verify (the
        marker is also found across a chunk boundary)."""
        tail = b""
        async for chunk in chunks:
            if _changed(chunk) or _changed(tail + chunk[:MARK]):
                self._lists_changed(gate, req)
            tail = chunk[-MARK:]
            yield chunk

    def _lists_changed(self, gate: SurfaceGate, req: Incoming) -> None:
        gate.mark_stale()
        self._spawn(gate.warm(self._asker(req), {}))


class HandshakeCapture:
    """Reads an ``initialize`` or ``server/discover`` answer for the gate of the session it
    opens (its ``Mcp-Session-Id``; the request itself had none), never changing it."""

    def __init__(self, proxy: HttpProxy, msg_id: Any, gate: SurfaceGate) -> None:
        self.proxy = proxy
        self.msg_id = msg_id
        self.gate = gate
        self.session: str | None = None

    async def __call__(self, message: Any) -> Any:
        if isinstance(message, dict) and message.get("id") == self.msg_id:
            gate = self.proxy.gate_for(self.session) if self.session else self.gate
            gate.adopt_handshake(message.get("result"))
        return None


def _changed(data: bytes) -> bool:
    """Whether the bytes hold a tools, prompts or resources list_changed notification."""
    return b"/list_changed" in data and any(m in data for m in MARKERS)


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


def serve_http(make_gate: Callable[[], SurfaceGate], upstream_url: str, host: str, port: int) -> int:
    import uvicorn

    loopback = host in LOOPBACK_NAMES or host.startswith("127.")
    proxy = HttpProxy(make_gate, upstream_url, loopback_only=loopback)
    log.info("enforcing proxy on http://%s:%d -> %s", host, port, upstream_url)
    # h11 unless httptools is installed ("auto"); no access log, no proxy-headers
    # middleware, and no Server/Date headers of our own: the upstream's are relayed.
    uvicorn.run(proxy, host=host, port=port, log_level="warning", lifespan="on",
                access_log=False, proxy_headers=False, server_header=False, date_header=False)
    return 0
