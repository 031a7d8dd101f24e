"""Combine rule, normaliser and classifier evidence into one verdict per tool.

The policy is deliberately small and explainable: a reviewer can recompute it
from the findings in the report.
"""

from __future__ import annotations

from scanner.models import Confidence, Finding, Severity, Verdict

# Classifier probability at or above which a tool is suspicious on its own, and
# at or above which it turns a medium rule finding into a malicious verdict.
SUSPICIOUS_PROBABILITY = 0.5
CORROBORATING_PROBABILITY = 0.8


def combine(findings: list[Finding], probability: float | None) -> Verdict:
    evidence = [f for f in findings if f.source != "classifier"]
    strong = [
        f
        for f in evidence
        if f.severity is Severity.CRITICAL
        or (f.severity is Severity.HIGH and f.confidence is not Confidence.LOW)
    ]
    medium = [f for f in evidence if f.severity.rank >= Severity.MEDIUM.rank]
    if strong:
        return Verdict.MALICIOUS
    if len({f.category for f in medium}) >= 2:
        return Verdict.MALICIOUS
    if medium and probability is not None and probability >= CORROBORATING_PROBABILITY:
        return Verdict.MALICIOUS
    if medium or (probability is not None and probability >= SUSPICIOUS_PROBABILITY):
        return Verdict.SUSPICIOUS
    return Verdict.CLEAN
