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

from scanner.contract.surface import ItemKind, Surface


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
    for a tool, prompt, resource or resource template finding it is relative to that item
    (``$.inputSchema.properties.x.description``, ``$.arguments[0].description``); for a
    server finding it is relative to the surface (``$.instructions``, ``$.server.name``).
    Reports of schema version 1 also kept prompt and resource findings among the server
    findings, at surface paths (``$.prompts[0].description``)."""

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
    """One tool: its hash, verdict, findings (paths relative to the tool) and wire object."""

    name: str
    sha256: str
    verdict: Verdict
    findings: list[Finding]
    tool: dict[str, Any]


class ItemReport(msgspec.Struct, frozen=True, kw_only=True):
    """One prompt, resource or resource template: its hash, verdict, findings (paths
    relative to the item) and the item exactly as its list call returned it."""

    kind: ItemKind  # "prompts", "resources" or "resource_templates": the list it came from
    key: str  # its name (prompts), uri (resources) or uriTemplate (resource templates)
    sha256: str
    verdict: Verdict
    findings: list[Finding] = msgspec.field(default_factory=list)
    item: dict[str, Any]


# 2: surface_sha256, instructions_sha256 and items; prompt and resource findings moved from
# server_findings to their item. Version 1 reports still decode (the new fields are empty).
SCHEMA_VERSION = 2


class ScanReport(msgspec.Struct, frozen=True, kw_only=True):
    """The stable JSON contract of a scan (``schema_version`` bumps on breaking change)."""

    schema_version: int = SCHEMA_VERSION
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
    # None only in reports of schema version 1, written before the whole surface was pinned
    surface_sha256: str | None = None
    instructions_sha256: str | None = None
    items: list[ItemReport] = msgspec.field(default_factory=list)

    @property
    def tool_hashes(self) -> dict[str, str]:
        """``{name: sha256}`` of every tool."""
        return {t.name: t.sha256 for t in self.tools}

    def item_hashes(self, kind: ItemKind) -> dict[str, str]:
        """``{key: sha256}`` of every listed item of one kind (tools included)."""
        if kind is ItemKind.TOOL:
            return self.tool_hashes
        return {i.key: i.sha256 for i in self.items if i.kind is kind}

    def items_of(self, kind: ItemKind) -> list[ItemReport]:
        """The item reports of one kind, in the order the server listed them."""
        return [i for i in self.items if i.kind is kind]

    def surface(self) -> Surface:
        """Everything an agent reads, in wire form: what ``surface_sha256`` is taken over."""
        return Surface(
            instructions=self.server.instructions,
            tools=[t.tool for t in self.tools],
            prompts=list(self.prompts),
            resources=list(self.resources),
            resource_templates=list(self.resource_templates),
        )

    def all_findings(self) -> list[Finding]:
        """Every finding: the tools', the other items' and the server's own."""
        tools = [f for t in self.tools for f in t.findings]
        return tools + [f for i in self.items for f in i.findings] + list(self.server_findings)


def worst_severity(findings: list[Finding]) -> Severity | None:
    return max((f.severity for f in findings), key=lambda s: s.rank, default=None)
