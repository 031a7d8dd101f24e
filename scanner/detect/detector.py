"""The poisoning detector: fields -> normalised views -> rules + classifier -> verdicts."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from scanner.detect.engine import CompiledRules, RuleHit
from scanner.detect.fields import Field, FieldKind, server_fields, tool_fields
from scanner.detect.normalise import Hint, normalise
from scanner.detect.rules import load_rules, load_taxonomy
from scanner.detect.verdict import combine
from scanner.models import Confidence, Finding, Severity, ToolSurface, Verdict
from scanner.paths import data_dir, rules_dir
from scanner.report import Analysis

_HINT_SEVERITY = {
    "tag_chars": (Severity.CRITICAL, Confidence.HIGH),
    "bidi": (Severity.HIGH, Confidence.MEDIUM),
    "zero_width": (Severity.MEDIUM, Confidence.MEDIUM),
    "homoglyph": (Severity.MEDIUM, Confidence.MEDIUM),
    "html_comment": (Severity.MEDIUM, Confidence.MEDIUM),
    "padding": (Severity.MEDIUM, Confidence.MEDIUM),
    "oversized": (Severity.MEDIUM, Confidence.LOW),
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


class PoisoningDetector:
    """Implements ``scanner.report.Detector``. Build once; ``analyse`` is cheap."""

    def __init__(self, rules: CompiledRules, classifier: Any | None = None) -> None:
        self.rules = rules
        self.classifier = classifier

    @property
    def detection(self) -> str:
        return "rules+classifier" if self.classifier is not None else "rules"

    def analyse(self, surface: ToolSurface) -> Analysis:
        own = frozenset(
            str(t.get("name", "")).lower() for t in surface.tools if isinstance(t, dict)
        )
        per_tool = [self.tool_findings(tool, own) for tool in surface.tools]
        probabilities = self._probabilities(surface.tools)
        verdicts: list[Verdict] = []
        for findings, (prob, field_path, field_text) in zip(per_tool, probabilities, strict=True):
            if prob is not None and prob >= 0.5:
                findings.append(_classifier_finding(prob, field_path, field_text))
            verdicts.append(combine(findings, prob))
        server = [f for fld in server_fields(surface) for f in self.field_findings(fld, own)]
        return Analysis(
            tool_findings=per_tool,
            tool_verdicts=verdicts,
            server_findings=server,
            detection=self.detection,
        )

    def tool_findings(self, tool: dict[str, Any], own: frozenset[str]) -> list[Finding]:
        if not isinstance(tool, dict):
            return []
        own_plus = own | {str(tool.get("name", "")).lower()}
        return [f for fld in tool_fields(tool) for f in self.field_findings(fld, own_plus)]

    def field_findings(self, field: Field, own: frozenset[str]) -> list[Finding]:
        norm = normalise(field.text)
        out = [_hint_finding(h, field) for h in norm.hints]
        seen: set[str] = set()
        for view in norm.views:
            kind = field.kind
            if view.origin != "text" and kind is FieldKind.NAME:
                kind = FieldKind.DESCRIPTION  # hidden prose inside a name is still prose
            for hit in self.rules.match(kind, view.text, own):
                if hit.rule.id in seen:
                    continue
                seen.add(hit.rule.id)
                out.append(_rule_finding(hit, field, _ORIGIN_NOTE.get(view.origin, "")))
        return out

    def _probabilities(
        self, tools: Sequence[dict[str, Any]]
    ) -> list[tuple[float | None, str, str]]:
        if self.classifier is None:
            return [(None, "", "")] * len(tools)
        result: list[tuple[float | None, str, str]] = self.classifier.score_tools(tools)
        return result


def _rule_finding(hit: RuleHit, field: Field, note: str) -> Finding:
    rule = hit.rule
    return Finding(
        rule_id=rule.id,
        category=rule.category,
        severity=rule.severity,
        confidence=rule.confidence,
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


def _classifier_finding(prob: float, path: str, text: str) -> Finding:
    return Finding(
        rule_id="MCPT-CLF-001",
        category="classifier",
        severity=Severity.MEDIUM if prob < 0.9 else Severity.HIGH,
        confidence=Confidence.MEDIUM,
        message=f"the poisoning classifier scores this tool {prob:.2f} (field {path})",
        path=path or "$",
        matched_text=text[:200],
        source="classifier",
        remediation="Read the field as the model would; remove instructions aimed at the agent.",
    )


@functools.cache
def default_detector() -> PoisoningDetector:
    """The bundled rule pack and model, loaded once per process."""
    taxonomy = load_taxonomy(data_dir() / "taxonomy.toml")
    rules = CompiledRules(load_rules(rules_dir(), taxonomy))
    return PoisoningDetector(rules, None)
