"""Bare ASGI plumbing for the HTTP proxy: no framework between uvicorn and the relay.

A framework's request/response objects, middleware stack and per-response task group
cost more CPU than the whole relay (profiled: Starlette's ``StreamingResponse`` alone
was a third of the proxy's time per ``tools/call``), and the proxy needs none of it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import quote, urlsplit

import anyio

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
RawHeaders = list[tuple[bytes, bytes]]

# Not forwarded upstream: hop-by-hop, or set by the relay for the upstream connection
# (uvicorn answers a client's ``Expect: 100-continue`` itself).
HOP = frozenset({
    b"host", b"content-length", b"connection", b"keep-alive", b"transfer-encoding", b"te",
    b"upgrade", b"proxy-authorization", b"proxy-connection", b"accept-encoding", b"trailer",
    b"expect",
})
RESPONSE_HOP = frozenset({b"content-length", b"connection", b"keep-alive", b"transfer-encoding"})
JSON = [(b"content-type", b"application/json")]
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "[::1]", "::1"})


class Incoming:
    """What the proxy needs of one client request, read from the ASGI scope once."""

    __slots__ = ("headers", "host", "method", "origin", "path", "query", "raw_path", "session")

    def __init__(self, scope: Scope) -> None:
        self.method: str = scope["method"]
        self.path: str = scope["path"]
        self.raw_path: bytes = scope.get("raw_path") or quote(self.path).encode()
        self.query: bytes = scope.get("query_string", b"")
        self.session: str | None = None
        self.host = self.origin = ""
        headers: RawHeaders = [(b"accept-encoding", b"identity")]  # we may have to read it
        for name, value in scope["headers"]:
            if name not in HOP:
                headers.append((name, value))
                if name == b"mcp-session-id":
                    self.session = value.decode("latin-1")
                elif name == b"origin":
                    self.origin = value.decode("latin-1")
            elif name == b"host":
                self.host = value.decode("latin-1")
        self.headers = headers

    def from_loopback_name(self) -> bool:
        """Host (and Origin, when sent) name a loopback address: no DNS rebinding."""
        if _host_name(self.host) not in LOOPBACK_NAMES:
            return False
        return not self.origin or _host_name(urlsplit(self.origin).netloc) in LOOPBACK_NAMES


def _host_name(value: str) -> str:
    value = value.strip().lower()
    if value.startswith("["):
        return value[: value.find("]") + 1]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


async def read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole request body, or None when it is larger than ``limit``."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks)  # disconnected: whatever came
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)


async def respond(send: Send, status: int, body: bytes, headers: RawHeaders = JSON) -> None:
    """A complete response in two ASGI messages, with its length."""
    await send({"type": "http.response.start", "status": status,
                "headers": [*headers, (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def stream(
    send: Send, status: int, headers: RawHeaders, chunks: AsyncIterator[bytes],
    receive: Receive | None = None,
) -> None:
    """Relay ``chunks`` as they come. With ``receive`` (long-lived GET streams) the relay
    stops when the client hangs up, instead of waiting for the upstream's next event."""
    await send({"type": "http.response.start", "status": status, "headers": headers})
    if receive is None:
        await _pump(send, chunks)
        return
    async with anyio.create_task_group() as group:

        async def watch() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass
            group.cancel_scope.cancel()

        group.start_soon(watch)
        await _pump(send, chunks)
        group.cancel_scope.cancel()


async def _pump(send: Send, chunks: AsyncIterator[bytes]) -> None:
    try:
        async for chunk in chunks:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
    finally:
        with anyio.CancelScope(shield=True):
            await send({"type": "http.response.body", "body": b""})


async def lifespan(receive: Receive, send: Send, on_shutdown: Callable[[], Awaitable[None]]) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await on_shutdown()
            await send({"type": "lifespan.shutdown.complete"})
            return
