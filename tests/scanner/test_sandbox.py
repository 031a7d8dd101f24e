"""The bubblewrap sandbox: what a stdio server can neither see, reach, leave behind nor use up.

Each test runs a real server written with the official SDK (in ``tmp_path/srv``) whose
probes run before it answers and whose one tool's description reports, as JSON, what
each probe managed; an unconfined run of the same server is the control that shows
the probe works.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import socket
import sys
import uuid
from pathlib import Path
from typing import Any

import msgspec
import pytest

from scanner.errors import SourceError
from scanner.limits import MIB, Limits
from scanner.sandbox import Caps, Plan, confined, options
from scanner.sandbox_paths import Bind
from scanner.scan import scan_source_sync
from scanner.sources import Confinement, StdioSource
from tests.scanner.conftest import FAST, NORMAL, raw_argv, run_cli
from tests.support import wait_for

needs_bwrap = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed here")

PROBE_SERVER = """
import json, os, socket, sys

import anyio
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server


def read_secret():
    try:
        with open(os.environ["SECRET_PATH"]) as fh:
            return "read: " + fh.read()
    except OSError as exc:
        return "error: " + str(exc.strerror)


def connect():
    try:
        socket.create_connection(("127.0.0.1", int(os.environ["PROBE_PORT"])), timeout=3).close()
        return "connected"
    except OSError as exc:
        return "error: " + str(exc)


def daemon():
    # double fork + setsid: a grandchild outside our process group and session
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.setsid()
        if os.fork() == 0:
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            os.write(w, b"1")
            code = "import time\\nwhile True: time.sleep(3600)"
            os.execv(sys.executable, [sys.executable, "-c", code, os.environ["DAEMON_MARKER"]])
        os._exit(0)
    os.close(w)
    os.waitpid(pid, 0)
    return "started" if os.read(r, 1) == b"1" else "failed"


def fork_many():
    r, w = os.pipe()
    kids, error = [], ""
    for _ in range(500):
        try:
            pid = os.fork()
        except OSError as exc:
            error = str(exc.strerror)
            break
        if pid == 0:
            os.close(w)
            os.read(r, 1)  # wait until the parent is done forking
            os._exit(0)
        kids.append(pid)
    os.close(w)
    for pid in kids:
        os.waitpid(pid, 0)
    return {"forked": len(kids), "error": error}


def allocate():
    try:
        block = bytearray(int(os.environ["ALLOC_BYTES"]))
        return "allocated %d" % len(block)
    except MemoryError:
        return "MemoryError"


PROBES = {"secret": read_secret, "connect": connect, "daemon": daemon, "fork": fork_many, "alloc": allocate}
RESULTS = {name: PROBES[name]() for name in sys.argv[1:]}


async def list_tools(ctx, params):
    tool = {"name": "report", "description": json.dumps(RESULTS), "inputSchema": {"type": "object"}}
    return {"tools": [tool], "ttlMs": 0, "cacheScope": "private", "resultType": "complete"}


async def main():
    server = Server("sandbox-probe", version="1.0.0", on_list_tools=list_tools)
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())


anyio.run(main)
"""


def _server(tmp_path: Path) -> Path:
    folder = tmp_path / "srv"
    folder.mkdir(exist_ok=True)
    script = folder / "probe_server.py"
    script.write_text(PROBE_SERVER)
    return script


def _scan(tmp_path: Path, sandbox: str, probes: list[str], env: dict[str, str], limits: Limits = NORMAL) -> Any:
    source = StdioSource(argv=(sys.executable, str(_server(tmp_path)), *probes), env=env, sandbox=sandbox)  # type: ignore[arg-type]
    report = scan_source_sync(source, limits=limits)
    return report.source.sandbox, json.loads(report.tools[0].tool["description"])


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


@needs_bwrap
def test_a_setsid_grandchild_does_not_survive_mcp_trust_scan_under_the_default_sandbox(tmp_path: Path) -> None:
    marker = f"mcp-trust-daemon-{uuid.uuid4().hex}"
    script = _server(tmp_path)
    done = run_cli("scan", "--format", "json", "--no-detect", "--env", f"DAEMON_MARKER={marker}",
                   "--stdio", sys.executable, str(script), "daemon")  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["source"]["sandbox"] == "bwrap"  # auto chose bubblewrap
    assert json.loads(report["tools"][0]["tool"]["description"]) == {"daemon": "started"}
    assert wait_for(lambda: not _marked(marker), timeout=10, what="the sandbox's processes to be gone")


@needs_bwrap
def test_without_the_sandbox_the_same_setsid_grandchild_outlives_the_scan(tmp_path: Path) -> None:
    marker = f"mcp-trust-daemon-{uuid.uuid4().hex}"
    try:
        sandbox, result = _scan(tmp_path, "none", ["daemon"], {"DAEMON_MARKER": marker})
        assert (sandbox, result) == ("none", {"daemon": "started"})
        assert _marked(marker)  # the control: the probe really leaves a daemon behind
    finally:
        for pid in _marked(marker):
            os.kill(pid, signal.SIGKILL)


@needs_bwrap
def test_the_server_cannot_see_a_host_file_in_a_folder_that_is_not_bound(tmp_path: Path) -> None:
    secret = tmp_path / "host" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("s3cret")
    env = {"SECRET_PATH": str(secret)}
    assert _scan(tmp_path, "none", ["secret"], env)[1] == {"secret": "read: s3cret"}
    sandbox, result = _scan(tmp_path, "bwrap", ["secret"], env)
    assert sandbox == "bwrap"
    assert result == {"secret": "error: No such file or directory"}


@needs_bwrap
def test_a_hidden_path_stays_hidden_inside_a_folder_the_command_names(tmp_path: Path) -> None:
    data = tmp_path / "srv" / "registry-data"
    data.mkdir(parents=True)
    (data / "keys.pem").write_text("private")
    script = _server(tmp_path)
    env = {"SECRET_PATH": str(data / "keys.pem")}
    plain = StdioSource(argv=(sys.executable, str(script), "secret"), env=env, sandbox="bwrap")
    report = scan_source_sync(plain, limits=NORMAL)  # the script's folder is bound: it is visible
    assert json.loads(report.tools[0].tool["description"]) == {"secret": "read: private"}
    hiding = msgspec.structs.replace(plain, confinement=Confinement(hide=(str(data),)))
    report = scan_source_sync(hiding, limits=NORMAL)
    assert json.loads(report.tools[0].tool["description"]) == {"secret": "error: No such file or directory"}


@needs_bwrap
def test_a_sandboxed_server_cannot_reach_the_network_not_even_loopback(tmp_path: Path) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        env = {"PROBE_PORT": str(listener.getsockname()[1])}
        assert _scan(tmp_path, "none", ["connect"], env)[1] == {"connect": "connected"}
        result = _scan(tmp_path, "bwrap", ["connect"], env)[1]
    assert result["connect"].startswith("error: ")


@needs_bwrap
def test_a_fork_bomb_hits_the_process_limit_instead_of_the_host(tmp_path: Path) -> None:
    limits = msgspec.structs.replace(NORMAL, sandbox_max_processes=48)
    sandbox, result = _scan(tmp_path, "bwrap", ["fork"], {}, limits)
    assert sandbox == "bwrap"
    assert result["fork"]["forked"] < 48
    assert result["fork"]["error"] == "Resource temporarily unavailable"


@needs_bwrap
def test_allocating_far_more_than_the_memory_limit_fails_inside_the_server(tmp_path: Path) -> None:
    limits = msgspec.structs.replace(NORMAL, sandbox_memory_bytes=512 * MIB)
    env = {"ALLOC_BYTES": str(2048 * MIB)}
    assert _scan(tmp_path, "bwrap", ["alloc"], env, limits)[1] == {"alloc": "MemoryError"}


@needs_bwrap
def test_a_sandboxed_server_can_neither_reach_the_network_nor_write_outside_its_home(tmp_path: Path) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        env = {"PROBE_PORT": str(listener.getsockname()[1]), "PROBE_FILE": str(tmp_path / "written")}
        report = scan_source_sync(StdioSource(argv=raw_argv("probe"), env=env, sandbox="bwrap"), limits=FAST)
    assert report.source.sandbox == "bwrap"
    assert json.loads(report.tools[0].tool["description"]) == {"net": False, "write": False}
    assert not (tmp_path / "written").exists()


def test_missing_bubblewrap_is_an_error_with_an_install_hint_and_auto_runs_unconfined() -> None:
    nowhere = Confinement(bwrap="/nonexistent/bwrap")
    with pytest.raises(SourceError, match="apt-get install bubblewrap"):
        scan_source_sync(StdioSource(argv=raw_argv("exotic"), sandbox="bwrap", confinement=nowhere), limits=FAST)
    report = scan_source_sync(StdioSource(argv=raw_argv("exotic"), sandbox="auto", confinement=nowhere), limits=FAST)
    assert report.source.sandbox == "none"


def _plan(tmp_path: Path, hide: tuple[str, ...]) -> Plan:
    caps = Caps(cpu_s=5, memory_bytes=1 << 30, processes=64, file_bytes=1 << 20, home_bytes=1 << 20, uid=65534)
    shown = Bind(str(tmp_path / "shown"), str(tmp_path / "shown"))
    inside = Bind(str(tmp_path / "data" / "x"), str(tmp_path / "data" / "x"))
    return Plan(binds=(shown, inside), links=(), caps=caps, hide=hide)


def test_the_options_bind_no_host_root_and_cover_hidden_paths_inside_bound_folders(tmp_path: Path) -> None:
    (tmp_path / "shown" / "keys").mkdir(parents=True)
    (tmp_path / "shown" / "db.sqlite").write_text("")
    (tmp_path / "data" / "x").mkdir(parents=True)
    hide = (str(tmp_path / "shown" / "keys"), str(tmp_path / "shown" / "db.sqlite"), str(tmp_path / "data"))
    opts = options(_plan(tmp_path, hide), {"TOKEN": "t0ken"})
    pairs = list(zip(opts, opts[1:], opts[2:], strict=False))
    assert ("--ro-bind", "/", "/") not in pairs and ("--bind", "/", "/") not in pairs
    assert ("--ro-bind", str(tmp_path / "shown"), str(tmp_path / "shown")) in pairs
    assert ("--tmpfs", str(tmp_path / "shown" / "keys")) in itertools.pairwise(opts)
    assert ("--ro-bind", "/dev/null", str(tmp_path / "shown" / "db.sqlite")) in pairs
    assert str(tmp_path / "data" / "x") not in opts  # a bind inside a hidden folder is dropped
    assert {"--unshare-pid", "--unshare-net", "--clearenv", "--die-with-parent"} <= set(opts)
    assert ("--setenv", "TOKEN", "t0ken") in pairs


@needs_bwrap
def test_the_environment_reaches_bubblewrap_through_a_descriptor_not_the_command_line(tmp_path: Path) -> None:
    with confined(_plan(tmp_path, ()), ["/bin/true"], {"TOKEN": "t0ken"}, bwrap="bwrap") as (argv, fd):
        assert "t0ken" not in " ".join(argv)
        assert argv[1:3] == ["--args", str(fd)]
        assert b"t0ken" in os.pread(fd, 1 << 20, 0)


def test_auto_without_bubblewrap_runs_unconfined_and_says_so_in_one_line(tmp_path: Path) -> None:
    done = run_cli(
        "scan", "--format", "json", "--no-detect", "--stdio", *raw_argv("exotic"), env={"PATH": str(tmp_path)}
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["source"]["sandbox"] == "none"
    notices = [line for line in done.stderr.splitlines() if "notice" in line]
    assert notices == [
        "mcp-trust: notice: bubblewrap is not installed, so the server runs UNCONFINED with your rights "
        "(install it: apt-get install bubblewrap; --sandbox none silences this notice)"
    ]
