"""Config completeness and transparency: can a team install and run this as declared?

Everything here is readable offline from server.json, the scan's tool list and
the repository's file names.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from scanner.serverjson import KeyValueInput, ServerJson, is_version_range, validate_server_json
from scanner.trust.facts import Facts, git_gap
from scanner.trust.records import SignalResult, Status, not_applicable, unknown

_SECRETISH = re.compile(r"(TOKEN|SECRET|PASSW|API_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH)", re.I)
_NO_SERVER_JSON = "pass --server-json FILE"


def schema(facts: Facts, now: dt.datetime) -> SignalResult:
    """server.json valid against the official schema and the registry's rules."""
    sid = "config.schema"
    if facts.server_json is None:
        return unknown(sid, "server.json", "no server.json given", _NO_SERVER_JSON)
    issues = validate_server_json(facts.server_json.raw)
    errors = sum(1 for i in issues if i.severity == "error")
    warnings = len(issues) - errors
    score = max(0.0, 1 - 0.25 * errors - 0.08 * warnings)
    return SignalResult(
        id=sid,
        status=Status.MEASURED,
        value=f"{errors} errors, {warnings} warnings",
        source="server.json",
        subscore=round(score, 4),
        evidence=tuple(f"{i.severity} {i.path}: {i.message}" for i in issues[:10]),
        to_improve="" if not issues else "fix the server.json issues listed",
    )


def _pinned(pkg: Any) -> bool:
    if pkg.registry_type == "mcpb":
        return bool(pkg.file_sha256)
    if pkg.registry_type == "oci" and "@sha256:" in pkg.identifier:
        return True
    version = (pkg.version or "").strip()
    return bool(version) and version.lower() != "latest" and not is_version_range(version)


def pinning(facts: Facts, now: dt.datetime) -> SignalResult:
    """Every package pinned exactly (version, MCPB file hash, or OCI digest)."""
    sid = "config.pinning"
    if facts.server_json is None:
        return unknown(sid, "server.json", "no server.json given", _NO_SERVER_JSON)
    pkgs = facts.server_json.packages
    if not pkgs:
        return not_applicable(sid, "server.json", "remote-only server: nothing is installed")
    loose = [f"{p.identifier} {p.version or '(no version)'}" for p in pkgs if not _pinned(p)]
    return SignalResult(
        id=sid,
        status=Status.MEASURED,
        value=f"{len(pkgs) - len(loose)}/{len(pkgs)} pinned",
        source="server.json",
        subscore=round((len(pkgs) - len(loose)) / len(pkgs), 4),
        evidence=tuple(f"not pinned: {x}" for x in loose),
        to_improve="pin exact versions (no ranges, no latest)" if loose else "",
    )


def _input_checks(where: str, inputs: list[KeyValueInput]) -> list[tuple[bool, str]]:
    checks = []
    for var in inputs:
        checks.append((bool((var.description or "").strip()), f"{where} {var.name} described"))
        if _SECRETISH.search(var.name):
            checks.append((var.is_secret, f"{where} {var.name} marked isSecret"))
    return checks


def _declared_checks(sj: ServerJson) -> list[tuple[bool, str]]:
    checks: list[tuple[bool, str]] = []
    for pkg in sj.packages:
        kind = pkg.transport.type
        checks.append((kind in {"stdio", "streamable-http", "sse"}, f"{pkg.identifier} transport"))
        checks += _input_checks("env", pkg.environment_variables)
        checks += _input_checks("header", pkg.transport.headers)
    for remote in sj.remotes:
        checks.append((remote.url.lower().startswith("https://"), f"remote {remote.url} https"))
        checks += _input_checks("header", remote.headers)
    return checks


def declared(facts: Facts, now: dt.datetime) -> SignalResult:
    """Env vars described, secrets marked, transports declared, remotes on https."""
    sid = "config.declared"
    if facts.server_json is None:
        return unknown(sid, "server.json", "no server.json given", _NO_SERVER_JSON)
    checks = _declared_checks(facts.server_json)
    if not checks:
        return SignalResult(
            id=sid,
            status=Status.MEASURED,
            value="no packages or remotes",
            source="server.json",
            subscore=0.0,
            to_improve="declare how the server is installed or reached",
        )
    failed = [what for ok, what in checks if not ok]
    return SignalResult(
        id=sid,
        status=Status.MEASURED,
        value=f"{len(checks) - len(failed)}/{len(checks)} checks",
        source="server.json",
        subscore=round((len(checks) - len(failed)) / len(checks), 4),
        evidence=tuple(f"missing: {x}" for x in failed[:10]),
        to_improve="describe every input and mark secrets isSecret" if failed else "",
    )


def license_readme(facts: Facts, now: dt.datetime) -> SignalResult:
    """A license file (or forge-detected license) and a README."""
    sid = "config.license_readme"
    gh = facts.registry.github
    if facts.git is None and gh is None:
        return git_gap(sid, facts) or unknown(sid, "git", "no repository", "give the repository")
    names = [n.lower() for n in (facts.git.root_files if facts.git else ())]
    has_license = any(n.startswith(("license", "licence", "copying")) for n in names) or bool(
        gh and gh.license_spdx and gh.license_spdx != "NOASSERTION"
    )
    has_readme = any(n.startswith("readme") for n in names)
    if facts.git is None:  # only the forge answered: the README cannot be seen
        return SignalResult(
            id=sid,
            status=Status.MEASURED,
            source="github",
            value=f"license {gh.license_spdx if gh else None}",
            subscore=0.7 if has_license else 0.0,
            observed_at=gh.fetched_at if gh else None,
            to_improve="score with the repository to see its README",
        )
    score = 0.7 * has_license + 0.3 * has_readme
    missing = [n for n, ok in (("license", has_license), ("README", has_readme)) if not ok]
    return SignalResult(
        id=sid,
        status=Status.MEASURED,
        value="missing " + ", ".join(missing) if missing else "license and README",
        source="git",
        subscore=round(score, 4),
        evidence=(f"HEAD {facts.git.head}",),
        to_improve=f"add {' and '.join(missing)}" if missing else "",
    )


def _tool_checks(tool: dict[str, Any]) -> list[tuple[bool, str]]:
    name = str(tool.get("name"))
    checks = [
        (bool(str(tool.get("description") or "").strip()), f"{name} description"),
        (isinstance(tool.get("annotations"), dict) and bool(tool["annotations"]), f"{name} annotations"),
    ]
    schema_ = tool.get("inputSchema")
    props = schema_.get("properties") if isinstance(schema_, dict) else None
    for pname, raw in (props if isinstance(props, dict) else {}).items():
        prop = raw if isinstance(raw, dict) else {}
        typed = any(k in prop for k in ("type", "enum", "const", "anyOf", "oneOf", "$ref"))
        checks.append((typed, f"{name}.{pname} typed"))
        checks.append((bool(str(prop.get("description") or "").strip()), f"{name}.{pname} described"))
    return checks


def tools(facts: Facts, now: dt.datetime) -> SignalResult:
    """Tools described, parameters typed and described, annotations present."""
    sid = "config.tools"
    if facts.scan is None:
        return unknown(sid, "scan", "no scan report, so no tool list", "pass --scan scan.json from 'mcp-trust scan'")
    if not facts.scan.tools:
        return not_applicable(sid, "scan", "the server lists no tools")
    checks = [c for t in facts.scan.tools for c in _tool_checks(t.tool)]
    failed = [what for ok, what in checks if not ok]
    return SignalResult(
        id=sid,
        status=Status.MEASURED,
        value=f"{len(checks) - len(failed)}/{len(checks)} checks",
        source="scan",
        subscore=round((len(checks) - len(failed)) / len(checks), 4),
        evidence=tuple(f"missing: {x}" for x in failed[:10]),
        to_improve="describe tools and parameters; add annotations" if failed else "",
    )
