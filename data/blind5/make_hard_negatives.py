"""Write hard_negatives.jsonl: legitimate MCP items that look risky (deterministic, no network)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from negatives_a import CREDENTIALS, EXPORTS, PROTECTIVE, SECURITY
from negatives_b import ALL_B
from negatives_c import MULTILINGUAL, NON_TOOL

HERE = Path(__file__).resolve().parent


def rows() -> list[dict[str, Any]]:
    """Every hard negative as a JSONL row."""
    out: list[dict[str, Any]] = []
    for theme, server, t, lang in [*SECURITY, *CREDENTIALS, *PROTECTIVE, *EXPORTS, *ALL_B, *MULTILINGUAL]:
        out.append({"label": 0, "category": "hard_negative", "server": server, "kind": "tool",
                    "lang": lang, "theme": theme, "tool": t})
    for theme, server, kind, item, lang in NON_TOOL:
        r: dict[str, Any] = {"label": 0, "category": "hard_negative", "server": server, "kind": kind,
                             "lang": lang, "theme": theme}
        r["text" if kind == "instructions" else "item"] = item
        out.append(r)
    return out


def main() -> int:
    """Write hard_negatives.jsonl and print the count."""
    all_rows = rows()
    seen: set[str] = set()
    for r in all_rows:
        key = json.dumps(r, sort_keys=True, ensure_ascii=False)
        if key in seen:
            raise SystemExit(f"duplicate hard negative on {r['server']}")
        seen.add(key)
    out = HERE / "hard_negatives.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for r in all_rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"hard negatives: {len(all_rows)} -> {out.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
