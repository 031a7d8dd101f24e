"""Two registry processes (``mcp-trust serve``) on one PostgreSQL database: every due
rescan runs exactly once across them, and when the replica holding a lease is killed
mid-scan (SIGKILL, so it cannot clean up), its lease expires and the other replica
runs that rescan."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from litestar.testing import TestClient
from sqlalchemy import text

from registry.db import make_engine
from registry.settings import Settings
from tests.rescan.conftest import (
    UNCONFINED_ENV,
    ToolsServer,
    fast_config,
    free_port,
    make_app,
    make_tokens,
    submit_and_approve,
    unconfined,
)
from tests.support import wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
NORMAL = 5


@pytest.fixture
def pg_url(request: pytest.FixtureRequest) -> str:
    from tests.conftest import missing_reason
    from tests.registry.conftest import _reset_postgres

    if missing_reason("postgres") is not None:
        pytest.skip(str(missing_reason("postgres")))
    url: str = request.getfixturevalue("pg_database")
    _reset_postgres(url)
    return url


class Replica:
    def __init__(self, url: str, root: Path, tag: str) -> None:
        self.port = free_port()
        self.log = root / f"replica-{tag}.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith("MCP_TRUST_")}
        env.update({
            "MCP_TRUST_DATA_DIR": str(root / f"data-{tag}"),
            "MCP_TRUST_RESCAN_INTERVAL_S": "3600",
            "MCP_TRUST_RESCAN_JITTER": "0",
            "MCP_TRUST_RESCAN_TICK_S": "0.2",
            "MCP_TRUST_RESCAN_LEASE_S": "3",
            "MCP_TRUST_RESCAN_CONCURRENCY": "2",
            # the fixture servers count scans and stall on files a sandbox would hide
            **UNCONFINED_ENV,
            "MCP_TRUST_BWRAP_PATH": str(root / "no-bwrap"),
        })
        argv = [sys.executable, "-m", "registry.cli", "serve", "--port", str(self.port),
                "--database-url", url, "--log-level", "warning"]
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env,
                                         start_new_session=True)

    def ready(self) -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{self.port}/schema/openapi.json", timeout=1).is_success
        except httpx.HTTPError:
            assert self.proc.poll() is None, self.log.read_text()
            return False

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)


@pytest.fixture
def replicas(pg_url: str, tmp_path: Path) -> Iterator[list[Replica]]:
    started: list[Replica] = []
    yield started
    for r in started:
        r.stop()


def test_two_replicas_run_each_due_rescan_once_and_a_killed_replicas_scan_is_retried(
    pg_url: str, replicas: list[Replica], tmp_path: Path
) -> None:
    settings = unconfined(Settings(database_url=pg_url, bootstrap_admin=False, index_poll_s=0.2), tmp_path)
    servers = {f"io.example/s{i}": ToolsServer(tmp_path, f"s{i}") for i in range(NORMAL)}
    release, stalled = tmp_path / "release", tmp_path / "stalled"
    staller = ToolsServer(tmp_path, "stall")
    release.touch()  # the submission scan must not stall
    with TestClient(make_app(settings, fast_config(None, enabled=False))) as client:
        tokens = make_tokens(settings)
        for name, srv in servers.items():
            submit_and_approve(client, tokens, name, srv.argv())
        submit_and_approve(client, tokens, "io.example/stall",
                           staller.argv("--stall-until", str(release), "--stalled", str(stalled)))
    release.unlink()
    stalled.unlink()  # written by the submission scan too
    for srv in [*servers.values(), staller]:
        srv.count_file.unlink()
    engine = make_engine(pg_url)
    with engine.begin() as conn:  # every approved server due now, next time in an hour
        conn.execute(text(
            "INSERT INTO rescan_jobs (server_name, interval_s, next_due_at, attempts, "
            "consecutive_failures, runs) SELECT name, 3600, now(), 0, 0, 0 FROM servers"))

    replicas.extend(Replica(pg_url, tmp_path, tag) for tag in ("a", "b"))
    wait_for(lambda: all(r.ready() for r in replicas), what="both replicas listening")

    wait_for(stalled.exists, what="a replica scanning the stalling server")
    with engine.connect() as conn:
        owner = conn.execute(text("SELECT lease_owner FROM rescan_jobs "
                                  "WHERE server_name = 'io.example/stall'")).scalar_one()
    victim = next(r for r in replicas if f":{r.proc.pid}:" in owner)
    survivor = next(r for r in replicas if r is not victim)
    os.killpg(victim.proc.pid, signal.SIGKILL)  # no chance to hand its leases back
    victim.proc.wait(timeout=10)
    with engine.connect() as conn:  # what it had in flight (before the leases expire)
        in_flight = set(conn.execute(text("SELECT server_name FROM rescan_jobs WHERE lease_owner = :o"),
                                     {"o": owner}).scalars())
    assert "io.example/stall" in in_flight
    release.touch()

    def runs() -> list[tuple[str, str, str]]:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(
                "SELECT server_name, worker, status FROM rescan_runs ORDER BY id"))]

    wait_for(lambda: len(runs()) >= NORMAL + 1 and
             any(name == "io.example/stall" for name, _, _ in runs()),
             timeout=120, what="every server rescanned, the stalled one by the survivor")
    done = runs()
    assert sorted(name for name, _, _ in done) == sorted([*servers, "io.example/stall"]), done
    assert [status for _, _, status in done] == ["ok"] * (NORMAL + 1), done
    (stall_run,) = [w for name, w, _ in done if name == "io.example/stall"]
    assert f":{survivor.proc.pid}:" in stall_run
    # tools/list answered once per due rescan; a scan the victim had in flight may have
    # reached the server before the kill, and is then run again by the survivor
    for name, srv in [*servers.items(), ("io.example/stall", staller)]:
        assert srv.scans() == 1 or (name in in_flight and srv.scans() == 2), (name, srv.scans())
    with engine.connect() as conn:
        attempts, future = conn.execute(text(
            "SELECT attempts, next_due_at > now() + interval '30 minutes' FROM rescan_jobs "
            "WHERE server_name = 'io.example/stall'")).one()
        leased = conn.execute(text("SELECT count(*) FROM rescan_jobs "
                                   "WHERE lease_owner IS NOT NULL")).scalar_one()
    assert (attempts, future, leased) == (0, True, 0)
    assert survivor.proc.poll() is None
    engine.dispose()
