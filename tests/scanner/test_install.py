"""Installing a server.json's package at its pinned version, then scanning it.

The slow tests install real published packages through the user's own pip/npm
configuration into a temporary cache (they run in the suite; they are marked
``slow`` because a first install takes about a minute)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from scanner.errors import InstallFailed, SourceError
from scanner.install import (
    Installed,
    SdistRefused,
    cache_dir,
    check_base_url,
    check_pin,
    install_package,
    installer_env,
)
from scanner.resolve import package_args, package_env
from scanner.serverjson import Argument, KeyValueInput, Package, Transport
from tests.loopback_index import LoopbackIndex, build_sdist
from tests.scanner.conftest import run_cli
from tests.support import TIME_SERVER_JSON, TIME_VERSION

EVERYTHING_VERSION = "2026.8.31"


@pytest.mark.parametrize("version", ["^1.2.0", ">=1", "~1.2", "1.x", "latest", "1.0 - 2.0", "", None, "*"])
def test_a_version_that_is_not_an_exact_pin_is_refused(version: str | None) -> None:
    with pytest.raises(SourceError):
        check_pin("npm", "left-pad", version)
    with pytest.raises(SourceError):
        check_pin("pypi", "requests", version)


@pytest.mark.parametrize(
    ("registry", "name"), [("pypi", "-e"), ("pypi", "../x"), ("pypi", "a b"), ("npm", "--registry=x"), ("npm", "A")]
)
def test_a_name_that_could_be_an_option_or_a_path_is_refused(registry: str, name: str) -> None:
    with pytest.raises(SourceError):
        check_pin(registry, name, "1.0.0")


def test_exact_pins_pass() -> None:
    assert check_pin("pypi", "mcp-server-time", TIME_VERSION) == TIME_VERSION
    assert check_pin("npm", "@scope/pkg", "1.2.3-beta.1") == "1.2.3-beta.1"


def test_registry_base_url_must_be_plain_http() -> None:
    assert check_base_url("https://pypi.test/") == "https://pypi.test"
    for bad in ("file:///etc", "https://x.test/ --index-url y", "javascript:alert(1)"):
        with pytest.raises(SourceError):
            check_base_url(bad)


def test_cache_dir_comes_from_the_environment_setting(tmp_path: Path) -> None:
    assert cache_dir({"MCP_TRUST_CACHE_DIR": str(tmp_path)}) == tmp_path
    assert cache_dir({}).parts[-2:] == (".cache", "mcp-trust")


def test_installer_sees_pip_and_proxy_settings_but_no_other_secrets() -> None:
    env = installer_env({"PIP_INDEX_URL": "x", "HTTPS_PROXY": "p", "AWS_SECRET_ACCESS_KEY": "s", "PATH": "/bin"})
    assert env == {"PIP_INDEX_URL": "x", "HTTPS_PROXY": "p", "PATH": "/bin"}


def test_unsupported_registries_say_so() -> None:
    with pytest.raises(SourceError, match="not supported"):
        install_package("oci", "ghcr.io/x/y", "1.0.0")


def _pkg(**kw: object) -> Package:
    return Package(registry_type="pypi", identifier="x", version="1.0.0", transport=Transport(type="stdio"), **kw)  # type: ignore[arg-type]


def test_required_server_variables_must_be_passed_and_declared_defaults_apply() -> None:
    pkg = _pkg(
        environment_variables=[
            KeyValueInput(name="API_KEY", is_required=True, is_secret=True),
            KeyValueInput(name="REGION", default="eu"),
        ]
    )
    with pytest.raises(SourceError, match="API_KEY"):
        package_env(pkg, {})
    assert package_env(pkg, {"API_KEY": "k"}) == {"API_KEY": "k", "REGION": "eu"}


def test_package_arguments_fill_templates_from_the_given_values() -> None:
    args = [
        Argument(type="named", name="--root", value="{ROOT}"),
        Argument(type="positional", value_hint="mode", default="stdio"),
    ]
    assert package_args(args, {"ROOT": "/data"}) == ["--root", "/data", "stdio"]
    with pytest.raises(SourceError, match="ROOT"):
        package_args(args, {})


def test_registry_base_url_replaces_the_users_index_entirely(tmp_path: Path) -> None:
    # A loopback index that has nothing: if our --index-url were ignored (or the user's
    # extra indexes still applied) the install would succeed.
    (tmp_path / "simple").mkdir()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", "0", "--bind", "127.0.0.1", "-d", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline().split("port ")[1].split()[0])
        with pytest.raises(InstallFailed, match="mcp-server-time"):
            install_package(
                "pypi", "mcp-server-time", TIME_VERSION, base_url=f"http://127.0.0.1:{port}", root=tmp_path / "c"
            )
    finally:
        server.terminate()
        server.wait()
        if server.stdout is not None:
            server.stdout.close()
    assert not list((tmp_path / "c" / "pypi").iterdir())  # the failed install left nothing behind


@pytest.fixture(scope="session")
def time_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mcp-trust-cache")


@pytest.mark.slow
@pytest.mark.xdist_group("mcp-server-time-cache")  # one worker, one install for both tests
def test_concurrent_installs_of_one_pinned_package_share_one_cache_entry(time_cache: Path) -> None:
    with ThreadPoolExecutor(2) as pool:
        futures = [
            pool.submit(install_package, "pypi", "mcp-server-time", TIME_VERSION, root=time_cache) for _ in range(2)
        ]
        results: list[Installed] = [f.result() for f in futures]
    assert results[0] == results[1]
    assert results[0].argv[0].endswith("/venv/bin/mcp-server-time")
    assert Path(results[0].prefix, ".complete").exists()
    assert len(list((time_cache / "pypi").iterdir())) == 1


@pytest.mark.slow
@pytest.mark.xdist_group("mcp-server-time-cache")
def test_server_json_naming_mcp_server_time_is_installed_and_scanned(time_cache: Path, tmp_path: Path) -> None:
    sj = tmp_path / "server.json"
    sj.write_text(json.dumps(TIME_SERVER_JSON))
    done = run_cli("scan", "--format", "json", "--server-json", str(sj), env={"MCP_TRUST_CACHE_DIR": str(time_cache)})
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert {t["name"] for t in report["tools"]} == {"get_current_time", "convert_time"}
    assert report["source"]["kind"] == "server-json"
    assert report["source"]["package"] == f"pypi:mcp-server-time=={TIME_VERSION}"
    assert report["source"]["server_json_name"] == "io.github.modelcontextprotocol/time"
    # The same installed server run directly over stdio gives the same manifest.
    argv = install_package("pypi", "mcp-server-time", TIME_VERSION, root=time_cache).argv
    direct = run_cli("scan", "--format", "json", "--stdio", *argv)
    assert json.loads(direct.stdout)["manifest_sha256"] == report["manifest_sha256"]


@pytest.mark.slow
@pytest.mark.npm
def test_server_json_naming_an_npm_package_is_installed_without_scripts_and_scanned(tmp_path: Path) -> None:
    doc = {
        "name": "io.github.modelcontextprotocol/server-everything",
        "description": "Everything",
        "version": EVERYTHING_VERSION,
        "packages": [
            {
                "registryType": "npm",
                "identifier": "@modelcontextprotocol/server-everything",
                "version": EVERYTHING_VERSION,
                "transport": {"type": "stdio"},
                "packageArguments": [{"type": "positional", "value": "stdio"}],
            }
        ],
    }
    sj = tmp_path / "server.json"
    sj.write_text(json.dumps(doc))
    done = run_cli(
        "scan", "--format", "json", "--server-json", str(sj), env={"MCP_TRUST_CACHE_DIR": str(tmp_path / "cache")}
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["source"]["package"] == f"npm:@modelcontextprotocol/server-everything@{EVERYTHING_VERSION}"
    assert len(report["tools"]) >= 10


def test_server_json_with_a_version_range_is_refused_before_anything_is_installed(tmp_path: Path) -> None:
    doc = {
        "name": "io.github.x/y",
        "description": "d",
        "version": "1.0.0",
        "packages": [{"registryType": "pypi", "identifier": "y", "version": ">=1.0", "transport": {"type": "stdio"}}],
    }
    sj = tmp_path / "server.json"
    sj.write_text(json.dumps(doc))
    done = run_cli("scan", "--server-json", str(sj), env={"MCP_TRUST_CACHE_DIR": str(tmp_path / "cache")})
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith("mcp-trust: ")
    assert not (tmp_path / "cache").exists()


def test_server_json_remotes_resolve_to_an_http_source_with_the_given_headers() -> None:
    from scanner.limits import DEFAULT_LIMITS
    from scanner.resolve import resolve_server_json
    from scanner.sources import HttpSource, ServerJsonSource

    doc = {
        "name": "io.github.acme/crm",
        "description": "CRM",
        "version": "1.4.0",
        "remotes": [
            {"type": "streamable-http", "url": "https://crm.example.test/mcp"},
            {"type": "sse", "url": "https://crm.example.test/sse"},
        ],
    }
    src = ServerJsonSource(document=doc, headers={"X-Key": "k"}, remote_index=1)
    resolved, name = resolve_server_json(src, DEFAULT_LIMITS, lambda _: None)
    assert name == "io.github.acme/crm"
    assert resolved == HttpSource(url="https://crm.example.test/sse", headers={"X-Key": "k"}, transport="sse")
    first, _ = resolve_server_json(ServerJsonSource(document=doc), DEFAULT_LIMITS, lambda _: None)
    assert isinstance(first, HttpSource) and first.transport == "streamable-http"


SETUP_PY = """
from pathlib import Path
Path({marker!r}).write_text("the sdist's build code ran")
from setuptools import setup
setup(name="evilsdist", version="1.0")
"""

IN_TREE_BACKEND = """
try:
    with open({marker!r}, "w") as fh:
        fh.write("the sdist's build code ran")
    WROTE = "written"
except OSError as exc:
    WROTE = str(exc)


def get_requires_for_build_wheel(config_settings=None):
    raise RuntimeError("build code ran; marker: " + WROTE)
"""


@pytest.mark.parametrize("sandbox", ["bwrap", "none"])
def test_an_sdist_only_package_is_refused_by_name_and_its_build_code_never_runs(sandbox: str, tmp_path: Path) -> None:
    if sandbox == "bwrap" and shutil.which("bwrap") is None:
        pytest.skip("bubblewrap is not installed here")
    marker = tmp_path / "marker"
    sdist = build_sdist("evilsdist", "1.0", {"setup.py": SETUP_PY.format(marker=str(marker))})
    with LoopbackIndex(dict([sdist])) as index:
        with pytest.raises(SdistRefused) as refused:
            install_package("pypi", "evilsdist", "1.0", base_url=index.url, sandbox=sandbox, root=tmp_path / "c")
        assert "/simple/evilsdist/" in index.requests  # pip looked, and found only the sdist
    assert str(refused.value).startswith("evilsdist==1.0 has no wheel; sdists run code at build time")
    assert "an admin allows sdists for this server" in str(refused.value)
    assert not marker.exists()
    assert not list((tmp_path / "c" / "pypi").iterdir())  # nothing half-built is left


@pytest.mark.parametrize(("sandbox", "written"), [("none", True), ("bwrap", False)])
def test_an_allowed_sdist_builds_inside_the_sandbox_where_it_cannot_write_outside(
    sandbox: str, written: bool, tmp_path: Path
) -> None:
    if sandbox == "bwrap" and shutil.which("bwrap") is None:
        pytest.skip("bubblewrap is not installed here")
    marker = tmp_path / "marker"
    pyproject = '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n'
    files = {"pyproject.toml": pyproject, "backend.py": IN_TREE_BACKEND.format(marker=str(marker))}
    with LoopbackIndex(dict([build_sdist("evilsdist", "1.0", files)])) as index, pytest.raises(InstallFailed) as failed:
        install_package(
            "pypi", "evilsdist", "1.0", base_url=index.url, sandbox=sandbox, allow_sdist=True, root=tmp_path / "c"
        )
    assert not isinstance(failed.value, SdistRefused)  # allowed: pip went on to build it
    assert marker.exists() is written  # unconfined the build code writes anywhere; confined it cannot


def test_an_index_at_a_refused_address_is_refused_before_anything_is_installed(tmp_path: Path) -> None:
    from scanner.netguard import AddressNotAllowed, NetworkPolicy

    with pytest.raises(AddressNotAllowed):
        install_package(
            "pypi", "x", "1.0.0", base_url="http://127.0.0.1:9", network=NetworkPolicy(), root=tmp_path / "c"
        )
    assert not (tmp_path / "c").exists()
