"""Public entry point: scan one source into a ``ScanReport``.

    report = await scan_source(StdioSource(argv=("python", "server.py")))
    report = scan_source_sync(HttpSource(url="http://127.0.0.1:8000/mcp"))

The fetch (I/O, bounded) and the judgement (``scanner.report.build_report``
with an optional detector) stay apart, so detection never touches the server.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import anyio

from scanner.childenv import scrubbed_env, temp_home
from scanner.errors import ConnectionFailed, SourceError
from scanner.fetch import Progress, fetch_over
from scanner.fetch_http import ByteBudget, open_http
from scanner.fetch_stdio import StdioLink, open_stdio
from scanner.limits import DEFAULT_LIMITS, Limits
from scanner.models import ScanReport, SourceInfo, ToolSurface
from scanner.report import Detector, build_report
from scanner.sandbox import wrap_argv
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
) -> ScanReport:
    surface, info = await fetch_source(source, limits=limits, progress=progress)
    return build_report(surface, info, detector)


def scan_source_sync(
    source: Source,
    *,
    limits: Limits = DEFAULT_LIMITS,
    detector: Detector | None = None,
    progress: Progress | None = None,
) -> ScanReport:
    async def run() -> ScanReport:
        return await scan_source(source, limits=limits, detector=detector, progress=progress)

    return anyio.run(run)


async def fetch_source(
    source: Source, *, limits: Limits = DEFAULT_LIMITS, progress: Progress | None = None
) -> tuple[ToolSurface, SourceInfo]:
    say = progress or _quiet
    if isinstance(source, ToolsFileSource):
        surface = load_surface(source.path, limits)
        return surface, SourceInfo(kind="tools-file", target=source.path)
    if isinstance(source, StdioSource):
        surface = await fetch_stdio(source, limits, say)
        info = SourceInfo(kind="stdio", target=source.describe(), package=source.package, sandbox=source.sandbox)
        return surface, info
    if isinstance(source, HttpSource):
        say(f"connecting to {source.describe()} ({source.transport})")
        budget = ByteBudget(limits.max_stdout_bytes)
        surface = await fetch_over(
            open_http(source, limits, budget), limits, say, transport_failure=lambda: budget.failure
        )
        return surface, SourceInfo(kind=source.transport, target=source.describe())
    if isinstance(source, ServerJsonSource):
        from scanner.resolve import resolve_server_json

        resolved, name = await anyio.to_thread.run_sync(lambda: resolve_server_json(source, limits, say))
        surface, inner = await fetch_source(resolved, limits=limits, progress=say)
        return surface, SourceInfo(
            kind="server-json",
            target=source.describe(),
            server_json_name=name,
            package=inner.package,
            sandbox=inner.sandbox,
        )
    raise SourceError(f"unknown source type {type(source).__name__}")


async def fetch_stdio(source: StdioSource, limits: Limits, say: Progress) -> ToolSurface:
    with temp_home() as home:
        env = scrubbed_env(source.env, home)
        exe = shutil.which(source.argv[0], path=env["PATH"]) or _local(source.argv[0], source.cwd)
        if exe is None:
            raise ConnectionFailed(f"command not found: {source.argv[0]!r}")
        argv = [exe, *source.argv[1:]]
        if source.sandbox == "bwrap":
            argv = wrap_argv(argv, home=home, cwd=source.cwd)
        say(f"starting {source.describe()}" + (" (bwrap sandbox)" if source.sandbox == "bwrap" else ""))
        link = StdioLink(limits)
        try:
            return await fetch_over(
                open_stdio(argv, env, source.cwd, link),
                limits,
                say,
                transport_failure=lambda: link.failure,
            )
        except ConnectionFailed as exc:
            raise ConnectionFailed(_with_exit_detail(str(exc), link)) from exc


def _local(cmd: str, cwd: str | None) -> str | None:
    """A command given as a path (``./server``) that ``which`` did not resolve."""
    if "/" not in cmd:
        return None
    p = Path(cwd or ".") / cmd
    return str(p) if p.is_file() else None


def _with_exit_detail(message: str, link: StdioLink) -> str:
    parts = [message]
    if link.exited_by_itself and link.returncode is not None:
        parts.append(f"exit code {link.returncode}")
    tail = link.stderr_tail()
    if tail:
        parts.append(f"stderr: {tail}")
    return "; ".join(parts)
