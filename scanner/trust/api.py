"""Collect facts, judge, score: the one entry point the CLI and the registry call."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import httpx
import msgspec

from scanner.errors import ScannerError
from scanner.models import ScanReport
from scanner.serverjson import ServerJson
from scanner.trust.evidence import EvidenceBundle, Fetcher
from scanner.trust.facts import Facts
from scanner.trust.git_facts import GitFacts, collect_git_facts
from scanner.trust.gitclone import validate_source
from scanner.trust.policy import Policy, load_policy
from scanner.trust.records import TrustSettings
from scanner.trust.registry_facts import PackageRef, RegistryFacts, github_facts, package_facts
from scanner.trust.score import TrustResult, combine
from scanner.trust.signals import evaluate


def _package_refs(sj: ServerJson | None, settings: TrustSettings) -> list[PackageRef]:
    configured = {"pypi": settings.pypi_url, "npm": settings.npm_url}
    refs = []
    for p in sj.packages if sj else []:
        mine = configured.get(p.registry_type)
        refs.append(
            PackageRef(
                registry_type=p.registry_type,
                identifier=p.identifier,
                version=p.version,
                base_url=mine or p.registry_base_url,
                from_server_json=not mine and bool(p.registry_base_url),
            )
        )
    return refs


def _forge_host_matches(repo_url: str | None, settings: TrustSettings) -> bool:
    """Without a server.json saying ``source: github``, ask the GitHub API only about a URL
    on its own web host (``api.HOST`` or ``HOST/api/v3`` serve ``HOST``), so a repository
    elsewhere is never confused with a namesake there."""
    if not repo_url or not settings.github_api_url:
        return False
    api_host = (urlsplit(settings.github_api_url).hostname or "").lower()
    web_host = api_host.removeprefix("api.")
    return (urlsplit(repo_url).hostname or "").lower() == web_host


def _git(
    source: str | None,
    subfolder: str | None,
    offline: bool,
    now: dt.datetime,
    settings: TrustSettings,
) -> tuple[GitFacts | None, str]:
    if not source:
        return None, ""
    try:
        _, local = validate_source(source, allow_local=settings.allow_local_repo)
        if offline and not local:
            return None, ""  # offline: a remote repository is simply not looked at
        return collect_git_facts(source, subfolder=subfolder, now=now, settings=settings), ""
    except ScannerError as exc:
        return None, str(exc)


def collect_facts(
    server_json: ServerJson | None,
    scan: ScanReport | None,
    *,
    repo: str | None,
    offline: bool,
    subfolder: str | None = None,
    evidence: EvidenceBundle | None,
    http: httpx.Client | None,
    settings: TrustSettings,
    now: dt.datetime,
) -> tuple[Facts, Fetcher]:
    """All I/O happens here. The fetcher keeps what was fetched, for an evidence bundle."""
    if now.tzinfo is None:  # a naive clock is taken as UTC, never as local time
        now = now.replace(tzinfo=dt.UTC)
    declared = server_json.repository if server_json else None
    source = repo or (declared.url if declared else None)
    subfolder = subfolder or (declared.subfolder if declared else None)
    git, git_error = _git(source, subfolder, offline, now, settings)
    auth = (
        (settings.github_api_url, {"Authorization": f"Bearer {settings.github_token}"})
        if settings.github_token and settings.github_api_url
        else None
    )
    fetch = Fetcher(None if offline else http, bundle=evidence, now=now, max_bytes=settings.max_http_bytes, auth=auth)
    packages = tuple(package_facts(ref, fetch) for ref in _package_refs(server_json, settings))
    repo_url = declared.url if declared else (source if source and "://" in source else None)
    on_github = declared.source == "github" if declared else _forge_host_matches(repo_url, settings)
    forge = (
        github_facts(repo_url, settings.github_api_url, fetch)
        if on_github
        else RegistryFacts(github_state="not_github")
    )
    facts = Facts(
        collected_at=now,
        offline=offline,
        server_json=server_json,
        scan=scan,
        repo=repo_url,
        git=git,
        git_error=git_error,
        registry=msgspec.structs.replace(forge, packages=packages),
        sources=fetch.sources(),
    )
    return facts, fetch


def score_facts(facts: Facts, policy: Policy | None = None) -> TrustResult:
    """The pure part: judge the facts and score them under the policy."""
    policy = policy or load_policy()
    now = facts.collected_at
    result = combine(
        evaluate(facts, now),
        policy,
        now=now,
        offline=facts.offline,
        first_commit_at=facts.git.first_commit_at if facts.git else None,
    )
    return msgspec.structs.replace(
        result,
        server=facts.server_json.name if facts.server_json else None,
        repo=facts.repo or (facts.git.repo if facts.git else None),
        subfolder=facts.git.subfolder if facts.git else None,
        head=facts.git.head if facts.git else None,
        sources=facts.sources,
    )


def score_server(
    server_json: ServerJson | None,
    scan: ScanReport | None,
    *,
    repo: str | None,
    offline: bool,
    evidence: EvidenceBundle | None,
    http: httpx.Client | None,
    settings: TrustSettings,
    now: dt.datetime | None = None,
    policy: Policy | None = None,
) -> TrustResult:
    """Score one server. ``msgspec.to_builtins(result)`` is what the registry stores."""
    facts, _ = collect_facts(
        server_json,
        scan,
        repo=repo,
        offline=offline,
        evidence=evidence,
        http=http,
        settings=settings,
        now=now or dt.datetime.now(dt.UTC),
    )
    return score_facts(facts, policy)
