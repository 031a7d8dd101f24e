"""The HTTP proxy's relay (``HttpProxy`` as an ASGI app, driven message by message) in
front of loopback upstreams that break, stall and stream exactly as each test scripts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, MutableMapping
from typing import Any

import pytest

from gateway_enforcer import jsonrpc
from gateway_enforcer.enforcer import Enforcer
from gateway_enforcer.gate import SurfaceGate
from gateway_enforcer.proxy_http import HttpProxy
from gateway_enforcer.upstream import Limits, UpstreamPool
from tests.enforcer.conftest import free_port
from tests.enforcer.scripted import Scripted, answer, hang_up, response, scripted

pytestmark = pytest.mark.anyio

PING = b'{"jsonrpc":"2.0","id":7,"method":"ping"}'
PONG = b'{"jsonrpc":"2.0","id":7,"result":{}}'
Message = dict[str, Any]


class Exchange:
    """One request into the proxy; what the proxy sends back arrives in ``out``."""

    def __init__(self, proxy: HttpProxy, method: str, body: bytes = b"") -> None:
        self.out: asyncio.Queue[Message] = asyncio.Queue()
        self.hang_up = asyncio.Event()
        self._body: bytes | None = body
        scope = {"type": "http", "method": method, "path": "/mcp", "raw_path": b"/mcp",
                 "query_string": b"", "headers": [
                     (b"host", b"127.0.0.1:8931"), (b"content-type", b"application/json"),
                     (b"accept", b"application/json, text/event-stream")]}
        self.task = asyncio.ensure_future(proxy(scope, self._receive, self._send))

    async def _send(self, message: MutableMapping[str, Any]) -> None:
        await self.out.put(dict(message))

    async def _receive(self) -> Message:
        if self._body is not None:
            body, self._body = self._body, None
            return {"type": "http.request", "body": body, "more_body": False}
        await self.hang_up.wait()
        return {"type": "http.disconnect"}

    async def start(self) -> Message:
        message = await self.out.get()
        assert message["type"] == "http.response.start"
        return message

    async def body(self) -> Message:
        message = await self.out.get()
        assert message["type"] == "http.response.body"
        return message

    async def whole(self) -> tuple[int, bytes]:
        await self.task
        status = (await self.start())["status"]
        parts = []
        while not self.out.empty():
            parts.append((await self.body())["body"])
        return status, b"".join(parts)


@pytest.fixture
async def enforcer() -> AsyncIterator[Enforcer]:
    # nothing listens there: only the list_changed test reaches it (fails closed)
    made = Enforcer(f"http://127.0.0.1:{free_port()}", timeout_s=5.0)
    yield made
    await made.aclose()


@pytest.fixture
async def proxies(enforcer: Enforcer) -> AsyncIterator[list[HttpProxy]]:
    made: list[HttpProxy] = []
    yield made
    for proxy in made:
        await proxy.aclose()


def _proxy(made: list[HttpProxy], enforcer: Enforcer, upstream: Scripted,
           limits: Limits | None = None) -> HttpProxy:
    url = f"http://127.0.0.1:{upstream.port}/mcp"
    made.append(HttpProxy(lambda: SurfaceGate(enforcer, server="io.test/relay"), url,
                          UpstreamPool(url, limits)))
    return made[-1]


def _error_message(body: bytes) -> str:
    return str(jsonrpc.decode(body)["error"]["message"])


async def test_consecutive_requests_share_one_upstream_connection(
    proxies: list[HttpProxy], enforcer: Enforcer
) -> None:
    async with scripted(*[answer(response(PONG))] * 3) as upstream:
        proxy = _proxy(proxies, enforcer, upstream)
        for _ in range(3):
            assert await Exchange(proxy, "POST", PING).whole() == (200, PONG)
    assert upstream.connections == 1


async def test_an_upstream_that_dies_before_answering_gets_the_client_a_502_for_its_request(
    proxies: list[HttpProxy], enforcer: Enforcer
) -> None:
    async with scripted(hang_up) as upstream:
        status, body = await Exchange(_proxy(proxies, enforcer, upstream), "POST", PING).whole()
    assert status == 502
    assert jsonrpc.decode(body)["id"] == 7
    assert _error_message(body) == "mcp-trust: upstream unreachable"


async def test_a_json_answer_cut_off_mid_body_gets_the_client_a_502(
    proxies: list[HttpProxy], enforcer: Enforcer
) -> None:
    async def cut(writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                     b"content-length: 500\r\n\r\n" + PONG[:10])
        writer.close()

    async with scripted(cut) as upstream:
        status, body = await Exchange(_proxy(proxies, enforcer, upstream), "POST", PING).whole()
    assert status == 502 and _error_message(body) == "mcp-trust: upstream failed"


async def test_an_oversized_upstream_answer_gets_the_client_a_502(
    proxies: list[HttpProxy], enforcer: Enforcer
) -> None:
    async with scripted(answer(response(b"[" + b"0," * 2000 + b"0]"))) as upstream:
        proxy = _proxy(proxies, enforcer, upstream, Limits(max_body=1024))
        status, body = await Exchange(proxy, "POST", PING).whole()
    assert status == 502 and "mcp-trust: upstream" in _error_message(body)


def _sse_head() -> bytes:
    return (b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nmcp-session-id: s1\r\n"
            b"transfer-encoding: chunked\r\n\r\n")


def _chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


async def test_an_sse_answer_that_breaks_off_ends_the_relayed_answer_after_what_came(
    proxies: list[HttpProxy], enforcer: Enforcer
) -> None:
    event = b"event: message\ndata: " + PONG + b"\n\n"

    async def broken(writer: asyncio.StreamWriter) -> None:
        writer.write(_sse_head() + _chunk(event))
        writer.close()  # no last chunk: the upstream died mid-stream

    async with scripted(broken) as upstream:
        exchange = Exchange(_proxy(proxies, enforcer, upstream), "POST", PING)
        status, body = await exchange.whole()
    assert (status, body) == (200, event)


async def test_a_get_stream_is_relayed_event_by_event_and_headers_pass_through(
    proxies: list[HttpProxy], enforcer: Enforcer
) -> None:
    first, second = b"id: 1\ndata: {}\n\n", b"id: 2\ndata: []\n\n"
    relayed_first = asyncio.Event()

    async def stream(writer: asyncio.StreamWriter) -> None:
        writer.write(_sse_head() + _chunk(first))
        await writer.drain()
        await relayed_first.wait()  # the next event only once the client has the first
        writer.write(_chunk(second) + b"0\r\n\r\n")
        await writer.drain()

    async with scripted(stream) as upstream:
        exchange = Exchange(_proxy(proxies, enforcer, upstream), "GET")
        start = await exchange.start()
        assert (b"mcp-session-id", b"s1") in start["headers"]
        assert (await exchange.body())["body"] == first
        relayed_first.set()
        assert (await exchange.body())["body"] == second
        assert (await exchange.body()) == {"type": "http.response.body", "body": b""}
        await exchange.task
    assert upstream.requests[0].startswith(b"GET /mcp HTTP/1.1\r\n")


async def test_a_get_stream_ends_when_the_client_hangs_up(
    proxies: list[HttpProxy], enforcer: Enforcer
) -> None:
    never = asyncio.Event()

    async def endless(writer: asyncio.StreamWriter) -> None:
        writer.write(_sse_head() + _chunk(b": keep-alive\n\n"))
        await writer.drain()
        await never.wait()

    async with scripted(endless) as upstream:
        exchange = Exchange(_proxy(proxies, enforcer, upstream), "GET")
        await exchange.start()
        assert (await exchange.body())["body"] == b": keep-alive\n\n"
        exchange.hang_up.set()
        await exchange.task  # returns although the upstream never ends the stream
        never.set()


@pytest.mark.parametrize("kind", [b"tools", b"prompts", b"resources"])
async def test_list_changed_split_across_chunks_of_an_sse_answer_makes_the_proxy_refetch_the_surface(
    proxies: list[HttpProxy], enforcer: Enforcer, kind: bytes
) -> None:
    notice = b'data: {"jsonrpc":"2.0","method":"notifications/' + kind + b'/list_changed"}\n\n'
    cut = notice.index(b"list_changed")
    got_first_part = asyncio.Event()
    tools_asked = asyncio.Event()

    async def split(writer: asyncio.StreamWriter) -> None:
        writer.write(_sse_head() + _chunk(notice[:cut]))
        await writer.drain()
        await got_first_part.wait()
        writer.write(_chunk(notice[cut:] + b"data: " + PONG + b"\n\n") + b"0\r\n\r\n")
        await writer.drain()

    async def tools(writer: asyncio.StreamWriter) -> None:
        tools_asked.set()
        writer.write(response(b'{"jsonrpc":"2.0","id":"x","result":{"tools":[]}}'))
        await writer.drain()

    async with scripted(split, tools) as upstream:
        exchange = Exchange(_proxy(proxies, enforcer, upstream), "POST", PING)
        await exchange.start()
        assert (await exchange.body())["body"] == notice[:cut]
        got_first_part.set()
        await exchange.task
        async with asyncio.timeout(30):  # a bounded wait: a missed notice fails, never hangs
            await tools_asked.wait()
    assert b'"method":"tools/list"' in upstream.requests[1]
