"""A submitter's hostile package, installed and run by a real registry, reaches nothing.

The registry runs as its own process (``mcp-trust serve``), as an operator runs it. A
server.json names a wheel on a loopback package index (HTTPS, its certificate trusted
through the operator's ``PIP_CERT``): ``tests/fixtures/servers/hostile_probe.py``, an
MCP server written with the official SDK that, before it answers, tries to read the
database and add a token, read the signing key, read the registry's environment and
command line, write into the registry's data folder, connect to the registry's port,
and leave a ``setsid`` daemon. Its tools report what worked. The same wheel in a
registry that runs it unconfined is the control: there every attempt succeeds. An
sdist-only package is refused, naming it, without its ``setup.py`` running. Runs on
SQLite and PostgreSQL.
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from registry.app import create_app
from registry.db import make_engine, session_scope
from registry.services.audit import verify_chain
from registry.services.scanning import source_from_stored
from registry.services.tokens import create_token
from registry.settings import Settings
from tests.loopback_index import LoopbackIndex, build_sdist, build_wheel, self_signed
from tests.scanner.conftest import ROOT, run_cli
from tests.support import wait_for

# the end-to-end tests install a package and need bubblewrap; the refusal tests need neither
needs_bwrap = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed here")
NAME = "io.github.hostile/probe"
SCHEMA = "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json"
PROBE_SOURCE = ROOT / "tests" / "fixtures" / "servers" / "hostile_probe.py"
PROBES = ("database", "add_token", "signing_key", "registry_environ", "registry_cmdline", "data_dir_write")
SETUP_PY = """
from pathlib import Path
Path({marker!r}).write_text("the sdist's build code ran")
from setuptools import setup
setup(name="evilsdist", version="1.0")
"""


@dataclass(frozen=True)
class Index:
    url: str
    cert: Path  # what the registry's installer must trust (PIP_CERT)
    sdist_marker: Path  # evilsdist's setup.py would create this


@pytest.fixture(scope="session")
def package_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    """One HTTPS loopback index for the session: the hostile wheel, the official SDK's
    wheels it depends on (fetched once through the user's own pip configuration), and an
    sdist-only package."""
    folder = tmp_path_factory.mktemp("index")
    pin = f"mcp=={importlib.metadata.version('mcp')}"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--only-binary=:all:", "--dest", str(folder / "sdk"), pin],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot download the {pin} wheels here: {done.stderr.strip().splitlines()[-1:]}")
    files = {p.name: p.read_bytes() for p in (folder / "sdk").glob("*.whl")}
    wheel = build_wheel(
        "hostile-mcp",
        "1.0.0",
        {"hostile_mcp/__init__.py": PROBE_SOURCE.read_text()},
        requires=("mcp",),
        console_scripts={"hostile-mcp": "hostile_mcp:main"},
    )
    marker = folder / "setup-py-ran"
    sdist = build_sdist("evilsdist", "1.0", {"setup.py": SETUP_PY.format(marker=str(marker))})
    tls = self_signed(folder)
    with LoopbackIndex(files | dict([wheel, sdist]), tls=tls) as index:
        yield Index(url=index.url, cert=tls[0], sdist_marker=marker)


@pytest.fixture(scope="session")
def install_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("install-cache")  # the first scan installs, later ones reuse


@dataclass
class LiveRegistry:
    """``mcp-trust serve`` in its own process, and what a test needs to reach and attack it."""

    url: str
    port: int
    pid: int
    database_url: str
    data_dir: Path
    key: Path
    tokens: dict[str, str]

    def post(self, path: str, body: dict[str, Any], role: str) -> httpx.Response:
        return httpx.post(self.url + path, json=body, headers=_auth(self.tokens[role]), timeout=30)

    def get(self, path: str, role: str = "reviewer") -> Any:
        r = httpx.get(self.url + path, headers=_auth(self.tokens[role]), timeout=30)
        assert r.status_code == 200, r.text
        return r.json()


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def _signing_key(path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    path.parent.mkdir(parents=True)
    path.write_bytes(Ed25519PrivateKey.generate().private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    path.chmod(0o600)


StartRegistry = Callable[..., LiveRegistry]


@pytest.fixture
def start_registry(
    database_url: str, tmp_path: Path, package_index: Index, install_cache: Path
) -> Iterator[StartRegistry]:
    """Start the registry (working folder ``tmp_path/registry``, data folder ``./var``,
    a signing key there) with extra ``serve`` arguments and environment."""
    procs: list[subprocess.Popen[bytes]] = []

    def start(*args: str, **env: str) -> LiveRegistry:
        home = tmp_path / "registry"
        key = home / "var" / "keys" / "snapshot-signing-key.pem"
        _signing_key(key)
        port = _free_port()
        run_env = {
            **os.environ,
            "MCP_TRUST_CACHE_DIR": str(install_cache),
            "MCP_TRUST_SIGNING_KEY_PATH": str(key),
            "PIP_CERT": str(package_index.cert),  # the operator's trust roots for package indexes
            **env,
        }
        run_env.pop("MCP_TRUST_DATA_DIR", None)
        argv = [sys.executable, "-m", "registry.cli", "serve", "--port", str(port), "--database-url", database_url,
                "--allow-scan-network", "127.0.0.0/8", *args]  # fmt: skip
        with (tmp_path / "registry.log").open("ab") as log:
            proc = subprocess.Popen(argv, cwd=home, env=run_env, stdout=log, stderr=log)
        procs.append(proc)
        wait_for(lambda: _listening(port) or proc.poll() is not None, timeout=120, what="the registry to listen")
        assert proc.poll() is None, (tmp_path / "registry.log").read_text()[-2000:]
        tokens = {}
        for role in ("submitter", "reviewer", "admin"):
            done = run_cli("token", "create", "--role", role, "--name", f"t-{role}", "--database-url", database_url)
            assert done.returncode == 0, done.stderr
            tokens[role] = done.stdout.strip()
        url = f"http://127.0.0.1:{port}"
        return LiveRegistry(url, port, proc.pid, database_url, home / "var", key, tokens)

    yield start
    for proc in procs:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _server_json(index_url: str, identifier: str, version: str, env: dict[str, str]) -> dict[str, Any]:
    package = {
        "registryType": "pypi",
        "registryBaseUrl": index_url,
        "identifier": identifier,
        "version": version,
        "transport": {"type": "stdio"},
        "environmentVariables": [{"name": k, "default": v} for k, v in env.items()],
    }
    return {"$schema": SCHEMA, "name": NAME, "description": "Probes", "version": "1.0.0", "packages": [package]}


def _probe_env(registry: LiveRegistry, marker: str) -> dict[str, str]:
    url = make_url(registry.database_url)
    db = str(url.database) if url.drivername.startswith("sqlite") else f"tcp:{url.host}:{url.port or 5432}"
    return {
        "PROBE_DB": db,
        "PROBE_KEY": str(registry.key),
        "PROBE_DATA_DIR": str(registry.data_dir),
        "PROBE_REGISTRY_PID": str(registry.pid),
        "PROBE_REGISTRY_PORT": str(registry.port),
        "DAEMON_MARKER": marker,
    }


def _state(database_url: str) -> tuple[list[tuple[Any, ...]], int, bool]:
    """The tokens (all but their last-use time), the audit chain's recorded length, and
    whether the whole chain (rows and recorded head) verifies."""
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            tokens = session.execute(
                text("SELECT id, name, role, owner, sha256, created_by, created_at, revoked_at FROM tokens ORDER BY id")
            ).all()
            count = session.execute(text("SELECT audit_count FROM registry_state")).scalar_one()
            return [tuple(t) for t in tokens], int(count), verify_chain(session).ok
    finally:
        engine.dispose()


def _subjects_after(database_url: str, after: int) -> set[str]:
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            rows = session.execute(text("SELECT subject FROM audit_events WHERE id > :n"), {"n": after}).all()
            return {str(r[0]) for r in rows}
    finally:
        engine.dispose()


def _marked(marker: str) -> list[int]:
    """Pids of live processes whose command line carries ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _submit_and_scan(registry: LiveRegistry, doc: dict[str, Any]) -> dict[str, Any]:
    r = registry.post("/v1/submissions", {"server_json": doc}, "submitter")
    assert r.status_code == 202, r.text

    def done() -> dict[str, Any] | None:
        d: dict[str, Any] = registry.get(f"/v1/reviews/{r.json()['review_id']}")
        return d if d["scan"] and d["scan"]["status"] in {"succeeded", "failed"} else None

    detail: dict[str, Any] = wait_for(done, timeout=600, what="the submission's scan")
    return detail


def _reports(detail: dict[str, Any]) -> dict[str, str]:
    assert detail["scan"]["status"] == "succeeded", detail["scan"]
    return {t["name"].removeprefix("probe_"): t["tool"]["description"] for t in detail["tools"]}


@pytest.mark.slow
@needs_bwrap
def test_a_hostile_wheel_reaches_nothing_of_the_registry_and_leaves_nothing_running(
    start_registry: StartRegistry, package_index: Index
) -> None:
    registry = start_registry()
    marker = f"mcp-trust-hostile-{uuid.uuid4().hex}"
    tokens_before, count_before, chain_ok = _state(registry.database_url)
    assert chain_ok
    doc = _server_json(package_index.url, "hostile-mcp", "1.0.0", _probe_env(registry, marker))
    reports = _reports(_submit_and_scan(registry, doc))
    assert reports.pop("daemon") == "started"  # it ran, and its daemon started
    assert set(reports) == {*PROBES, "registry_port"}
    assert {name: r for name, r in reports.items() if not r.startswith("blocked: ")} == {}
    assert not (registry.data_dir / "planted.txt").exists()
    assert wait_for(lambda: not _marked(marker), timeout=10, what="the daemon to be gone")
    tokens_after, count_after, chain_ok = _state(registry.database_url)
    assert tokens_after == tokens_before
    assert chain_ok
    assert count_after > count_before  # the submission's own events, and nothing else:
    assert _subjects_after(registry.database_url, count_before) == {f"server:{NAME}"}


@pytest.mark.slow
@needs_bwrap
def test_the_same_wheel_run_unconfined_reaches_everything_which_is_what_the_sandbox_stops(
    start_registry: StartRegistry, package_index: Index
) -> None:
    # a registry without bubblewrap that was told to scan unconfined anyway (the control)
    registry = start_registry("--unconfined-scans", MCP_TRUST_BWRAP_PATH="/nonexistent/bwrap")
    marker = f"mcp-trust-hostile-{uuid.uuid4().hex}"
    tokens_before, _, _ = _state(registry.database_url)
    doc = _server_json(package_index.url, "hostile-mcp", "1.0.0", _probe_env(registry, marker))
    try:
        reports = _reports(_submit_and_scan(registry, doc))
        assert reports.pop("daemon") == "started"
        assert {name: r for name, r in reports.items() if not r.startswith("SUCCEEDED: ")} == {}
        assert (registry.data_dir / "planted.txt").exists()
        assert _marked(marker)  # the daemon outlived the scan
        if registry.database_url.startswith("sqlite"):
            assert len(_state(registry.database_url)[0]) == len(tokens_before) + 1  # the planted token
    finally:
        for pid in _marked(marker):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.slow
@needs_bwrap
def test_an_sdist_only_package_is_refused_naming_it_and_its_setup_py_never_runs(
    start_registry: StartRegistry, package_index: Index
) -> None:
    registry = start_registry()
    detail = _submit_and_scan(registry, _server_json(package_index.url, "evilsdist", "1.0", {}))
    assert detail["scan"]["status"] == "failed"
    assert detail["scan"]["error"].startswith("evilsdist==1.0 has no wheel; sdists run code at build time")
    assert "unless an admin allows sdists for this server" in detail["scan"]["error"]
    assert not package_index.sdist_marker.exists()


MakeApp = Callable[..., tuple[TestClient[Litestar], dict[str, str]]]


@pytest.fixture
def registry_app(database_url: str) -> Iterator[MakeApp]:
    """An in-process registry with the given settings, and a token per role."""
    clients: list[TestClient[Litestar]] = []

    def make(**overrides: Any) -> tuple[TestClient[Litestar], dict[str, str]]:
        values = {"allow_scan_network": ("127.0.0.0/8",), **overrides}
        settings = Settings(database_url=database_url, bootstrap_admin=False, index_poll_s=0.2, **values)
        client = TestClient(create_app(settings, features=()), raise_server_exceptions=False)
        clients.append(client)
        client.__enter__()
        engine = make_engine(database_url)
        tokens = {}
        with session_scope(engine) as session:
            for role in ("admin", "submitter"):
                _, tokens[role] = create_token(session, role=role, name=f"t-{role}", actor="test")
        engine.dispose()
        return client, tokens

    yield make
    for client in clients:
        client.__exit__(None, None, None)


PACKAGE_DOC = _server_json("https://127.0.0.1:9", "hostile-mcp", "1.0.0", {})  # a loopback index: allowed below


def test_without_bubblewrap_package_and_command_submissions_are_refused_saying_how_to_fix_it(
    registry_app: MakeApp, tmp_path: Path
) -> None:
    said: list[str] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: said.append(record.getMessage())  # type: ignore[method-assign]
    logging.getLogger("registry").addHandler(handler)  # the app's logging setup replaces pytest's capture
    try:
        client, tokens = registry_app(bwrap_path=str(tmp_path / "no-bwrap"))
    finally:
        logging.getLogger("registry").removeHandler(handler)
    assert any("bubblewrap is missing" in m for m in said)  # said at start-up
    command = {"name": "io.github.acme/local", "source": {"command": [sys.executable, "server.py"]}}
    for body, role in (({"server_json": PACKAGE_DOC}, "submitter"), (command, "admin")):
        r = client.post("/v1/submissions", json=body, headers=_auth(tokens[role]))
        assert r.status_code == 422, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        problem = r.json()
        assert problem["type"].endswith("/sandbox-unavailable")
        assert "apt-get install bubblewrap" in problem["detail"] and "--unconfined-scans" in problem["detail"]
    assert client.get("/v1/servers", headers=_auth(tokens["admin"])).json()["items"] == []  # nothing written
    url = {"name": "io.github.acme/remote", "source": {"url": "http://127.0.0.1:9/mcp"}}
    assert client.post("/v1/submissions", json=url, headers=_auth(tokens["submitter"])).status_code == 202


def test_with_unconfined_scans_a_registry_without_bubblewrap_accepts_packages_and_scans_them_unconfined(
    registry_app: MakeApp, tmp_path: Path
) -> None:
    settings_args = {"bwrap_path": str(tmp_path / "no-bwrap"), "unconfined_scans": True, "start_workers": False}
    client, tokens = registry_app(**settings_args)
    r = client.post("/v1/submissions", json={"server_json": PACKAGE_DOC}, headers=_auth(tokens["submitter"]))
    assert r.status_code == 202, r.text
    settings = Settings(database_url="sqlite:///x.db", **settings_args)  # type: ignore[arg-type]
    assert source_from_stored({"server_json": PACKAGE_DOC}, settings).sandbox == "none"


def test_only_an_admin_may_allow_sdists_and_the_allowance_is_pinned_with_the_source(
    registry_app: MakeApp, database_url: str, tmp_path: Path
) -> None:
    client, tokens = registry_app(start_workers=False)
    body = {"server_json": PACKAGE_DOC, "allow_sdist": True}
    refused = client.post("/v1/submissions", json=body, headers=_auth(tokens["submitter"]))
    assert refused.status_code == 403, refused.text
    url_body = {"name": "io.github.acme/remote", "source": {"url": "https://mcp.example.test/mcp"}, "allow_sdist": True}
    assert client.post("/v1/submissions", json=url_body, headers=_auth(tokens["admin"])).status_code == 422
    r = client.post("/v1/submissions", json=body, headers=_auth(tokens["admin"]))
    assert r.status_code == 202, r.text
    engine = make_engine(database_url)
    with Session(engine) as session:
        stored = session.execute(text("SELECT source FROM submissions")).scalar_one()
    engine.dispose()
    stored = json.loads(stored) if isinstance(stored, str) else stored
    assert stored["allow_sdist"] is True
    settings = Settings(database_url=database_url, signing_key_path=str(tmp_path / "k.pem"))
    source = source_from_stored(stored, settings)
    assert (source.allow_sdist, source.sandbox) == (True, "bwrap")
    assert str(tmp_path / "k.pem") in source.confinement.hide  # the registry's key is hidden from it
