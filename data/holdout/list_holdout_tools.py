# ruff: noqa: E501  (hand-written data rows are kept one per line)
"""Capture ``tools/list`` from published MCP servers NOT used in data/real (holdout benign set).

Same approach as data/real/list_real_tools.py: the official MCP SDK client over stdio, each
server started with dummy credentials where it wants some. Install the servers first (see
README.md beside this file), then, from the checkout root:

    .venv/bin/python data/holdout/list_holdout_tools.py NPM_DIR PY_VENV > data/holdout/real_benign.jsonl

NPM_DIR is a folder where the npm packages were installed (``npm install`` of the names below),
PY_VENV a virtualenv holding the Python packages (with ``mcp<2``: these servers use the 1.x SDK API). A server that does not start within the time
limit is skipped and reported on stderr.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import anyio
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

DUMMY = "dummy-holdout-key-0000"


def servers(npm: Path, venv: Path, scratch: Path) -> dict[str, tuple[list[str], dict[str, str]]]:
    nb = npm / "node_modules" / ".bin"
    vb = venv / "bin"
    db = scratch / "holdout.sqlite"
    return {
        "@modelcontextprotocol/server-github": ([str(nb / "mcp-server-github")], {"GITHUB_PERSONAL_ACCESS_TOKEN": DUMMY}),
        "@modelcontextprotocol/server-gitlab": ([str(nb / "mcp-server-gitlab")], {"GITLAB_PERSONAL_ACCESS_TOKEN": DUMMY}),
        "@modelcontextprotocol/server-slack": ([str(nb / "mcp-server-slack")], {"SLACK_BOT_TOKEN": DUMMY, "SLACK_TEAM_ID": "T000"}),
        "@modelcontextprotocol/server-brave-search": ([str(nb / "mcp-server-brave-search")], {"BRAVE_API_KEY": DUMMY}),
        "@modelcontextprotocol/server-google-maps": ([str(nb / "mcp-server-google-maps")], {"GOOGLE_MAPS_API_KEY": DUMMY}),
        "@modelcontextprotocol/server-postgres": ([str(nb / "mcp-server-postgres"), "postgresql://127.0.0.1:1/none"], {}),
        "@modelcontextprotocol/server-everart": ([str(nb / "mcp-server-everart")], {"EVERART_API_KEY": DUMMY}),
        "@modelcontextprotocol/server-aws-kb-retrieval": ([str(nb / "mcp-server-aws-kb-retrieval")], {"AWS_ACCESS_KEY_ID": DUMMY, "AWS_SECRET_ACCESS_KEY": DUMMY, "AWS_REGION": "us-east-1"}),
        "@playwright/mcp": ([str(nb / "playwright-mcp")], {}),
        "@notionhq/notion-mcp-server": ([str(nb / "notion-mcp-server")], {"NOTION_TOKEN": DUMMY}),
        "tavily-mcp": ([str(nb / "tavily-mcp")], {"TAVILY_API_KEY": DUMMY}),
        "firecrawl-mcp": ([str(nb / "firecrawl-mcp")], {"FIRECRAWL_API_KEY": DUMMY}),
        "exa-mcp-server": ([str(nb / "exa-mcp-server")], {"EXA_API_KEY": DUMMY}),
        "mcp-server-kubernetes": ([str(nb / "mcp-server-kubernetes")], {}),
        "mcp-server-sqlite": ([str(vb / "mcp-server-sqlite"), "--db-path", str(db)], {}),
        "mcp-obsidian": ([str(vb / "mcp-obsidian")], {"OBSIDIAN_API_KEY": DUMMY}),
        "mcp-server-tree-sitter": ([str(vb / "mcp-server-tree-sitter")], {}),
    }


async def list_tools(argv: list[str], env: dict[str, str]) -> list[dict[str, object]]:
    full_env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    full_env.update(env)
    params = StdioServerParameters(command=argv[0], args=argv[1:], env=full_env)
    with Path(os.devnull).open("w") as devnull:
        async with stdio_client(params, errlog=devnull) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            tools = await session.list_tools()
    return [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in tools.tools]


async def main(npm: Path, venv: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name, (argv, env) in servers(npm, venv, Path(tmp)).items():
            try:
                with anyio.fail_after(90):
                    tools = await list_tools(argv, env)
            except Exception as exc:  # noqa: BLE001 -- a server that won't start is skipped, not fatal
                print(f"SKIP {name}: {type(exc).__name__}: {exc}", file=sys.stderr)
                continue
            print(f"{name}: {len(tools)} tools", file=sys.stderr)
            for tool in tools:
                row = {"label": 0, "category": "benign", "server": name, "tool": tool}
                sys.stdout.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")


if __name__ == "__main__":
    anyio.run(main, Path(sys.argv[1]), Path(sys.argv[2]))
