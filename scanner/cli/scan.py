"""``mcp-trust scan``: list a server's tools, pin their hashes, flag poisoning."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from scanner.errors import SourceError
from scanner.limits import DEFAULT_LIMITS
from scanner.models import ScanReport, Verdict
from scanner.report import Detector, report_to_json
from scanner.sources import HttpSource, ServerJsonSource, Source, StdioSource, ToolsFileSource

EPILOG = """\
sources (exactly one):
  --stdio CMD [ARG...]   run a local server over stdio. --stdio takes EVERYTHING after it
                         as the command, so put scan options first:
                           mcp-trust scan --format json --stdio python server.py --port 1
                         (a "--" right after --stdio is allowed and dropped)
  --url URL              a remote server (streamable HTTP; --transport sse for legacy SSE)
  --server-json FILE     an official MCP Registry server.json: its pypi/npm package is
                         installed at the pinned version into an isolated cache
                         (MCP_TRUST_CACHE_DIR, default ~/.cache/mcp-trust) and run over
                         stdio; with --remote N (or no packages) its remotes[N] is used
  --tools-file FILE      a saved tools/list result {"tools": [...]} or a saved scan

The server runs with a scrubbed environment (PATH, locale, a temporary HOME) plus
only what you pass with --env. A --url scan connects wherever you point it (your own
server, loopback included); --guard-network refuses private, loopback, link-local and
cloud metadata addresses as the registry always does, and --allow-scan-network CIDR
(repeatable, implies --guard-network) opens a range again.
Output: table for people, json (the stable contract) or sarif (GitHub code scanning).
Progress goes to stderr.

--sandbox auto (the default) runs the server, and a package's install, under
bubblewrap where it is installed: own PID namespace (nothing it starts outlives the
scan), no network while it runs, nothing of this machine but the system, its runtime
and the files its command names (for a package, only the package), resource limits.
Without bubblewrap, auto runs unconfined and says so on stderr; bwrap refuses instead.
Packages install from wheels only (an sdist runs code when built): --allow-sdist.

exit codes: 0 no tool, prompt, resource, template or server verdict at or above
--fail-on; 1 there is one (--fail-on clean: any finding at all); 2 usage,
connection or protocol error.
"""


def _drop_separator(args: list[str]) -> list[str]:
    """argparse refuses ``--stdio -- CMD``; the ``--`` is just a separator, so drop it."""
    if "--stdio" in args:
        i = args.index("--stdio")
        if args[i + 1 : i + 2] == ["--"]:
            return args[: i + 1] + args[i + 2 :]
    return args


def configure(parser: argparse.ArgumentParser) -> None:
    parse_known = parser.parse_known_args

    def parse_known_args(args: Any = None, namespace: Any = None) -> Any:
        return parse_known(_drop_separator(list(sys.argv[1:] if args is None else args)), namespace)

    parser.parse_known_args = parse_known_args  # type: ignore[method-assign]
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = EPILOG
    src = parser.add_mutually_exclusive_group(required=True)
    src.add_argument(
        "--stdio", nargs=argparse.REMAINDER, metavar="CMD", help="command to run; takes the REST of the line"
    )
    src.add_argument("--url", help="streamable HTTP (or SSE) endpoint")
    src.add_argument("--server-json", metavar="FILE", help="official server.json")
    src.add_argument("--tools-file", metavar="FILE", help="saved tools/list result or scan")
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="K=V",
        help="set a variable for the server (K alone passes your value of K)",
    )
    parser.add_argument(
        "--header", action="append", default=[], metavar="K:V", help="HTTP header for --url / remotes (repeatable)"
    )
    parser.add_argument(
        "--bearer-token-env", metavar="VAR", help="send 'Authorization: Bearer $VAR' (the token never goes on argv)"
    )
    parser.add_argument("--transport", choices=["streamable-http", "sse"], default="streamable-http")
    parser.add_argument(
        "--guard-network",
        action="store_true",
        help="refuse URLs that resolve to private, loopback, link-local or metadata addresses",
    )
    parser.add_argument(
        "--allow-scan-network",
        action="append",
        default=[],
        metavar="CIDR",
        help="with the guard: let the scan reach this range (repeatable; implies --guard-network)",
    )
    parser.add_argument(
        "--remote", type=int, metavar="N", help="with --server-json: scan remotes[N] instead of a package"
    )
    parser.add_argument(
        "--package", type=int, metavar="N", help="with --server-json: which packages[N] to install (default 0)"
    )
    parser.add_argument(
        "--sandbox",
        choices=["auto", "bwrap", "none"],
        default="auto",
        help="confine servers and installs with bubblewrap: auto (where installed), bwrap (required), none",
    )
    parser.add_argument(
        "--allow-sdist",
        action="store_true",
        help="with --server-json: let pip build an sdist (its build code runs, inside the sandbox)",
    )
    parser.add_argument("--format", choices=["table", "json", "sarif"], default="table")
    parser.add_argument("--output", "-o", metavar="FILE", help="write here (atomically)")
    parser.add_argument("--fail-on", choices=[v.value for v in Verdict], default="malicious")
    parser.add_argument(
        "--timeout",
        type=float,
        metavar="S",
        help=f"total time bound in seconds (default {DEFAULT_LIMITS.total_timeout_s:g})",
    )
    parser.add_argument("--no-detect", action="store_true", help="hash only; skip detection")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")


def _pairs(items: list[str], sep: str, what: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        key, found, value = item.partition(sep)
        key = key.strip()
        if not key:
            raise SourceError(f"bad {what} {item!r}: expected K{sep}V")
        if not found:
            if what != "--env":
                raise SourceError(f"bad {what} {item!r}: expected K{sep}V")
            if key not in os.environ:
                raise SourceError(f"--env {key}: not set in your environment")
            value = os.environ[key]
        out[key] = value.strip() if what == "--header" else value
    return out


def build_source(args: argparse.Namespace) -> Source:
    env = _pairs(args.env, "=", "--env")
    headers = _pairs(args.header, ":", "--header")
    token = None
    if args.bearer_token_env:
        token = os.environ.get(args.bearer_token_env)
        if not token:
            raise SourceError(f"--bearer-token-env {args.bearer_token_env}: variable is empty or unset")
    if args.stdio is not None:
        argv = list(args.stdio)
        if not argv:
            raise SourceError("--stdio needs a command, e.g. --stdio python server.py")
        return StdioSource(argv=tuple(argv), env=env, sandbox=args.sandbox)
    if args.url:
        return HttpSource(url=args.url, headers=headers, bearer_token=token, transport=args.transport)
    if args.server_json:
        return ServerJsonSource.from_file(
            args.server_json,
            env=env,
            headers=headers,
            sandbox=args.sandbox,
            allow_sdist=args.allow_sdist,
            package_index=args.package,
            remote_index=args.remote,
        )
    return ToolsFileSource(path=args.tools_file)


def unconfined_notice(source: Source) -> str | None:
    """The one-line notice when ``--sandbox auto`` will run code unconfined (no bubblewrap)."""
    if isinstance(source, ToolsFileSource):
        return None  # nothing runs
    from scanner.sandbox import find_bwrap

    if isinstance(source, ServerJsonSource):
        if source.remote_index is not None or not source.document.get("packages"):
            return None  # a remote: nothing runs here
    elif not isinstance(source, StdioSource):
        return None
    if source.sandbox != "auto" or find_bwrap(source.confinement.bwrap):
        return None
    return (
        "mcp-trust: notice: bubblewrap is not installed, so the server runs UNCONFINED with your rights "
        "(install it: apt-get install bubblewrap; --sandbox none silences this notice)"
    )


def load_detector(disabled: bool) -> Detector | None:
    """The detection engine when it is part of this build; hashing works without it."""
    if disabled:
        return None
    try:
        from scanner.detect import default_detector
    except ImportError:
        return None
    return default_detector()


def exit_code(report: ScanReport, fail_on: Verdict) -> int:
    if fail_on is Verdict.CLEAN:
        return 1 if report.all_findings() else 0
    return 1 if report.verdict.rank >= fail_on.rank else 0


def render(report: ScanReport, fmt: str) -> bytes:
    if fmt == "json":
        return report_to_json(report) + b"\n"
    if fmt == "sarif":
        from scanner.sarif import to_sarif

        return json.dumps(to_sarif(report), indent=2).encode() + b"\n"
    from scanner.render import render_scan

    return render_scan(report).encode()


def scan_tools_file(source: ToolsFileSource, limits: Any, detector: Detector | None) -> ScanReport:
    """A saved list contacts no server: read it without importing the MCP SDK, anyio or httpx
    (scanner.scan imports all three, ~1.5 CPU-s before a single tool is read)."""
    from scanner.models import SourceInfo
    from scanner.report import build_report
    from scanner.toolsfile import load_surface

    surface = load_surface(source.path, limits)
    return build_report(surface, SourceInfo(kind="tools-file", target=source.path), detector)


def _scan_server(args: argparse.Namespace, source: Source, limits: Any, detector: Any, progress: Any) -> ScanReport:
    """Contact the server (the MCP SDK, anyio, httpx and the address guard load only here)."""
    from scanner.netguard import AddressNotAllowed, NetworkPolicy
    from scanner.scan import scan_source_sync

    network = None
    if args.guard_network or args.allow_scan_network:
        network = NetworkPolicy(allow=tuple(args.allow_scan_network))
    try:
        return scan_source_sync(source, limits=limits, detector=detector, progress=progress, network=network)
    except AddressNotAllowed as exc:  # the CLI user is the operator: name the address
        raise SourceError(f"address not allowed: {exc.detail()} (--allow-scan-network CIDR opens a range)") from exc


def run(args: argparse.Namespace) -> int:
    from scanner.render import write_output

    source = build_source(args)
    notice = unconfined_notice(source)
    if notice:
        print(notice, file=sys.stderr, flush=True)
    limits = DEFAULT_LIMITS if args.timeout is None else DEFAULT_LIMITS.scaled_total(args.timeout)
    if args.timeout is not None and args.timeout <= 0:
        raise SourceError("--timeout must be positive")

    def progress(message: str) -> None:
        if not args.quiet:
            print(f"[scan] {message}", file=sys.stderr, flush=True)

    detector: Any = load_detector(args.no_detect)
    if isinstance(source, ToolsFileSource):
        report = scan_tools_file(source, limits, detector)
    else:
        report = _scan_server(args, source, limits, detector, progress)
    write_output(render(report, args.format), args.output)
    progress(f"{len(report.tools)} tools, manifest {report.manifest_sha256[:16]}, verdict {report.verdict.value}")
    return exit_code(report, Verdict(args.fail_on))
