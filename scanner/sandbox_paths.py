"""What a confined process may see: the host paths bound into its sandbox.

Nothing of the host is visible unless listed here: the system folders a program needs
to run (``/usr``, the ``/lib*`` and ``/bin`` links, a short list from ``/etc``), the
runtime of the program itself (its virtual environment and the Python that made it,
node's install prefix, a ``node_modules`` tree) and, for a command a person typed,
the files and folders it names. Paths an operator marks as hidden (the registry's
data, database and keys) are covered even when they sit inside something bound.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePath, PurePosixPath

# Bound read-only when present; on merged-/usr systems the /bin and /lib* entries are
# symlinks into /usr and are recreated as the same symlinks.
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
# Only what programs need from /etc: TLS roots, name service, users, time zone, the
# dynamic linker's cache, Debian's alternatives links. Not the rest (keys, configs).
ETC_ENTRIES = (
    "ssl", "ca-certificates", "ca-certificates.conf", "pki", "crypto-policies",
    "resolv.conf", "hosts", "host.conf", "gai.conf", "nsswitch.conf", "protocols", "services",
    "passwd", "group", "localtime", "timezone", "ld.so.cache", "ld.so.conf", "ld.so.conf.d",
    "alternatives", "mime.types", "os-release",
)  # fmt: skip
# An installer following the user's configuration also reads pip's and npm's global files.
INSTALLER_ETC_ENTRIES = ("pip.conf", "xdg/pip", "npmrc")
_MAX_SHEBANG = 256
_INTERPRETER = re.compile(r"^(python|pypy|node|nodejs|deno|bun|ruby|perl|php|lua|sh|bash|dash|zsh)[\d.]*$")


@dataclasses.dataclass(frozen=True)
class Bind:
    """One host path ``src`` shown at ``dest`` inside the sandbox (read-only unless writable)."""

    src: str
    dest: str
    writable: bool = False


def _same(path: str | Path) -> Bind:
    return Bind(str(path), str(path))


def system_binds(installer: bool = False) -> tuple[list[Bind], list[tuple[str, str]]]:
    """The system folders (binds) and their merged-/usr symlinks (target, link)."""
    binds: list[Bind] = []
    links: list[tuple[str, str]] = []
    for name in SYSTEM_DIRS:
        path = Path(name)
        if path.is_symlink():
            links.append((str(path.readlink()), name))
        elif path.is_dir():
            binds.append(_same(path))
    for name in ETC_ENTRIES + (INSTALLER_ETC_ENTRIES if installer else ()):
        if (Path("/etc") / name).exists():
            binds.append(_same(f"/etc/{name}"))
    return binds, links


def within(path: str | PurePath, root: str | PurePath) -> bool:
    """True when ``path`` is ``root`` or lies under it (both taken as given)."""
    return PurePosixPath(path) == PurePosixPath(root) or PurePosixPath(root) in PurePosixPath(path).parents


def is_system(path: str | Path) -> bool:
    """True when ``path`` lies under a system folder every sandbox already shows."""
    real = os.path.realpath(path)
    return any(within(real, os.path.realpath(d)) for d in SYSTEM_DIRS if Path(d).is_dir())


def runtime_binds(executable: str, search_path: str) -> list[Bind]:
    """What running ``executable`` needs besides the system: its virtual environment and
    base Python, its install prefix or ``node_modules`` tree, and the same again for the
    interpreter a script names on its ``#!`` line (``env node`` looked up on ``search_path``)."""
    binds: list[Bind] = []
    todo, seen = [executable], set[str]()
    while todo and len(seen) < 4:  # a script, its interpreter, at most a wrapper or two
        path = todo.pop()
        if path in seen or not Path(path).is_file():
            continue
        seen.add(path)
        binds += _program_binds(Path(path).absolute())
        interpreter = shebang_interpreter(path, search_path)
        if interpreter:
            todo.append(interpreter)
    return binds


def _program_binds(path: Path) -> list[Bind]:
    binds: list[Bind] = []
    venv = venv_root(path)
    if venv is not None:
        binds.append(_same(venv))
        base = venv_base_prefix(venv)
        if base is not None:
            binds.append(_same(base))
    real = Path(os.path.realpath(path))
    prefix = install_prefix(real)
    if prefix is not None:
        binds.append(_same(prefix))
    elif venv is None and not is_system(real):
        binds.append(_same(real))
        if path != real:
            binds.append(Bind(str(path), str(path)))  # the name it is called by (a symlink)
    return [b for b in binds if not is_system(b.src)]


def venv_root(path: Path) -> Path | None:
    """The virtual environment ``path`` (``VENV/bin/python``) belongs to, if any."""
    root = path.parent.parent
    return root if (root / "pyvenv.cfg").is_file() else None


def venv_base_prefix(venv: Path) -> Path | None:
    """The prefix of the Python that created ``venv`` (``home = PREFIX/bin`` in pyvenv.cfg)."""
    try:
        lines = (venv / "pyvenv.cfg").read_bytes()[:65536].decode("utf-8", "replace").splitlines()
    except OSError:
        return None
    for line in lines:
        key, _, value = line.partition("=")
        if key.strip() == "home" and value.strip().startswith("/"):
            home = Path(os.path.realpath(value.strip()))
            return install_prefix(home / "python") or home
    return None


def install_prefix(real: Path) -> Path | None:
    """The folder a program was installed into: the outermost ``node_modules`` holding it,
    or ``PREFIX`` for ``PREFIX/bin/PROGRAM`` when ``PREFIX/lib`` exists. Never ``/`` or a
    top-level folder such as ``/root`` (that would show a whole home)."""
    parts = real.parts
    if "node_modules" in parts:
        return Path(*parts[: parts.index("node_modules") + 1])
    prefix = real.parent.parent
    if real.parent.name == "bin" and len(prefix.parts) > 2 and (prefix / "lib").is_dir():
        return prefix
    return None


def shebang_interpreter(path: str, search_path: str) -> str | None:
    """The absolute interpreter a ``#!`` script runs under (``env X`` resolved), else None."""
    try:
        with Path(path).open("rb") as fh:
            head = fh.read(_MAX_SHEBANG)
    except OSError:
        return None
    if not head.startswith(b"#!"):
        return None
    words = head[2:].split(b"\n", 1)[0].decode("utf-8", "replace").split()
    if not words:
        return None
    if PurePosixPath(words[0]).name == "env":
        names = [w for w in words[1:] if not w.startswith("-")]
        return shutil.which(names[0], path=search_path) if names else None
    return words[0] if words[0].startswith("/") else None


def named_binds(argv: Sequence[str], cwd: str) -> list[Bind]:
    """Files and folders a person's command names (as arguments or ``--opt=VALUE``), bound
    read-only where it names them. When the program is an interpreter its first file is
    the script, whose whole folder is bound (a script imports its neighbours). Never used
    for a package's arguments: those come from a stranger's server.json."""
    binds: list[Bind] = []
    script_seen = not _INTERPRETER.match(PurePosixPath(argv[0]).name)
    for arg in argv[1:]:
        for value in _path_like(arg):
            path = Path(os.path.normpath(Path(cwd) / value))
            if not path.exists() or is_system(path):
                continue
            if path.is_file() and not script_seen:
                script_seen = True
                binds.append(_same(install_prefix(Path(os.path.realpath(path))) or path.parent))
            else:
                binds.append(_same(path))
    return binds


def _path_like(arg: str) -> list[str]:
    values = [arg]
    if arg.startswith("-") and "=" in arg:
        values.append(arg.split("=", 1)[1])
    return [v for v in values if v and not v.startswith("-") and "\x00" not in v and len(v) < 4096]


def apply_hiding(binds: Iterable[Bind], hide: Iterable[str]) -> tuple[list[Bind], list[str]]:
    """Drop binds inside a hidden path; return the kept binds and the bubblewrap options that
    cover each hidden path lying inside a kept bind (an empty tmpfs over a folder, the
    null device over a file), so it stays hidden even where its parent is shown."""
    hidden = [Path(os.path.realpath(h)) for h in hide if h]
    kept = [b for b in binds if not any(within(os.path.realpath(b.src), h) for h in hidden)]
    options: list[str] = []
    for real_h in hidden:
        if not real_h.exists():
            continue
        for b in kept:
            src = Path(os.path.realpath(b.src))
            if real_h == src or not within(real_h, src):
                continue
            dest = str(Path(b.dest) / real_h.relative_to(src))
            options += ["--tmpfs", dest] if real_h.is_dir() else ["--ro-bind", "/dev/null", dest]
    return kept, options


def parent_dirs(dests: Iterable[str]) -> list[str]:
    """Folders the binds hang from that no bind provides, outermost first: created in the
    sandbox's own root (world-traversable) so an unprivileged sandbox user can reach a
    bound file even where the host's folders above it are private."""
    dest_list = sorted(set(dests))
    out: set[str] = set()
    for dest in dest_list:
        for parent in PurePosixPath(dest).parents:
            if str(parent) != "/" and not any(within(parent, d) for d in dest_list if d != dest):
                out.add(str(parent))
    return sorted(out, key=lambda p: (p.count("/"), p))
