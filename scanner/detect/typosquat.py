"""Look-alike names: a server or tool name a small edit away from a well-known one.

Names are compared after lower-casing, undoing homoglyphs (confusables skeleton)
and unifying separators, so ``GitHub_MCP``, ``github-mcp`` and ``gіthub-mcp``
(Cyrillic і) compare alike. Exact well-known names and the ``allowed`` list are
genuine. ``find_name_collisions`` is what the registry calls when a new server
is submitted, against the names it already holds.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from collections.abc import Iterable

import msgspec
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from scanner.detect.normalise import skeleton
from scanner.paths import data_dir

_SEP = re.compile(r"[\s_.\-/@]+")  # "@scope/name-mcp": an npm scope is not part of the look
_AFFIXES = re.compile(r"^(?:mcp|server|mcp server)\s+|\s+(?:mcp|server|mcp server)$")
MIN_LENGTH = 4  # shorter names are too close to everything to judge
_MEMO_MAX_CHARS = 256


class KnownNames(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    servers: list[str]
    tools: list[str]
    allowed: list[str]


class NameCollision(msgspec.Struct, frozen=True):
    """``name`` looks like ``existing``: ``reason`` is ``homoglyph``, ``same_after_normalising``
    or ``edit_distance`` (then ``distance`` is the Damerau-Levenshtein distance)."""

    name: str
    existing: str
    reason: str
    distance: int
    # One slip of the kind squatters make (``typo_edit``), rather than another real word.
    typo: bool = False


def canonical(name: str) -> str:
    text = skeleton(unicodedata.normalize("NFKC", name)).lower()
    text = _SEP.sub(" ", text).strip()
    for _ in range(2):
        text = _AFFIXES.sub("", text).strip()
    return text


@functools.cache
def known_names() -> KnownNames:
    path = data_dir() / "known-names.toml"
    return msgspec.convert(tomllib.loads(path.read_text("utf-8")), KnownNames)


def _max_distance(length: int) -> int:
    return 1 if length < 8 else 2


def find_name_collisions(new_name: str, existing_names: Iterable[str]) -> list[NameCollision]:
    """Existing names that ``new_name`` imitates (an identical name is not a collision: the
    registry handles exact duplicates itself)."""
    return _collisions(new_name, [(e, canonical(e)) for e in existing_names])


_WIDEST = 2  # the largest _max_distance: a first cut that no real collision can fail


def _collisions(new_name: str, existing: Iterable[tuple[str, str]]) -> list[NameCollision]:
    new_c = canonical(new_name)
    out: list[NameCollision] = []
    if len(new_c.replace(" ", "")) < MIN_LENGTH:
        return out
    pairs = list(existing)
    # One C call finds every name within the widest distance (the per-name Python loop
    # was the detector's biggest cost); the exact per-length limit is then applied to
    # those few below, in the list's order, as before.
    near = process.extract(
        new_c,
        [ex_c for _, ex_c in pairs],
        scorer=DamerauLevenshtein.distance,
        score_cutoff=_WIDEST,
        limit=None,
    )
    for index in sorted(i for _, _, i in near):
        name, ex_c = pairs[index]
        if name == new_name:
            continue
        if new_c == ex_c:
            reason = "homoglyph" if not new_name.isascii() else "same_after_normalising"
            out.append(NameCollision(new_name, name, reason, 0))
            continue
        limit = _max_distance(min(len(new_c), len(ex_c)))
        if abs(len(new_c) - len(ex_c)) > limit:
            continue
        distance = DamerauLevenshtein.distance(new_c, ex_c, score_cutoff=limit)
        if distance <= limit:
            out.append(NameCollision(new_name, name, "edit_distance", distance, typo_edit(new_c, ex_c)))
    return out


# Letters a reader takes for one another in a name: the substitutions squatters use.
_LOOK_ALIKE = frozenset(
    {("i", "l"), ("l", "i"), ("1", "l"), ("l", "1"), ("1", "i"), ("i", "1"), ("0", "o"), ("o", "0")}
)


def typo_edit(name: str, known: str) -> bool:
    """Whether ``name`` is ``known`` with one slip of the kind squatters make: two adjacent
    letters swapped (send_emial), a letter dropped or added (git_comit, create_entites), or a
    look-alike letter (write_flle). Real tools one edit from a well-known name differ by a
    real word instead (search_notes/search_nodes, head_file/read_file) or by a plural."""
    if DamerauLevenshtein.distance(name, known, score_cutoff=1) != 1:
        return False
    if len(name) == len(known):
        diff = [i for i, (a, b) in enumerate(zip(name, known, strict=True)) if a != b]
        if len(diff) == 2:  # an adjacent transposition (distance 1 with two positions)
            return True
        return (name[diff[0]], known[diff[0]]) in _LOOK_ALIKE
    shorter, longer = sorted((name, known), key=len)
    if longer.replace(" ", "") == shorter:
        return False  # takeScreenshot for take_screenshot: the same words, written as one
    if longer.endswith("s") and longer[:-1] == shorter:
        return False  # a plural is not a slip
    if len(name) < len(known):
        return True  # a dropped letter: git_comit, create_entites
    # An added letter counts when it doubles its neighbour (send_emaill); another one often
    # makes another word (gift_log next to git_log).
    at = next(i for i in range(len(longer)) if i == len(shorter) or longer[i] != shorter[i])
    return longer[at] in {longer[at - 1] if at else "", longer[at + 1] if at + 1 < len(longer) else ""}


@functools.cache
def _canonical_lists() -> dict[str, list[tuple[str, str]]]:
    known = known_names()
    return {
        kind: [(n, canonical(n)) for n in names]
        for kind, names in (("servers", known.servers), ("tools", known.tools), ("allowed", known.allowed))
    }


@functools.cache
def _genuine() -> dict[str, frozenset[str]]:
    """Set forms of the lists above, for the membership tests every name goes through."""
    lists = _canonical_lists()
    return {
        "allowed_raw": frozenset(n for n, _ in lists["allowed"]),
        "allowed_canonical": frozenset(c for _, c in lists["allowed"]),
        "servers": frozenset(c for _, c in lists["servers"]),
        "tools": frozenset(c for _, c in lists["tools"]),
    }


def squats(name: str, kind: str) -> list[NameCollision]:
    """Well-known ``kind`` names ("servers" or "tools") that ``name`` imitates."""
    pool = "servers" if kind == "servers" else "tools"
    # Only identifier-sized names are memoised: a hostile name can be any length.
    return list(_squats(pool, name) if len(name) <= _MEMO_MAX_CHARS else _squats.__wrapped__(pool, name))


@functools.lru_cache(maxsize=4096)
def _squats(pool_kind: str, name: str) -> tuple[NameCollision, ...]:
    # Memoised: a registry sees the same tool names (read_file, search...) over and
    # over, and the answer depends only on the name and the bundled lists.
    genuine = _genuine()
    name_c = canonical(name)
    if name in genuine["allowed_raw"] or name_c in genuine["allowed_canonical"]:
        return ()
    if name.isascii() and name_c in genuine[pool_kind]:
        return ()  # the genuine name, in any spelling of separators or case
    return tuple(_collisions(name, _canonical_lists()[pool_kind]))


def clear_memo() -> None:
    _squats.cache_clear()
