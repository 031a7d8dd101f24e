"""A REAL registry (the app factory under uvicorn, SQLite in a temp folder, loopback
port) and helpers to submit, approve and revoke through its HTTP API, plus the
enforcing proxy run as a real subprocess."""

from __future__ import annotations

import contextlib
import secrets
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from registry.app import create_app
from registry.db import make_engine, session_scope
from registry.services.tokens import create_token
from registry.settings import Settings
from tests.support import wait_for

ROOT = Path(__file__).resolve().parents[2]
SERVERS = ROOT / "tests" / "fixtures" / "servers"
ENFORCER_SERVER = SERVERS / "enforcer_server.py"
NODE_BIN = ROOT / "tests" / "fixtures" / "node" / "node_modules" / ".bin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_command(flag: Path) -> list[str]:
    return [sys.executable, str(ENFORCER_SERVER), "--flag", str(flag)]


class LiveRegistry:
    def __init__(self, url: str, tokens: dict[str, str], settings: Settings) -> None:
        self.url = url
        self.tokens = tokens
        self.settings = settings
        self.http = httpx.Client(base_url=url, timeout=30.0, trust_env=False)

    def _auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def submit(self, name: str, command: list[str]) -> int:
        body = {"name": name, "source": {"command": command}}
        # a command source runs code on the registry host: only admins may submit one
        r = self.http.post("/v1/submissions", json=body, headers=self._auth("admin"))
        assert r.status_code == 202, r.text
        return int(r.json()["review_id"])

    def scanned(self, review_id: int) -> dict[str, Any]:
        def done() -> dict[str, Any] | None:
            r = self.http.get(f"/v1/reviews/{review_id}", headers=self._auth("reviewer"))
            d: dict[str, Any] = r.json()
            scan = d.get("scan") or {}
            return d if scan.get("status") in {"succeeded", "failed"} else None

        detail: dict[str, Any] = wait_for(done, what=f"scan of review {review_id}")
        assert detail["scan"]["status"] == "succeeded", detail["scan"]
        return detail

    def approve(self, name: str, command: list[str], **extra: Any) -> dict[str, Any]:
        """Submit, wait for the real scan of ``command``, approve (a second person)."""
        review_id = self.submit(name, command)
        detail = self.scanned(review_id)
        r = self.http.post(
            f"/v1/reviews/{review_id}/approve",
            json={"reason": "reviewed in test", **extra},
            headers=self._auth("reviewer"),
        )
        assert r.status_code == 200, r.text
        return detail

    def revoke(self, name: str) -> None:
        r = self.http.post(
            f"/v1/servers/{name.replace('/', '%2F')}/revoke",
            json={"reason": "revoked in test"},
            headers=self._auth("reviewer"),
        )
        assert r.status_code == 200, r.text

    def server_state(self, name: str) -> str:
        r = self.http.get(f"/v1/servers/{name.replace('/', '%2F')}", headers=self._auth("reviewer"))
        assert r.status_code == 200, r.text
        return str(r.json()["state"])

    def snapshot(self, valid_for: int = 3600) -> bytes:
        r = self.http.get("/v1/approvals/snapshot", params={"valid_for": valid_for}, headers=self._auth("gateway"))
        assert r.status_code == 200, r.text
        return r.content


@contextlib.contextmanager
def running_registry(folder: Path, **overrides: Any) -> Iterator[LiveRegistry]:
    """The registry app under uvicorn in a thread, on a free loopback port, with one
    token per role. Also used by tests/perf/bench_proxy.py."""
    port = free_port()
    values: dict[str, Any] = {
        "database_url": f"sqlite:///{folder / 'registry.db'}",
        "host": "127.0.0.1",
        "port": port,
        "scan_concurrency": 2,
        "scan_timeout_s": 60,
        "index_poll_s": 0.2,
        "bootstrap_admin": False,
        "signing_key_path": str(folder / "snapshot-key.pem"),
    }
    settings = Settings(**{**values, **overrides})
    app = create_app(settings, features=("registry.snapshot.plugin",))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for(lambda: server.started, what="registry start")
    engine = make_engine(settings.database_url)
    tokens: dict[str, str] = {}
    with session_scope(engine) as session:
        for role in ("admin", "reviewer", "submitter", "gateway", "auditor"):
            _, tokens[role] = create_token(session, role=role, name=f"t-{role}", actor="test")
    engine.dispose()
    registry = LiveRegistry(f"http://127.0.0.1:{port}", tokens, settings)
    try:
        yield registry
    finally:
        registry.http.close()
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveRegistry]:
    with running_registry(tmp_path_factory.mktemp("registry")) as registry:
        yield registry


def unique_name() -> str:
    return f"io.github.test/enforcer-{secrets.token_hex(4)}"


def proxy_argv(registry: LiveRegistry, name: str, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gateway_enforcer",
        "--server",
        name,
        "--registry",
        registry.url,
        "--token-env",
        "ENFORCER_TEST_TOKEN",
        *extra,
    ]


def proxy_env(registry: LiveRegistry) -> dict[str, str]:
    return {"ENFORCER_TEST_TOKEN": registry.tokens["gateway"], "PATH": "/usr/bin:/bin"}


class Background:
    """A subprocess we started, stopped by its own pid at the end."""

    def __init__(self, argv: list[str], env: dict[str, str] | None = None, log: Path | None = None) -> None:
        self.log = log
        self._out = log.open("wb") if log else None
        self.proc = subprocess.Popen(
            argv,
            env=env,
            stdout=self._out or subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=ROOT,
        )

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._out is not None:
            self._out.close()


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def raw_tools(command: list[str]) -> list[dict[str, Any]]:
    """The server's tools exactly as on the wire (a raw JSON-RPC exchange over stdio)."""
    import json

    messages = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "test", "version": "1"},
            },
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
    ]
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdin is not None and proc.stdout is not None
    try:
        for m in messages:
            proc.stdin.write(json.dumps(m).encode() + b"\n")
        proc.stdin.flush()
        tools: list[dict[str, Any]] = []
        cursor: str | None = None
        for n in range(2, 50):
            params = {"cursor": cursor} if cursor else {}
            proc.stdin.write(
                json.dumps({"jsonrpc": "2.0", "id": n, "method": "tools/list", "params": params}).encode() + b"\n"
            )
            proc.stdin.flush()
            while True:
                reply = json.loads(proc.stdout.readline())
                if reply.get("id") == n:
                    break
            tools.extend(reply["result"]["tools"])
            cursor = reply["result"].get("nextCursor")
            if not cursor:
                return tools
        raise AssertionError("too many pages")
    finally:
        proc.stdin.close()
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
