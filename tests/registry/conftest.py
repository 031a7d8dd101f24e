"""Registry fixtures: every test runs on SQLite and on PostgreSQL (a fresh database per
test session and worker, dropped afterwards, so parallel runs never collide)."""

from __future__ import annotations

import gc
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from registry.app import create_app
from registry.db import make_engine, session_scope
from registry.services.tokens import create_token
from registry.settings import ROLES, Settings
from tests.conftest import PG_URL, missing_reason
from tests.support import wait_for

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "servers"
ENFORCER_SERVER = FIXTURES / "enforcer_server.py"


def _admin_conninfo() -> str:
    return PG_URL.replace("postgresql+psycopg://", "postgresql://")


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh, uniquely named PostgreSQL database for this session (worker)."""
    name = f"mcp_trust_t_{secrets.token_hex(6)}"
    with psycopg.connect(_admin_conninfo(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    base = PG_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(_admin_conninfo(), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _reset_postgres(url: str) -> None:
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as c:
        # A worker thread of the previous test's app (a scan or rescan finishing its
        # last statement after shutdown) may still hold row locks here; DROP SCHEMA
        # then deadlocks against it (seen once in CI). End those sessions first.
        c.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        c.execute("DROP SCHEMA public CASCADE")
        c.execute("CREATE SCHEMA public")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'registry.db'}"
    if missing_reason("postgres") is not None:
        pytest.skip(str(missing_reason("postgres")))
    url: str = request.getfixturevalue("pg_database")
    _reset_postgres(url)
    return url


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    # the tests' URL sources are loopback servers: allowlisted as an operator would
    return Settings(
        database_url=database_url,
        signing_key_path=str(tmp_path / "snapshot-key.pem"),
        audit_signing_key_path=str(tmp_path / "audit-key.pem"),
        audit_checkpoint_path=str(tmp_path / "audit-checkpoints.jsonl"),
        scan_concurrency=2,
        scan_timeout_s=60,
        index_poll_s=0.2,
        bootstrap_admin=False,
        allow_scan_network=("127.0.0.0/8",),
    )


@pytest.fixture
def app(settings: Settings) -> Litestar:
    return create_app(settings, features=())


@pytest.fixture
def client(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c
    gc.collect()  # a leaked connection is then reported against the test that leaked it


@pytest.fixture
def tokens(client: TestClient[Litestar], settings: Settings) -> dict[str, str]:
    """One token per role, plus a second reviewer and submitter (four eyes)."""
    engine = make_engine(settings.database_url)
    out: dict[str, str] = {}
    with session_scope(engine) as session:
        for name in [*ROLES, "reviewer2", "submitter2"]:
            role = name.rstrip("2")
            _, out[name] = create_token(session, role=role, name=f"t-{name}", actor="test")
    engine.dispose()
    return out


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def fixture_command(flag_file: Path) -> list[str]:
    return [sys.executable, str(ENFORCER_SERVER), "--flag", str(flag_file)]


def submit_fixture(
    client: TestClient[Litestar], tokens: dict[str, str], name: str, flag: Path, *, tool_level: bool = False
) -> dict[str, Any]:
    """Submit the SDK fixture server (an admin command source) and wait for its scan."""
    body = {"name": name, "source": {"command": fixture_command(flag)}, "tool_level": tool_level}
    r = client.post("/v1/submissions", json=body, headers=auth(tokens["admin"]))
    assert r.status_code == 202, r.text
    return wait_scanned(client, tokens, r.json()["review_id"])


def wait_scanned(client: TestClient[Litestar], tokens: dict[str, str], review_id: int) -> dict[str, Any]:
    def scanned() -> dict[str, Any] | None:
        d: dict[str, Any] = client.get(f"/v1/reviews/{review_id}", headers=auth(tokens["reviewer"])).json()
        return d if d["scan"] and d["scan"]["status"] in {"succeeded", "failed"} else None

    detail: dict[str, Any] = wait_for(scanned, what=f"scan of review {review_id}")
    return detail


def verify(client: TestClient[Litestar], tokens: dict[str, str], **body: Any) -> dict[str, Any]:
    r = client.post("/v1/verify", json=body, headers=auth(tokens["gateway"]))
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()
    return out
