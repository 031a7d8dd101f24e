"""The report's surface contract without a server: saved surfaces read offline, older
reports still read, item findings weigh on the verdict, and the surface diff's API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec
import pytest

from scanner.cli.scan import exit_code
from scanner.contract.surface import ItemKind, Surface
from scanner.diff import diff_reports, diff_surfaces, render_diff
from scanner.errors import ScannerError
from scanner.limits import DEFAULT_LIMITS
from scanner.models import Confidence, Finding, ServerInfo, Severity, SourceInfo, ToolSurface, Verdict
from scanner.report import Analysis, ItemAnalysis, build_report, report_from_builtins, report_from_json
from scanner.sarif import to_sarif
from scanner.toolsfile import load_surface
from tests.scanner.surface_support import expected_surface_sha256, sha

TOOLS = [{"name": "read", "description": "Read a file.", "inputSchema": {"type": "object"}}]
PROMPTS = [{"name": "review", "description": "Review a change.", "arguments": [{"name": "diff"}]}]
RESOURCES = [{"uri": "file:///b", "name": "b"}, {"uri": "file:///a", "name": "a", "description": "The a file."}]
TEMPLATES = [{"uriTemplate": "file:///{path}", "name": "files"}]
SOURCE = SourceInfo(kind="tools-file", target="surface.json")


def _finding(path: str, severity: Severity = Severity.CRITICAL) -> Finding:
    return Finding(
        rule_id="MCPT-TEST-001",
        category="concealment",
        severity=severity,
        confidence=Confidence.HIGH,
        message="hides something from the user",
        path=path,
        matched_text="do not tell",
    )


class _ResourceFinder:
    """A detector stand-in that judges the second resource only: reporting is under test."""

    def analyse(self, surface: ToolSurface) -> Analysis:
        n = len(surface.tools)
        flagged = ItemAnalysis(
            kind=ItemKind.RESOURCE, index=1, findings=[_finding("$.description")], verdict=Verdict.MALICIOUS
        )
        return Analysis(
            tool_findings=[[] for _ in range(n)],
            tool_verdicts=[Verdict.CLEAN] * n,
            server_findings=[],
            detection="test",
            items=[flagged],
            server_verdict=Verdict.CLEAN,
        )


def _surface(**kw: Any) -> ToolSurface:
    lists: dict[str, Any] = {"prompts": PROMPTS, "resources": RESOURCES, "resource_templates": TEMPLATES}
    lists.update(kw)
    return ToolSurface(server=ServerInfo(instructions="Read before you write."), tools=TOOLS, **lists)


def _write(tmp_path: Path, doc: Any) -> Path:
    path = tmp_path / "surface.json"
    path.write_text(json.dumps(doc))
    return path


@pytest.mark.parametrize("templates_key", ["resourceTemplates", "resource_templates"])
def test_a_saved_surface_with_every_list_and_instructions_is_pinned_as_a_server_would_be(
    tmp_path: Path, templates_key: str
) -> None:
    doc = {"instructions": "Read before you write.", "tools": TOOLS, "prompts": PROMPTS, "resources": RESOURCES}
    doc[templates_key] = TEMPLATES
    report = build_report(load_surface(_write(tmp_path, doc), DEFAULT_LIMITS), SOURCE)
    expected = {**doc, "resource_templates": TEMPLATES}
    assert report.surface_sha256 == expected_surface_sha256(expected)
    assert report.instructions_sha256 == sha("Read before you write.")
    assert report.item_hashes(ItemKind.RESOURCE) == {"file:///b": sha(RESOURCES[0]), "file:///a": sha(RESOURCES[1])}


def test_a_tools_only_file_pins_empty_lists_and_null_instructions(tmp_path: Path) -> None:
    report = build_report(load_surface(_write(tmp_path, {"tools": TOOLS}), DEFAULT_LIMITS), SOURCE)
    empty = {"instructions": None, "tools": TOOLS, "prompts": [], "resources": [], "resource_templates": []}
    assert report.surface_sha256 == expected_surface_sha256(empty)
    assert report.instructions_sha256 == sha(None) and report.items == []


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ({"prompts": {"name": "p"}}, "'prompts' is not an array"),
        ({"resources": ["file:///x"]}, "not an object"),
        ({"instructions": 7}, "'instructions' is not a string"),
        ({"resourceTemplates": [], "resource_templates": []}, "keep one"),
        ({"prompts": [{"name": "p", "description": "x" * (DEFAULT_LIMITS.max_tool_bytes + 1)}]}, "bound"),
    ],
)
def test_a_bad_list_or_instructions_in_a_saved_surface_is_refused_with_a_reason(
    tmp_path: Path, extra: dict[str, Any], reason: str
) -> None:
    with pytest.raises(ScannerError, match=reason):
        load_surface(_write(tmp_path, {"tools": TOOLS, **extra}), DEFAULT_LIMITS)


def test_an_item_finding_points_at_the_item_and_makes_the_verdict() -> None:
    report = build_report(_surface(), SOURCE, _ResourceFinder())
    flagged = report.items_of(ItemKind.RESOURCE)[1]
    assert (flagged.key, flagged.verdict, flagged.findings[0].path) == ("file:///a", Verdict.MALICIOUS, "$.description")
    assert report.verdict is Verdict.MALICIOUS and report.server_findings == []
    assert exit_code(report, Verdict.MALICIOUS) == 1
    assert [f.path for f in report.all_findings()] == ["$.description"]
    (result,) = to_sarif(report)["runs"][0]["results"]
    assert result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "resources[file:///a].description"
    assert result["partialFingerprints"]["mcpTrust/v1"].endswith(f":{flagged.sha256}")


def test_a_detector_that_judges_only_tools_leaves_every_item_clean_but_hashed() -> None:
    class ToolsOnly:
        def analyse(self, surface: ToolSurface) -> Analysis:
            n = len(surface.tools)
            verdicts = [Verdict.CLEAN] * n
            return Analysis(tool_findings=[[]] * n, tool_verdicts=verdicts, server_findings=[], detection="t")

    report = build_report(_surface(), SOURCE, ToolsOnly())
    assert [(i.key, i.verdict) for i in report.items] == [
        ("review", Verdict.CLEAN), ("file:///b", Verdict.CLEAN), ("file:///a", Verdict.CLEAN),
        ("file:///{path}", Verdict.CLEAN),
    ]  # fmt: skip
    assert all(i.sha256 == sha(i.item) for i in report.items)


def test_a_schema_version_1_report_still_reads_with_no_surface_pin() -> None:
    current = build_report(_surface(), SOURCE, _ResourceFinder())
    stored = msgspec.to_builtins(current)
    for key in ("surface_sha256", "instructions_sha256", "items"):
        del stored[key]
    stored["schema_version"] = 1
    stored["server_findings"] = [msgspec.to_builtins(_finding("$.prompts[0].description", Severity.MEDIUM))]
    old = report_from_json(json.dumps(stored).encode())
    assert (old.schema_version, old.surface_sha256, old.items) == (1, None, [])
    assert [f.path for f in old.all_findings()] == ["$.prompts[0].description"]
    assert report_from_builtins(stored) == old
    assert old.surface() == current.surface()  # the lists it kept are the surface
    assert diff_reports(old, current).identical


def test_a_renamed_prompt_an_added_resource_and_new_instructions_are_each_reported() -> None:
    old = Surface(instructions=None, tools=TOOLS, prompts=PROMPTS, resources=RESOURCES[:1])
    new = Surface(
        instructions="Now with instructions.",
        tools=TOOLS,
        prompts=[{**PROMPTS[0], "name": "review_v2"}],
        resources=RESOURCES,
    )
    d = diff_surfaces(old, new)
    assert not d.identical and d.old_manifest_sha256 == d.new_manifest_sha256
    assert [(r.old_name, r.new_name) for r in d.prompts.renamed] == [("review", "review_v2")]
    assert (d.resources.added, d.resources.unchanged) == (["file:///a"], ["file:///b"])
    assert d.resource_templates.identical and d.items(ItemKind.PROMPT) is d.prompts
    assert d.instructions is not None and (d.instructions.old, d.instructions.new) == (None, "Now with instructions.")
    text = render_diff(d)
    assert "~ renamed  prompt review -> review_v2 (same body)" in text
    assert "+ added    resource file:///a" in text
    assert "+Now with instructions." in text
    assert [(c.kind, c.key, c.change) for c in d.changes()] == [
        (ItemKind.PROMPT, "review_v2", "renamed"),
        (ItemKind.RESOURCE, "file:///a", "added"),
        ("instructions", "", "changed"),
    ]


def test_identical_surfaces_diff_as_identical() -> None:
    s = Surface(instructions="x", tools=TOOLS, prompts=PROMPTS, resources=RESOURCES, resource_templates=TEMPLATES)
    d = diff_surfaces(s, s)
    assert d.identical and d.changes() == [] and d.instructions is None
    assert "identical: no item was added, removed or changed" in render_diff(d)
