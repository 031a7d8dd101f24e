"""Signals are pure functions of facts: each test builds the facts by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
import pytest

from scanner.serverjson import load_server_json
from scanner.trust import community, config, maintenance, publisher, scan_results, security
from scanner.trust.facts import Facts
from scanner.trust.git_facts import GitFacts, TagInfo, Velocity
from scanner.trust.records import Flag, Status
from scanner.trust.registry_facts import PackageFacts, RegistryFacts
from scanner.trust.settings import pypi_base_from_index, user_npm_url, user_pypi_url
from tests.trust.gitrepo import NOW
from tests.trust.payloads import asset

REPO = "https://github.test/acme/weather"


def velocity(**kw: Any) -> Velocity:
    base = {
        "commits_90d": 10,
        "commits_365d": 40,
        "authors_90d": 2,
        "authors_365d": 3,
        "active_weeks_13": 6,
        "bus_factor_365d": 2,
        "bot_commits_90d": 0,
        "future_dated_commits": 0,
        "author_domains_365d": ("acme.io",),
    }
    return Velocity(**(base | kw))


def git(days_since_human: float | None = 3, first_days: float = 900, **kw: Any) -> GitFacts:
    last = None if days_since_human is None else NOW - dt.timedelta(days=days_since_human)
    fields: dict[str, Any] = {
        "repo": REPO,
        "subfolder": None,
        "head": "f" * 40,
        "collected_at": NOW,
        "shallow": False,
        "commits_total": 100,
        "velocity": velocity(),
        "first_commit_at": NOW - dt.timedelta(days=first_days),
        "last_human_commit_at": last,
        "tags": (),
        "root_files": ("LICENSE", "README.md"),
    }
    return GitFacts(**(fields | kw))


def facts(**kw: Any) -> Facts:
    return Facts(**({"collected_at": NOW, "offline": False, "repo": REPO} | kw))


def sj(**changes: Any) -> Any:
    doc = asset("server-weather.json")
    doc.update(changes)
    return load_server_json(doc)


def pkg(**kw: Any) -> PackageFacts:
    base: dict[str, Any] = {
        "registry_type": "pypi",
        "identifier": "weather-mcp",
        "version": "1.2.0",
        "base_url": "https://pypi.test",
        "state": "fetched",
        "files_total": 2,
        "files_attested": 2,
        "trusted_publisher": True,
        "attested_repositories": ("acme/weather",),
        "ownership_marker": "io.github.acme/weather",
        "declared_repository": REPO,
    }
    return PackageFacts(**(base | kw))


@pytest.mark.parametrize(
    ("days", "score"), [(0, 1.0), (30, 1.0), (31, 0.85), (90, 0.85), (180, 0.6), (365, 0.3), (366, 0.1)]
)
def test_recency_follows_the_step_table(days: int, score: float) -> None:
    result = maintenance.recency(facts(git=git(days)), NOW)
    assert (result.subscore, result.value) == (score, f"{days} days")
    assert (Flag.QUIET in result.flags) is (days > 365)


def test_a_shallow_clone_is_unknown_not_zero() -> None:
    result = maintenance.recency(facts(git=git(shallow=True)), NOW)
    assert result.status is Status.UNKNOWN and "shallow" in result.reason


def test_a_young_repository_is_flagged_new() -> None:
    assert Flag.NEW in maintenance.recency(facts(git=git(first_days=30)), NOW).flags


def test_registry_release_times_win_over_git_tags() -> None:
    tags = (TagInfo(name="v1", created_at=NOW - dt.timedelta(days=3)),)
    times = tuple(NOW - dt.timedelta(days=d) for d in (400, 200, 100))
    both = facts(git=git(tags=tags), registry=RegistryFacts(packages=(pkg(release_times=times),)))
    result = maintenance.release_cadence(both, NOW)
    assert result.source == "pypi" and result.value == "2 in 365 days, last 100 days ago"
    npm_times = tuple(NOW - dt.timedelta(days=d) for d in (300, 150, 50, 5))
    two = facts(
        registry=RegistryFacts(packages=(pkg(release_times=times), pkg(registry_type="npm", release_times=npm_times)))
    )
    busiest = maintenance.release_cadence(two, NOW)
    assert busiest.source == "npm" and busiest.value == "4 in 365 days, last 5 days ago"
    tags_only = maintenance.release_cadence(facts(git=git(tags=tags)), NOW)
    assert tags_only.source == "git tags" and tags_only.value.startswith("1 in 365 days")


def test_an_archived_repository_or_deprecated_package_is_flagged() -> None:
    from scanner.trust.registry_facts import GithubFacts

    gh = GithubFacts(
        full_name="acme/weather",
        owner="acme",
        archived=True,
        disabled=False,
        created_at=None,
        pushed_at=None,
        license_spdx="MIT",
        url="u",
    )
    result = maintenance.status(facts(registry=RegistryFacts(github=gh)), NOW)
    assert result.subscore == 0.0 and Flag.ARCHIVED in result.flags
    yanked = maintenance.status(facts(registry=RegistryFacts(packages=(pkg(deprecated=True),))), NOW)
    assert Flag.DEPRECATED in yanked.flags


@pytest.mark.parametrize(
    ("status", "flag"),
    [("quarantined", Flag.MALICIOUS), ("archived", Flag.ARCHIVED), ("deprecated", Flag.DEPRECATED)],
)
def test_a_pypi_project_status_marker_gates_or_caps(status: str, flag: Flag) -> None:
    result = maintenance.status(facts(registry=RegistryFacts(packages=(pkg(project_status=status),))), NOW)
    assert flag in result.flags and result.subscore == 0.0


def test_org_diversity_ignores_free_mail_and_noreply_domains() -> None:
    domains = ("acme.io", "gmail.com", "users.noreply.github.test", "weather.dev")
    result = community.org_diversity(facts(git=git(velocity=velocity(author_domains_365d=domains))), NOW)
    assert result.value == "2"


@pytest.mark.parametrize(("n", "score"), [(0, 0.0), (1, 0.25), (2, 0.6), (3, 0.8), (7, 1.0)])
def test_bus_factor_table(n: int, score: float) -> None:
    result = community.bus_factor(facts(git=git(velocity=velocity(bus_factor_365d=n))), NOW)
    assert result.subscore == score


def test_findings_subscore_has_socket_style_ceilings() -> None:
    assert scan_results.findings_subscore(0, 0, 0, 0) == 1.0
    assert scan_results.findings_subscore(1, 0, 0, 0) <= 0.25
    # one critical weighs more than any number of low findings
    assert scan_results.findings_subscore(0, 0, 0, 1000) > scan_results.findings_subscore(1, 0, 0, 0)
    assert scan_results.findings_subscore(0, 0, 30, 0) >= 0.3


def test_attestation_from_another_repository_is_a_provenance_mismatch() -> None:
    bad = pkg(attested_repositories=("mallory/weather",))
    result = publisher.attestation(
        facts(
            server_json=sj(),
            registry=RegistryFacts(packages=(bad, pkg(registry_type="npm", identifier="@acme/weather-mcp"))),
        ),
        NOW,
    )
    assert result.subscore == 0.0 and Flag.PROVENANCE_MISMATCH in result.flags


def test_a_package_not_yet_fetched_leaves_attestation_unknown() -> None:
    result = publisher.attestation(
        facts(server_json=sj(), registry=RegistryFacts(packages=(pkg(), pkg(state="unavailable", error="offline")))),
        NOW,
    )
    assert result.status is Status.UNKNOWN and result.to_improve


def test_a_remote_only_server_has_no_attestation_question() -> None:
    remote = sj(packages=[], remotes=[{"type": "streamable-http", "url": "https://mcp.acme.test/"}])
    assert publisher.attestation(facts(server_json=remote), NOW).status is Status.NOT_APPLICABLE


def test_a_namespace_that_does_not_own_the_repository_is_flagged() -> None:
    result = publisher.namespace(facts(server_json=sj(name="io.github.mallory/weather")), NOW)
    assert result.subscore == 0.0 and Flag.NAMESPACE_MISMATCH in result.flags


def _gh(**kw: Any) -> Any:
    from scanner.trust.registry_facts import GithubFacts

    base: dict[str, Any] = {
        "full_name": "acme/weather",
        "owner": "acme",
        "archived": False,
        "disabled": False,
        "created_at": None,
        "pushed_at": None,
        "license_spdx": "MIT",
        "url": "u",
        "repo_id": "812345678",
    }
    return GithubFacts(**(base | kw))


def test_a_repository_transferred_to_another_owner_fails_the_namespace() -> None:
    moved = facts(server_json=sj(), registry=RegistryFacts(github=_gh(owner="mallory")))
    result = publisher.namespace(moved, NOW)
    assert Flag.NAMESPACE_MISMATCH in result.flags


def test_a_repository_recreated_under_the_same_name_is_flagged() -> None:
    result = publisher.namespace(facts(server_json=sj(), registry=RegistryFacts(github=_gh(repo_id="999"))), NOW)
    assert result.subscore == 0.0 and result.flags == (Flag.REPOSITORY_MISMATCH,)
    assert "re-created" in result.value
    same = publisher.namespace(facts(server_json=sj(), registry=RegistryFacts(github=_gh())), NOW)
    assert same.subscore == 0.6 and not same.flags


def test_an_ownership_marker_naming_another_server_is_flagged() -> None:
    result = publisher.namespace(
        facts(server_json=sj(), registry=RegistryFacts(packages=(pkg(ownership_marker="io.github.mallory/other"),))),
        NOW,
    )
    assert Flag.NAMESPACE_MISMATCH in result.flags


def test_package_metadata_naming_another_repository_is_flagged() -> None:
    other = pkg(attested_repositories=(), declared_repository="https://github.test/mallory/x")
    result = publisher.repo_link(
        facts(server_json=sj(), registry=RegistryFacts(packages=(other, pkg(registry_type="npm")))), NOW
    )
    assert Flag.REPOSITORY_MISMATCH in result.flags


def test_a_trust_downgrade_is_flagged() -> None:
    result = publisher.attestation(
        facts(server_json=sj(), registry=RegistryFacts(packages=(pkg(trust_downgrade=True), pkg(registry_type="npm")))),
        NOW,
    )
    assert Flag.TRUST_DOWNGRADE in result.flags


def test_a_secret_looking_variable_not_marked_secret_fails_a_check() -> None:
    doc = asset("server-weather.json")
    doc["packages"][0]["environmentVariables"][0]["isSecret"] = False
    del doc["packages"][0]["environmentVariables"][1]["description"]
    result = config.declared(facts(server_json=load_server_json(doc)), NOW)
    assert result.value == "5/7 checks"
    assert "missing: env WEATHER_API_KEY marked isSecret" in result.evidence


def test_pinning_counts_exact_versions_only() -> None:
    doc = asset("server-weather.json")
    doc["packages"].append(
        {"registryType": "oci", "identifier": "ghcr.test/acme/weather:latest", "transport": {"type": "stdio"}}
    )
    result = config.pinning(facts(server_json=load_server_json(doc)), NOW)
    assert result.value == "2/3 pinned"


def test_tool_checks_need_descriptions_types_and_annotations() -> None:
    from tests.trust.test_score_server import scan_report

    scan = scan_report()
    tool = {"name": "t", "inputSchema": {"properties": {"q": {"description": "query"}}}}
    bare = msgspec.structs.replace(scan, tools=[msgspec.structs.replace(scan.tools[0], tool=tool)])
    result = config.tools(facts(scan=bare), NOW)
    assert result.value == "1/4 checks"  # described param only


def test_license_and_readme_from_the_tree() -> None:
    result = config.license_readme(facts(git=git(root_files=("README.md",))), NOW)
    assert result.subscore == 0.3 and result.to_improve == "add license"


def test_a_malware_advisory_is_a_block_flag() -> None:
    doc = asset("server-weather.json")
    doc["packages"] = doc["packages"][:1]
    result = security.vulnerabilities(
        facts(
            server_json=load_server_json(doc),
            registry=RegistryFacts(packages=(pkg(vulnerabilities=("MAL-2026-1234",)),)),
        ),
        NOW,
    )
    assert Flag.MALICIOUS in result.flags and result.subscore == pytest.approx(0.8)


def test_registry_urls_come_from_the_users_configuration() -> None:
    assert pypi_base_from_index("https://mirror.test/simple/") == "https://mirror.test"
    assert user_pypi_url({"PIP_INDEX_URL": "https://idx.test/simple"}) == "https://idx.test"
    seen: list[list[str]] = []

    def fake_run(argv: list[str]) -> str | None:
        seen.append(argv)
        return "https://corp.test/pypi/simple"

    assert user_pypi_url({}, run=fake_run) == "https://corp.test/pypi"
    assert seen[0][-3:] == ["config", "get", "global.index-url"]
    assert user_npm_url({"npm_config_registry": "https://npm.corp.test/"}) == "https://npm.corp.test"
    assert user_pypi_url({"PIP_INDEX_URL": "not a url"}) is None


def test_a_scan_of_another_server_is_not_used() -> None:
    from tests.trust.test_score_server import scan_report

    scan = scan_report()
    other = msgspec.structs.replace(
        scan, source=msgspec.structs.replace(scan.source, server_json_name="io.github.mallory/x")
    )
    result = scan_results.findings(facts(server_json=sj(), scan=other), NOW)
    assert result.status is Status.ERROR and "io.github.mallory/x" in result.reason
    mine = msgspec.structs.replace(
        scan, source=msgspec.structs.replace(scan.source, server_json_name="io.github.acme/weather")
    )
    assert scan_results.findings(facts(server_json=sj(), scan=mine), NOW).subscore == 1.0


@pytest.mark.parametrize(
    ("repo", "api", "asked"),
    [
        ("https://github.test/acme/weather", "https://api.github.test", True),
        ("https://gitlab.test/acme/weather", "https://api.github.test", False),
        ("https://ghe.corp.test/acme/weather", "https://ghe.corp.test/api/v3", True),
        ("https://github.test/acme/weather", None, False),
    ],
)
def test_without_server_json_only_repositories_on_the_forges_host_are_asked_about(
    repo: str, api: str | None, asked: bool
) -> None:
    from scanner.trust.api import _forge_host_matches
    from scanner.trust.records import TrustSettings

    assert _forge_host_matches(repo, TrustSettings(github_api_url=api)) is asked
