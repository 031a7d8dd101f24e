"""The stdio proxy, end to end: the MCP SDK client -> `python -m gateway_enforcer` -> a
real MCP server, with a REAL registry deciding."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import anyio
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.shared.exceptions import MCPError

from gateway_enforcer.jsonrpc import BLOCKED_CODE
from tests.enforcer.conftest import (
    ROOT,
    LiveRegistry,
    free_port,
    proxy_argv,
    proxy_env,
    server_command,
    unique_name,
)

pytestmark = pytest.mark.anyio


@contextlib.asynccontextmanager
async def proxied(
    registry: LiveRegistry,
    name: str,
    upstream: list[str],
    *options: str,
    registry_url: str | None = None,
    mode: str = "auto",
) -> AsyncIterator[Client]:
    argv = proxy_argv(registry, name, *options, "--", *upstream)
    if registry_url is not None:
        argv[argv.index("--registry") + 1] = registry_url
    params = StdioServerParameters(command=argv[0], args=argv[1:], env=proxy_env(registry), cwd=str(ROOT))
    async with Client(params, mode=mode) as client:
        yield client


def _text(result: object) -> str:
    return str(result.content[0].text)  # type: ignore[attr-defined]


async def _blocked(client: Client, tool: str, args: dict[str, object]) -> MCPError:
    with pytest.raises(MCPError) as caught:
        await client.call_tool(tool, args)
    assert caught.value.code == BLOCKED_CODE
    return caught.value


async def _wait_blocked(client: Client, tool: str, args: dict[str, object], within: float) -> MCPError:
    """Bounded polling: call until the proxy blocks, at most ``within`` seconds."""
    deadline = time.monotonic() + within
    while True:
        try:
            await client.call_tool(tool, args)
        except MCPError as exc:
            assert exc.code == BLOCKED_CODE, exc
            return exc
        assert time.monotonic() < deadline, f"{tool} still allowed after {within} s"
        await anyio.sleep(0.1)  # polling interval of the bounded wait


async def test_an_approved_server_works_through_the_proxy_and_other_features_pass_untouched(
    live_registry: LiveRegistry, tmp_path: Path
) -> None:
    name, command = unique_name(), server_command(tmp_path / "flag")
    live_registry.approve(name, command)
    async with proxied(live_registry, name, command) as client:
        tools = await client.list_tools()
        assert {t.name for t in tools.tools} == {"add", "fetch_page", "announce_change"}
        assert _text(await client.call_tool("add", {"a": 2, "b": 40})) == "42"
        assert [p.name for p in (await client.list_prompts()).prompts] == ["summarise"]
        prompt = await client.get_prompt("summarise", {})
        assert prompt.messages[0].content.text == "Summarise it."  # type: ignore[union-attr]
        resource = await client.read_resource("file:///readme")
        assert resource.contents[0].text == "read me"  # type: ignore[union-attr]


async def test_an_unregistered_server_lists_no_tools_and_a_call_says_why_and_whom_to_ask(
    live_registry: LiveRegistry, tmp_path: Path
) -> None:
    command = server_command(tmp_path / "flag")
    async with proxied(live_registry, unique_name(), command, "--contact", "#mcp-platform") as client:
        assert (await client.list_tools()).tools == []
        error = await _blocked(client, "add", {"a": 1, "b": 2})
    assert "not registered" in error.message and "#mcp-platform" in error.message
    assert error.data["reason"] == "unregistered"


async def test_a_rug_pulled_tool_is_blocked_alone_in_tool_level_mode(
    live_registry: LiveRegistry, tmp_path: Path
) -> None:
    flag = tmp_path / "flag"
    name, command = unique_name(), server_command(flag)
    live_registry.approve(name, command, tool_level=True)
    flag.write_text("evil")
    async with proxied(live_registry, name, command, "--mode", "tool-level") as client:
        listed = {t.name for t in (await client.list_tools()).tools}
        assert listed == {"add", "announce_change"}
        error = await _blocked(client, "fetch_page", {"url": "https://example.test"})
        assert _text(await client.call_tool("add", {"a": 1, "b": 1})) == "2"
    assert error.data["reason"] == "changed" and "changed since it was approved" in error.message


async def test_a_rug_pull_blocks_the_whole_server_in_strict_mode(live_registry: LiveRegistry, tmp_path: Path) -> None:
    flag = tmp_path / "flag"
    name, command = unique_name(), server_command(flag)
    live_registry.approve(name, command, tool_level=True)
    flag.write_text("evil")
    async with proxied(live_registry, name, command, "--mode", "strict") as client:
        assert (await client.list_tools()).tools == []
        error = await _blocked(client, "add", {"a": 1, "b": 1})
    assert error.data["server_reason"] == "schema_drift"


async def test_a_revocation_mid_session_blocks_within_the_cache_ttl(
    live_registry: LiveRegistry, tmp_path: Path
) -> None:
    name, command = unique_name(), server_command(tmp_path / "flag")
    live_registry.approve(name, command)
    async with proxied(live_registry, name, command) as client:
        assert _text(await client.call_tool("add", {"a": 1, "b": 2})) == "3"
        live_registry.revoke(name)
        error = await _wait_blocked(client, "add", {"a": 1, "b": 2}, within=5 + 3)
    assert error.data["reason"] == "revoked"


async def test_a_drift_mid_session_without_any_notification_blocks_within_the_cache_ttl(
    live_registry: LiveRegistry, tmp_path: Path
) -> None:
    flag = tmp_path / "flag"
    name, command = unique_name(), server_command(flag)
    live_registry.approve(name, command)
    async with proxied(live_registry, name, command) as client:
        assert "page at" in _text(await client.call_tool("fetch_page", {"url": "u"}))
        flag.write_text("evil")
        error = await _wait_blocked(client, "fetch_page", {"url": "u"}, within=5 + 3)
    assert error.data["server_reason"] == "schema_drift"


async def test_a_tools_list_changed_notification_makes_the_proxy_look_again_before_the_next_call(
    live_registry: LiveRegistry, tmp_path: Path
) -> None:
    flag = tmp_path / "flag"
    name, command = unique_name(), server_command(flag)
    live_registry.approve(name, command)
    # the handshake-era protocol: there the server announces changes unasked
    async with proxied(live_registry, name, command, "--cache-ttl", "300", mode="legacy") as client:
        assert "page at" in _text(await client.call_tool("fetch_page", {"url": "u"}))
        flag.write_text("evil")
        assert _text(await client.call_tool("announce_change", {})) == "announced"
        error = await _wait_blocked(client, "fetch_page", {"url": "u"}, within=2)
    assert error.data["server_reason"] == "schema_drift"


async def test_an_unreachable_registry_blocks_every_tool_with_a_clear_message(
    live_registry: LiveRegistry, tmp_path: Path
) -> None:
    command = server_command(tmp_path / "flag")
    down = f"http://127.0.0.1:{free_port()}"
    async with proxied(live_registry, unique_name(), command, registry_url=down) as client:
        assert (await client.list_tools()).tools == []
        error = await _blocked(client, "add", {"a": 1, "b": 2})
    assert error.data["reason"] == "registry_unreachable"
    assert "cannot be reached" in error.message


async def test_the_upstream_does_not_see_the_gateway_token_or_other_secrets(
    live_registry: LiveRegistry, tmp_path: Path
) -> None:
    probe = tmp_path / "env.txt"
    script = f"import os,sys; open({str(probe)!r},'w').write('\\n'.join(os.environ)); sys.exit(0)"
    argv = proxy_argv(live_registry, unique_name(), "--", sys.executable, "-c", script)
    env = {**proxy_env(live_registry), "AWS_SECRET_ACCESS_KEY": "s3cr3t"}
    proc = await anyio.run_process(argv, env=env, cwd=ROOT, check=False, input=b"")
    assert proc.returncode == 0, proc.stderr
    names = set(probe.read_text().split("\n"))
    assert "ENFORCER_TEST_TOKEN" not in names and "AWS_SECRET_ACCESS_KEY" not in names
    assert "PATH" in names


async def test_a_tool_the_server_does_not_list_is_never_forwarded_even_when_the_server_would_run_it(
    live_registry: LiveRegistry, tmp_path: Path
) -> None:
    name, command = unique_name(), server_command(tmp_path / "flag")
    live_registry.approve(name, command)
    direct = Client(StdioServerParameters(command=command[0], args=command[1:]))
    async with direct:
        assert _text(await direct.call_tool("hidden_tool", {})) == "hidden tool ran"
    async with proxied(live_registry, name, command) as client:
        result = await client.call_tool("hidden_tool", {})
    assert result.is_error and "not found" in _text(result)


async def test_a_tools_call_hidden_in_a_json_rpc_batch_is_still_checked(
    live_registry: LiveRegistry, tmp_path: Path
) -> None:
    import json

    command = server_command(tmp_path / "flag")
    argv = proxy_argv(live_registry, unique_name(), "--", *command)
    init = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"protocolVersion": "2025-03-26", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
    }
    batch = [
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "add", "arguments": {"a": 1, "b": 2}}},
    ]
    async with await anyio.open_process(argv, env=proxy_env(live_registry), cwd=ROOT) as proc:
        assert proc.stdin is not None and proc.stdout is not None
        await proc.stdin.send(json.dumps(init).encode() + b"\n" + json.dumps(batch).encode() + b"\n")
        buffer = b""
        with anyio.fail_after(30):
            while b'"id":2' not in buffer:
                buffer += await proc.stdout.receive()
        await proc.stdin.aclose()
    answer = next(json.loads(x) for x in buffer.splitlines() if b'"id":2' in x)
    assert answer["error"]["code"] == BLOCKED_CODE and answer["error"]["data"]["reason"] == "unregistered"


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (exited, not yet reaped by its parent) counts as gone
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


async def test_the_servers_whole_process_group_ends_with_the_proxy(
    live_registry: LiveRegistry, tmp_path: Path
) -> None:
    from tests.enforcer.conftest import SERVERS
    from tests.support import wait_for

    pid_file = tmp_path / "pids"
    command = [sys.executable, str(SERVERS / "sdk_server.py")]
    env = {**proxy_env(live_registry), "FIXTURE_PID_FILE": str(pid_file)}
    argv = proxy_argv(live_registry, unique_name(), "--pass-env", "FIXTURE_PID_FILE", "--", *command)
    params = StdioServerParameters(command=argv[0], args=argv[1:], env=env, cwd=str(ROOT))
    async with Client(params, mode="legacy") as client:  # that fixture speaks the handshake era
        await client.list_prompts()
        pids = [int(p) for p in pid_file.read_text().split()]
        assert len(pids) == 2 and all(_alive(p) for p in pids)  # the server and its grandchild
    wait_for(lambda: not any(_alive(p) for p in pids), timeout=15, what="the process group to end")
