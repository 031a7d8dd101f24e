"""Confinement for everything a scan runs: bubblewrap (``--sandbox auto|bwrap|none``).

A confined process (a stdio server, or pip/npm installing a package) gets:

* a new PID namespace: when bubblewrap's PID 1 exits the kernel kills everything left
  in it, so nothing the server started (a ``setsid`` daemon included) outlives the scan;
  its ``/proc`` shows only its own processes;
* no host file system: an empty root with only what ``scanner.sandbox_paths`` binds,
  read-only, plus a private HOME and ``/tmp`` (a size-bounded tmpfs, or for an install
  a scratch folder of ours) and, for an install, the one folder it installs into;
  paths the operator hides stay covered even inside a bound folder;
* no network unless the plan needs one (an install reaches its package index), no
  IPC or UTS namespace of ours, a cleared environment plus exactly what we pass;
* kernel limits set inside the sandbox (``prlimit``): CPU seconds, address space,
  processes and threads (RLIMIT_NPROC), file size, no core files. The kernel ignores
  RLIMIT_NPROC for root, so when the scanner runs as root bubblewrap keeps only the
  capabilities needed to drop to an unprivileged user (``setpriv``) and drops the
  rest; otherwise it runs unprivileged in a new user namespace that cannot nest.

Options (the environment included) reach bubblewrap through ``--args FD``, never
the command line, so a secret passed with ``--env`` is not visible in ``ps``.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
import shutil
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Literal

from scanner.errors import SourceError
from scanner.limits import Limits
from scanner.sandbox_paths import Bind, apply_hiding, parent_dirs, within

SandboxMode = Literal["auto", "bwrap", "none"]
SANDBOX_HOME = "/home/sandbox"  # HOME inside every sandbox
SANDBOX_TMP = f"{SANDBOX_HOME}/tmp"  # noqa: S108 - TMPDIR inside the sandbox, in its private HOME
MIN_BWRAP = (0, 8, 0)  # --disable-userns, --size and --perms for tmpfs
INSTALL_HINT = (
    "--sandbox bwrap needs bubblewrap, which is not installed "
    "(Debian/Ubuntu: apt-get install bubblewrap); rerun with --sandbox none to scan unconfined"
)


def find_bwrap(command: str = "bwrap") -> str | None:
    """The bubblewrap executable (a name looked up on PATH, or a path), if installed."""
    return shutil.which(command)


def resolve_mode(mode: str, bwrap: str = "bwrap") -> Literal["bwrap", "none"]:
    """``auto`` becomes ``bwrap`` where bubblewrap is installed, else ``none``."""
    if mode == "auto":
        return "bwrap" if find_bwrap(bwrap) else "none"
    if mode not in ("bwrap", "none"):
        raise SourceError(f"unknown sandbox {mode!r} (auto, bwrap or none)")
    return "bwrap" if mode == "bwrap" else "none"


@dataclasses.dataclass(frozen=True)
class Caps:
    """The kernel limits of one confined process tree and the user it runs as (as root)."""

    cpu_s: int
    memory_bytes: int
    processes: int
    file_bytes: int
    home_bytes: int
    uid: int

    @classmethod
    def from_limits(cls, limits: Limits, cpu_s: int | None = None) -> Caps:
        return cls(
            cpu_s=cpu_s or limits.sandbox_cpu_s,
            memory_bytes=limits.sandbox_memory_bytes,
            processes=limits.sandbox_max_processes,
            file_bytes=limits.sandbox_max_file_bytes,
            home_bytes=limits.sandbox_home_bytes,
            uid=limits.sandbox_uid,
        )


@dataclasses.dataclass(frozen=True)
class Plan:
    """What one confined process sees and may do."""

    binds: tuple[Bind, ...]
    links: tuple[tuple[str, str], ...]  # (target, link) symlinks recreated, e.g. /bin -> usr/bin
    caps: Caps
    hide: tuple[str, ...] = ()
    network: bool = False
    home: str | None = None  # host folder bound read-write as HOME; None: a private tmpfs
    chdir: str | None = None


@functools.lru_cache(maxsize=8)
def _version(exe: str) -> tuple[int, ...]:
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    found = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", out)
    return tuple(int(g or 0) for g in found.groups()) if found else ()


def _bwrap(command: str) -> str:
    exe = find_bwrap(command)
    if exe is None:
        raise SourceError(INSTALL_HINT)
    version = _version(exe)
    if version < MIN_BWRAP:
        found = ".".join(map(str, version)) or "an unknown version"
        raise SourceError(f"the sandbox needs bubblewrap 0.8 or newer ({exe} is {found})")
    return exe


def _tool(name: str) -> str:
    """A util-linux helper run inside the sandbox: it must sit in a system folder."""
    for folder in ("/usr/bin", "/bin", "/usr/sbin", "/sbin"):
        path = f"{folder}/{name}"
        if os.access(path, os.X_OK):
            return path
    raise SourceError(f"the sandbox needs {name} (util-linux), which is not installed")


def _namespaces(plan: Plan, as_root: bool) -> list[str]:
    opts = ["--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
    if not plan.network:
        opts.append("--unshare-net")
    if not as_root:
        opts += ["--unshare-user", "--disable-userns"]
    return [*opts, "--die-with-parent", "--new-session"]


def _without_shadows(binds: Sequence[Bind]) -> list[Bind]:
    """Unique binds, minus read-only ones inside a writable one (they would shadow it:
    an installer's own virtual environment is also the runtime it runs on)."""
    writable = [os.path.realpath(b.src) for b in binds if b.writable]
    kept = [b for b in binds if b.writable or not any(within(os.path.realpath(b.src), w) for w in writable)]
    return list(dict.fromkeys(kept))


def _filesystem(plan: Plan) -> list[str]:
    binds, cover = apply_hiding(_without_shadows(plan.binds), plan.hide)
    binds.sort(key=lambda b: (b.dest.count("/"), b.dest))
    size = str(plan.caps.home_bytes)
    opts: list[str] = []
    for target, link in plan.links:
        opts += ["--symlink", target, link]
    # /tmp first: a bound file may live under the host's /tmp and hangs from this tmpfs
    opts += ["--perms", "01777", "--size", size, "--tmpfs", "/tmp"]  # noqa: S108 - the sandbox's own /tmp
    for folder in parent_dirs([*(b.dest for b in binds), SANDBOX_HOME]):
        opts += ["--dir", folder]
    for b in binds:
        opts += ["--bind" if b.writable else "--ro-bind", b.src, b.dest]
    opts += ["--proc", "/proc", "--dev", "/dev"]
    if plan.home is None:
        opts += ["--perms", "01777", "--size", size, "--tmpfs", SANDBOX_HOME]
        opts += ["--perms", "01777", "--dir", SANDBOX_TMP]
    else:
        opts += ["--bind", plan.home, SANDBOX_HOME]
    opts += cover
    if plan.chdir:
        opts += ["--dir", plan.chdir]  # exists even when nothing under it is bound
    return [*opts, "--remount-ro", "/", "--chdir", plan.chdir or SANDBOX_HOME]


def _launcher(caps: Caps, as_root: bool) -> list[str]:
    """Drop to the sandbox user (as root), then set the limits, then exec the program."""
    drop: list[str] = []
    if as_root:
        drop = [_tool("setpriv"), f"--reuid={caps.uid}", f"--regid={caps.uid}", "--clear-groups"]
        drop += ["--inh-caps=-all", "--bounding-set=-all", "--"]
    limits = [
        _tool("prlimit"),
        f"--cpu={caps.cpu_s}",
        f"--as={caps.memory_bytes}",
        f"--nproc={caps.processes}",
        f"--fsize={caps.file_bytes}",
        "--core=0",
        "--",
    ]
    return [*drop, *limits]


def options(plan: Plan, env: Mapping[str, str]) -> list[str]:
    """bubblewrap's options for ``plan`` (what goes through ``--args``)."""
    as_root = os.geteuid() == 0
    opts = [*_namespaces(plan, as_root), "--clearenv"]
    for key, value in env.items():
        if not key or "=" in key or "\x00" in key or "\x00" in value:
            raise SourceError(f"environment variable {key!r} cannot be passed to the sandbox")
        opts += ["--setenv", key, value]
    opts += _filesystem(plan)
    if as_root:
        opts += ["--cap-drop", "ALL"] + [a for c in ("SETUID", "SETGID", "SETPCAP") for a in ("--cap-add", f"CAP_{c}")]
    return opts


@contextmanager
def confined(plan: Plan, argv: Sequence[str], env: Mapping[str, str], *, bwrap: str) -> Iterator[tuple[list[str], int]]:
    """The command line that runs ``argv`` confined by ``plan``, and the descriptor holding
    bubblewrap's options, to pass to the child (``pass_fds``); closed afterwards. Raises
    ``SourceError`` with an install hint when bubblewrap is missing: never runs unconfined."""
    exe = _bwrap(bwrap)
    blob = b"".join(arg.encode() + b"\x00" for arg in options(plan, env))
    fd = os.memfd_create("mcp-trust-bwrap-args", os.MFD_CLOEXEC)  # inherited only where passed
    try:
        view = memoryview(blob)
        while view:
            view = view[os.write(fd, view) :]
        os.lseek(fd, 0, os.SEEK_SET)
        yield [exe, "--args", str(fd), "--", *_launcher(plan.caps, os.geteuid() == 0), *argv], fd
    finally:
        os.close(fd)
