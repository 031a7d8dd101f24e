"""Choose the classifier's regularisation C and its two thresholds by cross-validation held
out by server (``mcp-trust train --select``), and the plan that makes ``mcp-trust train``
reproduce the shipped model byte for byte.

Rows are cut into ``FOLDS`` groups by server: a server's tools, prompts, resources and
instructions stay together, and so does every attack row built on one of that server's
tools (its other fields *are* that server's text); other attack rows go by template family
or their own server. For each C of the grid, each group is scored by a model trained on
the others, with the scan-time scorer. From those out-of-fold scores: the decision
threshold is the lowest score that flags at most ``TARGET_FPR`` of the real benign rows,
the evidence threshold (which only corroborates a rule finding) the one that flags at most
``EVIDENCE_FPR`` of them, and C is the one catching the most attack rows at its threshold
among those whose threshold flags real tools of at most ``TARGET_SERVER_SHARE`` of the servers.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import numpy as np

from scanner.detect.classifier import Classifier, ModelFile
from scanner.detect.evaluation import CorpusRow, decode_rows
from scanner.detect.training import Examples, fit, sentence_examples, vectorise, weights_table
from scanner.errors import SourceError

PLAN_FORMAT = "mcp-trust-model-selection/1"
PLAN_FILE = "model-selection.json"
FOLDS = 4
GRID = (2.0, 8.0, 32.0, 128.0)
# Out-of-fold share of real benign rows the classifier alone may flag (the whole detector's
# budget is 0.5% of real tools; rules take some of it), and the looser share at which a score
# may corroborate a medium rule finding.
TARGET_FPR = 0.002
EVIDENCE_FPR = 0.03
# A C whose threshold flags real tools of more than 1% of the servers, out of fold, spreads
# its false positives over many servers (each one a review): it is not chosen while another is
# within this share.
TARGET_SERVER_SHARE = 0.01
MIN_THRESHOLD = 0.5
# The training rows of the bundled model. realworld/train.jsonl grows as servers are
# captured: only the servers the plan names are used, so a later capture does not change
# the model until someone reruns the selection.
TRAINING_FILES = (
    "corpus.jsonl",
    "holdout/attacks.jsonl",
    "holdout/hard_negatives.jsonl",
    "holdout/real_benign.jsonl",
    "holdout2/attacks.jsonl",
    "holdout2/hard_negatives.jsonl",
    "holdout2/real_benign.jsonl",
    "holdout3/real_benign.jsonl",
    "dev4a/dev4a.jsonl",
    "dev4b/dev4b.jsonl",
    "realworld/train.jsonl",
)
GROWING_FILE = "realworld/train.jsonl"


class GridRow(msgspec.Struct, frozen=True):
    """Out-of-fold figures of one C at its own thresholds."""

    c: float
    threshold: float
    evidence_threshold: float
    real_rows: int
    real_flagged: int
    real_servers: int
    servers_flagged: int
    hard_negatives: int
    hard_negatives_flagged: int
    attack_rows: int
    attacks_caught: int
    attacks_at_evidence: int


class Plan(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What ``mcp-trust train`` trains the bundled model from (``data/model-selection.json``)."""

    format: str
    files: list[str]
    realworld_servers: list[str]
    rows_sha256: str
    c: float
    threshold: float
    evidence_threshold: float
    target_fpr: float
    evidence_fpr: float
    target_server_share: float
    folds: int
    grid: list[GridRow]


def fold_of(rows: list[CorpusRow], folds: int = FOLDS) -> list[int]:
    """The cross-validation group of each row (see the module docstring)."""
    carrier_server: dict[str, str] = {}
    for row in rows:
        if row.label == 0 and isinstance(row.server, str) and row.tool_name:
            carrier_server.setdefault(row.tool_name, row.server)
    out = []
    for index, row in enumerate(rows):
        key = row.server if isinstance(row.server, str) else None
        if row.label == 1:
            key = carrier_server.get(row.tool_name) or row.family or key
        digest = hashlib.sha256(b"selection-fold:" + (key or f"row-{index}").encode()).digest()
        out.append(int.from_bytes(digest[:4], "big") % folds)
    return out


def out_of_fold_scores(
    examples: Examples, matrix: Any, fold: list[int], c: float, folds: int = FOLDS
) -> dict[int, float]:
    """Each row's best sentence probability from the model trained without its group, scored
    as a scan scores (rounded weights, the scan-time analyser)."""
    owner = np.asarray(examples.owner)
    labels = np.asarray(examples.labels)
    doc_fold = np.asarray([fold[o] for o in examples.owner])
    best: dict[int, float] = {}
    for k in range(folds):
        train_idx = np.flatnonzero(doc_fold != k)
        test_idx = np.flatnonzero(doc_fold == k)
        if not len(test_idx) or len(set(labels[train_idx].tolist())) < 2:
            continue
        coef, intercept = fit(matrix.x[train_idx], labels[train_idx], c)
        model = ModelFile("scoring", weights_table(coef, matrix.terms), intercept, 0.5, 0.5, {})
        scorer = Classifier(model, sha256="")
        for j in test_idx.tolist():
            z = scorer.logit(*examples.docs[j])
            row = int(owner[j])
            best[row] = max(best.get(row, -1e9), z)
    return {row: _sigmoid(z) for row, z in best.items()}


def _sigmoid(z: float) -> float:
    return 0.0 if z < -60 else 1.0 / (1.0 + math.exp(-z))


def cut(scores: list[float], share: float, floor: float) -> float:
    """The lowest threshold at which at most ``share`` of ``scores`` are at or above it."""
    if not scores:
        return floor
    ordered = sorted(scores)
    allowed = int(len(ordered) * share)
    return float(f"{max(floor, ordered[len(ordered) - 1 - allowed] + 1e-6):.6g}")


def grid_row(rows: list[CorpusRow], scores: dict[int, float], c: float) -> GridRow:
    """Thresholds and out-of-fold figures for one C."""
    real = [i for i, r in enumerate(rows) if r.label == 0 and r.category == "benign"]
    real_scores = [scores[i] for i in real if i in scores]
    threshold = cut(real_scores, TARGET_FPR, MIN_THRESHOLD)
    evidence = min(threshold, cut(real_scores, EVIDENCE_FPR, 0.0))

    def hit(i: int, at: float) -> bool:
        return scores.get(i, 0.0) >= at

    servers: dict[str, bool] = {}
    for i in real:
        key = str(rows[i].server)
        servers[key] = servers.get(key, False) or hit(i, threshold)
    hard = [i for i, r in enumerate(rows) if r.label == 0 and r.category != "benign"]
    attacks = [i for i, r in enumerate(rows) if r.label == 1]
    return GridRow(
        c=c,
        threshold=threshold,
        evidence_threshold=evidence,
        real_rows=len(real),
        real_flagged=sum(hit(i, threshold) for i in real),
        real_servers=len(servers),
        servers_flagged=sum(servers.values()),
        hard_negatives=len(hard),
        hard_negatives_flagged=sum(hit(i, threshold) for i in hard),
        attack_rows=len(attacks),
        attacks_caught=sum(hit(i, threshold) for i in attacks),
        attacks_at_evidence=sum(hit(i, evidence) for i in attacks),
    )


def select(
    rows: list[CorpusRow],
    grid: tuple[float, ...] = GRID,
    say: Callable[[str], None] = lambda _: None,
) -> tuple[GridRow, list[GridRow]]:
    """Cross-validate every C of ``grid``: (the chosen row, the whole table)."""
    examples = sentence_examples(rows)
    matrix = vectorise(examples.docs)
    fold = fold_of(rows)
    table = []
    for c in grid:
        say(f"C={c:g}: {FOLDS} fits")
        table.append(grid_row(rows, out_of_fold_scores(examples, matrix, fold, c), c))
    return choose(table), table


def choose(table: list[GridRow]) -> GridRow:
    """The C catching the most attacks at its threshold among those flagging at most
    ``TARGET_SERVER_SHARE`` of the real servers (all of them when none does); ties go to the
    most attacks at the evidence threshold, then to the smaller C."""
    within = [g for g in table if g.servers_flagged <= TARGET_SERVER_SHARE * g.real_servers] or table
    return max(within, key=lambda g: (g.attacks_caught, g.attacks_at_evidence, -g.c))


def render_grid(table: list[GridRow], chosen: GridRow) -> str:
    """The selection table, one line per C (out-of-fold figures at that C's thresholds)."""
    head = (
        f"{'C':>7} {'threshold':>10} {'evidence':>9} {'real flagged':>14} {'servers':>9}"
        f" {'hard neg':>9} {'attacks':>12} {'at evidence':>12}"
    )
    lines = [head]
    for g in table:
        mark = "  <- chosen" if g is chosen else ""
        lines.append(
            f"{g.c:>7g} {g.threshold:>10.6g} {g.evidence_threshold:>9.4g}"
            f" {g.real_flagged:>6}/{g.real_rows:<7} {g.servers_flagged:>4}/{g.real_servers:<4}"
            f" {g.hard_negatives_flagged:>4}/{g.hard_negatives:<4}"
            f" {g.attacks_caught:>5}/{g.attack_rows:<6} {g.attacks_at_evidence:>5}/{g.attack_rows:<6}{mark}"
        )
    return "\n".join(lines)


def read_rows(data: Path, files: tuple[str, ...] | list[str], servers: set[str] | None) -> tuple[list[CorpusRow], str]:
    """The rows of ``files`` under ``data`` (of ``GROWING_FILE`` only ``servers``' rows, when
    given) and the SHA-256 of the lines used, in order."""
    digest = hashlib.sha256()
    rows: list[CorpusRow] = []
    for name in files:
        path = data / name
        try:
            lines = [line for line in path.read_bytes().splitlines() if line.strip()]
        except OSError as exc:
            raise SourceError(f"cannot read the corpus {path}: {exc.strerror or exc}") from exc
        decoded = decode_rows(lines, str(path))
        for line, row in zip(lines, decoded, strict=True):
            if name == GROWING_FILE and servers is not None and row.server not in servers:
                continue
            digest.update(line + b"\n")
            rows.append(row)
    return rows, digest.hexdigest()


def load_plan(path: Path) -> Plan:
    try:
        plan = msgspec.json.decode(path.read_bytes(), type=Plan)
    except OSError as exc:
        raise SourceError(f"cannot read the training plan {path}: {exc.strerror or exc}") from exc
    except msgspec.DecodeError as exc:
        raise SourceError(f"{path}: {exc}") from exc
    if plan.format != PLAN_FORMAT:
        raise SourceError(f"{path}: format {plan.format!r}, expected {PLAN_FORMAT!r}")
    return plan


def plan_rows(data: Path, plan: Plan) -> list[CorpusRow]:
    """The plan's training rows, refused when they are not the rows it was selected on."""
    rows, digest = read_rows(data, plan.files, set(plan.realworld_servers))
    missing = set(plan.realworld_servers) - {r.server for r in rows if isinstance(r.server, str)}
    if missing or digest != plan.rows_sha256:
        raise SourceError(
            "the training rows differ from those the plan was selected on"
            + (f" ({len(missing)} planned realworld servers missing)" if missing else "")
            + ": rerun 'mcp-trust train --select'"
        )
    return rows


def encode_plan(plan: Plan) -> bytes:
    return msgspec.json.format(msgspec.json.encode(plan), indent=1) + b"\n"
