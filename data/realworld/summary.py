"""Counts for README.md from servers.jsonl and skipped.jsonl only (no tool text is read).

.venv/bin/python data/realworld/summary.py
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
KINDS = ("tools", "prompts", "resources", "resource_templates", "instructions")


def _rows(name: str) -> list[dict[str, Any]]:
    path = HERE / name
    return [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()] if path.exists() else []


def split_table(servers: list[dict[str, Any]]) -> str:
    """Servers and item counts per split and registry, as a Markdown table."""
    lines = ["| split | servers (npm / PyPI) | " + " | ".join(KINDS) + " |", "|---" * (len(KINDS) + 2) + "|"]
    for split in ("train", "dev", "test", "all"):
        rows = [s for s in servers if split in ("all", s["split"])]
        regs = Counter(str(s["registry"]) for s in rows)
        sums = [sum(int(s["counts"][k]) for s in rows) for k in KINDS]
        lines.append(f"| {split} | {len(rows)} ({regs['npm']} / {regs['pypi']}) | " + " | ".join(map(str, sums)) + " |")
    return "\n".join(lines)


def licence_table(servers: list[dict[str, Any]]) -> str:
    """Servers per licence string as recorded from the package metadata."""
    counts = Counter(str(s["licence"]) if s["licence"] else "(missing)" for s in servers)
    lines = ["| licence | servers |", "|---|---|"]
    lines += [f"| {lic} | {n} |" for lic, n in counts.most_common()]
    return "\n".join(lines)


def skip_table(skipped: list[dict[str, Any]]) -> str:
    """Candidates skipped, per reason and registry."""
    counts = Counter((str(s["reason"]), str(s["registry"])) for s in skipped)
    reasons = sorted({r for r, _ in counts}, key=lambda r: -(counts[(r, "npm")] + counts[(r, "pypi")]))
    lines = ["| reason | npm | PyPI | all |", "|---|---|---|---|"]
    for r in reasons:
        npm, pypi = counts[(r, "npm")], counts[(r, "pypi")]
        lines.append(f"| {r} | {npm} | {pypi} | {npm + pypi} |")
    return "\n".join(lines)


def main() -> None:
    servers, skipped = _rows("servers.jsonl"), _rows("skipped.jsonl")
    print(f"tried: {len(servers) + len(skipped)} candidates; captured {len(servers)}, skipped {len(skipped)}\n")
    print(split_table(servers), "\n")
    print(licence_table(servers), "\n")
    print(skip_table(skipped))


if __name__ == "__main__":
    main()
