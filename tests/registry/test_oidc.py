"""Single sign-on: bearer JWTs from the configured issuer, checked against its JWKS
(served by respx from a locally generated key), with a claim mapped to roles; the
subject is a person, so four eyes holds across every role its groups grant."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
import respx
from cryptography.hazmat.primitives.asymmetric import rsa
from httpx import Response
from litestar import Litestar
from litestar.testing import TestClient

from registry.app import create_app
from registry.settings import OidcSettings, Settings
from tests.registry.conftest import fixture_command
from tests.support import wait_for

ISSUER = "https://idp.test"
JWKS_URL = "https://idp.test/.well-known/jwks.json"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


KEY, OTHER = _key(), _key()


def _token(key: rsa.RSAPrivateKey = KEY, **claims: Any) -> str:
    now = int(time.time())
    body = {
        "iss": ISSUER,
        "aud": "mcp-trust",
        "sub": "alice",
        "iat": now,
        "exp": now + 300,
        "groups": ["mcp-reviewers"],
        **claims,
    }
    return jwt.encode(body, key, algorithm="RS256", headers={"kid": "k1"})


@pytest.fixture
def sso_client(database_url: str) -> Iterator[TestClient[Litestar]]:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key()))
    jwks = {"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "RS256"}]}
    oidc = OidcSettings(
        issuer=ISSUER,
        audience="mcp-trust",
        jwks_url=JWKS_URL,
        role_claim="groups",
        role_map={"mcp-reviewers": "reviewer", "mcp-admins": "admin"},
    )
    settings = Settings(database_url=database_url, oidc=oidc, bootstrap_admin=False)
    with respx.mock(assert_all_mocked=True, assert_all_called=True) as mock:
        mock.get(JWKS_URL).mock(return_value=Response(200, json=jwks))
        with TestClient(create_app(settings, features=())) as client:
            yield client


def _get(client: TestClient[Litestar], path: str, token: str) -> int:
    return client.get(path, headers={"Authorization": f"Bearer {token}"}).status_code


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


ADMIN = ["mcp-admins"]


def _submit_and_scan(client: TestClient[Litestar], sub: str, flag: Path) -> int:
    """``sub`` (an admin by its groups) submits the SDK fixture server; wait for its scan."""
    body = {"name": "io.github.acme/fixture", "source": {"command": fixture_command(flag)}}
    r = client.post("/v1/submissions", json=body, headers=_bearer(_token(sub=sub, groups=ADMIN)))
    assert r.status_code == 202, r.text
    review_id: int = r.json()["review_id"]

    def scanned() -> bool:
        d = client.get(f"/v1/reviews/{review_id}", headers=_bearer(_token(sub="auditor-bot"))).json()
        return bool(d["scan"] and d["scan"]["status"] == "succeeded")

    wait_for(scanned, what=f"scan of review {review_id}")
    return review_id


def _approve(client: TestClient[Litestar], review_id: int, token: str) -> Any:
    return client.post(f"/v1/reviews/{review_id}/approve", json={"reason": "read it"}, headers=_bearer(token))


def test_a_valid_token_gets_the_role_its_claim_maps_to(sso_client: TestClient[Litestar]) -> None:
    assert _get(sso_client, "/v1/reviews", _token()) == 200
    assert _get(sso_client, "/v1/tokens", _token()) == 403  # reviewer, not admin
    assert _get(sso_client, "/v1/tokens", _token(groups=["mcp-admins"])) == 200


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param({"exp": int(time.time()) - 10}, id="expired"),
        pytest.param({"aud": "someone-else"}, id="wrong-audience"),
        pytest.param({"iss": "https://evil.test"}, id="wrong-issuer"),
    ],
)
def test_expired_or_misaddressed_tokens_are_refused(sso_client: TestClient[Litestar], bad: dict[str, Any]) -> None:
    assert _get(sso_client, "/v1/reviews", _token(**bad)) == 401


def test_a_token_signed_by_another_key_is_refused(sso_client: TestClient[Litestar]) -> None:
    assert _get(sso_client, "/v1/reviews", _token(OTHER)) == 401


def test_a_token_without_a_mapped_role_is_forbidden(sso_client: TestClient[Litestar]) -> None:
    assert _get(sso_client, "/v1/reviews", _token(groups=["marketing"])) == 403


def test_the_subject_that_submitted_cannot_approve_under_any_role_and_another_subject_can(
    sso_client: TestClient[Litestar], tmp_path: Path
) -> None:
    review_id = _submit_and_scan(sso_client, "alice", tmp_path / "flag")
    for groups in (["mcp-reviewers"], ADMIN):
        refused = _approve(sso_client, review_id, _token(sub="alice", groups=groups))
        assert refused.status_code == 403, refused.text
        assert refused.json()["type"].endswith("/four-eyes")
    ok = _approve(sso_client, review_id, _token(sub="bob"))
    assert ok.status_code == 200, ok.text
    assert ok.json()["approved_by"] == "oidc:bob"


def test_a_token_a_subject_made_for_a_puppet_cannot_approve_that_subjects_submission(
    sso_client: TestClient[Litestar], tmp_path: Path
) -> None:
    review_id = _submit_and_scan(sso_client, "alice", tmp_path / "flag")
    made = sso_client.post(
        "/v1/tokens",
        json={"role": "reviewer", "name": "puppet", "owner": "puppet"},
        headers=_bearer(_token(sub="alice", groups=ADMIN)),
    )
    assert made.status_code == 201, made.text
    assert (made.json()["owner"], made.json()["created_by"]) == ("puppet", "oidc:alice")
    refused = _approve(sso_client, review_id, made.json()["token"])
    assert refused.status_code == 403 and refused.json()["type"].endswith("/four-eyes"), refused.text


@pytest.mark.parametrize(
    "sub",
    [
        pytest.param("alice\nadmin", id="newline"),
        pytest.param("<b>alice</b>", id="markup"),
        pytest.param("a" * 196, id="too-long"),
    ],
)
def test_a_subject_that_is_not_one_printable_line_is_refused(sso_client: TestClient[Litestar], sub: str) -> None:
    assert _get(sso_client, "/v1/reviews", _token(sub=sub)) == 401
