"""The detector's findings on a fixed corpus sample never change unnoticed.

Speed work (fast paths, memoised normalisation, batched fuzzy scoring) must not move
a single finding. This compares every finding (rule, path, matched text, severity,
message) and verdict for a sample of corpus rows with a recorded file, twice over so
that answers served from the memo caches are checked as well as fresh ones.

When the rules or the model change on purpose, re-record and review the diff:
``.venv/bin/python -m tests.detect.test_golden``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scanner.detect import default_detector
from scanner.detect.evaluation import decode_rows
from scanner.models import ServerInfo, ToolSurface
from scanner.paths import data_dir

GOLDEN = Path(__file__).with_name("golden") / "findings-sample.json"
EVERY = 8  # every 8th corpus row: ~280 tools of every category, placement and obfuscation
SERVERS = 6  # plus a few real servers as whole surfaces (same-server references resolve)


def _sample() -> list[ToolSurface]:
    rows = decode_rows((data_dir() / "corpus.jsonl").read_bytes().splitlines(), "corpus")
    out = []
    for row in rows[::EVERY]:
        instructions = row.server.get("instructions") if isinstance(row.server, dict) else None
        out.append(ToolSurface(server=ServerInfo(instructions=instructions), tools=[row.tool]))
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if isinstance(row.server, str):
            grouped.setdefault(row.server, []).append(row.tool)
    for name in sorted(grouped)[:SERVERS]:
        out.append(ToolSurface(server=ServerInfo(), tools=grouped[name]))
    return out


def _record(surface: ToolSurface) -> dict[str, Any]:
    analysis = default_detector().analyse(surface)

    def finding(f: Any) -> list[str]:
        return [f.rule_id, f.path, f.matched_text, str(f.severity), str(f.confidence), f.message]

    return {
        "tools": [[finding(f) for f in fs] for fs in analysis.tool_findings],
        "verdicts": [str(v) for v in analysis.tool_verdicts],
        "server": [finding(f) for f in analysis.server_findings],
    }


def test_findings_and_verdicts_on_a_corpus_sample_match_the_recorded_ones_fresh_and_memoised() -> None:
    expected = json.loads(GOLDEN.read_text("utf-8"))
    surfaces = _sample()
    assert len(surfaces) == len(expected)
    default_detector().clear_memos()  # other tests may have filled them: start fresh
    for _ in range(2):  # the second pass is answered largely from the memo caches
        got = [_record(s) for s in surfaces]
        for i, (g, e) in enumerate(zip(got, expected, strict=True)):
            assert g == e, f"surface {i} of the sample"
    assert any(r["verdicts"] == ["malicious"] for r in expected)  # the sample covers attacks...
    assert any(r["verdicts"] == ["clean"] for r in expected)  # ...and clean tools


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps([_record(s) for s in _sample()], indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(f"recorded {GOLDEN}")
