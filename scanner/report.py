"""Assemble a ``ScanReport`` from a fetched surface and (optionally) a detector."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

import msgspec

from scanner.hashing import manifest_sha256, tool_sha256
from scanner.models import (
    Finding,
    ScanReport,
    SourceInfo,
    ToolReport,
    ToolSurface,
    Verdict,
)


class Analysis(msgspec.Struct, frozen=True, kw_only=True):
    """A detector's answer for one surface: per-tool findings and verdicts (aligned
    with ``surface.tools``) plus findings about the server itself."""

    tool_findings: list[list[Finding]]
    tool_verdicts: list[Verdict]
    server_findings: list[Finding]
    detection: str


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


def build_report(
    surface: ToolSurface, source: SourceInfo, detector: Detector | None = None
) -> ScanReport:
    """Hash every tool and the manifest, run detection, and derive verdicts."""
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
            sha256=tool_sha256(tool),
            verdict=analysis.tool_verdicts[i],
            findings=analysis.tool_findings[i],
            tool=tool,
        )
        for i, tool in enumerate(surface.tools)
    ]
    verdicts = [t.verdict for t in tools]
    if analysis.server_findings:
        verdicts.append(_server_verdict(analysis.server_findings))
    worst = max(verdicts, key=lambda v: v.rank, default=Verdict.CLEAN)
    return ScanReport(
        scanner_version=scanner_version(),
        scanned_at=now_rfc3339(),
        manifest_sha256=manifest_sha256(surface.tools),
        verdict=worst,
        detection=analysis.detection,
        server=surface.server,
        source=source,
        tools=tools,
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
    return msgspec.json.encode(report)


def report_from_json(data: bytes) -> ScanReport:
    return msgspec.json.decode(data, type=ScanReport)
