"""Security evidence outside the tool surface: known vulnerabilities, a disclosure policy."""

from __future__ import annotations

import datetime as dt

from scanner.trust.facts import Facts, git_gap, oldest
from scanner.trust.records import Flag, SignalResult, Status, not_applicable, unknown

_POLICY_FILES = ("security.md", "security.rst", "security.txt", "security")


def vulnerabilities(facts: Facts, now: dt.datetime) -> SignalResult:
    """Known vulnerabilities of the exact package version (PyPI reports OSV ids)."""
    sid = "security.vulnerabilities"
    if facts.server_json is None:
        return unknown(sid, "registry", "no server.json, so no package version", "pass --server-json FILE")
    if not facts.server_json.packages:
        return not_applicable(sid, "server.json", "remote-only server: no package is installed")
    pkgs = [p for p in facts.registry.packages if p.registry_type == "pypi"]
    if len(pkgs) != len(facts.server_json.packages) or any(p.state != "fetched" for p in pkgs):
        return unknown(
            sid,
            "registry",
            "no vulnerability data for every package (only PyPI's answer carries it, and only online)",
            "run online against the PyPI-compatible index, or import OSV evidence",
        )
    ids = [v for p in pkgs for v in p.vulnerabilities]
    flags = [Flag.MALICIOUS] if any(v.upper().startswith("MAL-") for v in ids) else []
    return SignalResult(
        id=sid,
        status=Status.MEASURED,
        value=f"{len(ids)} known" if ids else "none known",
        source="pypi",
        subscore=max(0.0, 1 - 0.2 * len(ids)),
        evidence=tuple(ids[:20]),
        flags=tuple(flags),
        observed_at=oldest(*(p.fetched_at for p in pkgs)),
        to_improve="upgrade to a fixed version" if ids else "",
    )


def security_policy(facts: Facts, now: dt.datetime) -> SignalResult:
    """A SECURITY policy file at the top, in .github/ or in docs/."""
    sid = "security.policy"
    if (gap := git_gap(sid, facts)) is not None:
        return gap
    assert facts.git is not None
    found = [n for n in facts.git.root_files if n.rsplit("/", 1)[-1].lower() in _POLICY_FILES]
    return SignalResult(
        id=sid,
        status=Status.MEASURED,
        value=found[0] if found else "none",
        source="git",
        subscore=1.0 if found else 0.0,
        evidence=(f"HEAD {facts.git.head}",),
        to_improve="" if found else "add SECURITY.md saying how to report a vulnerability",
    )
