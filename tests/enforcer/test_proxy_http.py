"""The streamable HTTP proxy, end to end: MCP SDK client -> proxy -> a real HTTP MCP server."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError

from gateway_enforcer.jsonrpc import BLOCKED_CODE
from tests.enforcer.conftest import (
    ENFORCER_SERVER,
    NODE_BIN,
    Background,
    LiveRegistry,
    free_port,
    port_open,
    proxy_argv,
    proxy_env,
    running_registry,
    server_command,
    unique_name,
)
from tests.support import wait_for

pytestmark = pytest.mark.anyio


@contextlib.contextmanager
def http_fixture_server(flag: Path, tmp_path: Path) -> Iterator[str]:
    port_file = tmp_path / "upstream.port"
    upstream = Background([sys.executable, str(ENFORCER_SERVER), "--flag", str(flag), "--http",
                           str(port_file)], log=tmp_path / "upstream.log")
    try:
        wait_for(port_file.exists, timeout=30, what="the upstream to listen")
        yield f"http://127.0.0.1:{port_file.read_text()}/mcp"
    finally:
        upstream.stop()


@contextlib.contextmanager
def http_proxy(registry: LiveRegistry, name: str, upstream_url: str, tmp_path: Path,
               *options: str) -> Iterator[str]:
    port = free_port()
    argv = proxy_argv(registry, name, *options, "--upstream-url", upstream_url,
                      "--listen", f"127.0.0.1:{port}")
    proxy = Background(argv, env=proxy_env(registry), log=tmp_path / "proxy.log")
    try:
        wait_for(lambda: port_open(port) or proxy.proc.poll() is not None, timeout=30,
                 what="the proxy to listen")
        assert proxy.proc.poll() is None, (tmp_path / "proxy.log").read_text()
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        proxy.stop()


async def test_an_approved_http_server_works_through_the_http_proxy(
    live_registry: LiveRegistry, tmp_path: Path
) -> None:
    flag = tmp_path / "flag"
    name = unique_name()
    live_registry.approve(name, server_command(flag))
    with http_fixture_server(flag, tmp_path) as upstream, \
            http_proxy(live_registry, name, upstream, tmp_path) as url:
        async with Client(url) as client:
            assert {t.name for t in (await client.list_tools()).tools} == {
                "add", "fetch_page", "announce_change"}
            result = await client.call_tool("add", {"a": 5, "b": 6})
            assert result.content[0].text == "11"  # type: ignore[union-attr]
            assert [p.name for p in (await client.list_prompts()).prompts] == ["summarise"]


async def test_the_http_proxy_blocks_a_rug_pulled_tool_and_keeps_the_rest_in_tool_level_mode(
    live_registry: LiveRegistry, tmp_path: Path
) -> None:
    flag = tmp_path / "flag"
    name = unique_name()
    live_registry.approve(name, server_command(flag), tool_level=True)
    flag.write_text("evil")
    with http_fixture_server(flag, tmp_path) as upstream, \
            http_proxy(live_registry, name, upstream, tmp_path, "--mode", "tool-level") as url:
        async with Client(url) as client:
            assert {t.name for t in (await client.list_tools()).tools} == {"add", "announce_change"}
            with pytest.raises(MCPError) as caught:
                await client.call_tool("fetch_page", {"url": "u"})
            result = await client.call_tool("add", {"a": 1, "b": 1})
    assert caught.value.code == BLOCKED_CODE and caught.value.data["reason"] == "changed"
    assert result.content[0].text == "2"  # type: ignore[union-attr]


async def test_the_http_proxy_blocks_an_unregistered_server(
    live_registry: LiveRegistry, tmp_path: Path
) -> None:
    with http_fixture_server(tmp_path / "flag", tmp_path) as upstream, \
            http_proxy(live_registry, unique_name(), upstream, tmp_path) as url:
        async with Client(url) as client:
            assert (await client.list_tools()).tools == []
            with pytest.raises(MCPError, match="not registered"):
                await client.call_tool("add", {"a": 1, "b": 1})


@pytest.mark.npm
async def test_server_everything_over_http_works_through_the_http_proxy_when_approved(
    live_registry: LiveRegistry, tmp_path: Path
) -> None:
    name = unique_name()
    everything = str(NODE_BIN / "mcp-server-everything")
    live_registry.approve(name, [everything])
    port = free_port()
    upstream = Background([everything, "streamableHttp"], env={**os.environ, "PORT": str(port)},
                          log=tmp_path / "everything.log")
    try:
        wait_for(lambda: port_open(port), timeout=30, what="server-everything to listen")
        with http_proxy(live_registry, name, f"http://127.0.0.1:{port}/mcp", tmp_path) as url:
            async with Client(url) as client:
                names = {t.name for t in (await client.list_tools()).tools}
                assert "echo" in names and "get-sum" in names
                result = await client.call_tool("echo", {"message": "through the proxy"})
                assert "through the proxy" in result.content[0].text  # type: ignore[union-attr]
    finally:
        upstream.stop()


def test_a_loopback_http_proxy_refuses_other_host_names_against_dns_rebinding(
    live_registry: LiveRegistry, tmp_path: Path
) -> None:
    import httpx

    with http_fixture_server(tmp_path / "flag", tmp_path) as upstream, \
            http_proxy(live_registry, unique_name(), upstream, tmp_path) as url:
        body = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
        headers = {"accept": "application/json, text/event-stream"}
        evil = httpx.post(url, json=body, headers={**headers, "host": "evil.example.com",
                                                   "origin": "http://evil.example.com"})
        fine = httpx.post(url, json=body, headers={**headers, "origin": url.rsplit("/", 1)[0]})
    assert evil.status_code == 403 and "mcp-trust: Host/Origin not allowed" in evil.text
    assert "mcp-trust: Host/Origin" not in fine.text


INIT = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                   "clientInfo": {"name": "t", "version": "1"}}}
MCP_HEADERS = {"accept": "application/json, text/event-stream", "content-type": "application/json"}


def test_the_http_proxy_verifies_right_after_the_handshake_before_any_list_or_call(
    tmp_path: Path
) -> None:
    import httpx

    name = unique_name()
    with running_registry(tmp_path / "registry") as registry, \
            http_fixture_server(tmp_path / "flag", tmp_path) as upstream, \
            http_proxy(registry, name, upstream, tmp_path) as url, \
            httpx.Client(trust_env=False, timeout=30) as http:
        reply = http.post(url, json=INIT, headers=MCP_HEADERS)
        session = {**MCP_HEADERS, "mcp-session-id": reply.headers["mcp-session-id"],
                   "mcp-protocol-version": "2025-06-18"}
        assert http.post(url, json={"jsonrpc": "2.0", "method": "notifications/initialized"},
                         headers=session).status_code == 202
        auditor = {"authorization": f"Bearer {registry.tokens['auditor']}"}

        def denied_at_verify() -> bool:
            events = http.get(f"{registry.url}/v1/audit", headers=auditor).text
            return "verify.deny" in events and f"server:{name}" in events

        # no tools/list and no tools/call from the client: the proxy asked on its own
        wait_for(denied_at_verify, timeout=30, what="the proxy's own verify call")


def test_a_json_rpc_batch_is_refused_by_the_http_proxy_with_a_clear_json_rpc_error(
    live_registry: LiveRegistry, tmp_path: Path
) -> None:
    import httpx

    flag = tmp_path / "flag"
    name = unique_name()
    with http_fixture_server(flag, tmp_path) as upstream, \
            http_proxy(live_registry, name, upstream, tmp_path) as url:
        batch = [{"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                  "params": {"name": "add", "arguments": {"a": 1, "b": 2}}},
                 {"jsonrpc": "2.0", "method": "notifications/initialized"}]
        reply = httpx.post(url, json=batch, headers=MCP_HEADERS, trust_env=False)
    assert reply.status_code == 400
    error = reply.json()["error"]
    assert error["code"] == -32600 and "batches are not accepted" in error["message"]
