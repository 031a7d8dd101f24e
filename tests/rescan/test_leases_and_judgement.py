"""Row leases (claim, expiry, fencing), the alert judgement, and the upstream poll."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import anyio
import httpx
import pytest
import respx
from sqlalchemy.engine import Engine
from sqlmodel import select

from registry import migrate
from registry.db import make_engine, session_scope
from registry.models import Alert, Server, Submission, utcnow
from registry.rescan import jobs, judge, upstream
from registry.rescan.config import RescanConfig
from registry.rescan.leases import heartbeat
from registry.rescan.tables import RescanJob

ASSETS = Path(__file__).resolve().parents[1] / "assets" / "rescan"
REGISTRY = "https://registry.test"


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    eng = make_engine(database_url)
    migrate.upgrade(eng)
    yield eng
    eng.dispose()


def add_jobs(engine: Engine, names: list[str], due: dt.datetime) -> None:
    with session_scope(engine) as session:
        for name in names:
            session.add(RescanJob(server_name=name, next_due_at=due))


def test_due_rows_are_split_between_claimers_and_a_live_lease_is_never_claimed_twice(
    engine: Engine,
) -> None:
    now = utcnow()
    add_jobs(engine, ["a/1", "a/2", "a/3"], now - dt.timedelta(seconds=1))
    add_jobs(engine, ["a/later"], now + dt.timedelta(hours=1))
    first = jobs.claim_due(engine, "w1", limit=2, lease_s=60, now=now)
    second = jobs.claim_due(engine, "w2", limit=5, lease_s=60, now=now)
    third = jobs.claim_due(engine, "w3", limit=5, lease_s=60, now=now)
    assert len(first) == 2 and len(second) == 1 and third == []
    assert {lease.row_id for lease in first}.isdisjoint({lease.row_id for lease in second})


def test_an_expired_lease_is_claimed_by_another_worker_and_the_old_owner_is_fenced_out(
    engine: Engine,
) -> None:
    now = utcnow()
    add_jobs(engine, ["a/1"], now)
    (old,) = jobs.claim_due(engine, "dead-worker", limit=1, lease_s=5, now=now)
    assert jobs.claim_due(engine, "w2", limit=1, lease_s=5, now=now + dt.timedelta(seconds=4)) == []
    (new,) = jobs.claim_due(engine, "w2", limit=1, lease_s=5, now=now + dt.timedelta(seconds=6))
    assert new.row_id == old.row_id and new.token != old.token
    assert heartbeat(engine, jobs.JOBS, [old], 5, utcnow()) == [old]  # the old owner learns it lost
    assert heartbeat(engine, jobs.JOBS, [new], 5, utcnow()) == []
    with session_scope(engine) as session:
        job = session.exec(select(RescanJob)).one()
        assert (job.lease_owner, job.attempts) == ("w2", 2)


def test_approved_servers_get_one_schedule_row_each_spread_by_jitter(engine: Engine) -> None:
    with session_scope(engine) as session:
        for i in range(20):
            session.add(Server(name=f"io.example/s{i}", state="approved"))
        session.add(Server(name="io.example/pending", state="pending"))
    config = RescanConfig(interval_s=3600.0, jitter=0.1)
    now = utcnow()
    assert jobs.ensure_jobs(engine, config, now) == 20
    assert jobs.ensure_jobs(engine, config, now) == 0
    with session_scope(engine) as session:
        rows = session.exec(select(RescanJob)).all()
    offsets = {round((r.next_due_at.replace(tzinfo=dt.UTC) - now).total_seconds()) for r in rows}
    assert all(3240 <= o <= 3960 for o in offsets) and len(offsets) > 1


PREV = judge.ScanFacts(score=72.0, tier="trusted", criticals=frozenset({("a", "r1", "$.description")}))


def test_a_score_crossing_the_threshold_alerts_once_and_staying_below_does_not() -> None:
    below = judge.ScanFacts(score=41.0, tier="trusted")
    spec = judge.score_alert("s", PREV, below, 50.0)
    assert spec is not None and spec.kind == "trust_score_drop" and spec.payload["score"] == 41.0
    assert judge.score_alert("s", below, judge.ScanFacts(score=39.0, tier="trusted"), 50.0) is None
    assert judge.score_alert("s", PREV, judge.ScanFacts(score=70.0, tier="trusted"), 50.0) is None


def test_a_fall_to_a_lower_tier_alerts_even_above_the_threshold() -> None:
    spec = judge.score_alert("s", PREV, judge.ScanFacts(score=66.0, tier="review"), 50.0)
    assert spec is not None and "tier trusted to review" in spec.payload["summary"]
    unknown = judge.ScanFacts(score=66.0, tier="insufficient_evidence")
    assert judge.score_alert("s", PREV, unknown, 50.0) is None  # "don't know" is not a fall


def test_only_critical_findings_not_seen_before_alert() -> None:
    same = judge.ScanFacts(criticals=PREV.criticals)
    assert judge.critical_alert("s", PREV, same) is None
    more = judge.ScanFacts(criticals=PREV.criticals | {("b", "r2", "$.inputSchema")})
    spec = judge.critical_alert("s", PREV, more)
    assert spec is not None and spec.payload["findings"] == [
        {"tool": "b", "rule_id": "r2", "path": "$.inputSchema"}]


def test_critical_findings_are_read_from_a_stored_report() -> None:
    report = {"manifest_sha256": "x", "tools": [{"name": "t", "findings": [
        {"severity": "critical", "rule_id": "exfil", "path": "$.description"},
        {"severity": "high", "rule_id": "other", "path": "$.description"}]}],
        "server_findings": [], "trust": {"score": 55, "tier": "review"}}
    facts = judge.facts_from_report(report, None)
    assert facts.criticals == {("t", "exfil", "$.description")}
    assert (facts.score, facts.tier) == (55.0, "review")


def test_the_failure_alert_fires_at_exactly_the_nth_failure_in_a_row() -> None:
    fired = [judge.failure_alert("s", n, 3, "ConnectionFailed: gone", "7") for n in range(1, 6)]
    assert [f is not None for f in fired] == [False, False, True, False, False]


def watched(engine: Engine, name: str) -> None:
    doc = json.loads((ASSETS / "registry-weather-active.json").read_text())["server"]
    with session_scope(engine) as session:
        server = Server(name=name, state="approved")
        session.add(server)
        session.flush()
        session.add(Submission(server_id=server.id or 0, submitted_by="t", source={"server_json": doc}))
        other = Server(name="io.example/by-url", state="approved")
        session.add(other)
        session.flush()
        session.add(Submission(server_id=other.id or 0, submitted_by="t", source={"url": "http://x.test"}))


@respx.mock(assert_all_mocked=True, assert_all_called=True)
def test_the_upstream_registry_marking_a_server_deprecated_then_deleted_raises_one_alert_each(
    engine: Engine, respx_mock: respx.MockRouter
) -> None:
    name = "io.github.acme/weather"
    watched(engine, name)
    route = respx_mock.get(f"{REGISTRY}/v0.1/servers/io.github.acme%2Fweather/versions/latest")
    for asset in ("active", "deprecated", "deprecated", "deleted"):
        route.mock(return_value=httpx.Response(
            200, content=(ASSETS / f"registry-weather-{asset}.json").read_bytes()))
        anyio.run(upstream.poll, engine, REGISTRY)
    with session_scope(engine) as session:
        alerts = session.exec(select(Alert).order_by(Alert.id)).all()  # type: ignore[arg-type]
        kinds = [(a.kind, a.server_name) for a in alerts]
    assert kinds == [("upstream_deprecated", name), ("upstream_deleted", name)]
    assert alerts[0].payload["status_message"].startswith("Superseded by")


@respx.mock(assert_all_mocked=True, assert_all_called=True)
def test_an_entry_gone_from_the_upstream_registry_counts_as_deleted_and_errors_are_not_alerts(
    engine: Engine, respx_mock: respx.MockRouter
) -> None:
    watched(engine, "io.github.acme/weather")
    route = respx_mock.get(f"{REGISTRY}/v0.1/servers/io.github.acme%2Fweather/versions/latest")
    route.mock(side_effect=[httpx.Response(503), httpx.ConnectError("down"), httpx.Response(404)])
    assert anyio.run(upstream.poll, engine, REGISTRY) == []
    assert anyio.run(upstream.poll, engine, REGISTRY) == []
    assert len(anyio.run(upstream.poll, engine, REGISTRY)) == 1
