"""Check the holdout2 JSONL files: every line parses, labels and categories are valid, every
tool is a dict with a string name and description, obfuscated attack rows carry hidden_text,
and the per-category minimum holds. Prints row counts; exits 1 on the first broken file.

    .venv/bin/python data/holdout2/validate.py

It does not run the detector (this set is for final measurement only).
"""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TAXONOMY = HERE.parent / "taxonomy.toml"
MIN_PER_CATEGORY = 25


def load(path: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SystemExit(f"{path.name}:{n}: not JSON: {exc}") from exc
        tool = row.get("tool")
        if not isinstance(tool, dict) or not isinstance(tool.get("name"), str) or not tool["name"]:
            raise SystemExit(f"{path.name}:{n}: tool must be a dict with a non-empty name")
        if not isinstance(tool.get("description"), str):
            raise SystemExit(f"{path.name}:{n}: tool description must be a string")
        if not isinstance(tool.get("inputSchema"), dict):
            raise SystemExit(f"{path.name}:{n}: tool inputSchema must be an object")
        rows.append(row)
    return rows


def main() -> None:
    ids = {c["id"] for c in tomllib.loads(TAXONOMY.read_text(encoding="utf-8"))["categories"]}
    attacks = load(HERE / "attacks.jsonl")
    for n, row in enumerate(attacks, 1):
        if row.get("label") != 1 or row.get("category") not in ids:
            raise SystemExit(f"attacks.jsonl:{n}: label must be 1 and category one of {sorted(ids)}")
        if row.get("obfuscation") != "plain" and not row.get("hidden_text"):
            raise SystemExit(f"attacks.jsonl:{n}: obfuscated row without hidden_text")
    by_cat = Counter(r["category"] for r in attacks)
    short = {c: by_cat[c] for c in ids if by_cat[c] < MIN_PER_CATEGORY}
    if short:
        raise SystemExit(f"attacks.jsonl: categories under {MIN_PER_CATEGORY} rows: {short}")
    negatives = load(HERE / "hard_negatives.jsonl")
    for n, row in enumerate(negatives, 1):
        if row.get("label") != 0 or row.get("category") != "hard_negative" or not row.get("server"):
            raise SystemExit(f"hard_negatives.jsonl:{n}: label 0, category hard_negative and a server required")
    real = load(HERE / "real_benign.jsonl")
    for n, row in enumerate(real, 1):
        if row.get("label") != 0 or row.get("category") != "benign" or not row.get("server"):
            raise SystemExit(f"real_benign.jsonl:{n}: label 0, category benign and a server required")
    print(f"attacks.jsonl: {len(attacks)} rows")
    for key in ("category", "placement", "obfuscation"):
        print(f"  by {key}: " + ", ".join(f"{k}={v}" for k, v in Counter(r[key] for r in attacks).most_common()))
    print(f"hard_negatives.jsonl: {len(negatives)} rows, {len({r['server'] for r in negatives})} servers")
    print(f"real_benign.jsonl: {len(real)} rows")
    for server, count in Counter(r["server"] for r in real).most_common():
        print(f"  {server}: {count}")


if __name__ == "__main__":
    main()
