"""Start one installed server under bubblewrap and list what it offers, with the official MCP client.

The sandbox has no network (every namespace unshared) and sees the host read-only, with the
checkout's top-level folder, /root and /home hidden behind empty tmpfs mounts (only the
server's own install folder and the Python build its venv links to are bound back, read-only),
a private /tmp holding a scratch HOME; it dies with us, and killing bwrap ends the server's
whole PID namespace.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import anyio
from launch import SANDBOX_HOME, SCRATCH
from mcp import types
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

MAX_PAGES = 50
# The top-level folder holding this checkout (and whatever sits beside it), and the home folders.
HIDDEN = ("/" + Path(__file__).resolve().parts[1], "/root", "/home")


@dataclass
class Listing:
    """What one server answered."""

    server_name: str
    server_version: str
    protocol_version: str
    instructions: str | None
    tools: list[dict[str, Any]]
    prompts: list[dict[str, Any]] = field(default_factory=list)
    resources: list[dict[str, Any]] = field(default_factory=list)
    templates: list[dict[str, Any]] = field(default_factory=list)


def bwrap_argv(argv: list[str], visible: list[Path]) -> list[str]:
    """The bwrap command line that runs argv confined, seeing only ``visible`` under the hidden trees."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise RuntimeError("bubblewrap (bwrap) is required to run strangers' servers")
    cmd = [bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--ro-bind", "/", "/",
           "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"]  # noqa: S108  # fmt: skip
    for hidden in HIDDEN:
        if Path(hidden).is_dir():
            cmd += ["--tmpfs", hidden]
    for path in visible:
        cmd += ["--ro-bind", str(path), str(path)]
    cmd += ["--dir", SANDBOX_HOME, "--dir", SCRATCH, "--chdir", SCRATCH]
    return [*cmd, "--", *argv]


def _dump(items: list[Any]) -> list[dict[str, Any]]:
    return [item.model_dump(mode="json", by_alias=True, exclude_none=True) for item in items]


async def _all_pages(fetch: Any, attr: str) -> list[dict[str, Any]]:
    """Every item of a paginated list, following nextCursor (bounded)."""
    items: list[Any] = []
    cursor: str | None = None
    for _ in range(MAX_PAGES):
        params = types.PaginatedRequestParams(cursor=cursor) if cursor else None
        page = await fetch(params=params)
        items += getattr(page, attr)
        cursor = page.next_cursor
        if not cursor:
            break
    return _dump(items)


async def _optional(fetch: Any, attr: str) -> list[dict[str, Any]]:
    """A list the server advertised but may fail to serve without a backend: empty on error."""
    try:
        return await _all_pages(fetch, attr)
    except Exception:  # noqa: BLE001 - the tools are what matters; a broken extra list is left empty
        return []


async def list_server(argv: list[str], env: dict[str, str], errlog: TextIO) -> Listing:
    """Initialize, then tools/list and (when advertised) prompts, resources and templates."""
    params = StdioServerParameters(command=argv[0], args=argv[1:], env=env, cwd="/")
    async with stdio_client(params, errlog=errlog) as (read, write), ClientSession(read, write) as session:
        init = await session.initialize()
        tools = await _all_pages(session.list_tools, "tools")
        caps = init.capabilities
        prompts = await _optional(session.list_prompts, "prompts") if caps.prompts else []
        resources = await _optional(session.list_resources, "resources") if caps.resources else []
        templates = await _optional(session.list_resource_templates, "resource_templates") if caps.resources else []
    return Listing(
        init.server_info.name, init.server_info.version, str(init.protocol_version), init.instructions,
        tools, prompts, resources, templates,
    )  # fmt: skip


def sandbox_env(settings: dict[str, str], extra_path: list[str]) -> dict[str, str]:
    """The whole environment a server gets: a PATH, the scratch HOME, quiet defaults and its settings."""
    path = ":".join([*extra_path, "/usr/local/bin", "/usr/bin", "/bin"])
    base = {"PATH": path, "HOME": SANDBOX_HOME, "TMPDIR": "/tmp", "LANG": "C.UTF-8", "NO_COLOR": "1",  # noqa: S108 - private tmpfs
            "PYTHONHASHSEED": "0", "PYTHONUNBUFFERED": "1", "DO_NOT_TRACK": "1"}  # fmt: skip
    return {**base, **settings}


def describe(exc: BaseException) -> str:
    """The innermost errors of a (possibly nested) exception group, one line."""
    if isinstance(exc, BaseExceptionGroup):
        return "; ".join(describe(sub) for sub in exc.exceptions)
    return f"{type(exc).__name__}: {exc}"[:300]


def capture(argv: list[str], visible: list[Path], env: dict[str, str], timeout_s: float, log: Path) -> Listing:
    """Run one attempt to completion or timeout, in a fresh event loop (callable from a worker thread)."""

    async def bounded() -> Listing:
        with anyio.fail_after(timeout_s), log.open("a") as errlog:
            return await list_server(bwrap_argv(argv, visible), env, errlog)

    return anyio.run(bounded)


def python_roots(venv_python: Path) -> list[Path]:
    """The Python build a venv's interpreter links to, which the sandbox must see (it lives under a hidden tree)."""
    real = Path(os.path.realpath(venv_python))
    return [real.parents[1]] if real.is_file() else []
