"""Single sign-on: bearer JWTs from the configured issuer, checked against its JWKS
(served by respx from a locally generated key), with a claim mapped to roles."""

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
def sso_client(tmp_path: Path) -> Iterator[TestClient[Litestar]]:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key()))
    jwks = {"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "RS256"}]}
    oidc = OidcSettings(
        issuer=ISSUER,
        audience="mcp-trust",
        jwks_url=JWKS_URL,
        role_claim="groups",
        role_map={"mcp-reviewers": "reviewer", "mcp-admins": "admin"},
    )
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'r.db'}", oidc=oidc, bootstrap_admin=False)
    with respx.mock(assert_all_mocked=True, assert_all_called=True) as mock:
        mock.get(JWKS_URL).mock(return_value=Response(200, json=jwks))
        with TestClient(create_app(settings, features=())) as client:
            yield client


def _get(client: TestClient[Litestar], path: str, token: str) -> int:
    return client.get(path, headers={"Authorization": f"Bearer {token}"}).status_code


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
