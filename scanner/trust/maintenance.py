"""Maintenance signals: is someone still looking after this server?

Measured from the server's own history (human commits only, the server's
subfolder only) and, when online, from registry release times, which the
registry stamps itself and a committer cannot back-date. A quiet project is
flagged ``quiet`` here; whether it is *finished* rather than abandoned is the
score's stable-project rule, since that needs facts from other pillars.
"""

from __future__ import annotations

import datetime as dt

from scanner.trust.facts import RECENCY_TABLE, Facts, days_between, git_gap, oldest, sat, step
from scanner.trust.records import Flag, SignalResult, Status, rfc3339, unknown

NEW_PROJECT_DAYS = 90
# PEP 792 project status markers: quarantine means the index judged it unsafe.
_PROJECT_STATUS = {"archived": Flag.ARCHIVED, "deprecated": Flag.DEPRECATED, "quarantined": Flag.MALICIOUS}


def recency(facts: Facts, now: dt.datetime) -> SignalResult:
    """Days since the last human commit landed (committer date)."""
    sid = "maintenance.recency"
    if (gap := git_gap(sid, facts)) is not None:
        return gap
    git = facts.git
    assert git is not None
    flags: list[Flag] = []
    if git.first_commit_at and days_between(now, git.first_commit_at) < NEW_PROJECT_DAYS:
        flags.append(Flag.NEW)
    if git.last_human_commit_at is None:
        return SignalResult(
            id=sid,
            status=Status.MEASURED,
            value="no human commit",
            source="git",
            subscore=0.1,
            evidence=(f"HEAD {git.head}",),
            flags=(Flag.QUIET,),
            to_improve="a person commits to the server's folder",
        )
    days = days_between(now, git.last_human_commit_at)
    future = git.velocity.future_dated_commits
    if days > 365:
        flags.append(Flag.QUIET)
    return SignalResult(
        id=sid,
        status=Status.MEASURED,
        value=f"{days} days",
        source="git",
        subscore=step(days, RECENCY_TABLE, 0.1),
        flags=tuple(flags),
        evidence=(
            f"last human commit {rfc3339(git.last_human_commit_at)}",
            f"HEAD {git.head}",
            *([f"{future} commits dated after {rfc3339(now)} ignored"] if future else []),
        ),
        to_improve="" if days <= 30 else "land a human commit (30 days or fewer scores full)",
    )


def active_weeks(facts: Facts, now: dt.datetime) -> SignalResult:
    """Weeks with at least one human commit among the last 13 (bursts count once)."""
    sid = "maintenance.active_weeks"
    if (gap := git_gap(sid, facts)) is not None:
        return gap
    assert facts.git is not None
    weeks = facts.git.velocity.active_weeks_13
    return SignalResult(
        id=sid,
        status=Status.MEASURED,
        value=f"{weeks}/13 weeks",
        source="git",
        subscore=round(sat(weeks, 8), 4),
        evidence=(f"{facts.git.velocity.commits_90d} human commits in 90 days", f"HEAD {facts.git.head}"),
        to_improve="" if weeks >= 8 else "8 or more active weeks of 13 scores full",
    )


def _release_times(facts: Facts) -> tuple[list[dt.datetime], str, str | None] | None:
    fetched = [p for p in facts.registry.packages if p.state == "fetched" and p.release_times]
    if fetched:
        # one server version usually ships to several registries: count one package's
        # releases (the busiest), never the sum
        year_ago = facts.collected_at - dt.timedelta(days=365)
        best = max(fetched, key=lambda p: (sum(t > year_ago for t in p.release_times), max(p.release_times)))
        return list(best.release_times), best.registry_type, best.fetched_at
    if facts.git is not None and not facts.git.shallow:
        return [t.created_at for t in facts.git.tags], "git tags", None
    return None


def release_cadence(facts: Facts, now: dt.datetime) -> SignalResult:
    """Releases in the last 365 days and days since the last one."""
    sid = "maintenance.release_cadence"
    found = _release_times(facts)
    if found is None:
        return git_gap(sid, facts) or unknown(sid, "registry", "no release times", "run online or give the repository")
    times, source, observed = found
    past = [t for t in times if t <= now]
    if not past:
        return SignalResult(
            id=sid,
            status=Status.MEASURED,
            value="no releases",
            source=source,
            subscore=0.0,
            to_improve="publish versioned releases (tags)",
        )
    last = max(past)
    days = days_between(now, last)
    recent = sum(1 for t in past if days_between(now, t) <= 365)
    score = 0.6 * sat(recent, 6) + 0.4 * step(days, RECENCY_TABLE, 0.1)
    return SignalResult(
        id=sid,
        status=Status.MEASURED,
        value=f"{recent} in 365 days, last {days} days ago",
        source=source,
        subscore=round(min(1.0, score), 4),
        observed_at=observed,
        evidence=(f"last release {rfc3339(last)}", f"{len(past)} releases in all"),
        to_improve="" if recent >= 6 and days <= 30 else "release regularly (6 a year scores full)",
    )


def status(facts: Facts, now: dt.datetime) -> SignalResult:
    """Archived repository or deprecated/yanked package: the maintainers said stop."""
    sid = "maintenance.status"
    gh = facts.registry.github
    fetched = [p for p in facts.registry.packages if p.state == "fetched"]
    if gh is None and not fetched:
        return unknown(
            sid,
            "github",
            facts.registry.github_error or "no forge or registry answer",
            "run online with --github-api-url (and the package registries reachable)",
        )
    flags: list[Flag] = []
    said: list[str] = []
    if gh is not None and (gh.archived or gh.disabled):
        flags.append(Flag.ARCHIVED)
        said.append(f"repository {gh.full_name} is archived")
    for pkg in fetched:
        if pkg.deprecated:
            flags.append(Flag.DEPRECATED)
            said.append(f"{pkg.registry_type} {pkg.identifier} {pkg.version} is deprecated/yanked")
        status_flag = _PROJECT_STATUS.get(pkg.project_status or "active")
        if status_flag is not None:
            flags.append(status_flag)
            said.append(f"{pkg.registry_type} project {pkg.identifier} is {pkg.project_status}")
    evidence = tuple(([gh.url] if gh else []) + [e for p in fetched for e in p.evidence[:1]])
    return SignalResult(
        id=sid,
        status=Status.MEASURED,
        value="; ".join(said) or "active",
        source="github" if gh else fetched[0].registry_type,
        subscore=0.0 if flags else 1.0,
        observed_at=oldest(gh.fetched_at if gh else None, *(p.fetched_at for p in fetched)),
        evidence=evidence,
        flags=tuple(dict.fromkeys(flags)),
        to_improve="pick a maintained server or fork" if flags else "",
    )
