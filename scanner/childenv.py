"""The scrubbed environment a server process gets.

A stranger's server must not see the scanning user's tokens, cloud keys or
agent sockets. It gets a short allowlist of harmless variables, a fresh
temporary HOME (so it cannot read ``~/.aws`` or ``~/.npmrc`` through ``$HOME``)
and exactly the variables the user passed on purpose.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

# Locale and terminal settings change no behaviour an attacker can use; PATH is
# needed to find interpreters (npx, node, python). Nothing else is inherited.
ALLOWLIST = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TERM", "TZ", "SYSTEMROOT")


def scrubbed_env(explicit: Mapping[str, str], home: str, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """Allowlisted variables from ``base`` (default: this process), a private HOME and
    TMPDIR, then the user's explicit variables, which win."""
    source = os.environ if base is None else base
    env = {k: source[k] for k in ALLOWLIST if k in source and not source[k].startswith("()")}
    env.setdefault("PATH", os.defpath)
    env["HOME"] = home
    env["TMPDIR"] = str(Path(home) / "tmp")
    env["XDG_CACHE_HOME"] = str(Path(home) / ".cache")
    env["XDG_CONFIG_HOME"] = str(Path(home) / ".config")
    env.update(explicit)
    return env


@contextmanager
def temp_home(prefix: str = "mcp-trust-home-") -> Iterator[str]:
    """A throwaway HOME (with ``tmp/``) removed afterwards, whatever the server left there."""
    with tempfile.TemporaryDirectory(prefix=prefix, ignore_cleanup_errors=True) as home:
        (Path(home) / "tmp").mkdir()
        yield home
