"""Plain-text tables for people (``--format table``); machines get JSON."""

from __future__ import annotations

from collections.abc import Sequence

from scanner.models import Finding, ScanReport


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], max_width: int = 60) -> str:
    """A fixed-width table; long cells are cut with an ellipsis so lines stay readable."""
    cut = [[_cell(c, max_width) for c in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cut:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cut]
    return "\n".join(lines)


def _cell(text: str, max_width: int) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= max_width else flat[: max_width - 1] + "…"


def render_scan(report: ScanReport) -> str:
    """The scan for people: the pins, one row per tool and per other item, then the findings."""
    server = report.server
    who = " ".join(x for x in (server.name, server.version) if x) or "(unnamed server)"
    head = [
        f"server    {who}" + (f"  (protocol {server.protocol_version})" if server.protocol_version else ""),
        f"source    {report.source.kind}: {report.source.target}",
        f"manifest  {report.manifest_sha256}",
    ]
    if report.surface_sha256 is not None:
        head.append(f"surface   {report.surface_sha256}")
    head += [
        f"verdict   {report.verdict.value}  (detection: {report.detection})",
        f"tools     {len(report.tools)}   prompts {len(report.prompts)}   "
        f"resources {len(report.resources)}   templates {len(report.resource_templates)}",
    ]
    from scanner.detect.grouping import describe, summarise_tools

    summary = describe(summarise_tools(report.tools))
    head += [f"flagged   {summary[0]}", *(f"          {line.strip()}" for line in summary[1:]), ""]
    rows = [[t.name, t.sha256[:16], t.verdict.value, str(len(t.findings))] for t in report.tools]
    out = "\n".join(head) + table(["tool", "sha256 (prefix)", "verdict", "findings"], rows)
    if report.items:
        rows = [[i.kind.singular, i.key, i.sha256[:16], i.verdict.value, str(len(i.findings))] for i in report.items]
        out += "\n\n" + table(["kind", "name / uri", "sha256 (prefix)", "verdict", "findings"], rows)
    findings = [(t.name, f) for t in report.tools for f in t.findings]
    findings += [(item_label(i.kind.singular, i.key), f) for i in report.items for f in i.findings]
    findings += [("(server)", f) for f in report.server_findings]
    if findings:
        out += "\n\n" + render_findings(findings)
    return out + "\n"


def item_label(kind: str, key: str) -> str:
    """How a finding's row names a prompt, resource or template (a tool is named alone)."""
    return f"{kind} {key}"


def render_findings(findings: Sequence[tuple[str, Finding]]) -> str:
    """One row per finding, worst first; ``where`` names the tool, item or server."""
    rows = [
        [where, f.severity.value, f.rule_id, f.path, f.message]
        for where, f in sorted(findings, key=lambda wf: -wf[1].severity.rank)
    ]
    return table(["where", "severity", "rule", "path", "message"], rows)


def write_output(data: bytes, output: str | None) -> None:
    """Write to ``output`` atomically (temp file in the same folder, then rename), or
    to stdout when no file is given; a reader never sees a half-written file."""
    import os
    import sys
    import tempfile
    from pathlib import Path

    if not output or output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    from scanner.errors import SourceError

    target = Path(output)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or Path())
    except OSError as exc:
        raise SourceError(f"cannot write {target}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
