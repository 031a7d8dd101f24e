"""Browser-test plumbing: the registry and a fixture MCP server run in their own
processes on loopback (Playwright's sync API cannot share a thread with a running
asyncio loop); Debian's Chromium is launched by path, never downloaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import CHROMIUM, ROOT
from tests.support import wait_for

HERE = Path(__file__).resolve().parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT_S = 60.0


def _child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MCP_TRUST_")}
    env["PYTHONPATH"] = str(ROOT)
    return env


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@dataclass
class Registry:
    url: str
    admin_token: str
    log: Path
    tokens: dict[str, str] = field(default_factory=dict)

    def client(self, token: str) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {token}"}, timeout=30)

    def token(self, role: str, name: str) -> str:
        """A token for the person ``name`` (created once per registry; four eyes compares owners)."""
        if name not in self.tokens:
            with self.client(self.admin_token) as api:
                resp = api.post("/v1/tokens", json={"role": role, "name": name, "owner": name})
            assert resp.status_code == 201, resp.text
            self.tokens[name] = resp.json()["token"]
        return self.tokens[name]


def _start(argv: list[str], log: Path, ready: Callable[[], Any], what: str) -> tuple[subprocess.Popen[bytes], Any]:
    with log.open("wb") as out:
        proc = subprocess.Popen(argv, cwd=ROOT, env=_child_env(), stdout=out, stderr=subprocess.STDOUT)

    def check() -> Any:
        if proc.poll() is not None:
            raise AssertionError(f"{what} exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        return ready()

    try:
        return proc, wait_for(check, START_TIMEOUT_S, what)
    except BaseException:
        _stop(proc)
        raise


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    data = tmp_path_factory.mktemp("registry")
    ready_file = data / "ready.json"

    def ready() -> dict[str, Any] | None:
        return json.loads(ready_file.read_text()) if ready_file.exists() else None

    log = data / "registry.log"
    proc, info = _start([sys.executable, str(HERE / "serve_registry.py"), str(data)], log, ready, "the registry")
    try:
        yield Registry(url=f"http://127.0.0.1:{info['port']}", admin_token=info["admin_token"], log=log)
    finally:
        _stop(proc)


@dataclass
class McpServer:
    url: str
    tools_file: Path

    def set_tools(self, tools: list[dict[str, Any]]) -> None:
        tmp = self.tools_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(tools), encoding="utf-8")
        tmp.rename(self.tools_file)


@pytest.fixture(scope="module")
def mcp_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[list[dict[str, Any]]], McpServer]]:
    """Factory: start a streamable-HTTP MCP server serving the given tools."""
    procs: list[subprocess.Popen[bytes]] = []

    def start(tools: list[dict[str, Any]]) -> McpServer:
        folder = tmp_path_factory.mktemp("mcp")
        server = McpServer(url="", tools_file=folder / "tools.json")
        server.set_tools(tools)
        port_file = folder / "port"
        argv = [sys.executable, str(HERE / "mcp_tools_server.py"), str(server.tools_file), str(port_file)]

        def port() -> str | None:
            return port_file.read_text() if port_file.exists() else None

        proc, found = _start(argv, folder / "server.log", port, "the fixture MCP server")
        procs.append(proc)
        server.url = f"http://127.0.0.1:{found}/mcp"
        return server

    try:
        yield start
    finally:
        for proc in procs:
            _stop(proc)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def screenshot_path(name: str, tmp_path: Path) -> Path:
    """``docs/screenshots/NAME`` when MCP_TRUST_UPDATE_SCREENSHOTS=1, else a temp file, so
    an ordinary test run never dirties the tree."""
    if os.environ.get("MCP_TRUST_UPDATE_SCREENSHOTS") == "1":
        target = ROOT / "docs" / "screenshots" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        return target
    return tmp_path / name


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call" and report.failed:
        # a failing browser test shows what the registry logged, not only what the page showed
        registry = getattr(item, "funcargs", {}).get("registry")
        if isinstance(registry, Registry) and registry.log.exists():
            report.sections.append(("registry log (tail)", registry.log.read_text(errors="replace")[-4000:]))
    return report


@pytest.fixture(scope="session")
def web_pg_database() -> Iterator[str]:
    """A uniquely named PostgreSQL database for this session (worker), dropped after."""
    import secrets

    import psycopg

    from tests.conftest import PG_URL

    admin = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    name = f"mcp_trust_web_{secrets.token_hex(6)}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{PG_URL.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The page tests run on both databases the registry supports."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'registry.db'}"
    import psycopg

    url: str = request.getfixturevalue("web_pg_database")
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    return url
