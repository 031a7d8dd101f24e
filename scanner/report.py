"""Assemble a ``ScanReport`` from a fetched surface and (optionally) a detector."""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

import msgspec

from scanner.contract.decide import instructions_sha256
from scanner.contract.hashing import manifest_sha256
from scanner.contract.surface import ItemKind, Surface, item_key, item_sha256, surface_sha256
from scanner.models import (
    Finding,
    ItemReport,
    ScanReport,
    SourceInfo,
    ToolReport,
    ToolSurface,
    Verdict,
)

# The lists beyond the tools, in the order a report lists their items.
ITEM_KINDS = (ItemKind.PROMPT, ItemKind.RESOURCE, ItemKind.RESOURCE_TEMPLATE)


class ItemAnalysis(msgspec.Struct, frozen=True, kw_only=True):
    """A detector's answer for one prompt, resource or resource template (``index`` is its
    position in that list of the surface)."""

    kind: ItemKind
    index: int
    findings: list[Finding]
    verdict: Verdict


class Analysis(msgspec.Struct, frozen=True, kw_only=True):
    """A detector's answer for one surface: per-tool findings and verdicts (aligned
    with ``surface.tools``), the other items' answers and findings about the server itself
    (its instructions and name). An item without an answer is clean; ``server_verdict``
    None means it is derived from the server findings' severities."""

    tool_findings: list[list[Finding]]
    tool_verdicts: list[Verdict]
    server_findings: list[Finding]
    detection: str
    items: list[ItemAnalysis] = msgspec.field(default_factory=list)
    server_verdict: Verdict | None = None


class Detector(Protocol):
    def analyse(self, surface: ToolSurface) -> Analysis: ...


def scanner_version() -> str:
    from importlib import metadata  # ~15 ms of imports, only when a report is written

    try:
        return metadata.version("mcp-trust")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def now_rfc3339() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def wire_surface(surface: ToolSurface) -> Surface:
    """The contract's view of a fetched surface (what ``surface_sha256`` is taken over)."""
    return Surface(
        instructions=surface.server.instructions,
        tools=surface.tools,
        prompts=surface.prompts,
        resources=surface.resources,
        resource_templates=surface.resource_templates,
    )


def item_reports(surface: ToolSurface, analysis: Analysis) -> list[ItemReport]:
    """One report per prompt, resource and resource template, hashed and judged."""
    answers = {(a.kind, a.index): a for a in analysis.items}
    listed = wire_surface(surface)
    out: list[ItemReport] = []
    for kind in ITEM_KINDS:
        for i, item in enumerate(listed.items(kind)):
            answer = answers.get((kind, i))
            out.append(
                ItemReport(
                    kind=kind,
                    key=item_key(kind, item),
                    sha256=item_sha256(item),
                    verdict=answer.verdict if answer is not None else Verdict.CLEAN,
                    findings=answer.findings if answer is not None else [],
                    item=item,
                )
            )
    return out


def build_report(surface: ToolSurface, source: SourceInfo, detector: Detector | None = None) -> ScanReport:
    """Hash every listed item, the manifest and the whole surface, run detection, and
    derive verdicts: the report's verdict is the worst of the tools', items' and server's."""
    n = len(surface.tools)
    if detector is None:
        analysis = Analysis(
            tool_findings=[[] for _ in range(n)],
            tool_verdicts=[Verdict.CLEAN] * n,
            server_findings=[],
            detection="not_available",
        )
    else:
        analysis = detector.analyse(surface)
    tools = [
        ToolReport(
            name=str(tool.get("name", "")),
            sha256=item_sha256(tool),
            verdict=analysis.tool_verdicts[i],
            findings=analysis.tool_findings[i],
            tool=tool,
        )
        for i, tool in enumerate(surface.tools)
    ]
    items = item_reports(surface, analysis)
    verdicts = [t.verdict for t in tools] + [i.verdict for i in items]
    if analysis.server_verdict is not None:
        verdicts.append(analysis.server_verdict)
    elif analysis.server_findings:
        verdicts.append(_server_verdict(analysis.server_findings))
    worst = max(verdicts, key=lambda v: v.rank, default=Verdict.CLEAN)
    return ScanReport(
        scanner_version=scanner_version(),
        scanned_at=now_rfc3339(),
        manifest_sha256=manifest_sha256(surface.tools),
        surface_sha256=surface_sha256(wire_surface(surface)),
        instructions_sha256=instructions_sha256(surface.server.instructions),
        verdict=worst,
        detection=analysis.detection,
        server=surface.server,
        source=source,
        tools=tools,
        items=items,
        server_findings=analysis.server_findings,
        prompts=surface.prompts,
        resources=surface.resources,
        resource_templates=surface.resource_templates,
    )


def _server_verdict(findings: list[Finding]) -> Verdict:
    ranks = {f.severity.rank for f in findings}
    if max(ranks) >= 4:
        return Verdict.MALICIOUS
    if max(ranks) >= 2:
        return Verdict.SUSPICIOUS
    return Verdict.CLEAN


def report_to_json(report: ScanReport) -> bytes:
    """The JSON contract of ``mcp-trust scan --format json``."""
    return msgspec.json.encode(report)


def report_from_json(data: bytes) -> ScanReport:
    """A saved report of any schema version this scanner has written (version 1 reports
    decode with no surface hash and no item reports)."""
    return msgspec.json.decode(data, type=ScanReport)


def report_from_builtins(stored: dict[str, Any]) -> ScanReport:
    """A report stored as plain JSON data (``msgspec.to_builtins``), of any schema version."""
    return msgspec.convert(stored, ScanReport)
