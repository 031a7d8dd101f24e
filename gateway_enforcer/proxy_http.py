"""Streamable HTTP proxy: an ASGI app in front of one streamable HTTP MCP server.

POSTed JSON-RPC messages are inspected; ``tools/call`` is answered with an error when
the tool is blocked, ``tools/list`` answers (JSON or SSE) lose the blocked tools,
``initialize`` answers give the server version. Everything else, GET streams and
DELETEs included, is relayed as raw bytes with headers (``Mcp-Session-Id`` too).
"""

from __future__ import annotations

import contextlib
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import urlsplit

import httpx
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from gateway_enforcer import jsonrpc, sse
from gateway_enforcer.errors import UpstreamError
from gateway_enforcer.gate import ToolGate

log = logging.getLogger("gateway_enforcer")

MAX_BODY = 32 * 1024 * 1024
MAX_SESSIONS = 10_000
HOP = frozenset({
    "host", "content-length", "connection", "keep-alive", "transfer-encoding", "te",
    "upgrade", "proxy-authorization", "proxy-connection", "accept-encoding", "trailer",
})
RESPONSE_HOP = frozenset({"content-length", "connection", "keep-alive", "transfer-encoding"})
LIST_CHANGED = b"notifications/tools/list_changed"


def _request_headers(request: Request) -> dict[str, str]:
    headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP}
    headers["accept-encoding"] = "identity"  # we may have to read what comes back
    return headers


def _response_headers(response: httpx.Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.lower() not in RESPONSE_HOP}


class HttpProxy:
    def __init__(
        self, make_gate: Callable[[], ToolGate], upstream_url: str,
        http: httpx.AsyncClient | None = None, *, loopback_only: bool = False,
    ) -> None:
        self.make_gate = make_gate
        self.loopback_only = loopback_only
        self.upstream_url = upstream_url
        parts = urlsplit(upstream_url)
        self._origin = f"{parts.scheme}://{parts.netloc}"
        self._mcp_path = parts.path or "/"
        self.http = http or httpx.AsyncClient(timeout=httpx.Timeout(30.0, read=None), trust_env=False)
        self._gates: OrderedDict[str, ToolGate] = OrderedDict()
        self.app = Starlette(
            routes=[Route("/{path:path}", self.handle, methods=["GET", "POST", "DELETE"])],
            lifespan=self._lifespan,
        )

    @contextlib.asynccontextmanager
    async def _lifespan(self, app: Starlette) -> AsyncIterator[None]:
        yield
        await self.http.aclose()

    def gate_for(self, session: str | None) -> ToolGate:
        key = session or ""
        gate = self._gates.get(key)
        if gate is None:
            gate = self._gates[key] = self.make_gate()
            while len(self._gates) > MAX_SESSIONS:
                self._gates.popitem(last=False)
        self._gates.move_to_end(key)
        return gate

    def _target(self, request: Request) -> str:
        if request.url.path == self._mcp_path:
            return self.upstream_url
        query = f"?{request.url.query}" if request.url.query else ""
        return f"{self._origin}{request.url.path}{query}"

    async def handle(self, request: Request) -> Response:
        if self.loopback_only and not _loopback_request(request):
            # DNS rebinding: a web page must not reach a local proxy under another name
            return JSONResponse(jsonrpc.error(None, -32600, "mcp-trust: Host/Origin not allowed"), 403)
        session = request.headers.get("mcp-session-id")
        gate = self.gate_for(session)
        if request.method == "DELETE":
            self._gates.pop(session or "", None)
        if request.method != "POST":
            return await self._relay(request, None, gate)
        body = await request.body()
        if len(body) > MAX_BODY:
            return JSONResponse(jsonrpc.error(None, -32600, "mcp-trust: request too large"), 413)
        env = jsonrpc.peek(body)
        if env is None and body.lstrip().startswith(b"["):
            return self._batch(body)
        method = env.method if env else None
        if method == "tools/call" and env is not None and env.id is not None:
            blocked = await self._check_call(request, body, env.id, gate)
            if blocked is not None:
                return blocked
        elif method == "tools/list" and env is not None and env.id is not None:
            rewrite = self._list_filter(jsonrpc.decode(body), gate, request)
            return await self._relay(request, body, gate, rewrite)
        elif method == "initialize" and env is not None:
            return await self._relay(request, body, gate, self._init_capture(env.id, gate))
        return await self._relay(request, body, gate)

    def _batch(self, body: bytes) -> Response:
        """Batches (protocol 2025-03-26 only) are refused: a tools/call inside one would
        otherwise escape the checks. Each request gets an error, in a batch answer."""
        try:
            batch = jsonrpc.decode(body)
        except ValueError:
            return JSONResponse(jsonrpc.error(None, -32700, "parse error"), 400)
        errors = [
            jsonrpc.error(m.get("id"), -32600, "mcp-trust: JSON-RPC batches are not accepted")
            for m in batch if isinstance(m, dict) and m.get("id") is not None
        ] if isinstance(batch, list) else []
        return JSONResponse(errors) if errors else Response(status_code=202)

    # ---- interception ---------------------------------------------------------
    async def _check_call(
        self, request: Request, body: bytes, msg_id: Any, gate: ToolGate
    ) -> Response | None:
        message = jsonrpc.decode(body)
        params = message.get("params") if isinstance(message, dict) else None
        name = str(params.get("name")) if isinstance(params, dict) else ""
        decision = gate.fast_decision()
        meta = jsonrpc.envelope_meta(message)
        if decision is None:
            try:
                decision = await gate.decide(lambda: self.fetch_tools(request, meta))
            except UpstreamError as exc:
                return JSONResponse(jsonrpc.error(msg_id, -32603, f"mcp-trust: {exc}"))
        if decision.tool_allowed(name):
            return None
        return JSONResponse(gate.refusal(msg_id, name, decision, modern=bool(meta)))

    def _list_filter(self, asked: Any, gate: ToolGate, request: Request) -> Any:
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
                decision = await gate.decide(lambda: self.fetch_tools(request, meta))
            except UpstreamError as exc:
                return jsonrpc.error(msg_id, -32603, f"mcp-trust: {exc}")
            result["tools"] = gate.filter_tools(decision, result["tools"])
            return message

        return rewrite

    def _init_capture(self, msg_id: Any, gate: ToolGate) -> Any:
        async def capture(message: Any) -> Any:
            result = message.get("result") if isinstance(message, dict) else None
            info = result.get("serverInfo") if isinstance(result, dict) else None
            if message.get("id") == msg_id and isinstance(info, dict):
                gate.version = info.get("version") if isinstance(info.get("version"), str) else None
            return None

        return capture

    async def fetch_tools(self, request: Request, meta: dict[str, Any]) -> list[dict[str, Any]]:
        """The upstream's complete tool list, asked in the client's session."""
        headers = _request_headers(request)
        headers.pop("mcp-name", None)
        headers.update({"content-type": "application/json", "mcp-method": "tools/list",
                        "accept": "application/json, text/event-stream"})
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

    async def _ask(self, headers: dict[str, str], message: Any, msg_id: str) -> dict[str, Any]:
        try:
            response = await self.http.post(self.upstream_url, content=jsonrpc.encode(message),
                                            headers=headers, timeout=30.0)
        except httpx.HTTPError as exc:
            raise UpstreamError(f"upstream unreachable: {type(exc).__name__}") from exc
        if response.status_code != 200:
            raise UpstreamError(f"upstream answered tools/list with HTTP {response.status_code}")
        if response.headers.get("content-type", "").startswith("text/event-stream"):
            candidates = sse.messages_in(response.content)
        else:
            candidates = [jsonrpc.decode(response.content)]
        for candidate in candidates:
            if isinstance(candidate, dict) and candidate.get("id") == msg_id:
                return candidate
        raise UpstreamError("upstream sent no answer to tools/list")

    # ---- relaying ---------------------------------------------------------------
    async def _relay(
        self, request: Request, body: bytes | None, gate: ToolGate, rewrite: Any = None
    ) -> Response:
        upstream_request = self.http.build_request(
            request.method, self._target(request), headers=_request_headers(request), content=body,
        )
        try:
            upstream = await self.http.send(upstream_request, stream=True)
        except httpx.HTTPError as exc:
            log.error("upstream %s unreachable: %s", self.upstream_url, exc)
            return JSONResponse(jsonrpc.error(None, -32603, "mcp-trust: upstream unreachable"), 502)
        headers = _response_headers(upstream)
        content_type = upstream.headers.get("content-type", "")
        if rewrite is not None and content_type.startswith("application/json"):
            raw = await upstream.aread()
            await upstream.aclose()
            try:
                message = jsonrpc.decode(raw)
            except ValueError:
                return Response(raw, upstream.status_code, headers)
            new = await rewrite(message)
            return Response(raw if new is None else jsonrpc.encode(new), upstream.status_code, headers)
        if rewrite is not None and content_type.startswith("text/event-stream"):
            stream = sse.rewrite_stream(upstream.aiter_raw(), rewrite)
        else:
            stream = _sniff(upstream.aiter_raw(), gate)
        return StreamingResponse(stream, upstream.status_code, headers,
                                 background=BackgroundTask(upstream.aclose))


LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "[::1]", "::1"})


def _host_name(value: str) -> str:
    value = value.strip().lower()
    if value.startswith("["):
        return value[: value.find("]") + 1]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def _loopback_request(request: Request) -> bool:
    if _host_name(request.headers.get("host", "")) not in LOOPBACK_NAMES:
        return False
    origin = request.headers.get("origin")
    return origin is None or _host_name(urlsplit(origin).netloc) in LOOPBACK_NAMES


async def _sniff(chunks: AsyncIterator[bytes], gate: ToolGate) -> AsyncIterator[bytes]:
    """Pass bytes through; a tools/list_changed notification makes the gate re-verify."""
    async for chunk in chunks:
        if LIST_CHANGED in chunk:
            gate.mark_stale()
        yield chunk


def serve_http(make_gate: Callable[[], ToolGate], upstream_url: str, host: str, port: int) -> int:
    import uvicorn

    loopback = host in LOOPBACK_NAMES or host.startswith("127.")
    proxy = HttpProxy(make_gate, upstream_url, loopback_only=loopback)
    log.info("enforcing proxy on http://%s:%d -> %s", host, port, upstream_url)
    uvicorn.run(proxy.app, host=host, port=port, log_level="warning", lifespan="on")
    return 0
