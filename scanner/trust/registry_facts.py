"""Facts from package registries and the forge: who published what, from where.

Only I/O and decoding live here; judging is for the signal modules. Each base
URL comes from the caller (a setting, the server.json ``registryBaseUrl``, or
the user's pip/npm configuration read by ``scanner.trust.settings``): this
module never names a public host. Every request goes through a ``Fetcher``, so
the same code runs live, from an evidence bundle, or not at all (offline), and
an unreachable source gives "unavailable", never a crash.

Attestations are taken as the registry serves them. Both registries verify the
Sigstore signature when a file is uploaded; we do not re-verify it here (that is
said in the evidence), we check that the source repository they name is the
one the server declares.
"""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import json
from typing import Any
from urllib.parse import quote, urlsplit

import msgspec
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

from scanner.trust.evidence import EvidenceEntry, Fetcher
from scanner.trust.records import parse_time

PYPI_INTEGRITY = "application/vnd.pypi.integrity.v1+json"
PYPI_SIMPLE = "application/vnd.pypi.simple.v1+json"
SLSA_V1 = "https://slsa.dev/provenance/v1"
MAX_FILES = 50


class PackageRef(msgspec.Struct, frozen=True, kw_only=True):
    registry_type: str
    identifier: str
    version: str | None
    base_url: str | None  # already resolved: flag or user config, else server.json
    from_server_json: bool = False  # the base URL is the stranger's registryBaseUrl


class PackageFacts(msgspec.Struct, frozen=True, kw_only=True):
    registry_type: str
    identifier: str
    version: str | None
    base_url: str | None
    state: str  # fetched | unavailable | not_found | unsupported | no_base_url
    error: str = ""
    declared_repository: str | None = None
    ownership_marker: str | None = None  # mcpName / "mcp-name:" value found, if any
    files_total: int = 0
    files_attested: int = 0
    trusted_publisher: bool = False
    attested_repositories: tuple[str, ...] = ()
    trust_downgrade: bool = False
    deprecated: bool = False
    project_status: str | None = None  # PyPI PEP 792: active | archived | quarantined | deprecated
    vulnerabilities: tuple[str, ...] = ()
    release_times: tuple[dt.datetime, ...] = ()
    evidence: tuple[str, ...] = ()
    fetched_at: str | None = None  # when the registry answered (RFC 3339), for staleness


class GithubFacts(msgspec.Struct, frozen=True, kw_only=True):
    full_name: str
    owner: str
    archived: bool
    disabled: bool
    created_at: dt.datetime | None
    pushed_at: dt.datetime | None
    license_spdx: str | None
    url: str
    repo_id: str | None = None  # the forge's numeric id, compared with server.json repository.id
    fetched_at: str | None = None


class RegistryFacts(msgspec.Struct, frozen=True, kw_only=True):
    packages: tuple[PackageFacts, ...] = ()
    github: GithubFacts | None = None
    github_state: str = "unavailable"  # fetched | unavailable | not_github | no_base_url
    github_error: str = ""


def repo_key(url: str | None) -> tuple[str | None, str] | None:
    """``(host or None, "owner/repo")`` from the URL forms registries use, lowercased."""
    if not url:
        return None
    text = url.strip().removeprefix("git+")
    host: str | None
    if text.startswith("git@") and ":" in text:
        host, _, path = text[4:].partition(":")
    elif "://" in text:
        parts = urlsplit(text)
        host, path = parts.hostname or None, parts.path
    else:  # "owner/repo" as PyPI's trusted publisher states it
        host, path = None, text
    segments = [s for s in path.strip("/").removesuffix(".git").split("/") if s]
    if len(segments) < 2:
        return None
    return (host.lower() if host else None), "/".join(segments[:2]).lower()


def same_repo(a: str | None, b: str | None) -> bool | None:
    """None when either side cannot be read; hosts compared only when both are known."""
    ka, kb = repo_key(a), repo_key(b)
    if ka is None or kb is None:
        return None
    return ka[1] == kb[1] and (ka[0] is None or kb[0] is None or ka[0] == kb[0])


def _ok(entry: EvidenceEntry | None) -> dict[str, Any] | None:
    return entry.body if entry and entry.status == 200 and isinstance(entry.body, dict) else None


def _unavailable(ref: PackageRef, entry: EvidenceEntry | None, url: str) -> PackageFacts:
    if entry is not None and entry.status == 404:
        return PackageFacts(**_ref(ref), state="not_found", evidence=(url,), error=f"{url} answered 404")
    error = "no network and no evidence for it" if entry is None else (entry.error or f"{url} answered {entry.status}")
    return PackageFacts(**_ref(ref), state="unavailable", error=error)


def _ref(ref: PackageRef) -> dict[str, Any]:
    return {
        "registry_type": ref.registry_type,
        "identifier": ref.identifier,
        "version": ref.version,
        "base_url": ref.base_url,
    }


def _mcp_name_marker(readme: str) -> str | None:
    for line in readme.splitlines():
        _, sep, rest = line.partition("mcp-name:")
        if sep:
            return rest.strip().removesuffix("-->").strip().split()[0] if rest.strip() else None
    return None


def pypi_facts(ref: PackageRef, fetch: Fetcher) -> PackageFacts:
    base = (ref.base_url or "").rstrip("/")
    name = quote(ref.identifier, safe="")
    project_url = f"{base}/pypi/{name}/json"
    project = _ok(entry := fetch.get(project_url))
    if project is None:
        return _unavailable(ref, entry, project_url)
    fetched_at = entry.fetched_at if entry else None
    version = ref.version or str(project.get("info", {}).get("version") or "")
    version_url = f"{base}/pypi/{name}/{quote(version, safe='')}/json"
    release = _ok(entry := fetch.get(version_url))
    if release is None:
        return _unavailable(ref, entry, version_url)
    info = release.get("info") or {}
    urls = info.get("project_urls") or {}
    declared = next(
        (
            str(v)
            for k, v in urls.items()
            if str(k).lower() in {"source", "repository", "source code", "code", "github", "homepage"}
            and repo_key(str(v))
        ),
        None,
    )
    files = [f for f in release.get("urls") or [] if isinstance(f, dict)][:MAX_FILES]
    attested, repos, evidence = _pypi_attestations(base, name, version, files, fetch)
    status, downgrade, simple_url = _pypi_simple(base, name, version, bool(files) and attested == len(files), fetch)
    times = [
        parse_time(f.get("upload_time_iso_8601"))
        for files_ in (project.get("releases") or {}).values()
        for f in files_[:1]
        if isinstance(f, dict)
    ]
    vulns = tuple(
        str(v.get("id")) for v in release.get("vulnerabilities") or [] if isinstance(v, dict) and not v.get("withdrawn")
    )
    return PackageFacts(
        **{**_ref(ref), "version": version},
        state="fetched",
        fetched_at=fetched_at,
        declared_repository=declared,
        ownership_marker=_mcp_name_marker(str(info.get("description") or "")),
        files_total=len(files),
        files_attested=attested,
        trusted_publisher=bool(repos),
        attested_repositories=tuple(sorted(repos)),
        trust_downgrade=downgrade,
        deprecated=bool(info.get("yanked")),
        project_status=status,
        vulnerabilities=vulns,
        release_times=tuple(sorted(t for t in times if t)),
        evidence=(project_url, version_url, *evidence, *([simple_url] if simple_url else [])),
    )


def _pypi_attestations(
    base: str, name: str, version: str, files: list[dict[str, Any]], fetch: Fetcher
) -> tuple[int, set[str], list[str]]:
    """(files with a PEP 740 attestation, trusted-publisher repositories, evidence URLs)."""
    attested, repos, evidence = 0, set(), []
    for file in files:
        prov_url = (
            f"{base}/integrity/{name}/{quote(version, safe='')}/"
            f"{quote(str(file.get('filename', '')), safe='')}/provenance"
        )
        prov = _ok(fetch.get(prov_url, accept=PYPI_INTEGRITY))
        bundles = (prov or {}).get("attestation_bundles") or []
        if bundles:
            attested += 1
            evidence.append(prov_url)
        for bundle in bundles:
            publisher = bundle.get("publisher") or {}
            if publisher.get("repository"):
                repos.add(str(publisher["repository"]))
    return attested, repos, evidence


def _file_version(filename: str) -> Version | None:
    try:
        if filename.endswith(".whl"):
            return parse_wheel_filename(filename)[1]
        return parse_sdist_filename(filename)[1]
    except (InvalidWheelFilename, InvalidSdistFilename, InvalidVersion):
        return None


def _pypi_simple(
    base: str, name: str, version: str, all_attested: bool, fetch: Fetcher
) -> tuple[str | None, bool, str | None]:
    """(PEP 792 project status, trust downgrade?, evidence URL) from the Simple JSON API,
    which says in one answer which files of every release carry a provenance (PEP 740)."""
    url = f"{base}/simple/{name}/"
    body = _ok(fetch.get(url, accept=PYPI_SIMPLE))
    if body is None:
        return None, False, None
    status = (body.get("meta") or {}).get("project-status")
    releases: dict[Version, tuple[dt.datetime, bool]] = {}
    for file in body.get("files") or []:
        ver = _file_version(str(file.get("filename", "")))
        when = parse_time(file.get("upload-time"))
        if ver is None or when is None:
            continue
        first, proven = releases.get(ver, (when, True))
        releases[ver] = (min(first, when), proven and bool(file.get("provenance")))
    try:
        mine = releases.get(Version(version))
    except InvalidVersion:
        mine = None
    if mine is None or all_attested:
        return (str(status) if status else None), False, url
    downgrade = any(proven and when < mine[0] and not ver.is_prerelease for ver, (when, proven) in releases.items())
    return (str(status) if status else None), downgrade, url


def _npm_rank(doc: dict[str, Any]) -> int:
    """pnpm's trust ranking: trusted publisher 2 > provenance 1 > none 0."""
    if (doc.get("_npmUser") or {}).get("trustedPublisher"):
        return 2
    return 1 if (doc.get("dist") or {}).get("attestations") else 0


def _npm_downgrade(packument: dict[str, Any], version: str, rank: int) -> bool:
    times = packument.get("time") or {}
    mine = parse_time(times.get(version))
    if mine is None:
        return False
    for other, doc in (packument.get("versions") or {}).items():
        when = parse_time(times.get(other))
        if isinstance(doc, dict) and when and when < mine and "-" not in other and _npm_rank(doc) > rank:
            return True
    return False


def _slsa_repository(attestations: dict[str, Any]) -> str | None:
    for att in attestations.get("attestations") or []:
        if att.get("predicateType") != SLSA_V1:
            continue
        payload = ((att.get("bundle") or {}).get("dsseEnvelope") or {}).get("payload")
        try:
            statement = json.loads(base64.b64decode(str(payload)))
        except (ValueError, TypeError):
            return None
        workflow = (
            ((statement.get("predicate") or {}).get("buildDefinition") or {}).get("externalParameters") or {}
        ).get("workflow") or {}
        repo = workflow.get("repository")
        return str(repo) if repo else None
    return None


def npm_facts(ref: PackageRef, fetch: Fetcher) -> PackageFacts:
    base = (ref.base_url or "").rstrip("/")
    doc_url = f"{base}/{quote(ref.identifier, safe='@')}"
    packument = _ok(entry := fetch.get(doc_url))
    if packument is None:
        return _unavailable(ref, entry, doc_url)
    fetched_at = entry.fetched_at if entry else None
    version = ref.version or str((packument.get("dist-tags") or {}).get("latest") or "")
    doc = (packument.get("versions") or {}).get(version)
    if not isinstance(doc, dict):
        return PackageFacts(
            **_ref(ref), state="not_found", evidence=(doc_url,), error=f"version {version} is not in {doc_url}"
        )
    repo = doc.get("repository") or packument.get("repository")
    declared = repo.get("url") if isinstance(repo, dict) else repo
    rank, evidence = _npm_rank(doc), [doc_url]
    repos: tuple[str, ...] = ()
    if (doc.get("dist") or {}).get("attestations"):
        att_url = f"{base}/-/npm/v1/attestations/{quote(ref.identifier, safe='@')}@{version}"
        attested = _ok(fetch.get(att_url))
        slsa = _slsa_repository(attested) if attested else None
        repos = (slsa,) if slsa else ()
        evidence.append(att_url)
    times = [parse_time(str(v)) for k, v in (packument.get("time") or {}).items() if k not in {"created", "modified"}]
    return PackageFacts(
        **{**_ref(ref), "version": version},
        state="fetched",
        fetched_at=fetched_at,
        declared_repository=str(declared) if declared else None,
        ownership_marker=str(doc["mcpName"]) if doc.get("mcpName") else None,
        files_total=1,
        files_attested=1 if repos else 0,
        trusted_publisher=rank == 2,
        attested_repositories=repos,
        trust_downgrade=_npm_downgrade(packument, version, rank),
        deprecated=bool(doc.get("deprecated")),
        release_times=tuple(sorted(t for t in times if t)),
        evidence=tuple(evidence),
    )


def _refuse_stranger_url(url: str) -> str | None:
    """Why a server.json ``registryBaseUrl`` may not be asked (the registry service must not
    become a probe of its own network), or None. A team's own flag or pip/npm configuration
    is trusted and may name an internal mirror."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host:
        return f"registryBaseUrl {url!r} refused: not an https URL"
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return f"registryBaseUrl {url!r} refused: a local host name"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    if not address.is_global:
        return f"registryBaseUrl {url!r} refused: a non-public address"
    return None


def package_facts(ref: PackageRef, fetch: Fetcher) -> PackageFacts:
    if ref.registry_type not in {"pypi", "npm"}:
        return PackageFacts(
            **_ref(ref), state="unsupported", error=f"registry type {ref.registry_type!r} is not checked yet"
        )
    if not ref.base_url:
        return PackageFacts(**_ref(ref), state="no_base_url", error=f"no {ref.registry_type} base URL configured")
    if not fetch.available:
        return PackageFacts(**_ref(ref), state="unavailable", error="offline")
    if ref.from_server_json and (why := _refuse_stranger_url(ref.base_url)):
        return PackageFacts(**_ref(ref), state="unavailable", error=why)
    return pypi_facts(ref, fetch) if ref.registry_type == "pypi" else npm_facts(ref, fetch)


def github_facts(repo_url: str | None, api_url: str | None, fetch: Fetcher) -> RegistryFacts:
    key = repo_key(repo_url)
    if key is None:
        return RegistryFacts(github_state="not_github")
    if not api_url:
        return RegistryFacts(github_state="no_base_url", github_error="no GitHub API URL set")
    url = f"{api_url.rstrip('/')}/repos/{key[1]}"
    body = _ok(entry := fetch.get(url, accept="application/vnd.github+json"))
    if body is None:
        why = "offline" if entry is None else entry.error or f"{url} answered {entry.status}"
        return RegistryFacts(github_state="unavailable", github_error=why)
    return RegistryFacts(
        github_state="fetched",
        github=GithubFacts(
            fetched_at=entry.fetched_at if entry else None,
            full_name=str(body.get("full_name") or key[1]),
            owner=str((body.get("owner") or {}).get("login") or key[1].split("/")[0]),
            archived=bool(body.get("archived")),
            disabled=bool(body.get("disabled")),
            created_at=parse_time(body.get("created_at")),
            pushed_at=parse_time(body.get("pushed_at")),
            license_spdx=(body.get("license") or {}).get("spdx_id"),
            url=url,
            repo_id=str(body["id"]) if body.get("id") is not None else None,
        ),
    )
