"""History figures from real repositories with controlled dates, checked exactly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from scanner.trust.git_facts import GitFacts, bus_factor, collect_git_facts, identity, is_bot
from scanner.trust.records import TrustSettings
from tests.trust.gitrepo import DAY, NOW, WEATHER, RepoBuilder, build_monorepo

LOCAL = TrustSettings(allow_local_repo=True)


@pytest.fixture(scope="module")
def monorepo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("git") / "mono"
    build_monorepo(path)
    return path


def ago(days: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(NOW.timestamp() - days * DAY, dt.UTC)


def test_whole_repository_figures_count_humans_once_each_and_skip_bots_merges_and_the_future(
    monorepo: Path,
) -> None:
    facts = collect_git_facts(str(monorepo), subfolder=None, now=NOW, settings=LOCAL)
    v = facts.velocity
    assert facts.commits_total == 18  # every non-merge commit, bots and future included
    assert (v.commits_90d, v.commits_365d) == (8, 11)
    assert (v.authors_90d, v.authors_365d) == (3, 3)  # Alice's old address is mailmapped
    assert v.active_weeks_13 == 4  # weeks 0, 1, 2 and 5 back from NOW
    assert v.bus_factor_365d == 1  # Alice has 6 of the 11 human commits
    assert v.bot_commits_90d == 3  # dependabot twice, github-actions once
    assert v.future_dated_commits == 1
    assert v.author_domains_365d == ("acme.io", "example.org", "weather.dev")
    assert facts.first_commit_at == ago(400)
    assert facts.last_human_commit_at == ago(2)
    assert [(t.name, t.created_at) for t in facts.tags] == [("v0.2", ago(10)), ("v0.1", ago(200))]
    assert {"README.md", "LICENSE", ".mailmap", ".github/SECURITY.md"} <= set(facts.root_files)
    assert facts.shallow is False
    assert facts.collected_at == NOW


def test_a_monorepo_subfolder_counts_only_the_commits_that_touch_it(monorepo: Path) -> None:
    facts = collect_git_facts(str(monorepo), subfolder=WEATHER, now=NOW, settings=LOCAL)
    v = facts.velocity
    assert facts.subfolder == WEATHER
    assert facts.commits_total == 4
    assert (v.commits_90d, v.commits_365d) == (3, 4)
    assert (v.authors_90d, v.authors_365d) == (2, 2)
    assert v.active_weeks_13 == 3
    assert v.bus_factor_365d == 2  # Alice 2, Carol 2
    assert v.bot_commits_90d == 0
    assert facts.first_commit_at == ago(300)
    assert facts.last_human_commit_at == ago(2)
    assert "README.md" in facts.root_files and "tools.py" in facts.root_files


def test_a_subfolder_missing_at_head_is_an_error_not_a_dead_project(monorepo: Path) -> None:
    from scanner.trust.gitclone import GitFactsError

    with pytest.raises(GitFactsError, match="no folder 'servers/nope'"):
        collect_git_facts(str(monorepo), subfolder="servers/nope", now=NOW, settings=LOCAL)


def test_without_the_mailmap_the_same_person_would_count_twice(tmp_path: Path) -> None:
    r = RepoBuilder(tmp_path / "r")
    r.commit(5, "Alice", "alice@acme.io", "a.py")
    r.commit(4, "Alice Old", "alice@old.example", "b.py")
    before = collect_git_facts(str(r.path), subfolder=None, now=NOW, settings=LOCAL)
    r.commit(3, "Alice", "alice@acme.io", ".mailmap", content="Alice <alice@acme.io> <alice@old.example>\n")
    after = collect_git_facts(str(r.path), subfolder=None, now=NOW, settings=LOCAL)
    assert before.velocity.authors_90d == 2
    assert after.velocity.authors_90d == 1


def test_co_authors_count_as_contributors_but_not_for_the_bus_factor(tmp_path: Path) -> None:
    r = RepoBuilder(tmp_path / "r")
    r.commit(
        5,
        "Alice",
        "alice@acme.io",
        "a.py",
        message=(
            "pair work\n\nCo-authored-by: Dana <dana@co.test>\n"
            "Co-authored-by: dependabot[bot] <1+dependabot[bot]@users.noreply.github.com>"
        ),
    )
    r.commit(200, "Alice", "alice@acme.io", "b.py", message=("old pair work\n\nCo-authored-by: Erin <erin@far.test>"))
    v = collect_git_facts(str(r.path), subfolder=None, now=NOW, settings=LOCAL).velocity
    assert (v.authors_90d, v.authors_365d) == (2, 3)  # Dana within 90 days, Erin within 365
    assert v.bus_factor_365d == 1
    assert v.author_domains_365d == ("acme.io", "co.test", "far.test")


def test_an_oversized_mailmap_is_ignored_not_read(tmp_path: Path) -> None:
    r = RepoBuilder(tmp_path / "r")
    r.commit(5, "Alice", "alice@acme.io", "a.py")
    r.commit(4, "Alice Old", "alice@old.example", "b.py")
    huge = "Alice <alice@acme.io> <alice@old.example>\n" + "# padding\n" * 200_000
    r.commit(3, "Alice", "alice@acme.io", ".mailmap", content=huge)
    v = collect_git_facts(str(r.path), subfolder=None, now=NOW, settings=LOCAL).velocity
    assert v.authors_90d == 2


def test_a_hundred_bot_commits_add_no_human_activity(tmp_path: Path) -> None:
    r = RepoBuilder(tmp_path / "r")
    r.commit(200, "Alice", "alice@acme.io", "a.py")
    for i in range(100):
        r.commit(1 + i * 0.5, "renovate[bot]", "29139614+renovate[bot]@users.noreply.github.com")
    facts = collect_git_facts(str(r.path), subfolder=None, now=NOW, settings=LOCAL)
    assert facts.velocity.commits_90d == 0
    assert facts.velocity.active_weeks_13 == 0
    assert facts.velocity.bot_commits_90d == 100
    assert facts.last_human_commit_at == ago(200)


def test_a_burst_of_fifty_commits_in_one_week_is_one_active_week(tmp_path: Path) -> None:
    r = RepoBuilder(tmp_path / "r")
    for i in range(50):
        r.commit(1 + i * 0.1, "Alice", "alice@acme.io")
    facts = collect_git_facts(str(r.path), subfolder=None, now=NOW, settings=LOCAL)
    assert facts.velocity.commits_90d == 50
    assert facts.velocity.active_weeks_13 == 1


def test_a_repository_without_commits_is_an_error_not_zeros(tmp_path: Path) -> None:
    from scanner.trust.gitclone import GitFactsError

    RepoBuilder(tmp_path / "empty")
    with pytest.raises(GitFactsError, match=r"no commits|failed"):
        collect_git_facts(str(tmp_path / "empty"), subfolder=None, now=NOW, settings=LOCAL)


@pytest.mark.parametrize("sub", ["../etc", "/abs", "a/../../b", "-x", "a b", "a:b"])
def test_a_subfolder_that_is_not_a_clean_relative_path_is_refused(sub: str, monorepo: Path) -> None:
    from scanner.errors import SourceError

    with pytest.raises(SourceError, match="subfolder"):
        collect_git_facts(str(monorepo), subfolder=sub, now=NOW, settings=LOCAL)


@pytest.mark.parametrize(
    ("name", "email", "bot"),
    [
        ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", True),
        ("Renovate Bot", "bot@renovateapp.com", True),
        ("github-actions", "action@github.com", True),
        ("pre-commit-ci[bot]", "66853113+pre-commit-ci[bot]@users.noreply.github.com", True),
        ("Botond Kiss", "botond@example.org", False),
        ("Alice", "alice@acme.io", False),
    ],
)
def test_bots_are_recognised_by_name_suffix_or_known_address(name: str, email: str, bot: bool) -> None:
    assert is_bot(name, email) is bot


def test_a_github_noreply_address_is_its_login() -> None:
    assert identity("A", "123+Alice@users.noreply.github.com") == "gh:alice"
    assert identity("A", "Alice@Acme.io") == "alice@acme.io"


@pytest.mark.parametrize(
    ("counts", "expected"),
    [([], 0), ([5], 1), ([3, 3], 2), ([1000, 433, 300, 200, 100], 2), ([1, 1, 1, 1], 3)],
)
def test_bus_factor_is_the_fewest_people_with_more_than_half(counts: list[int], expected: int) -> None:
    assert bus_factor(counts) == expected


def test_facts_are_frozen_records() -> None:
    assert GitFacts.__struct_config__.frozen
