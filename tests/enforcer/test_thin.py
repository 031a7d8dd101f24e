"""The enforcer stays thin: importing it (and both proxies) loads none of the heavy parts and,
of the scanner, only the contract package."""

from __future__ import annotations

import json
import subprocess
import sys

FORBIDDEN_ROOTS = ("litestar", "sqlmodel", "sqlalchemy", "sklearn", "git", "registry", "alembic")

PROBE = """
import json, sys
import gateway_enforcer, gateway_enforcer.cli, gateway_enforcer.proxy_stdio, gateway_enforcer.proxy_http
import gateway_enforcer.enforcer, gateway_enforcer.snapshot, gateway_enforcer.gate
print(json.dumps(sorted(sys.modules)))
"""


def _loaded_modules() -> list[str]:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    return list(json.loads(out.stdout))


def test_importing_the_enforcer_and_its_proxies_loads_no_registry_scanner_or_heavy_library() -> None:
    loaded = _loaded_modules()
    heavy = [m for m in loaded if m.split(".")[0] in FORBIDDEN_ROOTS]
    assert heavy == []
    scanner = {m for m in loaded if m == "scanner" or m.startswith("scanner.")}
    # the shared contract package (hashing, wire types, decide(), snapshots); nothing else of it may
    contract = {"scanner", "scanner.contract"} | {
        f"scanner.contract.{m}" for m in ("hashing", "surface", "states", "wire", "decide", "snapshot")
    }
    assert scanner <= contract
    assert "scanner.contract.decide" in scanner  # the one decision rule comes from there


def test_the_probe_would_notice_a_heavy_import() -> None:
    """Guard against a probe that cannot fail: the same check sees litestar when it is loaded."""
    out = subprocess.run(
        [sys.executable, "-c", PROBE.replace("import json, sys", "import json, sys, litestar")],
        capture_output=True, text=True, check=True,
    )
    assert "litestar" in json.loads(out.stdout)
