"""Decisions: four eyes, one winner when two reviewers decide at once, reasons required."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlmodel import Session

from registry.db import session_scope
from registry.errors import Conflict
from registry.models import ReviewItem
from registry.services import reviews
from tests.registry.conftest import auth, submit_fixture


def test_the_submitter_of_a_server_cannot_approve_it(
    client: TestClient[Litestar], tokens: dict[str, str], tmp_path: Path
) -> None:
    detail = submit_fixture(client, tokens, "io.github.acme/fixture", tmp_path / "flag")
    r = client.post(f"/v1/reviews/{detail['id']}/approve", json={"reason": "mine"}, headers=auth(tokens["admin"]))
    assert r.status_code == 403
    assert r.json()["type"].endswith("/four-eyes")
    other = client.post(f"/v1/reviews/{detail['id']}/approve", json={"reason": "ok"}, headers=auth(tokens["reviewer"]))
    assert other.status_code == 200, other.text


def test_two_reviewers_approving_at_once_one_wins_and_the_other_gets_409(
    client: TestClient[Litestar], tokens: dict[str, str], tmp_path: Path
) -> None:
    detail = submit_fixture(client, tokens, "io.github.acme/fixture", tmp_path / "flag")
    barrier = threading.Barrier(2)
    codes: list[int] = []

    def decide(token: str) -> None:
        barrier.wait()
        r = client.post(f"/v1/reviews/{detail['id']}/approve", json={"reason": "race"}, headers=auth(token))
        codes.append(r.status_code)

    threads = [threading.Thread(target=decide, args=(tokens[n],)) for n in ("reviewer", "reviewer2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [200, 409]


def test_a_decision_made_from_a_stale_read_loses_with_a_conflict(
    client: TestClient[Litestar], tokens: dict[str, str], tmp_path: Path, app: Litestar
) -> None:
    detail = submit_fixture(client, tokens, "io.github.acme/fixture", tmp_path / "flag")
    engine = app.state["runtime"].engine
    with Session(engine) as s:
        stale = s.get(ReviewItem, detail["id"])
        assert stale is not None
        s.expunge(stale)
    with session_scope(engine) as s:
        reviews.reject(s, detail["id"], "token:t-reviewer", "first")
    with session_scope(engine) as s, pytest.raises(Conflict):
        reviews._claim(s, stale, "approved", "token:t-reviewer2", "second")


def test_a_rejection_needs_a_reason_and_a_decided_item_cannot_be_decided_again(
    client: TestClient[Litestar], tokens: dict[str, str], tmp_path: Path
) -> None:
    detail = submit_fixture(client, tokens, "io.github.acme/fixture", tmp_path / "flag")
    for body in ({}, {"reason": ""}):
        r = client.post(f"/v1/reviews/{detail['id']}/reject", json=body, headers=auth(tokens["reviewer"]))
        assert r.status_code in (400, 422), r.text
    ok = client.post(f"/v1/reviews/{detail['id']}/reject", json={"reason": "unsafe"}, headers=auth(tokens["reviewer"]))
    assert ok.status_code == 200
    again = client.post(f"/v1/reviews/{detail['id']}/approve", json={"reason": "x"}, headers=auth(tokens["reviewer"]))
    assert again.status_code == 409


def test_the_queue_filters_by_state_sorts_and_paginates_with_a_cursor(
    client: TestClient[Litestar], tokens: dict[str, str]
) -> None:
    for i in range(5):
        body = {"name": f"io.github.acme/q{i}", "source": {"url": f"http://127.0.0.1:9/mcp{i}"}}
        assert client.post("/v1/submissions", json=body, headers=auth(tokens["submitter"])).status_code == 202
    seen: list[int] = []
    cursor = None
    for _ in range(10):
        q = "/v1/reviews?state=pending&sort=age&limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(q, headers=auth(tokens["reviewer"])).json()
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 5 and seen == sorted(seen)
    for sort in ("score", "worst_finding"):
        r = client.get(f"/v1/reviews?sort={sort}&limit=3", headers=auth(tokens["reviewer"]))
        assert r.status_code == 200 and len(r.json()["items"]) == 3
    bad = client.get("/v1/reviews?sort=nonsense", headers=auth(tokens["reviewer"]))
    assert bad.status_code == 422
    assert client.get("/v1/reviews?cursor=%%%", headers=auth(tokens["reviewer"])).status_code == 422
