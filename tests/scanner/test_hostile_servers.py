"""Hostile servers: each ends within its bound with a one-line reason and exit 2,
without hanging and without leaving a process behind."""

from __future__ import annotations

import os
import time
from pathlib import Path

import msgspec
import pytest

from scanner.errors import ConnectionFailed, ScannerError, ServerMisbehaved
from scanner.limits import Limits
from scanner.scan import scan_source_sync
from scanner.sources import StdioSource
from tests.scanner.conftest import FAST, NORMAL, raw_argv, run_cli, sdk_argv

CASES = [
    ("silent", ConnectionFailed, "did not finish the MCP handshake"),
    ("flood", ServerMisbehaved, "message longer than"),
    ("exit_handshake", ConnectionFailed, "exit code 3"),
    ("many_tools", ServerMisbehaved, "more than 5000 tools"),
    ("big_description", ServerMisbehaved, "bound per tool"),
    ("duplicates", ServerMisbehaved, "tool name 'x' twice"),
    ("invalid_jsonrpc", ServerMisbehaved, "not a JSON-RPC 2.0 message"),
    ("not_json", ServerMisbehaved, "not JSON"),
    ("non_object_tool", ServerMisbehaved, "not an object"),
    ("cursor_loop", ServerMisbehaved, "pagination loop"),
    ("no_input_schema", ServerMisbehaved, "breaks the MCP schema at tools.0.inputSchema"),
]


@pytest.mark.parametrize(("mode", "error", "reason"), CASES)
def test_hostile_server_fails_the_scan_with_a_clear_reason(mode: str, error: type[ScannerError], reason: str) -> None:
    with pytest.raises(error, match=reason):
        scan_source_sync(StdioSource(argv=raw_argv(mode)), limits=FAST)


@pytest.mark.parametrize(("mode", "reason"), [(m, r) for m, _, r in CASES])
def test_cli_exits_2_with_one_line_reason_for_a_hostile_server(mode: str, reason: str) -> None:
    done = run_cli("scan", "--format", "json", "--timeout", "8", "--stdio", *raw_argv(mode), timeout=60)
    assert done.returncode == 2
    assert done.stdout == ""  # no half a report on stdout
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("mcp-trust: ")
    assert reason in last
    assert "Traceback" not in done.stderr


def test_endless_stream_of_valid_notifications_hits_the_stdout_bound() -> None:
    limits = msgspec.structs.replace(FAST, max_stdout_bytes=512 * 1024)
    with pytest.raises(ServerMisbehaved, match="more than 524288 bytes to stdout"):
        scan_source_sync(StdioSource(argv=raw_argv("flood_lines")), limits=limits)


def test_total_timeout_bounds_a_server_that_answers_the_handshake_then_stalls() -> None:
    limits = Limits(start_timeout_s=5, request_timeout_s=30, total_timeout_s=2, max_stdout_bytes=1 << 40)
    with pytest.raises(ServerMisbehaved, match="within 2 s"):
        scan_source_sync(StdioSource(argv=raw_argv("flood_lines")), limits=limits)


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")  # a zombie is dead; only its parent's reaping is pending


def _wait_gone(pids: list[int], bound_s: float = 10.0) -> list[int]:
    deadline = time.monotonic() + bound_s
    while time.monotonic() < deadline:
        alive = [p for p in pids if not _gone(p)]
        if not alive:
            return []
        time.sleep(0.05)  # bounded polling, not synchronisation by sleep
    return [p for p in pids if not _gone(p)]


def test_no_process_of_a_stalled_server_survives_the_scan(tmp_path: Path) -> None:
    pid_file = tmp_path / "pids"
    with pytest.raises(ConnectionFailed):
        scan_source_sync(StdioSource(argv=raw_argv("orphan", str(pid_file))), limits=FAST)
    pids = [int(p) for p in pid_file.read_text().split()]
    assert len(pids) == 2  # the server and the grandchild it spawned
    assert _wait_gone(pids) == []


def test_no_grandchild_of_a_well_behaved_server_survives_a_successful_scan(tmp_path: Path) -> None:
    pid_file = tmp_path / "pids"
    report = scan_source_sync(StdioSource(argv=sdk_argv(), env={"FIXTURE_PID_FILE": str(pid_file)}), limits=NORMAL)
    assert len(report.tools) == 3
    pids = [int(p) for p in pid_file.read_text().split()]
    assert os.getpid() not in pids
    assert _wait_gone(pids) == []
