"""Community resilience: would the server survive one person leaving?

Human authors only, after the repository's mailmap, over 365 days. Org
diversity is weak evidence (an email domain is easy to pick), so it weighs
little and free-mail domains do not count.
"""

from __future__ import annotations

import datetime as dt

from scanner.trust.facts import Facts, git_gap, sat
from scanner.trust.records import SignalResult, Status

_BUS_TABLE = {0: 0.0, 1: 0.25, 2: 0.6, 3: 0.8}
FREE_MAIL = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "proton.me",
        "protonmail.com",
        "qq.com",
        "163.com",
        "126.com",
        "gmx.de",
        "gmx.net",
        "yandex.ru",
        "mail.ru",
        "aol.com",
        "fastmail.com",
        "localhost",
    }
)


def bus_factor(facts: Facts, now: dt.datetime) -> SignalResult:
    """CHAOSS bus factor: fewest people with more than half the commits in 365 days."""
    sid = "community.bus_factor"
    if (gap := git_gap(sid, facts)) is not None:
        return gap
    assert facts.git is not None
    n = facts.git.velocity.bus_factor_365d
    return SignalResult(
        id=sid,
        status=Status.MEASURED,
        value=str(n),
        source="git",
        subscore=_BUS_TABLE.get(n, 1.0),
        evidence=(f"{facts.git.velocity.commits_365d} human commits in 365 days", f"HEAD {facts.git.head}"),
        to_improve="" if n >= 4 else "spread the work: 4 or more people sharing it scores full",
    )


def contributors(facts: Facts, now: dt.datetime) -> SignalResult:
    """Distinct human authors in 365 days."""
    sid = "community.contributors"
    if (gap := git_gap(sid, facts)) is not None:
        return gap
    assert facts.git is not None
    n = facts.git.velocity.authors_365d
    return SignalResult(
        id=sid,
        status=Status.MEASURED,
        value=str(n),
        source="git",
        subscore=round(sat(n, 10), 4),
        evidence=(f"{facts.git.velocity.authors_90d} of them in the last 90 days",),
        to_improve="" if n >= 10 else "10 or more contributors a year scores full",
    )


def org_diversity(facts: Facts, now: dt.datetime) -> SignalResult:
    """Distinct non-free-mail author email domains in 365 days."""
    sid = "community.org_diversity"
    if (gap := git_gap(sid, facts)) is not None:
        return gap
    assert facts.git is not None
    domains = [
        d for d in facts.git.velocity.author_domains_365d if d not in FREE_MAIL and not d.startswith("users.noreply.")
    ]
    return SignalResult(
        id=sid,
        status=Status.MEASURED,
        value=str(len(domains)),
        source="git",
        subscore=round(sat(len(domains), 3), 4),
        evidence=tuple(domains[:10]),
        to_improve="" if len(domains) >= 3 else "contributors from 3 or more organisations",
    )
