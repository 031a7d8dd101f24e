"""Install a server.json's package at its exact pinned version into an isolated cache.

* PyPI: a fresh ``python -m venv`` per package and version, then ``pip install
  --only-binary=:all: --no-input --disable-pip-version-check NAME==VERSION``.
* npm: a private prefix per package and version, then
  ``npm install --ignore-scripts --no-audit --no-fund --prefix DIR NAME@VERSION``.

Installing never runs package code: npm's install scripts are off, and pip takes
wheels only, since building an sdist runs its ``setup.py``. An sdist is refused with
a reason naming it (``SdistRefused``) unless ``allow_sdist`` is given (an admin's
decision for one server); even then the build runs inside the installer's sandbox.
With a sandbox (``sandbox="bwrap"``) every step runs under bubblewrap
(``scanner.install_confine``): the package index is reachable, nothing else of the host.

``registryBaseUrl`` from the server.json, when given, becomes pip's ``--index-url
BASE/simple`` (with no pip config file and no index variable in force) or npm's
``--registry BASE``; otherwise the user's own pip/npm configuration applies. A network
policy, when given, must allow the index's address first. Installs are keyed by
registry, name, version, index and sdist permission and built in place under a file
lock, with a completion marker written last, so concurrent scans neither collide nor see
half an install. No shell is ever involved and every step is time-bounded.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec
from packaging.version import InvalidVersion, Version

from scanner.errors import InstallFailed, SourceError
from scanner.install_confine import hand_over, take_back
from scanner.install_steps import Build, SdistRefused, installer_env, normalise, run_step, sdist_reason
from scanner.limits import DEFAULT_LIMITS, Limits
from scanner.sources import Confinement

if TYPE_CHECKING:
    from scanner.netguard import NetworkPolicy

__all__ = [
    "Installed",
    "SdistRefused",
    "cache_dir",
    "check_base_url",
    "check_pin",
    "install_package",
    "installer_env",
]

_PYPI_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$")
_NPM_NAME = re.compile(r"^(?:@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*$")
_SEMVER = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")
_LAYOUT = "wheels-v2"  # part of every cache key: installs made under older rules are never reused


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


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _key(registry: str, name: str, version: str, base_url: str | None, allow_sdist: bool) -> str:
    index = hashlib.sha256(f"{_LAYOUT}|{base_url or 'user-config'}".encode()).hexdigest()[:10]
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", name)
    return f"{safe}-{version}-{index}" + ("-sdist" if allow_sdist else "")


def _check_index(base_url: str, network: NetworkPolicy) -> None:
    """The network policy's verdict on the index's address, before anything connects."""
    from scanner.netguard import host_port

    host, port = host_port(base_url)
    network.resolve_sync(host, port)


def install_package(
    registry: str,
    name: str,
    version: str | None,
    *,
    base_url: str | None = None,
    timeout: float = 600.0,
    root: Path | None = None,
    sandbox: str = "none",
    confinement: Confinement | None = None,
    limits: Limits = DEFAULT_LIMITS,
    allow_sdist: bool = False,
    network: NetworkPolicy | None = None,
) -> Installed:
    """Install (or reuse from the cache) an exact package version; return how to run it.
    ``sandbox="bwrap"`` confines every step; ``network`` must allow the index first."""
    if registry not in ("pypi", "npm"):
        raise SourceError(f"installing {registry!r} packages is not supported (pypi and npm are)")
    version = check_pin(registry, name, version)
    base_url = check_base_url(base_url)
    if base_url and network is not None:
        _check_index(base_url, network)
    root = root or cache_dir()
    final = root / registry / _key(registry, name, version, base_url, allow_sdist)
    with _locked(root / "locks" / f"{registry}-{final.name}.lock"):
        if not (final / ".complete").exists():
            # Built in place (a venv's scripts hard-code its path, so no rename), under
            # the lock; the marker is written last, so a crash leaves no usable half.
            if final.exists():
                shutil.rmtree(final)
            final.mkdir(parents=True)
            scratch = final.parent / f".scratch-{final.name}"
            build = Build(
                final, scratch, registry, base_url, sandbox == "bwrap", confinement or Confinement(), limits, timeout
            )
            try:
                _build(build, name, version, allow_sdist)
                (final / ".complete").write_text(f"{registry} {name} {version}\n")
            except BaseException:
                shutil.rmtree(final, ignore_errors=True)
                raise
    argv = _pypi_command(final, name) if registry == "pypi" else _npm_command(final, name)
    return Installed(registry=registry, name=name, version=version, prefix=str(final), argv=argv)


def _build(build: Build, name: str, version: str, allow_sdist: bool) -> None:
    shutil.rmtree(build.scratch, ignore_errors=True)  # a crashed build's leftovers
    (build.scratch / "tmp").mkdir(parents=True)
    try:
        if build.confined:
            hand_over([build.work, build.scratch, build.scratch / "tmp"], build.limits.sandbox_uid)
        if build.registry == "pypi":
            _build_pypi(build, name, version, allow_sdist)
        else:
            _build_npm(build, name, version)
    finally:
        take_back(build.work)
        shutil.rmtree(build.scratch, ignore_errors=True)


def _build_pypi(build: Build, name: str, version: str, allow_sdist: bool) -> None:
    # the interpreter that made our own venv: the package's venv needs nothing of ours
    python = os.path.realpath(getattr(sys, "_base_executable", sys.executable))
    venv = build.work / "venv"
    run_step(build, [python, "-m", "venv", str(venv)], runtime=python, what="python -m venv")
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--no-input", "--disable-pip-version-check"]
    pip += ["--log", build.home_path("pip.log")]
    if not allow_sdist:
        pip.append("--only-binary=:all:")  # building an sdist runs its code
    if build.base_url:
        # The server.json names its index: use only that one (no extra index or
        # find-links from the user's configuration that could shadow a name).
        pip += ["--index-url", f"{build.base_url}/simple"]

    def explain(tail: str) -> str | None:
        return None if allow_sdist else sdist_reason(tail, build.scratch / "pip.log", name, version)

    what = f"pip install {name}=={version}"
    run_step(
        build, [*pip, "--", f"{name}=={version}"], runtime=str(venv / "bin" / "python"), what=what, explain=explain
    )


def _build_npm(build: Build, name: str, version: str) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise InstallFailed("npm is not installed; it is needed to install npm packages")
    cmd = [npm, "install", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix", str(build.work)]
    if build.base_url:
        cmd += ["--registry", build.base_url]
    run_step(build, [*cmd, "--", f"{name}@{version}"], runtime=npm, what=f"npm install {name}@{version}")


def _pypi_command(prefix: Path, name: str) -> list[str]:
    """The package's console script (the one named like the package if there are several),
    else ``python -m <module>``."""
    venv = prefix / "venv"
    scripts: list[str] = []
    for dist in (venv / "lib").glob("python*/site-packages/*.dist-info"):
        dist_name = dist.name.removesuffix(".dist-info").rsplit("-", 1)[0]
        if normalise(dist_name) != normalise(name):
            continue
        entry_points = dist / "entry_points.txt"
        if entry_points.exists():
            scripts = _console_scripts(entry_points.read_text(encoding="utf-8"))
    if scripts:
        chosen = next((s for s in scripts if normalise(s) == normalise(name)), scripts[0])
        return [str(venv / "bin" / chosen)]
    return [str(venv / "bin" / "python"), "-m", normalise(name).replace("-", "_")]


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
