"""Train the classifier from the labelled corpus (deterministic: same rows, same bytes).

Each row's fields are extracted and normalised exactly as at scan time. A benign
row's fields are all negatives. A malicious row's poisoned field (its ``path``) is
the positive and its other fields, taken from a real carrier tool, are negatives:
the model learns the payload, not the carrier. Rows without ``path`` label every
field with the row's label.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

from scanner.detect.classifier import MODEL_FORMAT, Classifier, ModelFile, analyse_doc, sentences
from scanner.detect.detector import PoisoningDetector, classified
from scanner.detect.evaluation import CorpusRow
from scanner.detect.fields import Field, FieldKind
from scanner.errors import SourceError

# Tool-level false-positive budget for the threshold, measured out of fold on the real
# benign tools (category "benign") of the training rows: each half of the rows is scored
# by a model trained on the other half, so the threshold is set on tools the model never
# saw, as it will meet them. Hard negatives (hand-written, adversarial) are trained on but
# not budgeted: the target is about real servers.
TARGET_OOF_FPR = 0.005
# Weak regularisation, chosen in a nested out-of-fold check (train on half of the
# corpus and development sets, threshold chosen inside that half, judge the other half's
# 779 hand-written attacks and 1,042 real tools; sentence-level scoring): C=2 caught 205
# attacks with 6 real tools flagged, C=8 233 / 3, C=32 243 / 1, C=128 155 / 2.
C = 32.0


def field_examples(
    detector: PoisoningDetector, rows: list[CorpusRow]
) -> tuple[list[tuple[str, bool]], list[int], list[int]]:
    """(sentence docs, labels, row index of each doc).

    The classifier scores sentences, so it learns from sentences: every sentence of a
    benign field is a negative; a sentence of a poisoned field is a positive unless the
    same sentence also stands in some benign field (the carrier's own text, into which
    the payload was put)."""
    fields: list[tuple[int, str, bool, bool]] = []  # (row, doc, hinted, poisoned field)
    for i, row in enumerate(rows):
        own = frozenset({str(row.tool.get("name", "")).lower()})
        scans = detector.scan_tool(row.tool, own)
        if isinstance(row.server, dict) and isinstance(row.server.get("instructions"), str):
            instr = Field("$.instructions", FieldKind.INSTRUCTIONS, row.server["instructions"])
            scans.append(detector.scan_field(instr, own))
        for scan in scans:
            if classified(scan):
                poisoned = row.label == 1 and (row.path is None or scan.field.path == row.path)
                fields.append((i, scan.doc, scan.hinted, poisoned))
    benign = {text for _, doc, _, poisoned in fields if not poisoned for text in sentences(doc)}
    docs: list[tuple[str, bool]] = []
    labels: list[int] = []
    owner: list[int] = []
    for i, doc, hinted, poisoned in fields:
        for text in sentences(doc):
            docs.append((text, hinted))
            labels.append(int(poisoned and text not in benign))
            owner.append(i)
    return docs, labels, owner


def train(
    detector: PoisoningDetector,
    rows: list[CorpusRow],
    say: Callable[[str], None] = lambda _: None,
) -> ModelFile:
    docs, labels, owner = field_examples(detector, rows)
    say(f"{len(rows)} rows -> {len(docs)} sentence documents ({sum(labels)} poisoned)")
    try:
        coef, intercept_raw, terms = _fit(docs, labels)
    except ValueError as exc:  # scikit-learn's words for "no term is in two documents"
        raise SourceError(
            f"too little to train on: {len(docs)} sentences from {len(rows)} rows, and no term "
            "occurs in two of them"
        ) from exc
    weights = {str(terms[i]): float(f"{coef[i]:.6g}") for i in np.flatnonzero(np.abs(coef) >= 1e-4)}
    intercept = float(f"{intercept_raw:.6g}")
    threshold = _out_of_fold_threshold(docs, labels, owner, rows)
    say(f"{len(weights)} terms; threshold {threshold}")
    return ModelFile(
        format=MODEL_FORMAT,
        weights=weights,
        intercept=intercept,
        threshold=threshold,
        training={
            "rows": len(rows),
            "sentence_documents": len(docs),
            "poisoned_documents": int(sum(labels)),
            "benign_rows": sum(1 for r in rows if r.label == 0),
            "malicious_rows": sum(1 for r in rows if r.label == 1),
            "folds": sorted({r.fold for r in rows if r.fold is not None}),
            "C": C,
            "solver": "liblinear",
            "threshold_rule": f"out-of-fold real-benign tool FPR <= {TARGET_OOF_FPR}",
        },
    )


def _fit(docs: list[tuple[str, bool]], labels: list[int]) -> tuple[np.ndarray, float, np.ndarray]:
    vectoriser = CountVectorizer(analyzer=lambda d: analyse_doc(d[0], d[1]), min_df=2)
    x = normalize(vectoriser.fit_transform(docs).astype(np.float64))
    model = LogisticRegression(C=C, solver="liblinear", class_weight="balanced", max_iter=2000, random_state=0)
    model.fit(x, np.asarray(labels))
    return model.coef_.ravel(), float(model.intercept_[0]), vectoriser.get_feature_names_out()


def threshold_halves(rows: list[CorpusRow]) -> list[int]:
    """Which half each row falls in when the threshold is set.

    A benign server's tools stay together, and so does every malicious row built on one
    of that server's tools: such a row's other fields *are* that server's text, labelled
    benign, and a half that trained on them would score the server's own tools low and
    set the threshold too low (measured: 4% held-out FPR instead of the 0.5% aimed at).
    Other malicious rows go by template family, then by row.
    """
    carrier_server: dict[str, str] = {}
    for row in rows:
        if row.label == 0 and isinstance(row.server, str):
            carrier_server.setdefault(str(row.tool.get("name", "")), row.server)
    out = []
    for index, row in enumerate(rows):
        key = row.server if isinstance(row.server, str) else None
        if row.label == 1:
            key = carrier_server.get(str(row.tool.get("name", ""))) or row.family or key
        # Salted: the corpus's own folds hash the same keys, and a split that agreed with
        # them would leave one half without any benign server when training on one fold.
        digest = hashlib.sha256(b"threshold-half:" + (key or f"row-{index}").encode()).digest()
        out.append(digest[0] % 2)
    return out


def _out_of_fold_threshold(
    docs: list[tuple[str, bool]], labels: list[int], owner: list[int], rows: list[CorpusRow]
) -> float:
    """The lowest probability at which at most TARGET_OOF_FPR of the real benign tools,
    each scored by the model trained on the other half, would be flagged."""
    half = threshold_halves(rows)
    tool_max: dict[int, float] = {}
    for k in (0, 1):
        train_idx = [j for j, o in enumerate(owner) if half[o] != k]
        test_idx = [j for j, o in enumerate(owner) if half[o] == k]
        if not test_idx or len({labels[j] for j in train_idx}) < 2:
            continue
        try:
            coef, intercept, terms = _fit([docs[j] for j in train_idx], [labels[j] for j in train_idx])
        except ValueError:  # a half too small to keep any term (tiny corpora): no estimate
            continue
        weights = dict(zip(terms.tolist(), coef.tolist(), strict=True))
        half_model = Classifier(ModelFile(MODEL_FORMAT, weights, intercept, 0.5, {}), sha256="")
        for j in test_idx:
            z = half_model.logit(*docs[j])
            tool_max[owner[j]] = max(tool_max.get(owner[j], -1e9), z)
    benign = sorted(1.0 / (1.0 + np.exp(-v)) for i, v in tool_max.items() if rows[i].category == "benign")
    if not benign:
        return 0.5
    allowed = int(len(benign) * TARGET_OOF_FPR)  # this many may score at or above the threshold
    cut = benign[len(benign) - 1 - allowed]
    return float(f"{max(0.5, float(cut) + 1e-6):.6g}")
