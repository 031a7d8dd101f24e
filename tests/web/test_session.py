"""Signed session cookies, session-bound CSRF tokens, and server-side sign-out."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from litestar import Litestar
from litestar.testing import TestClient
from sqlmodel import Session, select

from registry.models import WebSession
from registry.settings import OidcSettings
from registry.web import session as ws
from tests.web.pages_support import csrf_of, make_settings, make_token, running, sign_in, submit
from tests.web.test_sso import ISSUER, JWKS_URL, _jwks, _jwt

KEY = ws.derive_key("a long configured secret")


def test_a_session_round_trips_through_its_cookie() -> None:
    data = ws.new_session(kind="token", token_id="7", principal="token:rita", roles=("reviewer",))
    assert ws.decode_session(KEY, ws.encode_session(KEY, data)) == data


def test_a_cookie_signed_with_another_key_is_rejected() -> None:
    data = ws.new_session(kind="token", token_id="7")
    other = ws.derive_key("another secret")
    assert ws.decode_session(other, ws.encode_session(KEY, data)) is None


def test_an_edited_cookie_is_rejected() -> None:
    value = ws.encode_session(KEY, ws.new_session(kind="token", token_id="7"))
    body, mac = value.split(".")
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    assert ws.decode_session(KEY, f"{flipped}.{mac}") is None
    assert ws.decode_session(KEY, body) is None
    assert ws.decode_session(KEY, "") is None
    assert ws.decode_session(KEY, "x" * 5000) is None


def test_an_expired_session_is_rejected() -> None:
    data = ws.new_session(kind="token", token_id="7", max_age_s=60, now=1_000_000)
    value = ws.encode_session(KEY, data)
    assert ws.decode_session(KEY, value, now=1_000_059) == data
    assert ws.decode_session(KEY, value, now=1_000_060) is None


def test_the_csrf_token_is_bound_to_the_session_nonce() -> None:
    one, two = ws.new_session(), ws.new_session()
    assert ws.csrf_ok(KEY, one, ws.csrf_token(KEY, one))
    assert not ws.csrf_ok(KEY, two, ws.csrf_token(KEY, one))
    assert not ws.csrf_ok(KEY, one, "")
    assert not ws.csrf_ok(KEY, one, None)
    assert not ws.csrf_ok(KEY, None, ws.csrf_token(KEY, one))


def test_without_a_configured_secret_each_process_gets_a_random_key() -> None:
    assert ws.derive_key(None) != ws.derive_key(None)
    assert ws.derive_key("s") == ws.derive_key("s")


def test_only_a_signed_in_session_gets_a_server_side_session_id() -> None:
    assert ws.new_session().sid is None
    one, two = (ws.new_session(kind="token", token_id="7") for _ in range(2))
    assert one.sid and two.sid and one.sid != two.sid
    assert ws.sid_digest(one.sid) != one.sid and len(ws.sid_digest(one.sid)) == 64


# -- sign-out ends the session on the server, for every copy of the cookie ---------


@pytest.fixture
def registry(tmp_path: Path, database_url: str) -> Iterator[tuple[Litestar, TestClient[Litestar]]]:
    with running(make_settings(tmp_path, database_url=database_url)) as pair:
        yield pair


def _payload(cookie: str) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads(base64.urlsafe_b64decode(cookie.partition(".")[0] + "==="))
    return payload


def _sid_of(cookie: str) -> str:
    return str(_payload(cookie)["sid"])


def _replay(client: TestClient[Litestar], cookie: str) -> None:
    client.cookies.clear()
    client.cookies.set(ws.COOKIE_NAME, cookie)


def _session_rows(app: Litestar) -> list[WebSession]:
    with Session(app.state["runtime"].engine) as s:
        return list(s.exec(select(WebSession)).all())


def test_a_copy_of_the_cookie_is_signed_out_when_its_session_signs_out(
    registry: tuple[Litestar, TestClient[Litestar]],
) -> None:
    app, c = registry
    submitter, reviewer = make_token(app, "submitter", "sam"), make_token(app, "reviewer", "rita")
    review_id = submit(c, submitter, "io.github.acme/crm")["review_id"]
    csrf = sign_in(c, reviewer)
    copy = c.cookies.get(ws.COOKIE_NAME)
    assert copy and c.get("/ui/", follow_redirects=False).status_code == 200
    # the table keys the session by its digest: it never holds the live id itself
    [row] = _session_rows(app)
    assert row.sid == ws.sid_digest(_sid_of(copy)) and row.ended_at is None and row.actor == "token:rita"

    assert c.post("/ui/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    [row] = _session_rows(app)
    assert row.ended_at is not None

    _replay(c, copy)
    page = c.get("/ui/", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/ui/login?next=")
    login = c.get("/ui/login")
    assert "<h1>Sign in</h1>" in login.text
    # the sign-in page swaps the dead cookie for an anonymous session
    fresh = login.headers["set-cookie"].partition("=")[2].partition(";")[0]
    assert _payload(fresh)["kind"] == "anonymous" and _payload(fresh)["sid"] is None
    _replay(c, copy)
    resp = c.post(f"/ui/reviews/{review_id}/reject", data={"csrf_token": csrf, "reason": "x"}, follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"].startswith("/ui/login")
    detail = c.get(f"/v1/reviews/{review_id}", headers={"Authorization": f"Bearer {reviewer}"}).json()
    assert detail["state"] == "pending"  # the replayed form decided nothing


def test_signing_in_again_starts_a_new_session_and_the_old_one_stays_signed_out(
    registry: tuple[Litestar, TestClient[Litestar]],
) -> None:
    app, c = registry
    reviewer = make_token(app, "reviewer", "rita")
    csrf = sign_in(c, reviewer)
    first = c.cookies.get(ws.COOKIE_NAME) or ""
    c.post("/ui/logout", data={"csrf_token": csrf})
    sign_in(c, reviewer)
    second = c.cookies.get(ws.COOKIE_NAME) or ""
    assert _sid_of(first) != _sid_of(second)
    assert c.get("/ui/", follow_redirects=False).status_code == 200
    _replay(c, first)
    assert c.get("/ui/", follow_redirects=False).status_code == 303


def test_a_single_sign_on_session_is_signed_out_on_the_server_too(tmp_path: Path) -> None:
    oidc = OidcSettings(issuer=ISSUER, audience="mcp-trust", jwks_url=JWKS_URL, role_claim="groups",
                        role_map={"mcp-reviewers": "reviewer"})  # fmt: skip
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as idp:
        idp.get(JWKS_URL).mock(return_value=httpx.Response(200, json=_jwks()))
        with running(make_settings(tmp_path, oidc=oidc)) as (_, c):
            resp = c.get("/ui/login/sso", headers={"Authorization": f"Bearer {_jwt(['mcp-reviewers'])}"})
            assert resp.status_code == 200 and "oidc:alice" in resp.text
            copy = c.cookies.get(ws.COOKIE_NAME) or ""
            c.post("/ui/logout", data={"csrf_token": csrf_of(resp.text)})
            _replay(c, copy)
            assert c.get("/ui/", follow_redirects=False).status_code == 303
