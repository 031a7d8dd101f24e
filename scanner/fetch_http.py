"""Streamable HTTP and legacy SSE transports, from the official SDK, bounded and guarded.

Headers and bearer tokens go to the HTTP client only; they never appear in a
report. Every response body is counted through a capped HTTP transport, so a
server cannot stream more than ``max_stdout_bytes`` (the same budget a stdio
server gets) at the scanner; one SSE event is bounded by ``max_message_bytes``.
Every wait is bounded by the fetch's timeouts (see ``scanner.fetch``).

With a guarding ``NetworkPolicy`` (the registry always passes one) every TCP
connection the client opens goes through ``GuardedBackend``, which resolves the
host, refuses it unless every address is allowed, and connects to the checked
address itself; a redirect answer pointing at a refused address fails the request
even when nobody would follow it (see ``scanner.netguard``).
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

import anyio
import httpcore2
import httpx2
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client

from scanner.errors import ConnectionFailed, ScannerError, ServerMisbehaved
from scanner.limits import Limits
from scanner.netguard import AddressNotAllowed, HostUnresolvable, NetworkPolicy
from scanner.sources import HttpSource

MAX_ADDRESSES = 4  # checked addresses tried in turn when one refuses the connection
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class HttpStatusFailed(ServerMisbehaved):
    """An MCP request got an HTTP error status, and the fetch failed after it."""

    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP status {status}")
        self.status = status


class ByteBudget:
    """Bytes the server may still send in this scan, and what went wrong on the wire.

    ``failure`` is the first error the transport decided itself (a byte overrun, a
    refused address); the fetch raises it whatever else happened. ``status`` and
    ``error`` keep the first HTTP error status and transport error of an MCP request
    (a POST), which the SDK only logs; they explain a fetch that failed.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0
        self.failure: ScannerError | None = None
        self.status: int | None = None
        self.error: httpx2.TransportError | None = None

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


class GuardedBackend(httpcore2.AsyncNetworkBackend):
    """Opens TCP connections only to allowed addresses, pinned to the address checked.

    httpcore asks for the URL's host name; the backend resolves and checks it, then
    connects to the checked IP. httpcore starts TLS afterwards with the host name as
    the server name, so SNI and the certificate check keep using the name, and the
    Host header is the URL's as always.
    """

    def __init__(self, policy: NetworkPolicy, inner: httpcore2.AsyncNetworkBackend | None = None) -> None:
        self._policy = policy
        self._inner = inner or httpcore2.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore2.SOCKET_OPTION] | None = None,
    ) -> httpcore2.AsyncNetworkStream:
        addresses = await self._policy.resolve(host, port, timeout)
        refused: httpcore2.ConnectError | None = None
        for address in addresses[:MAX_ADDRESSES]:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except httpcore2.ConnectError as exc:
                refused = exc
        assert refused is not None
        raise refused

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore2.SOCKET_OPTION] | None = None,
    ) -> httpcore2.AsyncNetworkStream:
        raise AddressNotAllowed(path, path, "unix socket")

    async def sleep(self, seconds: float) -> None:
        await anyio.sleep(seconds)


class GuardedTransport(httpx2.AsyncHTTPTransport):
    """httpx2's own transport over a pool whose connections go through ``GuardedBackend``."""

    def __init__(
        self,
        policy: NetworkPolicy,
        *,
        verify: ssl.SSLContext | bool = True,
        backend: httpcore2.AsyncNetworkBackend | None = None,
    ) -> None:
        super().__init__(verify=verify)
        # httpx2's transport takes no network backend, so its pool (not opened yet) is
        # swapped for one with ours; httpx2's request and error mapping stay as they are.
        self._pool = httpcore2.AsyncConnectionPool(
            ssl_context=httpx2.create_ssl_context(verify=verify),
            max_connections=10,
            max_keepalive_connections=5,
            keepalive_expiry=5.0,
            network_backend=GuardedBackend(policy, backend),
        )
        self._policy = policy

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        response = await super().handle_async_request(request)
        target = _redirect_target(request, response)
        if target is not None:
            try:
                await self._policy.resolve(*target)
            except AddressNotAllowed:
                await response.aclose()
                raise
            except HostUnresolvable:
                pass  # following it fails on its own; the redirect is the caller's to judge
        return response


def _redirect_target(request: httpx2.Request, response: httpx2.Response) -> tuple[str, int] | None:
    location = response.headers.get("location") if response.status_code in _REDIRECTS else None
    if not location:
        return None
    try:
        url = request.url.join(location)
    except httpx2.InvalidURL:
        return None
    if url.scheme not in ("http", "https") or not url.host:
        return None
    return url.host, url.port or (443 if url.scheme == "https" else 80)


class CappedTransport(httpx2.AsyncBaseTransport):
    """Wraps the real transport (guarded when a policy says so); each response body is
    drawn from the scan's budget, and what fails on the wire is kept in it."""

    def __init__(self, budget: ByteBudget, network: NetworkPolicy | None = None) -> None:
        self._inner: httpx2.AsyncBaseTransport = (
            GuardedTransport(network) if network is not None and network.guard else httpx2.AsyncHTTPTransport()
        )
        self._budget = budget

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        mcp_request = request.method == "POST"
        try:
            response = await self._inner.handle_async_request(request)
        except (AddressNotAllowed, HostUnresolvable) as exc:
            self._budget.failure = self._budget.failure or exc
            raise
        except httpx2.TransportError as exc:
            if mcp_request and self._budget.error is None:
                self._budget.error = exc
            raise
        if mcp_request and response.status_code >= 400 and self._budget.status is None:
            self._budget.status = response.status_code
        response.stream = _CappedStream(response.stream, self._budget)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


def _client(
    budget: ByteBudget, headers: dict[str, str] | None, timeout: httpx2.Timeout | None, network: NetworkPolicy | None
) -> httpx2.AsyncClient:
    # Same settings as the SDK's create_mcp_http_client (no redirects followed by
    # httpx2 itself; the SDK follows same-origin ones), plus the capped transport.
    return httpx2.AsyncClient(headers=headers, timeout=timeout, transport=CappedTransport(budget, network))


@asynccontextmanager
async def open_http(
    source: HttpSource, limits: Limits, budget: ByteBudget, network: NetworkPolicy | None = None
) -> AsyncIterator[tuple[Any, Any]]:
    """The SDK transport for ``source``; a failed fetch is explained by what the wire saw
    (the SDK turns a refused connection or an HTTP error into a closed session)."""
    try:
        async with _open(source, limits, budget, network) as streams:
            yield streams
    except Exception as exc:
        if budget.error is not None:
            first = (str(budget.error).strip().splitlines() or [""])[0]
            raise ConnectionFailed(f"could not talk to the server ({type(budget.error).__name__}: {first})") from (
                budget.error
            )
        if budget.status is not None:
            raise HttpStatusFailed(budget.status) from exc
        raise


@asynccontextmanager
async def _open(
    source: HttpSource, limits: Limits, budget: ByteBudget, network: NetworkPolicy | None
) -> AsyncIterator[tuple[Any, Any]]:
    headers = source.all_headers()
    timeout = httpx2.Timeout(limits.start_timeout_s, read=limits.request_timeout_s)
    if source.transport == "sse":

        def factory(
            headers: dict[str, str] | None = None,
            timeout: httpx2.Timeout | None = None,
            auth: httpx2.Auth | None = None,
        ) -> httpx2.AsyncClient:
            return _client(budget, headers, timeout, network)

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
        _client(budget, headers, timeout, network) as client,
        streamable_http_client(source.url, http_client=client, max_sse_event_size=limits.max_message_bytes) as streams,
    ):
        yield streams
