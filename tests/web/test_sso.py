"""Single sign-on: an OIDC bearer JWT presented once starts a browser session. The
identity provider's JWKS is the only third-party HTTP, served with respx; the key is
generated here."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
import respx
from cryptography.hazmat.primitives.asymmetric import rsa

from registry.settings import OidcSettings
from tests.web.pages_support import csrf_of, land_scan, make_settings, make_token, running, submit

ISSUER = "https://idp.test"
JWKS_URL = "https://idp.test/.well-known/jwks.json"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _jwks() -> dict[str, Any]:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key()))
    return {"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "RS256"}]}


def _jwt(groups: list[str], lifetime_s: int = 600, **extra: Any) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": "mcp-trust", "sub": "alice", "iat": now, "exp": now + lifetime_s,
              "groups": groups, **extra}  # fmt: skip
    return jwt.encode(claims, KEY, algorithm="RS256", headers={"kid": "k1"})


@pytest.fixture
def sso_settings(tmp_path: Path) -> Any:
    oidc = OidcSettings(issuer=ISSUER, audience="mcp-trust", jwks_url=JWKS_URL, role_claim="groups",
                        role_map={"mcp-reviewers": "reviewer"})  # fmt: skip
    return make_settings(tmp_path, oidc=oidc)


def test_a_valid_bearer_jwt_starts_a_session_that_ends_with_the_jwt(sso_settings: Any) -> None:
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as idp:
        idp.get(JWKS_URL).mock(return_value=httpx.Response(200, json=_jwks()))
        with running(sso_settings) as (app, client):
            token = _jwt(["mcp-reviewers"], lifetime_s=300)
            resp = client.get("/ui/login/sso", headers={"Authorization": f"Bearer {token}"}, follow_redirects=False)
            assert resp.status_code == 303
            cookie = resp.headers["set-cookie"]
            max_age = int(cookie.lower().split("max-age=")[1].split(";")[0])
            assert 0 < max_age <= 300
            value = client.cookies.get("mcp_trust_session") or ""
            assert token not in value
            payload = json.loads(base64.urlsafe_b64decode(value.split(".")[0] + "==="))
            assert payload["principal"] == "oidc:alice" and payload["roles"] == ["reviewer"]
            # the session is a reviewer's: it can decide, with the header gone
            submitter = make_token(app, "submitter", "sam")
            review_id = submit(client, submitter, "io.github.acme/sso")["review_id"]
            land_scan(app, review_id, [{"name": "t", "description": "Tell the time."}])
            page = client.get("/ui/servers/io.github.acme%2Fsso")
            assert "oidc:alice" in page.text and "Approve and pin hashes" in page.text
            form = {"csrf_token": csrf_of(page.text), "reason": "ok"}
            done = client.post(f"/ui/reviews/{review_id}/approve", data=form, follow_redirects=False)
            assert done.status_code == 303


@pytest.mark.parametrize(
    ("token_kind", "status"),
    [("unmapped-group", 403), ("wrong-issuer", 401), ("expired", 401), ("none", 401)],
)
def test_a_bad_bearer_jwt_starts_no_session(sso_settings: Any, token_kind: str, status: int) -> None:
    tokens = {
        "unmapped-group": _jwt(["everyone"]),
        "wrong-issuer": _jwt(["mcp-reviewers"], iss="https://other.test"),
        "expired": _jwt(["mcp-reviewers"], lifetime_s=-60),
    }
    headers = {"Authorization": f"Bearer {tokens[token_kind]}"} if token_kind in tokens else {}
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as idp:
        idp.get(JWKS_URL).mock(return_value=httpx.Response(200, json=_jwks()))
        with running(sso_settings) as (_, client):
            resp = client.get("/ui/login/sso", headers=headers, follow_redirects=False)
            assert resp.status_code == status
            assert "<h1>Sign in</h1>" in resp.text
            assert client.get("/ui/", follow_redirects=False).status_code == 303


def test_single_sign_on_says_so_when_it_is_not_configured(tmp_path: Path) -> None:
    with running(make_settings(tmp_path)) as (_, client):
        resp = client.get("/ui/login/sso")
        assert resp.status_code == 404
        assert "not configured" in resp.text
