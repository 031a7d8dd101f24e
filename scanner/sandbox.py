"""Optional bubblewrap confinement for stdio servers (``--sandbox bwrap``).

The server sees the host file system read-only, a private /tmp and its own
HOME read-write, no network (every namespace unshared), and dies with us.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

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
    for root in _tmp_roots([*argv, cwd or ""]):
        cmd += ["--ro-bind", root, root]
    if cwd:
        cmd += ["--chdir", cwd]
    return [*cmd, "--", *argv]


def _tmp_roots(paths: Iterable[str]) -> list[str]:
    """The private /tmp hides the host's /tmp, yet the command, its virtual environment or
    its script may live there (a checkout under /tmp): the top folder under /tmp of every
    existing absolute path named on the command line (as given and resolved) is bound back
    read-only."""
    roots: list[str] = []
    for given in paths:
        if not given.startswith("/") or not Path(given).exists():
            continue
        for path in (PurePosixPath(given), PurePosixPath(os.path.realpath(given))):
            if len(path.parts) > 2 and path.parts[1] == "tmp":
                root = f"/tmp/{path.parts[2]}"  # noqa: S108 - binding the host's own folder back
                if root not in roots:
                    roots.append(root)
    return roots
