"""Format check of data/holdout3/real_benign.jsonl, no detector: `.venv/bin/python data/holdout3/validate.py`."""

from __future__ import annotations

import collections
import json
import sys
from pathlib import Path

PATH = Path(__file__).resolve().parent / "real_benign.jsonl"


def main() -> int:
    per_server: collections.Counter[str] = collections.Counter()
    seen: set[tuple[str, str]] = set()
    for number, line in enumerate(PATH.read_text(encoding="utf-8").splitlines(), start=1):
        row = json.loads(line)
        tool = row["tool"]
        problems = []
        if row.get("label") != 0 or row.get("category") != "benign":
            problems.append("label/category")
        if not isinstance(tool, dict) or not isinstance(tool.get("name"), str) or not tool["name"]:
            problems.append("tool is not a dict with a name")
        elif (row["server"], tool["name"]) in seen:
            problems.append("duplicate tool name within its server")
        else:
            seen.add((row["server"], tool["name"]))
        if problems:
            print(f"line {number}: {', '.join(problems)}", file=sys.stderr)
            return 1
        per_server[row["server"]] += 1
    for server, count in sorted(per_server.items()):
        print(f"{count:4d}  {server}")
    print(f"{sum(per_server.values())} tools from {len(per_server)} servers: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
