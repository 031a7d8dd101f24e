"""Train the classifier from labelled rows (deterministic: same rows, same bytes).

Each row's fields are extracted and normalised exactly as at scan time: a tool's fields, a
prompt's, resource's or resource template's, or the server's instructions. A benign row's
fields are all negatives. A malicious row's poisoned field (its ``path``) is the positive
and its other fields, taken from a real carrier tool, are negatives: the model learns the
payload, not the carrier. Rows without ``path`` label every field with the row's label.

The classifier scores sentences, so it learns from sentences: every sentence of a benign
field is a negative; a sentence of a poisoned field is a positive unless the same sentence
also stands in some benign field (the carrier's own text, into which the payload was put).
Regularisation ``C`` and the two thresholds come from ``scanner.detect.selection``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec
import numpy as np
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

from scanner.contract.surface import ItemKind
from scanner.detect.classifier import MODEL_FORMAT, ModelFile, analyse_doc, sentences
from scanner.detect.detector import field_document, is_classified
from scanner.detect.evaluation import CorpusRow
from scanner.detect.fields import Field, FieldKind, instruction_fields, item_fields, tool_fields
from scanner.errors import SourceError

SOLVER = "liblinear"
_ITEM_KINDS = {
    "prompt": ItemKind.PROMPT,
    "resource": ItemKind.RESOURCE,
    "resource_template": ItemKind.RESOURCE_TEMPLATE,
}


class Examples(msgspec.Struct, frozen=True):
    """Sentence documents (text, hidden-text flag), their labels and the row each came from."""

    docs: list[tuple[str, bool]]
    labels: list[int]
    owner: list[int]


def row_fields(row: CorpusRow) -> list[Field]:
    """Every field an agent reads in one row, as the detector extracts it at scan time."""
    if row.kind == "tool" and row.tool is not None:
        fields = tool_fields(row.tool)
        if isinstance(row.server, dict) and isinstance(row.server.get("instructions"), str):
            fields += instruction_fields(row.server["instructions"])
        return fields
    if row.kind == "instructions":
        return instruction_fields(row.text)
    if row.item is not None:
        return item_fields(_ITEM_KINDS[row.kind], row.item)
    return []


def sentence_examples(rows: list[CorpusRow]) -> Examples:
    """The training units of ``rows`` (see the module docstring for the labelling)."""
    fields: list[tuple[int, str, bool, bool]] = []  # (row, doc, hinted, poisoned field)
    for i, row in enumerate(rows):
        for field in row_fields(row):
            if field.kind is FieldKind.NAME:
                continue  # never scored (typosquatting looks at names)
            doc, hinted = field_document(field)
            if is_classified(field.kind, doc):
                poisoned = row.label == 1 and (row.path is None or field.path == row.path)
                fields.append((i, doc, hinted, poisoned))
    benign = {text for _, doc, _, poisoned in fields if not poisoned for text in sentences(doc)}
    benign |= _repeated_carrier_text(rows, fields)
    docs: list[tuple[str, bool]] = []
    labels: list[int] = []
    owner: list[int] = []
    for i, doc, hinted, poisoned in fields:
        for text in sentences(doc):
            docs.append((text, hinted))
            labels.append(int(poisoned and text not in benign))
            owner.append(i)
    return Examples(docs, labels, owner)


def _repeated_carrier_text(rows: list[CorpusRow], fields: list[tuple[int, str, bool, bool]]) -> set[str]:
    """Sentences of attack rows without ``path`` that stand in two or more of those rows. Such
    a row marks every field poisoned, but its payload is written once, while the carrier
    tool it was put into ("Search query", "Convert a time between IANA time zones.") recurs
    under many payloads: that repeated text is the carrier's, not the attack's."""
    seen: dict[str, set[int]] = {}
    for i, doc, _, poisoned in fields:
        if poisoned and rows[i].path is None:
            for text in sentences(doc):
                seen.setdefault(text, set()).add(i)
    return {text for text, owners in seen.items() if len(owners) > 1}


class Matrix(msgspec.Struct, frozen=True):
    """The documents as L2-normalised term counts (one vocabulary for every fit over them)."""

    x: Any  # scipy.sparse.csr_matrix (no stubs)
    terms: list[str]


def vectorise(docs: list[tuple[str, bool]]) -> Matrix:
    """Term counts with the scan-time analyser; terms in fewer than 2 documents dropped."""
    vectoriser = CountVectorizer(analyzer=lambda d: analyse_doc(d[0], d[1]), min_df=2)
    try:
        counts = vectoriser.fit_transform(docs)
    except ValueError as exc:  # scikit-learn's words for "no term is in two documents"
        raise SourceError(f"too little to train on: {len(docs)} sentences, and no term occurs in two of them") from exc
    x = normalize(counts.astype(np.float64))
    return Matrix(x, [str(t) for t in vectoriser.get_feature_names_out()])


def fit(x: Any, labels: list[int] | np.ndarray, c: float) -> tuple[np.ndarray, float]:
    """Class-balanced L2 logistic regression: (coefficients, intercept)."""
    model = LogisticRegression(C=c, solver=SOLVER, class_weight="balanced", max_iter=2000, random_state=0)
    model.fit(x, np.asarray(labels))
    return model.coef_.ravel(), float(model.intercept_[0])


def weights_table(coef: np.ndarray, terms: list[str]) -> dict[str, float]:
    """The stored ``{term: weight}`` table: 6 significant digits, near-zero weights dropped."""
    return {terms[i]: float(f"{coef[i]:.6g}") for i in np.flatnonzero(np.abs(coef) >= 1e-4)}


def train(
    rows: list[CorpusRow],
    c: float,
    thresholds: tuple[float, float],
    training: dict[str, Any],
    say: Callable[[str], None] = lambda _: None,
) -> ModelFile:
    """Fit the model on every row with regularisation ``c``; ``thresholds`` are the decision
    threshold and the lower evidence threshold chosen by ``scanner.detect.selection``."""
    examples = sentence_examples(rows)
    say(f"{len(rows)} rows -> {len(examples.docs)} sentence documents ({sum(examples.labels)} poisoned)")
    if len(set(examples.labels)) < 2:
        raise SourceError(f"too little to train on: {len(rows)} rows give sentences of one class only")
    matrix = vectorise(examples.docs)
    coef, intercept = fit(matrix.x, examples.labels, c)
    weights = weights_table(coef, matrix.terms)
    threshold, evidence = thresholds
    say(f"{len(weights)} terms; threshold {threshold}, evidence threshold {evidence}")
    return ModelFile(
        format=MODEL_FORMAT,
        weights=weights,
        intercept=float(f"{intercept:.6g}"),
        threshold=threshold,
        evidence_threshold=evidence,
        training={
            "rows": len(rows),
            "sentence_documents": len(examples.docs),
            "poisoned_documents": int(sum(examples.labels)),
            "benign_rows": sum(1 for r in rows if r.label == 0),
            "malicious_rows": sum(1 for r in rows if r.label == 1),
            "C": c,
            "solver": SOLVER,
            **training,
        },
    )
