"""Turn signal results into a 0-100 score with its full explanation.

``score = 100 * sum(w_i * s_i) / sum(w_i)`` over the applicable signals, where
``s_i`` is the measured sub-score or, for an unknown, the policy's cautious
prior. Unknown signals stay in the denominator (no Scorecard-style shrinkage),
so replacing an unknown with evidence at least as good as its prior can only
raise the score; a not-applicable signal leaves it, because the question does
not arise. Confidence is the measured share of the applicable weight. Gates
block, caps bound, and only then are tiers read off.
"""

from __future__ import annotations

import datetime as dt
import enum

import msgspec

from scanner.trust.evidence import EvidenceSource
from scanner.trust.facts import days_between
from scanner.trust.policy import Policy
from scanner.trust.records import Flag, SignalResult, Status, parse_time, rfc3339


class Tier(enum.StrEnum):
    TRUSTED = "trusted"
    REVIEW = "review"
    HIGH_RISK = "high_risk"
    INSUFFICIENT_EVIDENCE = "insufficient_evidence"
    BLOCKED = "blocked"


class SignalLine(msgspec.Struct, frozen=True, kw_only=True):
    """One row of the breakdown. ``points`` are out of 100 and add up to ``raw_score``."""

    id: str
    pillar: str
    status: Status
    value: str
    subscore: float | None
    prior: float | None  # set when the signal is unknown and the prior was used
    weight: float
    points: float
    max_points: float
    source: str
    evidence: tuple[str, ...] = ()
    reason: str = ""
    to_improve: str = ""
    flags: tuple[Flag, ...] = ()
    adjusted: str = ""  # e.g. "stable-project floor 0.4"
    observed_at: str | None = None  # oldest third-party answer behind the value
    stale: bool = False  # that answer is older than the policy's stale_after_days


class PillarScore(msgspec.Struct, frozen=True, kw_only=True):
    points: float
    max: float
    confidence: float


class CapApplied(msgspec.Struct, frozen=True, kw_only=True):
    flag: Flag
    cap: int
    signals: tuple[str, ...]


class TrustResult(msgspec.Struct, frozen=True, kw_only=True):
    policy: str
    score: int
    raw_score: float
    tier: Tier
    confidence: float
    computed_at: str
    offline: bool
    caps: tuple[CapApplied, ...] = ()
    blocked_by: tuple[Flag, ...] = ()
    labels: tuple[str, ...] = ()
    pillars: dict[str, PillarScore] = msgspec.field(default_factory=dict)
    signals: tuple[SignalLine, ...] = ()
    server: str | None = None
    repo: str | None = None
    subfolder: str | None = None
    head: str | None = None
    sources: tuple[EvidenceSource, ...] = ()  # third-party answers used: URL, fetch time, status


def _flags(results: tuple[SignalResult, ...]) -> dict[Flag, list[str]]:
    out: dict[Flag, list[str]] = {}
    for r in results:
        for flag in r.flags:
            out.setdefault(flag, []).append(r.id)
    return out


def stable_project(
    results: tuple[SignalResult, ...],
    policy: Policy,
    first_commit_at: dt.datetime | None,
    now: dt.datetime,
) -> bool:
    """Quiet, old enough, and nothing else wrong: finished rather than abandoned."""
    flags = _flags(results)
    old = first_commit_at is not None and days_between(now, first_commit_at) >= policy.stable.min_age_days
    return Flag.QUIET in flags and old and not any(f in flags for f in policy.stable.blocked_by)


def _is_stale(observed_at: str | None, policy: Policy, now: dt.datetime) -> bool:
    when = parse_time(observed_at)
    return when is not None and days_between(now, when) > policy.confidence.stale_after_days


def _line(r: SignalResult, policy: Policy, scale: float, floor: float | None) -> SignalLine:
    spec = policy.signals[r.id]
    adjusted = ""
    subscore = r.subscore
    if floor is not None and subscore is not None and subscore < floor:
        subscore, adjusted = floor, f"stable-project floor {floor:g}"
    applicable = r.status is not Status.NOT_APPLICABLE
    used = subscore if r.status is Status.MEASURED else (spec.prior if applicable else 0.0)
    assert used is not None
    return SignalLine(
        id=r.id,
        pillar=policy.pillar_of(r.id),
        status=r.status,
        value=r.value,
        subscore=subscore,
        prior=spec.prior if applicable and r.status is not Status.MEASURED else None,
        weight=spec.weight,
        points=round(spec.weight * used * scale, 2) if applicable else 0.0,
        max_points=round(spec.weight * scale, 2) if applicable else 0.0,
        source=r.source,
        evidence=r.evidence,
        reason=r.reason,
        to_improve=r.to_improve,
        flags=r.flags,
        adjusted=adjusted,
        observed_at=r.observed_at,
    )


def _pillars(lines: list[SignalLine]) -> dict[str, PillarScore]:
    out: dict[str, PillarScore] = {}
    for pillar in dict.fromkeys(line.pillar for line in lines):
        mine = [x for x in lines if x.pillar == pillar and x.status is not Status.NOT_APPLICABLE]
        weight = sum(x.weight for x in mine)
        measured = sum(x.weight * (0.5 if x.stale else 1.0) for x in mine if x.status is Status.MEASURED)
        out[pillar] = PillarScore(
            points=round(sum(x.points for x in mine), 2),
            max=round(sum(x.max_points for x in mine), 2),
            confidence=round(measured / weight, 2) if weight else 0.0,
        )
    return out


def _missing(lines: list[SignalLine], policy: Policy) -> bool:
    """A signal the policy requires for "trusted" is still unknown (not applicable is fine:
    a remote-only server has no attestation to show)."""
    required = set(policy.tiers.trusted_requires)
    return any(x.id in required and x.status in {Status.UNKNOWN, Status.ERROR} for x in lines)


def _tier(score: int, confidence: float, policy: Policy, *, capped: bool, blocked: bool, missing: bool) -> Tier:
    t = policy.tiers
    if blocked:
        return Tier.BLOCKED
    if confidence < t.insufficient_below_confidence:
        return Tier.INSUFFICIENT_EVIDENCE
    good = score >= t.trusted_min_score and confidence >= t.trusted_min_confidence
    if good and not capped and not missing:
        return Tier.TRUSTED
    return Tier.REVIEW if score >= t.review_min_score else Tier.HIGH_RISK


def combine(
    results: tuple[SignalResult, ...],
    policy: Policy,
    *,
    now: dt.datetime,
    first_commit_at: dt.datetime | None = None,
    offline: bool = False,
) -> TrustResult:
    """The pure scoring step: results + policy -> explained score."""
    applicable = [r for r in results if r.status is not Status.NOT_APPLICABLE]
    total = sum(policy.signals[r.id].weight for r in applicable)
    scale = 100.0 / total if total else 0.0
    stable = stable_project(results, policy, first_commit_at, now)
    lines = [
        _line(r, policy, scale, policy.stable.floor if stable and r.id in policy.stable.signals else None)
        for r in results
    ]
    lines = [
        msgspec.structs.replace(x, stale=True)
        if x.status is Status.MEASURED and _is_stale(x.observed_at, policy, now)
        else x
        for x in lines
    ]
    raw = round(sum(x.points for x in lines), 2)
    measured = sum(x.weight * (0.5 if x.stale else 1.0) for x in lines if x.status is Status.MEASURED)
    confidence = measured / total if total else 0.0
    flags = _flags(results)
    labels = ["stable-low-activity"] if stable else []
    if Flag.NEW in flags:
        confidence *= policy.confidence.new_project_factor
        labels.append("new")
    if offline:
        labels.append("offline")
    if any(x.stale for x in lines):
        labels.append("stale-evidence")
    blocked = tuple(f for f in policy.gates.block if f in flags)
    caps = tuple(
        CapApplied(flag=f, cap=cap, signals=tuple(flags[f]))
        for f, cap in sorted(policy.caps.items(), key=lambda kv: kv[1])
        if f in flags
    )
    score = 0 if blocked else min([int(raw + 0.5), *(c.cap for c in caps)])
    confidence = round(confidence, 2)
    return TrustResult(
        policy=policy.version,
        score=score,
        raw_score=raw,
        confidence=confidence,
        tier=_tier(
            score, confidence, policy, capped=bool(caps), blocked=bool(blocked), missing=_missing(lines, policy)
        ),
        computed_at=rfc3339(now),
        offline=offline,
        caps=caps,
        blocked_by=blocked,
        labels=tuple(labels),
        pillars=_pillars(lines),
        signals=tuple(lines),
    )
