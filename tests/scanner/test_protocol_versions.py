"""The scanner speaks every protocol version the pinned MCP SDK speaks: a real SDK server
pinned to one version (from the oldest handshake version to the newest, stateless one) is
scanned, the report records the version agreed, and the surface is the same at each. The
initialize handshake comes first; a server that refuses it as a stateless-only server does
is asked again over a fresh connection with server/discover."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mcp_types.version import (
    HANDSHAKE_PROTOCOL_VERSIONS,
    LATEST_HANDSHAKE_VERSION,
    LATEST_PROTOCOL_VERSION,
    MODERN_PROTOCOL_VERSIONS,
    OLDEST_SUPPORTED_VERSION,
)

from scanner.errors import ServerMisbehaved
from scanner.scan import scan_source_sync
from scanner.sources import HttpSource, StdioSource
from tests.scanner.conftest import NORMAL, run_cli
from tests.scanner.surface_support import expected_surface_sha256, served, surface_argv, surface_http

EVERY_VERSION = (*HANDSHAKE_PROTOCOL_VERSIONS, *MODERN_PROTOCOL_VERSIONS)


def test_the_versions_under_test_run_from_the_sdks_oldest_to_its_newest() -> None:
    assert EVERY_VERSION[0] == OLDEST_SUPPORTED_VERSION
    assert EVERY_VERSION[-1] == LATEST_PROTOCOL_VERSION


@pytest.mark.parametrize("version", EVERY_VERSION)
def test_a_server_that_speaks_only_one_version_is_scanned_at_that_version(version: str) -> None:
    report = scan_source_sync(StdioSource(argv=surface_argv("benign", "--only", version)), limits=NORMAL)
    assert report.server.protocol_version == version
    assert report.surface_sha256 == expected_surface_sha256(served("benign"))
    assert (report.server.name, report.server.version) == ("surface-fixture", "2.0.0")
    assert report.server.instructions == served("benign")["instructions"]


@pytest.mark.parametrize("version", [OLDEST_SUPPORTED_VERSION, LATEST_PROTOCOL_VERSION])
def test_the_json_report_records_the_negotiated_version(version: str) -> None:
    done = run_cli("scan", "--format", "json", "--stdio", *surface_argv("benign", "--only", version))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["server"]["protocol_version"] == version


def test_a_server_that_speaks_every_version_is_scanned_with_the_newest_handshake() -> None:
    report = scan_source_sync(StdioSource(argv=surface_argv("benign")), limits=NORMAL)
    assert report.server.protocol_version == LATEST_HANDSHAKE_VERSION


def test_a_stateless_only_server_over_streamable_http_is_asked_again_with_discover(tmp_path: Path) -> None:
    progress: list[str] = []
    with surface_http(tmp_path, "benign", "--only", LATEST_PROTOCOL_VERSION) as port:
        report = scan_source_sync(
            HttpSource(url=f"http://127.0.0.1:{port}/mcp"), limits=NORMAL, progress=progress.append
        )
    assert report.server.protocol_version == LATEST_PROTOCOL_VERSION
    assert report.surface_sha256 == expected_surface_sha256(served("benign"))
    assert any("refused initialize" in line and "server/discover" in line for line in progress)


def test_a_server_offering_only_a_version_the_sdk_does_not_speak_fails_with_a_clear_reason() -> None:
    with pytest.raises(ServerMisbehaved, match=r"no protocol version in common .*1999-01-01"):
        scan_source_sync(StdioSource(argv=surface_argv("benign", "--only", "1999-01-01")), limits=NORMAL)
    done = run_cli("scan", "--format", "json", "--stdio", *surface_argv("benign", "--only", "1999-01-01"))
    assert done.returncode == 2 and done.stdout == ""
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("mcp-trust: ") and "no protocol version in common" in last
