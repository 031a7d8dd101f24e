"""Fetch a server's tool surface over MCP, in wire form, under hard bounds.

The official SDK's ``ClientSession`` drives the protocol (handshake, request
ids, server-initiated requests). A tap between the session and the transport
copies each raw JSON-RPC result off the wire *before* the SDK parses it into
snake_case models, so what we hash is exactly what the server sent: unknown
fields, ``_meta``, ``outputSchema``, ``annotations`` and ``title`` included.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Literal

import anyio
import mcp_types as types
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream
from mcp.client.session import ClientSession
from mcp.shared.exceptions import MCPError
from mcp.shared.message import SessionMessage
from mcp_types import SERVER_INFO_META_KEY
from mcp_types.version import HANDSHAKE_PROTOCOL_VERSIONS, MODERN_PROTOCOL_VERSIONS
from pydantic import ValidationError

from scanner.errors import ConnectionFailed, ScannerError, ServerMisbehaved
from scanner.limits import Limits
from scanner.models import ServerInfo, ToolSurface
from scanner.wirecheck import ItemAccumulator, ToolAccumulator, next_cursor, page_items

Progress = Callable[[str], None]
Streams = tuple[Any, Any]
# How a fetch agrees a protocol version: the initialize handshake (every version up to
# 2025-11-25) or server/discover (the stateless revision, 2026-07-28).
Era = Literal["handshake", "stateless"]


class StatelessOnly(ServerMisbehaved):
    """The server refused the initialize handshake as a server of the stateless protocol
    revision refuses it; ``fetch_each_era`` asks it again over a fresh connection."""


class WireTap:
    """Relays messages both ways and keeps the raw result of each request we sent."""

    def __init__(self) -> None:
        self._pending: dict[Any, str] = {}
        self.results: dict[str, dict[str, Any]] = {}

    @asynccontextmanager
    async def attach(self, streams: Streams) -> AsyncIterator[Streams]:
        t_read, t_write = streams
        s_read_send, s_read_recv = anyio.create_memory_object_stream[SessionMessage | Exception](16)
        s_write_send, s_write_recv = anyio.create_memory_object_stream[SessionMessage](16)
        async with anyio.create_task_group() as tg:
            tg.start_soon(self._inbound, t_read, s_read_send)
            tg.start_soon(self._outbound, s_write_recv, t_write)
            try:
                yield s_read_recv, s_write_send
            finally:
                s_read_recv.close()
                s_write_send.close()
                tg.cancel_scope.cancel()

    async def _inbound(self, source: Any, sink: MemoryObjectSendStream[SessionMessage | Exception]) -> None:
        async with sink:
            try:
                async for item in source:
                    if isinstance(item, SessionMessage):
                        msg = item.message
                        if isinstance(msg, types.JSONRPCResponse) and msg.id in self._pending:
                            # Copied before the SDK sees it: the session mutates results.
                            self.results[self._pending.pop(msg.id)] = copy.deepcopy(msg.result)
                    await sink.send(item)
            except (anyio.ClosedResourceError, anyio.BrokenResourceError, anyio.EndOfStream):
                return

    async def _outbound(self, source: MemoryObjectReceiveStream[SessionMessage], sink: Any) -> None:
        try:
            async with source:
                async for item in source:
                    if isinstance(item.message, types.JSONRPCRequest):
                        self._pending[item.message.id] = item.message.method
                    await sink.send(item)
        except (anyio.ClosedResourceError, anyio.BrokenResourceError):
            return


class Collector:
    """One fetch: handshake, then every list the server advertises, page by page."""

    def __init__(
        self, session: ClientSession, tap: WireTap, limits: Limits, progress: Progress, phase: list[str]
    ) -> None:
        self.session, self.tap, self.limits, self.progress = session, tap, limits, progress
        self.phase = phase  # the request in flight, for the total-timeout message
        self._sdk_rejected: tuple[str, ValidationError] | None = None

    async def _request(
        self, method: str, call: Callable[[], Awaitable[Any]], *, optional: bool = False
    ) -> dict[str, Any] | None:
        self.tap.results.pop(method, None)
        self.phase[0] = method
        timeout = self.limits.request_timeout_s
        sdk_error: ValidationError | None = None
        try:
            with anyio.fail_after(timeout):
                await call()
        except TimeoutError:
            if method == "initialize":
                raise ConnectionFailed(f"server did not answer initialize within {timeout:g} s") from None
            raise ServerMisbehaved(f"server did not answer {method} within {timeout:g} s") from None
        except ValidationError as exc:
            sdk_error = exc  # judged below, after our own checks on the raw result
        except MCPError as exc:
            if exc.code == types.CONNECTION_CLOSED:
                raise ConnectionFailed(f"server closed the connection during {method}") from exc
            if optional:
                self.progress(f"{method} failed ({exc.code}: {exc.message}); skipped")
                return None
            raise ServerMisbehaved(f"server answered {method} with error {exc.code}: {exc.message}") from exc
        raw = self.tap.results.pop(method, None)
        if raw is None:
            raise ServerMisbehaved(f"no result for {method} was seen on the wire")
        self._sdk_rejected = None if sdk_error is None else (method, sdk_error)
        return raw

    def _judge_sdk(self) -> None:
        """Called after our own checks passed on a result the SDK's models rejected."""
        if self._sdk_rejected is not None:
            method, exc = self._sdk_rejected
            first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": str(exc)}
            loc = ".".join(str(p) for p in first.get("loc", ()))
            raise ServerMisbehaved(f"{method} result breaks the MCP schema at {loc}: {first['msg']}")

    async def handshake(self, era: Era = "handshake") -> ServerInfo:
        """Agree a protocol version (``initialize`` settles on any handshake-era version the
        SDK speaks; ``server/discover`` on a stateless one) and read what the server says
        about itself in the answer."""
        method = "initialize" if era == "handshake" else "server/discover"
        self.progress(method)
        raw = await self._request(method, self._initialize if era == "handshake" else self._discover)
        assert raw is not None
        self._judge_sdk()
        # initialize answers with serverInfo; a 2026-era discover answer stamps it in _meta
        meta = raw.get("_meta") if isinstance(raw.get("_meta"), dict) else {}
        assert isinstance(meta, dict)
        info = raw.get("serverInfo", meta.get(SERVER_INFO_META_KEY))
        info = info if isinstance(info, dict) else {}
        caps = raw.get("capabilities")
        instructions = raw.get("instructions")
        return ServerInfo(
            name=_str_or_none(info.get("name")),
            version=_str_or_none(info.get("version")),
            title=_str_or_none(info.get("title")),
            protocol_version=self.session.protocol_version or _str_or_none(raw.get("protocolVersion")),
            instructions=instructions if isinstance(instructions, str) else None,
            capabilities=caps if isinstance(caps, dict) else {},
        )

    async def _initialize(self) -> None:
        # initialize, not the SDK's discover-first probe: servers on older SDKs die on a
        # request they do not know before initialize, and a scan must not break them
        try:
            await self.session.initialize()
        except MCPError as exc:
            if _refuses_handshake(exc):
                raise StatelessOnly(f"server refused initialize ({exc.code}: {exc.message})") from exc
            raise
        except RuntimeError as exc:  # the SDK refuses a version it does not speak
            raise _no_common_version(exc) from exc

    async def _discover(self) -> None:
        try:
            await self.session.discover()
        except RuntimeError as exc:
            raise _no_common_version(exc) from exc

    async def tools(self) -> list[dict[str, Any]]:
        acc = ToolAccumulator(self.limits)
        async for page in self._pages("tools/list", "tools", self.session.list_tools):
            acc.add_page(page)
            self._judge_sdk()
            self.progress(f"tools/list: {len(acc.tools)} tools")
        return acc.tools

    async def items(self, method: str, key: str, call: Callable[..., Awaitable[Any]]) -> list[dict[str, Any]]:
        acc = ItemAccumulator(self.limits, method)
        async for page in self._pages(method, key, call, optional=True):
            acc.add_page(page)
            self._judge_sdk()
        return acc.items

    async def _pages(
        self,
        method: str,
        key: str,
        call: Callable[..., Awaitable[Any]],
        *,
        optional: bool = False,
    ) -> AsyncIterator[list[dict[str, Any]]]:
        cursor: str | None = None
        seen: set[str] = set()
        for _ in range(self.limits.max_pages):
            params = types.PaginatedRequestParams(cursor=cursor) if cursor else None

            async def one(params: Any = params) -> Any:
                return await call(params=params)

            raw = await self._request(method, one, optional=optional)
            if raw is None:
                return
            yield page_items(raw, key, method)
            cursor = next_cursor(raw, method, seen)
            if cursor is None:
                return
        raise ServerMisbehaved(f"{method} needs more than {self.limits.max_pages} pages")


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _refuses_handshake(exc: MCPError) -> bool:
    """A stateless-only server's answer to initialize: the method does not exist for it, or
    the version error naming a stateless version it speaks instead."""
    if exc.code == types.METHOD_NOT_FOUND:
        return True
    if exc.code != types.UNSUPPORTED_PROTOCOL_VERSION:
        return False
    try:
        supported = types.UnsupportedProtocolVersionErrorData.model_validate(exc.error.data).supported
    except ValidationError:
        return False
    return any(v in MODERN_PROTOCOL_VERSIONS for v in supported)


def _no_common_version(exc: RuntimeError) -> ServerMisbehaved:
    speaks = ", ".join((*HANDSHAKE_PROTOCOL_VERSIONS, *MODERN_PROTOCOL_VERSIONS))
    return ServerMisbehaved(f"no protocol version in common ({exc}); the scanner speaks {speaks}")


async def collect_surface(
    session: ClientSession,
    tap: WireTap,
    limits: Limits,
    progress: Progress,
    phase: list[str] | None = None,
    *,
    era: Era = "handshake",
) -> ToolSurface:
    c = Collector(session, tap, limits, progress, phase if phase is not None else ["connect"])
    try:
        with anyio.fail_after(limits.start_timeout_s):
            server = await c.handshake(era)
    except TimeoutError:
        raise ConnectionFailed(f"server did not finish the MCP handshake within {limits.start_timeout_s:g} s") from None
    caps = server.capabilities
    tools = await c.tools()
    prompts = resources = templates = []
    if "prompts" in caps:
        prompts = await c.items("prompts/list", "prompts", session.list_prompts)
    if "resources" in caps:
        resources = await c.items("resources/list", "resources", session.list_resources)
        templates = await c.items("resources/templates/list", "resourceTemplates", session.list_resource_templates)
    return ToolSurface(
        server=server,
        tools=tools,
        prompts=prompts,
        resources=resources,
        resource_templates=templates,
    )


async def fetch_over(
    transport: AbstractAsyncContextManager[Streams],
    limits: Limits,
    progress: Progress,
    *,
    transport_failure: Callable[[], ScannerError | None] = lambda: None,
    era: Era = "handshake",
) -> ToolSurface:
    """Run the whole fetch over an opened transport, under the total timeout; any
    failure comes out as one ``ScannerError`` (never an exception group)."""
    surface: ToolSurface | None = None
    error: BaseException | None = None
    tap = WireTap()
    phase = ["connect"]
    try:
        with anyio.fail_after(limits.total_timeout_s):
            async with (
                transport as streams,
                tap.attach(streams) as (read, write),
                ClientSession(read, write) as session,
            ):
                surface = await collect_surface(session, tap, limits, progress, phase, era=era)
    except BaseException as exc:
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise  # cancelled from outside (a shutdown), not a server failure: let it through
        error = exc
    first = transport_failure()
    if first is not None:
        raise first
    if surface is not None and error is None:
        return surface
    raise _as_scanner_error(error, limits, phase[0]) from error


async def fetch_each_era(
    attempt: Callable[[Era, Limits], Awaitable[ToolSurface]], limits: Limits, progress: Progress
) -> ToolSurface:
    """Fetch with the initialize handshake; a server that refuses it as a stateless-only
    (2026-07-28) server does is asked again, over a fresh connection ``attempt`` opens,
    with server/discover, within what is left of the total time bound."""
    started = anyio.current_time()
    try:
        return await attempt("handshake", limits)
    except StatelessOnly as exc:
        left = limits.total_timeout_s - (anyio.current_time() - started)
        if left <= 0:
            raise ServerMisbehaved(f"the scan did not finish within {limits.total_timeout_s:g} s") from exc
        progress(f"{exc}; asking again with server/discover")
        return await attempt("stateless", limits.scaled_total(left))


def _leaves(exc: BaseException) -> list[BaseException]:
    if isinstance(exc, BaseExceptionGroup):
        return [leaf for sub in exc.exceptions for leaf in _leaves(sub)]
    return [exc]


def _as_scanner_error(error: BaseException | None, limits: Limits, phase: str) -> ScannerError:
    leaves = _leaves(error) if error is not None else []
    for leaf in leaves:
        if isinstance(leaf, ScannerError):
            return leaf
    for leaf in leaves:
        if isinstance(leaf, KeyboardInterrupt | SystemExit):
            raise leaf
    for leaf in leaves:
        if isinstance(leaf, TimeoutError):
            total = f"{limits.total_timeout_s:g} s"
            if phase in ("connect", "initialize"):
                return ConnectionFailed(f"server did not finish the MCP handshake within the {total} total bound")
            return ServerMisbehaved(f"the scan did not finish within {total} (total bound; last step: {phase})")
    detail = f"{type(leaves[0]).__name__}: {leaves[0]}" if leaves else "no result"
    return ConnectionFailed(f"could not talk to the server ({detail})".splitlines()[0])
