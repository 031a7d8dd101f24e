#!/usr/bin/env python3
"""Set up and run mcp-trust with nothing but Python 3.11+ and git.

    python3 .ci/dev.py serve [ARGS]   start the registry (embedded SQLite by default)
    python3 .ci/dev.py test [ARGS]    lint, type-check and run the whole test suite
    python3 .ci/dev.py perf [NAME]    run the benchmarks under tests/perf/ (not part of `test`)
    python3 .ci/dev.py lock           re-resolve requirements.lock from pyproject.toml
    python3 .ci/dev.py run ARGS       run the `mcp-trust` CLI inside the project's environment

Each command creates (or reuses) the project's virtual environment in `.venv`,
installing exactly the hash-pinned versions from `requirements.lock`; it is
reinstalled only when the lock or pyproject.toml changes. Standard library only.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("MCP_TRUST_VENV", ROOT / ".venv"))
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".mcp-trust-installed"
NODE_FIXTURES = ROOT / "tests" / "fixtures" / "node"


def say(msg: str) -> None:
    print(f"[dev] {msg}", file=sys.stderr, flush=True)


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def venv_bin(name: str) -> Path:
    return VENV / ("Scripts" if os.name == "nt" else "bin") / name


def _fingerprint() -> str:
    h = hashlib.sha256()
    for f in (LOCK, ROOT / "pyproject.toml"):
        h.update(f.read_bytes())
    return h.hexdigest()


def ensure_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - runs on the system Python
        sys.exit("mcp-trust needs Python 3.11 or newer; this is " + sys.version.split()[0])
    if not venv_python().exists():
        say(f"creating virtual environment {VENV}")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    want = _fingerprint()
    if STAMP.exists() and STAMP.read_text().strip() == want:
        return
    say("installing the locked dependencies (first run, or the lock changed)")
    pip = [str(venv_python()), "-m", "pip", "--disable-pip-version-check", "-q", "install"]
    subprocess.run([*pip, "--require-hashes", "--no-deps", "-r", str(LOCK)], check=True)
    subprocess.run([*pip, "--no-deps", "--no-build-isolation", "-e", str(ROOT)], check=True)
    STAMP.write_text(want + "\n")


def ensure_node_fixtures() -> bool:
    """Install the real published npm MCP servers the tests run (pinned by package-lock)."""
    npm = shutil.which("npm")
    if npm is None or not (NODE_FIXTURES / "package.json").exists():
        return False
    stamp = NODE_FIXTURES / "node_modules" / ".mcp-trust-installed"
    lock = NODE_FIXTURES / "package-lock.json"
    want = hashlib.sha256(lock.read_bytes()).hexdigest() if lock.exists() else "none"
    if stamp.exists() and stamp.read_text().strip() == want:
        return True
    say("installing the npm MCP servers used by the tests (npm ci)")
    cmd = [npm, "ci" if lock.exists() else "install", "--no-audit", "--no-fund", "--ignore-scripts"]
    done = subprocess.run(cmd, cwd=NODE_FIXTURES, check=False)
    if done.returncode != 0:
        say("npm install failed; the tests that need npm servers will say they were skipped")
        return False
    stamp.write_text(want + "\n")
    return True


def run(cmd: list[str], **kw: object) -> int:
    return subprocess.run(cmd, cwd=ROOT, check=False, **kw).returncode  # type: ignore[call-overload, no-any-return]


def cmd_test(args: list[str]) -> int:
    ensure_venv()
    ensure_node_fixtures()
    py = str(venv_python())
    say("ruff check")
    if run([py, "-m", "ruff", "check", "."]) != 0:
        return 1
    say("mypy --strict")
    if run([py, "-m", "mypy"]) != 0:
        return 1
    workers = os.environ.get("MCP_TRUST_TEST_WORKERS", "2")
    say("pytest")
    return run([py, "-m", "pytest", "-n", workers, "--dist", "loadgroup", *args])


def cmd_perf(args: list[str]) -> int:
    ensure_venv()
    ensure_node_fixtures()
    perf = ROOT / "tests" / "perf"
    names = args or sorted(p.stem for p in perf.glob("bench_*.py"))
    worst = 0
    for name in names:
        path = perf / (name if name.endswith(".py") else f"{name}.py")
        if not path.exists():
            path = perf / f"bench_{name}.py"
        say(f"benchmark {path.relative_to(ROOT)}")
        worst = max(worst, run([str(venv_python()), str(path)]))
    return worst


def cmd_lock(_args: list[str]) -> int:
    tool = ROOT / ".cache" / "uv-tool"
    if not (tool / "bin" / "uv").exists():
        subprocess.run([sys.executable, "-m", "venv", str(tool)], check=True)
        subprocess.run(
            [str(tool / "bin" / "python"), "-m", "pip", "-q", "install", "uv"], check=True
        )
    return run(
        [
            str(tool / "bin" / "uv"),
            "pip",
            "compile",
            "pyproject.toml",
            "--extra",
            "dev",
            "--universal",
            "--python-version",
            "3.11",
            "--generate-hashes",
            "--quiet",
            "--no-header",
            "-o",
            str(LOCK),
        ]
    )


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0 if argv else 2
    cmd, rest = argv[0], argv[1:]
    if cmd == "test":
        return cmd_test(rest)
    if cmd == "perf":
        return cmd_perf(rest)
    if cmd == "lock":
        return cmd_lock(rest)
    if cmd in {"serve", "run"}:
        ensure_venv()
        cli = [str(venv_bin("mcp-trust"))]
        argv_ = [*cli, "serve", *rest] if cmd == "serve" else [*cli, *rest]
        try:
            return subprocess.run(argv_, cwd=ROOT, check=False).returncode
        except KeyboardInterrupt:
            return 130
    print(f"unknown command {cmd!r}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except subprocess.CalledProcessError as exc:
        say(f"set-up step failed (exit {exc.returncode}): {' '.join(map(str, exc.cmd))}")
        sys.exit(2)
