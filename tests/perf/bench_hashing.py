"""Benchmark: canonical hashing of 10,000 realistic tools.

Ours (scanner.contract.hashing: RFC 8785 JCS + SHA-256, per tool and per manifest) against
a baseline of ``json.dumps(sort_keys=True)`` + SHA-256 of the same data, in the
same run. Target: at most 3x the baseline. The tools come from the LiveMCPBench
tool corpus, varied (suffixes, numbers, non-ASCII text) until there are 10,000.

    python3 .ci/dev.py perf hashing
"""

from __future__ import annotations

import copy
import hashlib
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import rfc8785

from scanner.contract.hashing import _to_ijson, manifest_sha256, tool_sha256

DATASET = Path(__file__).resolve().parents[2] / "data" / "real" / "livemcpbench-tools.json"
N = 10_000
TARGET = 3.0


def corpus_tools() -> list[dict[str, Any]]:
    servers = json.loads(DATASET.read_text(encoding="utf-8"))
    tools: list[dict[str, Any]] = []
    for server in servers:
        for entry in (server.get("tools") or {}).values():
            tools += [t for t in entry.get("tools", []) if isinstance(t, dict) and "name" in t]
    return tools


def realistic_tools(n: int) -> list[dict[str, Any]]:
    base = corpus_tools()
    out: list[dict[str, Any]] = []
    i = 0
    while len(out) < n:
        tool = copy.deepcopy(base[i % len(base)])
        round_ = i // len(base)
        tool["name"] = f"{tool['name']}_{i}"
        if round_ % 3 == 1:  # variation: numbers and annotations as real servers send them
            tool["annotations"] = {"readOnlyHint": i % 2 == 0, "title": tool["name"].title()}
            tool.setdefault("inputSchema", {}).setdefault("properties", {})["limit"] = {
                "type": "number", "default": 10, "maximum": 1e3, "minimum": 0.5,
            }  # fmt: skip
        elif round_ % 3 == 2:  # variation: non-ASCII text and _meta
            tool["description"] = f"{tool.get('description', '')} — ünïcödé ✓ {i}"
            tool["_meta"] = {"io.example/owner": f"team-{i % 7}", "score": i / 7}
        out.append(tool)
        i += 1
    return out


def ours(tools: list[dict[str, Any]]) -> str:
    for t in tools:
        tool_sha256(t)
    return manifest_sha256(tools)


def general_path_only(tools: list[dict[str, Any]]) -> str:
    """For reference: the rfc8785 library alone (what hashing.py falls back to)."""
    for t in tools:
        hashlib.sha256(rfc8785.dumps(_to_ijson(t))).hexdigest()
    ordered = sorted(tools, key=lambda t: t["name"].encode("utf-16-be"))
    return hashlib.sha256(rfc8785.dumps(_to_ijson(ordered))).hexdigest()


def baseline(tools: list[dict[str, Any]]) -> str:
    for t in tools:
        hashlib.sha256(json.dumps(t, sort_keys=True).encode()).hexdigest()
    ordered = sorted(tools, key=lambda t: t["name"])
    return hashlib.sha256(json.dumps(ordered, sort_keys=True).encode()).hexdigest()


def best_of(fn: Callable[[list[dict[str, Any]]], str], tools: list[dict[str, Any]], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn(tools)
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)  # type: ignore[return-value]


def main() -> int:
    tools = realistic_tools(N)
    size = sum(len(json.dumps(t)) for t in tools)
    ours(tools), baseline(tools)  # warm-up
    rounds = 5
    o_best, o_med = best_of(ours, tools, rounds)  # type: ignore[misc]
    b_best, b_med = best_of(baseline, tools, rounds)  # type: ignore[misc]
    g_best, _ = best_of(general_path_only, tools, 2)  # type: ignore[misc]
    assert ours(tools) == general_path_only(tools), "fast path and rfc8785 disagree"
    ratio = o_best / b_best
    print(f"tools: {len(tools)} ({size / 1e6:.1f} MB of JSON), best of {rounds} rounds")
    print(f"ours (JCS + SHA-256, per tool + manifest): best {o_best * 1000:.0f} ms, median {o_med * 1000:.0f} ms")
    print(f"baseline (json.dumps sort_keys + SHA-256): best {b_best * 1000:.0f} ms, median {b_med * 1000:.0f} ms")
    print(f"reference, rfc8785 alone: best {g_best * 1000:.0f} ms ({g_best / b_best:.2f}x the baseline)")
    print(f"ratio: {ratio:.2f}x (target <= {TARGET:.0f}x) -> {'PASS' if ratio <= TARGET else 'FAIL'}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
