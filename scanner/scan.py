"""Public entry point: scan one source into a ``ScanReport``.

    report = await scan_source(StdioSource(argv=("python", "server.py")))
    report = scan_source_sync(HttpSource(url="http://127.0.0.1:8000/mcp"))

The fetch (I/O, bounded) and the judgement (``scanner.report.build_report``
with an optional detector) stay apart, so detection never touches the server.
"""

from __future__ import annotations

import anyio

from scanner.errors import ConnectionFailed, SourceError
from scanner.fetch import Era, Progress, fetch_each_era, fetch_over
from scanner.fetch_http import ByteBudget, open_http
from scanner.fetch_stdio import StdioLink, launch, open_stdio
from scanner.limits import DEFAULT_LIMITS, Limits
from scanner.models import ScanReport, SourceInfo, ToolSurface
from scanner.netguard import NetworkPolicy
from scanner.report import Detector, build_report
from scanner.sandbox import resolve_mode
from scanner.sources import HttpSource, ServerJsonSource, Source, StdioSource, ToolsFileSource
from scanner.toolsfile import load_surface


def _quiet(_: str) -> None:
    return None


async def scan_source(
    source: Source,
    *,
    limits: Limits = DEFAULT_LIMITS,
    detector: Detector | None = None,
    progress: Progress | None = None,
    network: NetworkPolicy | None = None,
) -> ScanReport:
    """``network``: the address guard for URL sources (None: unguarded, as a local CLI scan)."""
    surface, info = await fetch_source(source, limits=limits, progress=progress, network=network)
    return build_report(surface, info, detector)


def scan_source_sync(
    source: Source,
    *,
    limits: Limits = DEFAULT_LIMITS,
    detector: Detector | None = None,
    progress: Progress | None = None,
    network: NetworkPolicy | None = None,
) -> ScanReport:
    async def run() -> ScanReport:
        return await scan_source(source, limits=limits, detector=detector, progress=progress, network=network)

    return anyio.run(run)


async def fetch_source(
    source: Source,
    *,
    limits: Limits = DEFAULT_LIMITS,
    progress: Progress | None = None,
    network: NetworkPolicy | None = None,
) -> tuple[ToolSurface, SourceInfo]:
    say = progress or _quiet
    if isinstance(source, ToolsFileSource):
        surface = load_surface(source.path, limits)
        return surface, SourceInfo(kind="tools-file", target=source.path)
    if isinstance(source, StdioSource):
        sandbox = resolve_mode(source.sandbox, source.confinement.bwrap)
        surface = await fetch_stdio(source, limits, say, sandbox)
        info = SourceInfo(kind="stdio", target=source.describe(), package=source.package, sandbox=sandbox)
        return surface, info
    if isinstance(source, HttpSource):
        say(f"connecting to {source.describe()} ({source.transport})")

        async def over_http(era: Era, bounds: Limits) -> ToolSurface:
            budget = ByteBudget(bounds.max_stdout_bytes)
            transport = open_http(source, bounds, budget, network)
            return await fetch_over(transport, bounds, say, transport_failure=lambda: budget.failure, era=era)

        surface = await fetch_each_era(over_http, limits, say)
        return surface, SourceInfo(kind=source.transport, target=source.describe())
    if isinstance(source, ServerJsonSource):
        from scanner.resolve import resolve_server_json

        resolved, name = await anyio.to_thread.run_sync(lambda: resolve_server_json(source, limits, say, network))
        surface, inner = await fetch_source(resolved, limits=limits, progress=say, network=network)
        return surface, SourceInfo(
            kind="server-json",
            target=source.describe(),
            server_json_name=name,
            package=inner.package,
            sandbox=inner.sandbox,
        )
    raise SourceError(f"unknown source type {type(source).__name__}")


async def fetch_stdio(source: StdioSource, limits: Limits, say: Progress, sandbox: str = "none") -> ToolSurface:
    """Run ``source``'s server (``sandbox``: ``bwrap`` or ``none``) and fetch its surface
    (a server that speaks only the stateless protocol is started again to be asked so)."""
    return await fetch_each_era(lambda era, bounds: _fetch_stdio(source, bounds, say, sandbox, era), limits, say)


async def _fetch_stdio(source: StdioSource, limits: Limits, say: Progress, sandbox: str, era: Era) -> ToolSurface:
    with launch(source, sandbox, limits) as spec:
        say(f"starting {source.describe()}" + (" (bwrap sandbox)" if sandbox == "bwrap" else " (no sandbox)"))
        link = StdioLink(limits)
        try:
            transport = open_stdio(spec, link)
            return await fetch_over(transport, limits, say, transport_failure=lambda: link.failure, era=era)
        except ConnectionFailed as exc:
            raise ConnectionFailed(_with_exit_detail(str(exc), link)) from exc


def _with_exit_detail(message: str, link: StdioLink) -> str:
    parts = [message]
    if link.exited_by_itself and link.returncode is not None:
        parts.append(f"exit code {link.returncode}")
    tail = link.stderr_tail()
    if tail:
        parts.append(f"stderr: {tail}")
    return "; ".join(parts)
