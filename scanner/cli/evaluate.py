"""``mcp-trust eval CORPUS.jsonl [...]``: precision, recall, F1 and false-positive rate of
the detector, overall and per category (and per placement, obfuscation and row kind when
the corpus says), the share of benign servers with any flagged row, how often each rule
fires on benign and on attack rows, and tools per second (analysis time only, process
start excluded).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from scanner.detect.classifier import load_model
from scanner.detect.detector import PoisoningDetector, bundled_rules, default_detector
from scanner.detect.evaluation import CorpusRow, decode_rows, evaluate
from scanner.errors import SourceError


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Measure the poisoning detector on labelled JSONL corpora: rows "
        '{"label": 0|1, "category": ..., "tool": {...}} (or "kind": prompt|resource|resource_template '
        'with "item", or "kind": instructions with "text"; optional: server, fold, placement, '
        "obfuscation). Prints precision, recall, F1 and FPR overall and per category, the share of "
        "benign servers with a flagged row, and each rule's firings on benign and attack rows."
    )
    parser.add_argument("corpus", type=Path, nargs="+", help="labelled JSONL file(s), measured together")
    parser.add_argument("--fold", type=int, default=None, help="only rows of this fold")
    parser.add_argument(
        "--model",
        type=Path,
        default=None,
        help="classifier JSON to use instead of the bundled one (its .sha256 is checked if present)",
    )
    parser.add_argument("--rules-only", action="store_true", help="do not use the classifier")
    parser.add_argument("--format", choices=("table", "json"), default="table")


def _detector(args: argparse.Namespace) -> PoisoningDetector:
    if args.rules_only:
        return PoisoningDetector(bundled_rules(), None)
    if args.model is None:
        return default_detector()
    digest = args.model.with_name(args.model.name + ".sha256")
    expected = digest.read_text("ascii").split()[0] if digest.exists() else None
    return PoisoningDetector(bundled_rules(), load_model(args.model, expected))


def read_corpora(paths: list[Path]) -> tuple[list[CorpusRow], list[int]]:
    """Every row of every file, in order, and the file each came from (a server name is per
    file: two files' rows of a server called the same are two surfaces)."""
    rows: list[CorpusRow] = []
    sources: list[int] = []
    for number, path in enumerate(paths):
        try:
            lines = path.read_bytes().splitlines()
        except OSError as exc:
            raise SourceError(f"cannot read {path}: {exc.strerror or exc}") from exc
        decoded = decode_rows(lines, str(path))
        rows.extend(decoded)
        sources.extend([number] * len(decoded))
    return rows, sources


def run(args: argparse.Namespace) -> int:
    rows, sources = read_corpora(args.corpus)
    if args.fold is not None:
        keep = [i for i, r in enumerate(rows) if r.fold == args.fold]
        rows, sources = [rows[i] for i in keep], [sources[i] for i in keep]
    if not rows:
        raise SourceError(f"{', '.join(map(str, args.corpus))}: no rows to evaluate")
    detector = _detector(args)

    def progress(done: int, total: int) -> None:
        print(f"\reval: {done}/{total} surfaces", end="" if done < total else "\n", file=sys.stderr)

    result = evaluate(detector, rows, progress, sources)
    result.pop("flagged")
    result["detection"] = detector.detection
    if args.format == "json":
        print(json.dumps(result, indent=2))
    else:
        print(render_table(result))
    return 0


def _fmt(value: Any) -> str:
    return "-" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def render_table(result: dict[str, Any]) -> str:
    cols = ("n", "tp", "fp", "fn", "precision", "recall", "f1", "fpr")
    lines = [f"{'':<34}" + "".join(f"{c:>10}" for c in cols)]
    groups = [("overall", {"all": result["overall"]})] + [
        (key[3:], result[key]) for key in ("by_category", "by_placement", "by_obfuscation", "by_kind")
    ]
    for title, group in groups:
        if not group:
            continue
        lines.append(f"[{title}]")
        for name, metrics in group.items():
            lines.append(f"  {name:<32}" + "".join(f"{_fmt(metrics[c]):>10}" for c in cols))
    servers = result["servers"]
    if servers["benign_servers"]:
        lines.append(
            f"real (benign) servers with any flagged row: {servers['flagged']}/{servers['benign_servers']}"
            f" ({_fmt(servers['share'])})"
        )
    lines.extend(_rule_lines(result["rules"]))
    tps = result["tools_per_second"]
    lines.append(
        f"{result['tools']} tools in {result['seconds']:.2f} s of analysis: {_fmt(tps)} tools/s ({result['detection']})"
    )
    return "\n".join(lines)


def _rule_lines(rules: dict[str, dict[str, int]]) -> list[str]:
    if not rules:
        return []
    lines = [
        "[rules: rows each rule fired on, any severity]",
        f"  {'rule':<32}{'benign':>10}{'flagged':>10}{'attack':>10}",
    ]
    order = sorted(rules.items(), key=lambda kv: (-kv[1]["benign_rows"], kv[0]))
    for rule_id, c in order:
        lines.append(f"  {rule_id:<32}{c['benign_rows']:>10}{c['benign_flagged']:>10}{c['attack_rows']:>10}")
    return lines
