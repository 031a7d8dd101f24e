"""Four eyes compares people, not tokens: every token belongs to a person (its owner), and
neither the submitting person nor a token they created may approve what they submitted."""

from __future__ import annotations

import os
import pwd
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlmodel import Session, select

from registry import migrate
from registry.auth import token_principal
from registry.cli import main
from registry.db import make_engine, session_scope
from registry.models import ApiToken, AuditEvent
from registry.services import tokens as token_service
from tests.registry.conftest import auth, submit_fixture
from tests.web.pages_support import land_scan, make_settings, running, sign_in, submit

NAME = "io.github.acme/fixture"


def make_token(client: TestClient[Litestar], creator: str, role: str, name: str, owner: str | None) -> str:
    body: dict[str, Any] = {"role": role, "name": name} | ({} if owner is None else {"owner": owner})
    r = client.post("/v1/tokens", json=body, headers=auth(creator))
    assert r.status_code == 201, r.text
    token: str = r.json()["token"]
    return token


def approve(client: TestClient[Litestar], review_id: int, token: str) -> Any:
    return client.post(f"/v1/reviews/{review_id}/approve", json={"reason": "read it"}, headers=auth(token))


def assert_four_eyes(response: Any) -> None:
    assert response.status_code == 403, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"].endswith("/four-eyes")


def test_one_person_with_two_tokens_cannot_approve_their_own_submission_and_another_person_can(
    client: TestClient[Litestar], tokens: dict[str, str], tmp_path: Path
) -> None:
    alice_submits = make_token(client, tokens["admin"], "admin", "alice-ops", owner="alice")
    alice_reviews = make_token(client, tokens["admin"], "reviewer", "alice-review", owner="alice")
    bob = make_token(client, tokens["admin"], "reviewer", "bob-review", owner="bob")
    detail = submit_fixture(client, {**tokens, "admin": alice_submits}, NAME, tmp_path / "flag")
    assert detail["scan"]["status"] == "succeeded", detail["scan"]
    refused = approve(client, detail["id"], alice_reviews)
    assert_four_eyes(refused)
    assert "alice submitted this server" in refused.json()["detail"]
    # the same person under another spelling of the name is still the same person
    alias = make_token(client, tokens["admin"], "reviewer", "alice-again", owner="ALICE")
    assert_four_eyes(approve(client, detail["id"], alias))
    ok = approve(client, detail["id"], bob)
    assert ok.status_code == 200, ok.text
    assert ok.json()["approved_by"] == "token:bob-review"


def test_an_admin_cannot_approve_their_own_submission_through_a_token_they_made_for_a_puppet(
    client: TestClient[Litestar], tokens: dict[str, str], tmp_path: Path
) -> None:
    puppet = make_token(client, tokens["admin"], "reviewer", "puppet-review", owner="puppet")
    detail = submit_fixture(client, tokens, NAME, tmp_path / "flag")
    refused = approve(client, detail["id"], puppet)
    assert_four_eyes(refused)
    assert "created by token:t-admin" in refused.json()["detail"]
    # a puppet admin minting a second puppet does not launder the lineage
    puppet_admin = make_token(client, tokens["admin"], "admin", "puppet-admin", owner="puppet")
    second = make_token(client, puppet_admin, "reviewer", "puppet2-review", owner="puppet2")
    assert_four_eyes(approve(client, detail["id"], second))
    # revoking the middle token does not launder it either
    assert client.post("/v1/tokens/puppet-admin/revoke", headers=auth(tokens["admin"])).status_code == 200
    assert_four_eyes(approve(client, detail["id"], second))
    ok = approve(client, detail["id"], tokens["reviewer"])
    assert ok.status_code == 200, ok.text


def test_a_token_made_for_someone_else_is_audited_with_its_owner_and_creator(
    client: TestClient[Litestar], tokens: dict[str, str]
) -> None:
    make_token(client, tokens["admin"], "reviewer", "for-bob", owner="bob@example.com")
    made = client.post("/v1/tokens", json={"role": "auditor", "name": "mine"}, headers=auth(tokens["admin"]))
    assert made.status_code == 201, made.text
    assert (made.json()["owner"], made.json()["created_by"]) == ("token:t-admin", "token:t-admin")
    events = client.get("/v1/audit?limit=200", headers=auth(tokens["auditor"])).json()["items"]
    created = {e["subject"]: e for e in events if e["action"] == "token.create"}
    for_bob = created["token:for-bob"]
    assert for_bob["actor"] == "token:t-admin"
    assert for_bob["details"] | {"token_id": 0} == {
        "role": "reviewer",
        "token_id": 0,
        "owner": "bob@example.com",
        "created_by": "token:t-admin",
        "for_other": True,
    }
    assert created["token:mine"]["details"]["for_other"] is False
    listed = {t["name"]: t for t in client.get("/v1/tokens", headers=auth(tokens["admin"])).json()["items"]}
    assert (listed["for-bob"]["owner"], listed["for-bob"]["created_by"]) == ("bob@example.com", "token:t-admin")
    assert listed["mine"]["owner"] == "token:t-admin"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"name": "line\nbreak"}, id="name-newline"),
        pytest.param({"name": "<script>alert(1)</script>"}, id="name-markup"),
        pytest.param({"name": "trailing\n"}, id="name-trailing-newline"),
        pytest.param({"name": "rtl\u202eoverride"}, id="name-bidi-control"),
        pytest.param({"name": "ok-name", "owner": "alice\nbob"}, id="owner-newline"),
        pytest.param({"name": "ok-name", "owner": "<script>alert(1)</script>"}, id="owner-markup"),
        pytest.param({"name": "ok-name", "owner": "x" * 201}, id="owner-too-long"),
        pytest.param({"name": "ok-name", "owner": " "}, id="owner-blank"),
    ],
)
def test_a_token_name_or_owner_that_is_not_one_printable_line_is_refused_and_nothing_is_written(
    client: TestClient[Litestar], tokens: dict[str, str], body: dict[str, str]
) -> None:
    before = client.get("/v1/audit/verify", headers=auth(tokens["auditor"])).json()["rows"]
    r = client.post("/v1/tokens", json={"role": "reviewer", **body}, headers=auth(tokens["admin"]))
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    names = [t["name"] for t in client.get("/v1/tokens", headers=auth(tokens["admin"])).json()["items"]]
    assert "ok-name" not in names and body["name"] not in names
    assert client.get("/v1/audit/verify", headers=auth(tokens["auditor"])).json()["rows"] == before


def test_the_cli_makes_tokens_owned_and_created_by_the_os_user_unless_it_names_an_owner(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    me = f"local:{pwd.getpwuid(os.getuid()).pw_name}"  # the OS account, not $USER
    assert main(["token", "create", "--role", "admin", "--name", "ops", "--database-url", database_url]) == 0
    out = capsys.readouterr().out
    assert out.startswith("mcpt_") and out.count("\n") == 1  # only the token on stdout
    argv = ["token", "create", "--role", "reviewer", "--name", "puppet", "--owner", "puppet"]
    assert main([*argv, "--database-url", database_url]) == 0
    capsys.readouterr()
    engine = make_engine(database_url)
    with Session(engine) as s:
        rows = {r.name: r for r in s.exec(select(ApiToken)).all()}
        event = s.exec(select(AuditEvent).where(AuditEvent.subject == "token:puppet")).one()
        # the OS user submitted with "ops" and made "puppet": four eyes traces it back
        assert token_service.created_through(s, token_principal(rows["puppet"]), rows["ops"].owner)
    engine.dispose()
    assert (rows["ops"].owner, rows["ops"].created_by) == (me, me)
    assert (rows["puppet"].owner, rows["puppet"].created_by) == ("puppet", me)
    assert event.actor == me and event.details["for_other"] is True
    assert main(["token", "list", "--format", "json", "--database-url", database_url]) == 0
    assert '"owner": "puppet"' in capsys.readouterr().out


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param(["--name", "two\nlines"], id="name-newline"),
        pytest.param(["--name", "<b>bold</b>"], id="name-markup"),
        pytest.param(["--name", "fine", "--owner", "alice\nreviewer"], id="owner-newline"),
        pytest.param(["--name", "fine", "--owner", "<script>x</script>"], id="owner-markup"),
    ],
)
def test_the_cli_refuses_a_name_or_owner_that_is_not_one_printable_line_with_one_line_and_exit_2(
    database_url: str, capsys: pytest.CaptureFixture[str], extra: list[str]
) -> None:
    assert main(["token", "create", "--role", "reviewer", *extra, "--database-url", database_url]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "one printable line" in captured.err
    engine = make_engine(database_url)
    with Session(engine) as s:
        assert s.exec(select(ApiToken)).all() == []
    engine.dispose()


def test_the_creator_lineage_ends_on_a_cycle_and_only_links_the_people_in_it(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    with session_scope(engine) as s:
        # x's token was made by y and y's by x (possible through two admins); z is unrelated
        token_service.create_token(s, role="admin", name="x1", actor="t", owner="x", created_by="y")
        token_service.create_token(s, role="admin", name="y1", actor="t", owner="y", created_by="x")
        token_service.create_token(s, role="reviewer", name="r1", actor="t", owner="r", created_by="x")
        token_service.create_token(s, role="reviewer", name="z1", actor="t", owner="z", created_by="t")
    with Session(engine) as s:
        rows = {r.name: token_principal(r) for r in s.exec(select(ApiToken)).all()}
        assert token_service.created_through(s, rows["r1"], "x")
        assert token_service.created_through(s, rows["r1"], "Y")
        assert not token_service.created_through(s, rows["r1"], "z")
        assert not token_service.created_through(s, rows["z1"], "x")
    engine.dispose()


def test_the_web_page_refuses_a_person_approving_with_their_second_token_and_says_why(
    tmp_path: Path, database_url: str
) -> None:
    with running(make_settings(tmp_path, database_url=database_url)) as (app, client):
        with session_scope(app.state["runtime"].engine) as s:
            _, alice_submits = token_service.create_token(s, role="submitter", name="a1", actor="t", owner="alice")
            _, alice_reviews = token_service.create_token(s, role="reviewer", name="a2", actor="t", owner="alice")
            _, bob = token_service.create_token(s, role="reviewer", name="b1", actor="t", owner="bob")
        review_id = submit(client, alice_submits, NAME)["review_id"]
        land_scan(app, review_id, [{"name": "count", "description": "Count.", "inputSchema": {"type": "object"}}])
        csrf = sign_in(client, alice_reviews)
        page = client.get(f"/ui/servers/{NAME}")
        assert "You submitted this server" in page.text and "/approve" not in page.text
        forced = client.post(f"/ui/reviews/{review_id}/approve", data={"csrf_token": csrf, "reason": "mine"})
        assert forced.status_code == 403
        assert "alice submitted this server and cannot approve it" in forced.text
        csrf = sign_in(client, bob)
        done = client.post(
            f"/ui/reviews/{review_id}/approve", data={"csrf_token": csrf, "reason": "read it"}, follow_redirects=False
        )
        assert done.status_code == 303, done.text
