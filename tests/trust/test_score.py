"""The score: weights, priors, caps, gates, tiers, confidence and monotonicity."""

from __future__ import annotations

import datetime as dt

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.trust.policy import load_policy
from scanner.trust.records import Flag, SignalResult, Status
from scanner.trust.score import Tier, TrustResult, combine
from scanner.trust.signals import SIGNALS
from tests.trust.gitrepo import NOW

POLICY = load_policy()
IDS = [sid for sid, _ in SIGNALS]


def measured(sid: str, s: float, *flags: Flag) -> SignalResult:
    return SignalResult(id=sid, status=Status.MEASURED, value="x", source="t", subscore=s, flags=flags)


def unknown(sid: str) -> SignalResult:
    return SignalResult(id=sid, status=Status.UNKNOWN, value="unknown", source="t", to_improve="look")


def na(sid: str) -> SignalResult:
    return SignalResult(id=sid, status=Status.NOT_APPLICABLE, value="n/a", source="t")


def everything(s: float) -> tuple[SignalResult, ...]:
    return tuple(measured(sid, s) for sid in IDS)


def test_all_good_evidence_scores_100_trusted_with_full_confidence() -> None:
    result = combine(everything(1.0), POLICY, now=NOW)
    assert (result.score, result.tier, result.confidence) == (100, Tier.TRUSTED, 1.0)
    assert sum(line.points for line in result.signals) == result.raw_score == 100.0


def test_all_unknown_takes_the_priors_and_has_no_confidence() -> None:
    result = combine(tuple(unknown(sid) for sid in IDS), POLICY, now=NOW)
    expected = sum(s.weight * s.prior for s in POLICY.signals.values())
    assert result.raw_score == round(expected, 2)
    assert result.confidence == 0.0
    assert result.tier is Tier.INSUFFICIENT_EVIDENCE
    assert all(line.prior is not None and line.to_improve for line in result.signals)


def test_not_applicable_leaves_the_denominator_but_unknown_does_not() -> None:
    base = {sid: measured(sid, 1.0) for sid in IDS}
    with_na = combine(tuple({**base, "config.pinning": na("config.pinning")}.values()), POLICY, now=NOW)
    with_unknown = combine(tuple({**base, "config.pinning": unknown("config.pinning")}.values()), POLICY, now=NOW)
    assert with_na.score == 100 and with_na.confidence == 1.0
    assert with_unknown.score < 100 and with_unknown.confidence < 1.0


def test_a_critical_finding_caps_at_39_whatever_the_average() -> None:
    results = {sid: measured(sid, 1.0) for sid in IDS}
    results["scan.findings"] = measured("scan.findings", 0.25, Flag.CRITICAL_FINDING)
    result = combine(tuple(results.values()), POLICY, now=NOW)
    assert result.raw_score > 80
    assert result.score == 39 and result.tier is Tier.HIGH_RISK
    assert [(c.flag, c.cap) for c in result.caps] == [(Flag.CRITICAL_FINDING, 39)]


def test_a_provenance_mismatch_caps_and_the_lowest_cap_wins() -> None:
    results = {sid: measured(sid, 1.0) for sid in IDS}
    results["publisher.attestation"] = measured("publisher.attestation", 0.0, Flag.PROVENANCE_MISMATCH)
    results["maintenance.status"] = measured("maintenance.status", 0.0, Flag.ARCHIVED)
    result = combine(tuple(results.values()), POLICY, now=NOW)
    assert result.score == 39
    assert {c.flag for c in result.caps} == {Flag.PROVENANCE_MISMATCH, Flag.ARCHIVED}


def test_a_malicious_verdict_blocks() -> None:
    results = {sid: measured(sid, 1.0) for sid in IDS}
    results["scan.findings"] = measured("scan.findings", 0.0, Flag.MALICIOUS)
    result = combine(tuple(results.values()), POLICY, now=NOW)
    assert (result.score, result.tier, result.blocked_by) == (0, Tier.BLOCKED, (Flag.MALICIOUS,))


def test_a_capped_server_is_never_trusted_even_above_80() -> None:
    results = {sid: measured(sid, 1.0) for sid in IDS}
    results["maintenance.status"] = measured("maintenance.status", 1.0, Flag.TRUST_DOWNGRADE)
    result = combine(tuple(results.values()), POLICY, now=NOW)
    assert result.score == 49 and result.tier is Tier.HIGH_RISK


def _quiet(first_commit_days: int, *extra: Flag) -> tuple[SignalResult, ...]:
    results = {sid: measured(sid, 1.0) for sid in IDS}
    results["maintenance.recency"] = measured("maintenance.recency", 0.1, Flag.QUIET)
    results["maintenance.active_weeks"] = measured("maintenance.active_weeks", 0.0)
    results["maintenance.release_cadence"] = measured("maintenance.release_cadence", 0.04, *extra)
    return tuple(results.values())


def test_trusted_needs_provenance_and_a_scan_answered_whatever_the_score() -> None:
    results = {sid: measured(sid, 1.0) for sid in IDS}
    results["publisher.attestation"] = unknown("publisher.attestation")
    result = combine(tuple(results.values()), POLICY, now=NOW)
    assert result.score >= 80 and result.confidence >= 0.7
    assert result.tier is Tier.REVIEW
    results["publisher.attestation"] = na("publisher.attestation")  # remote-only server
    assert combine(tuple(results.values()), POLICY, now=NOW).tier is Tier.TRUSTED


def test_a_quiet_finished_project_is_floored_not_punished() -> None:
    old = NOW - dt.timedelta(days=1500)
    stable = combine(_quiet(1500), POLICY, now=NOW, first_commit_at=old)
    young = combine(_quiet(400), POLICY, now=NOW, first_commit_at=NOW - dt.timedelta(days=400))
    archived = combine(_quiet(1500, Flag.ARCHIVED), POLICY, now=NOW, first_commit_at=old)
    assert "stable-low-activity" in stable.labels
    floored = {x.id: x.subscore for x in stable.signals if x.adjusted}
    assert floored == {"maintenance.recency": 0.4, "maintenance.active_weeks": 0.4, "maintenance.release_cadence": 0.4}
    assert stable.raw_score > young.raw_score
    assert "stable-low-activity" not in archived.labels


def test_old_registry_evidence_counts_half_in_confidence_but_keeps_the_score() -> None:
    fresh = {sid: measured(sid, 1.0) for sid in IDS}
    old = dict(fresh)
    old["publisher.attestation"] = msgspec.structs.replace(
        fresh["publisher.attestation"], observed_at="2026-09-01T00:00:00Z"
    )
    recent = dict(fresh)
    recent["publisher.attestation"] = msgspec.structs.replace(
        fresh["publisher.attestation"], observed_at="2026-11-01T00:00:00Z"
    )
    a = combine(tuple(fresh.values()), POLICY, now=NOW)
    b = combine(tuple(old.values()), POLICY, now=NOW)
    c = combine(tuple(recent.values()), POLICY, now=NOW)
    weight = POLICY.signals["publisher.attestation"].weight
    assert b.score == a.score == c.score == 100
    assert b.confidence == round(1 - weight / 200, 2) and c.confidence == a.confidence == 1.0
    assert "stale-evidence" in b.labels
    assert [x.id for x in b.signals if x.stale] == ["publisher.attestation"]


def test_a_new_project_lowers_confidence() -> None:
    results = {sid: measured(sid, 1.0) for sid in IDS}
    results["maintenance.recency"] = measured("maintenance.recency", 1.0, Flag.NEW)
    result = combine(tuple(results.values()), POLICY, now=NOW)
    assert result.confidence == 0.8 and "new" in result.labels


def test_pillars_add_up_to_the_raw_score() -> None:
    result = combine(everything(0.5), POLICY, now=NOW)
    assert round(sum(p.points for p in result.pillars.values()), 2) == result.raw_score
    assert set(result.pillars) == {"provenance", "maintenance", "community", "security", "config"}
    assert round(sum(p.max for p in result.pillars.values())) == 100


def test_the_result_serialises_to_plain_json_for_the_registry() -> None:
    result = combine(everything(0.7), POLICY, now=NOW)
    data = msgspec.to_builtins(result)
    assert data["tier"] == "review" and data["signals"][0]["id"] == IDS[0]
    assert msgspec.json.decode(msgspec.json.encode(data), type=TrustResult) == result


_status = st.sampled_from(["m", "u", "n"])


@settings(max_examples=300, deadline=None, database=None)
@given(
    states=st.lists(st.tuples(_status, st.floats(0, 1)), min_size=len(IDS), max_size=len(IDS)),
    pick=st.integers(0, len(IDS) - 1),
    gain=st.floats(0, 1),
)
def test_replacing_an_unknown_with_good_evidence_never_lowers_the_score(
    states: list[tuple[str, float]], pick: int, gain: float
) -> None:
    def build(kind: str, s: float, sid: str) -> SignalResult:
        return measured(sid, s) if kind == "m" else unknown(sid) if kind == "u" else na(sid)

    before = [build(k, s, sid) for (k, s), sid in zip(states, IDS, strict=True)]
    sid = IDS[pick]
    before[pick] = unknown(sid)
    prior = POLICY.signals[sid].prior
    after = list(before)
    after[pick] = measured(sid, prior + (1 - prior) * gain)  # at least as good as the prior
    a = combine(tuple(before), POLICY, now=NOW)
    b = combine(tuple(after), POLICY, now=NOW)
    assert b.raw_score >= a.raw_score
    assert b.score >= a.score
    assert b.confidence >= a.confidence
