"""Running the upstream server as a child: scrubbed environment, own process group,
the whole group killed when the proxy ends (servers love to spawn helpers)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
from collections.abc import Iterable, Mapping

from gateway_enforcer.errors import UpstreamError

# Enough for interpreters and package runners to work; secrets never match these.
SAFE_ENV = (
    "PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TEMP", "TMP",
    "TERM", "SHELL", "SYSTEMROOT", "XDG_RUNTIME_DIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME",
)
SAFE_PREFIXES = ("LC_",)
MAX_LINE = 32 * 1024 * 1024  # one JSON-RPC message


def scrubbed_env(
    source: Mapping[str, str] | None = None, keep: Iterable[str] = ()
) -> dict[str, str]:
    """The child's environment: a fixed allow-list plus what the operator named."""
    source = os.environ if source is None else source
    allowed = set(SAFE_ENV) | set(keep)
    return {
        k: v for k, v in source.items()
        if k in allowed or any(k.startswith(p) for p in SAFE_PREFIXES)
    }


def spawn(argv: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start the server in its own session (so its whole process group can be killed);
    its stderr goes where ours goes (the MCP client's log)."""
    try:
        return subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=None, env=env,
            start_new_session=True, close_fds=True,
        )
    except OSError as exc:
        raise UpstreamError(f"cannot start {argv[0]!r}: {exc.strerror or exc}") from exc


async def stop(process: subprocess.Popen[bytes], grace_s: float = 2.0) -> None:
    """After stdin was closed (the polite MCP shutdown): TERM, then KILL the whole group."""
    for sig in (None, signal.SIGTERM, signal.SIGKILL):
        if sig is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, sig)
        try:
            await asyncio.to_thread(process.wait, grace_s)
        except subprocess.TimeoutExpired:
            continue
        break
    # the leader may be gone while helpers it spawned live on in the group
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
