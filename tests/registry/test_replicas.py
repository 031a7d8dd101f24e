"""Two registry processes (uvicorn on loopback) share one database: a decision made on
one reaches the other's verify answers within 2 seconds (LISTEN/NOTIFY on PostgreSQL,
the change-counter poll on SQLite)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from registry import migrate
from registry.db import make_engine, session_scope
from registry.services.tokens import create_token
from tests.registry.conftest import fixture_command
from tests.support import wait_for

PROPAGATION_S = 2.0
NAME = "io.github.acme/replicated"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def replicas(database_url: str, tmp_path: Path) -> Iterator[tuple[list[str], dict[str, str]]]:
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    tokens: dict[str, str] = {}
    with session_scope(engine) as s:
        for role in ("admin", "reviewer", "gateway"):
            _, tokens[role] = create_token(s, role=role, name=f"rep-{role}", actor="test")
    engine.dispose()
    procs, urls, logs = [], [], []
    env = {**os.environ, "MCP_TRUST_DATA_DIR": str(tmp_path)}
    for i in range(2):
        port = _free_port()
        log = (tmp_path / f"replica{i}.log").open("w")
        logs.append(log)
        procs.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "registry.cli",
                    "serve",
                    "--port",
                    str(port),
                    "--database-url",
                    database_url,
                    "--log-level",
                    "warning",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url in urls:
            wait_for(lambda u=url: _up(u), timeout=60, what=f"replica {url}")
        yield urls, tokens
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=30)
        for f in logs:
            f.close()


def _up(url: str) -> bool:
    try:
        return httpx.get(f"{url}/schema/openapi.json", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def _call(method: str, url: str, token: str, body: Any = None) -> httpx.Response:
    return httpx.request(method, url, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=30)


def test_a_decision_on_one_replica_reaches_the_other_within_two_seconds(
    replicas: tuple[list[str], dict[str, str]], tmp_path: Path
) -> None:
    (a, b), tok = replicas
    body = {"name": NAME, "source": {"command": fixture_command(tmp_path / "flag")}}
    sub = _call("POST", f"{a}/v1/submissions", tok["admin"], body)
    assert sub.status_code == 202, sub.text
    rid = sub.json()["review_id"]

    def scanned() -> dict[str, Any] | None:
        d: dict[str, Any] = _call("GET", f"{a}/v1/reviews/{rid}", tok["reviewer"]).json()
        return d if d["scan"] and d["scan"]["status"] in {"succeeded", "failed"} else None

    detail = wait_for(scanned, timeout=90, what="scan")
    assert detail["scan"]["status"] == "succeeded", detail["scan"]
    ask = {"server": NAME, "manifest_sha256": detail["manifest_sha256"]}
    assert _call("POST", f"{b}/v1/verify", tok["gateway"], ask).json()["reason"] == "pending_review"

    assert _call("POST", f"{a}/v1/reviews/{rid}/approve", tok["reviewer"], {"reason": "ok"}).status_code == 200
    decided = time.monotonic()
    wait_for(
        lambda: _call("POST", f"{b}/v1/verify", tok["gateway"], ask).json()["decision"] == "allow",
        timeout=PROPAGATION_S,
        what="approval to reach the other replica",
    )
    approve_seen = time.monotonic() - decided

    enc = NAME.replace("/", "%2F")
    assert _call("POST", f"{b}/v1/servers/{enc}/revoke", tok["admin"], {"reason": "x"}).status_code == 200
    decided = time.monotonic()
    wait_for(
        lambda: _call("POST", f"{a}/v1/verify", tok["gateway"], ask).json()["reason"] == "revoked",
        timeout=PROPAGATION_S,
        what="revocation to reach the other replica",
    )
    print(f"approval seen after {approve_seen:.3f}s, revocation after {time.monotonic() - decided:.3f}s")
