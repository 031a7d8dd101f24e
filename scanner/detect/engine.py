"""Match compiled rules against one field's views (see ``rules.py`` for the data)."""

from __future__ import annotations

from typing import Any

import msgspec
import re2
from rapidfuzz import fuzz, process

from scanner.detect.fields import FieldKind
from scanner.detect.rules import (
    FuzzyMatcher,
    RegexMatcher,
    Rule,
    applies,
    compiled_patterns,
    re2_options,
)

_SENTENCE = re2.compile(r"[.!?;\n]+\s*|\s[-*]\s", re2_options())
_MAX_SENTENCES = 64
_MAX_SENTENCE_CHARS = 400
_MIN_FUZZY_CHARS = 12


class RuleHit(msgspec.Struct, frozen=True):
    rule: Rule
    matched_text: str


class _RegexEntry(msgspec.Struct, frozen=True):
    rule: Rule
    kinds: frozenset[FieldKind]
    regex: Any  # an re2 compiled pattern (re2 ships no type stubs)
    foreign_group: str | None


class CompiledRules:
    """All rules compiled once; ``match`` is called per field view."""

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules
        self._regex: list[_RegexEntry] = []
        self._set = re2.Set.SearchSet(re2_options())
        for rule in rules:
            kinds = frozenset(k for k in FieldKind if applies(rule, k))
            group = rule.matcher.foreign_tool_group if isinstance(rule.matcher, RegexMatcher) else None
            for pattern in compiled_patterns(rule):
                self._set.Add(pattern)
                self._regex.append(
                    _RegexEntry(rule, kinds, re2.compile(pattern, re2_options()), group)
                )
        self._set.Compile()
        self._fuzzy_rules: list[tuple[Rule, frozenset[FieldKind], int]] = []
        self._phrases: list[str] = []
        self._phrase_rule: list[int] = []
        for rule in rules:
            if isinstance(rule.matcher, FuzzyMatcher):
                kinds = frozenset(k for k in FieldKind if applies(rule, k))
                self._fuzzy_rules.append((rule, kinds, rule.matcher.threshold))
                for phrase in rule.matcher.phrases:
                    self._phrases.append(phrase.lower())
                    self._phrase_rule.append(len(self._fuzzy_rules) - 1)
        self._min_threshold = min((t for _, _, t in self._fuzzy_rules), default=100)

    def match(self, kind: FieldKind, text: str, own_tools: frozenset[str]) -> list[RuleHit]:
        hits: list[RuleHit] = []
        if not text:
            return hits
        for index in self._set.Match(text) or ():
            entry = self._regex[index]
            if kind not in entry.kinds:
                continue
            hit = _extract(entry, text, own_tools)
            if hit is not None:
                hits.append(hit)
        if self._phrases and len(text) >= _MIN_FUZZY_CHARS and " " in text:
            hits.extend(self._fuzzy(kind, text))
        return hits

    def _fuzzy(self, kind: FieldKind, text: str) -> list[RuleHit]:
        sentences = [
            s[:_MAX_SENTENCE_CHARS].lower()
            for s in _SENTENCE.split(text)[:_MAX_SENTENCES]
            if len(s) >= _MIN_FUZZY_CHARS
        ]
        if not sentences:
            return []
        scores = process.cdist(
            sentences, self._phrases, scorer=fuzz.partial_ratio, score_cutoff=self._min_threshold
        )
        hits: dict[str, RuleHit] = {}
        for si, pi in zip(*scores.nonzero(), strict=True):
            rule, kinds, threshold = self._fuzzy_rules[self._phrase_rule[pi]]
            sentence = sentences[si]
            # partial_ratio aligns the shorter string inside the longer: a short
            # sentence would "match" any long phrase containing it.
            if rule.id in hits or kind not in kinds or scores[si, pi] < threshold:
                continue
            if len(sentence) < 0.8 * len(self._phrases[pi]):
                continue
            hits[rule.id] = RuleHit(rule, sentence[:200])
        return list(hits.values())


def _extract(entry: _RegexEntry, text: str, own_tools: frozenset[str]) -> RuleHit | None:
    if entry.foreign_group is None:
        m = entry.regex.search(text)
        return RuleHit(entry.rule, m.group(0)[:200]) if m else None
    for m in entry.regex.finditer(text):
        named = (m.group(entry.foreign_group) or "").strip("`'\" ")
        if named and named.lower() not in own_tools:
            return RuleHit(entry.rule, m.group(0)[:200])
    return None
