"""``/v1/alerts`` paging and filters, ``/v1/webhooks`` administration."""

from __future__ import annotations

from collections.abc import Iterator

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from registry.db import make_engine, session_scope
from registry.services.alerts import raise_alert
from registry.settings import Settings
from tests.rescan.conftest import auth, fast_config, make_app, make_tokens


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient[Litestar]]:
    config = fast_config("http://127.0.0.1:9/settings-hook", enabled=False)
    # no delivery worker here: these tests look at the outbox rows, not at sending
    config = msgspec.structs.replace(config, webhooks=msgspec.structs.replace(config.webhooks, tick_s=3600.0))
    with TestClient(make_app(settings, config), raise_server_exceptions=False) as c:
        yield c


def raise_some(settings: Settings, kinds: list[str]) -> list[int]:
    engine = make_engine(settings.database_url)
    ids = []
    with session_scope(engine) as session:
        for i, kind in enumerate(kinds):
            row = raise_alert(session, kind, f"io.example/s{i % 2}", {"n": i}, "test")
            assert row is not None and row.id is not None
            ids.append(row.id)
    engine.dispose()
    return ids


def test_alerts_page_newest_first_with_filters_and_a_cursor(client: TestClient[Litestar], settings: Settings) -> None:
    tokens = make_tokens(settings)
    ids = raise_some(settings, ["drift", "rescan_failing", "drift", "drift", "critical_finding"])
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get("/v1/alerts", params=params, headers=auth(tokens["auditor"])).json()
        seen += [a["id"] for a in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(ids, reverse=True)
    drift = client.get(
        "/v1/alerts", params={"kind": "drift", "server": "io.example/s0"}, headers=auth(tokens["auditor"])
    ).json()
    assert [a["id"] for a in drift["items"]] == [ids[2], ids[0]]
    bad = client.get("/v1/alerts", params={"cursor": "not-a-cursor"}, headers=auth(tokens["auditor"]))
    assert bad.status_code in {400, 422} and bad.headers["content-type"].startswith("application/problem+json")
    for role in ("submitter", "gateway"):
        assert client.get("/v1/alerts", headers=auth(tokens[role])).status_code == 403
    assert client.get("/v1/alerts/999999", headers=auth(tokens["auditor"])).status_code == 404


def test_every_alert_gets_a_delivery_row_for_each_enabled_target(
    client: TestClient[Litestar], settings: Settings
) -> None:
    tokens = make_tokens(settings)
    (alert_id,) = raise_some(settings, ["drift"])
    detail = client.get(f"/v1/alerts/{alert_id}", headers=auth(tokens["reviewer"])).json()
    assert [(d["target"], d["status"]) for d in detail["deliveries"]] == [("settings-generic-0", "pending")]


def test_admins_add_and_disable_webhooks_and_the_secret_is_shown_once(
    client: TestClient[Litestar], settings: Settings
) -> None:
    tokens = make_tokens(settings)
    admin = auth(tokens["admin"])
    body = {"name": "soc", "url": "http://127.0.0.1:9/services/T000/B000/XXXX", "format": "slack", "kinds": ["drift"]}
    assert client.post("/v1/webhooks", json=body, headers=auth(tokens["reviewer"])).status_code == 403
    r = client.post("/v1/webhooks", json=body, headers=admin)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["secret"] is None and created["webhook"]["url"] == "http://127.0.0.1:9/..."
    r = client.post("/v1/webhooks", json={"name": "siem", "url": "http://127.0.0.1:9/siem"}, headers=admin)
    secret = r.json()["secret"]
    assert r.status_code == 201 and len(secret) >= 32
    listed = client.get("/v1/webhooks", headers=admin).json()
    assert [(w["name"], w["has_secret"]) for w in listed] == [
        ("settings-generic-0", True),
        ("soc", False),
        ("siem", True),
    ]
    assert all(secret not in str(w) for w in listed)
    assert client.post("/v1/webhooks", json=body, headers=admin).status_code == 409
    bad = client.post("/v1/webhooks", json={"name": "x", "url": "ftp://nope"}, headers=admin)
    assert bad.status_code in {400, 422}
    (drift_id, failing_id) = raise_some(settings, ["drift", "rescan_failing"])
    targets = {d["target"] for d in client.get(f"/v1/alerts/{drift_id}", headers=admin).json()["deliveries"]}
    assert targets == {"settings-generic-0", "soc", "siem"}
    targets = {d["target"] for d in client.get(f"/v1/alerts/{failing_id}", headers=admin).json()["deliveries"]}
    assert targets == {"settings-generic-0", "siem"}  # "soc" only wants drift
    soc = created["webhook"]["id"]
    r = client.delete(f"/v1/webhooks/{soc}", headers=admin)
    assert r.status_code == 200 and r.json()["enabled"] is False
    after = client.get(f"/v1/alerts/{drift_id}", headers=admin).json()["deliveries"]
    assert {d["target"]: d["status"] for d in after}["soc"] == "dead"
    settings_row = listed[0]["id"]
    assert client.delete(f"/v1/webhooks/{settings_row}", headers=admin).status_code == 409
