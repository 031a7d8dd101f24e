"""The registry never fetches a submitter's URL at an internal address unless an operator
allowlisted its range, and a failed scan tells the submitter only a generic reason."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import anyio
import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from registry.models import Scan, Submission
from registry.rescan.service import default_scan_fn
from registry.services.scanning import ScanFailed
from registry.settings import Settings
from scanner.reasons import is_public_reason
from tests.registry.conftest import auth, wait_scanned
from tests.scanner.conftest import run_cli
from tests.scanner.test_netguard import TOOLS, http_server, listener, mcp_app, serving
from tests.web.pages_support import make_token, running, sign_in

CANARY = "canary-internal-secret-7c1e9a"
NAME = "io.github.acme/ssrf"
LOOPBACK = ("127.0.0.0/8",)


def _settings(database_url: str, allow: tuple[str, ...] = (), **extra: Any) -> Settings:
    return Settings(
        database_url=database_url,
        scan_concurrency=1,
        scan_timeout_s=60,
        index_poll_s=0.2,
        bootstrap_admin=False,
        session_secret="ssrf-tests-session-secret-0123456789",
        allow_scan_network=allow,
        **extra,
    )


@contextmanager
def registry(settings: Settings, tag: str = "") -> Iterator[tuple[Litestar, TestClient[Litestar], dict[str, str]]]:
    with running(settings) as (app, client):
        tokens = {role: make_token(app, role, f"t-{role}{tag}") for role in ("submitter", "reviewer", "admin")}
        yield app, client, tokens


def _submit(client: TestClient[Litestar], token: str, body: dict[str, Any]) -> Any:
    return client.post("/v1/submissions", json=body, headers=auth(token))


def _url_source(url: str, name: str = NAME) -> dict[str, Any]:
    return {"name": name, "source": {"url": url}}


def _server_json(**fields: Any) -> dict[str, Any]:
    return {"server_json": {"name": NAME, "description": "x", "version": "1.0.0", **fields}}


def test_a_url_at_an_internal_address_is_refused_at_submit_time_and_nothing_is_stored(
    database_url: str,
) -> None:
    pkg = {"registryType": "pypi", "identifier": "acme-mcp", "version": "1.0.0", "transport": {"type": "stdio"}}
    with serving(mcp_app(TOOLS)) as port, registry(_settings(database_url)) as (app, client, tok):
        refused = {
            "$.source.url": [
                _url_source(f"http://127.0.0.1:{port}/mcp"),
                _url_source(f"http://localhost:{port}/mcp"),
                _url_source("http://169.254.169.254/latest/meta-data/"),
                _url_source("http://[::ffff:10.0.0.1]/mcp"),
            ],
            "$.server_json.remotes[0].url": [
                _server_json(remotes=[{"type": "streamable-http", "url": f"https://127.0.0.1:{port}/mcp"}])
            ],
            "$.server_json.packages[0].registryBaseUrl": [
                _server_json(packages=[{**pkg, "registryBaseUrl": "https://10.1.2.3/simple/"}])
            ],
        }
        for path, bodies in refused.items():
            for body in bodies:
                r = _submit(client, tok["submitter"], body)
                assert r.status_code == 422, r.text
                assert r.headers["content-type"].startswith("application/problem+json")
                assert r.json()["errors"] == [{"path": path, "message": "address not allowed"}]
        with Session(app.state["runtime"].engine) as session:
            assert session.exec(select(Submission)).all() == []


def test_an_allowlisted_loopback_server_is_scanned(database_url: str) -> None:
    with serving(mcp_app(TOOLS)) as port, registry(_settings(database_url, LOOPBACK)) as (_, client, tok):
        r = _submit(client, tok["submitter"], _url_source(f"http://127.0.0.1:{port}/mcp"))
        assert r.status_code == 202, r.text
        detail = wait_scanned(client, {"reviewer": tok["reviewer"]}, r.json()["review_id"])
    assert detail["scan"]["status"] == "succeeded", detail["scan"]
    assert detail["scan"]["manifest_sha256"]


def test_a_stored_url_is_checked_again_when_it_is_scanned(database_url: str) -> None:
    """Accepted while the operator allowlisted loopback; the allowlist is gone when the
    queued scan runs (as when a DNS answer changes after submission)."""
    with serving(mcp_app(TOOLS)) as port:
        queued = _settings(database_url, LOOPBACK, start_workers=False)
        with registry(queued) as (_, client, tok):
            r = _submit(client, tok["submitter"], _url_source(f"http://127.0.0.1:{port}/mcp"))
            assert r.status_code == 202, r.text
        with registry(_settings(database_url), tag="-2") as (_, client, tok):
            detail = wait_scanned(client, {"reviewer": tok["reviewer"]}, r.json()["review_id"])
    assert (detail["scan"]["status"], detail["scan"]["error"]) == ("failed", "address not allowed")


def test_a_redirect_to_a_refused_address_fails_and_the_address_is_never_connected(database_url: str) -> None:
    only_this_host = _settings(database_url, ("127.0.0.1/32",))
    with listener("127.0.0.2") as (port, connected), http_server(location=f"http://127.0.0.2:{port}/mcp") as server:
        with registry(only_this_host) as (_, client, tok):
            r = _submit(client, tok["submitter"], _url_source(f"http://127.0.0.1:{server.server_address[1]}/mcp"))
            assert r.status_code == 202, r.text
            detail = wait_scanned(client, {"reviewer": tok["reviewer"]}, r.json()["review_id"])
        assert (detail["scan"]["status"], detail["scan"]["error"]) == ("failed", "address not allowed")
        assert server.hosts and not connected()


def _json_rpc_error_app() -> Starlette:
    """Answers every MCP request with HTTP 400 and a JSON-RPC error carrying the canary."""

    async def endpoint(request: Request) -> JSONResponse:
        body = {"jsonrpc": "2.0", "id": None, "error": {"code": -32000, "message": f"db at 10.0.0.5: {CANARY}"}}
        return JSONResponse(body, status_code=400)

    return Starlette(routes=[Route("/mcp", endpoint, methods=["GET", "POST", "DELETE"])])


class _Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@contextmanager
def scan_log() -> Iterator[list[str]]:
    """The scan workers' warnings (added after start-up: the app configures logging)."""
    log, kept = logging.getLogger("registry.scan"), _Kept()
    log.addHandler(kept)
    try:
        yield kept.lines
    finally:
        log.removeHandler(kept)


def test_a_hostile_targets_own_words_never_reach_the_api_or_the_page(database_url: str) -> None:
    twice = {"name": CANARY, "description": "x", "inputSchema": {"type": "object"}}
    apps = {f"{NAME}-status": _json_rpc_error_app(), f"{NAME}-protocol": mcp_app([twice, twice])}
    seen: dict[str, str] = {}
    with registry(_settings(database_url, LOOPBACK)) as (app, client, tok), scan_log() as logged:
        for name, target in apps.items():
            with serving(target) as port:
                r = _submit(client, tok["submitter"], _url_source(f"http://127.0.0.1:{port}/mcp", name))
                assert r.status_code == 202, r.text
                review = wait_scanned(client, {"reviewer": tok["reviewer"]}, r.json()["review_id"])
            seen[name] = review["scan"]["error"]
            server = client.get(f"/v1/servers/{quote(name, safe='')}", headers=auth(tok["reviewer"]))
            review_text = client.get(f"/v1/reviews/{review['id']}", headers=auth(tok["reviewer"])).text
            sign_in(client, tok["reviewer"])
            page = client.get(f"/ui/servers/{name}")
            assert page.status_code == server.status_code == 200
            assert review["scan"]["status"] == "failed"
            assert seen[name] in page.text
            for shown in (review_text, server.text, page.text):
                assert CANARY not in shown and "10.0.0.5" not in shown
        with Session(app.state["runtime"].engine) as session:
            errors = [s.error for s in session.exec(select(Scan)).all()]
    assert seen == {f"{NAME}-status": "HTTP status 400", f"{NAME}-protocol": "the server broke the MCP protocol"}
    assert all(e is not None and is_public_reason(e) for e in errors)
    assert sum(CANARY in line for line in logged) == 2  # the detail is in the operator's log


def test_a_rescan_of_a_url_source_is_guarded_and_fails_with_a_generic_reason(tmp_path: Any) -> None:
    db = f"sqlite:///{tmp_path / 'unused.db'}"
    with serving(mcp_app(TOOLS)) as port:
        stored = {"url": f"http://127.0.0.1:{port}/mcp"}
        with pytest.raises(ScanFailed, match=r"^address not allowed$"):
            anyio.run(default_scan_fn(_settings(db)), stored)
        report = anyio.run(default_scan_fn(_settings(db, LOOPBACK)), stored)
    assert [t.name for t in report.tools] == ["add"]


def test_a_bad_allowlist_range_stops_the_registry_before_it_starts(tmp_path: Any) -> None:
    with pytest.raises(ValueError, match="not a CIDR range"):
        Settings(database_url=f"sqlite:///{tmp_path / 'r.db'}", allow_scan_network=("127.0.0.0/8", "10.0.0.1/8"))
    done = run_cli("serve", "--database-url", f"sqlite:///{tmp_path / 'r.db'}", "--allow-scan-network", "nonsense")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [
        "mcp-trust: bad MCP_TRUST_* setting: not a CIDR range for the scan-network allowlist: 'nonsense' "
        "('nonsense' does not appear to be an IPv4 or IPv6 network)"
    ]
