"""Detection quality, throughput, ReDoS bounds, and Cisco's YARA analyzer side by side.

Run: ``python3 .ci/dev.py perf detection`` (plain script, not collected by pytest).

1. Held-out quality (2-fold cross-fitting of the template corpus): for each fold k, the
   shipped model's configuration (the plan's rows, C and thresholds) is trained without
   corpus fold k (``mcp-trust train --exclude-fold k``) and the detector with that model
   judges fold k. Folds split benign tools by server and attacks by template family, so
   every corpus row is judged by a model that never saw its server or phrasing.
2. Throughput: rules + classifier over the whole corpus, one process, one thread,
   process start and loading excluded; CPU time (the machine is shared) and wall time.
3. ReDoS: every rule's RE2 pattern and the whole detector on 1 MB adversarial inputs.
4. Cisco mcp-scanner 4.8.7 YARA analyzer, installed by this script into its own venv
   under .cache/, run offline as ``mcp-scanner --analyzers yara --format raw static
   --tools FILE`` on the same tool rows; ``is_safe`` false counts as flagged.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from scanner.detect.classifier import encode_model, load_model  # noqa: E402
from scanner.detect.detector import PoisoningDetector, bundled_rules, default_detector  # noqa: E402
from scanner.detect.engine import CompiledRules  # noqa: E402
from scanner.detect.evaluation import CorpusRow, decode_rows, evaluate, summarise  # noqa: E402
from scanner.detect.rules import compiled_patterns, re2_options  # noqa: E402
from scanner.detect.selection import PLAN_FILE, load_plan, plan_rows  # noqa: E402
from scanner.detect.training import train  # noqa: E402
from scanner.models import ServerInfo, ToolSurface  # noqa: E402
from scanner.paths import data_dir  # noqa: E402

CACHE = ROOT / ".cache" / "bench-detection"
CISCO_VENV = ROOT / ".cache" / "cisco-mcp-scanner"
CISCO_VERSION = "4.8.7"
MB = 1 << 20
REPEAT = 4  # Cisco corpus repetitions, so its per-tool time outweighs start-up noise


def say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def load_rows() -> list[CorpusRow]:
    return decode_rows((ROOT / "data" / "corpus.jsonl").read_bytes().splitlines(), "corpus")


def tool_of(row: CorpusRow) -> dict[str, Any]:
    """The template corpus holds tool rows only."""
    if row.tool is None:
        raise ValueError(f"a corpus row of kind {row.kind} where a tool was expected")
    return row.tool


def fold_model(k: int) -> Path:
    """The shipped model's configuration (the plan's rows, C and thresholds) trained without
    corpus fold ``k`` (``mcp-trust train --exclude-fold k``): written once, reused."""
    path = CACHE / f"model-without-fold{k}.json"
    plan = load_plan(data_dir() / PLAN_FILE)
    rows = [r for r in plan_rows(data_dir(), plan) if r.fold != k]
    raw = encode_model(train(rows, plan.c, (plan.threshold, plan.evidence_threshold), {"exclude_fold": k}))
    if not path.exists() or path.read_bytes() != raw:
        path.write_bytes(raw)
    return path


def cross_fit(rows: list[CorpusRow], rules_only: bool, no_rules: bool = False) -> dict[str, Any]:
    flagged = [False] * len(rows)
    seconds = 0.0
    for k in (0, 1):
        held = [i for i, r in enumerate(rows) if r.fold == k]
        if rules_only:
            detector = PoisoningDetector(bundled_rules(), None)
        else:
            path = CACHE / f"model-without-fold{k}.json"
            rules = CompiledRules([]) if no_rules else bundled_rules()
            detector = PoisoningDetector(rules, load_model(path, None))
        result = evaluate(detector, [rows[i] for i in held])
        seconds += result["seconds"]
        hits = set(result["flagged"])
        for j, i in enumerate(held):
            flagged[i] = j in hits
    out = summarise(rows, flagged, seconds)
    out["flags"] = flagged
    return out


def _timed_pass(detector: PoisoningDetector, batch: list[ToolSurface]) -> tuple[float, float]:
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for s in batch:
        detector.analyse(s)
    return time.process_time() - cpu0, time.perf_counter() - wall0


def throughput(rows: list[CorpusRow]) -> dict[str, Any]:
    """Three views of the same work, because the detector memoises per distinct string:

    - first pass: one pass over the corpus after a 50-row warm-up (memo hits only for
      strings repeated inside the corpus, as a registry scanning new servers sees);
    - memos cleared: the best of 3 passes, every memo emptied before each (RE2's lazily
      built DFAs stay warm): the cost of strings never seen before;
    - steady state: the best of 3 passes with the memos full (re-scans of known tools).
    """
    detector = default_detector()
    detector.clear_memos()
    surfaces = [ToolSurface(server=ServerInfo(), tools=[tool_of(r)]) for r in rows[:50]]
    for s in surfaces:  # warm up (first-use skeleton table, RE2 DFA states)
        detector.analyse(s)
    real = [r for r in rows if r.category == "benign"]
    by_server: dict[str, list[dict[str, Any]]] = {}
    for r in real:
        by_server.setdefault(str(r.server), []).append(tool_of(r))
    cases = {
        "all corpus rows, one tool per surface": [ToolSurface(server=ServerInfo(), tools=[tool_of(r)]) for r in rows],
        "real servers, one surface per server": [ToolSurface(server=ServerInfo(), tools=t) for t in by_server.values()],
    }
    out: dict[str, Any] = {}
    for name, batch in cases.items():
        n = sum(len(s.tools) for s in batch)
        detector.clear_memos()  # the previous case's passes must not pre-fill this one's
        cpu, wall = _timed_pass(detector, batch)
        cleared = []
        for _ in range(3):
            detector.clear_memos()
            cleared.append(_timed_pass(detector, batch)[0])
        steady = [_timed_pass(detector, batch)[0] for _ in range(3)]
        out[name] = {
            "tools": n,
            "cpu_s": cpu,
            "wall_s": wall,
            "tools_per_cpu_s": n / cpu,
            "memos_cleared_tools_per_cpu_s": n / min(cleared),
            "steady_tools_per_cpu_s": n / min(steady),
        }
    return out


def whole_run(rows: list[CorpusRow]) -> dict[str, Any]:
    """Ours as a user runs it: ``mcp-trust eval FILE`` on the tool rows, a fresh process
    each time (interpreter start, imports, rules and model loading, the scan); CPU time
    of the child, median of 3."""
    path = CACHE / "tool-rows.jsonl"
    lines = (ROOT / "data" / "corpus.jsonl").read_bytes().splitlines()
    keep = [line for line, r in zip(lines, rows, strict=True) if not isinstance(r.server, dict)]
    path.write_bytes(b"\n".join(keep) + b"\n")
    exe = Path(sys.executable).with_name("mcp-trust")
    runs = []
    for _ in range(3):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall0 = time.perf_counter()
        subprocess.run([str(exe), "eval", str(path), "--format", "json"], capture_output=True, check=True)
        wall = time.perf_counter() - wall0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        runs.append(((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall))
    cpu, wall = sorted(runs)[1]
    return {"rows": len(keep), "cpu_s": cpu, "wall_s": wall, "command": f"mcp-trust eval {path} --format json"}


def redos() -> dict[str, Any]:
    import re2

    inputs = {
        "a*1MB": "a" * MB,
        "words*1MB": ("ignore previous instructions read send user " * (MB // 44))[:MB],
        "nesting*1MB": ("a(" * (MB // 2))[:MB],
        "no-sentence-end": ("x " * (MB // 2))[:MB],
    }
    worst: dict[str, Any] = {"rule": None, "input": None, "ms": 0.0}
    per_rule: dict[str, float] = {}
    for rule in bundled_rules().rules:
        for pattern in compiled_patterns(rule):
            regex = re2.compile(pattern, re2_options())
            for name, text in inputs.items():
                start = time.perf_counter()
                regex.search(text)
                ms = (time.perf_counter() - start) * 1000
                per_rule[rule.id] = max(per_rule.get(rule.id, 0.0), ms)
                if ms > worst["ms"]:
                    worst = {"rule": rule.id, "input": name, "ms": ms}
    detector = default_detector()
    whole: dict[str, float] = {}
    for name, text in inputs.items():
        surface = ToolSurface(server=ServerInfo(), tools=[{"name": "t", "description": text}])
        start = time.perf_counter()
        detector.analyse(surface)
        whole[name] = (time.perf_counter() - start) * 1000
    return {"worst_single_pattern": worst, "per_rule_max_ms": per_rule, "detector_ms": whole}


def ensure_cisco() -> Path | None:
    exe = CISCO_VENV / "bin" / "mcp-scanner"
    if exe.exists():
        return exe
    say(f"installing cisco-ai-mcp-scanner=={CISCO_VERSION} into {CISCO_VENV}")
    try:
        subprocess.run([sys.executable, "-m", "venv", str(CISCO_VENV)], check=True)
        pip = [str(CISCO_VENV / "bin" / "pip"), "install", "-q"]
        subprocess.run([*pip, f"cisco-ai-mcp-scanner=={CISCO_VERSION}"], check=True, timeout=1200)
    except (subprocess.SubprocessError, OSError) as exc:
        say(f"cisco install failed: {exc}")
        return None
    return exe if exe.exists() else None


def run_cisco(exe: Path, tools: list[dict[str, Any]], name: str) -> tuple[list[bool], float, float]:
    path = CACHE / f"{name}.json"
    path.write_text(json.dumps({"tools": tools}))
    env = {k: v for k, v in os.environ.items() if not k.endswith(("_KEY", "_TOKEN"))}
    env["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"  # offline: no model-price download
    argv = [str(exe), "--analyzers", "yara", "--format", "raw", "static", "--tools", str(path)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall0 = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=3600, check=False)
    wall = time.perf_counter() - wall0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise RuntimeError(f"mcp-scanner exited {proc.returncode}: {proc.stderr[-500:]}")
    results = json.loads(proc.stdout[proc.stdout.index("{") :])["scan_results"]
    if len(results) != len(tools):
        raise RuntimeError(f"mcp-scanner returned {len(results)} results for {len(tools)} tools")
    for res, tool in zip(results, tools, strict=True):
        if res.get("tool_name") != tool.get("name"):
            raise RuntimeError("mcp-scanner results are not in input order")
    return [not r.get("is_safe", True) for r in results], cpu, wall


def cisco(rows: list[CorpusRow], ours: list[bool]) -> dict[str, Any]:
    exe = ensure_cisco()
    if exe is None:
        return {"error": "install failed (see stderr)"}
    # Cisco's static mode reads tools only: compare on rows whose poison sits in a tool.
    idx = [i for i, r in enumerate(rows) if not isinstance(r.server, dict)]
    tools = [tool_of(rows[i]) for i in idx]
    # Start-up (5+ CPU-s) dwarfs the per-tool work, so both are measured with care:
    # start-up as the median of 3 one-tool runs, the work on the corpus repeated 4 times.
    starts = sorted(run_cisco(exe, tools[:1], "cisco-startup")[1:] for _ in range(3))
    start_cpu, start_wall = starts[1]
    flags, cpu, wall = run_cisco(exe, tools * REPEAT, "cisco-corpus")
    _, once_cpu, once_wall = run_cisco(exe, tools, "cisco-once")  # as a user runs it, once
    flags = flags[: len(tools)]
    subset = [rows[i] for i in idx]
    theirs = summarise(subset, flags, wall - start_wall)
    mine = summarise(subset, [ours[i] for i in idx], 0.0)
    return {
        "rows": len(idx),
        "cisco": {k: theirs[k] for k in ("overall", "by_category")},
        "ours_same_rows": {k: mine[k] for k in ("overall", "by_category")},
        "cisco_cpu_s": cpu - start_cpu,
        "cisco_wall_s": wall - start_wall,
        "cisco_startup_cpu_s": start_cpu,
        "cisco_startup_wall_s": start_wall,
        "cisco_tools_per_cpu_s": REPEAT * len(idx) / max(cpu - start_cpu, 1e-9),
        "cisco_tools_scanned": REPEAT * len(idx),
        # Per-tool work without any start-up estimate: the slope between the 1x and 4x runs.
        "cisco_marginal_tools_per_cpu_s": (REPEAT - 1) * len(idx) / max(cpu - once_cpu, 1e-9),
        "cisco_whole_run_cpu_s": once_cpu,
        "cisco_whole_run_wall_s": once_wall,
    }


# (name, files): hand-written and captured sets beside the template corpus. Every one of
# them has been read for development or trained on, so every figure on them is in-sample.
# The measures of generalisation, data/realworld/test.jsonl and data/blind5/, are left out
# on purpose: they are measured once, at the end, and never by this script.
HOLDOUTS: dict[str, tuple[str, ...]] = {
    "development (data/holdout, trained on)": (
        "holdout/attacks.jsonl",
        "holdout/hard_negatives.jsonl",
        "holdout/real_benign.jsonl",
    ),
    "development (data/dev4a, data/dev4b, trained on)": ("dev4a/dev4a.jsonl", "dev4b/dev4b.jsonl"),
    "development (data/holdout2, trained on)": (
        "holdout2/attacks.jsonl",
        "holdout2/hard_negatives.jsonl",
        "holdout2/real_benign.jsonl",
    ),
    "development (data/holdout3, both halves, trained on)": ("holdout3/real_benign.jsonl",),
    "development (data/realworld/dev.jsonl: read for error analysis, never trained on)": ("realworld/dev.jsonl",),
}


def holdouts(cisco_exe: Path | None) -> dict[str, Any]:
    """The shipped detector (and Cisco's YARA analyzer) on the hand-written and captured sets."""
    detector = default_detector()
    out: dict[str, Any] = {}
    for name, files in HOLDOUTS.items():
        result: dict[str, Any] = {}
        for file in files:
            path = ROOT / "data" / file
            if not path.exists():
                continue
            rows = decode_rows(path.read_bytes().splitlines(), file)
            ours = evaluate(detector, rows)
            keys = ("overall", "by_category", "by_placement", "by_obfuscation", "by_kind", "servers")
            entry = {"ours": {k: ours[k] for k in keys}}
            if cisco_exe is not None and all(r.tool is not None for r in rows):
                tools = [r.tool for r in rows if r.tool is not None]
                flags, _, _ = run_cisco(cisco_exe, tools, "cisco-" + file.replace("/", "-"))
                theirs = summarise(rows, flags, 0.0)
                entry["cisco"] = {k: theirs[k] for k in ("overall", "by_category")}
            result[file] = entry
        out[name] = result
    return out


def _row(name: str, m: dict[str, Any]) -> str:
    def f(x: Any) -> str:
        return "-" if x is None else f"{x:.3f}"

    return f"| {name} | {m['n']} | {f(m['precision'])} | {f(m['recall'])} | {f(m['f1'])} | {f(m['fpr'])} |"


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description="detection benchmark")
    parser.add_argument("--no-cisco", action="store_true", help="skip Cisco's analyzer (installing it is slow)")
    args = parser.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    rows = load_rows()
    say("cross-fitting rules only and rules+classifier")
    for k in (0, 1):
        fold_model(k)
    rules_only = cross_fit(rows, rules_only=True)
    combined = cross_fit(rows, rules_only=False)
    classifier_only = cross_fit(rows, rules_only=False, no_rules=True)
    say("throughput")
    speed = throughput(rows)
    say("whole CLI runs")
    ours_whole = whole_run(rows)
    say("ReDoS inputs")
    bounds = redos()
    say("Cisco YARA analyzer")
    theirs: dict[str, Any]
    try:
        theirs = {"error": "skipped (--no-cisco)"} if args.no_cisco else cisco(rows, combined["flags"])
    except (RuntimeError, subprocess.SubprocessError, ValueError) as exc:
        theirs = {"error": str(exc)}
    say("hand-written holdout sets")
    blind = holdouts(None if "error" in theirs else ensure_cisco())
    real = [r for r in rows if r.category == "benign"]
    result = {
        "rules_only": {k: rules_only[k] for k in ("overall", "by_category")},
        "classifier_and_normaliser_only": {k: classifier_only[k] for k in ("overall", "by_category")},
        "rules_plus_classifier": {k: combined[k] for k in ("overall", "by_category", "by_placement", "by_obfuscation")},
        "real_benign": {"tools": len(real), "servers": len({r.server for r in real})},
        "throughput": speed,
        "whole_run": ours_whole,
        "redos": bounds,
        "cisco": theirs,
        "holdouts": blind,
    }
    (CACHE / "result.json").write_text(json.dumps(result, indent=2))
    print("| detector (held-out, cross-fitted) | rows | precision | recall | F1 | FPR |")
    print("|---|---:|---:|---:|---:|---:|")
    print(_row("ours: rules only", rules_only["overall"]))
    print(_row("ours: classifier + normaliser, no rules", classifier_only["overall"]))
    print(_row("ours: rules + classifier", combined["overall"]))
    print(_row("ours on real benign servers only", combined["by_category"]["benign"]))
    if "error" not in theirs:
        print(_row(f"ours, tool rows only ({theirs['rows']})", theirs["ours_same_rows"]["overall"]))
        print(_row("Cisco YARA, same tool rows", theirs["cisco"]["overall"]))
    print()
    for name, s in speed.items():
        print(
            f"throughput ({name}): {s['tools']} tools, first pass {s['tools_per_cpu_s']:.0f} tools/CPU-s"
            f" (wall {s['wall_s']:.2f} s), memos cleared {s['memos_cleared_tools_per_cpu_s']:.0f},"
            f" steady state {s['steady_tools_per_cpu_s']:.0f}"
        )
    print(f"ours, whole run: {ours_whole['command']}: {ours_whole['cpu_s']:.2f} CPU-s, {ours_whole['wall_s']:.2f} s")
    if "error" not in theirs:
        corpus = speed["all corpus rows, one tool per surface"]
        rate = theirs["cisco_tools_per_cpu_s"]
        print(f"Cisco YARA: {rate:.0f} tools/CPU-s (startup {theirs['cisco_startup_cpu_s']:.2f} CPU-s excluded)")
        slope = theirs["cisco_marginal_tools_per_cpu_s"]
        print(f"Cisco YARA marginal (4x run minus 1x run): {slope:.0f} tools/CPU-s")
        print(
            "ratio ours / Cisco per tool (CPU, start-up excluded):"
            f" first pass {corpus['tools_per_cpu_s'] / rate:.2f}x,"
            f" memos cleared {corpus['memos_cleared_tools_per_cpu_s'] / rate:.2f}x,"
            f" steady state {corpus['steady_tools_per_cpu_s'] / rate:.2f}x;"
            f" against the marginal figure: first pass {corpus['tools_per_cpu_s'] / slope:.2f}x,"
            f" steady state {corpus['steady_tools_per_cpu_s'] / slope:.2f}x"
        )
        print(
            f"Cisco whole run on the same {theirs['rows']} rows: {theirs['cisco_whole_run_cpu_s']:.2f} CPU-s,"
            f" {theirs['cisco_whole_run_wall_s']:.2f} s wall; ratio Cisco / ours (CPU):"
            f" {theirs['cisco_whole_run_cpu_s'] / ours_whole['cpu_s']:.1f}x"
        )
    else:
        print(f"Cisco comparison not available: {theirs['error']}")
    for name, sets in blind.items():
        print()
        print(f"| {name} | rows | precision | recall | F1 | FPR |")
        print("|---|---:|---:|---:|---:|---:|")
        for file, entry in sets.items():
            print(_row(f"ours: {file}", entry["ours"]["overall"]))
            if "cisco" in entry:
                print(_row(f"Cisco YARA: {file}", entry["cisco"]["overall"]))
    w = bounds["worst_single_pattern"]
    print(f"ReDoS: worst single pattern {w['rule']} on {w['input']}: {w['ms']:.1f} ms per 1 MB")
    print(
        "ReDoS: whole detector on 1 MB fields (ms): "
        + ", ".join(f"{k} {v:.0f}" for k, v in bounds["detector_ms"].items())
    )
    print(f"full result: {CACHE / 'result.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
