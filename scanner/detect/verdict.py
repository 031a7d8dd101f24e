"""Combine rule, normaliser and classifier evidence into one verdict per tool.

The policy is deliberately small and explainable: a reviewer can recompute it
from the findings in the report.
"""

from __future__ import annotations

from scanner.models import Confidence, Finding, Severity, Verdict

# A classifier score at or above the model's threshold makes a tool suspicious on
# its own; at or above this one it turns a medium rule finding into "malicious".
CORROBORATING_PROBABILITY = 0.9


def combine(findings: list[Finding], probability: float | None, threshold: float) -> Verdict:
    evidence = [f for f in findings if f.source != "classifier"]
    strong = [
        f
        for f in evidence
        if f.severity is Severity.CRITICAL or (f.severity is Severity.HIGH and f.confidence is not Confidence.LOW)
    ]
    medium = [f for f in evidence if f.severity.rank >= Severity.MEDIUM.rank]
    if strong:
        return Verdict.MALICIOUS
    if len({f.category for f in medium}) >= 2:
        return Verdict.MALICIOUS
    if medium and probability is not None and probability >= CORROBORATING_PROBABILITY:
        return Verdict.MALICIOUS
    if medium or (probability is not None and probability >= threshold):
        return Verdict.SUSPICIOUS
    return Verdict.CLEAN
