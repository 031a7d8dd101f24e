"""``mcp-trust scan`` end to end: the JSON contract, output files, exit codes, usage errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.cli.scan import exit_code
from scanner.contract.hashing import manifest_sha256, tool_sha256
from scanner.models import Confidence, Finding, ScanReport, ServerInfo, Severity, SourceInfo, ToolReport, Verdict
from tests.scanner.conftest import run_cli, sdk_argv


def test_json_output_is_the_stable_contract_and_nothing_else_on_stdout() -> None:
    done = run_cli("scan", "--format", "json", "--stdio", *sdk_argv())
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert set(doc) >= {"manifest_sha256", "server", "tools", "verdict", "source"}
    assert doc["server"]["name"] == "fixture-sdk-server"
    for tool in doc["tools"]:
        assert set(tool) >= {"name", "sha256", "verdict", "findings"}
        assert tool["verdict"] in ("clean", "suspicious", "malicious")
        assert tool["sha256"] == tool_sha256(tool["tool"])
    assert doc["manifest_sha256"] == manifest_sha256([t["tool"] for t in doc["tools"]])
    assert "[scan]" in done.stderr  # progress went to stderr


def test_stdio_accepts_a_double_dash_before_the_command_and_passes_its_flags_through() -> None:
    done = run_cli("scan", "--format", "json", "--no-detect", "--stdio", "--", *sdk_argv())
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["detection"] == "not_available"


def test_output_file_is_written_whole_and_stdout_stays_empty(tmp_path: Path) -> None:
    out = tmp_path / "scan.json"
    done = run_cli("scan", "--format", "json", "--output", str(out), "--stdio", *sdk_argv())
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert len(json.loads(out.read_text())["tools"]) == 3
    assert [p.name for p in tmp_path.iterdir()] == ["scan.json"]  # no temp file left behind


def test_tools_file_scan_hashes_the_saved_tools(tmp_path: Path) -> None:
    tools = [{"name": "a", "inputSchema": {"type": "object"}, "_meta": {"k": 1}}]
    f = tmp_path / "tools.json"
    f.write_text(json.dumps({"tools": tools}))
    done = run_cli("scan", "--format", "json", "--tools-file", str(f))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["manifest_sha256"] == manifest_sha256(tools)


def test_table_output_lists_each_tool_with_its_hash_prefix() -> None:
    done = run_cli("scan", "--stdio", *sdk_argv())
    assert done.returncode == 0, done.stderr
    assert "fetch_page" in done.stdout and "manifest" in done.stdout


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--stdio"], "--stdio needs a command"),
        (["--tools-file", "/nonexistent/tools.json"], "cannot read"),
        (["--stdio", "definitely-not-a-command-xyz"], "command not found"),
        (["--url", "ftp://example.test/"], "not an http(s) URL"),
        (["--url", "http://127.0.0.1:9/mcp", "--timeout", "3"], "could not"),
        (["--env", "NOPE", "--stdio", "true"], "not set in your environment"),
    ],
)
def test_bad_input_exits_2_with_a_one_line_reason(args: list[str], reason: str) -> None:
    done = run_cli("scan", "--format", "json", *args)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert lines[-1].startswith("mcp-trust: ")
    assert reason in lines[-1]
    assert "Traceback" not in done.stderr


def test_sandbox_bwrap_says_clearly_when_bubblewrap_is_missing(tmp_path: Path) -> None:
    # a PATH with no bwrap on it: the scan must refuse, never run the server unconfined
    done = run_cli("scan", "--sandbox", "bwrap", "--stdio", *sdk_argv(), env={"PATH": str(tmp_path)})
    assert done.returncode == 2
    assert "bubblewrap" in done.stderr.strip().splitlines()[-1]


def test_unwritable_output_is_a_one_line_error(tmp_path: Path) -> None:
    tools = tmp_path / "tools.json"
    tools.write_text('{"tools": []}')
    done = run_cli("scan", "--output", str(tmp_path / "missing" / "x.json"), "--tools-file", str(tools))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith("mcp-trust: cannot write ")


def _report_with(verdict: str, findings: int) -> ScanReport:
    finding = Finding(
        rule_id="R1",
        category="c",
        severity=Severity.LOW,
        confidence=Confidence.LOW,
        message="m",
        path="$.description",
        matched_text="x",
    )
    tool = ToolReport(name="t", sha256="0" * 64, verdict=Verdict(verdict), findings=[finding] * findings, tool={})
    return ScanReport(
        scanner_version="0",
        scanned_at="2026-01-01T00:00:00Z",
        manifest_sha256="0" * 64,
        verdict=Verdict(verdict),
        detection="test",
        server=ServerInfo(),
        source=SourceInfo(kind="tools-file", target="x"),
        tools=[tool],
    )


@pytest.mark.parametrize(
    ("verdict", "findings", "fail_on", "code"),
    [
        ("clean", 0, "clean", 0),
        ("clean", 1, "clean", 1),  # --fail-on clean: any finding at all fails
        ("suspicious", 1, "malicious", 0),
        ("suspicious", 1, "suspicious", 1),
        ("malicious", 2, "malicious", 1),
        ("malicious", 2, "suspicious", 1),
    ],
)
def test_exit_code_is_1_exactly_when_a_verdict_reaches_fail_on(
    verdict: str, findings: int, fail_on: str, code: int
) -> None:
    assert exit_code(_report_with(verdict, findings), Verdict(fail_on)) == code
