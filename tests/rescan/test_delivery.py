"""The webhook outbox without the HTTP API: rows written with the alert, retries with
backoff, dead after max attempts, and two replicas' workers never sending a row twice."""

from __future__ import annotations

import json
from collections.abc import Iterator

import anyio
import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from registry import migrate
from registry.alerts import outbox
from registry.alerts.delivery import DeliveryWorker
from registry.alerts.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, SignatureError, verify
from registry.alerts.tables import AlertDelivery, WebhookTarget
from registry.db import make_engine, session_scope
from registry.models import Alert
from registry.rescan.config import WebhookConfig
from registry.services.alerts import raise_alert
from tests.rescan.conftest import SECRET, Receiver
from tests.support import wait_for


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    eng = make_engine(database_url)
    migrate.upgrade(eng)
    outbox.install()
    yield eng
    eng.dispose()


def add_target(engine: Engine, url: str, name: str = "hook", fmt: str = "generic") -> None:
    with session_scope(engine) as session:
        session.add(WebhookTarget(name=name, url=url, format=fmt, secret=SECRET))


def new_alert(engine: Engine, kind: str = "drift") -> int:
    with session_scope(engine) as session:
        row = raise_alert(session, kind, "io.example/a", {"summary": "changed", "diff": {
            "added": ["upload"], "removed": [], "changed": ["echo"]}}, "test")
        assert row is not None and row.id is not None
        return row.id


def deliveries(engine: Engine, alert_id: int) -> list[AlertDelivery]:
    with session_scope(engine) as session:
        return list(session.exec(select(AlertDelivery).where(  # type: ignore[call-overload]
            AlertDelivery.alert_id == alert_id)).scalars())


def config(**kw: object) -> WebhookConfig:
    values: dict = {"backoff_base_s": 0.05, "backoff_cap_s": 0.1, "max_attempts": 5, "timeout_s": 2.0}
    values.update(kw)
    return WebhookConfig(**values)


def tick_until(worker: DeliveryWorker, check, what: str):  # type: ignore[no-untyped-def]
    return wait_for(lambda: anyio.run(worker.tick) >= 0 and check(), timeout=30, what=what)


def test_an_alert_and_its_outbox_rows_commit_or_roll_back_together(engine: Engine) -> None:
    add_target(engine, "http://127.0.0.1:9/hook")
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        raise_alert(session, "drift", "io.example/a", {}, "test")
        raise RuntimeError("the transaction fails after the alert was written")
    with session_scope(engine) as session:
        assert session.exec(select(Alert)).all() == []  # type: ignore[call-overload]
        assert session.exec(select(AlertDelivery)).all() == []  # type: ignore[call-overload]
    alert_id = new_alert(engine)
    assert [d.status for d in deliveries(engine, alert_id)] == ["pending"]


def test_a_target_answering_503_is_retried_with_backoff_until_it_accepts(
    engine: Engine, receiver: Receiver
) -> None:
    receiver.status = 503
    receiver.start()
    add_target(engine, receiver.url)
    alert_id = new_alert(engine)
    worker = DeliveryWorker(engine, config(), "replica-a")
    tick_until(worker, lambda: len(receiver.requests) >= 2, "two refused attempts")
    (row,) = deliveries(engine, alert_id)
    assert row.status == "pending" and row.last_status_code == 503 and row.last_error == "HTTP 503"
    receiver.status = 200
    tick_until(worker, lambda: deliveries(engine, alert_id)[0].status == "delivered", "delivery")
    (row,) = deliveries(engine, alert_id)
    assert row.attempts == len(receiver.requests) >= 3
    bodies = {r["body"] for r in receiver.requests}
    assert len(bodies) == 1  # every retry sent the same bytes
    ids = {r["headers"]["X-MCP-Trust-Delivery"] for r in receiver.requests}
    assert ids == {str(row.id)}


def test_a_delivery_that_keeps_failing_is_dead_after_max_attempts(engine: Engine) -> None:
    add_target(engine, "http://127.0.0.1:9/hook")  # discard port: connection refused
    alert_id = new_alert(engine)
    worker = DeliveryWorker(engine, config(max_attempts=3), "replica-a")
    tick_until(worker, lambda: deliveries(engine, alert_id)[0].status == "dead", "dead")
    (row,) = deliveries(engine, alert_id)
    assert row.attempts == 3 and "ConnectError" in (row.last_error or "")
    assert anyio.run(worker.tick) == 0  # never claimed again


def test_two_replicas_ticking_together_deliver_each_alert_exactly_once(
    engine: Engine, receiver: Receiver
) -> None:
    receiver.start()
    add_target(engine, receiver.url)
    alert_ids = [new_alert(engine) for _ in range(12)]
    a = DeliveryWorker(engine, config(batch=5), "replica-a")
    b = DeliveryWorker(engine, config(batch=5), "replica-b")

    async def both() -> None:
        async with anyio.create_task_group() as tg:
            for _ in range(4):
                tg.start_soon(a.tick)
                tg.start_soon(b.tick)

    anyio.run(both)
    wait_for(lambda: anyio.run(a.tick) >= 0 and len(receiver.requests) >= 12, what="12 deliveries")
    sent = sorted(json.loads(r["body"])["alert"]["id"] for r in receiver.requests)
    assert sent == sorted(alert_ids)


def test_the_generic_body_is_signed_and_a_stale_or_altered_body_is_refused(
    engine: Engine, receiver: Receiver
) -> None:
    receiver.start()
    add_target(engine, receiver.url)
    new_alert(engine)
    worker = DeliveryWorker(engine, config(), "replica-a")
    tick_until(worker, lambda: receiver.requests, "delivery")
    got = receiver.requests[0]
    ts, sig = got["headers"][TIMESTAMP_HEADER], got["headers"][SIGNATURE_HEADER]
    verify(SECRET, got["body"], ts, sig)
    with pytest.raises(SignatureError, match="no signature matches"):
        verify(SECRET, got["body"] + b" ", ts, sig)
    with pytest.raises(SignatureError, match="replay refused"):
        verify(SECRET, got["body"], ts, sig, now=int(ts) + 301)
    with pytest.raises(SignatureError, match="no signature matches"):
        verify("another-secret-0123456789", got["body"], ts, sig)


def test_a_slack_target_gets_text_and_blocks_with_the_diff(engine: Engine, receiver: Receiver) -> None:
    receiver.start()
    add_target(engine, receiver.url, name="slack", fmt="slack")
    new_alert(engine)
    worker = DeliveryWorker(engine, config(), "replica-a")
    tick_until(worker, lambda: receiver.requests, "delivery")
    doc = json.loads(receiver.requests[0]["body"])
    assert "drift" in doc["text"] and "changed" in doc["text"]
    rendered = json.dumps(doc["blocks"])
    assert "`upload`" in rendered and "`echo`" in rendered and "io.example/a" in rendered
