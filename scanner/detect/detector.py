"""The poisoning detector: fields -> normalised views -> rules + classifier -> verdicts."""

from __future__ import annotations

import functools
import re
from typing import Any

import msgspec

import scanner.detect.normalise as normalise_module
from scanner.detect import typosquat
from scanner.detect.classifier import Classifier, load_default_model
from scanner.detect.engine import CompiledRules, RuleHit
from scanner.detect.fields import Field, FieldKind, server_fields, tool_fields
from scanner.detect.normalise import Hint, normalise
from scanner.detect.rules import load_rules, load_taxonomy
from scanner.detect.verdict import combine
from scanner.models import Confidence, Finding, Severity, ToolSurface, Verdict
from scanner.paths import data_dir, rules_dir
from scanner.report import Analysis

_IDENTIFIER_KINDS = frozenset({FieldKind.NAME, FieldKind.PARAM_NAME})
_SEPARATORS = re.compile(r"[_\-]+")
_NAME_WORDS = re.compile(r"[_\-\s.]+|(?<=[a-z])(?=[A-Z])")
_NAME_PARTS = re.compile(r"[_\-\s.]+")
SENTENCE_NAME_WORDS = 7
# Words that make a run of words a sentence. Names generated from API specs run to many
# words too (StatusCallbackEventTypesFilterValue), but they name things: no articles,
# conjunctions, pronouns or modal verbs.
_FUNCTION_WORDS = frozenset(
    {
        "the", "a", "an", "and", "or", "to", "of", "for", "your", "you", "all", "before", "after",
        "then", "this", "that", "with", "from", "into", "any", "every", "must", "should", "always",
        "never", "do", "not", "ignore", "it", "them", "me", "we", "our", "my", "their", "its", "also",
        "first", "please", "user", "assistant", "model", "agent", "instructions", "previous",
        "secretly", "silently",
    }
)
_MIN_FUNCTION_WORDS = 2
_HINT_SEVERITY = {
    "tag_chars": (Severity.CRITICAL, Confidence.HIGH),
    "bidi": (Severity.HIGH, Confidence.MEDIUM),
    "zero_width": (Severity.MEDIUM, Confidence.MEDIUM),
    "homoglyph": (Severity.MEDIUM, Confidence.MEDIUM),
    "html_comment": (Severity.MEDIUM, Confidence.MEDIUM),
    "padding": (Severity.MEDIUM, Confidence.MEDIUM),
    "oversized": (Severity.MEDIUM, Confidence.LOW),
    "encoded_text": (Severity.MEDIUM, Confidence.MEDIUM),
}
_HINT_REMEDIATION = (
    "Text a human reviewer cannot see but a model reads has no legitimate place in a "
    "tool definition: remove the hidden content or reject the server."
)
_ORIGIN_NOTE = {
    "tag_chars": " (hidden in Unicode tag characters)",
    "base64": " (hidden in a base64 blob)",
    "hex": " (hidden in a hex blob)",
    "percent": " (hidden in percent-encoding)",
    "html_comment": " (hidden in a comment)",
}


class FieldScan(msgspec.Struct, frozen=True):
    """One field after normalisation: its findings and the text the classifier reads."""

    field: Field
    findings: list[Finding]
    doc: str
    hinted: bool


class PoisoningDetector:
    """Implements ``scanner.report.Detector``. Build once; ``analyse`` is cheap."""

    def __init__(self, rules: CompiledRules, classifier: Classifier | None = None) -> None:
        self.rules = rules
        self.classifier = classifier

    @property
    def detection(self) -> str:
        return "rules+classifier" if self.classifier is not None else "rules"

    def analyse(self, surface: ToolSurface) -> Analysis:
        extracted = [tool_fields(tool) if isinstance(tool, dict) else [] for tool in surface.tools]
        own = own_identifiers(surface.tools, extracted)
        scans = [
            self.scan_fields(f, own | {str(tool.get("name", "")).lower()}) if isinstance(tool, dict) else []
            for tool, f in zip(surface.tools, extracted, strict=True)
        ]
        scores = self._scores(scans)
        per_tool: list[list[Finding]] = []
        verdicts: list[Verdict] = []
        for fields, score in zip(scans, scores, strict=True):
            findings = [f for scan in fields for f in scan.findings]
            prob = None
            if score is not None:
                prob, best = score
                if prob >= self._threshold:
                    findings.append(_classifier_finding(prob, best.field))
            for scan in fields:
                if scan.field.path == "$.name":  # wherever "name" sits among the keys
                    findings.extend(_name_findings(scan.field.text, "tools", "$.name"))
            per_tool.append(findings)
            verdicts.append(combine(findings, prob, self._threshold))
        server = [f for scan in self.scan_fields(server_fields(surface), own) for f in scan.findings]
        if surface.server.name:
            server.extend(_name_findings(surface.server.name, "servers", "$.server.name"))
        return Analysis(
            tool_findings=per_tool,
            tool_verdicts=verdicts,
            server_findings=server,
            detection=self.detection,
        )

    def clear_memos(self) -> None:
        """Forget every memoised answer (normalised strings, fuzzy hits, scores, name
        look-ups): for benchmarks that must measure work on strings never seen before."""
        self.rules.clear_memo()
        if self.classifier is not None:
            self.classifier.clear_memo()
        normalise_module.clear_memo()
        typosquat.clear_memo()

    @property
    def _threshold(self) -> float:
        return self.classifier.threshold if self.classifier is not None else 1.0

    def scan_tool(self, tool: dict[str, Any], own: frozenset[str]) -> list[FieldScan]:
        if not isinstance(tool, dict):
            return []
        own_plus = own | {str(tool.get("name", "")).lower()}
        return self.scan_fields(tool_fields(tool), own_plus)

    def scan_field(self, field: Field, own: frozenset[str]) -> FieldScan:
        return self.scan_fields([field], own)[0]

    def scan_fields(self, fields: list[Field], own: frozenset[str]) -> list[FieldScan]:
        norms = [normalise(_readable(f)) for f in fields]
        items: list[tuple[FieldKind, str]] = []
        owners: list[tuple[int, str]] = []
        for i, (field, norm) in enumerate(zip(fields, norms, strict=True)):
            for view in norm.views:
                kind = field.kind
                if view.origin != "text" and kind is FieldKind.NAME:
                    kind = FieldKind.DESCRIPTION  # hidden prose inside a name is still prose
                items.append((kind, view.text))
                owners.append((i, view.origin))
        findings: list[list[Finding]] = [
            [_hint_finding(h, f) for h in n.hints] + _sentence_name(f) for f, n in zip(fields, norms, strict=True)
        ]
        seen: list[set[str]] = [set() for _ in fields]
        for (i, origin), hits in zip(owners, self.rules.match_many(items, own), strict=True):
            for hit in hits:
                if hit.rule.id not in seen[i]:
                    seen[i].add(hit.rule.id)
                    findings[i].append(_rule_finding(hit, fields[i], _ORIGIN_NOTE.get(origin, "")))
        return [
            FieldScan(f, fs, " \n ".join(v.text for v in n.views), bool(n.hints))
            for f, n, fs in zip(fields, norms, findings, strict=True)
        ]

    def _scores(self, scans: list[list[FieldScan]]) -> list[tuple[float, FieldScan] | None]:
        if self.classifier is None:
            return [None] * len(scans)
        flat = [(i, s) for i, fields in enumerate(scans) for s in fields if classified(s)]
        probs = self.classifier.probabilities([(s.doc, s.hinted) for _, s in flat])
        best: list[tuple[float, FieldScan] | None] = [None] * len(scans)
        for (i, scan), prob in zip(flat, probs, strict=True):
            current = best[i]
            if current is None or prob > current[0]:
                best[i] = (float(prob), scan)
        return best


def own_identifiers(tools: list[Any], fields: list[list[Field]]) -> frozenset[str]:
    """Names the server itself defines: its tools and every property name of their
    schemas (the ``param_name`` fields already extracted). "When using `group_by`" or
    "when 'file_path' is used" names the server's own parameter; only a name outside
    this set can be another server's tool."""
    names = {str(t.get("name", "")).lower() for t in tools if isinstance(t, dict)}
    names.update(f.text.lower() for tool_fields in fields for f in tool_fields if f.kind is FieldKind.PARAM_NAME)
    return frozenset(names)


def _name_findings(name: str, kind: str, path: str) -> list[Finding]:
    """Typosquatting: a look-alike of a well-known name. Tool names legitimately sit one
    edit from each other (search_notes/search_nodes), so only homoglyphs weigh on a tool."""
    out = []
    for hit in typosquat.squats(name, kind)[:3]:
        if hit.reason == "homoglyph":
            severity, confidence = Severity.HIGH, Confidence.HIGH
        elif kind == "servers":
            severity, confidence = Severity.MEDIUM, Confidence.MEDIUM
        else:
            severity, confidence = Severity.LOW, Confidence.LOW
        out.append(
            Finding(
                rule_id="MCPT-TYPO-001" if kind == "servers" else "MCPT-TYPO-002",
                category="typosquatting",
                severity=severity,
                confidence=confidence,
                message=f"name {name!r} imitates the well-known {kind[:-1]} {hit.existing!r}"
                f" ({hit.reason.replace('_', ' ')}" + (f", {hit.distance} edit(s))" if hit.distance else ")"),
                path=path,
                matched_text=name,
                source="typosquat",
                remediation="Check the publisher; impersonating a known name is a supply-chain attack.",
            )
        )
    return out


def _sentence_name(field: Field) -> list[Finding]:
    """A property or tool name that is really a sentence. Real names have one to five
    words (1,716 property names of 74 real servers: at most 5), so seven or more is prose
    smuggled where reviewers do not read prose. A single camelCase identifier of seven
    humps counts only with two function words ("the", "and", "to", ...): API-generated
    names run that long but are made of nouns."""
    if field.kind not in _IDENTIFIER_KINDS:
        return []
    words = [w for w in _NAME_WORDS.split(field.text) if w]
    if len(words) < SENTENCE_NAME_WORDS:
        return []
    separated = sum(1 for w in _NAME_PARTS.split(field.text) if w) >= SENTENCE_NAME_WORDS
    if not separated and sum(w.lower() in _FUNCTION_WORDS for w in words) < _MIN_FUNCTION_WORDS:
        return []  # one long camelCase identifier made of nouns, as API generators write them
    return [
        Finding(
            rule_id="MCPT-OBF-NAME",
            category="obfuscation",
            severity=Severity.MEDIUM,
            confidence=Confidence.MEDIUM,
            message=f"a {len(words)}-word sentence used as a {field.kind.value.replace('_', ' ')}",
            path=field.path,
            matched_text=field.text[:200],
            source="normaliser",
            remediation="Names are identifiers; instructions hidden in a name are poisoning.",
        )
    ]


def _readable(field: Field) -> str:
    if field.kind in _IDENTIFIER_KINDS:
        # snake_case/kebab-case identifiers hide sentences from word-boundary rules
        return _SEPARATORS.sub(" ", field.text)
    return field.text


def classified(scan: FieldScan) -> bool:
    """Tool names are left to the typosquatting check; a single short token (most
    property names, enum values and defaults) carries no instruction to score."""
    if scan.field.kind is FieldKind.NAME:
        return False
    return len(scan.doc) >= 24 or " " in scan.doc.strip()


def _rule_finding(hit: RuleHit, field: Field, note: str) -> Finding:
    rule = hit.rule
    if hit.negated:  # "never asks for your password": a safeguard, kept as evidence only
        note += " (in a negated clause: read as a safeguard)"
    return Finding(
        rule_id=rule.id,
        category=rule.category,
        severity=Severity.LOW if hit.negated else rule.severity,
        confidence=Confidence.LOW if hit.negated else rule.confidence,
        message=rule.summary + note,
        path=field.path,
        matched_text=hit.matched_text,
        source="rule",
        remediation=rule.remediation,
        references=tuple(rule.references),
    )


def _hint_finding(hint: Hint, field: Field) -> Finding:
    severity, confidence = _HINT_SEVERITY[hint.kind]
    return Finding(
        rule_id=f"MCPT-OBF-{hint.kind.upper().replace('_', '-')}",
        category="obfuscation",
        severity=severity,
        confidence=confidence,
        message=hint.detail,
        path=field.path,
        matched_text=field.text[:200],
        source="normaliser",
        remediation=_HINT_REMEDIATION,
    )


def _classifier_finding(prob: float, field: Field) -> Finding:
    return Finding(
        rule_id="MCPT-CLF-001",
        category="classifier",
        severity=Severity.MEDIUM if prob < 0.9 else Severity.HIGH,
        confidence=Confidence.MEDIUM,
        message=f"the poisoning classifier scores this field {prob:.2f}",
        path=field.path,
        matched_text=field.text[:200],
        source="classifier",
        remediation="Read the field as the model would; remove instructions aimed at the agent.",
    )


@functools.cache
def bundled_rules() -> CompiledRules:
    taxonomy = load_taxonomy(data_dir() / "taxonomy.toml")
    return CompiledRules(load_rules(rules_dir(), taxonomy))


@functools.cache
def default_detector() -> PoisoningDetector:
    """The bundled rule pack and model, loaded (and the model's SHA-256 checked) once."""
    return PoisoningDetector(bundled_rules(), load_default_model())


def rules_only_detector() -> PoisoningDetector:
    return PoisoningDetector(bundled_rules(), None)
