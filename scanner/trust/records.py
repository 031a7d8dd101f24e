"""Records shared by the trust-score pieces: what a signal says, and the settings.

Signals are pure functions ``(facts, now) -> SignalResult``; the score turns a
tuple of results into a ``TrustResult`` under a policy. ``Status`` keeps the
three ways of "no number" apart: unknown (we could not look), not applicable
(the question does not arise for this server) and error (we looked and the
source failed), which the score treats like unknown.
"""

from __future__ import annotations

import datetime as dt
import enum

import msgspec


class Status(enum.StrEnum):
    MEASURED = "measured"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"
    ERROR = "error"


class Flag(enum.StrEnum):
    """Facts that gate or cap the score whatever the average says (policy ``caps``)."""

    MALICIOUS = "malicious"
    CRITICAL_FINDING = "critical_finding"
    PROVENANCE_MISMATCH = "provenance_mismatch"
    NAMESPACE_MISMATCH = "namespace_mismatch"
    REPOSITORY_MISMATCH = "repository_mismatch"
    TRUST_DOWNGRADE = "trust_downgrade"
    CRITICAL_VULNERABILITY = "critical_vulnerability"
    ARCHIVED = "archived"
    DEPRECATED = "deprecated"
    QUIET = "quiet"  # no human commit for a year: candidate for the stable-project rule
    NEW = "new"  # first commit less than the policy's new-project age ago


class SignalResult(msgspec.Struct, frozen=True, kw_only=True):
    """One signal's answer. ``subscore`` is in [0, 1] and set only when measured."""

    id: str
    status: Status
    value: str
    source: str
    subscore: float | None = None
    evidence: tuple[str, ...] = ()
    reason: str = ""
    to_improve: str = ""
    flags: tuple[Flag, ...] = ()
    observed_at: str | None = None  # oldest third-party answer used (RFC 3339), for staleness

    def __post_init__(self) -> None:
        if (self.status is Status.MEASURED) != (self.subscore is not None):
            raise ValueError(f"signal {self.id}: a sub-score goes with status measured only")
        if self.subscore is not None and not 0.0 <= self.subscore <= 1.0:
            raise ValueError(f"signal {self.id}: sub-score {self.subscore} outside [0, 1]")


def unknown(sid: str, source: str, reason: str, to_improve: str, *, status: Status = Status.UNKNOWN) -> SignalResult:
    return SignalResult(
        id=sid,
        status=status,
        value="unknown",
        source=source,
        reason=reason,
        to_improve=to_improve,
    )


def not_applicable(sid: str, source: str, reason: str) -> SignalResult:
    return SignalResult(id=sid, status=Status.NOT_APPLICABLE, value="not applicable", source=source, reason=reason)


class TrustSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Where to look and how far. No public host is built in: every base URL is
    given here (CLI flags, the user's pip/npm configuration) or by server.json."""

    pypi_url: str | None = None
    npm_url: str | None = None
    github_api_url: str | None = None
    github_token: str | None = None
    allow_local_repo: bool = False
    clone_timeout_s: float = 120.0
    git_timeout_s: float = 60.0
    max_repo_bytes: int = 512 * 1024 * 1024
    http_timeout_s: float = 20.0
    max_http_bytes: int = 16 * 1024 * 1024


def utc(ts: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(ts, dt.UTC)


def rfc3339(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_time(text: str | None) -> dt.datetime | None:
    """RFC 3339 / ISO 8601 from a registry answer; None when absent or unparseable."""
    if not text:
        return None
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)
