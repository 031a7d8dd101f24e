"""Optional bubblewrap confinement for stdio servers (``--sandbox bwrap``).

The server sees the host file system read-only, a private /tmp and its own
HOME read-write, no network (every namespace unshared), and dies with us.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence

from scanner.errors import SourceError

INSTALL_HINT = (
    "--sandbox bwrap needs bubblewrap, which is not installed "
    "(Debian/Ubuntu: apt-get install bubblewrap); rerun with --sandbox none to scan unconfined"
)


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


def wrap_argv(argv: Sequence[str], *, home: str, cwd: str | None = None) -> list[str]:
    """The bwrap command line that runs ``argv`` confined; raises ``SourceError`` with an
    install hint when bubblewrap is missing (never silently runs unconfined)."""
    bwrap = bwrap_path()
    if bwrap is None:
        raise SourceError(INSTALL_HINT)
    cmd = [
        bwrap,
        "--unshare-all",  # includes the network namespace: no network at all
        "--die-with-parent",
        "--new-session",
        "--ro-bind", "/", "/",
        "--dev", "/dev",
        "--proc", "/proc",
        "--tmpfs", "/tmp",  # noqa: S108 - a fresh private tmpfs inside the sandbox
        "--bind", home, home,
    ]  # fmt: skip
    if cwd:
        cmd += ["--chdir", cwd]
    return [*cmd, "--", *argv]
