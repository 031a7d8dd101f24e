"""SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.

Each finding becomes a result whose rule is the finding's rule id. A scan has no
source file of its own, so results point at the scanned artifact (the
server.json, tools file or the server's target) and carry a logical location that
names the item and the field a reviewer can follow: ``<tool>.<path>`` for a tool
(``read.description``), ``<kind>[<key>].<path>`` for a prompt, resource or resource
template (``prompts[summarise].description``) and ``server.<path>`` for the server's
instructions and name. The location's properties (and the result's) carry the item's
kind, key and SHA-256 and the JSON path relative to the item.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import msgspec

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


class Where(msgspec.Struct, frozen=True, kw_only=True):
    """What a result points at: a tool, another listed item, or the server itself."""

    kind: str  # "tools", "prompts", "resources", "resource_templates" or "server"
    key: str  # the item's name, uri or uriTemplate; "server" for the server
    sha256: str | None = None

    @property
    def label(self) -> str:
        return self.key if self.kind in ("tools", "server") else f"{self.kind}[{self.key}]"


def _result(f: Finding, where: Where, uri: str) -> dict[str, Any]:
    logical = f"{where.label}{f.path[1:] if f.path.startswith('$') else '/' + f.path}"
    item = {"itemKind": where.kind, "itemKey": where.key, "jsonPath": f.path}
    if where.sha256 is not None:
        item["itemSha256"] = where.sha256
    result: dict[str, Any] = {
        "ruleId": f.rule_id,
        "level": _LEVEL[f.severity],
        "message": {"text": f"{where.label}: {f.message}"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri},
                    "region": {"startLine": 1},
                },
                "logicalLocations": [
                    {"name": where.key, "fullyQualifiedName": logical, "kind": "member", "properties": item}
                ],
            }
        ],
        "partialFingerprints": {"mcpTrust/v1": f"{where.label}:{f.rule_id}:{f.path}:{where.sha256 or ''}"},
        "properties": {
            **item,
            "confidence": f.confidence.value,
            "matchedText": f.matched_text[:500],
        },
    }
    return result


def _pairs(report: ScanReport) -> list[tuple[Finding, Where]]:
    pairs = [(f, Where(kind="tools", key=t.name, sha256=t.sha256)) for t in report.tools for f in t.findings]
    pairs += [(f, Where(kind=i.kind.value, key=i.key, sha256=i.sha256)) for i in report.items for f in i.findings]
    server = Where(kind="server", key="server", sha256=None)
    return pairs + [(f, server) for f in report.server_findings]


def to_sarif(report: ScanReport) -> dict[str, Any]:
    """The report as one SARIF 2.1.0 run: a result per finding, pointing at its item."""
    uri = _artifact_uri(report)
    pairs = _pairs(report)
    rules: dict[str, dict[str, Any]] = {}
    for f, _ in pairs:
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
                "results": [_result(f, where, uri) for f, where in pairs],
                "properties": {
                    "manifestSha256": report.manifest_sha256,
                    "surfaceSha256": report.surface_sha256,
                    "protocolVersion": report.server.protocol_version,
                    "verdict": report.verdict.value,
                    "server": report.server.name,
                },
            }
        ],
    }
