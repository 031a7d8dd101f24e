"""Published MCP servers through the stdio proxy: `@modelcontextprotocol/server-everything`
(npm) and `mcp-server-time` (installed at a pinned version by the scanner's installer)."""

from __future__ import annotations

from pathlib import Path

import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.shared.exceptions import MCPError

from tests.enforcer.conftest import (
    NODE_BIN,
    ROOT,
    LiveRegistry,
    proxy_argv,
    proxy_env,
    unique_name,
)
from tests.support import TIME_VERSION

pytestmark = pytest.mark.anyio



@pytest.fixture(scope="session")
def time_server(pytestconfig: pytest.Config) -> list[str]:
    from scanner.errors import InstallFailed
    from scanner.install import install_package

    root = Path(pytestconfig.cache.mkdir("enforcer-installs"))
    try:
        installed = install_package("pypi", "mcp-server-time", TIME_VERSION, root=root)
    except InstallFailed as exc:
        pytest.skip(f"cannot install mcp-server-time=={TIME_VERSION} here: {exc}")
    argv = list(installed.argv)
    argv[0] = str(Path(argv[0]).absolute())  # not resolve(): a venv python is a symlink
    return argv


def _client(registry: LiveRegistry, name: str, upstream: list[str], *extra: str) -> Client:
    argv = proxy_argv(registry, name, *extra, "--", *upstream)
    return Client(StdioServerParameters(command=argv[0], args=argv[1:], env=proxy_env(registry),
                                        cwd=str(ROOT)))


@pytest.mark.npm
async def test_server_everything_works_through_the_stdio_proxy_when_approved_and_not_otherwise(
    live_registry: LiveRegistry,
) -> None:
    name, command = unique_name(), [str(NODE_BIN / "mcp-server-everything")]
    live_registry.approve(name, command)
    async with _client(live_registry, name, command) as client:
        assert "echo" in {t.name for t in (await client.list_tools()).tools}
        result = await client.call_tool("get-sum", {"a": 2, "b": 3})
        assert "5" in result.content[0].text  # type: ignore[union-attr]
        assert (await client.list_prompts()).prompts  # passed through untouched
    async with _client(live_registry, unique_name(), command) as client:
        assert (await client.list_tools()).tools == []
        with pytest.raises(MCPError, match="not registered"):
            await client.call_tool("echo", {"message": "hi"})


@pytest.mark.slow
async def test_mcp_server_time_works_through_the_stdio_proxy_when_approved_and_is_cut_off_when_revoked(
    live_registry: LiveRegistry, time_server: list[str]
) -> None:
    name = unique_name()
    live_registry.approve(name, time_server)
    async with _client(live_registry, name, time_server, "--cache-ttl", "1") as client:
        result = await client.call_tool("get_current_time", {"timezone": "UTC"})
        assert "UTC" in result.content[0].text  # type: ignore[union-attr]
        live_registry.revoke(name)
        import time

        import anyio

        deadline = time.monotonic() + 8
        while True:
            try:
                await client.call_tool("get_current_time", {"timezone": "UTC"})
            except MCPError as exc:
                assert "revoked" in exc.message
                break
            assert time.monotonic() < deadline, "revocation did not reach the proxy"
            await anyio.sleep(0.1)  # polling interval of a bounded wait
