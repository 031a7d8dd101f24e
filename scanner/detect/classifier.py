"""The poisoning classifier: word unigrams and bigrams plus marker tokens, logistic
regression, stored as reviewable JSON (never pickle).

It scores each *sentence* of each field an agent reads (after normalisation, so
hidden text is included): a field's score is its highest sentence score, a tool's its
highest field score, and the evidence names that field. Scoring sentences, not whole
fields, keeps one poisoned sentence in a long ordinary description from being diluted
(measured out of fold on the hand-written attacks: 43% caught instead of 18%). The
model file is a plain ``{term: weight}`` table with the intercept and
the decision threshold; scoring is a dictionary lookup per term, which is what
makes it fast enough to run on every field. Training uses the very same analyser
(``analyse_doc``) through scikit-learn, so training and scoring cannot drift. The
bundled file's SHA-256 is pinned in code (``scanner.detect.model_pin``), not in a file
beside the model, and checked on every load: a missing or altered model is an error,
never a silent rules-only scan.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import math
import operator
import re
from collections import Counter
from pathlib import Path
from typing import Any

import msgspec

from scanner.detect.model_pin import MODEL_SHA256
from scanner.errors import ScannerError
from scanner.paths import data_dir

# /3: a field scores as its highest-scoring sentence; /4: plus the evidence threshold
MODEL_FORMAT = "mcp-trust-classifier/4"
MODEL_FILE = "model.json"
PIN_MODULE = Path(__file__).with_name("model_pin.py")
MAX_DOC_CHARS = 4000  # longer fields: the head is scored (the rules see the whole field)
# Memoised scores: documents up to _CACHE_MAX_CHARS, _CACHE_ENTRIES of them, so the
# keys hold at most 8 M characters (32 MB even if every character takes 4 bytes).
_CACHE_ENTRIES = 4096
_CACHE_MAX_CHARS = 2048

# Words, plus the punctuation that pseudo-tags, paths and addresses are made of.
# A plain alternation of single tokens: linear in the stdlib engine.
_TOKEN = re.compile(r"\w+|[<>\[\]{}|`$~/@]")
_URL = re.compile(r"https?://|wss?://")
# Sentences: after . ! ? and whitespace, or at a line break. A poisoned sentence inside a
# long, ordinary description is scored on its own instead of being diluted by the rest.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n+")
MIN_SENTENCE_CHARS = 12
MAX_SENTENCES = 64


def sentences(doc: str) -> list[str]:
    """The units the classifier scores: a field's sentences (short fragments dropped),
    or the whole field when it has none that long."""
    parts = (x.strip() for x in _SENTENCE_BREAK.split(doc[:MAX_DOC_CHARS]))
    return [p for p in parts if len(p) >= MIN_SENTENCE_CHARS][:MAX_SENTENCES] or [doc]


class ModelError(ScannerError):
    """The model file is missing, altered (SHA-256 mismatch) or not in the expected format."""


class ModelFile(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The stored model. ``threshold``: a score at or above it flags an item on its own;
    ``evidence_threshold`` (lower): a score that corroborates a medium rule finding."""

    format: str
    weights: dict[str, float]
    intercept: float
    threshold: float
    evidence_threshold: float
    training: dict[str, Any]


def analyse_doc(doc: str, hinted: bool) -> list[str]:
    """Terms of one field document: tokens, adjacent-token bigrams and marker tokens."""
    text = doc[:MAX_DOC_CHARS].lower()
    tokens = _TOKEN.findall(text)
    terms = tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]
    if hinted:
        terms.append("__hidden_text__")
    if _URL.search(text):
        terms.append("__url__")
    if "@" in text and "." in text.rsplit("@", 1)[-1][:40]:
        terms.append("__address__")
    return terms


class Classifier:
    """Scores field documents with a verified ``ModelFile``."""

    def __init__(self, model: ModelFile, sha256: str) -> None:
        self.model = model
        self.sha256 = sha256
        self.threshold = model.threshold
        self.evidence_threshold = model.evidence_threshold
        self._weights = model.weights
        self._intercept = model.intercept
        # Per instance (the weights are the instance's): a score is a pure function of
        # (doc, hinted), and registries see the same parameter descriptions again and again.
        self._memo = functools.lru_cache(maxsize=_CACHE_ENTRIES)(self._probability)

    def clear_memo(self) -> None:
        self._memo.cache_clear()

    def probability(self, doc: str, hinted: bool) -> float:
        if len(doc) <= _CACHE_MAX_CHARS:
            return self._memo(doc, hinted)
        return self._probability(doc, hinted)

    def _probability(self, doc: str, hinted: bool) -> float:
        """The field's highest sentence score."""
        return _sigmoid(max(self.logit(sentence, hinted) for sentence in sentences(doc)))

    def logit(self, text: str, hinted: bool) -> float:
        """The model's log-odds for one sentence (or any text) as the classifier reads it."""
        terms = analyse_doc(text, hinted)
        if not terms:
            return self._intercept
        counts = Counter(terms).values()
        norm = math.sqrt(sum(map(operator.mul, counts, counts)))
        # sum over occurrences == sum over distinct terms of weight * count
        return sum(map(self._weights.get, terms, itertools.repeat(0.0))) / norm + self._intercept

    def probabilities(self, docs: list[tuple[str, bool]]) -> list[float]:
        return [self.probability(doc, hinted) for doc, hinted in docs]


def _sigmoid(z: float) -> float:
    if z < -60:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z))


def load_model(path: Path, expected_sha256: str | None) -> Classifier:
    """A model file, refused unless its SHA-256 is ``expected_sha256`` (None: any)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ModelError(f"cannot read the model {path}: {exc.strerror or exc}") from exc
    digest = hashlib.sha256(raw).hexdigest()
    if expected_sha256 is not None and digest != expected_sha256:
        raise ModelError(
            f"{path}: SHA-256 {digest} does not match the pinned {expected_sha256}: the model was altered "
            "or replaced; reinstall mcp-trust"
        )
    try:
        model = msgspec.json.decode(raw, type=ModelFile)
    except msgspec.DecodeError as exc:
        raise ModelError(f"{path}: {exc}") from exc
    if model.format != MODEL_FORMAT:
        raise ModelError(f"{path}: format {model.format!r}, expected {MODEL_FORMAT!r}")
    return Classifier(model, digest)


def load_default_model() -> Classifier:
    """The bundled model, verified against the SHA-256 pinned in ``model_pin``; missing or
    altered, it is a ModelError (scans then fail, exit 2), never a rules-only detector."""
    path = data_dir() / MODEL_FILE
    if not path.is_file():
        raise ModelError(f"the bundled classifier {path} is missing: reinstall mcp-trust")
    return load_model(path, MODEL_SHA256)


def render_pin(digest: str) -> str:
    """The source of ``scanner/detect/model_pin.py`` pinning ``digest``."""
    return PIN_TEMPLATE.format(digest=digest)


def write_pin(digest: str) -> Path:
    """Rewrite ``model_pin.py`` (``mcp-trust train`` does, after writing the bundled model)."""
    PIN_MODULE.write_text(render_pin(digest), encoding="utf-8")
    return PIN_MODULE


PIN_TEMPLATE = '''"""The SHA-256 the bundled classifier (``data/model.json``) must have.

Pinned in code, not in a file beside the model: whoever can replace the model cannot
also replace what it is checked against without changing the package itself.
Generated: ``mcp-trust train`` rewrites this file when it writes the bundled model,
so the two change together in one reviewed commit.
"""

MODEL_SHA256 = "{digest}"
'''


def encode_model(model: ModelFile) -> bytes:
    """Deterministic bytes: sorted keys, no whitespace variation, trailing newline."""
    return (json.dumps(msgspec.to_builtins(model), sort_keys=True, indent=0) + "\n").encode()
