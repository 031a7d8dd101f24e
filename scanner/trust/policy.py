"""The trust policy: weights, priors, caps, gates, tiers, as versioned data.

The shipped default is ``data/trust-policy.toml``; a team passes its own file
with the same shape. Decoding is strict (unknown keys are errors naming the
path), and a policy must give every registered signal a weight and name no
signal that does not exist, so a typo never silently drops a check.
"""

from __future__ import annotations

from pathlib import Path

import msgspec

from scanner.errors import ScannerError
from scanner.paths import data_dir
from scanner.trust.records import Flag

MAX_POLICY_BYTES = 256 * 1024


class PolicyError(ScannerError):
    """A policy file is unreadable, malformed or inconsistent with the signals."""


class SignalWeight(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    weight: float
    prior: float


class Tiers(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    trusted_min_score: int
    trusted_min_confidence: float
    review_min_score: int
    insufficient_below_confidence: float
    trusted_requires: tuple[str, ...]  # signals that must be measured (or n/a) for "trusted"


class ConfidenceRules(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    new_project_factor: float
    stale_after_days: int  # third-party evidence older than this counts half in confidence


class StableRule(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    min_age_days: int
    floor: float
    signals: tuple[str, ...]
    blocked_by: tuple[Flag, ...]


class Gates(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    block: tuple[Flag, ...]


class Policy(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    version: str
    pillars: dict[str, str]
    signals: dict[str, SignalWeight]
    caps: dict[Flag, int]
    gates: Gates
    tiers: Tiers
    confidence: ConfidenceRules
    stable: StableRule

    def pillar_of(self, sid: str) -> str:
        return self.pillars[sid.split(".", 1)[0]]


def default_policy_path() -> Path:
    return data_dir() / "trust-policy.toml"


def _check(policy: Policy, signal_ids: tuple[str, ...], where: str) -> None:
    problems = []
    missing = [s for s in signal_ids if s not in policy.signals]
    unknown = [s for s in policy.signals if s not in signal_ids]
    if missing:
        problems.append(f"no weight for signal(s) {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown signal(s) {', '.join(unknown)}")
    for sid, spec in policy.signals.items():
        if spec.weight < 0 or not 0 <= spec.prior <= 1:
            problems.append(f"signals.{sid}: weight must be >= 0 and prior in [0, 1]")
        if sid.split(".", 1)[0] not in policy.pillars:
            problems.append(f"signals.{sid}: no pillar for prefix {sid.split('.', 1)[0]!r}")
    strangers = [s for s in policy.tiers.trusted_requires if s not in signal_ids]
    strangers += [s for s in policy.stable.signals if s not in signal_ids]
    if strangers:
        problems.append(f"tiers/stable name unknown signal(s) {', '.join(strangers)}")
    if any(not 0 <= cap <= 100 for cap in policy.caps.values()):
        problems.append("caps must be between 0 and 100")
    if not 0 <= policy.stable.floor <= 1:
        problems.append("stable.floor must be in [0, 1]")
    if sum(s.weight for s in policy.signals.values()) <= 0:
        problems.append("the weights add up to nothing")
    if problems:
        raise PolicyError(f"policy {where}: {'; '.join(problems)}")


def load_policy(path: Path | None = None, *, signal_ids: tuple[str, ...] | None = None) -> Policy:
    """Decode and check a policy file (default: the shipped one)."""
    from scanner.trust.signals import SIGNALS

    where = path or default_policy_path()
    try:
        data = where.read_bytes()
    except OSError as exc:
        raise PolicyError(f"cannot read policy {where}: {exc.strerror}") from exc
    if len(data) > MAX_POLICY_BYTES:
        raise PolicyError(f"policy {where} is larger than {MAX_POLICY_BYTES} bytes")
    try:
        policy = msgspec.toml.decode(data, type=Policy)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise PolicyError(f"policy {where}: {exc}") from exc
    _check(policy, signal_ids or tuple(sid for sid, _ in SIGNALS), str(where))
    return policy
