"""Capture ``tools/list`` from published MCP servers for data/holdout3/real_benign.jsonl.

Run once; the output is committed. Each server is started over stdio with the official MCP SDK
client (``mcp`` from the checkout's ``.venv``), with dummy credentials and unreachable loopback
endpoints in its environment, and a bounded time per server. A server that needs a live backend
just to list its tools is reported on stderr and skipped.

Install (from the checkout root; ``.cache/`` is gitignored; versions are pinned in SERVERS)::

    B=.cache/holdout3-real
    for d in node node2 node3; do mkdir -p $B/$d && echo '{"private":true}' > $B/$d/package.json; done
    (cd $B/node && npm install --ignore-scripts <each SERVERS entry with where="node">@<version>)
    (cd $B/node2 && npm install --ignore-scripts <each entry with where="node2">@<version>)
    (cd $B/node3 && npm install --ignore-scripts @stripe/mcp@0.2.5)
    # @azure-devops/mcp needs keytar's native module (Debian's libsecret-1-dev, Node headers):
    (cd $B/node/node_modules/keytar && node <npm's bundled node-gyp>/bin/node-gyp.js rebuild --nodedir=/usr)
    # one venv per PyPI package, named after the package with dots turned into dashes;
    # kagimcp, pagerduty-mcp and dbt-mcp require Python 3.12, the others use 3.11:
    python3.11 -m venv $B/py/<name> && $B/py/<name>/bin/pip install <package>==<version>

Three npm trees keep packages whose command names collide apart; npm servers are started as
``node <package dir>/<bin entry from package.json>``.

Capture::

    .venv/bin/python data/holdout3/list_tools.py > data/holdout3/real_benign.jsonl
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

ROOT = Path(__file__).resolve().parents[2]
BASE = Path(os.environ.get("H3_REAL_DIR", ROOT / ".cache" / "holdout3-real"))
TMP = Path(tempfile.gettempdir()) / "holdout3-capture"
TIMEOUT_S = 60

# Loopback port 9 (discard): nothing listens there, so any connection attempt fails at once.
DEAD = "127.0.0.1"
DEAD_URL = f"http://{DEAD}:9"


@dataclass(frozen=True)
class Server:
    registry: str  # "npm" or "pypi"
    package: str
    version: str
    where: str  # npm tree ("node", "node2", "node3") or venv name under py/
    args: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    command: str = ""  # console script (PyPI) or bin name (npm; default: the only bin)


AWS_ENV = {
    "AWS_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "AKIADUMMYDUMMYDUMMY0",
    "AWS_SECRET_ACCESS_KEY": "dummy",
    "AWS_EC2_METADATA_DISABLED": "true",
    "FASTMCP_LOG_LEVEL": "ERROR",
}

# Tried and dropped (details in README.md): they need a live backend, a model download or a
# runnable package just to answer tools/list.
#   npm @supabase/mcp-server-supabase 0.13.0 (tools/list calls its API: "fetch failed"),
#   npm @upstash/mcp-server 0.3.0 and slack-mcp-server 1.3.0 (check the token against the
#   vendor's API at start-up and exit), npm @heroku/mcp-server 1.2.8 (does not start on Node 20:
#   extensionless ESM import of the SDK), npm @stripe/mcp 0.3.3 (only a proxy to the vendor's
#   remote server; 0.2.5, the last local one, is used), npm @mapbox/mcp-server 0.2.0 (captured,
#   but its licence is "all rights reserved"), PyPI mcp-server-qdrant 0.8.1 (downloads an
#   embedding model at start-up), PyPI jupyter-mcp-server 2.2.4 (waits for a Jupyter server,
#   timed out), PyPI logfire-mcp 0.9.0 (deprecated stub that exits).
SERVERS: list[Server] = [
    # npm, tree "node" (@azure-devops/mcp needs keytar's native module: see README.md)
    Server("npm", "@sentry/mcp-server", "0.36.0", "node", ["--access-token=sntrys_dummy"]),
    Server("npm", "@hubspot/mcp-server", "0.4.0", "node", env={"PRIVATE_APP_ACCESS_TOKEN": "pat-na1-dummy"}),
    Server(
        "npm",
        "@azure-devops/mcp",
        "2.10.0",
        "node",
        ["dummyorg", "--authentication", "envvar"],
        {"ADO_MCP_AUTH_TOKEN": "dummy"},
    ),
    Server(
        "npm",
        "@circleci/mcp-server-circleci",
        "0.20.0",
        "node",
        env={"CIRCLECI_TOKEN": "CCIPAT_dummy", "CIRCLECI_BASE_URL": DEAD_URL},
    ),
    Server(
        "npm",
        "@launchdarkly/mcp-server",
        "0.6.2",
        "node",
        ["start", "--api-key", "api-dummy", "--server-url", DEAD_URL],
    ),
    Server("npm", "@pinecone-database/mcp", "0.3.0", "node", env={"PINECONE_API_KEY": "pcsk_dummy"}),
    Server("npm", "@perplexity-ai/mcp-server", "1.2.1", "node", env={"PERPLEXITY_API_KEY": "pplx-dummy"}),
    Server(
        "npm",
        "@elastic/mcp-server-elasticsearch",
        "0.3.1",
        "node",
        env={"ES_URL": DEAD_URL, "ES_API_KEY": "dummy", "OTEL_SDK_DISABLED": "true"},
    ),
    Server("npm", "@neondatabase/mcp-server-neon", "0.3.7", "node", ["start", "napi_dummy"]),
    # npm, tree "node2"
    Server(
        "npm",
        "mongodb-mcp-server",
        "3.0.4",
        "node2",
        env={"MDB_MCP_CONNECTION_STRING": f"mongodb://{DEAD}:9/", "MDB_MCP_TELEMETRY": "disabled"},
    ),
    Server("npm", "chrome-devtools-mcp", "1.11.0", "node2", ["--no-usage-statistics"], command="chrome-devtools-mcp"),
    Server("npm", "@brave/brave-search-mcp-server", "2.1.4", "node2", env={"BRAVE_API_KEY": "dummy"}),
    Server(
        "npm",
        "@twilio-alpha/mcp",
        "0.7.0",
        "node2",
        [f"AC{'0' * 32}/SK{'0' * 32}:dummy", "--services", "twilio_messaging_v1"],
    ),
    # npm, tree "node3"
    Server("npm", "@stripe/mcp", "0.2.5", "node3", ["--tools=all", "--api-key=sk_test_dummy"]),
    # PyPI, one venv each, Python 3.11
    Server(
        "pypi",
        "awslabs.aws-documentation-mcp-server",
        "1.2.3",
        "awslabs-aws-documentation-mcp-server",
        env={"AWS_DOCUMENTATION_PARTITION": "aws", "FASTMCP_LOG_LEVEL": "ERROR"},
    ),
    Server("pypi", "awslabs.cloudwatch-mcp-server", "0.3.1", "awslabs-cloudwatch-mcp-server", env=AWS_ENV),
    Server(
        "pypi",
        "mcp-atlassian",
        "0.23.1",
        "mcp-atlassian",
        env={
            "JIRA_URL": DEAD_URL,
            "JIRA_PERSONAL_TOKEN": "dummy",
            "CONFLUENCE_URL": DEAD_URL,
            "CONFLUENCE_PERSONAL_TOKEN": "dummy",
        },
    ),
    Server(
        "pypi", "mcp-server-motherduck", "1.1.0", "mcp-server-motherduck", ["--db-path", ":memory:", "--read-write"]
    ),
    Server(
        "pypi",
        "elasticsearch-mcp-server",
        "2.1.6",
        "elasticsearch-mcp-server",
        env={"ELASTICSEARCH_HOSTS": DEAD_URL, "ELASTICSEARCH_API_KEY": "dummy"},
    ),
    # the last three need Python 3.12 venvs
    Server("pypi", "kagimcp", "1.0.2", "kagimcp", env={"KAGI_API_KEY": "dummy"}),
    Server(
        "pypi",
        "pagerduty-mcp",
        "1.1.0",
        "pagerduty-mcp",
        env={"PAGERDUTY_USER_API_KEY": "dummy", "PAGERDUTY_API_HOST": DEAD_URL},
    ),
    Server(
        "pypi",
        "dbt-mcp",
        "2.8.0",
        "dbt-mcp",
        env={"DBT_PROJECT_DIR": str(TMP), "DBT_PATH": "/bin/true", "DO_NOT_TRACK": "1"},
    ),
]


def npm_argv(server: Server) -> list[str]:
    pkg_dir = BASE / server.where / "node_modules" / server.package
    meta = json.loads((pkg_dir / "package.json").read_text())
    if meta["version"] != server.version:
        raise RuntimeError(f"installed {meta['version']}, expected {server.version}")
    bins = meta["bin"]
    entry = bins if isinstance(bins, str) else bins[server.command or next(iter(bins))]
    return ["node", str(pkg_dir / entry), *server.args]


def pypi_argv(server: Server) -> list[str]:
    bin_dir = BASE / "py" / server.where / "bin"
    probe = "import importlib.metadata as m, sys; print(m.version(sys.argv[1]))"
    found = subprocess.run(
        [str(bin_dir / "python"), "-c", probe, server.package], capture_output=True, text=True, timeout=30, check=True
    ).stdout.strip()
    if found != server.version:
        raise RuntimeError(f"installed {found}, expected {server.version}")
    return [str(bin_dir / (server.command or server.package)), *server.args]


async def list_tools(argv: list[str], env: dict[str, str]) -> tuple[str, list[dict[str, Any]]]:
    full_env = {"PATH": os.environ.get("PATH", ""), "HOME": str(TMP), "NO_COLOR": "1", "PYTHONHASHSEED": "0", **env}
    params = StdioServerParameters(command=argv[0], args=argv[1:], env=full_env, cwd=str(TMP))
    with (TMP / "stderr.log").open("a") as errlog:
        async with stdio_client(params, errlog=errlog) as (read, write), ClientSession(read, write) as session:
            init = await session.initialize()
            tools = await session.list_tools()
    dumped = [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in tools.tools]
    return init.server_info.version, sorted(dumped, key=lambda t: t["name"])


def describe(exc: BaseException) -> str:
    """The innermost errors of a (possibly nested) exception group, one line."""
    if isinstance(exc, BaseExceptionGroup):
        return "; ".join(describe(sub) for sub in exc.exceptions)
    return f"{type(exc).__name__}: {exc}"[:300]


async def main() -> None:
    TMP.mkdir(parents=True, exist_ok=True)
    only = set(sys.argv[1:])
    for server in SERVERS:
        if only and server.package not in only:
            continue
        label = f"{server.registry}:{server.package}"
        try:
            argv = npm_argv(server) if server.registry == "npm" else pypi_argv(server)
            with anyio.fail_after(TIMEOUT_S):
                reported, tools = await list_tools(argv, server.env)
        except Exception as exc:  # noqa: BLE001 - report and skip the server; capture is best effort per server
            print(f"SKIP {label}: {describe(exc)}", file=sys.stderr)
            continue
        print(f"{label} {server.version} (reports {reported}): {len(tools)} tools", file=sys.stderr)
        for tool in tools:
            row = {
                "label": 0,
                "category": "benign",
                "server": server.package,
                "registry": server.registry,
                "package_version": server.version,
                "tool": tool,
            }
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    anyio.run(main)
