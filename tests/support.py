"""Helpers the test packages share."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

# The published server the scanner, registry and enforcer tests install: one pin, so one
# cached install serves every package's tests.
TIME_VERSION = "2026.10.19"  # newest mcp-server-time when this was written; pinned on purpose
TIME_NAME = "io.github.modelcontextprotocol/time"
TIME_SERVER_JSON: dict[str, Any] = {
    "$schema": "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json",
    "name": TIME_NAME,
    "description": "Time and timezone conversion",
    "version": TIME_VERSION,
    "packages": [
        {
            "registryType": "pypi",
            "identifier": "mcp-server-time",
            "version": TIME_VERSION,
            "transport": {"type": "stdio"},
        }
    ],
}


def wait_for(check: Callable[[], Any], timeout: float = 60.0, what: str = "condition") -> Any:
    """Bounded polling, the only way tests wait: return ``check()``'s first truthy value,
    or fail naming what did not happen within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.05)


def port_open(port: int) -> bool:
    """Whether something accepts connections on this loopback port."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError:
        return False
    return True


@contextmanager
def running(argv: list[str], env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[bytes]]:
    """A server process for the duration of the block, stopped (and reaped) afterwards."""
    proc = subprocess.Popen(
        argv, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
