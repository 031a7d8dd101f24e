"""Match compiled rules against one field's views (see ``rules.py`` for the data)."""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from typing import Any

import msgspec
import re2
from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from scanner.detect.fields import FieldKind
from scanner.detect.rules import (
    FuzzyMatcher,
    RegexMatcher,
    Rule,
    RuleError,
    applies,
    compiled_patterns,
    re2_options,
)

_SENTENCE = re2.compile(r"[.!?;\n]+\s*|\s[-*]\s", re2_options())
_MAX_SENTENCES = 64
_MAX_SENTENCE_CHARS = 400
_MIN_FUZZY_CHARS = 12
_FUZZY_CACHE_ENTRIES = 4096
_FUZZY_CACHE_MAX_CHARS = 2048
# Which patterns match somewhere in a tool's joined text is a pure function of that text:
# rescans meet the same tools again, so the filter's answer is memoised for texts up to
# 4 KiB (4,096 of them: at most 16 MiB of keys). The per-field confirmation still runs,
# since it depends on the server's own tool names.
_MATCH_CACHE_ENTRIES = 4096
_MATCH_CACHE_MAX_BYTES = 4096
_DIRECT_TEXTS = 32  # tool texts matched pattern by pattern before the filter is built


class RuleHit(msgspec.Struct, frozen=True):
    rule: Rule
    matched_text: str
    # The match sits in a negated clause ("never read ~/.ssh/id_rsa"): a protective
    # statement in the categories where the negated form is one (NEGATABLE).
    negated: bool = False
    # The match is quoted as an example of what the tool detects or strips ("injection
    # attempts such as 'ignore previous instructions'", "tags such as <important>").
    mention: bool = False


# Categories whose negated form protects the user ("never asks for your password", "does
# not send data anywhere"). Concealment is negative by nature ("do not tell the user"),
# and so are override and substitution at least as often ("do not follow your previous
# instructions", "do not copy the account the user mentions"): never judged negated.
NEGATABLE = frozenset(
    {
        "credential_phishing",
        "sensitive_file_access",
        "exfiltration",
        "command_execution",
    }
)
# A negator in the same clause, close before the match ("does not print the token from
# .npmrc", "never ask the user for"); no clause break in between. Not a double negative
# ("do not forget to read", "never fail to send", "don't skip").
_NEGATED_START = re.compile(r"(?i)\s*(?:never|do\s+not|does\s+not|don't|doesn't|will\s+not|won't|must\s+not)\b")
_NEGATED_BEFORE = re.compile(
    r"\b(?:never|not(?!\s+(?:only|just|merely)\b)|no\s+longer|cannot|can't|won't|don't|doesn't|isn't|aren't|"
    r"shouldn't|mustn't)\b[^,;:!?.\n\u2014()]{0,30}$",
    re.IGNORECASE,
)
# "Passages never override the system prompt": an override verb under a negator is a
# safeguard; "do not follow your previous instructions" (follow, obey) is the attack itself.
_OVERRIDE_VERB = re.compile(
    r"(?i)\s*(?:ignore|ignoring|override|overrides|overriding|disregard|bypass|supersede|forget)\b"
)
# Chinese and Japanese put the negator right before the verb phrase the rule matches.
_CJK_NEGATOR = re.compile(r"(?:不要|不得|切勿|请勿|禁止|不能|不可|绝不|决不|从不|别|勿|不)[^\s。，；！？、]{0,2}$")
_DOUBLE_NEGATIVE = re.compile(r"(?i)\b(?:forget|fail|hesitate|skip|omit|neglect|miss)\w*")


# Categories whose wording a benign tool quotes as an example of what it detects, strips or
# tests for: a prompt-injection scanner names "ignore previous instructions", an HTML
# sanitiser names <important>. Commands, files and data flows are not: an example command
# is still one the agent may run.
MENTIONABLE = frozenset({"coercive_pseudo_tag", "instruction_override", "credential_phishing", "concealment"})
# An example cue just before the match, in the same clause: "such as", "e.g.", "like",
# "Example input:" (then at most a few words or markup of the example itself).
_MENTION_BEFORE = re.compile(
    r"(?i)\b(?:such\s+as|e\.g\.?|i\.e\.?|for\s+(?:example|instance)|like|including|example(?:\s+input)?\s*:)"
    r"[^.;!?\n]{0,40}$"
)


# A sentence-wide match (keyword rules) can hold the cue itself: "... attempts such as
# 'ignore previous instructions' ...".
_MENTION_INSIDE = re.compile(r"""(?i)\b(?:such\s+as|e\.g\.|for\s+(?:example|instance)|like)\s*["'\u2018\u201c<\[(]""")


# "Answering from the blended series would describe one app as though ...": a consequence
# the text warns about, not an order.
_HYPOTHETICAL_BEFORE = re.compile(r"(?i)\b(?:would|could|might)\s+(?:then\s+|only\s+)?$")


def is_mention(category: str, before: str, matched: str = "") -> bool:
    """Whether a match of this category is quoted as an example (see ``MENTIONABLE``) or stated
    as a hypothetical consequence."""
    if category not in MENTIONABLE:
        return False
    tail = before[-60:]
    return (
        _MENTION_BEFORE.search(tail) is not None
        or _MENTION_INSIDE.search(matched) is not None
        or _HYPOTHETICAL_BEFORE.search(tail) is not None
    )


def hit_for(rule: Rule, matched: str, before: str) -> RuleHit:
    """A hit with its negation and mention judged from the text just before it."""
    negated = is_negated(rule.category, before, matched)
    return RuleHit(rule, matched[:200], negated, not negated and is_mention(rule.category, before, matched))


# A name after "call"/"use" that is not a tool: a file or library ("NextAuth.js",
# "config.yaml"), or, unquoted, an ordinary hyphenated word ("repo-scoped", "read-only").
_FILE_NAME = re.compile(
    r"(?i)\.(?:js|mjs|ts|tsx|py|json|md|ya?ml|toml|txt|sh|go|rs|java|rb|php|css|html?|csv|xml|sql|lock|cfg|ini|conf|"
    r"log|pdf|png|jpe?g|svg|zip|gz)$"
)
_HYPHENATED_WORD = re.compile(r"[a-z]+-[a-z]+")
# "graph-to-table", "speech-to-text": a hyphenated phrase, not a tool name.
_HYPHENATED_PHRASE = re.compile(r"[a-z]+(?:-[a-z]+)*-(?:to|of|in|on|by|for|and|or|the|a|an)-[a-z-]+")
# Servers' own texts name their own tools with slips ("currents-get-test-signature" for the
# server's currents-get-tests-signatures): a name this close to one of the server's is its own.
_NEAR_OWN_EDITS = 2
_NEAR_OWN_MIN_CHARS = 8


def names_foreign_tool(named: str, quoted: bool, own_tools: frozenset[str]) -> bool:
    """Whether ``named`` (captured where a tool name goes) can be another server's tool."""
    lowered = named.lower()
    if not named or lowered in own_tools or _FILE_NAME.search(named):
        return False
    if not quoted and (_HYPHENATED_WORD.fullmatch(named) or _HYPHENATED_PHRASE.fullmatch(named)):
        return False
    if named.isupper():  # DEFAULT_ENABLED_GRAPH, API_KEY: a constant or a setting, not a tool
        return False
    if len(lowered) >= _NEAR_OWN_MIN_CHARS:
        near = process.extractOne(lowered, own_tools, scorer=DamerauLevenshtein.distance, score_cutoff=_NEAR_OWN_EDITS)
        if near is not None:
            return False
    return True


def is_negated(category: str, before: str, matched: str) -> bool:
    """Whether a match of this category reads as a protective, negated statement: a
    negator in the same clause just before it, or at its very start, and no double
    negative ("do not forget to read ...")."""
    if category not in NEGATABLE and not (category == "instruction_override" and _OVERRIDE_VERB.match(matched)):
        return False
    clause = before[-48:]
    if _CJK_NEGATOR.search(clause) is not None:  # 不要向用户索要密码: "do not ask the user for the password"
        return True
    found = _NEGATED_BEFORE.search(clause)
    if found is not None:
        return _DOUBLE_NEGATIVE.search(clause[found.start() :] + " " + matched[:24]) is None
    if _NEGATED_START.match(matched) is not None:
        return _DOUBLE_NEGATIVE.search(matched[:40]) is None
    return False


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
        self._sources: list[str] = []
        for rule in rules:
            kinds = frozenset(k for k in FieldKind if applies(rule, k))
            group = rule.matcher.foreign_tool_group if isinstance(rule.matcher, RegexMatcher) else None
            for pattern in compiled_patterns(rule):
                try:
                    regex = re2.compile(pattern, re2_options())
                except re2.error as exc:  # backreferences, look-around: backtracking only
                    raise RuleError(f"rule {rule.id}.matcher: not an RE2 pattern {pattern!r}") from exc
                self._regex.append(_RegexEntry(rule, kinds, regex, group))
                self._sources.append(pattern)
        # One FilteredRE2 over every pattern: an RE2 set of the literal "atoms" the patterns
        # need picks the candidates, and only those run (RE2, linear time). Building it
        # compiles every pattern a second time and the atom set (~0.15 CPU-s), which a scan
        # of one server never earns back: the first _DIRECT_TEXTS tool texts run every
        # pattern directly (~0.5 ms a tool), and only then is the filter built.
        self._filter: Any = None
        self._direct_left = _DIRECT_TEXTS
        self._fuzzy_rules: list[tuple[Rule, frozenset[FieldKind], int]] = []
        self._phrases: list[str] = []
        self._phrase_rule: list[int] = []
        self._phrase_need: list[int] = []
        self._word_index: dict[str, list[int]] = {}
        for rule in rules:
            if isinstance(rule.matcher, FuzzyMatcher):
                kinds = frozenset(k for k in FieldKind if applies(rule, k))
                self._fuzzy_rules.append((rule, kinds, rule.matcher.threshold))
                for phrase in rule.matcher.phrases:
                    self._add_phrase(phrase.lower(), len(self._fuzzy_rules) - 1)
        # A field shorter than 80% of the shortest phrase cannot paraphrase any.
        shortest = min(map(len, self._phrases), default=0)
        self._min_fuzzy_chars = max(_MIN_FUZZY_CHARS, int(0.8 * shortest))
        # Fuzzy hits depend only on (kind, text), unlike regex hits (own tools, joined
        # fields); the same descriptions recur across tools, so they are memoised.
        self._fuzzy_memo = functools.lru_cache(maxsize=_FUZZY_CACHE_ENTRIES)(self._fuzzy)
        self._match_memo = functools.lru_cache(maxsize=_MATCH_CACHE_ENTRIES)(self._filter_match)

    def clear_memo(self) -> None:
        self._fuzzy_memo.cache_clear()
        self._match_memo.cache_clear()

    def _filter_match(self, encoded: bytes) -> tuple[int, ...]:
        """Indices of the patterns that match somewhere in ``encoded`` (one filtered pass)."""
        if not self._regex:
            return ()
        if self._filter is None:
            if self._direct_left > 0:
                self._direct_left -= 1
                return tuple(i for i, entry in enumerate(self._regex) if entry.regex.search(encoded) is not None)
            self._build_filter()
        return tuple(self._filter.Match(encoded) or ())

    def _build_filter(self) -> None:
        prefilter = re2.Filter()
        for index, pattern in enumerate(self._sources):
            if prefilter.Add(pattern, re2_options()) != index:
                raise RuleError(f"the rule filter numbered {pattern!r} out of order")
        prefilter.Compile()
        # The confirming ``finditer`` uses the filter's own RE2 objects from now on, so each
        # pattern's DFA is built once for the filter and the confirmation alike.
        self._regex = [msgspec.structs.replace(e, regex=prefilter.re(i)) for i, e in enumerate(self._regex)]
        self._filter = prefilter

    def _add_phrase(self, phrase: str, rule_index: int) -> None:
        index = len(self._phrases)
        self._phrases.append(phrase)
        self._phrase_rule.append(rule_index)
        words = _content_words(phrase)
        # A paraphrase scoring >= ~86 shares most of the phrase's words; scoring only
        # phrases that share half of them keeps fuzzy matching off the hot path.
        self._phrase_need.append(max(2, (len(words) + 1) // 2))
        for word in words:
            self._word_index.setdefault(word, []).append(index)

    def match(self, kind: FieldKind, text: str, own_tools: frozenset[str]) -> list[RuleHit]:
        return self.match_many([(kind, text)], own_tools)[0]

    def match_many(self, items: list[tuple[FieldKind, str]], own_tools: frozenset[str]) -> list[list[RuleHit]]:
        """Match every (kind, text); one filtered RE2 pass over all texts joined.

        That pass names the patterns that match somewhere; each is then run once over
        the joined text and every match is credited to the field it lies in (a
        match spanning two fields, possible for patterns that cross blank lines,
        falls back to searching field by field). One pass per tool instead of one
        per field matters: each RE2 call has a fixed cost that dwarfs the
        per-character cost on short schema strings.
        """
        out: list[list[RuleHit]] = [[] for _ in items]
        texts = [text if len(text) >= 4 else "" for _, text in items]
        joined = "\n\n".join(texts)
        if not joined.strip():
            return out
        starts = list(itertools.accumulate((len(t) + 2 for t in texts[:-1]), initial=0))
        encoded = joined.encode()
        memo = self._match_memo if len(encoded) <= _MATCH_CACHE_MAX_BYTES else self._filter_match
        matched = memo(encoded)
        for index in matched:
            entry = self._regex[index]
            for slot, hit in _confirm(
                entry, items=items, texts=texts, joined=joined, starts=starts, own_tools=own_tools
            ):
                out[slot].append(hit)
        if self._phrases:
            for slot, (kind, text) in enumerate(items):
                if len(text) >= self._min_fuzzy_chars and " " in text:
                    fuzzy = self._fuzzy_memo if len(text) <= _FUZZY_CACHE_MAX_CHARS else self._fuzzy
                    out[slot].extend(fuzzy(kind, text))
        return out

    def _candidates(self, text: str) -> list[int]:
        shared: dict[int, int] = {}
        for word in _content_words(text):
            for index in self._word_index.get(word, ()):
                shared[index] = shared.get(index, 0) + 1
        # In phrase order, not the word set's hash order: which phrase (and so which
        # sentence) a rule reports must not change between processes.
        return sorted(i for i, n in shared.items() if n >= self._phrase_need[i])

    def _fuzzy(self, kind: FieldKind, text: str) -> tuple[RuleHit, ...]:
        usable = [pi for pi in self._candidates(text.lower()) if kind in self._fuzzy_rules[self._phrase_rule[pi]][1]]
        if not usable:
            return ()
        sentences = [
            s[:_MAX_SENTENCE_CHARS].lower()
            for s in _SENTENCE.split(text)[:_MAX_SENTENCES]
            if len(s) >= _MIN_FUZZY_CHARS
        ]
        if not sentences:
            return ()
        hits: dict[str, RuleHit] = {}
        for pi in usable:
            rule, _, threshold = self._fuzzy_rules[self._phrase_rule[pi]]
            if rule.id in hits:
                continue
            phrase = self._phrases[pi]
            # One C call scores the phrase against every sentence (a Python call per
            # pair dominated on long descriptions); the earliest qualifying sentence
            # wins, as the pair-by-pair loop had it. partial_ratio aligns the shorter
            # string inside the longer: a short sentence would "match" any long phrase
            # containing it, so a sentence must be 80% of the phrase's length.
            near = process.extract(phrase, sentences, scorer=fuzz.partial_ratio, score_cutoff=threshold, limit=None)
            first = min((i for _, _, i in near if len(sentences[i]) >= 0.8 * len(phrase)), default=None)
            if first is not None:
                hits[rule.id] = RuleHit(rule, sentences[first][:200])
        return tuple(hits.values())


_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "with",
        "this",
        "that",
        "it",
        "is",
        "are",
        "be",
        "you",
        "your",
        "any",
        "all",
    ]
)
_PUNCT = str.maketrans(dict.fromkeys(".,;:!?()[]{}<>\"'`*", " "))


def _content_words(text: str) -> set[str]:
    return {w for w in text.translate(_PUNCT).split() if len(w) > 2 and w not in _STOP}


def _confirm(
    entry: _RegexEntry,
    *,
    items: list[tuple[FieldKind, str]],
    texts: list[str],
    joined: str,
    starts: list[int],
    own_tools: frozenset[str],
) -> list[tuple[int, RuleHit]]:
    """(slot, hit) for every field where the entry's pattern really matches."""
    found: dict[int, RuleHit] = {}
    for m in entry.regex.finditer(joined):
        slot = bisect.bisect_right(starts, m.start()) - 1
        if m.end() > starts[slot] + len(texts[slot]):  # spans two fields: judge each alone
            return [
                (s, hit)
                for s, (kind, text) in enumerate(items)
                if kind in entry.kinds and texts[s] and (hit := _extract(entry, text, own_tools)) is not None
            ]
        if slot in found or items[slot][0] not in entry.kinds:
            continue
        if entry.foreign_group is not None and not _foreign(entry, m, joined, own_tools):
            continue
        found[slot] = hit_for(entry.rule, m.group(0), joined[starts[slot] : m.start()])
    return list(found.items())


def _foreign(entry: _RegexEntry, m: Any, text: str, own_tools: frozenset[str]) -> bool:
    """Whether the match's tool group names a tool that is not the server's own."""
    group = entry.regex.groupindex[entry.foreign_group]
    raw = m.group(group) or ""
    start = m.start(group)
    quoted = start > 0 and text[start - 1] in "`'\""
    return names_foreign_tool(raw.strip("`'\" "), quoted, own_tools)


def _extract(entry: _RegexEntry, text: str, own_tools: frozenset[str]) -> RuleHit | None:
    if entry.foreign_group is None:
        m = entry.regex.search(text)
        return None if m is None else hit_for(entry.rule, m.group(0), text[: m.start()])
    for m in entry.regex.finditer(text):
        if _foreign(entry, m, text, own_tools):
            return hit_for(entry.rule, m.group(0), text[: m.start()])
    return None
