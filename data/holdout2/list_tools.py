"""Capture ``tools/list`` from published MCP servers for data/holdout2/real_benign.jsonl.

Run once; the output is committed. Servers are started over stdio with the official MCP SDK
client, with dummy credentials and unreachable loopback endpoints in their environment (no
server needs a live backend just to list its tools; those that do are reported and skipped).

Install (from the checkout root; the exact versions used are pinned below)::

    mkdir -p .cache/holdout2-real/node && cd .cache/holdout2-real/node && echo '{}' > package.json
    npm install <each npm package>@<version in NPM below>
    cd .. && python3 -m venv py && py/bin/pip install <each PyPI package>==<version in PYPI below>

Capture::

    .venv/bin/python data/holdout2/list_tools.py > data/holdout2/real_benign.jsonl
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import anyio
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

ROOT = Path(__file__).resolve().parents[2]
BASE = Path(os.environ.get("H2_REAL_DIR", ROOT / ".cache" / "holdout2-real"))
NODE_BIN = BASE / "node" / "node_modules" / ".bin"
PY_BIN = BASE / "py" / "bin"
TMP = Path(tempfile.gettempdir()) / "holdout2-capture"

# loopback port 9 (discard): nothing listens, so any connection attempt fails fast.
DEAD = "127.0.0.1"

# (registry, package, version, argv, extra env)
# Tried and dropped: @benborla29/mcp-server-mysql 2.0.9, mcp-mongo-server 3.0.1 and
# @gongrzhe/server-redis-mcp 1.0.0 connect to their database before answering tools/list.
SERVERS: list[tuple[str, str, str, list[str], dict[str, str]]] = [
    (
        "npm",
        "@zereight/mcp-gitlab",
        "2.1.64",
        [str(NODE_BIN / "mcp-gitlab")],
        {"GITLAB_PERSONAL_ACCESS_TOKEN": "glpat-dummy0000000000000", "GITLAB_API_URL": f"http://{DEAD}:9/api/v4"},
    ),
    (
        "npm",
        "mcp-server-kubernetes",
        "4.1.7",
        [str(NODE_BIN / "mcp-server-kubernetes")],
        {"KUBECONFIG": str(TMP / "kubeconfig.yaml")},
    ),
    (
        "npm",
        "airtable-mcp-server",
        "1.14.0",
        [str(NODE_BIN / "airtable-mcp-server")],
        {"AIRTABLE_API_KEY": "patDUMMY.0000"},
    ),
    (
        "npm",
        "@executeautomation/database-server",
        "1.1.0",
        [str(NODE_BIN / "ea-database-server"), str(TMP / "ea.sqlite")],
        {},
    ),
    (
        "pypi",
        "mcp-server-duckdb",
        "1.1.0",
        [str(PY_BIN / "mcp-server-duckdb"), "--db-path", str(TMP / "h2.duckdb")],
        {},
    ),
    (
        "pypi",
        "mcp-neo4j-cypher",
        "0.6.0",
        [str(PY_BIN / "mcp-neo4j-cypher")],
        {"NEO4J_URI": f"bolt://{DEAD}:9", "NEO4J_USERNAME": "neo4j", "NEO4J_PASSWORD": "dummy"},
    ),
    (
        "pypi",
        "mcp-obsidian",
        "0.2.3",
        [str(PY_BIN / "mcp-obsidian")],
        {"OBSIDIAN_API_KEY": "dummy", "OBSIDIAN_HOST": DEAD},
    ),
    ("pypi", "mcp-shell-server", "1.1.14", [str(PY_BIN / "mcp-shell-server")], {"ALLOW_COMMANDS": "ls,cat,echo"}),
    (
        "pypi",
        "mcp-clickhouse",
        "0.5.0",
        [str(PY_BIN / "mcp-clickhouse")],
        {
            "CLICKHOUSE_HOST": DEAD,
            "CLICKHOUSE_PORT": "9",
            "CLICKHOUSE_USER": "dummy",
            "CLICKHOUSE_PASSWORD": "dummy",
            "CLICKHOUSE_SECURE": "false",
        },
    ),
    ("pypi", "mcp-pandoc", "0.8.2", [str(PY_BIN / "mcp-pandoc")], {}),
]

KUBECONFIG = f"""apiVersion: v1
kind: Config
clusters: [{{name: dummy, cluster: {{server: "https://{DEAD}:9"}}}}]
users: [{{name: dummy, user: {{token: dummy}}}}]
contexts: [{{name: dummy, context: {{cluster: dummy, user: dummy}}}}]
current-context: dummy
"""


async def list_tools(argv: list[str], env: dict[str, str]) -> tuple[str, list[dict[str, Any]]]:
    full_env = {"PATH": os.environ.get("PATH", ""), "HOME": str(TMP), **env}
    params = StdioServerParameters(command=argv[0], args=argv[1:], env=full_env)
    with (TMP / "stderr.log").open("a") as errlog:
        async with stdio_client(params, errlog=errlog) as (read, write), ClientSession(read, write) as session:
            init = await session.initialize()
            tools = await session.list_tools()
    dumped = [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in tools.tools]
    return init.server_info.version, sorted(dumped, key=lambda t: t["name"])


# Servers also in data/holdout/real_benign.jsonl (which the classifier is trained on): listed
# above for provenance, but their rows are not written, so no figure on this file counts a
# trained-on server as unseen.
ALSO_IN_HOLDOUT = frozenset({"mcp-server-kubernetes", "mcp-obsidian"})


async def main() -> None:
    TMP.mkdir(parents=True, exist_ok=True)
    (TMP / "kubeconfig.yaml").write_text(KUBECONFIG)
    for registry, package, version, argv, env in SERVERS:
        if package in ALSO_IN_HOLDOUT:
            continue
        try:
            with anyio.fail_after(60):
                reported, tools = await list_tools(argv, env)
        except Exception as exc:  # noqa: BLE001 - report and skip the server; the capture is best effort per server
            print(f"SKIP {registry}:{package}: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        print(f"{registry}:{package} {version} (reports {reported}): {len(tools)} tools", file=sys.stderr)
        for tool in tools:
            row = {
                "label": 0,
                "category": "benign",
                "server": package,
                "registry": registry,
                "package_version": version,
                "tool": tool,
            }
            sys.stdout.write(json.dumps(row, ensure_ascii=False, sort_keys=False) + "\n")


if __name__ == "__main__":
    anyio.run(main)
