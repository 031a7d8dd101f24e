"""Streamable HTTP and legacy SSE transports, from the official SDK, bounded.

Headers and bearer tokens go to the HTTP client only; they never appear in a
report. SSE event size is bounded by ``max_message_bytes``; every wait is
bounded by the fetch's timeouts (see ``scanner.fetch``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx2
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from scanner.limits import Limits
from scanner.sources import HttpSource


@asynccontextmanager
async def open_http(source: HttpSource, limits: Limits) -> AsyncIterator[tuple[Any, Any]]:
    headers = source.all_headers()
    timeout = httpx2.Timeout(limits.start_timeout_s, read=limits.request_timeout_s)
    if source.transport == "sse":
        async with sse_client(
            source.url,
            headers=headers,
            timeout=limits.start_timeout_s,
            sse_read_timeout=limits.request_timeout_s,
        ) as streams:
            yield streams
        return
    async with (
        create_mcp_http_client(headers=headers, timeout=timeout) as client,
        streamable_http_client(source.url, http_client=client, max_sse_event_size=limits.max_message_bytes) as streams,
    ):
        yield streams
