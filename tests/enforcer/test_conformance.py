"""The MCP conformance suite (npm `@modelcontextprotocol/conformance`, `server --url`)
against server-everything over streamable HTTP, directly and through the enforcing
HTTP proxy (approved): every scenario the upstream passes must pass through the proxy.

Node 20 lacks fs.globSync, which the suite imports but `server` never calls; the
`node20/` load hook supplies it (see node20/register.mjs). Results: docs/conformance.md.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.enforcer.conftest import (
    NODE_BIN,
    ROOT,
    Background,
    LiveRegistry,
    free_port,
    port_open,
    proxy_argv,
    proxy_env,
    unique_name,
)
from tests.support import wait_for

SUITE = ROOT / "tests/fixtures/node/node_modules/@modelcontextprotocol/conformance/dist/index.js"
HOOK = Path(__file__).parent / "node20" / "register.mjs"
LINE = re.compile(r"^[✓✗] (\S+): (\d+) passed, (\d+) failed", re.MULTILINE)


def run_suite(url: str, out: Path) -> dict[str, bool]:
    """scenario -> passed (no failed check), from the suite's own summary."""
    argv = ["node", "--import", str(HOOK), str(SUITE), "server", "--url", url, "-o", str(out)]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=600, check=False, cwd=out.parent)
    results = {m[1]: int(m[3]) == 0 for m in LINE.finditer(proc.stdout)}
    assert results, f"no scenario summary in the suite's output:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    return results


@pytest.mark.npm
@pytest.mark.slow
def test_the_proxy_passes_every_conformance_scenario_that_server_everything_passes(
    live_registry: LiveRegistry, tmp_path: Path
) -> None:
    everything = str(NODE_BIN / "mcp-server-everything")
    name = unique_name()
    # tool-level: the suite's client declares sampling and elicitation, for which
    # server-everything adds two tools the (capability-less) scan never saw; those
    # two are blocked as "added", every approved tool stays usable.
    live_registry.approve(name, [everything], tool_level=True)
    port = free_port()
    upstream = Background([everything, "streamableHttp"], env={**os.environ, "PORT": str(port)},
                          log=tmp_path / "everything.log")
    proxy_port = free_port()
    proxy = Background(
        proxy_argv(live_registry, name, "--mode", "tool-level", "--upstream-url",
                   f"http://127.0.0.1:{port}/mcp", "--listen", f"127.0.0.1:{proxy_port}"),
        env=proxy_env(live_registry), log=tmp_path / "proxy.log",
    )
    try:
        wait_for(lambda: port_open(port) and port_open(proxy_port), timeout=30, what="listeners")
        direct = run_suite(f"http://127.0.0.1:{port}/mcp", tmp_path / "direct")
        proxied = run_suite(f"http://127.0.0.1:{proxy_port}/mcp", tmp_path / "proxied")
    finally:
        proxy.stop()
        upstream.stop()
    print("conformance direct:", direct)
    print("conformance proxied:", proxied)
    assert set(direct) == set(proxied)
    lost = sorted(s for s, ok in direct.items() if ok and not proxied[s])
    assert lost == [], f"scenarios passing directly but failing through the proxy: {lost}"
    assert sum(direct.values()) > 0
