"""Install a server.json's package at its exact pinned version into an isolated cache.

* PyPI: a fresh ``python -m venv`` per package and version, then
  ``pip install --no-input --disable-pip-version-check NAME==VERSION``.
* npm: a private prefix per package and version, then
  ``npm install --ignore-scripts --no-audit --no-fund --prefix DIR NAME@VERSION``
  (install scripts never run: a package is untrusted until scanned).

``registryBaseUrl`` from the server.json, when given, becomes pip's
``--index-url BASE/simple`` or npm's ``--registry BASE``; otherwise the user's
own pip/npm configuration applies. Installs are keyed by registry, name,
version and index and built in place under a file lock, with a completion
marker written last, so concurrent scans neither collide nor see half an
install. No shell is ever involved and every step is time-bounded.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import msgspec
from packaging.version import InvalidVersion, Version

from scanner.errors import InstallFailed, SourceError

_PYPI_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$")
_NPM_NAME = re.compile(r"^(?:@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*$")
_SEMVER = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")
# What the installer (not the server) may see: the user's own pip/npm settings,
# proxies and CA bundles, so "the user's configuration" keeps working.
_INSTALLER_ENV = re.compile(
    r"^(PATH|HOME|LANG|LC_[A-Z]+|TZ|PIP_[A-Z_]+|NPM_CONFIG_[A-Z_]+|npm_config_[a-z_]+|"
    r"(?i:https?_proxy|no_proxy|all_proxy)|SSL_CERT_FILE|SSL_CERT_DIR|REQUESTS_CA_BUNDLE|"
    r"NODE_EXTRA_CA_CERTS|PYTHONUTF8)$"
)


class Installed(msgspec.Struct, frozen=True, kw_only=True):
    registry: str  # pypi | npm
    name: str
    version: str
    prefix: str  # the install folder
    argv: list[str]  # the server's command (package arguments are appended by the caller)

    @property
    def label(self) -> str:
        sep = "==" if self.registry == "pypi" else "@"
        return f"{self.registry}:{self.name}{sep}{self.version}"


def cache_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    if env.get("MCP_TRUST_CACHE_DIR"):
        return Path(env["MCP_TRUST_CACHE_DIR"])
    return Path.home() / ".cache" / "mcp-trust"


def check_pin(registry: str, name: str, version: str | None) -> str:
    """The exact version, or ``SourceError``: ranges, tags and ``latest`` are refused."""
    if registry == "pypi":
        if not _PYPI_NAME.match(name):
            raise SourceError(f"not a valid PyPI project name: {name!r}")
    elif not _NPM_NAME.match(name):
        raise SourceError(f"not a valid npm package name: {name!r}")
    if not version:
        raise SourceError(f"{registry} package {name!r} has no version; an exact pin is required")
    if registry == "pypi":
        try:
            parsed = Version(version)
        except InvalidVersion as exc:
            raise SourceError(f"{name}: {version!r} is not an exact version") from exc
        if str(parsed) != version and parsed.public != version.lstrip("v"):
            raise SourceError(f"{name}: {version!r} is not a normalised exact version")
    elif not _SEMVER.match(version):
        raise SourceError(f"{name}: {version!r} is not an exact version (ranges and tags are refused)")
    return version


def check_base_url(url: str | None) -> str | None:
    if url is None:
        return None
    if not re.match(r"^https?://[^\s/?#]+(?:/[^\s?#]*)?$", url):
        raise SourceError(f"registryBaseUrl {url!r} is not a plain http(s) URL")
    return url.rstrip("/")


def installer_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    base = os.environ if base is None else base
    return {k: v for k, v in base.items() if _INSTALLER_ENV.match(k)}


def _run(argv: list[str], *, timeout: float, env: dict[str, str], what: str) -> None:
    """Run one installer step in its own process group; on timeout the whole group goes."""
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env, start_new_session=True)
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise InstallFailed(f"{what} did not finish within {timeout:g} s") from None
        if code != 0:
            log.seek(0)
            tail = [ln for ln in log.read()[-8192:].decode("utf-8", "replace").splitlines() if ln.strip()]
            reason = next((ln for ln in reversed(tail) if "ERROR" in ln or "ERR!" in ln), tail[-1] if tail else "")
            raise InstallFailed(f"{what} failed (exit {code}): {reason.strip()[:300]}")


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _key(registry: str, name: str, version: str, base_url: str | None) -> str:
    index = hashlib.sha256((base_url or "user-config").encode()).hexdigest()[:10]
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", name)
    return f"{safe}-{version}-{index}"


def install_package(
    registry: str,
    name: str,
    version: str | None,
    *,
    base_url: str | None = None,
    timeout: float = 600.0,
    root: Path | None = None,
) -> Installed:
    """Install (or reuse from the cache) an exact package version; return how to run it."""
    if registry not in ("pypi", "npm"):
        raise SourceError(f"installing {registry!r} packages is not supported (pypi and npm are)")
    version = check_pin(registry, name, version)
    base_url = check_base_url(base_url)
    root = root or cache_dir()
    final = root / registry / _key(registry, name, version, base_url)
    with _locked(root / "locks" / f"{registry}-{final.name}.lock"):
        if not (final / ".complete").exists():
            # Built in place (a venv's scripts hard-code its path, so no rename), under
            # the lock; the marker is written last, so a crash leaves no usable half.
            if final.exists():
                shutil.rmtree(final)
            final.mkdir(parents=True)
            try:
                build = _build_pypi if registry == "pypi" else _build_npm
                build(final, name, version, base_url, timeout)
                (final / ".complete").write_text(f"{registry} {name} {version}\n")
            except BaseException:
                shutil.rmtree(final, ignore_errors=True)
                raise
    argv = _pypi_command(final, name) if registry == "pypi" else _npm_command(final, name)
    return Installed(registry=registry, name=name, version=version, prefix=str(final), argv=argv)


def _build_pypi(work: Path, name: str, version: str, base_url: str | None, timeout: float) -> None:
    env = installer_env()
    _run([sys.executable, "-m", "venv", str(work / "venv")], timeout=timeout, env=env, what="python -m venv")
    pip = [str(work / "venv" / "bin" / "python"), "-m", "pip", "install", "--no-input", "--disable-pip-version-check"]
    if base_url:
        # The server.json names its index: use only that one (no extra index or
        # find-links from the user's configuration that could shadow a name).
        pip += ["--isolated", "--index-url", f"{base_url}/simple"]
    _run([*pip, "--", f"{name}=={version}"], timeout=timeout, env=env, what=f"pip install {name}=={version}")


def _build_npm(work: Path, name: str, version: str, base_url: str | None, timeout: float) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise InstallFailed("npm is not installed; it is needed to install npm packages")
    cmd = [npm, "install", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix", str(work)]
    if base_url:
        cmd += ["--registry", base_url]
    _run([*cmd, "--", f"{name}@{version}"], timeout=timeout, env=installer_env(), what=f"npm install {name}@{version}")


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pypi_command(prefix: Path, name: str) -> list[str]:
    """The package's console script (the one named like the package if there are several),
    else ``python -m <module>``."""
    venv = prefix / "venv"
    scripts: list[str] = []
    for dist in (venv / "lib").glob("python*/site-packages/*.dist-info"):
        dist_name = dist.name.removesuffix(".dist-info").rsplit("-", 1)[0]
        if _normalise(dist_name) != _normalise(name):
            continue
        entry_points = dist / "entry_points.txt"
        if entry_points.exists():
            scripts = _console_scripts(entry_points.read_text(encoding="utf-8"))
    if scripts:
        chosen = next((s for s in scripts if _normalise(s) == _normalise(name)), scripts[0])
        return [str(venv / "bin" / chosen)]
    return [str(venv / "bin" / "python"), "-m", _normalise(name).replace("-", "_")]


def _console_scripts(text: str) -> list[str]:
    scripts: list[str] = []
    section = ""
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("["):
            section = line.strip("[]").strip()
        elif section == "console_scripts" and "=" in line:
            scripts.append(line.split("=", 1)[0].strip())
    return scripts


def _npm_command(prefix: Path, name: str) -> list[str]:
    manifest = prefix / "node_modules" / name / "package.json"
    try:
        pkg = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InstallFailed(f"npm installed {name} but its package.json is unreadable") from exc
    bins = pkg.get("bin")
    unscoped = name.rsplit("/", 1)[-1]
    if isinstance(bins, str):
        chosen = unscoped
    elif isinstance(bins, dict) and bins:
        chosen = unscoped if unscoped in bins else sorted(bins)[0]
    else:
        raise InstallFailed(f"npm package {name} declares no executable ('bin')")
    path = prefix / "node_modules" / ".bin" / chosen
    if not path.exists():
        raise InstallFailed(f"npm package {name}: executable {chosen!r} is missing after install")
    return [str(path)]
