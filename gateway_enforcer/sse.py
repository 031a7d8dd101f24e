"""Server-sent events, just enough to rewrite one JSON-RPC message inside a stream
while every other byte goes through as it came."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from gateway_enforcer import jsonrpc

log = logging.getLogger("gateway_enforcer")

# Rewrites a decoded message; returns None to leave the event's bytes untouched.
Rewrite = Callable[[Any], Awaitable[Any]]


def _data_of(event: bytes) -> bytes | None:
    parts = [
        line[5:].removeprefix(b" ")
        for line in event.splitlines()
        if line.startswith(b"data:")
    ]
    return b"\n".join(parts) if parts else None


async def _rewrite_event(event: bytes, rewrite: Rewrite) -> bytes:
    data = _data_of(event)
    if not data:
        return event
    try:
        message = jsonrpc.decode(data)
    except ValueError:
        return event
    new = await rewrite(message)
    if new is None:
        return event
    kept = [ln for ln in event.splitlines() if ln and not ln.startswith(b"data:")]
    kept.append(b"data: " + jsonrpc.encode(new))
    return b"\n".join(kept) + b"\n\n"


MAX_EVENT = 32 * 1024 * 1024


async def rewrite_stream(chunks: AsyncIterator[bytes], rewrite: Rewrite,
                         max_event: int = MAX_EVENT) -> AsyncIterator[bytes]:
    """Yield the stream event by event, passing each event's JSON through ``rewrite``.
    An event larger than ``max_event`` ends the stream: it is never passed on unread."""
    buffer = b""
    async for chunk in chunks:
        buffer += chunk.replace(b"\r\n", b"\n")
        while b"\n\n" in buffer:
            event, buffer = buffer.split(b"\n\n", 1)
            yield await _rewrite_event(event + b"\n\n", rewrite)
        if len(buffer) > max_event:
            log.warning("an SSE event from the upstream is larger than %d bytes: stream ended",
                        max_event)
            return
    if buffer:  # the last event had no blank line after it: still never passed on unread
        yield await _rewrite_event(buffer, rewrite)


def messages_in(body: bytes) -> list[Any]:
    """Every JSON-RPC message in a complete SSE body."""
    out = []
    for event in body.replace(b"\r\n", b"\n").split(b"\n\n"):
        data = _data_of(event)
        if data:
            try:
                out.append(jsonrpc.decode(data))
            except ValueError:
                continue
    return out
