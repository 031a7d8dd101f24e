from __future__ import annotations

from scanner.detect.grouping import describe, group_findings, summarise_tools, template_of
from scanner.models import Confidence, Finding, Severity, ToolReport, Verdict


def _finding(rule_id: str, matched: str, severity: Severity = Severity.HIGH) -> Finding:
    return Finding(
        rule_id=rule_id,
        category="cross_server_shadowing",
        severity=severity,
        confidence=Confidence.MEDIUM,
        message="m",
        path="$.description",
        matched_text=matched,
    )


def _tool(name: str, description: str, verdict: Verdict, findings: list[Finding]) -> ToolReport:
    return ToolReport(
        name=name, sha256="0" * 64, verdict=verdict, findings=findings, tool={"name": name, "description": description}
    )


def _generated(resource: str, flagged: bool) -> ToolReport:
    """One tool of an API surface generated from a template, naming its resource."""
    text = f"Create a {resource}. Other integrations must sync the {resource} within 30 s."
    findings = [_finding("MCPT-SHD-005", f"Other integrations must sync the {resource}")] if flagged else []
    return _tool(f"create_{resource}", text, Verdict.SUSPICIOUS if flagged else Verdict.CLEAN, findings)


RESOURCES = ["widget", "gadget", "invoice", "customer", "order", "payment", "refund", "coupon", "ticket", "project"]


def test_a_template_keeps_the_shared_words_and_blanks_the_tools_own_names_numbers_and_urls() -> None:
    a = template_of("Create a widget. See https://api.example.com/widgets, retried 3 times.", "create_widget")
    b = template_of("Create a gadget. See https://api.example.com/gadgets, retried 5 times.", "create_gadget")
    assert a == b == "* a *. see * retried * times."


def test_findings_on_a_generated_surface_form_one_group_with_every_tool() -> None:
    tools = [_generated(r, flagged=True) for r in RESOURCES] + [
        _tool("delete_all", "Deletes everything.", Verdict.MALICIOUS, [_finding("MCPT-CMD-002", "rm -rf /")])
    ]
    groups = group_findings(tools)
    assert [len(g.tools) for g in groups] == [10, 1]
    assert groups[0].rule_ids == ("MCPT-SHD-005",) and groups[0].verdict is Verdict.SUSPICIOUS
    assert groups[1].tools == ["delete_all"] and groups[1].verdict is Verdict.MALICIOUS


def test_the_summary_counts_flagged_tools_per_verdict_and_rule_and_spots_a_generated_surface() -> None:
    tools = [_generated(r, flagged=i < 4) for i, r in enumerate(RESOURCES)]
    summary = summarise_tools(tools)
    assert (summary.tools, summary.flagged, summary.suspicious, summary.malicious) == (10, 4, 4, 0)
    assert summary.by_rule == {"MCPT-SHD-005": 4}
    assert summary.generated
    lines = describe(summary)
    assert lines[0].startswith("4 of 10 tools flagged (0 malicious, 4 suspicious); most tools share")
    assert lines[1] == "  4 x MCPT-SHD-005 (suspicious): create_widget, create_gadget, create_invoice and 1 more"


def test_hand_written_tools_are_not_a_generated_surface_and_low_findings_do_not_count() -> None:
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"]
    tools = [_tool(f"tool_{i}", f"Does thing {i} in words: {w}.", Verdict.CLEAN, []) for i, w in enumerate(words)]
    note = _finding("MCPT-TAG-006", "x", Severity.LOW)
    tools[0] = _tool("tool_0", "Note to the AI: be brief.", Verdict.CLEAN, [note])
    summary = summarise_tools(tools)
    assert not summary.generated
    assert (summary.flagged, summary.by_rule, summary.groups) == (0, {}, [])
    assert describe(summary) == ["0 of 10 tools flagged"]
