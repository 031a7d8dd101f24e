"""Pick candidate MCP server packages from offline snapshots of the npm and PyPI package lists.

The lists are tab-separated, one package a line, with a header (npm: name, version,
downloads_a_month, summary; PyPI: name, version, month, rank, summary). No registry is asked:
the registry is only used later, to install the chosen packages. Output: candidates.jsonl,
one ``{"registry", "package", "version"}`` a line (PyPI ones also ``"released"``, the release
month, so their dependencies can be resolved as of then), npm and PyPI alternating, in the order
the harvest tries them.

    .venv/bin/python data/realworld/candidates.py --npm-list NPM.tsv --pypi-list PYPI.tsv
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
from itertools import zip_longest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sets import existing_names, normalise

HERE = Path(__file__).resolve().parent
# Name tokens of libraries, clients, proxies and scaffolding rather than servers.
NOT_SERVER = {
    "sdk", "client", "clients", "inspector", "types", "adapter", "adapters", "test", "tests", "testing",
    "demo", "example", "examples", "hello", "tutorial", "template", "boilerplate", "starter", "proxy",
    "gateway", "framework", "core", "utils", "lib", "instrumentation", "opentelemetry", "otel", "eslint",
    "react", "vue", "ui", "oauth", "middleware", "express", "hono", "nextjs", "vercel", "langchain",
    "llamaindex", "bridge", "remote", "use", "toolkit", "kit", "host", "router", "registry", "hub",
}  # fmt: skip
# Republished mirrors of other repositories' servers: they would repeat servers across splits.
MIRROR_PREFIXES = ("iflow-mcp-",)
SERVERISH = re.compile(r"\bmcp\b|model context protocol|\bserver\b", re.IGNORECASE)


def _keep(name: str, summary: str, taken: set[str]) -> bool:
    norm = normalise(name)
    tokens = set(re.split(r"[-_./@]+", name.lower()))
    if norm in taken or tokens & NOT_SERVER or norm.startswith(MIRROR_PREFIXES):
        return False
    low = summary.lower()
    return bool(SERVERISH.search(summary)) and "deprecated" not in low and "description here" not in low


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def npm_candidates(path: Path, taken: set[str], limit: int) -> list[dict[str, str]]:
    """npm packages named *mcp*, most downloaded first."""
    picked = []
    for row in _rows(path):
        name, summary = row["name"], row.get(next(k for k in row if k.startswith("summary"))) or ""
        if "mcp" in name.lower() and _keep(name, summary, taken):
            picked.append((-int(row["downloads_a_month"] or 0), name, row["version"]))
    picked.sort()
    return [{"registry": "npm", "package": n, "version": v} for _, n, v in picked[:limit]]


def pypi_candidates(path: Path, taken: set[str], limit: int, since: str) -> list[dict[str, str]]:
    """PyPI projects named *mcp* released since ``since``: ranked ones first, then a seeded shuffle."""
    picked = []
    for row in _rows(path):
        name, summary = row["name"], row["summary"] or ""
        if "mcp" in name.lower() and row["month"] >= since and _keep(name, summary, taken):
            rank = int(row["rank_among_15000_most_downloaded"] or 10**9)
            shuffle = hashlib.sha256(f"realworld-candidates-v1:{name}".encode()).hexdigest()
            picked.append((rank, shuffle, normalise(name), row["version"], row["month"]))
    picked.sort()
    return [{"registry": "pypi", "package": n, "version": v, "released": m} for _, _, n, v, m in picked[:limit]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--npm-list", type=Path, required=True)
    parser.add_argument("--pypi-list", type=Path, required=True)
    parser.add_argument("--per-registry", type=int, default=2000)
    parser.add_argument("--pypi-per-npm", type=int, default=4, help="PyPI candidates tried per npm one")
    parser.add_argument("--since", default="2025-04", help="oldest PyPI release month kept (YYYY-MM)")
    parser.add_argument("--out", type=Path, default=HERE / "candidates.jsonl")
    args = parser.parse_args()
    taken = existing_names()
    npm = npm_candidates(args.npm_list, taken, args.per_registry)
    pypi = pypi_candidates(args.pypi_list, taken, args.per_registry, args.since)
    # PyPI candidates come first more often: they install faster and more of them start.
    step = args.pypi_per_npm
    groups = zip_longest(npm, *(pypi[i::step] for i in range(step)))
    rows = [row for group in groups for row in group if row]
    args.out.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    print(f"{len(npm)} npm + {len(pypi)} PyPI candidates -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
