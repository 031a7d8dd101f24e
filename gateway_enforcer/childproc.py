"""Running the upstream server as a child: scrubbed environment, own process group,
the whole group killed when the proxy ends (servers love to spawn helpers)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Iterable, Mapping

# Enough for interpreters and package runners to work; secrets never match these.
SAFE_ENV = (
    "PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TEMP", "TMP",
    "TERM", "SHELL", "SYSTEMROOT", "XDG_RUNTIME_DIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME",
)
SAFE_PREFIXES = ("LC_",)
MAX_LINE = 32 * 1024 * 1024


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


async def spawn(argv: list[str], env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        *argv,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=None,  # the server's log goes where ours goes (the MCP client's log)
        env=env,
        start_new_session=True,
        limit=MAX_LINE,
    )


async def stop(process: asyncio.subprocess.Process, grace_s: float = 2.0) -> None:
    """Close stdin (the polite MCP shutdown), then TERM, then KILL the whole group."""
    if process.stdin is not None:
        with contextlib.suppress(OSError, RuntimeError):
            process.stdin.close()
    for sig in (None, signal.SIGTERM, signal.SIGKILL):
        if sig is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, sig)
        try:
            await asyncio.wait_for(process.wait(), grace_s)
        except TimeoutError:
            continue
        break
    # the leader may be gone while helpers it spawned live on in the group
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
