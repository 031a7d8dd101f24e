"""SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.

Each finding becomes a result whose rule is the finding's rule id. A scan has no
source file of its own, so results point at the scanned artifact (the
server.json, tools file or the server's target) and carry a logical location
``<tool>/<json path>`` that a reviewer can follow.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from scanner.models import Finding, ScanReport, Severity

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {
    Severity.INFO: "note",
    Severity.LOW: "note",
    Severity.MEDIUM: "warning",
    Severity.HIGH: "error",
    Severity.CRITICAL: "error",
}
# GitHub orders alerts by this 0.0-10.0 score.
_SECURITY_SEVERITY = {
    Severity.INFO: "0.0",
    Severity.LOW: "3.0",
    Severity.MEDIUM: "5.0",
    Severity.HIGH: "8.0",
    Severity.CRITICAL: "9.5",
}


def _artifact_uri(report: ScanReport) -> str:
    src = report.source
    if src.kind in ("server-json", "tools-file"):
        return quote(src.target, safe="/:@")  # a file path as a URI reference
    if src.kind in ("streamable-http", "sse"):
        return quote(src.target, safe="/:@?=&%")
    return "mcp-server"  # a stdio command is no file; a stable placeholder URI


def _rule(f: Finding) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": f.rule_id,
        "name": f.category or f.rule_id,
        "shortDescription": {"text": f"{f.category}: {f.rule_id}"},
        "defaultConfiguration": {"level": _LEVEL[f.severity]},
        "properties": {
            "security-severity": _SECURITY_SEVERITY[f.severity],
            "tags": ["security", "mcp", f.category],
        },
    }
    if f.remediation:
        rule["help"] = {"text": f.remediation}
    if f.references:
        rule["helpUri"] = f.references[0]
    return rule


def _result(f: Finding, where: str, uri: str, tool_sha: str | None) -> dict[str, Any]:
    logical = f"{where}{f.path[1:] if f.path.startswith('$') else '/' + f.path}"
    result: dict[str, Any] = {
        "ruleId": f.rule_id,
        "level": _LEVEL[f.severity],
        "message": {"text": f"{where}: {f.message}"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri},
                    "region": {"startLine": 1},
                },
                "logicalLocations": [{"name": where, "fullyQualifiedName": logical, "kind": "member"}],
            }
        ],
        "partialFingerprints": {"mcpTrust/v1": f"{where}:{f.rule_id}:{f.path}:{tool_sha or ''}"},
        "properties": {
            "confidence": f.confidence.value,
            "jsonPath": f.path,
            "matchedText": f.matched_text[:500],
        },
    }
    return result


def to_sarif(report: ScanReport) -> dict[str, Any]:
    uri = _artifact_uri(report)
    pairs: list[tuple[str, Finding, str | None]] = [(t.name, f, t.sha256) for t in report.tools for f in t.findings]
    pairs += [("server", f, None) for f in report.server_findings]
    rules: dict[str, dict[str, Any]] = {}
    for _, f, _ in pairs:
        rules.setdefault(f.rule_id, _rule(f))
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mcp-trust",
                        "version": report.scanner_version,
                        "rules": list(rules.values()),
                    }
                },
                "artifacts": [{"location": {"uri": uri}}],
                "results": [_result(f, where, uri, sha) for where, f, sha in pairs],
                "properties": {
                    "manifestSha256": report.manifest_sha256,
                    "verdict": report.verdict.value,
                    "server": report.server.name,
                },
            }
        ],
    }
