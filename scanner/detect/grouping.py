"""How many of a server's tools are flagged and why, with findings on a generated API
surface grouped: dozens of tools written from one description template get one line,
not dozens.

``summarise_tools(report.tools)`` is what a report or a review page calls; it reads only
the verdicts and findings the detector already produced (no detection of its own), so a
reviewer sees the same evidence, counted and grouped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import msgspec

from scanner.models import Finding, Severity, ToolReport, Verdict

# A server whose tools mostly share a few description templates was generated (from an
# OpenAPI spec, a database schema, ...): its findings repeat per tool and are read once.
GENERATED_MIN_TOOLS = 10
GENERATED_SHARE = 0.5
_TEMPLATE_CHARS = 160

_URL = re.compile(r"https?://\S+")
_QUOTED = re.compile(r"`[^`]*`|\"[^\"]*\"|'[^'\s][^']*'")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"[A-Za-z][a-z]+|[A-Z]+(?![a-z])|\d+")
_SPACE = re.compile(r"\s+")


class FindingGroup(msgspec.Struct, frozen=True, kw_only=True):
    """Flagged tools with the same rules firing on text of one template."""

    rule_ids: tuple[str, ...]
    template: str  # the shared text, with names, numbers, quotes and URLs as "*"
    tools: list[str]
    verdict: Verdict  # the worst of theirs


class ServerSummary(msgspec.Struct, frozen=True, kw_only=True):
    """The flagged share of one server's tools, per rule and per template group."""

    tools: int
    flagged: int
    malicious: int
    suspicious: int
    by_rule: dict[str, int]  # rule id -> flagged tools with a medium or worse finding of it
    groups: list[FindingGroup]  # largest first
    generated: bool  # most tools share a description template


def name_words(name: str) -> set[str]:
    """The words of a tool name (``listWidgetItems``, ``list_widget_items``): the part of a
    generated description that changes from tool to tool."""
    return {w.lower() for w in _WORD.findall(name) if len(w) > 2}


def template_of(text: str, name: str = "") -> str:
    """``text`` with what varies between generated tools blanked: the tool name's own words,
    numbers, quoted values and URLs."""
    out = _URL.sub("*", text)
    out = _QUOTED.sub("*", out)
    out = _NUMBER.sub("*", out)
    words = name_words(name)
    if words:
        out = re.sub(
            r"\b(?:" + "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + r")(?:e?s)?\b",
            "*",
            out,
            flags=re.IGNORECASE,
        )
    return _SPACE.sub(" ", out).strip().lower()[:_TEMPLATE_CHARS]


def _counted(findings: list[Finding]) -> list[Finding]:
    """The findings that weigh: medium or worse (the classifier's own included)."""
    return [f for f in findings if f.severity.rank >= Severity.MEDIUM.rank]


def group_findings(tools: Sequence[ToolReport]) -> list[FindingGroup]:
    """Flagged tools grouped by (rules that weigh, template of the text they matched)."""
    groups: dict[tuple[tuple[str, ...], str], list[ToolReport]] = {}
    for tool in tools:
        if tool.verdict is Verdict.CLEAN:
            continue
        counted = _counted(tool.findings) or tool.findings
        rule_ids = tuple(sorted({f.rule_id for f in counted}))
        text = " | ".join(sorted({template_of(f.matched_text, tool.name) for f in counted}))
        groups.setdefault((rule_ids, text), []).append(tool)
    out = [
        FindingGroup(
            rule_ids=rule_ids,
            template=text,
            tools=[t.name for t in members],
            verdict=max((t.verdict for t in members), key=lambda v: v.rank),
        )
        for (rule_ids, text), members in groups.items()
    ]
    return sorted(out, key=lambda g: (-len(g.tools), g.rule_ids, g.template))


def is_generated(tools: Sequence[ToolReport]) -> bool:
    """Whether most of the server's tools share a description template."""
    if len(tools) < GENERATED_MIN_TOOLS:
        return False
    templates = Counter(template_of(str(t.tool.get("description", "")), t.name) for t in tools)
    shared = sum(n for n in templates.values() if n > 1)
    return shared / len(tools) >= GENERATED_SHARE


def summarise_tools(tools: Sequence[ToolReport]) -> ServerSummary:
    """How many of the server's tools are flagged, by which rules, grouped by template."""
    flagged = [t for t in tools if t.verdict is not Verdict.CLEAN]
    by_rule: Counter[str] = Counter()
    for tool in flagged:
        by_rule.update({f.rule_id for f in _counted(tool.findings)})
    return ServerSummary(
        tools=len(tools),
        flagged=len(flagged),
        malicious=sum(t.verdict is Verdict.MALICIOUS for t in flagged),
        suspicious=sum(t.verdict is Verdict.SUSPICIOUS for t in flagged),
        by_rule=dict(sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))),
        groups=group_findings(tools),
        generated=is_generated(tools),
    )


def describe(summary: ServerSummary, max_groups: int = 10) -> list[str]:
    """The summary as plain lines for a text report."""
    if not summary.flagged:
        return [f"0 of {summary.tools} tools flagged"]
    lines = [
        f"{summary.flagged} of {summary.tools} tools flagged"
        f" ({summary.malicious} malicious, {summary.suspicious} suspicious)"
        + ("; most tools share a description template (a generated API surface)" if summary.generated else "")
    ]
    for group in summary.groups[:max_groups]:
        names = ", ".join(group.tools[:3]) + (f" and {len(group.tools) - 3} more" if len(group.tools) > 3 else "")
        lines.append(f"  {len(group.tools)} x {', '.join(group.rule_ids)} ({group.verdict}): {names}")
    if len(summary.groups) > max_groups:
        lines.append(f"  ... {len(summary.groups) - max_groups} more groups")
    return lines
