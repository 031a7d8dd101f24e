"""Install one PyPI candidate into its own virtual environment, wheels only, with uv.

uv is asked for the index pip is configured with; environments hard-link files from one shared
cache, so hundreds of them cost little disk. Python 3.12 first, then 3.13 and 3.11 when the
package's Requires-Python rules it out.
"""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
from email.message import Message
from email.parser import Parser
from pathlib import Path

from install import HEAVY, SDK_PYPI, Installed, Skip, last_line
from sets import normalise

TIMEOUT_S = 300
_PLANNED = re.compile(r"^\s*\+ ([A-Za-z0-9._-]+)==", re.MULTILINE)


def _uv(uv: str, args: list[str], cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "UV_CACHE_DIR": str(cache), "UV_NO_PROGRESS": "1", "UV_PYTHON_DOWNLOADS": "never"}
    try:
        return subprocess.run([uv, *args], capture_output=True, text=True, timeout=TIMEOUT_S, env=env, check=False)
    except subprocess.TimeoutExpired as exc:
        raise Skip("install-timeout", " ".join(args[:3])) from exc


def _metadata(root: Path, package: str) -> tuple[Message, Path]:
    for dist in root.glob("lib/python3.*/site-packages/*.dist-info"):
        meta = Parser().parsestr((dist / "METADATA").read_text("utf-8", "replace"))
        if normalise(meta.get("Name", "")) == normalise(package):
            return meta, dist
    raise Skip("install-failed", "installed distribution not found")


def _licence(meta: Message) -> tuple[str | None, str]:
    if meta.get("License-Expression"):
        return str(meta["License-Expression"]).strip(), "License-Expression"
    text = str(meta.get("License") or "").strip()
    if text and len(text) <= 80 and "\n" not in text:
        return text, "License"
    classifiers = [c.split("::")[-1].strip() for c in meta.get_all("Classifier", []) if c.startswith("License ::")]
    if classifiers:
        return " OR ".join(classifiers), "classifier"
    if text:
        return text.splitlines()[0][:80], "License (first line of a full text)"
    return None, "missing"


def _script(dist: Path, package: str) -> tuple[str, list[str]]:
    entry = dist / "entry_points.txt"
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    if entry.is_file():
        parser.read_string(entry.read_text("utf-8", "replace"))
    scripts = list(parser["console_scripts"]) if parser.has_section("console_scripts") else []
    if not scripts:
        raise Skip("no-console-script", "no console_scripts entry point")
    ranked = sorted(scripts, key=lambda s: (normalise(s) != normalise(package), "mcp" not in s, "server" not in s))
    return ranked[0], scripts


def exclude_newer(released: str) -> list[str]:
    """uv's --exclude-newer set to the first day after the release month (YYYY-MM), or nothing."""
    if not re.fullmatch(r"\d{4}-\d{2}", released or ""):
        return []
    year, month = map(int, released.split("-"))
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return ["--exclude-newer", f"{year:04d}-{month:02d}-01T00:00:00Z"]


def _pins(cache: Path, released: str) -> list[list[str]]:
    """Resolution settings to try in turn. Dependencies as they stood when the package was
    released first: an unbounded "mcp>=1" would otherwise pull in mcp 2, whose renamed modules
    most servers written for 1.x cannot import. Then today's releases with mcp held below 2
    (some old dependency has no wheel), then today's releases as they are."""
    below2 = cache.parent / "mcp-below-2.txt"
    below2.write_text("mcp<2\n")
    plans = [exclude_newer(released), ["--constraint", str(below2)], []]
    return [p for i, p in enumerate(plans) if p not in plans[:i]]


def _plan(uv: str, cache: Path, common: list[str], released: str) -> tuple[list[str], str]:
    """The first resolution that works: (its settings, uv's dry-run report), else Skip."""
    error = ""
    for pins in _pins(cache, released):
        plan = _uv(uv, [*common[:2], "--dry-run", *pins, *common[2:]], cache)
        if plan.returncode == 0:
            return pins, plan.stderr + plan.stdout
        error = plan.stderr
        text = error.lower()
        if "requires-python" in text or "python>=" in text or "python_version" in text:
            raise Skip("python-version", last_line(error))
    raise Skip("install-failed", last_line(error))


def _create(uv: str, cache: Path, root: Path, *, python: str, spec: str, index: str, released: str) -> None:
    shutil.rmtree(root, ignore_errors=True)
    made = _uv(uv, ["venv", "--quiet", "--python", python, str(root)], cache)
    if made.returncode != 0:
        raise Skip("install-failed", last_line(made.stderr))
    common = ["pip", "install", "--python", str(root / "bin" / "python"), "--only-binary", ":all:",
              "--index-url", index, spec]  # fmt: skip
    pins, report = _plan(uv, cache, common, released)
    common = [*common[:2], *pins, *common[2:]]
    heavy = [n for n in _PLANNED.findall(report) if HEAVY.match(n)]
    if heavy:
        raise Skip("heavy-dependencies", ", ".join(heavy[:5]))
    done = _uv(uv, common, cache)
    if done.returncode != 0:
        raise Skip("install-failed", last_line(done.stderr))


def install_pypi(
    package: str, version: str, base: Path, *, uv: str, index: str, pythons: list[str], released: str = ""
) -> Installed:
    """A venv at base/<name> holding package==version; the server runs as its console script."""
    root, cache = base / normalise(package), base.parent / "uv-cache"
    last: Skip | None = None
    for python in pythons:
        try:
            _create(uv, cache, root, python=python, spec=f"{package}=={version}", index=index, released=released)
        except Skip as exc:
            if exc.reason != "python-version":
                raise
            last = exc
            continue
        break
    else:
        raise last or Skip("python-version")
    meta, dist = _metadata(root, package)
    licence, source = _licence(meta)
    script, scripts = _script(dist, package)
    needs = {normalise(re.split(r"[\s;<>=!~\[(]", r, maxsplit=1)[0]) for r in meta.get_all("Requires-Dist", [])}
    argv = [str(root / "bin" / script)]
    docs = [str(meta.get_payload() or ""), str(meta.get("Description") or "")]
    return Installed(
        "pypi", normalise(package), str(meta["Version"]), root, argv, [f"<venv>/bin/{script}"], licence, source,
        bool(needs & SDK_PYPI), docs, scripts, python=Path(python).name,
    )  # fmt: skip
