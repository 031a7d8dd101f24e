"""Train the classifier from the labelled corpus (deterministic: same rows, same bytes).

Each row's fields are extracted and normalised exactly as at scan time. A benign
row's fields are all negatives. A malicious row's poisoned field (its ``path``) is
the positive and its other fields, taken from a real carrier tool, are negatives:
the model learns the payload, not the carrier. Rows without ``path`` label every
field with the row's label.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

from scanner.detect.classifier import MODEL_FORMAT, ModelFile, analyse_doc
from scanner.detect.detector import PoisoningDetector, classified
from scanner.detect.evaluation import CorpusRow
from scanner.detect.fields import Field, FieldKind

# Tool-level false-positive budget on the training benign tools used to set the threshold.
TARGET_TRAIN_FPR = 0.0  # no training benign tool may score above the threshold
C = 0.5  # stronger regularisation: no single template phrase can dominate (held-out FPR)


def field_examples(
    detector: PoisoningDetector, rows: list[CorpusRow]
) -> tuple[list[tuple[str, bool]], list[int], list[int]]:
    """(docs, labels, row index of each doc)."""
    docs: list[tuple[str, bool]] = []
    labels: list[int] = []
    owner: list[int] = []
    for i, row in enumerate(rows):
        own = frozenset({str(row.tool.get("name", "")).lower()})
        scans = detector.scan_tool(row.tool, own)
        if isinstance(row.server, dict) and isinstance(row.server.get("instructions"), str):
            instr = Field("$.instructions", FieldKind.INSTRUCTIONS, row.server["instructions"])
            scans.append(detector.scan_field(instr, own))
        for scan in scans:
            if not classified(scan):
                continue
            label = row.label if row.path is None else int(row.label == 1 and scan.field.path == row.path)
            docs.append((scan.doc, scan.hinted))
            labels.append(label)
            owner.append(i)
    return docs, labels, owner


def train(
    detector: PoisoningDetector,
    rows: list[CorpusRow],
    say: Callable[[str], None] = lambda _: None,
) -> ModelFile:
    docs, labels, owner = field_examples(detector, rows)
    say(f"{len(rows)} rows -> {len(docs)} field documents ({sum(labels)} poisoned)")
    vectoriser = CountVectorizer(analyzer=lambda d: analyse_doc(d[0], d[1]), min_df=2)
    x = normalize(vectoriser.fit_transform(docs).astype(np.float64))
    y = np.asarray(labels)
    model = LogisticRegression(C=C, solver="liblinear", class_weight="balanced", max_iter=2000, random_state=0)
    model.fit(x, y)
    coef = model.coef_.ravel()
    terms = vectoriser.get_feature_names_out()
    weights = {str(terms[i]): float(f"{coef[i]:.6g}") for i in np.flatnonzero(np.abs(coef) >= 1e-4)}
    intercept = float(f"{float(model.intercept_[0]):.6g}")
    threshold = _threshold(model.decision_function(x), owner, rows)
    say(f"{len(weights)} terms; threshold {threshold}")
    return ModelFile(
        format=MODEL_FORMAT,
        weights=weights,
        intercept=intercept,
        threshold=threshold,
        training={
            "rows": len(rows),
            "field_documents": len(docs),
            "poisoned_documents": int(sum(labels)),
            "benign_rows": sum(1 for r in rows if r.label == 0),
            "malicious_rows": sum(1 for r in rows if r.label == 1),
            "folds": sorted({r.fold for r in rows if r.fold is not None}),
            "C": C,
            "solver": "liblinear",
        },
    )


def _threshold(z: np.ndarray, owner: list[int], rows: list[CorpusRow]) -> float:
    """The lowest probability that keeps training benign tools under TARGET_TRAIN_FPR."""
    tool_max: dict[int, float] = {}
    for value, i in zip(z.tolist(), owner, strict=True):
        tool_max[i] = max(tool_max.get(i, -1e9), value)
    benign = sorted(1.0 / (1.0 + np.exp(-v)) for i, v in tool_max.items() if rows[i].label == 0)
    if not benign:
        return 0.5
    cut = benign[min(len(benign) - 1, int(len(benign) * (1 - TARGET_TRAIN_FPR)))]
    return float(f"{max(0.5, float(cut) + 1e-6):.6g}")
