"""Harvest tools/prompts/resources lists of published MCP servers into data/realworld (resumable).

For each candidate in candidates.jsonl (in order): install it (install.py, install_pypi.py), start
it under bubblewrap with dummy settings (launch.py, capture.py), and append its rows to the split
file its name hashes to (sets.split_of) as soon as it answers. Every candidate that yields nothing
gets a line in skipped.jsonl with the reason. Candidates already in servers.jsonl or skipped.jsonl
are not tried again. Runs at most ``--workers`` candidates at a time and stops taking new ones at
the deadline or when the stop file appears.

    nohup .venv/bin/python data/realworld/harvest.py --minutes 120 > .cache/realworld/harvest.log 2>&1 &
    touch .cache/realworld/STOP   # to stop early: running candidates finish, nothing is lost
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from capture import capture, describe, python_roots, sandbox_env
from install import Installed, Skip, install_npm, npm_folder, pip_index_url
from install_pypi import install_pypi
from launch import attempts, readme_args, settings_asked_for, settings_named
from sets import existing_names, normalise
from store import Store

HERE = Path(__file__).resolve().parent
CACHE = HERE.parents[1] / ".cache" / "realworld"
ATTEMPT_TIMEOUT_S = 30
BUDGET_S = 60


def now() -> str:
    """The current UTC time, ISO 8601, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class Harvest:
    """One harvesting run: the tools it needs and the store it writes to."""

    def __init__(self, store: Store, pythons: list[str]) -> None:
        self.store = store
        self.pythons = pythons
        self.uv = str(CACHE / "tools" / "bin" / "uv")
        self.index = pip_index_url()
        self.taken = existing_names()
        (CACHE / "logs").mkdir(parents=True, exist_ok=True)

    def install(self, cand: dict[str, str]) -> Installed:
        """Install a candidate, or raise Skip (leaving no folder behind)."""
        try:
            return self._install(cand)
        except Exception:
            for folder in (CACHE / "npm" / npm_folder(cand["package"]), CACHE / "pypi" / normalise(cand["package"])):
                shutil.rmtree(folder, ignore_errors=True)
            raise

    def _install(self, cand: dict[str, str]) -> Installed:
        if cand["registry"] == "npm":
            return install_npm(cand["package"], cand["version"], CACHE / "npm")
        return install_pypi(
            cand["package"], cand["version"], CACHE / "pypi",
            uv=self.uv, index=self.index, pythons=self.pythons, released=cand.get("released", ""),
        )  # fmt: skip

    def run_one(self, cand: dict[str, str]) -> None:
        """Install, capture and record one candidate; every outcome is written down."""
        reg, pkg = cand["registry"], cand["package"]
        inst: Installed | None = None
        started = time.monotonic()
        try:
            if normalise(pkg) in self.taken:
                raise Skip("in-another-set", "named by an existing data set")
            if normalise(pkg) in self.store.captured_names():
                raise Skip("same-name-captured", "a package of this name was captured from the other registry")
            inst = self.install(cand)
            self._check_licence(inst)
            self._capture(inst)
            print(f"  {reg}:{pkg} took {time.monotonic() - started:.0f}s", flush=True)
        except Skip as exc:
            version = inst.version if inst else cand["version"]
            self.store.skip(cand, version, exc.reason, str(exc), now())
            print(f"SKIP {reg}:{pkg} {exc.reason} ({time.monotonic() - started:.0f}s): {str(exc)[:120]}", flush=True)
        except Exception as exc:  # noqa: BLE001 - one stranger's package must not stop the run
            self.store.skip(cand, cand["version"], "harvest-error", describe(exc), now())
            print(f"ERROR {reg}:{pkg} {describe(exc)[:200]}", flush=True)
        finally:
            if inst is not None:
                shutil.rmtree(inst.root, ignore_errors=True)

    @staticmethod
    def _check_licence(inst: Installed) -> None:
        from install import PROPRIETARY

        if inst.licence and PROPRIETARY.search(inst.licence):
            raise Skip("licence-proprietary", inst.licence)

    def _capture(self, inst: Installed) -> None:
        settings = settings_named(inst.docs)
        launches = readme_args(inst.docs[0] if inst.docs else "", inst.package, inst.scripts)
        visible = [inst.root]
        extra_path: list[str] = []
        if inst.registry == "pypi":
            visible += python_roots(inst.root / "bin" / "python")
            extra_path = [str(inst.root / "bin")]
        log = CACHE / "logs" / f"{normalise(inst.package).replace('/', '__')}.stderr"
        started, errors, asked = time.monotonic(), [], False
        plans = attempts(launches, settings)
        number = 0
        while plans:
            args, env = plans.pop(0)
            number += 1
            left = BUDGET_S - (time.monotonic() - started)
            if left < 5:
                break
            offset = log.stat().st_size if log.exists() else 0
            try:
                limit = min(ATTEMPT_TIMEOUT_S, left)
                listing = capture([*inst.argv, *args], visible, sandbox_env(env, extra_path), limit, log)
            except Exception as exc:  # noqa: BLE001 - a failed attempt is recorded, the next one tried
                errors.append(f"#{number}: {describe(exc)}")
                more = {} if asked else settings_asked_for(_tail(log, offset), env)
                if more:  # the server said which setting it misses: once, retry with it added
                    asked = True
                    plans.insert(0, (args, {**env, **more}))
                continue
            if not (listing.tools or listing.prompts or listing.resources or listing.templates):
                errors.append(f"#{number}: empty lists")
                continue
            meta = {"argv": [*inst.shown_argv, *args], "settings": sorted(env), "attempt": number}
            self.store.add(inst, listing, meta, now())
            print(f"OK {inst.registry}:{inst.package} {inst.version} tools={len(listing.tools)}", flush=True)
            return
        reason = "timeout" if errors and all("TimeoutError" in e for e in errors) else "did-not-list"
        raise Skip(reason, " | ".join(errors))


def _tail(log: Path, offset: int) -> str:
    """What the server wrote to stderr since ``offset`` (at most the last 20 kB)."""
    with log.open("rb") as fh:
        fh.seek(max(offset, log.stat().st_size - 20_000))
        return fh.read().decode("utf-8", "replace")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=120, help="stop taking new candidates after this long")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--candidates", type=Path, default=HERE / "candidates.jsonl")
    parser.add_argument("--limit", type=int, default=0, help="try at most this many new candidates (0: all)")
    parser.add_argument("--out", type=Path, default=HERE, help="folder of the data files (default: this one)")
    args = parser.parse_args()
    store = Store(args.out)
    harvest = Harvest(store, _real_pythons())
    todo = [c for c in map(json.loads, args.candidates.read_text("utf-8").splitlines()) if not store.done(c)]
    if args.limit:
        todo = todo[: args.limit]
    deadline = time.monotonic() + args.minutes * 60
    stop = CACHE / "STOP"
    gate = threading.Semaphore(args.workers)
    print(f"{now()} start: {len(todo)} candidates to try, {store.summary()}", flush=True)
    with ThreadPoolExecutor(args.workers) as pool:
        for cand in todo:
            gate.acquire()
            if time.monotonic() > deadline or stop.exists():
                gate.release()
                break
            pool.submit(_guarded, harvest, cand, gate)
    print(f"{now()} done: {store.summary()}", flush=True)


def _guarded(harvest: Harvest, cand: dict[str, str], gate: threading.Semaphore) -> None:
    try:
        harvest.run_one(cand)
    finally:
        gate.release()


def _real_pythons() -> list[str]:
    """Real interpreters for Python 3.12, 3.13 and 3.11 (venvs must link to real builds, not to
    version-manager shims): from PATH when it runs, else from pyenv's installed versions."""
    import subprocess

    def probe(exe: str) -> str:
        code = "import sys, os; print(os.path.realpath(sys.executable))"
        got = subprocess.run([exe, "-c", code], capture_output=True, text=True, check=False, timeout=30)
        return got.stdout.strip() if got.returncode == 0 else ""

    pyenv = shutil.which("pyenv")
    listed = (
        subprocess.run([pyenv, "versions", "--bare"], capture_output=True, text=True, check=False) if pyenv else None
    )
    bare = listed.stdout if listed else ""
    out = []
    for minor in (12, 13, 11):
        real = probe(shutil.which(f"python3.{minor}") or "") if shutil.which(f"python3.{minor}") else ""
        versions = sorted(v for v in bare.split() if v.startswith(f"3.{minor}."))
        if not real and pyenv and versions:
            prefix = subprocess.run([pyenv, "prefix", versions[-1]], capture_output=True, text=True, check=False)
            real = probe(f"{prefix.stdout.strip()}/bin/python3.{minor}") if prefix.returncode == 0 else ""
        if real:
            out.append(real)
    return out


if __name__ == "__main__":
    main()
