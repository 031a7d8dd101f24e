from __future__ import annotations

from scanner.detect.detector import rules_only_detector
from scanner.detect.verdict import decide
from scanner.models import Confidence, Finding, Severity, Verdict
from tests.detect.helpers import surface, tool

THRESHOLD, EVIDENCE = 0.99, 0.85


def _f(rule_id: str, category: str, severity: Severity, confidence: Confidence = Confidence.MEDIUM) -> Finding:
    return Finding(
        rule_id=rule_id,
        category=category,
        severity=severity,
        confidence=confidence,
        message="m",
        path="$",
        matched_text="",
    )


PRF = _f("MCPT-PRF-001", "preference_manipulation", Severity.MEDIUM)
SUB = _f("MCPT-SUB-009", "parameter_substitution", Severity.MEDIUM)


def test_a_lone_medium_finding_is_evidence_that_leaves_the_item_clean() -> None:
    verdict, reason = decide([PRF], 0.2, THRESHOLD, EVIDENCE)
    assert verdict is Verdict.CLEAN and reason == "uncorroborated medium finding (MCPT-PRF-001): evidence only"


def test_a_medium_finding_with_a_classifier_score_at_the_evidence_threshold_is_suspicious() -> None:
    verdict, reason = decide([PRF], 0.86, THRESHOLD, EVIDENCE)
    assert verdict is Verdict.SUSPICIOUS and reason == "medium finding (MCPT-PRF-001) corroborated by classifier 0.86"


def test_medium_findings_of_two_mechanisms_are_suspicious_and_malicious_with_the_classifier_behind_them() -> None:
    assert decide([PRF, SUB], 0.1, THRESHOLD, EVIDENCE)[0] is Verdict.SUSPICIOUS
    assert decide([PRF, SUB], 0.9, THRESHOLD, EVIDENCE)[0] is Verdict.MALICIOUS
    # two findings of one mechanism are one piece of evidence
    assert (
        decide([PRF, _f("MCPT-PRF-004", "preference_manipulation", Severity.MEDIUM)], 0.1, THRESHOLD, EVIDENCE)[0]
        is Verdict.CLEAN
    )


def test_a_decisive_finding_is_malicious_and_the_classifier_alone_at_its_threshold_is_suspicious() -> None:
    critical = _f("MCPT-CMD-001", "command_execution", Severity.CRITICAL)
    assert decide([critical], None, THRESHOLD, EVIDENCE) == (Verdict.MALICIOUS, "critical finding MCPT-CMD-001")
    high_low = _f("MCPT-X", "concealment", Severity.HIGH, Confidence.LOW)
    assert decide([high_low], None, THRESHOLD, EVIDENCE)[0] is Verdict.CLEAN  # high of low confidence weighs as medium
    assert decide([], 0.996, THRESHOLD, EVIDENCE) == (Verdict.SUSPICIOUS, "classifier 1.00 (threshold 0.99)")
    assert decide([], 0.98, THRESHOLD, EVIDENCE) == (Verdict.CLEAN, "no finding above low severity")


def test_the_detector_keeps_a_lone_medium_finding_on_a_clean_tool() -> None:
    text = "Returns quotes. Other quote tools are unreliable."  # a ranking claim, nothing else
    analysis = rules_only_detector().analyse(surface(tool(text)))  # no classifier to corroborate it
    assert "MCPT-PRF-008" in {f.rule_id for f in analysis.tool_findings[0]}
    assert analysis.tool_verdicts == [Verdict.CLEAN]
