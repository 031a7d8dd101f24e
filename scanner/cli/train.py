"""``mcp-trust train``: train the poisoning classifier from the labelled corpus.

Deterministic: the same corpus and rules give a byte-identical model file. The
model is written as JSON and its SHA-256 printed; when it is the bundled model
(``data/model.json``, the default), the SHA-256 pinned in code
(``scanner/detect/model_pin.py``) is rewritten with it, so the two change together.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

from scanner.detect.classifier import MODEL_FILE, encode_model, write_pin
from scanner.detect.detector import rules_only_detector
from scanner.detect.evaluation import decode_rows
from scanner.detect.training import train
from scanner.errors import SourceError
from scanner.paths import data_dir


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Train the tool-poisoning classifier from a labelled JSONL corpus "
        "(rows {label, category, tool, ...}) and write it as reviewable JSON; the bundled model's "
        "SHA-256 is pinned in scanner/detect/model_pin.py, rewritten when the bundled model is."
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        action="append",
        default=None,
        help="labelled JSONL; repeat for several (default: "
        + ", ".join(f"data/{name}" for name in TRAINING_FILES)
        + ")",
    )
    parser.add_argument("--out", type=Path, default=None, help="model file to write (default: data/model.json)")
    parser.add_argument(
        "--exclude-fold",
        type=int,
        choices=(0, 1),
        default=None,
        help="leave this fold out (to measure it held out with 'mcp-trust eval --fold')",
    )
    parser.add_argument("--format", choices=("table", "json"), default="table")


# The bundled model's training rows: the template corpus (with its folds) and the
# development sets. The blind test sets (data/holdout2, data/holdout3/real_benign_test)
# are never trained on.
TRAINING_FILES = (
    "corpus.jsonl",
    "holdout/attacks.jsonl",
    "holdout/hard_negatives.jsonl",
    "holdout/real_benign.jsonl",
    "holdout3/real_benign_dev.jsonl",
    "dev4a/dev4a.jsonl",
    "dev4b/dev4b.jsonl",
)


def run(args: argparse.Namespace) -> int:
    corpora = args.corpus or [data_dir() / name for name in TRAINING_FILES]
    out = args.out or data_dir() / MODEL_FILE
    rows = []
    for corpus in corpora:
        try:
            lines = corpus.read_bytes().splitlines()
        except OSError as exc:
            raise SourceError(f"cannot read the corpus {corpus}: {exc.strerror or exc}") from exc
        rows.extend(decode_rows(lines, str(corpus)))
    if args.exclude_fold is not None:
        # Rows without a fold (the development set) are not part of the cross-fit.
        rows = [r for r in rows if r.fold is not None and r.fold != args.exclude_fold]
    if not rows or len({r.label for r in rows}) < 2:
        raise SourceError(f"{', '.join(map(str, corpora))}: training needs both benign and malicious rows")
    start = time.perf_counter()
    model = train(rules_only_detector(), rows, say=lambda m: print(m, file=sys.stderr))
    data = encode_model(model)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    pin = _pin_if_bundled(out, digest)
    summary = {
        "model": str(out),
        "sha256": digest,
        "pinned_in": str(pin) if pin else None,
        "terms": len(model.weights),
        "threshold": model.threshold,
        "seconds": round(time.perf_counter() - start, 2),
        **model.training,
    }
    if args.format == "json":
        print(json.dumps(summary, indent=2))
    else:
        for key, value in summary.items():
            print(f"{key:<20} {value}")
    return 0


def _pin_if_bundled(out: Path, digest: str) -> Path | None:
    """Scans load only the bundled model, checked against the SHA-256 pinned in code:
    rewrite that pin with the new model (any other file is for 'mcp-trust eval --model')."""
    if out.resolve() != (data_dir() / MODEL_FILE).resolve():
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
