"""History facts from a git repository, counted by git itself.

Every figure comes from a handful of git processes whose text output is split
in Python (``rev-list --count``, one windowed ``log`` with
``--since-as-filter``, ``for-each-ref`` for tags): no per-commit objects. Author
identities go through the repository's ``.mailmap`` (``%aN``/``%aE``), bots are
left out of the human figures, and with a subfolder every log is path-limited so
a monorepo's unrelated activity does not count. Windows are measured back from
``now`` (the caller's clock, stored as ``collected_at``) by committer date;
commits dated after ``now`` are counted apart and left out, since git dates are
self-asserted and a future date is a way to look busy.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import msgspec

from scanner.errors import SourceError
from scanner.trust.gitclone import GitFactsError, git_env, hardened_config, prefetch_mailmap, safe_clone
from scanner.trust.records import TrustSettings, utc

DAY = 86400
WEEK = 7 * DAY
MAX_TAGS = 2000

_BOT_EMAILS = frozenset(
    {
        "bot@renovateapp.com",
        "support@dependabot.com",
        "action@github.com",
        "actions@github.com",
        "noreply@snyk.io",
        "github-actions@github.com",
    }
)
_BOT_NAME = re.compile(
    r"(\[bot\]$)|(^(dependabot|renovate|pre-commit-ci|github-actions|"
    r"allcontributors|greenkeeper|snyk-bot|mergify)\b)",
    re.IGNORECASE,
)
_NOREPLY = re.compile(r"^(?:\d+\+)?([^@]+)@users\.noreply\.", re.IGNORECASE)
_TRAILER = re.compile(r"^(.*?)\s*<([^<>]+)>$")
_SUBFOLDER = re.compile(r"^[A-Za-z0-9_.@+-]+(?:/[A-Za-z0-9_.@+-]+)*$")


class TagInfo(msgspec.Struct, frozen=True):
    name: str
    created_at: dt.datetime


class Velocity(msgspec.Struct, frozen=True, kw_only=True):
    """The windowed figures (human commits unless named otherwise)."""

    commits_90d: int
    commits_365d: int
    authors_90d: int
    authors_365d: int  # authors and Co-authored-by humans
    active_weeks_13: int  # of the 13 seven-day weeks ending at collected_at
    bus_factor_365d: int  # fewest humans with more than half the commits (0: none)
    bot_commits_90d: int
    future_dated_commits: int
    author_domains_365d: tuple[str, ...]


class GitFacts(msgspec.Struct, frozen=True, kw_only=True):
    """What the history says, as of ``collected_at``. "Human" excludes bots."""

    repo: str
    subfolder: str | None
    head: str
    collected_at: dt.datetime
    shallow: bool
    commits_total: int  # non-merge commits touching the subfolder, bots included
    velocity: Velocity
    first_commit_at: dt.datetime | None
    last_human_commit_at: dt.datetime | None
    tags: tuple[TagInfo, ...]  # newest first, at most MAX_TAGS
    root_files: tuple[str, ...]  # names at the top of HEAD (and of the subfolder)


def is_bot(name: str, email: str) -> bool:
    mail = email.strip().lower()
    return bool(_BOT_NAME.search(name.strip())) or "[bot]@" in mail or mail in _BOT_EMAILS


def identity(name: str, email: str) -> str:
    """One key per person after the mailmap; a GitHub noreply address is its login."""
    mail = email.strip().lower()
    match = _NOREPLY.match(mail)
    if match:
        return "gh:" + match.group(1)
    return mail or "name:" + name.strip().lower()


def bus_factor(counts: Iterable[int]) -> int:
    """CHAOSS: the smallest number of contributors with more than 50% of the commits."""
    ordered = sorted(counts, reverse=True)
    total, running = sum(ordered), 0
    for n, count in enumerate(ordered, start=1):
        running += count
        if running * 2 > total:
            return n
    return 0


def validate_subfolder(subfolder: str | None) -> str | None:
    if subfolder is None or subfolder.strip() in {"", "/", "."}:
        return None
    clean = subfolder.rstrip("/")
    parts = clean.split("/")
    if (
        not _SUBFOLDER.match(clean)
        or clean.startswith("/")
        or any(p in {".", ".."} or p.startswith("-") for p in parts)
    ):
        raise SourceError(f"refusing repository subfolder {subfolder!r}: not a clean relative path")
    return clean


class _Git:
    """argv-only git runner bound to one repository directory."""

    def __init__(self, repo_dir: Path, home: str, timeout_s: float, allow_file: bool, mailmap: bool = True) -> None:
        mailmap_cfg = ["-c", "mailmap.blob=HEAD:.mailmap"] if mailmap else []
        self._base = ["git", *hardened_config(allow_file=allow_file), *mailmap_cfg, "-C", str(repo_dir)]
        self._env = git_env(home)
        self._timeout = timeout_s

    def __call__(self, *args: str, check: bool = True) -> str:
        try:
            done = subprocess.run(
                [*self._base, *args],
                env=self._env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=self._timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise GitFactsError(f"git {args[0]} took longer than {self._timeout:g} s") from exc
        if check and done.returncode != 0:
            err = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise GitFactsError(f"git {args[0]} failed: {err[-1] if err else done.returncode}")
        return done.stdout.decode("utf-8", "replace")


def _limit(subfolder: str | None) -> list[str]:
    """Path-limit a log to the server's folder; without one, every commit counts
    (even one that changes no file, which ``-- .`` would drop)."""
    return ["--", subfolder] if subfolder else []


def _rows(text: str) -> list[list[str]]:
    return [line.split("\x1f") for line in text.split("\n") if line]


@functools.lru_cache(maxsize=65536)
def _person(name: str, email: str) -> tuple[str, str] | None:
    """(identity, email domain) of a human, None for a bot; cached because a history
    has few authors and many commits."""
    if is_bot(name, email):
        return None
    domain = email.rsplit("@", 1)[1].strip().lower() if "@" in email else ""
    return identity(name, email), domain


def _co_authors(field: str) -> list[tuple[str, str]]:
    """Humans named by ``Co-authored-by:`` trailers (squash merges hide them otherwise)."""
    found = []
    for value in field.split("\x1d"):
        match = _TRAILER.match(value.strip())
        if match and (person := _person(match.group(1), match.group(2))) is not None:
            found.append(person)
    return found


def _window_figures(rows: list[list[str]], now_ts: int) -> Velocity:
    authors_90: set[str] = set()
    per_person: Counter[str] = Counter()
    domains: set[str] = set()
    weeks: set[int] = set()
    c90 = c365 = bots90 = future = 0
    co_authors: set[str] = set()
    for name, email, ct_text, *trailers in rows:
        ct = int(ct_text)
        if ct > now_ts:
            future += 1
            continue
        age = now_ts - ct
        if age > 365 * DAY:
            continue
        person = _person(name, email)
        if person is None:
            bots90 += age <= 90 * DAY
            continue
        for co in _co_authors(trailers[0] if trailers else ""):
            co_authors.add(co[0])
            authors_90.update([co[0]] if age <= 90 * DAY else [])
            domains.update([co[1]] if co[1] else [])
        who, domain = person
        c365 += 1
        per_person[who] += 1
        if domain:
            domains.add(domain)
        if age <= 90 * DAY:
            c90 += 1
            authors_90.add(who)
        if age < 13 * WEEK:
            weeks.add(age // WEEK)
    return Velocity(
        commits_90d=c90,
        commits_365d=c365,
        authors_90d=len(authors_90),
        authors_365d=len(co_authors | set(per_person)),
        active_weeks_13=len(weeks),
        bus_factor_365d=bus_factor(per_person.values()),
        bot_commits_90d=bots90,
        future_dated_commits=future,
        author_domains_365d=tuple(sorted(domains)),
    )


def velocity(git: _Git, subfolder: str | None, now: dt.datetime) -> Velocity:
    """The windowed figures: one ``git log`` bounded to the last 365 days."""
    now_ts = int(now.timestamp())
    since = f"--since-as-filter=@{now_ts - 365 * DAY}"
    fmt = "--format=%aN%x1f%aE%x1f%ct%x1f%(trailers:key=Co-authored-by,valueonly,separator=%x1d)"
    out = git("log", "--no-merges", since, fmt, "HEAD", *_limit(subfolder))
    return _window_figures(_rows(out), now_ts)


def _history_bounds(git: _Git, subfolder: str | None, now_ts: int) -> tuple[dt.datetime | None, dt.datetime | None]:
    """(first commit, last human commit) over the whole path-limited history."""
    out = git("log", "--no-merges", "--format=%aN%x1f%aE%x1f%ct", "HEAD", *_limit(subfolder))
    first: int | None = None
    last_human: int | None = None
    for name, email, ct_text in _rows(out):
        ct = int(ct_text)
        first = ct if first is None else min(first, ct)
        if ct <= now_ts and _person(name, email) is not None:
            last_human = ct if last_human is None else max(last_human, ct)
    return (utc(first) if first is not None else None, utc(last_human) if last_human is not None else None)


def _tags(git: _Git) -> tuple[TagInfo, ...]:
    out = git(
        "for-each-ref",
        "--sort=-creatordate",
        f"--count={MAX_TAGS}",
        "--format=%(refname:short)%09%(creatordate:unix)",
        "refs/tags",
    )
    tags = []
    for line in out.splitlines():
        name, _, ts = line.rpartition("\t")
        if name and ts.isdigit():
            tags.append(TagInfo(name=name, created_at=utc(int(ts))))
    return tuple(tags)


def _root_files(git: _Git, subfolder: str | None) -> tuple[str, ...]:
    names = set(git("ls-tree", "--name-only", "HEAD").splitlines())
    for folder in (".github", "docs"):  # where SECURITY.md and friends also live
        if folder in names:
            inner = git("ls-tree", "--name-only", f"HEAD:{folder}", check=False).splitlines()
            names.update(f"{folder}/{n}" for n in inner)
    if subfolder:
        sub = git("ls-tree", "--name-only", f"HEAD:{subfolder}", check=False)
        names.update(sub.splitlines())
    return tuple(sorted(names))


def facts_from_clone(
    repo_dir: Path,
    *,
    repo: str,
    subfolder: str | None,
    now: dt.datetime,
    home: str,
    timeout_s: float = 60.0,
    mailmap: bool = True,
) -> GitFacts:
    """Read every figure from an existing clone (ours: never a user's working tree)."""
    sub = validate_subfolder(subfolder)
    git = _Git(repo_dir, home, timeout_s, allow_file=False, mailmap=mailmap)
    # A commit-graph keeps dates and parents in one mapped file, so every later
    # traversal skips inflating commit objects (about twice as fast on big histories).
    git("commit-graph", "write", "--reachable", check=False)
    head = git("rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False).strip()
    if not head:
        raise GitFactsError(f"repository {repo} has no commits")
    if sub and git("cat-file", "-t", f"HEAD:{sub}", check=False).strip() != "tree":
        raise GitFactsError(f"repository {repo} has no folder {sub!r} at HEAD")
    now_ts = int(now.timestamp())
    total = int(git("rev-list", "--count", "--no-merges", "HEAD", *_limit(sub)).strip())
    first, last_human = _history_bounds(git, sub, now_ts)
    return GitFacts(
        repo=repo,
        subfolder=sub,
        head=head,
        collected_at=now,
        shallow=git("rev-parse", "--is-shallow-repository").strip() == "true",
        commits_total=total,
        first_commit_at=first,
        last_human_commit_at=last_human,
        velocity=velocity(git, sub, now),
        tags=_tags(git),
        root_files=_root_files(git, sub),
    )


def collect_git_facts(source: str, *, subfolder: str | None, now: dt.datetime, settings: TrustSettings) -> GitFacts:
    """Clone ``source`` safely into a temporary folder and read its facts."""
    sub = validate_subfolder(subfolder)
    with tempfile.TemporaryDirectory(prefix="mcp-trust-git-", ignore_cleanup_errors=True) as tmp:
        home = Path(tmp) / "home"
        (home / "tmp").mkdir(parents=True)
        dest = Path(tmp) / "repo"
        safe_clone(
            source,
            dest,
            allow_local=settings.allow_local_repo,
            timeout_s=settings.clone_timeout_s,
            max_bytes=settings.max_repo_bytes,
            home=str(home),
        )
        mailmap = prefetch_mailmap(
            dest, home=str(home), timeout_s=settings.git_timeout_s, max_bytes=settings.max_repo_bytes
        )
        return facts_from_clone(
            dest,
            repo=source,
            subfolder=sub,
            now=now,
            home=str(home),
            timeout_s=settings.git_timeout_s,
            mailmap=mailmap,
        )
