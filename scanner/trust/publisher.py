"""Publisher verification: is the thing installed built from the repository declared?

The chain is: server.json namespace -> repository owner -> package ownership
marker (npm ``mcpName``, PyPI README ``mcp-name:``) -> registry attestation whose
source repository is the declared one. Any broken link is a flag the policy
caps; a link we could not check is unknown, never a pass.
"""

from __future__ import annotations

import datetime as dt

from scanner.trust.facts import Facts, oldest
from scanner.trust.records import Flag, SignalResult, Status, not_applicable, unknown
from scanner.trust.registry_facts import PackageFacts, repo_key, same_repo

CHECKED_REGISTRIES = frozenset({"pypi", "npm"})
_ONLINE_HINT = (
    "run online (or replay an evidence bundle with --evidence FILE) with the "
    "package registry reachable (--pypi-url / --npm-url or the user's pip/npm config)"
)


def _packages(sid: str, facts: Facts) -> list[PackageFacts] | SignalResult:
    if facts.server_json is None:
        return unknown(sid, "server.json", "no server.json, so no packages are known", "pass --server-json FILE")
    if not facts.server_json.packages:
        return not_applicable(sid, "server.json", "remote-only server: no package is installed")
    fetched = [p for p in facts.registry.packages if p.state == "fetched"]
    if len(fetched) < len(facts.server_json.packages):
        missing = [p for p in facts.registry.packages if p.state != "fetched"]
        why = "; ".join(f"{p.identifier}: {p.error or p.state}" for p in missing) or "offline"
        return unknown(sid, "registry", why, _ONLINE_HINT)
    return fetched


def _attestation_score(pkg: PackageFacts, repo: str | None) -> tuple[float, list[Flag], str]:
    attested = pkg.attested_repositories
    if attested and repo and not all(same_repo(r, repo) for r in attested):
        return (
            0.0,
            [Flag.PROVENANCE_MISMATCH],
            (f"{pkg.identifier}: attested source {', '.join(attested)} is not {repo}"),
        )
    flags = [Flag.TRUST_DOWNGRADE] if pkg.trust_downgrade else []
    all_files = pkg.files_total > 0 and pkg.files_attested == pkg.files_total
    if pkg.trusted_publisher and all_files:
        score, what = 1.0, "trusted publisher, every file attested"
    elif all_files:
        score, what = 0.8, "provenance attested"
    elif pkg.files_attested:
        score, what = 0.6, f"{pkg.files_attested}/{pkg.files_total} files attested"
    else:
        score, what = 0.1, "no attestation"
    if score > 0.1 and not repo:
        score, what = min(score, 0.6), what + " (no declared repository to compare)"
    return score, flags, f"{pkg.identifier} {pkg.version}: {what}"


def attestation(facts: Facts, now: dt.datetime) -> SignalResult:
    """Registry attestations (PEP 740 / npm provenance) naming the declared repository."""
    sid = "publisher.attestation"
    pkgs = _packages(sid, facts)
    if isinstance(pkgs, SignalResult):
        return pkgs
    results = [_attestation_score(p, facts.repo) for p in pkgs]
    score = min(r[0] for r in results)
    flags = tuple(dict.fromkeys(f for r in results for f in r[1]))
    return SignalResult(
        id=sid,
        status=Status.MEASURED,
        value="; ".join(r[2] for r in results),
        source="+".join(sorted({p.registry_type for p in pkgs})),
        subscore=score,
        flags=flags,
        observed_at=oldest(*(p.fetched_at for p in pkgs)),
        evidence=(
            *(e for p in pkgs for e in p.evidence),
            "attestation signatures were verified by the registry at upload, not re-verified",
        ),
        to_improve=""
        if score >= 1.0
        else "publish with a trusted publisher (OIDC) so every "
        "file carries an attestation naming the declared repository",
    )


def _namespace_owner(name: str) -> str | None:
    namespace = name.split("/", 1)[0]
    if namespace.lower().startswith("io.github."):
        return namespace[len("io.github.") :].lower()
    return None


def _marker_parts(pkgs: list[PackageFacts], name: str) -> tuple[list[float], list[str], bool]:
    parts, said, mismatch = [], [], False
    for pkg in pkgs:
        if pkg.ownership_marker is None:
            parts.append(0.3)
            said.append(f"{pkg.identifier}: no ownership marker")
        elif pkg.ownership_marker == name:
            parts.append(1.0)
            said.append(f"{pkg.identifier}: marker names {name}")
        else:
            mismatch = True
            said.append(f"{pkg.identifier}: marker names {pkg.ownership_marker}, not {name}")
    return parts, said, mismatch


def _owner_check(facts: Facts, owner: str | None) -> tuple[bool | None, list[str], bool]:
    """(namespace owns the repo?, what was seen, repository re-created under the same name?)"""
    gh = facts.registry.github
    key = repo_key(facts.repo)
    # the forge's answer wins over the URL: it follows renames and transfers
    repo_owner = gh.owner.lower() if gh else (key[1].split("/")[0] if key else None)
    said: list[str] = []
    ns_ok = None if owner is None or repo_owner is None else repo_owner == owner
    if ns_ok is not None:
        said.append(f"namespace owner {owner} {'owns' if ns_ok else 'does not own'} {facts.repo}")
    sj_repo = facts.server_json.repository if facts.server_json else None
    declared_id = sj_repo.id if sj_repo else None
    resurrected = bool(gh and declared_id and gh.repo_id and gh.repo_id != declared_id)
    if resurrected and gh:
        said.append(f"repository id {gh.repo_id} is not the declared {declared_id} (re-created?)")
    return ns_ok, said, resurrected


def namespace(facts: Facts, now: dt.datetime) -> SignalResult:
    """server.json namespace vs repository owner (and id), and package ownership markers."""
    sid = "publisher.namespace"
    if facts.server_json is None:
        return unknown(sid, "server.json", "no server.json, so no namespace", "pass --server-json FILE")
    name = facts.server_json.name
    ns_ok, said, resurrected = _owner_check(facts, _namespace_owner(name))
    pkgs = [p for p in facts.registry.packages if p.state == "fetched" and p.registry_type in CHECKED_REGISTRIES]
    parts, marker_said, mismatch = _marker_parts(pkgs, name)
    said += marker_said
    if ns_ok is not None:
        parts.insert(0, 1.0 if ns_ok else 0.0)
    if ns_ok is False or mismatch or resurrected:
        flags = [Flag.NAMESPACE_MISMATCH] if ns_ok is False or mismatch else []
        flags += [Flag.REPOSITORY_MISMATCH] if resurrected else []
        return SignalResult(
            id=sid,
            status=Status.MEASURED,
            value="; ".join(said),
            source="server.json+registry",
            subscore=0.0,
            flags=tuple(flags),
            observed_at=oldest(
                *(p.fetched_at for p in pkgs), facts.registry.github.fetched_at if facts.registry.github else None
            ),
            to_improve="publish under the repository owner's namespace with matching ownership markers",
        )
    if not parts:
        return unknown(sid, "server.json", "domain namespace and no package marker to check offline", _ONLINE_HINT)
    score = sum(parts) / len(parts)
    if not pkgs:  # the namespace alone proves less than the whole chain
        score = min(score, 0.6)
    return SignalResult(
        id=sid,
        status=Status.MEASURED,
        value="; ".join(said),
        source="server.json+registry",
        subscore=round(score, 4),
        observed_at=oldest(
            *(p.fetched_at for p in pkgs), facts.registry.github.fetched_at if facts.registry.github else None
        ),
        to_improve=""
        if score >= 1.0
        else "carry the server name in every package (npm mcpName, PyPI README 'mcp-name: NAME') and check it online",
    )


def repo_link(facts: Facts, now: dt.datetime) -> SignalResult:
    """The package metadata's repository vs the declared one."""
    sid = "publisher.repo_link"
    pkgs = _packages(sid, facts)
    if isinstance(pkgs, SignalResult):
        return pkgs
    if not facts.repo:
        return unknown(
            sid, "server.json", "no repository declared to compare with", "declare repository.url in server.json"
        )
    scores, said, flags = [], [], []
    for pkg in pkgs:
        if pkg.attested_repositories and all(same_repo(r, facts.repo) for r in pkg.attested_repositories):
            scores.append(1.0)
            said.append(f"{pkg.identifier}: attested link")
        elif pkg.declared_repository is None:
            scores.append(0.3)
            said.append(f"{pkg.identifier}: no repository in package metadata")
        elif same_repo(pkg.declared_repository, facts.repo):
            scores.append(0.6)
            said.append(f"{pkg.identifier}: metadata names {pkg.declared_repository}")
        else:
            scores.append(0.0)
            flags.append(Flag.REPOSITORY_MISMATCH)
            said.append(f"{pkg.identifier}: metadata names {pkg.declared_repository}, not {facts.repo}")
    score = min(scores)
    return SignalResult(
        id=sid,
        status=Status.MEASURED,
        value="; ".join(said),
        source="+".join(sorted({p.registry_type for p in pkgs})),
        subscore=score,
        flags=tuple(dict.fromkeys(flags)),
        observed_at=oldest(*(p.fetched_at for p in pkgs)),
        to_improve="" if score >= 1.0 else "publish with provenance so the link is attested",
    )
