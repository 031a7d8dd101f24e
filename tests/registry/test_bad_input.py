"""Malformed JSON, wrong types, over-long fields, JSON nested too deep and look-alike
server names on every endpoint that takes a body: a 4xx problem document naming the
JSON path, and nothing written."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlmodel import Session, col, func, select

from registry.api.common import encode_cursor
from registry.app import create_app
from registry.db import session_scope
from registry.errors import Conflict
from registry.models import AuditEvent, Server, Submission
from registry.services.servers import create_server
from registry.services.tokens import create_token
from registry.settings import Settings
from tests.registry.conftest import auth
from tests.registry.test_authorization import POLICY
from tests.support import wait_for

# every route that reads a body (the policy table's probe body is not None)
BODY_ROUTES = sorted(key for key, (_, _, body) in POLICY.items() if body is not None and key[0] != "GET")
BAD_BODIES: dict[str, bytes] = {
    "malformed": b'{"reason": "unterminated',
    "not-an-object": b"[1, 2, 3]",
    "wrong-types": b'{"reason": 5, "name": 7, "server": 9, "role": [], "source": "x", "server_json": 3}',
    "unknown-field": b'{"reason": "ok", "surprise": true}',
    "oversize": b'{"reason": "' + b"x" * (1024 * 1024 + 10) + b'"}',
    "nested-100k-deep": b"[" * 100_000 + b"]" * 100_000,
}


def _counts(app: Litestar) -> tuple[int, int, int]:
    with Session(app.state["runtime"].engine) as s:
        return (
            s.exec(select(func.count()).select_from(AuditEvent)).one(),
            s.exec(select(func.count()).select_from(Server)).one(),
            s.exec(select(func.count()).select_from(Submission)).one(),
        )


@pytest.mark.parametrize(("method", "route"), BODY_ROUTES)
def test_bad_bodies_get_a_problem_document_and_change_nothing(
    client: TestClient[Litestar], tokens: dict[str, str], app: Litestar, method: str, route: str
) -> None:
    _, path, _ = POLICY[(method, route)]
    before = _counts(app)
    for label, body in BAD_BODIES.items():
        headers = {**auth(tokens["admin"]), "content-type": "application/json"}
        r = client.request(method, path, content=body, headers=headers)
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


DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/verify", DEEP),
        ("/v1/verify", b'{"server": "io.github.acme/crm", "tools": [' + DEEP + b"]}"),
        ("/v1/submissions", b'{"server_json": {"name": "io.github.acme/crm", "x": ' + DEEP + b"}}"),
        ("/v1/reviews/1/approve", b'{"reason": "ok", "principals": ' + DEEP + b"}"),
    ],
)
def test_json_nested_deeper_than_the_parser_goes_is_a_malformed_request(
    client: TestClient[Litestar], tokens: dict[str, str], app: Litestar, path: str, body: bytes
) -> None:
    before = _counts(app)
    r = client.post(path, content=body, headers={**auth(tokens["admin"]), "content-type": "application/json"})
    assert r.status_code == 400, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["title"] == "Malformed request" and "nested too deeply" in r.json()["detail"]
    assert _counts(app) == before


ACME = {"name": "io.github.acme/crm", "source": {"url": "http://127.0.0.1:9/mcp"}}
# (route, role, body, the JSON path the problem document must name)
BAD_FIELDS = [
    ("/v1/verify", "gateway", {"server": "io.github.acme/crm", "manifest_sha256": "0" * 64, "principal": "p" * 321},
     "$.principal"),
    ("/v1/verify", "gateway", {"server": "io.github.acme/crm", "manifest_sha256": "0" * 64, "principal": 7},
     "$.principal"),
    ("/v1/verify", "gateway", {"server": "io.github.acme/crm", "manifest_sha256": "0" * 64, "principal": "a\x00b"},
     "$.principal"),
    ("/v1/verify", "gateway", {"server": "io.github.acme/crm\n", "manifest_sha256": "0" * 64}, "$.server"),
    ("/v1/verify", "gateway", {"server": "s" * 202, "manifest_sha256": "0" * 64}, "$.server"),
    ("/v1/verify", "gateway", {"server": "io.github.acme/crm", "manifest_sha256": "0" * 64, "version": "v" * 101},
     "$.version"),
    ("/v1/verify", "gateway", {"server": "io.github.acme/crm", "tools": [{"name": "t"}, 5]}, "$.tools[1]"),
    ("/v1/submissions", "submitter", {**ACME, "name": "n" * 201}, "$.name"),
    ("/v1/submissions", "submitter", {**ACME, "name": 7}, "$.name"),
    ("/v1/submissions", "submitter", {**ACME, "source": {"url": "http://x.test/" + "u" * 2000}}, "$.source.url"),
    ("/v1/submissions", "submitter", {**ACME, "source": {"url": ["http://x.test/"]}}, "$.source.url"),
    ("/v1/submissions", "admin", {**ACME, "source": {"command": ["python3", ""]}}, "$.source.command[1]"),
    ("/v1/submissions", "admin", {**ACME, "source": {"command": ["x"] * 65}}, "$.source.command"),
    ("/v1/submissions", "admin", {**ACME, "source": {"command": ["x" * 4097]}}, "$.source.command[0]"),
    ("/v1/reviews/1/approve", "reviewer", {"reason": "r" * 4001}, "$.reason"),
    ("/v1/reviews/1/approve", "reviewer", {"reason": 5}, "$.reason"),
    ("/v1/reviews/1/approve", "reviewer", {"reason": "ok\x00"}, "$.reason"),
    ("/v1/reviews/1/approve", "reviewer", {"reason": "ok", "principals": ["p" * 321]}, "$.principals[0]"),
    ("/v1/reviews/1/approve", "reviewer", {"reason": "ok", "allowed_tools": ["a\nb"]}, "$.allowed_tools[0]"),
    ("/v1/reviews/1/reject", "reviewer", {"reason": ""}, "$.reason"),
    ("/v1/servers/io.github.acme%2Fcrm/revoke", "reviewer", {"reason": "r" * 4001}, "$.reason"),
    ("/v1/tokens", "admin", {"role": "auditor", "name": "n" * 101}, "$.name"),
    ("/v1/tokens", "admin", {"role": "auditor", "name": "two\nlines"}, "$.name"),
    ("/v1/tokens", "admin", {"role": ["admin"], "name": "x"}, "$.role"),
    ("/v1/tokens", "admin", {"role": "r" * 21, "name": "x"}, "$.role"),
]  # fmt: skip


def test_an_over_long_or_wrongly_typed_field_is_a_422_naming_its_json_path(
    client: TestClient[Litestar], tokens: dict[str, str], app: Litestar
) -> None:
    before = _counts(app)
    wrong = []
    for path, role, body, json_path in BAD_FIELDS:  # one registry for all: each case is one request
        r = client.post(path, json=body, headers=auth(tokens[role]))
        problem = r.json() if r.headers["content-type"].startswith("application/problem+json") else {}
        if r.status_code != 422 or json_path not in [e["path"] for e in problem.get("errors") or []]:
            wrong.append((path, json_path, r.status_code, r.text[:200]))
    assert wrong == []
    assert _counts(app) == before


# -- server names: matched whole, unique regardless of case -----------------------


def _submit(client: TestClient[Litestar], tokens: dict[str, str], name: str) -> Any:
    body = {"name": name, "source": {"url": "http://127.0.0.1:9/mcp"}}
    return client.post("/v1/submissions", json=body, headers=auth(tokens["submitter"]))


NOT_NAMES = ["io.github.acme/crm\n", "io.github.acme/crm\r\n", " io.github.acme/crm", "io.github.acme/crm ",
             "io.github.acme/" + "c" * 100 + "x"]  # fmt: skip


def test_a_name_that_is_not_exactly_namespace_slash_name_is_refused(
    client: TestClient[Litestar], tokens: dict[str, str], app: Litestar
) -> None:
    before = _counts(app)
    for name in NOT_NAMES:
        r = _submit(client, tokens, name)
        assert r.status_code == 422, (name, r.text)
        assert r.json()["errors"] == [{"path": "$.name", "message": "expected reverse-DNS namespace/name"}]
        doc = {"name": name, "description": "x", "version": "1.0.0",
               "remotes": [{"type": "streamable-http", "url": "https://mcp.acme.test/mcp"}]}  # fmt: skip
        r = client.post("/v1/submissions", json={"server_json": doc}, headers=auth(tokens["submitter"]))
        assert r.status_code == 422, (name, r.text)
    assert _counts(app) == before


def test_a_name_one_character_too_long_for_the_column_is_refused_not_truncated(
    client: TestClient[Litestar], tokens: dict[str, str], app: Litestar
) -> None:
    name = "n" * 100 + "/" + "m" * 100  # the pattern allows it; servers.name holds 200
    before = _counts(app)
    assert _submit(client, tokens, name).status_code == 422
    assert _counts(app) == before
    assert _submit(client, tokens, name[:-1]).status_code == 202


def test_a_case_variant_of_an_existing_name_is_refused_naming_the_existing_one(
    client: TestClient[Litestar], tokens: dict[str, str], app: Litestar
) -> None:
    assert _submit(client, tokens, "io.github.acme/crm").status_code == 202
    before = _counts(app)
    for variant in ("io.github.Acme/CRM", "IO.GITHUB.ACME/CRM", "io.github.acme/Crm"):
        r = _submit(client, tokens, variant)
        assert r.status_code == 409, r.text
        problem = r.json()
        assert r.headers["content-type"].startswith("application/problem+json")
        assert "'io.github.acme/crm'" in problem["detail"] and problem["extra"] == {"existing": "io.github.acme/crm"}
        # look-ups stay exact: the variant names no server
        url = f"/v1/servers/{variant.replace('/', '%2F')}"
        assert client.get(url, headers=auth(tokens["admin"])).status_code == 404
    assert _counts(app) == before
    assert _submit(client, tokens, "io.github.acme/crm").status_code == 202  # the original still resubmits


@pytest.mark.postgres
def test_case_variants_racing_each_other_leave_one_server(
    client: TestClient[Litestar], app: Litestar, database_url: str
) -> None:
    """The second insert passes its look-up before the first commits, then meets the
    unique index on name_key: still a Conflict naming the winner, never a 500."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite serialises writers (BEGIN IMMEDIATE): the look-up already sees the winner")
    engine = app.state["runtime"].engine
    outcome: dict[str, Any] = {}

    def second() -> None:
        try:
            with session_scope(engine) as s:
                create_server(s, "io.github.ACME/race")
        except Conflict as exc:
            outcome["conflict"] = exc

    with Session(engine) as first:
        create_server(first, "io.github.acme/race")  # flushed: holds the name_key, not committed
        racer = threading.Thread(target=second)
        racer.start()
        wait_for(lambda: _waiting_on_a_lock(first), what="the second insert to wait on the first")
        first.commit()
    racer.join(timeout=60)
    assert not racer.is_alive()
    assert "io.github.acme/race" in outcome["conflict"].detail
    with Session(engine) as s:
        assert [r.name for r in s.exec(select(Server).where(col(Server.name_key) == "io.github.acme/race"))] == [
            "io.github.acme/race"
        ]


def _waiting_on_a_lock(session: Session) -> bool:
    waiting = session.connection().exec_driver_sql(
        "SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype = 'transactionid'"
    )
    return bool(waiting.scalar())


def test_ids_and_cursors_beyond_the_integer_columns_are_4xx_on_every_database(
    settings: Settings, tmp_path: Path
) -> None:
    """PostgreSQL's integer columns end at 2**31 - 1; a larger number from a request is
    refused (or simply names nothing), never an out-of-range error from the database."""
    full = msgspec.structs.replace(
        settings,
        start_workers=False,
        signing_key_path=str(tmp_path / "snapshot.pem"),
        audit_signing_key_path=str(tmp_path / "audit.pem"),
        audit_checkpoint_path=str(tmp_path / "checkpoints.jsonl"),
        audit_checkpoint_interval_s=None,
    )
    app = create_app(full)  # with the plug-in features: alerts and webhooks too
    with TestClient(app, raise_server_exceptions=False) as client:
        with session_scope(app.state["runtime"].engine) as session:
            _, token = create_token(session, role="admin", name="ids-admin", actor="test")
        _probe_huge_ids(client, auth(token))


def _probe_huge_ids(client: TestClient[Litestar], admin: dict[str, str]) -> None:
    huge = 2**31
    for path in (f"/v1/reviews/{huge}", f"/v1/alerts/{huge}"):
        assert client.get(path, headers=admin).status_code == 422, path
    assert client.post(f"/v1/reviews/{huge}/reject", json={"reason": "x"}, headers=admin).status_code == 422
    assert client.delete(f"/v1/webhooks/{huge}", headers=admin).status_code == 422
    for cursor in (encode_cursor(None, huge), encode_cursor(huge, 1)):
        for path in ("/v1/servers", "/v1/tokens", "/v1/audit", "/v1/alerts", "/v1/reviews?sort=worst_finding"):
            sep = "&" if "?" in path else "?"
            r = client.get(f"{path}{sep}cursor={cursor}", headers=admin)
            assert r.status_code == 422 and r.json()["errors"][0]["path"] == "cursor", (path, r.text)
    # a token is named by id or by name: digits that are no id, or no ASCII digits, are a name
    for ident in ("99999999999", "9" * 40, "%C2%B2"):
        assert client.post(f"/v1/tokens/{ident}/revoke", headers=admin).status_code == 404, ident
