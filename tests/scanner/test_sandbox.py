"""``--sandbox bwrap``: the server runs without network and with a read-only file system."""

from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path

import pytest

from scanner.errors import SourceError
from scanner.sandbox import wrap_argv
from scanner.scan import scan_source_sync
from scanner.sources import StdioSource
from tests.scanner.conftest import FAST, raw_argv

needs_bwrap = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed here")


def _probe(sandbox: str, tmp_path: Path) -> dict[str, bool]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        env = {"PROBE_PORT": str(port), "PROBE_FILE": str(tmp_path / f"written-{sandbox}")}
        report = scan_source_sync(
            StdioSource(argv=raw_argv("probe"), env=env, sandbox=sandbox),  # type: ignore[arg-type]
            limits=FAST,
        )
    assert report.source.sandbox == sandbox
    result: dict[str, bool] = json.loads(report.tools[0].tool["description"])
    return result


@needs_bwrap
def test_a_sandboxed_server_can_neither_reach_the_network_nor_write_outside_its_home(tmp_path: Path) -> None:
    assert _probe("none", tmp_path) == {"net": True, "write": True}  # the probe itself works
    assert _probe("bwrap", tmp_path) == {"net": False, "write": False}
    assert not (tmp_path / "written-bwrap").exists()


def test_missing_bubblewrap_is_an_error_with_an_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda *_a, **_k: None)
    with pytest.raises(SourceError, match="apt-get install bubblewrap"):
        wrap_argv(["server"], home="/tmp/h")


@needs_bwrap
def test_bwrap_command_unshares_every_namespace_and_binds_only_home_writable() -> None:
    argv = wrap_argv(["python", "s.py"], home="/tmp/h", cwd="/srv")
    assert "--unshare-all" in argv and "--die-with-parent" in argv
    assert argv[argv.index("--ro-bind") + 1 : argv.index("--ro-bind") + 3] == ["/", "/"]
    assert argv[argv.index("--bind") + 1 : argv.index("--bind") + 3] == ["/tmp/h", "/tmp/h"]
    assert argv[-3:] == ["--", "python", "s.py"]
