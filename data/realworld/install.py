"""Install one candidate package into its own folder: npm with --ignore-scripts, PyPI wheels only.

Nothing from the package runs here: npm's install scripts are off, PyPI gets wheels only, and
the metadata (version, licence, entry point, README) is read from the installed files.
Registry base URLs come from the clients' own configuration at run time.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

INSTALL_TIMEOUT_S = 300
SDK_NPM = {"@modelcontextprotocol/sdk", "fastmcp", "mcp-framework", "@modelcontextprotocol/server"}
SDK_PYPI = {"mcp", "fastmcp", "fastmcp-slim"}
# Dependencies too large to fetch for a listing (GPU stacks, model runtimes).
HEAVY = re.compile(r"^(torch|tensorflow|jax|jaxlib|nvidia-|triton|transformers|sentence-transformers|onnxruntime"
                   r"|paddlepaddle|vllm|xformers|llama-cpp-python|opencv-)", re.IGNORECASE)  # fmt: skip
PROPRIETARY = re.compile(r"^UNLICENSED$|proprietary|all rights reserved|commercial", re.IGNORECASE)


class Skip(Exception):
    """A candidate that cannot be used; ``reason`` is a short category, the message the detail."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(detail[:300])
        self.reason = reason


@dataclass
class Installed:
    """An installed candidate: what to run, what it is, and the documents that say how."""

    registry: str
    package: str
    version: str
    root: Path  # the folder the sandbox must see read-only
    argv: list[str]
    shown_argv: list[str]  # argv with the cache folder replaced by a placeholder
    licence: str | None
    licence_source: str
    sdk_dependency: bool
    docs: list[str] = field(default_factory=list)  # README first
    scripts: list[str] = field(default_factory=list)
    python: str = ""


def _run(argv: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    try:
        done = subprocess.run(
            argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=INSTALL_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise Skip("install-timeout", " ".join(argv[:4])) from exc
    if done.returncode != 0:
        raise Skip("install-failed", last_line(done.stderr or done.stdout))
    return done.stdout


def last_line(text: str) -> str:
    """The last non-empty line of a tool's output (its error, usually)."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _npm_licence(meta: dict[str, object]) -> tuple[str | None, str]:
    lic = meta.get("license")
    if isinstance(lic, dict):
        lic = lic.get("type")
    if isinstance(lic, str) and lic.strip():
        return lic.strip(), "package.json license"
    many = meta.get("licenses")
    if isinstance(many, list) and many:
        types = [m.get("type") if isinstance(m, dict) else m for m in many]
        return " OR ".join(str(t) for t in types if t), "package.json licenses"
    return None, "missing"


def _npm_entry(pkg_dir: Path, meta: dict[str, object], package: str) -> list[str]:
    bins = meta.get("bin")
    if isinstance(bins, str):
        entry = bins
    elif isinstance(bins, dict) and bins:
        base = package.rsplit("/", 1)[-1]
        names = sorted(bins, key=lambda n: (n != base, "mcp" not in n, "server" not in n))
        entry = bins[names[0]]
    else:
        raise Skip("no-bin", "package.json has no bin")
    path = (pkg_dir / entry).resolve()
    if not path.is_file() or not path.is_relative_to(pkg_dir.resolve()):
        raise Skip("no-bin", f"bin entry {entry} missing")
    head = path.read_bytes()[:200]
    if head.startswith(b"#!") and b"node" not in head.split(b"\n", 1)[0]:
        raise Skip("bin-not-node", head.split(b"\n", 1)[0].decode("utf-8", "replace"))
    return ["node", str(path)]


def npm_folder(package: str) -> str:
    """The install folder's name for an npm package (scope and slash flattened)."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", package)


def install_npm(package: str, version: str, base: Path) -> Installed:
    """npm install --ignore-scripts into base/<name>; the server runs as node <bin entry>."""
    # The version's manifest first (one small request): no bin or a proprietary licence needs no install.
    view = json.loads(_run(["npm", "view", f"{package}@{version}", "bin", "license", "--json"]) or "{}")
    if isinstance(view, dict) and not view.get("bin"):
        raise Skip("no-bin", "package.json has no bin")
    if isinstance(view, dict) and isinstance(view.get("license"), str) and PROPRIETARY.search(view["license"]):
        raise Skip("licence-proprietary", view["license"])
    root = base / npm_folder(package)
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    (root / "package.json").write_text('{"private": true}\n')
    _run(["npm", "install", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error",
          f"{package}@{version}"], cwd=root)  # fmt: skip
    pkg_dir = root / "node_modules" / package
    meta = json.loads((pkg_dir / "package.json").read_text("utf-8"))
    licence, source = _npm_licence(meta)
    deps = {**meta.get("dependencies", {}), **meta.get("peerDependencies", {})}
    argv = _npm_entry(pkg_dir, meta, package)
    docs = [p.read_text("utf-8", "replace") for p in sorted(pkg_dir.glob("[Rr][Ee][Aa][Dd][Mm][Ee]*"))[:1]]
    docs += [(pkg_dir / "package.json").read_text("utf-8", "replace")]
    if (pkg_dir / "server.json").is_file():
        docs.append((pkg_dir / "server.json").read_text("utf-8", "replace"))
    bins = meta.get("bin")
    scripts = list(bins) if isinstance(bins, dict) else []
    shown = [argv[0], argv[1].replace(str(root), "<install>")]
    sdk = bool(SDK_NPM & set(deps))
    return Installed("npm", package, meta["version"], root, argv, shown, licence, source, sdk, docs, scripts)


def pip_index_url() -> str:
    """The index pip would use: PIP_INDEX_URL, then pip's configuration, then pip's own default."""
    if os.environ.get("PIP_INDEX_URL"):
        return os.environ["PIP_INDEX_URL"]
    for key in ("global.index-url", "install.index-url"):
        got = subprocess.run(["python3", "-m", "pip", "config", "get", key], capture_output=True, text=True)  # noqa: PLW1510
        if got.returncode == 0 and got.stdout.strip():
            return got.stdout.strip()
    code = "from pip._internal.models.index import PyPI; print(PyPI.simple_url)"
    return subprocess.run(["python3", "-c", code], capture_output=True, text=True, check=True).stdout.strip()
