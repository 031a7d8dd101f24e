"""Shared helpers for the scanner tests: fixture servers and running the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scanner.limits import Limits

ROOT = Path(__file__).resolve().parents[2]
SERVERS = ROOT / "tests" / "fixtures" / "servers"
SDK_SERVER = SERVERS / "sdk_server.py"
RAW_SERVER = SERVERS / "raw_server.py"

# Small bounds keep the hostile-server tests fast (the raw fixture starts in milliseconds).
FAST = Limits(start_timeout_s=8, request_timeout_s=8, total_timeout_s=20)
# SDK servers import a lot; on a loaded CI box their start-up alone can take seconds.
NORMAL = Limits(start_timeout_s=60, request_timeout_s=30, total_timeout_s=120)


def sdk_argv(*extra: str) -> tuple[str, ...]:
    return (sys.executable, str(SDK_SERVER), *extra)


def raw_argv(mode: str, *extra: str) -> tuple[str, ...]:
    return (sys.executable, str(RAW_SERVER), mode, *extra)


def run_cli(*args: str, timeout: float = 120, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real ``mcp-trust`` entry point in a fresh process (stdout and stderr apart)."""
    return subprocess.run(
        [sys.executable, "-m", "registry.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        check=False,
    )


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
