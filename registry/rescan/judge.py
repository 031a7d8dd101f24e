"""Decide which alerts a finished rescan raises: pure functions from two scan
results (the previous one and this one) to alert specs; no I/O, no database.

Drift itself (a changed manifest) goes through the review service, which records
the observation, opens the re-review and raises the drift alert exactly as the
verify API does; this module covers the other events: the trust score falling
below a threshold or into a lower tier, a new critical finding, and a run of
failed rescans.
"""

from __future__ import annotations

import hashlib
from typing import Any

import msgspec

from scanner.trust.score import Tier

# the trust score's tiers, worst first; "insufficient_evidence" ranks nowhere (a
# "don't know" is not a fall), so a move into or out of it never alerts
_TIER_ORDER = (Tier.BLOCKED.value, Tier.HIGH_RISK.value, Tier.REVIEW.value, Tier.TRUSTED.value)


class AlertSpec(msgspec.Struct, frozen=True, kw_only=True):
    kind: str
    severity: str
    payload: dict[str, Any]
    dedupe_key: str | None = None


class ScanFacts(msgspec.Struct, frozen=True, kw_only=True):
    """The parts of a stored scan the judgement needs."""

    manifest_sha256: str | None = None
    score: float | None = None
    tier: str | None = None
    criticals: frozenset[tuple[str, str, str]] = frozenset()  # (tool, rule_id, path)


def facts_from_report(report: dict[str, Any] | None, score: float | None) -> ScanFacts:
    if not report:
        return ScanFacts(score=score)
    trust = report.get("trust") or {}
    tier = trust.get("tier") if isinstance(trust, dict) else None
    if score is None and isinstance(trust, dict) and isinstance(trust.get("score"), int | float):
        score = float(trust["score"])
    criticals: set[tuple[str, str, str]] = set()
    for tool in report.get("tools") or []:
        for f in tool.get("findings") or []:
            if f.get("severity") == "critical":
                criticals.add((str(tool.get("name")), str(f.get("rule_id")), str(f.get("path"))))
    for item in report.get("items") or []:
        for f in item.get("findings") or []:
            if f.get("severity") == "critical":
                criticals.add((f"{item.get('kind')}:{item.get('key')}", str(f.get("rule_id")), str(f.get("path"))))
    for f in report.get("server_findings") or []:
        if f.get("severity") == "critical":
            criticals.add(("", str(f.get("rule_id")), str(f.get("path"))))
    return ScanFacts(
        manifest_sha256=report.get("manifest_sha256"),
        score=score,
        tier=str(tier) if tier else None,
        criticals=frozenset(criticals),
    )


def _tier_rank(tier: str | None) -> int | None:
    if tier is None:
        return None
    try:
        return _TIER_ORDER.index(tier.lower())
    except ValueError:
        return None


def score_alert(server: str, prev: ScanFacts, new: ScanFacts, threshold: float) -> AlertSpec | None:
    """Fires on the crossing, not on every scan below the line."""
    if new.score is None or prev.score is None:
        return None
    crossed = prev.score >= threshold > new.score
    prev_rank, new_rank = _tier_rank(prev.tier), _tier_rank(new.tier)
    tier_down = prev_rank is not None and new_rank is not None and new_rank < prev_rank
    if not (crossed or tier_down):
        return None
    why = f"below the threshold {threshold:g}" if crossed else f"from tier {prev.tier} to {new.tier}"
    return AlertSpec(
        kind="trust_score_drop",
        severity="medium",
        payload={
            "summary": f"trust score of {server} fell {why} ({prev.score:g} -> {new.score:g})",
            "previous_score": prev.score,
            "score": new.score,
            "threshold": threshold,
            "previous_tier": prev.tier,
            "tier": new.tier,
        },
    )


def critical_alert(server: str, prev: ScanFacts, new: ScanFacts) -> AlertSpec | None:
    fresh = sorted(new.criticals - prev.criticals)
    if not fresh:
        return None
    digest = hashlib.sha256(repr(fresh).encode()).hexdigest()[:32]
    return AlertSpec(
        kind="critical_finding",
        severity="critical",
        payload={
            "summary": f"{len(fresh)} new critical finding(s) on {server}",
            "findings": [{"tool": t, "rule_id": r, "path": p} for t, r, p in fresh],
        },
        dedupe_key=f"critical:{server}:{digest}",
    )


def failure_alert(server: str, consecutive: int, threshold: int, error: str, streak_started: str) -> AlertSpec | None:
    """One alert per streak: at exactly the N-th failure in a row."""
    if consecutive != threshold:
        return None
    return AlertSpec(
        kind="rescan_failing",
        severity="high",
        payload={
            "summary": f"{consecutive} rescans of {server} failed in a row: {error[:200]}",
            "consecutive_failures": consecutive,
            "last_error": error[:1000],
        },
        dedupe_key=f"failing:{server}:{streak_started}",
    )
