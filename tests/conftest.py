"""Suite-wide plumbing: real external parts (PostgreSQL, Chromium, npm servers) are
used when present; where one is absent its tests are skipped and the run says so
plainly at the end. CI sets MCP_TRUST_REQUIRE_* so a missing part fails instead."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NODE_BIN = ROOT / "tests" / "fixtures" / "node" / "node_modules" / ".bin"
PG_URL = os.environ.get("MCP_TRUST_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
CHROMIUM = os.environ.get("MCP_TRUST_CHROMIUM", "/usr/bin/chromium")

_missing: dict[str, str] = {}


def _postgres_reason() -> str | None:
    try:
        import psycopg

        conninfo = PG_URL.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(conninfo, connect_timeout=2):
            return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not available here"
        return f"PostgreSQL at {PG_URL} not reachable ({type(exc).__name__})"


def _browser_reason() -> str | None:
    return None if Path(CHROMIUM).exists() else f"Debian's Chromium not found at {CHROMIUM}"


def _npm_reason() -> str | None:
    if shutil.which("node") is None:
        return "Node.js not installed"
    if not (NODE_BIN / "mcp-server-everything").exists():
        return "npm test fixtures not installed (run: python3 .ci/dev.py test)"
    return None


_CHECKS = {
    "postgres": ("MCP_TRUST_REQUIRE_POSTGRES", _postgres_reason),
    "browser": ("MCP_TRUST_REQUIRE_BROWSER", _browser_reason),
    "npm": ("MCP_TRUST_REQUIRE_NPM", _npm_reason),
}
_cache: dict[str, str | None] = {}


def missing_reason(part: str) -> str | None:
    if part not in _cache:
        _cache[part] = _CHECKS[part][1]()
    return _cache[part]


def pytest_runtest_setup(item: pytest.Item) -> None:
    for part, (require_var, _) in _CHECKS.items():
        if item.get_closest_marker(part) is None:
            continue
        reason = missing_reason(part)
        if reason is None:
            continue
        if os.environ.get(require_var):
            pytest.fail(f"{reason}, and {require_var} is set", pytrace=False)
        _missing[part] = reason
        pytest.skip(reason)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    skipped = terminalreporter.stats.get("skipped", [])
    halves = {
        "postgres": "the PostgreSQL half of the registry tests was NOT run",
        "browser": "the browser (Chromium) tests were NOT run",
        "npm": "the tests with npm-published MCP servers were NOT run",
    }
    # only skips for a missing part count (a test may skip one database for its own reason)
    missing_words = {"postgres": "PostgreSQL at", "browser": "Chromium not found", "npm": ("Node.js", "npm test")}
    said = set()
    for rep in skipped:
        text = str(rep.longrepr)
        for part, msg in halves.items():
            words = missing_words[part]
            hit = any(w in text for w in ((words,) if isinstance(words, str) else words))
            if part in rep.keywords and hit and part not in said:
                said.add(part)
                note = f"NOTE: {msg} (part missing on this machine)"
                terminalreporter.write_line(note, yellow=True)
