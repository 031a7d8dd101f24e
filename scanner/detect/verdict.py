"""Combine rule, normaliser and classifier evidence into one verdict per tool, prompt,
resource, resource template and the server's instructions (one rule for every text an
agent reads).

The policy is deliberately small and explainable: a reviewer can recompute it
from the findings in the report.
"""

from __future__ import annotations

from scanner.models import Confidence, Finding, Severity, Verdict

# A classifier score at or above the model's threshold makes an item suspicious on its own;
# at or above this one, a medium rule finding with it makes the item malicious.
CORROBORATING_PROBABILITY = 0.9


def combine(
    findings: list[Finding], probability: float | None, threshold: float, evidence: float | None = None
) -> Verdict:
    """The verdict on one item from its findings and its best classifier score (``evidence``:
    the model's lower threshold, at which a score corroborates a medium finding)."""
    return decide(findings, probability, threshold, evidence)[0]


def decide(
    findings: list[Finding], probability: float | None, threshold: float, evidence: float | None = None
) -> tuple[Verdict, str]:
    """The verdict and the one-line reason a reviewer can check against the findings.

    - malicious: a critical finding, or a high one of medium/high confidence; or medium
      findings of two categories with a classifier score at the evidence threshold; or a
      medium finding with a score at ``CORROBORATING_PROBABILITY`` and the model threshold;
    - suspicious: medium findings of two categories (two independent mechanisms), or one
      medium finding with a score at the evidence threshold, or a score at the threshold;
    - clean: anything else. A lone medium finding is evidence, kept in the report, that
      does not change the verdict: medium rules fire on ordinary text too often to act alone.
    """
    rules = [f for f in findings if f.source != "classifier"]
    strong = [
        f
        for f in rules
        if f.severity is Severity.CRITICAL or (f.severity is Severity.HIGH and f.confidence is not Confidence.LOW)
    ]
    if strong:
        return Verdict.MALICIOUS, f"{strong[0].severity} finding {strong[0].rule_id}"
    medium = [f for f in rules if f.severity.rank >= Severity.MEDIUM.rank]
    categories = sorted({f.category for f in medium})
    score = probability if probability is not None else 0.0
    flags = score >= threshold
    corroborates = score >= (evidence if evidence is not None else threshold)
    ids = ", ".join(sorted({f.rule_id for f in medium}))
    if len(categories) >= 2:
        verdict = Verdict.MALICIOUS if corroborates else Verdict.SUSPICIOUS
        return verdict, f"medium findings of {len(categories)} mechanisms ({', '.join(categories)}: {ids})" + (
            f", classifier {score:.2f}" if corroborates else ""
        )
    if medium and flags and score >= CORROBORATING_PROBABILITY:
        return Verdict.MALICIOUS, f"medium finding ({ids}) and classifier {score:.2f}"
    if medium and corroborates:
        return Verdict.SUSPICIOUS, f"medium finding ({ids}) corroborated by classifier {score:.2f}"
    if flags:
        return Verdict.SUSPICIOUS, f"classifier {score:.2f} (threshold {threshold:g})"
    if medium:
        return Verdict.CLEAN, f"uncorroborated medium finding ({ids}): evidence only"
    return Verdict.CLEAN, "no finding above low severity"


def severity_verdict(findings: list[Finding]) -> Verdict:
    """The verdict from severities alone (a critical finding is malicious, medium or high
    suspicious): for evidence no classifier scores, such as a look-alike server name."""
    worst = max((f.severity.rank for f in findings), default=-1)
    if worst >= Severity.CRITICAL.rank:
        return Verdict.MALICIOUS
    if worst >= Severity.MEDIUM.rank:
        return Verdict.SUSPICIOUS
    return Verdict.CLEAN
