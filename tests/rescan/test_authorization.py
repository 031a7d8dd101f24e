"""Every route the rescan plug-in adds, against every role (the registry's own routes
are covered by tests/registry/test_authorization.py)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from registry.settings import ROLES, Settings
from tests.registry.test_authorization import POLICY as REGISTRY_POLICY
from tests.rescan.conftest import auth, fast_config, make_app, make_tokens

WATCHERS = {"admin", "reviewer", "auditor"}
DECIDERS = {"admin", "reviewer"}

POLICY: dict[tuple[str, str], tuple[set[str], str, Any]] = {
    ("POST", "/v1/servers/{name:str}/rescan"): (DECIDERS, "/v1/servers/io.example%2Fnone/rescan", None),
    ("POST", "/v1/servers/{namespace:str}/{short:str}/rescan"): (
        DECIDERS, "/v1/servers/io.example/none/rescan", None),
    ("GET", "/v1/alerts"): (WATCHERS, "/v1/alerts", None),
    ("GET", "/v1/alerts/{alert_id:int}"): (WATCHERS, "/v1/alerts/999", None),
    ("POST", "/v1/alerts/{alert_id:int}/acknowledge"): (DECIDERS, "/v1/alerts/999/acknowledge", {}),
    ("GET", "/v1/webhooks"): ({"admin"}, "/v1/webhooks", None),
    ("POST", "/v1/webhooks"): ({"admin"}, "/v1/webhooks", {"name": "probe", "url": "http://127.0.0.1:9/x"}),
    ("DELETE", "/v1/webhooks/{webhook_id:int}"): ({"admin"}, "/v1/webhooks/999", None),
}


@pytest.fixture
def app(settings: Settings) -> Litestar:
    return make_app(settings, fast_config(None, enabled=False))


@pytest.fixture
def client(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_every_route_the_plugin_adds_has_a_row_in_the_policy_table(app: Litestar) -> None:
    routes = {(m, r.path) for r in app.routes if not r.path.startswith("/schema")
              for m in getattr(r, "methods", set()) - {"OPTIONS", "HEAD"}}
    assert routes - set(REGISTRY_POLICY) == set(POLICY)


@pytest.mark.parametrize(("route", "role"), list(itertools.product(sorted(POLICY), ROLES)))
def test_each_role_is_allowed_exactly_the_routes_the_policy_grants(
    client: TestClient[Litestar], settings: Settings, route: tuple[str, str], role: str
) -> None:
    allowed, path, body = POLICY[route]
    token = make_tokens(settings)[role]
    r = client.request(route[0], path, json=body, headers=auth(token))
    if role in allowed:
        assert r.status_code not in {401, 403}, (route, role, r.text)
        assert r.status_code < 500, (route, role, r.text)
    else:
        assert r.status_code == 403, (route, role, r.status_code, r.text)
    assert client.request(route[0], path, json=body).status_code == 401
