"""How each installer step runs, and how a failed pip run is explained.

A step (``python -m venv``, ``pip install``, ``npm install``) runs in its own process
group with a time bound, unconfined or, for a confined build, inside the installer's
sandbox (``scanner.install_confine``). pip runs with ``--only-binary=:all:`` unless sdists
are allowed; when it then finds nothing, its debug log says whether that is because a
project offers only an sdist, and ``SdistRefused`` says so, naming the requirement.
"""

from __future__ import annotations

import dataclasses
import os
import re
import signal
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from scanner.errors import InstallFailed
from scanner.install_confine import installer_plan, pinned_index_env
from scanner.limits import Limits
from scanner.sandbox import SANDBOX_HOME, SANDBOX_TMP, Plan, confined
from scanner.sources import Confinement

# What the installer (not the server) may see: the user's own pip/npm settings,
# proxies and CA bundles, so "the user's configuration" keeps working.
_INSTALLER_ENV = re.compile(
    r"^(PATH|HOME|LANG|LC_[A-Z]+|TZ|PIP_[A-Z_]+|NPM_CONFIG_[A-Z_]+|npm_config_[a-z_]+|"
    r"(?i:https?_proxy|no_proxy|all_proxy)|SSL_CERT_FILE|SSL_CERT_DIR|REQUESTS_CA_BUNDLE|"
    r"NODE_EXTRA_CA_CERTS|PYTHONUTF8)$"
)
_NO_MATCH = re.compile(r"No matching distribution found for ([A-Za-z0-9][A-Za-z0-9._\-\[\],<>=!~*+ ]{0,200})")
_NO_SOURCES = re.compile(rb"Skipping link: No sources permitted for ([A-Za-z0-9._-]+)")
_REQUIREMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9,._-]*\])?([<>=!~]=?[A-Za-z0-9.*+!_-]+,?)*$")

_Explain = Callable[[str], str | None]


class SdistRefused(InstallFailed):
    """A package (or a dependency) has no wheel, only an sdist, and sdists are not allowed.
    The message names the requirement and is fit to show the submitter."""


def installer_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """What an installer inherits: the user's pip/npm settings, proxies and CA bundles."""
    base = os.environ if base is None else base
    return {k: v for k, v in base.items() if _INSTALLER_ENV.match(k)}


@dataclasses.dataclass(frozen=True)
class Build:
    """One install in the making: where it goes, and how its steps are confined."""

    work: Path
    scratch: Path  # the installer's HOME (logs, caches), removed afterwards
    registry: str
    base_url: str | None
    confined: bool
    confinement: Confinement
    limits: Limits
    timeout: float

    def env(self) -> dict[str, str]:
        env = installer_env()
        if self.registry == "pypi" and self.base_url:
            env = pinned_index_env(env)
        if self.confined:
            env.update(HOME=SANDBOX_HOME, TMPDIR=SANDBOX_TMP)
        return env

    def home_path(self, name: str) -> str:
        """``name`` in the installer's HOME, as the installer sees it."""
        return f"{SANDBOX_HOME}/{name}" if self.confined else str(self.scratch / name)

    def plan(self, runtime: str, env: Mapping[str, str]) -> Plan | None:
        if not self.confined:
            return None
        return installer_plan(
            self.work,
            self.scratch,
            runtime=runtime,
            registry=self.registry,
            pinned_index=self.base_url is not None,
            env=env,
            confinement=self.confinement,
            limits=self.limits,
        )


def run_step(build: Build, argv: list[str], *, runtime: str, what: str, explain: _Explain | None = None) -> None:
    """Run one installer step (confined when the build is) in its own process group; on
    timeout the whole group goes. A failure's reason is the log's last error line, or
    what ``explain`` makes of the log."""
    env = build.env()
    plan = build.plan(runtime, env)
    with tempfile.TemporaryFile() as log, _command(plan, argv, env, build.confinement.bwrap) as (cmd, run_env, fds):
        proc = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=run_env, start_new_session=True, pass_fds=fds
        )
        try:
            code = proc.wait(timeout=build.timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise InstallFailed(f"{what} did not finish within {build.timeout:g} s") from None
        if code != 0:
            tail = _tail(log)
            special = explain(tail) if explain else None
            if special:
                raise SdistRefused(special)
            lines = [ln for ln in tail.splitlines() if ln.strip()]
            reason = next((ln for ln in reversed(lines) if "ERROR" in ln or "ERR!" in ln), lines[-1] if lines else "")
            raise InstallFailed(f"{what} failed (exit {code}): {reason.strip()[:300]}")


@contextmanager
def _command(
    plan: Plan | None, argv: list[str], env: dict[str, str], bwrap: str
) -> Iterator[tuple[list[str], dict[str, str], tuple[int, ...]]]:
    if plan is None:
        yield argv, env, ()
        return
    with confined(plan, argv, env, bwrap=bwrap) as (cmd, fd):
        yield cmd, {"PATH": os.defpath}, (fd,)


def _tail(log: BinaryIO) -> str:
    log.seek(0, os.SEEK_END)
    log.seek(max(0, log.tell() - 8192))
    return log.read().decode("utf-8", "replace")


def sdist_reason(console: str, pip_log: Path, name: str, version: str) -> str | None:
    """Why pip found nothing, when the cause is an sdist-only release under
    ``--only-binary``: pip's log shows it skipped that project's source archives."""
    match = _NO_MATCH.search(console)
    if match is None:
        return None
    requirement = match.group(1).strip().rstrip(".").replace(" ", "")
    project = re.split(r"[\[<>=!~]", requirement, maxsplit=1)[0]
    if not _skipped_sources(pip_log, project):
        return None
    if not _REQUIREMENT.match(requirement):
        requirement = f"{name}=={version} (or a dependency)"
    return (
        f"{requirement} has no wheel; sdists run code at build time and are refused unless an admin "
        "allows sdists for this server (mcp-trust scan: --allow-sdist)"
    )


def _skipped_sources(pip_log: Path, project: str) -> bool:
    wanted = normalise(project)
    try:
        with pip_log.open("rb") as fh:
            for line in fh:
                found = _NO_SOURCES.search(line)
                if found and normalise(found.group(1).decode()) == wanted:
                    return True
    except OSError:
        return False
    return False


def normalise(name: str) -> str:
    """A project name as PEP 503 compares it."""
    return re.sub(r"[-_.]+", "-", name).lower()
