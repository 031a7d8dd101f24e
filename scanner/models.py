"""Typed records shared by every part of the scanner (and stored by the registry).

Data flows one way: a source is fetched into a ``ToolSurface`` (raw wire dicts,
exactly as the server sent them), detection turns the surface into findings,
and ``scanner.report.build_report`` assembles the ``ScanReport`` whose JSON
form is the stable machine contract of ``mcp-trust scan --format json``.
"""

from __future__ import annotations

import enum
from typing import Any

import msgspec


class Severity(enum.StrEnum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {
    Severity.INFO: 0,
    Severity.LOW: 1,
    Severity.MEDIUM: 2,
    Severity.HIGH: 3,
    Severity.CRITICAL: 4,
}


class Confidence(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Verdict(enum.StrEnum):
    CLEAN = "clean"
    SUSPICIOUS = "suspicious"
    MALICIOUS = "malicious"

    @property
    def rank(self) -> int:
        return {"clean": 0, "suspicious": 1, "malicious": 2}[self.value]


class Finding(msgspec.Struct, frozen=True, kw_only=True):
    """One piece of evidence. ``path`` is a JSON path into the object that was scanned:
    for a tool finding it is relative to the tool (``$.inputSchema.properties.x.description``);
    for a server finding it is relative to the surface (``$.instructions``,
    ``$.prompts[0].description``)."""

    rule_id: str
    category: str
    severity: Severity
    confidence: Confidence
    message: str
    path: str
    matched_text: str
    source: str = "rule"  # rule | classifier | normaliser | typosquat | scanner
    remediation: str = ""
    references: tuple[str, ...] = ()


class ServerInfo(msgspec.Struct, frozen=True, kw_only=True):
    """What the server said about itself in ``initialize`` (wire values)."""

    name: str | None = None
    version: str | None = None
    title: str | None = None
    protocol_version: str | None = None
    instructions: str | None = None
    capabilities: dict[str, Any] = msgspec.field(default_factory=dict)


class SourceInfo(msgspec.Struct, frozen=True, kw_only=True):
    """How the surface was obtained; never carries secrets (headers and env values are dropped)."""

    kind: str  # stdio | streamable-http | sse | server-json | tools-file
    target: str  # argv joined for display, URL, or file path
    server_json_name: str | None = None
    package: str | None = None  # e.g. "pypi:mcp-server-time==2025.9.25"
    sandbox: str | None = None


class ToolSurface(msgspec.Struct, frozen=True, kw_only=True):
    """Everything an agent reads from a server, in wire form (camelCase, as sent)."""

    server: ServerInfo
    tools: list[dict[str, Any]]
    prompts: list[dict[str, Any]] = msgspec.field(default_factory=list)
    resources: list[dict[str, Any]] = msgspec.field(default_factory=list)
    resource_templates: list[dict[str, Any]] = msgspec.field(default_factory=list)


class ToolReport(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    sha256: str
    verdict: Verdict
    findings: list[Finding]
    tool: dict[str, Any]


class ScanReport(msgspec.Struct, frozen=True, kw_only=True):
    """The stable JSON contract of a scan (``schema_version`` bumps on breaking change)."""

    schema_version: int = 1
    scanner_version: str
    scanned_at: str  # RFC 3339, UTC
    manifest_sha256: str
    verdict: Verdict
    detection: str  # which detectors ran, e.g. "rules+classifier", or "not_available"
    server: ServerInfo
    source: SourceInfo
    tools: list[ToolReport]
    server_findings: list[Finding] = msgspec.field(default_factory=list)
    prompts: list[dict[str, Any]] = msgspec.field(default_factory=list)
    resources: list[dict[str, Any]] = msgspec.field(default_factory=list)
    resource_templates: list[dict[str, Any]] = msgspec.field(default_factory=list)
    trust: dict[str, Any] | None = None  # the trust-score breakdown, when it was computed

    @property
    def tool_hashes(self) -> dict[str, str]:
        return {t.name: t.sha256 for t in self.tools}

    def all_findings(self) -> list[Finding]:
        return [f for t in self.tools for f in t.findings] + list(self.server_findings)


def worst_severity(findings: list[Finding]) -> Severity | None:
    return max((f.severity for f in findings), key=lambda s: s.rank, default=None)
