"""Everything the signals may look at, gathered before any judging happens."""

from __future__ import annotations

import datetime as dt
import math

import msgspec

from scanner.models import ScanReport
from scanner.serverjson import ServerJson
from scanner.trust.evidence import EvidenceSource
from scanner.trust.git_facts import GitFacts
from scanner.trust.records import SignalResult, Status, unknown
from scanner.trust.registry_facts import RegistryFacts


class Facts(msgspec.Struct, frozen=True, kw_only=True):
    collected_at: dt.datetime
    offline: bool
    server_json: ServerJson | None = None
    scan: ScanReport | None = None
    repo: str | None = None  # the repository the server declares (or the one given)
    git: GitFacts | None = None
    git_error: str = ""  # why ``git`` is None, when it was tried
    registry: RegistryFacts = msgspec.field(default_factory=RegistryFacts)
    sources: tuple[EvidenceSource, ...] = ()  # every third-party answer used


def oldest(*stamps: str | None) -> str | None:
    """The oldest of some RFC 3339 UTC times (all written the same way, so they sort)."""
    known = [s for s in stamps if s]
    return min(known) if known else None


def sat(x: float, t: float) -> float:
    """OpenSSF criticality saturation: log(1+x)/log(1+max(x,t)), in [0, 1]."""
    if x <= 0:
        return 0.0
    return math.log1p(x) / math.log1p(max(x, t))


def days_between(later: dt.datetime, earlier: dt.datetime) -> int:
    return max(0, int((later - earlier).total_seconds() // 86400))


def step(value: float, table: tuple[tuple[float, float], ...], otherwise: float) -> float:
    """The score of the first row whose bound ``value`` does not exceed."""
    for bound, score in table:
        if value <= bound:
            return score
    return otherwise


RECENCY_TABLE = ((30, 1.0), (90, 0.85), (180, 0.6), (365, 0.3))


def git_gap(sid: str, facts: Facts) -> SignalResult | None:
    """The unknown answer for a git-based signal when the history is missing or cut."""
    if facts.git is None:
        if facts.git_error:
            return unknown(
                sid,
                "git",
                facts.git_error,
                "fix the repository access above, or score a local clone with --repo PATH --allow-local-repo",
                status=Status.ERROR,
            )
        return unknown(
            sid,
            "git",
            "no repository was cloned (offline, or none declared)",
            "give the repository (server.json repository.url or --repo) and run "
            "online, or score a local clone with --repo PATH --allow-local-repo",
        )
    if facts.git.shallow:
        return unknown(
            sid, "git", "the clone is shallow, so history figures would be wrong", "score a full (non-shallow) clone"
        )
    return None
