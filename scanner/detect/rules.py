"""The rule pack: strict data in ``rules/*.toml``, compiled once, matched in linear time.

Regular expressions and keyword sets compile to RE2 (no backtracking, so no
ReDoS) and are matched in one pass per tool through an RE2 ``Filter`` (see
``engine.py``); only rules it reports are re-run to extract the matched text. Fuzzy phrases (paraphrases of
known attack wording) are scored with rapidfuzz over bounded sentences.
"""

from __future__ import annotations

import enum
import itertools
import tomllib
from pathlib import Path

import msgspec
import re2

from scanner.detect.fields import PROSE_KINDS, FieldKind
from scanner.errors import ScannerError
from scanner.models import Confidence, Severity


class RuleError(ScannerError):
    """A rule file is malformed: the message names the file and the JSON path."""


class FieldSelector(enum.StrEnum):
    NAME = "name"
    TITLE = "title"
    DESCRIPTION = "description"
    PARAM_NAME = "param_name"
    PARAM_DESCRIPTION = "param_description"
    PARAM_TITLE = "param_title"
    DEFAULT = "default"
    ENUM = "enum"
    EXAMPLE = "example"
    SCHEMA_OTHER = "schema_other"
    ANNOTATION = "annotation"
    INSTRUCTIONS = "instructions"
    PROMPT = "prompt"
    RESOURCE = "resource"
    PROSE = "prose"  # every descriptive field (all but names)
    ALL = "all"


class RegexMatcher(msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag="regex"):
    """Any of ``patterns`` (RE2 syntax, case-insensitive unless ``case_sensitive``)."""

    patterns: list[str]
    case_sensitive: bool = False
    # Name of a capture group that must name a tool NOT on this server (cross-server rules).
    foreign_tool_group: str | None = None


class KeywordMatcher(msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag="keywords"):
    """Every group has one of its terms (whole words) inside one sentence."""

    all_of: list[list[str]]


class FuzzyMatcher(msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag="fuzzy"):
    """A sentence paraphrases one of ``phrases`` (rapidfuzz partial ratio >= threshold)."""

    phrases: list[str]
    threshold: int = 88


Matcher = RegexMatcher | KeywordMatcher | FuzzyMatcher


class Examples(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    match: list[str]
    no_match: list[str]
    # Tool names of the example's own server (for cross-server rules).
    server_tools: list[str] = msgspec.field(default_factory=list)


class Rule(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: str
    category: str
    severity: Severity
    confidence: Confidence
    summary: str
    remediation: str
    references: list[str]
    fields: list[FieldSelector]
    matcher: Matcher
    examples: Examples


class RuleFile(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    rules: list[Rule]


class Taxonomy(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    categories: list[Category]


class Category(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: str
    name: str
    description: str


def re2_options() -> re2.Options:
    opts = re2.Options()
    opts.log_errors = False
    opts.max_mem = 64 << 20  # the rule set's DFA thrashes (4x slower) at the 8 MiB default
    return opts


def load_taxonomy(path: Path) -> Taxonomy:
    try:
        return msgspec.convert(tomllib.loads(path.read_text(encoding="utf-8")), Taxonomy)
    except (tomllib.TOMLDecodeError, msgspec.ValidationError, OSError) as exc:
        raise RuleError(f"{path}: {exc}") from exc


def load_rule_file(path: Path) -> list[Rule]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"{path}: {exc}") from exc
    try:
        return msgspec.convert(raw, RuleFile).rules
    except msgspec.ValidationError as exc:
        raise RuleError(f"{path}: {exc}") from exc


def load_rules(directory: Path, taxonomy: Taxonomy) -> list[Rule]:
    """All ``*.toml`` rule files, sorted by name; ids unique, categories known. Patterns
    are compiled (and one RE2 cannot compile refused) once, by ``CompiledRules``."""
    known = {c.id for c in taxonomy.categories}
    rules: list[Rule] = []
    seen: dict[str, Path] = {}
    for path in sorted(directory.glob("*.toml")):
        for i, rule in enumerate(load_rule_file(path)):
            where = f"{path}: at `$.rules[{i}]`"
            if rule.id in seen:
                raise RuleError(f"{where}: duplicate rule id {rule.id!r} (also in {seen[rule.id]})")
            if rule.category not in known:
                raise RuleError(f"{where}: unknown category {rule.category!r}")
            seen[rule.id] = path
            rules.append(rule)
    return rules


def compiled_patterns(rule: Rule) -> list[str]:
    """The RE2 source of a regex or keyword rule (empty for fuzzy rules)."""
    m = rule.matcher
    if isinstance(m, RegexMatcher):
        flags = "" if m.case_sensitive else "(?i)"
        if m.foreign_tool_group:
            return [flags + p for p in m.patterns]
        return [flags + "|".join(f"(?:{p})" for p in m.patterns)]
    if isinstance(m, KeywordMatcher):
        return [keyword_regex(m.all_of)]
    return []


def keyword_regex(groups: list[list[str]]) -> str:
    """All groups in one sentence, in any order: the permutations as one RE2 alternation."""
    alts = [r"\b(?:" + "|".join(re2.escape(t) for t in g) + r")\b" for g in groups]
    gap = r"[^.!?\n]*?"
    orders = itertools.permutations(alts) if len(alts) <= 3 else [tuple(alts)]
    return "(?i)" + "|".join("(?:" + gap.join(order) + ")" for order in orders)


def applies(rule: Rule, kind: FieldKind) -> bool:
    for sel in rule.fields:
        if sel is FieldSelector.ALL or sel.value == kind.value:
            return True
        if sel is FieldSelector.PROSE and kind in PROSE_KINDS:
            return True
    return False
