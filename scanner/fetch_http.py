"""Streamable HTTP and legacy SSE transports, from the official SDK, bounded.

Headers and bearer tokens go to the HTTP client only; they never appear in a
report. Every response body is counted through a capped HTTP transport, so a
server cannot stream more than ``max_stdout_bytes`` (the same budget a stdio
server gets) at the scanner; one SSE event is bounded by ``max_message_bytes``.
Every wait is bounded by the fetch's timeouts (see ``scanner.fetch``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx2
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client

from scanner.errors import ServerMisbehaved
from scanner.limits import Limits
from scanner.sources import HttpSource


class ByteBudget:
    """Bytes the server may still send in this scan; the first overrun is remembered."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0
        self.failure: ServerMisbehaved | None = None

    def spend(self, n: int) -> None:
        self.used += n
        if self.used > self.limit:
            if self.failure is None:
                self.failure = ServerMisbehaved(f"server sent more than {self.limit} bytes over HTTP")
            raise self.failure


class _CappedStream(httpx2.AsyncByteStream):
    def __init__(self, inner: Any, budget: ByteBudget) -> None:
        self._inner, self._budget = inner, budget

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            self._budget.spend(len(chunk))
            yield chunk

    async def aclose(self) -> None:
        await self._inner.aclose()


class CappedTransport(httpx2.AsyncBaseTransport):
    """Wraps the real transport; each response body is drawn from the scan's budget."""

    def __init__(self, budget: ByteBudget) -> None:
        self._inner = httpx2.AsyncHTTPTransport()
        self._budget = budget

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        response = await self._inner.handle_async_request(request)
        response.stream = _CappedStream(response.stream, self._budget)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


def _client(budget: ByteBudget, headers: dict[str, str] | None, timeout: httpx2.Timeout | None) -> httpx2.AsyncClient:
    # Same settings as the SDK's create_mcp_http_client (no redirects followed by
    # httpx2 itself; the SDK follows same-origin ones), plus the capped transport.
    return httpx2.AsyncClient(headers=headers, timeout=timeout, transport=CappedTransport(budget))


@asynccontextmanager
async def open_http(source: HttpSource, limits: Limits, budget: ByteBudget) -> AsyncIterator[tuple[Any, Any]]:
    headers = source.all_headers()
    timeout = httpx2.Timeout(limits.start_timeout_s, read=limits.request_timeout_s)
    if source.transport == "sse":

        def factory(
            headers: dict[str, str] | None = None,
            timeout: httpx2.Timeout | None = None,
            auth: httpx2.Auth | None = None,
        ) -> httpx2.AsyncClient:
            return _client(budget, headers, timeout)

        async with sse_client(
            source.url,
            headers=headers,
            timeout=limits.start_timeout_s,
            sse_read_timeout=limits.request_timeout_s,
            httpx_client_factory=factory,
        ) as streams:
            yield streams
        return
    async with (
        _client(budget, headers, timeout) as client,
        streamable_http_client(source.url, http_client=client, max_sse_event_size=limits.max_message_bytes) as streams,
    ):
        yield streams
