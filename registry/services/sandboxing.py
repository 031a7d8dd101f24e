"""How the registry confines the scans that install or run code, and when it refuses them.

Every package (server.json ``packages``) and command scan runs under bubblewrap with
the registry's own data hidden (``scanner.sandbox``). A registry without bubblewrap
refuses such submissions up front (``SandboxUnavailable``, a 422 problem saying how to
fix it) and warns at start-up, unless the operator started it with
``--unconfined-scans``; URL and tools-file scans run no code here and always work.
Whether bubblewrap is present is asked of ``Settings.bwrap_path``, so a test can point
it at a missing file to stand for a machine without it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from registry.errors import InvalidInput
from registry.settings import Settings, default_data_dir

if TYPE_CHECKING:
    from registry.auth import Principal
    from registry.services.submissions import SubmitRequest
    from scanner.sources import Confinement

FIX = (
    "install bubblewrap on the registry host (Debian/Ubuntu: apt-get install bubblewrap), or "
    "start the registry with --unconfined-scans to run submitted code without a sandbox"
)


class SandboxUnavailable(InvalidInput):
    """A package or command scan needs bubblewrap, which this registry does not have."""

    slug, title = "sandbox-unavailable", "No sandbox for code scans"


def bwrap_available(settings: Settings) -> bool:
    from scanner.sandbox import find_bwrap

    return find_bwrap(settings.bwrap_path) is not None


def scan_sandbox(settings: Settings) -> Literal["bwrap", "none"]:
    """``bwrap`` always, except ``none`` where bubblewrap is missing and the operator
    allowed unconfined scans (without that, a scan then fails naming bubblewrap)."""
    if settings.unconfined_scans and not bwrap_available(settings):
        return "none"
    return "bwrap"


def runs_code(stored_or_request: dict[str, Any]) -> bool:
    """True when scanning this source installs or runs something here."""
    doc = stored_or_request.get("server_json")
    if isinstance(doc, dict):
        return bool(doc.get("packages"))
    source = stored_or_request.get("source", stored_or_request)
    return isinstance(source, dict) and source.get("command") is not None


def require_sandbox(settings: Settings, req: SubmitRequest, principal: Principal) -> None:
    """Refuse a package or command submission the registry cannot confine (a command from
    anyone but an admin is refused as forbidden later, whatever the sandbox)."""
    command = req.source.command if req.source else None
    if command is not None and principal.role != "admin":
        return
    body = {"server_json": req.server_json, "source": {"command": command}}
    if runs_code(body) and not settings.unconfined_scans and not bwrap_available(settings):
        raise SandboxUnavailable(f"this registry cannot confine package and command scans: {FIX}")


def startup_warning(settings: Settings) -> str | None:
    """What to log at start-up about confinement, if anything."""
    if bwrap_available(settings):
        return None
    if settings.unconfined_scans:
        return "bubblewrap is missing and --unconfined-scans is set: package and command scans run UNCONFINED"
    return f"bubblewrap is missing: package and command submissions are refused; {FIX}"


def hidden_paths(settings: Settings) -> tuple[str, ...]:
    """The registry's own files, never shown to a sandboxed server or installer even when
    a folder bound for it contains them: the data folder, the SQLite database and its
    journals, the signing keys and the audit checkpoint file."""
    paths: list[Path] = [default_data_dir()]
    db = _sqlite_file(settings.database_url)
    if db is not None:
        paths += [db, *(db.with_name(db.name + suffix) for suffix in ("-wal", "-shm", "-journal"))]
    for name in ("signing_key_path", "audit_signing_key_path", "audit_checkpoint_path"):
        value = getattr(settings, name, None)
        if isinstance(value, str) and value:
            paths.append(Path(value))
    return tuple(dict.fromkeys(str(p.absolute()) for p in paths))


def _sqlite_file(url: str) -> Path | None:
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if not parsed.drivername.startswith("sqlite") or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def confinement(settings: Settings) -> Confinement:
    """The scanner's confinement policy for this registry."""
    from scanner.sources import Confinement

    return Confinement(bwrap=settings.bwrap_path, hide=hidden_paths(settings))


def refusal_text(exc: BaseException) -> str | None:
    """A refusal of our own worded for the submitter (an sdist-only package), or None."""
    from scanner.install import SdistRefused

    seen: BaseException | None = exc
    for _ in range(16):
        if seen is None:
            return None
        if isinstance(seen, SdistRefused):
            return str(seen)
        seen = seen.__cause__ or seen.__context__
    return None
