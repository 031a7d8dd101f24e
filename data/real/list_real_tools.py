"""Capture ``tools/list`` from real, published MCP servers (run once; output committed).

Usage (from the checkout root, after installing the servers named below):

    .venv/bin/python data/real/list_real_tools.py > data/real/real-tools.json

Servers: the npm ``@modelcontextprotocol/server-everything`` from tests/fixtures/node,
and the PyPI ``mcp-server-time``, ``mcp-server-fetch`` and ``mcp-server-git`` installed
with pip into ``.cache/detect-real`` (``python3 -m venv .cache/detect-real &&
.cache/detect-real/bin/pip install mcp-server-time mcp-server-fetch mcp-server-git``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import anyio
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".cache" / "detect-real" / "bin"
SERVERS = {
    "npm:@modelcontextprotocol/server-everything": [
        str(ROOT / "tests/fixtures/node/node_modules/.bin/mcp-server-everything")
    ],
    "pypi:mcp-server-time": [str(VENV / "mcp-server-time"), "--local-timezone", "UTC"],
    "pypi:mcp-server-fetch": [str(VENV / "mcp-server-fetch")],
    "pypi:mcp-server-git": [str(VENV / "mcp-server-git"), "--repository", str(ROOT)],
}


async def list_tools(argv: list[str]) -> dict[str, object]:
    params = StdioServerParameters(command=argv[0], args=argv[1:])
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        init = await session.initialize()
        tools = await session.list_tools()
        return {
            "server_name": init.server_info.name,
            "version": init.server_info.version,
            "tools": [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in tools.tools],
        }


async def main() -> None:
    out = {}
    for key, argv in SERVERS.items():
        with anyio.fail_after(60):
            out[key] = await list_tools(argv)
        print(f"{key}: {len(out[key]['tools'])} tools", file=sys.stderr)  # type: ignore[arg-type]
    json.dump(out, sys.stdout, indent=1, ensure_ascii=False, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    anyio.run(main)
