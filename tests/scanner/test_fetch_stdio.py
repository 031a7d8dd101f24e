"""Fetching real servers over stdio: wire-exact tools, pagination, the whole surface."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from scanner.contract.hashing import canonical_json, manifest_sha256, tool_sha256
from scanner.scan import scan_source_sync
from scanner.sources import StdioSource
from tests.scanner.conftest import FAST, NORMAL, RAW_SERVER, raw_argv, sdk_argv


def _raw_fixture() -> Any:
    spec = importlib.util.spec_from_file_location("raw_server_fixture", RAW_SERVER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sdk_server_surface_includes_every_page_of_tools_and_the_instructions() -> None:
    report = scan_source_sync(StdioSource(argv=sdk_argv()), limits=NORMAL)
    assert [t.name for t in report.tools] == ["get_time", "fetch_page", "add"]  # 2 pages of 2 + 1
    assert report.server.name == "fixture-sdk-server"
    assert report.server.version == "1.2.3"
    assert report.server.instructions == "Use get_time for clocks and fetch_page to read web pages."
    assert [p["name"] for p in report.prompts] == ["summarise"]
    assert report.resources[0]["description"] == "Read me."
    assert report.resource_templates[0]["uriTemplate"] == "file:///{path}"
    assert report.manifest_sha256 == manifest_sha256([t.tool for t in report.tools])
    assert report.source.kind == "stdio"


def test_tools_keep_camel_case_wire_fields_the_sdk_would_rename() -> None:
    report = scan_source_sync(StdioSource(argv=sdk_argv()), limits=NORMAL)
    get_time = report.tools[0].tool
    assert set(get_time) >= {"inputSchema", "outputSchema", "annotations", "_meta", "title"}
    assert get_time["annotations"] == {"readOnlyHint": True, "title": "Clock"}
    assert get_time["_meta"] == {"io.example/owner": "team-a", "weight": 1.5}
    assert "input_schema" not in get_time


def test_unknown_fields_meta_and_numbers_survive_bit_exact_from_the_wire() -> None:
    sent = _raw_fixture().EXOTIC_TOOLS
    report = scan_source_sync(StdioSource(argv=raw_argv("exotic")), limits=FAST)
    by_name = {t.name: t for t in report.tools}
    for tool in sent:
        got = by_name[tool["name"]]
        assert canonical_json(got.tool) == canonical_json(tool)
        assert got.sha256 == tool_sha256(tool)
    assert by_name["zeta"].tool["x-unknown-field"]["big"] == 12345678901234567890
    assert by_name["alpha"].tool["anotherUnknown"] == [None, False]
    assert report.manifest_sha256 == manifest_sha256(sent)


def test_child_environment_holds_only_the_allowlist_and_explicit_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "do-not-leak")
    report = scan_source_sync(StdioSource(argv=raw_argv("envdump"), env={"API_KEY": "given"}), limits=FAST)
    env = json.loads(report.tools[0].tool["description"])
    assert "AWS_SECRET_ACCESS_KEY" not in env
    assert env["API_KEY"] == "given"
    assert Path(env["HOME"]) != Path.home()
    assert not Path(env["HOME"]).exists()  # the temporary HOME is gone after the scan
    assert set(env) <= {
        "PATH",
        "LANG",
        "LC_ALL",
        "LC_CTYPE",
        "TERM",
        "TZ",
        "HOME",
        "TMPDIR",
        "XDG_CACHE_HOME",
        "XDG_CONFIG_HOME",
        "API_KEY",
    }
