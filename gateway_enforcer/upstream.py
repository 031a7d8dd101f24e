"""A lean HTTP/1.1 keep-alive client for the HTTP proxy's relay to its one upstream.

asyncio Protocols carry the bytes and httptools (llhttp, the C parser uvicorn uses on
the server side) parses the answers: no HTTP parsing of our own, and nothing between
the socket and the relay but a list of body chunks and one future to wake the reader.
httpcore's client side was ~0.65 ms of the proxy's ~1 ms CPU per ``tools/call``
(profiled): its own HTTP/1.1 state machine (h11, pure Python), anyio streams and
per-request models, all general-purpose work a relay to one origin does not need.

Bounds: connecting, waiting for a free connection and writing a request each time out;
an answer's head is limited to ``max_head`` bytes and whatever is buffered and not yet
taken by the relay to ``max_body`` bytes (a streamed answer pauses reading at
``high_water`` until the relay catches up). Waiting for an answer has no time limit:
GET streams and long tool calls stay open for as long as both ends want.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
from collections import deque
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import httptools

from gateway_enforcer.errors import UpstreamError

RawHeaders = list[tuple[bytes, bytes]]


class RelayError(UpstreamError):
    """No connection to the upstream, or its answer broke off, was malformed or too large."""


@dataclass(frozen=True)
class Limits:
    connect_timeout: float = 30.0
    write_timeout: float = 30.0
    pool_timeout: float = 30.0  # waiting for a free connection when max_connections are busy
    max_connections: int = 1000
    max_idle: int = 64
    # Below the 5 s idle timeout of uvicorn's and Node's servers: we drop an idle connection
    # before the upstream does, so a request rarely meets a connection being closed.
    idle_expiry: float = 4.0
    max_head: int = 64 * 1024
    max_body: int = 32 * 1024 * 1024
    high_water: int = 256 * 1024


class Response:
    """One upstream answer: status and headers when ``request`` returns, the body as it
    comes (``read`` for all of it, ``next_data`` for what arrived so far). Also the
    httptools parser's callback object for this answer."""

    __slots__ = ("_body", "_buffered", "_conn", "_error", "_framed", "_head_size", "_limits",
                 "_parser", "_seen", "_streaming", "_waiter", "complete", "headers", "keep_alive",
                 "status")

    def __init__(self, conn: _Connection, limits: Limits) -> None:
        self._conn = conn
        self._limits = limits
        # the parser and this object refer to each other: ``release`` breaks the cycle
        self._parser: httptools.HttpResponseParser | None = httptools.HttpResponseParser(self)
        self._seen = False  # any byte of the answer arrived
        self.status = 0  # 0 until the (final, non-1xx) head is complete
        self.headers: RawHeaders = []
        self.complete = False
        self.keep_alive = False
        self._head_size = 0
        self._body: list[bytes] = []
        self._buffered = 0
        self._streaming = False
        self._framed = True  # False: the body ends when the upstream closes the connection
        self._error: RelayError | None = None
        self._waiter: asyncio.Future[None] | None = None

    # ---- httptools callbacks (raising in one makes feed_data fail) ---------------
    def on_header(self, name: bytes, value: bytes) -> None:
        self._head_size += len(name) + len(value) + 4
        if self._head_size > self._limits.max_head or self.complete:
            raise RelayError("the upstream's answer head is too large")
        self.headers.append((name, value))

    def on_headers_complete(self) -> None:
        assert self._parser is not None
        if self.complete:
            raise RelayError("the upstream sent a second answer to one request")
        status = self._parser.get_status_code()
        if status < 200:  # 100 Continue, 103 Early Hints: the real answer follows
            self.headers, self._head_size = [], 0
            return
        framed = status in (204, 304)
        for name, value in self.headers:
            lowered = name.lower()
            if lowered == b"content-length" or (
                    lowered == b"transfer-encoding" and b"chunked" in value.lower()):
                framed = True
        self._framed = framed
        self.status = status
        self._wake()

    def on_body(self, body: bytes) -> None:
        self._body.append(body)
        self._buffered += len(body)
        if self._buffered > self._limits.max_body:
            raise RelayError(f"the upstream's answer is larger than {self._limits.max_body} bytes")
        if self._streaming and self._buffered > self._limits.high_water:
            self._conn.pause_reading()
        self._wake()

    def on_message_complete(self) -> None:
        if self.status == 0:  # the end of an interim (1xx) answer
            return
        assert self._parser is not None
        self.complete = True
        self.keep_alive = self._parser.should_keep_alive()
        self._wake()

    # ---- called by the connection ------------------------------------------------
    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _fail(self, error: RelayError) -> None:
        if self._error is None and not self.complete:
            self._error = error
        self._wake()

    def _eof(self) -> None:
        """The upstream closed the connection before the answer was complete."""
        if self.status and not self._framed:  # a body delimited by the close: now it is
            self.complete = True
            self._wake()
        else:
            self._fail(RelayError("the upstream closed the connection mid-answer"))

    async def _wait(self) -> None:
        if self._error is not None:
            raise self._error
        self._waiter = waiter = asyncio.get_running_loop().create_future()
        try:
            await waiter
        finally:
            self._waiter = None
        if self._error is not None:
            raise self._error

    # ---- for the relay -------------------------------------------------------------
    async def read(self) -> bytes:
        """The whole body (at most ``max_body`` bytes)."""
        while not self.complete:
            await self._wait()
        body = self._body
        return body[0] if len(body) == 1 else b"".join(body)

    async def next_data(self) -> bytes:
        """The body bytes that arrived since the last call, waiting for some; b"" at the end."""
        self._streaming = True
        while not self._body:
            if self.complete:
                return b""
            await self._wait()
        body = self._body
        data = body[0] if len(body) == 1 else b"".join(body)
        body.clear()
        self._buffered = 0
        self._conn.resume_reading()
        return data

    @property
    def drained(self) -> bool:
        """Complete, and every body byte taken by ``next_data``."""
        return self.complete and not self._body


class _Connection(asyncio.Protocol):
    """One keep-alive connection to the upstream; at most one answer in flight."""

    def __init__(self, pool: UpstreamPool) -> None:
        self.pool = pool
        self.transport: asyncio.Transport | None = None
        self.response: Response | None = None
        self.lost = False
        self.idle_since = 0.0
        self._reading_paused = False
        self._writing_paused = False
        self._drained: asyncio.Future[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        sock = transport.get_extra_info("socket")
        if sock is not None:  # our requests go out in one write: never wait for an ACK
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def data_received(self, data: bytes) -> None:
        response = self.response
        if response is None or response.complete or response._parser is None:
            self.abort()  # bytes nobody asked for: this connection is out of step
            return
        response._seen = True
        try:
            response._parser.feed_data(data)
        except (httptools.HttpParserError, httptools.HttpParserUpgrade) as exc:
            cause = exc.__context__
            response._fail(cause if isinstance(cause, RelayError) else
                           RelayError(f"malformed answer from the upstream: {exc}"))
            self.abort()

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        if self.response is not None and not self.response.complete:
            self.response._eof()
        self._wake_writer()
        self.pool._lost(self)

    def pause_writing(self) -> None:
        self._writing_paused = True

    def resume_writing(self) -> None:
        self._writing_paused = False
        self._wake_writer()

    def _wake_writer(self) -> None:
        if self._drained is not None and not self._drained.done():
            self._drained.set_result(None)

    async def send(self, data: bytes, timeout: float) -> None:
        assert self.transport is not None
        self.transport.write(data)
        if not self._writing_paused or self.lost:
            return
        self._drained = asyncio.get_running_loop().create_future()
        try:
            async with asyncio.timeout(timeout):
                await self._drained
        except TimeoutError as exc:
            raise RelayError(f"writing to the upstream timed out after {timeout:g} s") from exc
        if self.lost:
            raise RelayError("the upstream closed the connection while we wrote")

    def pause_reading(self) -> None:
        if not self._reading_paused and self.transport is not None:
            self._reading_paused = True
            self.transport.pause_reading()

    def resume_reading(self) -> None:
        if self._reading_paused and self.transport is not None and not self.lost:
            self._reading_paused = False
            self.transport.resume_reading()

    def usable(self) -> bool:
        return not self.lost and self.transport is not None and not self.transport.is_closing()

    def abort(self) -> None:
        if self.transport is not None:
            self.transport.abort()


class UpstreamPool:
    """Keep-alive connections to one origin (``http://`` or ``https://``)."""

    def __init__(self, url: str, limits: Limits | None = None,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http:// or https:// URL: {url!r}")
        self.limits = limits or Limits()
        self.host = parts.hostname
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        netloc = parts.netloc.rsplit("@", 1)[-1]
        self.authority = netloc.encode() if netloc.isascii() else netloc.encode("idna")
        # the path and query of ``url`` as a request target (non-ASCII percent-encoded)
        target = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
        if parts.query:
            target += "?" + quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
        self.target = target.encode()
        self._ssl: ssl.SSLContext | None = None
        if parts.scheme == "https":
            self._ssl = ssl_context or _default_ssl_context()
        self._idle: list[_Connection] = []
        self._open = 0  # connections open or being opened
        self._slot_waiters: deque[asyncio.Future[None]] = deque()
        self._closed = False

    async def request(self, method: bytes, target: bytes, headers: RawHeaders,
                      body: bytes | None = None, *, replayable: bool = True) -> Response:
        """Send one request; returns once the answer's head is in. The caller must
        ``release`` the answer (after reading as much of it as it wants).

        ``replayable``: the request may be sent a second time when a kept-alive
        connection closes before a byte of answer (most likely the upstream closed it as
        idle as the request arrived, but it may also have died after running it). Pass
        False for requests that must not run twice, such as a ``tools/call``: such a
        request then fails with ``RelayError`` instead."""
        out = [method, b" ", target, b" HTTP/1.1\r\nhost: ", self.authority, b"\r\n"]
        for name, value in headers:
            out += (name, b": ", value, b"\r\n")
        if body is not None:
            out += (b"content-length: ", b"%d" % len(body), b"\r\n\r\n", body)
        else:
            out.append(b"\r\n")
        data = b"".join(out)
        for attempt in (1, 2):
            conn, reused = await self._acquire()
            response = conn.response = Response(conn, self.limits)
            try:
                await conn.send(data, self.limits.write_timeout)
                while not response.status:
                    await response._wait()
                return response
            except RelayError:
                self.release(response)
                # A reused connection closed without a byte of answer: most likely the
                # upstream closed it as idle while our request was on its way. Sent once
                # more on a new connection, but only if running it twice would be harmless
                # (Go's client likewise replays only idempotent requests).
                if attempt == 1 and replayable and reused and conn.lost and not response._seen:
                    continue
                raise
            except BaseException:
                self.release(response)
                raise
        raise AssertionError("unreachable")

    def release(self, response: Response) -> None:
        """Done with ``response``: its connection goes back to the pool when the answer
        was read to its end, and is closed otherwise."""
        conn = response._conn
        if conn.response is not response:
            return
        conn.response = None
        response._parser = None
        if not (response.complete and response.keep_alive and conn.usable()) or self._closed:
            conn.abort()
            return
        conn.resume_reading()
        conn.idle_since = asyncio.get_running_loop().time()
        self._idle.append(conn)
        if len(self._idle) > self.limits.max_idle:
            self._idle.pop(0).abort()
        self._wake_slot_waiter()

    async def aclose(self) -> None:
        self._closed = True
        for conn in self._idle:
            conn.abort()
        self._idle.clear()

    # ---- connections ---------------------------------------------------------------
    async def _acquire(self) -> tuple[_Connection, bool]:
        """A connection, and whether it was used before."""
        loop = asyncio.get_running_loop()
        now = loop.time()
        while self._idle:  # most recently used first: the least likely to be expiring
            conn = self._idle.pop()
            if conn.usable() and now - conn.idle_since < self.limits.idle_expiry:
                return conn, True
            conn.abort()
        if self._closed:
            raise RelayError("the proxy is shutting down")
        while self._open >= self.limits.max_connections:
            await self._wait_for_slot()
            if self._idle:
                return await self._acquire()
        self._open += 1
        try:
            async with asyncio.timeout(self.limits.connect_timeout):
                _, conn = await loop.create_connection(
                    lambda: _Connection(self), self.host, self.port, ssl=self._ssl,
                    server_hostname=self.host if self._ssl else None)
        except BaseException as exc:
            self._open -= 1
            self._wake_slot_waiter()
            if isinstance(exc, (OSError, TimeoutError, ssl.SSLError)):
                raise RelayError(f"cannot connect to the upstream {self.host}:{self.port}: "
                                 f"{type(exc).__name__}: {exc}") from exc
            raise
        return conn, False

    async def _wait_for_slot(self) -> None:
        waiter = asyncio.get_running_loop().create_future()
        self._slot_waiters.append(waiter)
        try:
            async with asyncio.timeout(self.limits.pool_timeout):
                await waiter
        except TimeoutError as exc:
            raise RelayError(f"all {self.limits.max_connections} upstream connections are busy") from exc
        finally:
            with contextlib.suppress(ValueError):
                self._slot_waiters.remove(waiter)

    def _wake_slot_waiter(self) -> None:
        while self._slot_waiters:
            waiter = self._slot_waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    def _lost(self, conn: _Connection) -> None:
        self._open -= 1
        if conn in self._idle:
            self._idle.remove(conn)
        self._wake_slot_waiter()


def _default_ssl_context() -> ssl.SSLContext:
    import httpx  # the CA bundle and settings of the enforcer's registry client

    return httpx.create_ssl_context(trust_env=False)
