"""``mcp-trust train``: train the poisoning classifier from the labelled corpus.

Deterministic: the same rows give a byte-identical model file. Plain ``mcp-trust train``
trains the bundled model from the rows, C and thresholds that ``data/model-selection.json``
(the plan) names, so it reproduces the shipped ``data/model.json`` exactly; ``--select``
first chooses C and the thresholds by cross-validation held out by server, prints the table
and rewrites the plan. When the output is the bundled model, the SHA-256 pinned in code
(``scanner/detect/model_pin.py``) is rewritten with it, so the two change together.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any

from scanner.detect.classifier import MODEL_FILE, ModelFile, encode_model, write_pin
from scanner.detect.evaluation import decode_rows
from scanner.detect.selection import (
    EVIDENCE_FPR,
    FOLDS,
    GROWING_FILE,
    PLAN_FILE,
    PLAN_FORMAT,
    TARGET_FPR,
    TARGET_SERVER_SHARE,
    TRAINING_FILES,
    Plan,
    encode_plan,
    load_plan,
    plan_rows,
    read_rows,
    render_grid,
    select,
)
from scanner.detect.training import train
from scanner.errors import SourceError
from scanner.paths import data_dir


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Train the tool-poisoning classifier from labelled JSONL corpora (rows {label, category, tool, ...}) "
        "and write it as reviewable JSON. Without --corpus it trains the bundled model from the rows, C and "
        "thresholds in data/model-selection.json, reproducing data/model.json byte for byte; --select first "
        "chooses C and the thresholds by cross-validation held out by server and rewrites that plan. The "
        "bundled model's SHA-256 is pinned in scanner/detect/model_pin.py, rewritten with the model."
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        action="append",
        default=None,
        help="labelled JSONL; repeat for several (default: the plan's files under data/); "
        "thresholds are then chosen by cross-validation at one C",
    )
    parser.add_argument("--out", type=Path, default=None, help="model file to write (default: data/model.json)")
    parser.add_argument("--select", action="store_true", help="choose C and the thresholds first (slow: a grid)")
    parser.add_argument("--c", type=float, default=None, help="regularisation C for --corpus (default: the plan's)")
    parser.add_argument(
        "--exclude-fold",
        type=int,
        choices=(0, 1),
        default=None,
        help="leave this fold of data/corpus.jsonl out, every other training row in (to measure the fold "
        "held out with 'mcp-trust eval data/corpus.jsonl --fold')",
    )
    parser.add_argument("--format", choices=("table", "json"), default="table")


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def train_planned(data: Path, plan_path: Path | None = None) -> ModelFile:
    """The model a plan defines (by default the bundled one: what the shipped file must equal)."""
    plan = load_plan(plan_path or data / PLAN_FILE)
    rows = plan_rows(data, plan)
    return train(rows, plan.c, (plan.threshold, plan.evidence_threshold), _training_info(plan), say=_say)


def _training_info(plan: Plan) -> dict[str, Any]:
    return {
        "files": plan.files,
        "realworld_servers": len(plan.realworld_servers),
        "selection": f"{plan.folds}-fold cross-validation held out by server ({PLAN_FILE})",
        "threshold_rule": f"out-of-fold real-benign FPR <= {plan.target_fpr}",
        "evidence_threshold_rule": f"out-of-fold real-benign FPR <= {plan.evidence_fpr}",
    }


def _select(data: Path, plan_path: Path) -> Plan:
    rows, _ = read_rows(data, TRAINING_FILES, None)
    servers = sorted({r.server for r in rows if isinstance(r.server, str) and r.category == "benign"} & _growing(data))
    rows, digest = read_rows(data, TRAINING_FILES, set(servers))
    chosen, table = select(rows, say=_say)
    print(render_grid(table, chosen), file=sys.stderr)
    plan = Plan(
        format=PLAN_FORMAT,
        files=list(TRAINING_FILES),
        realworld_servers=servers,
        rows_sha256=digest,
        c=chosen.c,
        threshold=chosen.threshold,
        evidence_threshold=chosen.evidence_threshold,
        target_fpr=TARGET_FPR,
        evidence_fpr=EVIDENCE_FPR,
        target_server_share=TARGET_SERVER_SHARE,
        folds=FOLDS,
        grid=table,
    )
    plan_path.write_bytes(encode_plan(plan))
    _say(f"wrote the plan {plan_path}: C={plan.c:g}, threshold {plan.threshold}")
    return plan


def _growing(data: Path) -> set[str]:
    """Servers of the growing file whose capture is complete: those ``servers.jsonl`` lists
    in the train split (a capture interrupted before that line is written is dropped later)."""
    rows = decode_rows((data / GROWING_FILE).read_bytes().splitlines(), GROWING_FILE)
    listed = data / GROWING_FILE.replace("train.jsonl", "servers.jsonl")
    done = set()
    for line in listed.read_bytes().splitlines():
        entry = json.loads(line) if line.strip() else {}
        if entry.get("split") == "train":
            done.add(entry.get("package"))
    return {r.server for r in rows if isinstance(r.server, str) and r.server in done}


def _custom(args: argparse.Namespace, data: Path) -> ModelFile:
    """A model of other rows: --corpus files (C and thresholds by cross-validation at one C),
    or the plan's rows without one corpus fold (the plan's C and thresholds: the shipped
    model's configuration with that fold's templates and servers held out)."""
    plan_path = data / PLAN_FILE
    plan = load_plan(plan_path) if plan_path.exists() else None
    info: dict[str, Any] = {"corpora": [str(p) for p in args.corpus or []], "exclude_fold": args.exclude_fold}
    if args.corpus:
        rows = []
        for corpus in args.corpus:
            try:
                lines = corpus.read_bytes().splitlines()
            except OSError as exc:
                raise SourceError(f"cannot read the corpus {corpus}: {exc.strerror or exc}") from exc
            rows.extend(decode_rows(lines, str(corpus)))
    elif plan is not None:
        rows = plan_rows(data, plan)
    else:
        raise SourceError(f"no training plan {plan_path}: run 'mcp-trust train --select' or pass --corpus")
    if args.exclude_fold is not None:
        rows = [r for r in rows if r.fold != args.exclude_fold]  # rows without a fold stay
    if not rows or len({r.label for r in rows}) < 2:
        names = ", ".join(map(str, args.corpus or [data]))
        raise SourceError(f"{names}: training needs both benign and malicious rows")
    c = args.c if args.c is not None else plan.c if plan is not None else 32.0
    if plan is not None and not args.corpus and args.c is None:
        return train(rows, c, (plan.threshold, plan.evidence_threshold), {**info, "selection": PLAN_FILE}, _say)
    chosen, _ = select(rows, grid=(c,))
    return train(rows, c, (chosen.threshold, chosen.evidence_threshold), {**info, "selection": "cv"}, say=_say)


def run(args: argparse.Namespace) -> int:
    data = data_dir()
    out = args.out or data / MODEL_FILE
    start = time.perf_counter()
    if args.select:
        if args.corpus or args.exclude_fold is not None:
            raise SourceError("--select chooses for the bundled training rows: drop --corpus and --exclude-fold")
        plan_path = data / PLAN_FILE if _is_bundled(out, data) else out.with_name(out.stem + ".selection.json")
        _select(data, plan_path)
        model = train_planned(data, plan_path)
    elif args.corpus or args.exclude_fold is not None:
        model = _custom(args, data)
    else:
        model = train_planned(data)
    return _write(args, out, data, model, start)


def _write(args: argparse.Namespace, out: Path, data: Path, model: ModelFile, start: float) -> int:
    raw = encode_model(model)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(raw)
    digest = hashlib.sha256(raw).hexdigest()
    pin = _pin_if_bundled(out, data, digest)
    summary = {
        "model": str(out),
        "sha256": digest,
        "pinned_in": str(pin) if pin else None,
        "terms": len(model.weights),
        "threshold": model.threshold,
        "evidence_threshold": model.evidence_threshold,
        "seconds": round(time.perf_counter() - start, 2),
        **{k: v for k, v in model.training.items() if not isinstance(v, list)},
    }
    if args.format == "json":
        print(json.dumps(summary, indent=2))
    else:
        for key, value in summary.items():
            print(f"{key:<24} {value}")
    return 0


def _is_bundled(out: Path, data: Path) -> bool:
    return out.resolve() == (data / MODEL_FILE).resolve()


def _pin_if_bundled(out: Path, data: Path, digest: str) -> Path | None:
    """Scans load only the bundled model, checked against the SHA-256 pinned in code:
    rewrite that pin with the new model (any other file is for 'mcp-trust eval --model')."""
    if not _is_bundled(out, data):
        print(f"{out} is not the bundled model: the pinned SHA-256 is unchanged", file=sys.stderr)
        return None
    try:
        path = write_pin(digest)
    except OSError as exc:
        raise SourceError(
            f"wrote {out} but could not rewrite {PIN_NAME} ({exc.strerror or exc}); "
            f"until its MODEL_SHA256 is {digest}, scans refuse the model"
        ) from exc
    print(f"pinned SHA-256 {digest} in {path}: commit it together with {out}", file=sys.stderr)
    return path


PIN_NAME = "scanner/detect/model_pin.py"
