"""The OpenAPI document tells the truth: it lists the problem responses each operation
can return and the snapshot's real type, and Schemathesis, generating valid and invalid
requests from it for every operation as every role, finds no 5xx and no response that
breaks the document (status, content type, headers, body schema).

The run is bounded (20 examples per operation, on PostgreSQL where it runs) and in
process: the app is reached over ASGI, never a socket; no scan worker, rescan scheduler or webhook delivery runs, so
no generated URL is ever fetched, and the submission check's host look-ups get an
offline resolver that resolves nothing (a generated host name never becomes a DNS query)."""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import psycopg
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar import Litestar
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import update
from sqlmodel import col

from registry.app import create_app
from registry.db import session_scope
from registry.models import ApiToken, ReviewItem, Scan
from registry.services import scanning, tokens
from registry.settings import ROLES, Settings
from scanner import netguard
from scanner.contract.snapshot import SignedSnapshot, SnapshotPayload
from scanner.models import ServerInfo, SourceInfo, ToolSurface
from scanner.report import build_report
from tests.conftest import PG_URL, missing_reason
from tests.web.pages_support import PhraseDetector

MAX_EXAMPLES = 20  # per operation (valid and invalid); each is sent once per role
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
SEEDED = "io.github.acme/fuzz"
TOOLS = [{"name": "lookup", "description": "Look up a customer.", "inputSchema": {"type": "object"}}]
pytestmark = pytest.mark.xdist_group("openapi-fuzz")  # one registry for every operation


class Fuzzed(msgspec.Struct, frozen=True, kw_only=True):
    app: Any
    tokens: dict[str, str]


def _settings(tmp: Path, database_url: str) -> Settings:
    """Every file the registry may write stays under ``tmp``; nothing runs in the background."""
    return Settings(
        database_url=database_url,
        bootstrap_admin=False,
        start_workers=False,
        session_secret="fuzz-session-secret-0123456789abcdef",
        signing_key_path=str(tmp / "snapshot.pem"),
        audit_signing_key_path=str(tmp / "audit.pem"),
        audit_checkpoint_path=str(tmp / "checkpoints.jsonl"),
        audit_checkpoint_interval_s=None,
        allow_scan_network=("127.0.0.1/32",),  # the seeded server's (never fetched) URL
    )


def _offline_resolver(host: str, port: int) -> list[str]:
    raise OSError(f"{host}: no name resolution in this test")


def _seed(app: Litestar, client: asgi.ASGIClient) -> dict[str, str]:
    """A token per role and one approved server, so reads and verify answer with bodies."""
    with session_scope(app.state["runtime"].engine) as session:
        made = {role: tokens.create_token(session, role=role, name=f"fuzz-{role}", actor="test")[1] for role in ROLES}
        # ids far from the small numbers generated paths try first: a generated
        # POST /v1/tokens/1/revoke must not sign the run's own admin out half-way
        session.execute(update(ApiToken).values(id=col(ApiToken.id) + 1_000_000))
    submitted = client.post(
        "/v1/submissions",
        json={"name": SEEDED, "source": {"url": "http://127.0.0.1:9/mcp"}},
        headers={"Authorization": f"Bearer {made['submitter']}"},
    )
    assert submitted.status_code == 202, submitted.text
    review_id = submitted.json()["review_id"]
    report = build_report(
        ToolSurface(server=ServerInfo(name="fuzz"), tools=TOOLS), SourceInfo(kind="tools-file", target="fuzz"),
        PhraseDetector(),
    )
    with session_scope(app.state["runtime"].engine) as session:
        item = session.get(ReviewItem, review_id)
        assert item is not None and item.scan_id is not None
        scan = session.get(Scan, item.scan_id)
        assert scan is not None
        scanning.store_report(session, scan, report)
    approved = client.post(
        f"/v1/reviews/{review_id}/approve", json={"reason": "seed"},
        headers={"Authorization": f"Bearer {made['reviewer']}"},
    )
    assert approved.status_code == 200, approved.text
    return made


@pytest.fixture(scope="module")
def fuzz_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """PostgreSQL where it runs (the stricter store: integer ranges, column widths, NUL in
    text), else an SQLite file; a fresh database either way. One run keeps CI short."""
    if missing_reason("postgres") is not None and not os.environ.get("MCP_TRUST_REQUIRE_POSTGRES"):
        yield f"sqlite:///{tmp_path_factory.mktemp('fuzz-db') / 'registry.db'}"
        return
    name = f"mcp_trust_fuzz_{secrets.token_hex(6)}"
    admin = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{PG_URL.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory, fuzz_database: str) -> Iterator[Fuzzed]:
    app = create_app(_settings(tmp_path_factory.mktemp("fuzz"), fuzz_database))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(netguard, "system_resolver", _offline_resolver)
        try:
            with asgi.get_client(app) as client:  # starts the app's lifespan, kept until the end
                made = _seed(app, client)
            yield Fuzzed(app=app, tokens=made)
        finally:
            asgi.shutdown_lifespans()


@pytest.fixture(scope="module")
def api_schema(fuzzed: Fuzzed) -> Any:
    return schemathesis.openapi.from_asgi("/schema/openapi.json", fuzzed.app)


def _operations() -> list[tuple[str, str]]:
    """Every documented operation, read from the document an unstarted app generates."""
    app = create_app(Settings(database_url="sqlite://", run_migrations=False, start_workers=False))
    paths = app.openapi_schema.to_schema()["paths"]
    return sorted((m.upper(), p) for p, item in paths.items() for m in item if m in {"get", "post", "put", "delete"})


@pytest.mark.parametrize(("method", "path"), _operations())
def test_no_operation_answers_5xx_or_breaks_its_documented_response(
    api_schema: Any, fuzzed: Fuzzed, method: str, path: str
) -> None:
    operation = api_schema[path][method]
    cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))

    @given(case=cases)
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    def every_role(case: Any) -> None:
        for role in ROLES:  # each generated request is sent once per role
            case.call_and_validate(headers={"Authorization": f"Bearer {fuzzed.tokens[role]}"}, checks=CHECKS)

    every_role()


# -- the document itself ---------------------------------------------------------------


def _document(fuzzed: Fuzzed) -> dict[str, Any]:
    with asgi.get_client(fuzzed.app) as client:
        doc: dict[str, Any] = client.get("/schema/openapi.json").json()
    return doc


def test_every_operation_lists_its_problem_responses_as_problem_json(fuzzed: Fuzzed) -> None:
    doc = _document(fuzzed)
    methods = {"get", "post", "put", "delete"}
    operations = [(p, m, op) for p, item in doc["paths"].items() for m, op in item.items() if m in methods]
    assert len(operations) > 15
    for path, method, op in operations:
        responses = op["responses"]
        problems = {code for code, r in responses.items() if "application/problem+json" in (r.get("content") or {})}
        expected = {"401", "403", "500"}
        if "requestBody" in op:
            expected |= {"400", "413", "422"}
        if op.get("parameters"):
            expected |= {"400", "422"}
        if "{" in path:
            expected.add("404")
        assert expected <= problems, (method, path, sorted(problems))
        for code in problems:
            assert responses[code]["content"]["application/problem+json"]["schema"] == {
                "$ref": "#/components/schemas/Problem"
            }
        assert not any(c.startswith(("4", "5")) and c not in problems for c in responses), (method, path)
    assert {"type", "title", "status"} <= set(doc["components"]["schemas"]["Problem"]["required"])


def test_a_state_change_documents_409_and_verify_does_not(fuzzed: Fuzzed) -> None:
    paths = _document(fuzzed)["paths"]
    assert "409" in paths["/v1/reviews/{review_id}/approve"]["post"]["responses"]
    assert "409" in paths["/v1/submissions"]["post"]["responses"]
    assert "409" not in paths["/v1/verify"]["post"]["responses"]
    assert "404" not in paths["/v1/verify"]["post"]["responses"]


def test_the_snapshot_is_documented_as_the_signed_envelope_it_really_is(fuzzed: Fuzzed) -> None:
    doc = _document(fuzzed)
    ok = doc["paths"]["/v1/approvals/snapshot"]["get"]["responses"]["200"]["content"]["application/json"]
    assert ok["schema"] == {"$ref": "#/components/schemas/SignedSnapshot"}
    envelope = doc["components"]["schemas"]["SignedSnapshot"]
    assert set(envelope["required"]) == {"payload", "signature", "key_id"}
    with asgi.get_client(fuzzed.app) as client:
        resp = client.get("/v1/approvals/snapshot", headers={"Authorization": f"Bearer {fuzzed.tokens['gateway']}"})
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("application/json")
    signed = msgspec.json.decode(resp.content, type=SignedSnapshot)
    payload = msgspec.json.decode(base64.b64decode(signed.payload), type=SnapshotPayload)
    assert [a.server for a in payload.approvals] == [SEEDED]
