"""Rescan fixtures: a registry app with the rescan plug-in on a fast schedule, a real
webhook receiver on loopback, and a fixture MCP server whose tools live in a file.
The database fixtures (SQLite and a fresh PostgreSQL database) are the registry's."""

from __future__ import annotations

import json
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from registry.app import create_app
from registry.db import make_engine, session_scope
from registry.rescan.config import RescanConfig, WebhookConfig
from registry.services.tokens import create_token
from registry.settings import ROLES, Settings
from tests.registry.conftest import auth, database_url, pg_database
from tests.support import wait_for

__all__ = ["auth", "database_url", "pg_database"]

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "servers"
RESCAN_SERVER = FIXTURES / "rescan_server.py"
SECRET = "test-webhook-secret-0123456789"
ECHO = {"name": "echo", "description": "Echo the text back.",
        "inputSchema": {"type": "object", "properties": {"text": {"type": "string"}}}}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Receiver:
    """A real HTTP server on loopback recording every POST; ``start`` may come late
    (the target is "down" until then: connections are refused)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}/hook"
        self.requests: list[dict[str, Any]] = []
        self.status = 200
        self._server: ThreadingHTTPServer | None = None

    def start(self) -> None:
        received = self.requests
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                received.append({"headers": dict(self.headers.items()), "body": body})
                self.send_response(outer.status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return None

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver(free_port())
    yield r
    r.stop()


def fast_config(receiver_url: str | None, **overrides: Any) -> RescanConfig:
    hooks = WebhookConfig(urls=(receiver_url,) if receiver_url else (), secret=SECRET,
                          tick_s=0.1, backoff_base_s=0.2, backoff_cap_s=0.5, max_attempts=50,
                          timeout_s=2.0)
    values: dict[str, Any] = {"interval_s": 0.5, "jitter": 0.0, "tick_s": 0.1, "concurrency": 2, "ensure_every_s": 0.1,
                              "lease_s": 30.0, "failure_alert_after": 2, "webhooks": hooks}
    values.update(overrides)
    return RescanConfig(**values)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return unconfined(Settings(database_url=database_url, scan_concurrency=2, scan_timeout_s=60,
                               index_poll_s=0.2, bootstrap_admin=False), tmp_path)


def unconfined(settings: Settings, root: Path) -> Settings:
    """Scans run unconfined, as on a host without bubblewrap whose operator allowed it: the
    fixture servers count their scans in files and stall on files the test writes, which a
    sandbox hides from them (confinement itself is tested with the scanner and submissions)."""
    return msgspec.structs.replace(settings, unconfined_scans=True, bwrap_path=str(root / "no-bwrap"))


UNCONFINED_ENV = {"MCP_TRUST_UNCONFINED_SCANS": "1"}  # plus MCP_TRUST_BWRAP_PATH, per test


def make_app(settings: Settings, config: RescanConfig) -> Litestar:
    app = create_app(settings, features=("registry.rescan.plugin",))
    app.state["rescan_config"] = config
    return app


def make_tokens(settings: Settings) -> dict[str, str]:
    engine = make_engine(settings.database_url)
    out: dict[str, str] = {}
    with session_scope(engine) as session:
        for role in ROLES:
            _, out[role] = create_token(session, role=role, name=f"t-{role}", actor="test")
    engine.dispose()
    return out


class ToolsServer:
    """The fixture server's argv and the file that decides what its tools are."""

    def __init__(self, root: Path, name: str = "srv") -> None:
        self.tools_file = root / f"{name}-tools.json"
        self.count_file = root / f"{name}-count"
        self.set_tools([ECHO])

    def set_tools(self, tools: list[dict[str, Any]]) -> None:
        tmp = self.tools_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(tools))
        tmp.replace(self.tools_file)

    def argv(self, *extra: str) -> list[str]:
        return [sys.executable, str(RESCAN_SERVER), str(self.tools_file),
                "--count", str(self.count_file), *extra]

    def scans(self) -> int:
        return len(self.count_file.read_text().splitlines()) if self.count_file.exists() else 0


def submit_and_approve(client: TestClient[Litestar], tokens: dict[str, str], name: str,
                       argv: list[str]) -> dict[str, Any]:
    r = client.post("/v1/submissions", json={"name": name, "source": {"command": argv}},
                    headers=auth(tokens["admin"]))
    assert r.status_code == 202, r.text
    review_id = r.json()["review_id"]

    def scanned() -> dict[str, Any] | None:
        d: dict[str, Any] = client.get(f"/v1/reviews/{review_id}",
                                       headers=auth(tokens["reviewer"])).json()
        return d if d["scan"]["status"] in {"succeeded", "failed"} else None

    detail = wait_for(scanned, what="the submission scan")
    assert detail["scan"]["status"] == "succeeded", detail["scan"]
    r = client.post(f"/v1/reviews/{review_id}/approve", json={"reason": "reviewed"},
                    headers=auth(tokens["reviewer"]))
    assert r.status_code == 200, r.text
    return detail


def server_state(client: TestClient[Litestar], tokens: dict[str, str], name: str) -> str:
    r = client.get("/v1/servers", params={"limit": 200}, headers=auth(tokens["reviewer"]))
    assert r.status_code == 200, r.text
    return next(str(s["state"]) for s in r.json()["items"] if s["name"] == name)


Check = Callable[[], Any]
