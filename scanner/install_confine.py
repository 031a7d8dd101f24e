"""The sandbox an installer (pip, npm) runs in, and what it may read of the user's setup.

The installer reaches its package index over the network but sees nothing else of the
host: the system folders, the runtime it runs on, the folder it installs into (the only
writable place besides a scratch HOME of ours), and the user's own pip/npm settings when
the server.json names no index: the config files, moved into the sandbox's HOME, and
the local paths they name (a find-links folder, a file:// index, a CA bundle).

When the scanner runs as root the installer runs as the unprivileged sandbox user: the
two folders it writes are handed to that user first and taken back afterwards, with
set-id bits and group/other write permission stripped from everything it made.
"""

from __future__ import annotations

import configparser
import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

from scanner.limits import Limits
from scanner.sandbox import SANDBOX_HOME, Caps, Plan
from scanner.sandbox_paths import Bind, is_system, runtime_binds, system_binds
from scanner.sources import Confinement

# pip settings that never choose where packages come from: trust roots, proxy, patience
PIP_TRUST_VARS = frozenset({"PIP_CERT", "PIP_CLIENT_CERT", "PIP_PROXY", "PIP_DEFAULT_TIMEOUT", "PIP_TIMEOUT"})
_PIP_PATH_KEYS = frozenset({"find-links", "index-url", "extra-index-url", "constraint", "cert", "client-cert"})
_PATH_VARS = (
    "PIP_FIND_LINKS", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_CONSTRAINT", "PIP_CERT", "PIP_CLIENT_CERT",
    "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS", "NPM_CONFIG_CAFILE",
    "npm_config_cafile",
)  # fmt: skip
_NPMRC_PATH_KEY = re.compile(r"(^|:)(cafile|certfile|keyfile)$")
_MAX_CONFIG_BYTES = 256 * 1024


def pinned_index_env(env: Mapping[str, str]) -> dict[str, str]:
    """The installer environment when the server.json names its index: no pip config file
    and no pip variable that adds or replaces an index (those could shadow a name), only
    the trust roots, proxy and timeouts the operator set."""
    out = {k: v for k, v in env.items() if not k.startswith("PIP_") or k in PIP_TRUST_VARS}
    out["PIP_CONFIG_FILE"] = os.devnull
    if "PIP_CERT" in out:
        # requests lets REQUESTS_CA_BUNDLE override pip's own --cert; pip's setting must win
        out.pop("REQUESTS_CA_BUNDLE", None)
    return out


def user_config_files(registry: str, env: Mapping[str, str], home: Path) -> list[Bind]:
    """The user's own pip/npm config files, shown where the installer looks in the sandbox."""
    found: list[Bind] = []
    if registry == "pypi":
        xdg = Path(env.get("XDG_CONFIG_HOME") or home / ".config")
        candidates = [
            (xdg / "pip" / "pip.conf", f"{SANDBOX_HOME}/.config/pip/pip.conf"),
            (home / ".pip" / "pip.conf", f"{SANDBOX_HOME}/.pip/pip.conf"),
        ]
        named = env.get("PIP_CONFIG_FILE")
    else:
        candidates = [(home / ".npmrc", f"{SANDBOX_HOME}/.npmrc")]
        named = env.get("NPM_CONFIG_USERCONFIG") or env.get("npm_config_userconfig")
    if named and named != os.devnull:
        candidates.append((Path(named), named))
    for src, dest in candidates:
        if src.is_file():
            found.append(Bind(str(src), dest))
    return found


def referenced_paths(configs: list[Bind], env: Mapping[str, str], registry: str) -> list[str]:
    """Local paths the user's settings name (find-links, file:// indexes, CA bundles)."""
    values: list[str] = [env[v] for v in _PATH_VARS if env.get(v)]
    for cfg in configs:
        try:
            text = Path(cfg.src).read_bytes()[:_MAX_CONFIG_BYTES].decode("utf-8", "replace")
        except OSError:
            continue
        values += _pip_values(text) if registry == "pypi" else _npmrc_values(text)
    paths: list[str] = []
    for value in values:
        for token in value.split():
            path = unquote(urlsplit(token).path) if token.startswith("file:") else token
            if path.startswith("/") and Path(path).exists() and not is_system(path) and path not in paths:
                paths.append(path)
    return paths


def _pip_values(text: str) -> list[str]:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except configparser.Error:
        return []
    return [parser[s][k] for s in parser.sections() for k in parser[s] if k in _PIP_PATH_KEYS]


def _npmrc_values(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and _NPMRC_PATH_KEY.search(key.strip()):
            out.append(value.strip())
    return out


def installer_plan(
    work: Path,
    scratch: Path,
    *,
    runtime: str,
    registry: str,
    pinned_index: bool,
    env: Mapping[str, str],
    confinement: Confinement,
    limits: Limits,
) -> Plan:
    """The installer's sandbox: ``work`` writable, ``scratch`` as HOME, the network on."""
    binds, links = system_binds(installer=not pinned_index)
    binds += runtime_binds(runtime, env.get("PATH", os.defpath))
    configs = [] if pinned_index else user_config_files(registry, env, Path.home())
    paths = referenced_paths(configs, env if not pinned_index else pinned_index_env(env), registry)
    binds += configs + [Bind(p, p) for p in paths]
    binds.append(Bind(str(work), str(work), writable=True))
    caps = Caps.from_limits(limits, cpu_s=int(limits.install_timeout_s))
    return Plan(
        binds=tuple(binds),
        links=tuple(links),
        caps=caps,
        hide=confinement.hide,
        network=True,
        home=str(scratch),
        chdir=str(work),
    )


def hand_over(folders: list[Path], uid: int) -> None:
    """As root: give the (empty) folders the installer writes to the sandbox user."""
    if os.geteuid() == 0:
        for folder in folders:
            os.chown(folder, uid, uid)


def take_back(root: Path) -> None:
    """Own everything the installer made again and make it read-only for others: set-id
    bits and group/other write go, everyone may read (the sandbox user runs it later).
    Symlinks are never followed (a package may ship one pointing anywhere)."""
    uid, gid = os.getuid(), os.getgid()
    for dirpath, dirnames, filenames in os.walk(root):
        folder = Path(dirpath)
        links = [d for d in dirnames if (folder / d).is_symlink()]
        for path in [folder, *(folder / n for n in [*filenames, *links])]:
            _reclaim(path, uid, gid)


def _reclaim(path: Path, uid: int, gid: int) -> None:
    st = path.lstat()
    if os.geteuid() == 0 and (st.st_uid, st.st_gid) != (uid, gid):
        os.chown(path, uid, gid, follow_symlinks=False)
    if stat.S_ISLNK(st.st_mode):
        return
    readable = 0o555 if stat.S_ISDIR(st.st_mode) else 0o444
    path.chmod((stat.S_IMODE(st.st_mode) & 0o755) | readable | stat.S_IWUSR)
