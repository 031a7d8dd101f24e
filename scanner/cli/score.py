"""``mcp-trust score``: the explainable 0-100 trust score of one MCP server."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

import httpx
import msgspec

from scanner.errors import SourceError
from scanner.models import ScanReport
from scanner.trust.evidence import EvidenceBundle, load_bundle, save_bundle
from scanner.trust.gitclone import validate_source
from scanner.trust.policy import load_policy
from scanner.trust.records import TrustSettings, parse_time
from scanner.trust.score import Tier, TrustResult

MAX_INPUT_BYTES = 64 * 1024 * 1024

EPILOG = """\
inputs (at least one):
  --server-json FILE   an official MCP Registry server.json: namespace, packages, repository
  --repo PATH_OR_URL   the server's repository: an https:// URL (cloned blobless, no
                       checkout, no hooks, no submodules) or, with --allow-local-repo, a
                       local path (cloned the same way). Overrides server.json's repository.

Registry base URLs are never built in: --pypi-url / --npm-url, else your own
configuration (PIP_INDEX_URL or 'pip config get global.index-url';
npm_config_registry or 'npm config get registry'), else the server.json's
registryBaseUrl. The GitHub API is asked only with --github-api-url (or
MCP_TRUST_GITHUB_API_URL); a token is read from the variable named by
--github-token-env, never from argv.

--offline reads nothing from the network: the local clone, server.json, the scan
and an --evidence bundle. --save-evidence writes every answer used (URL, fetch
time, JSON) so the same score can be recomputed later with --evidence FILE
--offline --now TIME.

exit codes: 0 scored (and at or above --min-score); 1 below --min-score or
blocked; 2 usage, input or connection error.
"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = EPILOG
    parser.add_argument("--server-json", metavar="FILE", type=Path, help="official server.json")
    parser.add_argument("--repo", metavar="PATH_OR_URL", help="repository to measure")
    parser.add_argument("--subfolder", metavar="DIR", help="the server's folder in a monorepo")
    parser.add_argument("--scan", metavar="SCAN.json", type=Path, help="a saved 'mcp-trust scan --format json' report")
    parser.add_argument("--offline", action="store_true", help="no network at all")
    parser.add_argument("--evidence", metavar="FILE", type=Path, help="replay an evidence bundle")
    parser.add_argument(
        "--save-evidence", metavar="FILE", type=Path, help="write the answers used to an evidence bundle"
    )
    parser.add_argument(
        "--policy", metavar="FILE", type=Path, help="team policy (TOML; default: the shipped data/trust-policy.toml)"
    )
    parser.add_argument(
        "--allow-local-repo", action="store_true", help="allow --repo (or server.json) to name a local path"
    )
    parser.add_argument("--pypi-url", metavar="URL", help="PyPI-compatible JSON API base URL")
    parser.add_argument("--npm-url", metavar="URL", help="npm registry base URL")
    parser.add_argument("--github-api-url", metavar="URL", help="GitHub REST API base URL")
    parser.add_argument("--github-token-env", metavar="VAR", help="environment variable holding a GitHub token")
    parser.add_argument("--now", metavar="TIME", help="score as of this RFC 3339 time (default: now)")
    parser.add_argument(
        "--min-score", type=int, metavar="N", help="exit 1 when the score is below N (or the server is blocked)"
    )
    parser.add_argument("--format", choices=["table", "json"], default="table")


def _read(path: Path, what: str) -> bytes:
    try:
        if path.stat().st_size > MAX_INPUT_BYTES:
            raise SourceError(f"{what} {path} is larger than {MAX_INPUT_BYTES} bytes")
        return path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read {what} {path}: {exc.strerror}") from exc


def _scan(path: Path | None) -> ScanReport | None:
    if path is None:
        return None
    try:
        return msgspec.json.decode(_read(path, "scan report"), type=ScanReport)
    except msgspec.DecodeError as exc:  # ValidationError is a DecodeError
        raise SourceError(f"scan report {path} is not a mcp-trust scan: {exc}") from exc


def _settings(args: argparse.Namespace) -> TrustSettings:
    from scanner.trust.settings import user_npm_url, user_pypi_url

    token = os.environ.get(args.github_token_env) if args.github_token_env else None
    if args.github_token_env and not token:
        raise SourceError(f"--github-token-env {args.github_token_env} is not set")
    online = not args.offline
    return TrustSettings(
        pypi_url=args.pypi_url or (user_pypi_url() if online else None),
        npm_url=args.npm_url or (user_npm_url() if online else None),
        github_api_url=args.github_api_url or os.environ.get("MCP_TRUST_GITHUB_API_URL"),
        github_token=token,
        allow_local_repo=args.allow_local_repo,
    )


def _now(text: str | None) -> dt.datetime:
    if text is None:
        return dt.datetime.now(dt.UTC)
    when = parse_time(text)
    if when is None:
        raise SourceError(f"--now {text!r} is not an RFC 3339 time")
    return when


def run(args: argparse.Namespace) -> int:
    from scanner.serverjson import load_server_json
    from scanner.trust.api import collect_facts, score_facts

    if args.server_json is None and args.repo is None:
        raise SourceError("give --server-json FILE or --repo PATH_OR_URL (or both)")
    if args.repo is not None:  # refuse a bad source before anything runs
        validate_source(args.repo, allow_local=args.allow_local_repo)
    sj = load_server_json(_read(args.server_json, "server.json")) if args.server_json else None
    policy = load_policy(args.policy)
    bundle: EvidenceBundle | None = load_bundle(args.evidence) if args.evidence else None
    settings = _settings(args)
    now = _now(args.now)
    print("mcp-trust: collecting facts (git, registries)...", file=sys.stderr)
    http = None if args.offline else _client(settings)
    try:
        facts, fetcher = collect_facts(
            sj,
            _scan(args.scan),
            repo=args.repo,
            offline=args.offline,
            subfolder=args.subfolder,
            evidence=bundle,
            http=http,
            settings=settings,
            now=now,
        )
    finally:
        if http is not None:
            http.close()
    result = score_facts(facts, policy)
    if args.save_evidence:
        save_bundle(fetcher.bundle(), args.save_evidence)
        print(f"mcp-trust: evidence written to {args.save_evidence}", file=sys.stderr)
    if args.format == "json":
        sys.stdout.write(msgspec.json.format(msgspec.json.encode(result)).decode() + "\n")
    else:
        sys.stdout.write(render_table(result))
    failed = result.tier is Tier.BLOCKED or (args.min_score is not None and result.score < args.min_score)
    return 1 if failed else 0


def _client(settings: TrustSettings) -> httpx.Client:
    from scanner.report import scanner_version

    return httpx.Client(timeout=settings.http_timeout_s, headers={"User-Agent": f"mcp-trust/{scanner_version()}"})


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def render_table(result: TrustResult) -> str:
    """The breakdown for people: every signal, then what would raise the score."""
    out = [
        f"server      {result.server or '-'}",
        f"repository  {result.repo or '-'}"
        + (f" ({result.subfolder})" if result.subfolder else "")
        + (f" @ {result.head[:12]}" if result.head else ""),
        f"score       {result.score}/100  tier {result.tier.value}  confidence "
        f"{result.confidence:.2f}  (raw {result.raw_score:.2f}, policy {result.policy})",
    ]
    if result.blocked_by:
        out.append("blocked     " + ", ".join(f.value for f in result.blocked_by))
    for cap in result.caps:
        out.append(f"cap         {cap.cap} ({cap.flag.value}: {', '.join(cap.signals)})")
    if result.labels:
        out.append("labels      " + ", ".join(result.labels))
    out.append("")
    src_w = max(6, *(len(x.source) for x in result.signals))
    out.append(f"{'signal':<28} {'status':<14} {'sub':>5} {'w':>4} {'points':>7}  {'source':<{src_w}}  value")
    for x in result.signals:
        sub = _fmt(x.subscore) if x.subscore is not None else (f"~{x.prior:.2f}" if x.prior is not None else "-")
        out.append(
            f"{x.id:<28} {x.status.value:<14} {sub:>5} {x.weight:>4g} {x.points:>7.2f}  "
            f"{x.source:<{src_w}}  {x.value}"
            + (f" [{x.adjusted}]" if x.adjusted else "")
            + (f" [stale: {x.observed_at}]" if x.stale else "")
        )
    out.append("")
    out.append("pillars: " + "  ".join(f"{k} {p.points:.1f}/{p.max:.1f}" for k, p in result.pillars.items()))
    todo = [x for x in result.signals if x.to_improve]
    if todo:
        out.append("")
        out.append("to improve (~ marks an unknown scored at its cautious prior):")
        for x in todo:
            why = f" ({x.reason})" if x.reason else ""
            out.append(f"  {x.id}: {x.to_improve}{why}")
    if result.sources:
        out.append("")
        out.append("sources (third-party answers used):")
        out += [
            f"  {x.status:>3} {x.fetched_at} {x.url}" + (f" ({x.error})" if x.error else "") for x in result.sources
        ]
    return "\n".join(out) + "\n"
