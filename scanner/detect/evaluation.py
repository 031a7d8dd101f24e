"""Measure a detector on a labelled JSONL corpus (what ``mcp-trust eval`` prints).

Rows are ``{"label": 0|1, "category": ..., "tool": {...}}``. Optional keys: ``server``
(a string groups rows of one server into one surface, as a scan would see them, so
same-server references resolve; an object supplies ``instructions``), ``fold``,
``placement``, ``obfuscation``. A row counts as flagged when its tool's verdict is
not ``clean`` or, for an object ``server``, any server finding is medium or worse.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import msgspec

from scanner.models import ServerInfo, Severity, ToolSurface, Verdict
from scanner.report import Detector


class CorpusRow(msgspec.Struct, frozen=True, kw_only=True):
    label: int
    category: str
    tool: dict[str, Any]
    server: str | dict[str, Any] | None = None
    fold: int | None = None
    family: str | None = None
    placement: str | None = None
    obfuscation: str | None = None
    path: str | None = None


class Counts(msgspec.Struct, kw_only=True):
    tp: int = 0
    fp: int = 0
    tn: int = 0
    fn: int = 0

    def add(self, label: int, flagged: bool) -> None:
        if label:
            self.tp += flagged
            self.fn += not flagged
        else:
            self.fp += flagged
            self.tn += not flagged

    def metrics(self) -> dict[str, float | int | None]:
        pos, neg, flagged = self.tp + self.fn, self.fp + self.tn, self.tp + self.fp
        precision = self.tp / flagged if flagged else None
        recall = self.tp / pos if pos else None
        f1 = (
            2 * precision * recall / (precision + recall)
            if precision is not None and recall is not None and precision + recall
            else None
        )
        return {
            "n": pos + neg,
            "tp": self.tp,
            "fp": self.fp,
            "tn": self.tn,
            "fn": self.fn,
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "fpr": self.fp / neg if neg else None,
        }


def decode_rows(lines: Iterable[bytes], where: str) -> list[CorpusRow]:
    from scanner.errors import SourceError

    rows = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rows.append(msgspec.json.decode(line, type=CorpusRow))
        except msgspec.DecodeError as exc:
            raise SourceError(f"{where}:{number}: {exc}") from exc
    return rows


def _surfaces(rows: list[CorpusRow]) -> list[tuple[ToolSurface, list[int], bool]]:
    """Group rows into surfaces: (surface, row indices aligned with tools, counts server findings)."""
    grouped: dict[str, list[int]] = defaultdict(list)
    out: list[tuple[ToolSurface, list[int], bool]] = []
    for i, row in enumerate(rows):
        if isinstance(row.server, str):
            grouped[row.server].append(i)
        else:
            instructions = row.server.get("instructions") if isinstance(row.server, dict) else None
            info = ServerInfo(instructions=instructions if isinstance(instructions, str) else None)
            out.append((ToolSurface(server=info, tools=[row.tool]), [i], instructions is not None))
    for server, indices in grouped.items():
        # The server's name is scanned too (typosquatting): a finding on it counts
        # against every tool of that server, as a reviewer would reject the server.
        tools = [rows[i].tool for i in indices]
        out.append((ToolSurface(server=ServerInfo(name=server), tools=tools), indices, True))
    return out


def evaluate(
    detector: Detector, rows: list[CorpusRow], progress: Callable[[int, int], None] | None = None
) -> dict[str, Any]:
    surfaces = _surfaces(rows)
    flagged = [False] * len(rows)
    elapsed = 0.0
    for done, (surface, indices, use_server) in enumerate(surfaces, 1):
        start = time.perf_counter()
        analysis = detector.analyse(surface)
        elapsed += time.perf_counter() - start
        server_hit = use_server and any(f.severity.rank >= Severity.MEDIUM.rank for f in analysis.server_findings)
        for verdict, i in zip(analysis.tool_verdicts, indices, strict=True):
            flagged[i] = verdict is not Verdict.CLEAN or server_hit
        if progress is not None and (done % 200 == 0 or done == len(surfaces)):
            progress(done, len(surfaces))
    return summarise(rows, flagged, elapsed)


def summarise(rows: list[CorpusRow], flagged: list[bool], elapsed: float) -> dict[str, Any]:
    overall = Counts()
    by: dict[str, dict[str, Counts]] = {"category": {}, "placement": {}, "obfuscation": {}}
    for row, hit in zip(rows, flagged, strict=True):
        overall.add(row.label, hit)
        for key, value in (
            ("category", row.category),
            ("placement", row.placement),
            ("obfuscation", row.obfuscation),
        ):
            if value is not None:
                by[key].setdefault(value, Counts()).add(row.label, hit)
    return {
        "overall": overall.metrics(),
        **{f"by_{key}": {name: c.metrics() for name, c in sorted(groups.items())} for key, groups in by.items()},
        "tools": len(rows),
        "seconds": elapsed,
        "tools_per_second": len(rows) / elapsed if elapsed else None,
        "flagged": [i for i, hit in enumerate(flagged) if hit],
    }
