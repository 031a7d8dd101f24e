"""Measure a detector on a labelled JSONL corpus (what ``mcp-trust eval`` prints).

Rows are ``{"label": 0|1, "category": ..., "tool": {...}}``, or, for the other texts an
agent reads, ``"kind": "prompt"|"resource"|"resource_template"`` with the listed entry
under ``"item"``, or ``"kind": "instructions"`` with the server's instructions under
``"text"``. Optional keys: ``server`` (a string groups rows of one server into one
surface, as a scan would see them, so same-server references resolve; an object
supplies ``instructions`` for a single tool row), ``fold``, ``placement``,
``obfuscation``. A row counts as flagged when its own verdict is not ``clean``, or when
the server's name (a look-alike of a well-known one) has a medium or worse finding,
which a reviewer holds against every row of that server.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import Any, Literal

import msgspec

from scanner.contract.surface import ItemKind
from scanner.models import Finding, ServerInfo, Severity, ToolSurface, Verdict
from scanner.report import Analysis, Detector

RowKind = Literal["tool", "prompt", "resource", "resource_template", "instructions"]
_LISTS: dict[str, ItemKind] = {
    "prompt": ItemKind.PROMPT,
    "resource": ItemKind.RESOURCE,
    "resource_template": ItemKind.RESOURCE_TEMPLATE,
}
SERVER_NAME_PATH = "$.server.name"


class CorpusRow(msgspec.Struct, frozen=True, kw_only=True):
    """One labelled row: a tool, a prompt/resource/template (``item``) or instructions (``text``)."""

    label: int
    category: str
    kind: RowKind = "tool"
    tool: dict[str, Any] | None = None
    item: dict[str, Any] | None = None
    text: str | None = None
    server: str | dict[str, Any] | None = None
    fold: int | None = None
    family: str | None = None
    placement: str | None = None
    obfuscation: str | None = None
    path: str | None = None

    def __post_init__(self) -> None:
        if self.kind == "tool" and self.tool is None:
            raise ValueError("a tool row needs `tool` (an object)")
        if self.kind in _LISTS and self.item is None:
            raise ValueError(f"a {self.kind} row needs `item` (an object)")
        if self.kind == "instructions" and not self.text:
            raise ValueError("an instructions row needs `text` (a non-empty string)")

    @property
    def tool_name(self) -> str:
        """The tool's name (empty for rows of other kinds)."""
        return str(self.tool.get("name", "")) if self.tool is not None else ""


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


class _Unit(msgspec.Struct):
    """One surface to analyse and, per row, where its answer sits: ("tools"|list kind, index)
    or ("instructions", 0)."""

    surface: ToolSurface
    rows: list[int]
    places: list[tuple[str, int]]


def _unit(rows: list[CorpusRow], indices: list[int], name: str | None) -> _Unit:
    tools: list[dict[str, Any]] = []
    lists: dict[ItemKind, list[dict[str, Any]]] = {kind: [] for kind in _LISTS.values()}
    instructions: str | None = None
    places: list[tuple[str, int]] = []
    for i in indices:
        row = rows[i]
        if row.kind == "tool" and row.tool is not None:
            places.append(("tools", len(tools)))
            tools.append(row.tool)
            if isinstance(row.server, dict) and isinstance(row.server.get("instructions"), str):
                instructions = row.server["instructions"]
        elif row.kind == "instructions":
            places.append(("instructions", 0))
            instructions = row.text
        elif row.item is not None:
            kind = _LISTS[row.kind]
            places.append((kind.value, len(lists[kind])))
            lists[kind].append(row.item)
    surface = ToolSurface(
        server=ServerInfo(name=name, instructions=instructions),
        tools=tools,
        prompts=lists[ItemKind.PROMPT],
        resources=lists[ItemKind.RESOURCE],
        resource_templates=lists[ItemKind.RESOURCE_TEMPLATE],
    )
    return _Unit(surface, indices, places)


def _units(rows: list[CorpusRow], sources: list[int] | None) -> list[_Unit]:
    """Rows of one named server (from one source file) form one surface, named, so its name
    is judged too; any other row is a surface of its own."""
    grouped: dict[tuple[int, str], list[int]] = defaultdict(list)
    out: list[_Unit] = []
    for i, row in enumerate(rows):
        if isinstance(row.server, str):
            grouped[(sources[i] if sources is not None else 0, row.server)].append(i)
        else:
            out.append(_unit(rows, [i], None))
    out.extend(_unit(rows, indices, server) for (_, server), indices in grouped.items())
    return out


def _answers(unit: _Unit, analysis: Analysis) -> list[tuple[list[Finding], bool]]:
    """Each row's findings and whether it is flagged."""
    items = {(a.kind.value, a.index): a for a in analysis.items}
    named = [f for f in analysis.server_findings if f.path == SERVER_NAME_PATH]
    name_hit = any(f.severity.rank >= Severity.MEDIUM.rank for f in named)
    told = [f for f in analysis.server_findings if f.path != SERVER_NAME_PATH]
    told_verdict = analysis.server_verdict or Verdict.CLEAN
    out: list[tuple[list[Finding], bool]] = []
    for where, index in unit.places:
        if where == "tools":
            findings = analysis.tool_findings[index]
            verdict = analysis.tool_verdicts[index]
            if unit.surface.server.instructions is not None and len(unit.places) == 1:
                findings = findings + told  # a single tool row carrying the server's instructions
                verdict = max(verdict, told_verdict, key=lambda v: v.rank)
        elif where == "instructions":
            findings, verdict = told, told_verdict
        else:
            answer = items.get((where, index))
            findings = answer.findings if answer is not None else []
            verdict = answer.verdict if answer is not None else Verdict.CLEAN
        out.append((findings + named, verdict is not Verdict.CLEAN or name_hit))
    return out


def evaluate(
    detector: Detector,
    rows: list[CorpusRow],
    progress: Callable[[int, int], None] | None = None,
    sources: list[int] | None = None,
) -> dict[str, Any]:
    """Judge every row (grouped into surfaces) and summarise: metrics, servers, rule firings.
    ``sources`` (one number per row, such as the file it came from) keeps same-named servers
    of different files apart."""
    units = _units(rows, sources)
    flagged = [False] * len(rows)
    fired: list[set[str]] = [set() for _ in rows]
    elapsed = 0.0
    for done, unit in enumerate(units, 1):
        start = time.perf_counter()
        analysis = detector.analyse(unit.surface)
        elapsed += time.perf_counter() - start
        for i, (findings, hit) in zip(unit.rows, _answers(unit, analysis), strict=True):
            flagged[i] = hit
            fired[i] = {f.rule_id for f in findings}
        if progress is not None and (done % 200 == 0 or done == len(units)):
            progress(done, len(units))
    return summarise(rows, flagged, elapsed, fired, sources)


def summarise(
    rows: list[CorpusRow],
    flagged: list[bool],
    elapsed: float,
    fired: list[set[str]] | None = None,
    sources: list[int] | None = None,
) -> dict[str, Any]:
    overall = Counts()
    by: dict[str, dict[str, Counts]] = {"category": {}, "placement": {}, "obfuscation": {}, "kind": {}}
    for row, hit in zip(rows, flagged, strict=True):
        overall.add(row.label, hit)
        for key, value in (
            ("category", row.category),
            ("placement", row.placement),
            ("obfuscation", row.obfuscation),
            ("kind", row.kind),
        ):
            if value is not None:
                by[key].setdefault(value, Counts()).add(row.label, hit)
    return {
        "overall": overall.metrics(),
        **{f"by_{key}": {name: c.metrics() for name, c in sorted(groups.items())} for key, groups in by.items()},
        "servers": server_share(rows, flagged, sources),
        "rules": rule_firings(rows, flagged, fired) if fired is not None else {},
        "tools": len(rows),
        "seconds": elapsed,
        "tools_per_second": len(rows) / elapsed if elapsed else None,
        "flagged": [i for i, hit in enumerate(flagged) if hit],
    }


def server_share(rows: list[CorpusRow], flagged: list[bool], sources: list[int] | None = None) -> dict[str, Any]:
    """Real benign servers (rows of category ``benign`` with a ``server`` name) with at least
    one flagged row: what a reviewer meets as "this server needs a look". Hand-written hard
    negatives are invented servers and count in ``by_category`` only."""
    servers: dict[str, bool] = {}
    for i, (row, hit) in enumerate(zip(rows, flagged, strict=True)):
        if row.label == 0 and row.category == "benign" and isinstance(row.server, str):
            key = row.server if sources is None or not sources[i] else f"{row.server} ({sources[i] + 1})"
            servers[key] = servers.get(key, False) or hit
    n = len(servers)
    hits = sum(servers.values())
    return {
        "benign_servers": n,
        "flagged": hits,
        "share": hits / n if n else None,
        "flagged_servers": sorted(s for s, hit in servers.items() if hit),
    }


def rule_firings(rows: list[CorpusRow], flagged: list[bool], fired: list[set[str]]) -> dict[str, dict[str, int]]:
    """Per rule id: benign rows it fired on (any severity), those of them flagged, and attack
    rows it fired on. A rule that fires on many benign rows earns its keep only as evidence."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for row, hit, ids in zip(rows, flagged, fired, strict=True):
        for rule_id in ids:
            if row.label:
                counts[rule_id]["attack_rows"] += 1
            else:
                counts[rule_id]["benign_rows"] += 1
                counts[rule_id]["benign_flagged"] += hit
    keys = ("benign_rows", "benign_flagged", "attack_rows")
    return {rule_id: {k: c[k] for k in keys} for rule_id, c in sorted(counts.items())}
