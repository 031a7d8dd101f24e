"""Every endpoint against every role. The table below is the policy; the test fails when
the app grows a route that has no row here (or a row names a route that is gone)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from registry.app import create_app
from registry.settings import ROLES, Settings
from tests.registry.conftest import auth

EVERYONE_BUT_GATEWAY = {"admin", "reviewer", "submitter", "auditor"}
QUEUE_READERS = {"admin", "reviewer", "auditor"}
DECIDERS = {"admin", "reviewer"}

# (method, route path) -> (roles allowed, concrete path, body)
POLICY: dict[tuple[str, str], tuple[set[str], str, Any]] = {
    ("POST", "/v1/submissions"): (
        {"admin", "reviewer", "submitter"},
        "/v1/submissions",
        {"name": "io.github.acme/x", "source": {"url": "http://127.0.0.1:9/mcp"}},
    ),
    ("GET", "/v1/servers"): (EVERYONE_BUT_GATEWAY, "/v1/servers", None),
    ("GET", "/v1/servers/{name:str}"): (EVERYONE_BUT_GATEWAY, "/v1/servers/io.github.acme%2Fnone", None),
    ("POST", "/v1/servers/{name:str}/revoke"): (DECIDERS, "/v1/servers/io.github.acme%2Fnone/revoke", {}),
    ("POST", "/v1/servers/{name:str}/decommission"): ({"admin"}, "/v1/servers/io.github.acme%2Fnone/decommission", {}),
    ("GET", "/v1/reviews"): (QUEUE_READERS, "/v1/reviews", None),
    ("GET", "/v1/reviews/{review_id:int}"): (QUEUE_READERS, "/v1/reviews/999", None),
    ("POST", "/v1/reviews/{review_id:int}/approve"): (DECIDERS, "/v1/reviews/999/approve", {"reason": "ok"}),
    ("POST", "/v1/reviews/{review_id:int}/reject"): (DECIDERS, "/v1/reviews/999/reject", {"reason": "no"}),
    ("POST", "/v1/verify"): (
        {"gateway", "admin"},
        "/v1/verify",
        {"server": "io.github.a/b", "manifest_sha256": "0" * 64},
    ),
    ("POST", "/v1/tokens"): ({"admin"}, "/v1/tokens", {"role": "auditor", "name": "authz-probe"}),
    ("GET", "/v1/tokens"): ({"admin"}, "/v1/tokens", None),
    ("POST", "/v1/tokens/{ident:str}/revoke"): ({"admin"}, "/v1/tokens/nobody/revoke", None),
    ("GET", "/v1/audit"): ({"admin", "auditor"}, "/v1/audit", None),
    ("GET", "/v1/audit/verify"): ({"admin", "auditor"}, "/v1/audit/verify", None),
    ("POST", "/v1/audit/checkpoints"): ({"admin", "auditor"}, "/v1/audit/checkpoints", None),
    ("PUT", "/v1/servers/{name:str}/owner"): ({"admin"}, "/v1/servers/io.github.acme%2Fnone/owner", {"owner": "bob"}),
}


def _routes(app: Litestar) -> set[tuple[str, str]]:
    out = set()
    for route in app.routes:
        if route.path.startswith("/schema"):
            continue
        for method in getattr(route, "methods", set()) - {"OPTIONS", "HEAD"}:
            out.add((method, route.path))
    return out


def test_every_route_of_the_registry_has_a_row_in_the_policy_table(app: Litestar) -> None:
    assert _routes(app) == set(POLICY)


def test_every_plug_in_route_declares_its_roles_or_says_it_is_public(tmp_path: Any) -> None:
    full = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}"))
    for route in full.routes:
        for handler in getattr(route, "route_handlers", []):
            if route.path.startswith("/schema") or set(getattr(handler, "http_methods", ())) <= {"OPTIONS"}:
                continue
            opt = handler.opt
            assert opt.get("public") or opt.get("roles"), f"{route.path} declares no roles"


@pytest.mark.parametrize(("method", "route"), sorted(POLICY))
def test_each_role_is_admitted_or_refused_exactly_as_the_policy_says(
    client: TestClient[Litestar], tokens: dict[str, str], method: str, route: str
) -> None:
    allowed, path, body = POLICY[(method, route)]
    anonymous = client.request(method, path, json=body)
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"].startswith("application/problem+json")
    for role, n in itertools.product(ROLES, [0]):
        if (method, route) == ("POST", "/v1/tokens"):
            body = {"role": "auditor", "name": f"authz-probe-{role}-{n}"}
        r = client.request(method, path, json=body, headers=auth(tokens[role]))
        assert r.status_code < 500, (role, r.text)
        if role in allowed:
            assert r.status_code not in (401, 403), (role, r.text)
        else:
            assert r.status_code == 403, (role, r.status_code, r.text)
            assert r.json()["status"] == 403


def test_a_revoked_token_is_refused_at_once(client: TestClient[Litestar], tokens: dict[str, str]) -> None:
    assert client.get("/v1/servers", headers=auth(tokens["auditor"])).status_code == 200
    r = client.post("/v1/tokens/t-auditor/revoke", headers=auth(tokens["admin"]))
    assert r.status_code == 200, r.text
    assert r.json()["revoked_at"] is not None
    assert client.get("/v1/servers", headers=auth(tokens["auditor"])).status_code == 401
