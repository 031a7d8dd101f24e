"""Malformed JSON, wrong types and oversize bodies on every endpoint that takes a body:
a 4xx problem document, and nothing written."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlmodel import Session, func, select

from registry.models import AuditEvent, Server, Submission
from tests.registry.conftest import auth
from tests.registry.test_authorization import POLICY

POSTS = sorted(route for (method, route) in POLICY if method == "POST")
BAD_BODIES: dict[str, bytes] = {
    "malformed": b'{"reason": "unterminated',
    "not-an-object": b"[1, 2, 3]",
    "wrong-types": b'{"reason": 5, "name": 7, "server": 9, "role": [], "source": "x", "server_json": 3}',
    "unknown-field": b'{"reason": "ok", "surprise": true}',
    "oversize": b'{"reason": "' + b"x" * (1024 * 1024 + 10) + b'"}',
}


def _counts(app: Litestar) -> tuple[int, int, int]:
    with Session(app.state["runtime"].engine) as s:
        return (
            s.exec(select(func.count()).select_from(AuditEvent)).one(),
            s.exec(select(func.count()).select_from(Server)).one(),
            s.exec(select(func.count()).select_from(Submission)).one(),
        )


@pytest.mark.parametrize("route", POSTS)
def test_bad_bodies_get_a_problem_document_and_change_nothing(
    client: TestClient[Litestar], tokens: dict[str, str], app: Litestar, route: str
) -> None:
    _, path, _ = POLICY[("POST", route)]
    before = _counts(app)
    for label, body in BAD_BODIES.items():
        r = client.post(path, content=body, headers={**auth(tokens["admin"]), "content-type": "application/json"})
        assert 400 <= r.status_code < 500, (label, r.status_code, r.text[:300])
        assert r.headers["content-type"].startswith("application/problem+json"), label
        problem = r.json()
        assert problem["status"] == r.status_code and problem["title"], label
        assert "Traceback" not in r.text
    assert _counts(app) == before


def test_an_invalid_server_json_names_the_json_path_of_each_error(
    client: TestClient[Litestar], tokens: dict[str, str], app: Litestar
) -> None:
    before = _counts(app)
    doc = {
        "name": "io.github.acme/crm",
        "description": "x",
        "version": "1.0.0",
        "packages": [{"registryType": "pypi", "identifier": 12, "version": "1.0"}],
    }
    r = client.post("/v1/submissions", json={"server_json": doc}, headers=auth(tokens["submitter"]))
    assert r.status_code == 422, r.text
    paths = [e["path"] for e in r.json()["errors"]]
    assert any(p.startswith("$.server_json.packages[0]") for p in paths), paths
    assert _counts(app) == before


def test_a_command_source_is_for_admins_only(client: TestClient[Litestar], tokens: dict[str, str]) -> None:
    body = {"name": "io.github.acme/x", "source": {"command": ["python3", "-c", "print(1)"]}}
    r = client.post("/v1/submissions", json=body, headers=auth(tokens["submitter"]))
    assert r.status_code == 403


def test_verify_needs_a_hash_or_tools_and_a_well_formed_hash(
    client: TestClient[Litestar], tokens: dict[str, str]
) -> None:
    for body in (
        {"server": "a/b"},
        {"server": "a/b", "manifest_sha256": "XYZ"},
        {"server": "a/b", "tools": [{"description": "no name"}]},
    ):
        r = client.post("/v1/verify", json=body, headers=auth(tokens["gateway"]))
        assert r.status_code in (400, 422), (body, r.text)
        assert r.json()["errors"], r.text
