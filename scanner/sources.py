"""Where a tool surface comes from: typed, validated source records.

Sources carry secrets (env values, headers, tokens) only in memory; the
``describe()`` of each source is what reports show and never includes them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import msgspec

from scanner.errors import SourceError

Sandbox = Literal["auto", "none", "bwrap"]  # auto: bwrap where bubblewrap is installed
HttpTransport = Literal["streamable-http", "sse"]


class Confinement(msgspec.Struct, frozen=True, kw_only=True):
    """Site policy for sandboxed runs: which bubblewrap, and host paths never shown to a
    server or installer even inside a folder bound for it (a registry's data, database
    and keys)."""

    bwrap: str = "bwrap"  # a name looked up on PATH, or a path
    hide: tuple[str, ...] = ()


class StdioSource(msgspec.Struct, frozen=True, kw_only=True):
    """A local command run over stdio: an argv list, never a shell string."""

    argv: tuple[str, ...]
    env: dict[str, str] = msgspec.field(default_factory=dict)  # passed explicitly by the user
    cwd: str | None = None
    sandbox: Sandbox = "none"
    confinement: Confinement = msgspec.field(default_factory=Confinement)
    package: str | None = None  # set when the command came from an installed package
    # the installed package's folder: with a package, only it is bound, never paths named on
    # the command line (a server.json's packageArguments are a stranger's words)
    package_prefix: str | None = None

    def __post_init__(self) -> None:
        if not self.argv or not self.argv[0]:
            raise SourceError("a stdio source needs a command")
        if any("\x00" in a for a in self.argv):
            raise SourceError("a command argument contains a NUL byte")

    def describe(self) -> str:
        return " ".join(self.argv)


class HttpSource(msgspec.Struct, frozen=True, kw_only=True):
    """A remote server reached over streamable HTTP (or legacy SSE)."""

    url: str
    headers: dict[str, str] = msgspec.field(default_factory=dict)
    bearer_token: str | None = None
    transport: HttpTransport = "streamable-http"

    def __post_init__(self) -> None:
        if not self.url.startswith(("http://", "https://")):
            raise SourceError(f"not an http(s) URL: {self.url!r}")

    def all_headers(self) -> dict[str, str]:
        headers = dict(self.headers)
        if self.bearer_token:
            headers["Authorization"] = f"Bearer {self.bearer_token}"
        return headers

    def describe(self) -> str:
        return self.url.split("?", 1)[0]  # a query string may carry a key


class ServerJsonSource(msgspec.Struct, frozen=True, kw_only=True):
    """An official MCP Registry ``server.json``: install a package or connect to a remote."""

    document: dict[str, Any]
    origin: str = "<server.json>"  # file path, for messages
    package_index: int | None = None  # which ``packages[]`` entry; default: the first
    remote_index: int | None = None  # which ``remotes[]`` entry (used when there is no package)
    env: dict[str, str] = msgspec.field(default_factory=dict)
    headers: dict[str, str] = msgspec.field(default_factory=dict)
    sandbox: Sandbox = "none"
    confinement: Confinement = msgspec.field(default_factory=Confinement)
    # pip builds an sdist by running its code: refused unless allowed (an admin, per server)
    allow_sdist: bool = False

    @classmethod
    def from_file(cls, path: str | Path, **kwargs: Any) -> ServerJsonSource:
        p = Path(path)
        try:
            raw = p.read_bytes()
        except OSError as exc:
            raise SourceError(f"cannot read {p}: {exc.strerror or exc}") from exc
        if len(raw) > 4 * 1024 * 1024:
            raise SourceError(f"{p} is larger than 4 MiB; not a server.json")
        try:
            doc = json.loads(raw)
        except ValueError as exc:
            raise SourceError(f"{p} is not valid JSON: {exc}") from exc
        if not isinstance(doc, dict):
            raise SourceError(f"{p} does not hold a JSON object")
        return cls(document=doc, origin=str(p), **kwargs)

    def describe(self) -> str:
        return self.origin


class ToolsFileSource(msgspec.Struct, frozen=True, kw_only=True):
    """A saved ``tools/list`` result (``{"tools": [...]}``) or a saved scan, for offline scans."""

    path: str

    def describe(self) -> str:
        return self.path


Source = StdioSource | HttpSource | ServerJsonSource | ToolsFileSource
