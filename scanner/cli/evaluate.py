"""``mcp-trust eval CORPUS.jsonl``: precision, recall, F1 and false-positive rate of the
detector, overall and per category (and per placement and obfuscation when the
corpus says), plus tools per second (analysis time only, process start excluded).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from scanner.detect.classifier import load_model
from scanner.detect.detector import PoisoningDetector, bundled_rules, default_detector
from scanner.detect.evaluation import decode_rows, evaluate
from scanner.errors import SourceError


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Measure the poisoning detector on a labelled JSONL corpus: rows "
        '{"label": 0|1, "category": ..., "tool": {...}} (optional: server, fold, placement, '
        "obfuscation). Prints precision, recall, F1 and FPR overall and per category."
    )
    parser.add_argument("corpus", type=Path, help="labelled JSONL file")
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


def run(args: argparse.Namespace) -> int:
    try:
        lines = args.corpus.read_bytes().splitlines()
    except OSError as exc:
        raise SourceError(f"cannot read {args.corpus}: {exc.strerror or exc}") from exc
    rows = decode_rows(lines, str(args.corpus))
    if args.fold is not None:
        rows = [r for r in rows if r.fold == args.fold]
    if not rows:
        raise SourceError(f"{args.corpus}: no rows to evaluate")
    detector = _detector(args)

    def progress(done: int, total: int) -> None:
        print(f"\reval: {done}/{total} surfaces", end="" if done < total else "\n", file=sys.stderr)

    result = evaluate(detector, rows, progress)
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
        (key[3:], result[key]) for key in ("by_category", "by_placement", "by_obfuscation")
    ]
    for title, group in groups:
        if not group:
            continue
        lines.append(f"[{title}]")
        for name, metrics in group.items():
            lines.append(f"  {name:<32}" + "".join(f"{_fmt(metrics[c]):>10}" for c in cols))
    tps = result["tools_per_second"]
    lines.append(
        f"{result['tools']} tools in {result['seconds']:.2f} s of analysis: {_fmt(tps)} tools/s ({result['detection']})"
    )
    return "\n".join(lines)
