"""Registry base URLs from the user's own configuration (never built in).

Order for each ecosystem: an explicit flag, then the environment variable the
package manager itself reads, then the package manager's configuration, read
by running it with an argv list and a short timeout. A package's server.json
``registryBaseUrl`` is used only when none of these is set.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

Runner = Callable[[list[str]], str | None]


def _run(argv: list[str]) -> str | None:
    try:
        done = subprocess.run(argv, capture_output=True, timeout=10, check=False, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = done.stdout.decode("utf-8", "replace").strip()
    return text if done.returncode == 0 and text else None


def _https_base(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        return None
    return url.strip().rstrip("/")


def pypi_base_from_index(index_url: str | None) -> str | None:
    """``https://host/simple/`` (an index URL) -> ``https://host`` (the JSON API base)."""
    base = _https_base(index_url)
    if base is None:
        return None
    return base.removesuffix("/simple") if base.endswith("/simple") else base


def user_pypi_url(env: Mapping[str, str] | None = None, run: Runner = _run) -> str | None:
    env = os.environ if env is None else env
    if env.get("PIP_INDEX_URL"):
        return pypi_base_from_index(env["PIP_INDEX_URL"])
    return pypi_base_from_index(run([sys.executable, "-m", "pip", "config", "get", "global.index-url"]))


def user_npm_url(env: Mapping[str, str] | None = None, run: Runner = _run) -> str | None:
    env = os.environ if env is None else env
    for key in ("npm_config_registry", "NPM_CONFIG_REGISTRY"):
        if env.get(key):
            return _https_base(env[key])
    npm = shutil.which("npm")
    return _https_base(run([npm, "config", "get", "registry"])) if npm else None
