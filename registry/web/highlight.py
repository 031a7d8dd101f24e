"""Show untrusted text safely: escape it, make invisible characters visible, and
mark the text a finding points at in place.

Poisoned tool descriptions hide instructions in characters a person cannot see
(zero-width spaces, bidi overrides, Unicode tag characters that spell ASCII).
A reviewer must see them, so every such character becomes a labelled badge and a
run of tag characters is decoded into the text it smuggles.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from markupsafe import Markup, escape

# Short labels for the characters seen most in attacks; others get their code point.
_NAMES: dict[int, str] = {
    0x200B: "ZWSP",
    0x200C: "ZWNJ",
    0x200D: "ZWJ",
    0x2060: "WJ",
    0xFEFF: "BOM",
    0x00AD: "SHY",
    0x180E: "MVS",
    0x202A: "LRE",
    0x202B: "RLE",
    0x202C: "PDF",
    0x202D: "LRO",
    0x202E: "RLO",
    0x2066: "LRI",
    0x2067: "RLI",
    0x2068: "FSI",
    0x2069: "PDI",
    0x200E: "LRM",
    0x200F: "RLM",
    0x061C: "ALM",
    0x00A0: "NBSP",
    0x3000: "IDEOSP",
}
_TAG_START, _TAG_END = 0xE0000, 0xE007F
_VISIBLE_WHITESPACE = {"\n", "\t", " "}


def is_invisible(ch: str) -> bool:
    cp = ord(ch)
    if ch in _VISIBLE_WHITESPACE:
        return False
    if cp in _NAMES or _TAG_START <= cp <= _TAG_END:
        return True
    if 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF:  # variation selectors
        return True
    category = unicodedata.category(ch)
    return category in {"Cf", "Cc", "Co", "Cn", "Zl", "Zp"} or (category == "Zs" and ch != " ")


def _label(ch: str) -> str:
    cp = ord(ch)
    return _NAMES.get(cp) or f"U+{cp:04X}"


def _title(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')}"


def _tag_run(run: str) -> str:
    """Tag characters mirror ASCII (U+E0041 is a hidden 'A'): show what they spell."""
    decoded = "".join(chr(ord(c) - _TAG_START) if 0x20 <= ord(c) - _TAG_START < 0x7F else "·" for c in run)
    return f'<span class="inv inv-tag" title="{len(run)} hidden Unicode tag characters">⟨TAG: {escape(decoded)}⟩</span>'


def visible(text: str) -> Markup:
    """Escape ``text`` and turn every invisible character into a visible badge."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if _TAG_START <= ord(ch) <= _TAG_END:
            j = i
            while j < len(text) and _TAG_START <= ord(text[j]) <= _TAG_END:
                j += 1
            out.append(_tag_run(text[i:j]))
            i = j
            continue
        if is_invisible(ch):
            out.append(f'<span class="inv" title="{escape(_title(ch))}">⟨{escape(_label(ch))}⟩</span>')
        else:
            out.append(str(escape(ch)))
        i += 1
    return Markup("".join(out))  # noqa: S704 - every piece above was escaped


def _needle_spans(text: str, needle: str) -> list[tuple[int, int]]:
    """Where ``needle`` occurs in ``text``: exactly (any case), else ignoring invisible
    characters, because detectors report text after normalising it away."""
    found = [(m.start(), m.end()) for m in re.finditer(re.escape(needle), text, re.IGNORECASE)]
    if found:
        return found
    keep = [i for i, ch in enumerate(text) if not is_invisible(ch)]
    skeleton = "".join(text[i] for i in keep).lower()
    target = "".join(ch for ch in needle if not is_invisible(ch)).lower()
    if not target:
        return []
    spans, start = [], skeleton.find(target)
    while start != -1:
        spans.append((keep[start], keep[start + len(target) - 1] + 1))
        start = skeleton.find(target, start + len(target))
    return spans


def find_spans(text: str, needles: list[str]) -> list[tuple[int, int]]:
    """Merged, sorted spans of every needle in ``text``."""
    spans = sorted(span for needle in filter(None, needles) for span in _needle_spans(text, needle))
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def highlight(text: str, needles: list[str]) -> Markup:
    """``text`` made visible, with each occurrence of any needle wrapped in ``<mark>``.

    A needle that does not occur leaves the text unmarked; the caller shows the
    needle separately then."""
    out: list[str] = []
    pos = 0
    for start, end in find_spans(text, needles):
        out.append(visible(text[pos:start]))
        out.append(f"<mark>{visible(text[start:end])}</mark>")
        pos = end
    out.append(visible(text[pos:]))
    return Markup("".join(out))  # noqa: S704 - built from escaped pieces


_PATH_TOKEN = re.compile(r"\.([^.\[\]]+)|\[(\d+)\]|\[['\"]([^'\"]+)['\"]\]")


def resolve_path(obj: Any, path: str) -> Any:
    """The value at a simple JSON path (``$.a.b[0]['c d']``), or None when absent."""
    if not path.startswith("$"):
        return None
    rest, cur = path[1:], obj
    while rest:
        m = _PATH_TOKEN.match(rest)
        if m is None:
            return None
        key, index, quoted = m.groups()
        if index is not None:
            if not isinstance(cur, list) or int(index) >= len(cur):
                return None
            cur = cur[int(index)]
        else:
            name = key if key is not None else quoted
            if not isinstance(cur, dict) or name not in cur:
                return None
            cur = cur[name]
        rest = rest[m.end() :]
    return cur
