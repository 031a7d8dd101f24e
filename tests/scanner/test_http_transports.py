"""Remote transports against real servers on loopback: the same server reached over
stdio, streamable HTTP and legacy SSE gives the same manifest hash."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from scanner.errors import ConnectionFailed, ScannerError
from scanner.scan import scan_source_sync
from scanner.sources import HttpSource, StdioSource
from tests.conftest import NODE_BIN
from tests.scanner.conftest import NORMAL, SDK_SERVER, run_cli, sdk_argv
from tests.support import port_open, running, wait_for

EVERYTHING = NODE_BIN / "mcp-server-everything"


@contextmanager
def sdk_http(tmp_path: Path, flag: str) -> Iterator[int]:
    port_file = tmp_path / f"port{flag}"
    with running([sys.executable, str(SDK_SERVER), flag, str(port_file)]):
        wait_for(port_file.exists, what="the server to write its port")
        port = int(port_file.read_text())
        wait_for(lambda: port_open(port), what="the server to listen")
        yield port


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def everything(transport: str) -> Iterator[int]:
    port = _free_port()
    with running([str(EVERYTHING), transport], env={"PORT": str(port)}):
        wait_for(lambda: port_open(port), what="the server to listen")
        yield port


def test_sdk_server_gives_one_manifest_hash_over_stdio_http_and_sse(tmp_path: Path) -> None:
    stdio = scan_source_sync(StdioSource(argv=sdk_argv()), limits=NORMAL)
    with sdk_http(tmp_path, "--http") as port:
        http = scan_source_sync(HttpSource(url=f"http://127.0.0.1:{port}/mcp"), limits=NORMAL)
    with sdk_http(tmp_path, "--sse") as port:
        sse = scan_source_sync(HttpSource(url=f"http://127.0.0.1:{port}/sse", transport="sse"), limits=NORMAL)
    assert stdio.manifest_sha256 == http.manifest_sha256 == sse.manifest_sha256
    assert http.tool_hashes == stdio.tool_hashes
    assert http.server.instructions == stdio.server.instructions
    assert (http.source.kind, sse.source.kind) == ("streamable-http", "sse")


def test_url_scan_through_the_cli_sends_headers_and_keeps_them_out_of_the_report(tmp_path: Path) -> None:
    with sdk_http(tmp_path, "--http") as port:
        done = run_cli(
            "scan", "--format", "json", "--url", f"http://127.0.0.1:{port}/mcp?key=s3cret",
            "--header", "X-Api-Key: s3cret", "--bearer-token-env", "FIXTURE_TOKEN",
            env={"FIXTURE_TOKEN": "tok-s3cret"},
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "s3cret" not in done.stdout
    assert '"kind":"streamable-http"' in done.stdout


def test_unreachable_url_fails_with_a_connection_error() -> None:
    with pytest.raises(ScannerError):
        scan_source_sync(HttpSource(url=f"http://127.0.0.1:{_free_port()}/mcp"), limits=NORMAL)


def test_http_endpoint_that_is_not_mcp_fails_cleanly(tmp_path: Path) -> None:
    port = _free_port()
    with running([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "-d", str(tmp_path)]):
        wait_for(lambda: port_open(port), what="the server to listen")
        with pytest.raises((ConnectionFailed, ScannerError)):
            scan_source_sync(HttpSource(url=f"http://127.0.0.1:{port}/mcp"), limits=NORMAL)


@pytest.mark.npm
def test_server_everything_gives_one_manifest_hash_over_stdio_and_streamable_http() -> None:
    stdio = scan_source_sync(StdioSource(argv=(str(EVERYTHING), "stdio")), limits=NORMAL)
    with everything("streamableHttp") as port:
        http = scan_source_sync(HttpSource(url=f"http://127.0.0.1:{port}/mcp"), limits=NORMAL)
    assert len(stdio.tools) >= 10
    assert stdio.tool_hashes == http.tool_hashes
    assert stdio.manifest_sha256 == http.manifest_sha256
    assert stdio.prompts and stdio.resources  # the rest of the surface an agent reads


@pytest.mark.npm
def test_server_everything_over_legacy_sse_matches_stdio() -> None:
    stdio = scan_source_sync(StdioSource(argv=(str(EVERYTHING), "stdio")), limits=NORMAL)
    with everything("sse") as port:
        sse = scan_source_sync(HttpSource(url=f"http://127.0.0.1:{port}/sse", transport="sse"), limits=NORMAL)
    assert sse.manifest_sha256 == stdio.manifest_sha256


RAW_HTTP = Path(__file__).resolve().parents[1] / "fixtures" / "servers" / "raw_http_server.py"


@contextmanager
def raw_http(tmp_path: Path, mode: str) -> Iterator[int]:
    port_file = tmp_path / f"port-{mode}"
    with running([sys.executable, str(RAW_HTTP), mode, str(port_file)]):
        wait_for(port_file.exists, what="the server to write its port")
        yield int(port_file.read_text())


def test_an_http_server_sending_more_than_the_byte_budget_is_stopped(tmp_path: Path) -> None:
    import msgspec

    from scanner.errors import ServerMisbehaved

    limits = msgspec.structs.replace(NORMAL, max_stdout_bytes=1024 * 1024)
    with raw_http(tmp_path, "huge") as port, pytest.raises(ServerMisbehaved, match="more than 1048576 bytes over HTTP"):
        scan_source_sync(HttpSource(url=f"http://127.0.0.1:{port}/mcp"), limits=limits)


def test_an_http_server_that_never_answers_is_bounded_by_the_start_timeout(tmp_path: Path) -> None:
    from scanner.limits import Limits

    limits = Limits(start_timeout_s=3, request_timeout_s=3, total_timeout_s=10)
    with raw_http(tmp_path, "stall") as port, pytest.raises(ConnectionFailed):
        scan_source_sync(HttpSource(url=f"http://127.0.0.1:{port}/mcp"), limits=limits)
