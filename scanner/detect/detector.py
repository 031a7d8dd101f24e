"""The poisoning detector: fields -> normalised views -> rules + classifier -> verdicts."""

from __future__ import annotations

import functools
import re
from typing import Any

import msgspec

import scanner.detect.normalise as normalise_module
from scanner.contract.surface import ItemKind
from scanner.detect import typosquat
from scanner.detect.classifier import Classifier, load_default_model
from scanner.detect.engine import CompiledRules, RuleHit
from scanner.detect.fields import Field, FieldKind, instruction_fields, item_fields, tool_fields
from scanner.detect.normalise import Hint, normalise
from scanner.detect.rules import load_rules, load_taxonomy
from scanner.detect.verdict import combine, severity_verdict
from scanner.models import Confidence, Finding, Severity, ToolSurface, Verdict
from scanner.paths import data_dir, rules_dir
from scanner.report import Analysis, ItemAnalysis

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
_DIRECTIVE_WORDS = re.compile(
    r"(?i)\b(?:always|never|must|should|ignore|before|first|please|secretly|silently|quietly|you|your|"
    r"assistant|agent|model|llm|instructions?|important|critical|required|mandatory|do\s+not|don't|"
    r"tell|send|forward|upload|password|token|secret)\b"
)
_HINT_SEVERITY = {
    "tag_chars": (Severity.CRITICAL, Confidence.HIGH),
    "bidi": (Severity.HIGH, Confidence.MEDIUM),
    # Measured: none of ~5,000 real tools, prompts and resources hides text in zero-width
    # characters, an HTML comment of words, or base64/hex prose; the attack sets do hundreds
    # of times. So these decide on their own; padding and homoglyphs, seen in real text, do not.
    "zero_width": (Severity.HIGH, Confidence.MEDIUM),
    "homoglyph": (Severity.MEDIUM, Confidence.MEDIUM),
    "fullwidth": (Severity.MEDIUM, Confidence.MEDIUM),
    "html_comment": (Severity.HIGH, Confidence.MEDIUM),
    "padding": (Severity.MEDIUM, Confidence.MEDIUM),
    "oversized": (Severity.MEDIUM, Confidence.LOW),
    "encoded_text": (Severity.HIGH, Confidence.MEDIUM),
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
        """Judge everything an agent reads: each tool, prompt, resource and resource
        template on its own, and the server's instructions and name. One classifier batch
        scores the fields of all of them, with the same threshold and the same verdict rule."""
        extracted = [tool_fields(tool) if isinstance(tool, dict) else [] for tool in surface.tools]
        own = own_identifiers(surface.tools, extracted)
        scans = [
            self.scan_fields(f, own | {str(tool.get("name", "")).lower()}) if isinstance(tool, dict) else []
            for tool, f in zip(surface.tools, extracted, strict=True)
        ]
        listed = _listed(surface)
        item_scans = [self.scan_fields(item_fields(kind, item), own) for kind, _, item in listed]
        told = instruction_fields(surface.server.instructions)
        instructions = self.scan_fields(told, own) if told else []  # most surfaces: no instructions
        scores = self._scores([*scans, *item_scans, instructions])
        per_tool, verdicts = self._judge_tools(scans, scores[: len(scans)])
        items = [
            ItemAnalysis(kind=kind, index=index, findings=findings, verdict=verdict)
            for (kind, index, _), fields, score in zip(listed, item_scans, scores[len(scans) : -1], strict=True)
            for findings, verdict in [self._judge(fields, score)]
        ]
        server, server_verdict = self._judge(instructions, scores[-1]) if instructions else ([], Verdict.CLEAN)
        if surface.server.name:
            named = _name_findings(surface.server.name, "servers", "$.server.name")
            server.extend(named)
            server_verdict = max(server_verdict, severity_verdict(named), key=lambda v: v.rank)
        return Analysis(
            tool_findings=per_tool,
            tool_verdicts=verdicts,
            server_findings=server,
            detection=self.detection,
            items=items,
            server_verdict=server_verdict,
        )

    def _judge_tools(
        self, scans: list[list[FieldScan]], scores: list[tuple[float, FieldScan] | None]
    ) -> tuple[list[list[Finding]], list[Verdict]]:
        per_tool: list[list[Finding]] = []
        verdicts: list[Verdict] = []
        for fields, score in zip(scans, scores, strict=True):
            findings, prob = self._evidence(fields, score)
            for scan in fields:
                if scan.field.path == "$.name":  # wherever "name" sits among the keys
                    findings.extend(_name_findings(scan.field.text, "tools", "$.name"))
            per_tool.append(findings)
            verdicts.append(combine(findings, prob, self._threshold, self._evidence_threshold))
        return per_tool, verdicts

    def _judge(self, fields: list[FieldScan], score: tuple[float, FieldScan] | None) -> tuple[list[Finding], Verdict]:
        findings, prob = self._evidence(fields, score)
        return findings, combine(findings, prob, self._threshold, self._evidence_threshold)

    def _evidence(
        self, fields: list[FieldScan], score: tuple[float, FieldScan] | None
    ) -> tuple[list[Finding], float | None]:
        """One unit's findings (its fields', plus the classifier's when its best field
        scores at or above the threshold, or at the evidence threshold beside a medium rule
        finding it then corroborates) and that best score."""
        findings = [f for scan in fields for f in scan.findings]
        if score is None:
            return findings, None
        prob, best = score
        if prob >= self._threshold:
            findings.append(_classifier_finding(prob, best.field))
        elif prob >= self._evidence_threshold and any(f.severity.rank >= Severity.MEDIUM.rank for f in findings):
            findings.append(_classifier_finding(prob, best.field, corroborating=True))
        return findings, prob

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

    @property
    def _evidence_threshold(self) -> float:
        return self.classifier.evidence_threshold if self.classifier is not None else 1.0

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


def _listed(surface: ToolSurface) -> list[tuple[ItemKind, int, dict[str, Any]]]:
    """Every prompt, resource and resource template, with its kind and list position."""
    if not (surface.prompts or surface.resources or surface.resource_templates):
        return []  # a tools-only surface, the common case, pays nothing for the other lists
    lists = (
        (ItemKind.PROMPT, surface.prompts),
        (ItemKind.RESOURCE, surface.resources),
        (ItemKind.RESOURCE_TEMPLATE, surface.resource_templates),
    )
    return [(kind, i, item) for kind, items in lists for i, item in enumerate(items) if isinstance(item, dict)]


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
    edit from each other by a real word (search_notes/search_nodes), so on a tool only
    homoglyphs and the slips squatters make (send_emial, write_flle) weigh."""
    out = []
    for hit in typosquat.squats(name, kind)[:3]:
        if hit.reason == "homoglyph":
            severity, confidence = Severity.HIGH, Confidence.HIGH
        elif kind == "tools" and hit.typo:
            severity, confidence = Severity.HIGH, Confidence.MEDIUM
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
    # A sentence-name that gives orders ("Always_run_this_tool_first") is an instruction; one
    # that describes (a Kafka server names its tools "List all topics with their partitions")
    # is only unusual: 0 of 18 real sentence-names give orders, 124 of 167 attack ones do.
    directive = _DIRECTIVE_WORDS.search(_SEPARATORS.sub(" ", field.text)) is not None
    return [
        Finding(
            rule_id="MCPT-OBF-NAME",
            category="obfuscation",
            severity=Severity.HIGH if directive else Severity.MEDIUM,
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
    return is_classified(scan.field.kind, scan.doc)


def is_classified(kind: FieldKind, doc: str) -> bool:
    """``classified`` for a field's kind and document (training reads fields without rules)."""
    if kind is FieldKind.NAME:
        return False
    return len(doc) >= 24 or " " in doc.strip()


def field_document(field: Field) -> tuple[str, bool]:
    """What the classifier reads of one field, exactly as ``scan_fields`` builds it: the
    normalised views joined, and whether hidden text was found. Training calls this instead of
    ``scan_fields``, so it does not run every rule on every training field."""
    norm = normalise(_readable(field))
    return " \n ".join(v.text for v in norm.views), bool(norm.hints)


def _rule_finding(hit: RuleHit, field: Field, note: str) -> Finding:
    rule = hit.rule
    if hit.negated:  # "never asks for your password": a safeguard, kept as evidence only
        note += " (in a negated clause: read as a safeguard)"
    elif hit.mention:  # "injection attempts such as 'ignore previous instructions'": an example
        note += " (quoted as an example: read as a mention)"
    weak = hit.negated or hit.mention
    return Finding(
        rule_id=rule.id,
        category=rule.category,
        severity=Severity.LOW if weak else rule.severity,
        confidence=Confidence.LOW if weak else rule.confidence,
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


def _classifier_finding(prob: float, field: Field, corroborating: bool = False) -> Finding:
    """The classifier's evidence: a score at its threshold (high), or at its evidence
    threshold (low: it only corroborates the medium rule finding beside it)."""
    return Finding(
        rule_id="MCPT-CLF-001",
        category="classifier",
        severity=Severity.LOW if corroborating else Severity.MEDIUM if prob < 0.9 else Severity.HIGH,
        confidence=Confidence.MEDIUM,
        message=f"the poisoning classifier scores this field {prob:.2f}"
        + (" (at its evidence threshold: corroborates the rule finding)" if corroborating else ""),
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
