"""Turn one field's raw text into the views that rules and the classifier read.

Attackers hide instructions from the human reviewer while keeping them legible to
the model: invisible Unicode (tag characters carry ASCII), homoglyphs, encoded
blobs, HTML comments, screens of whitespace. Each trick is both a finding in
itself and undone, so the hidden text is matched by the same rules as plain text.

Every step is bounded (field size, blob count, blob size, decode depth), so a
hostile 1 MB description costs linear time.
"""

from __future__ import annotations

import base64
import binascii
import functools
import importlib.util
import re
import unicodedata
import urllib.parse
from pathlib import Path

import msgspec
import re2

MAX_SCAN_CHARS = 65_536  # per field; longer fields are flagged and scanned up to here
_MAX_BLOBS = 8
_MAX_BLOB_CHARS = 16_384
_MAX_DEPTH = 2

_ZERO_WIDTH = frozenset([0x200B, 0x200C, 0x200D, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF, 0x180E, 0x00AD])
_BIDI = frozenset([0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069])
_TAG_FIRST, _TAG_LAST = 0xE0000, 0xE007F
_INVISIBLE = dict.fromkeys([*_ZERO_WIDTH, *_BIDI, *range(_TAG_FIRST, _TAG_LAST + 1)])


def _opts() -> re2.Options:
    opts = re2.Options()
    opts.log_errors = False
    return opts


_B64 = re2.compile(r"[A-Za-z0-9+/_-]{20,}={0,2}", _opts())
_HEX = re2.compile(r"(?:[0-9A-Fa-f]{2}){10,}", _opts())
_PCT = re2.compile(r"%[0-9A-Fa-f]{2}", _opts())
_PCT_MIN = 3  # escapes in one field: "Ignore%20prior%20instructions" has two, a path one
# Escaped characters as source code and markup write them: \x52, \u0052, &#82;, &#x52;.
_ESCAPES = re2.compile(r"(?:\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}|&#[xX][0-9A-Fa-f]{1,6};|&#[0-9]{1,7};){4,}", _opts())
_ESCAPE = re.compile(r"\\x([0-9A-Fa-f]{2})|\\u([0-9A-Fa-f]{4})|&#[xX]([0-9A-Fa-f]{1,6});|&#([0-9]{1,7});")
# A query string that writes spaces as "+": key=Ignore+prior+instructions
_PLUS_QUERY = re.compile(r"[?&][\w.-]{1,40}=[^\s&#]{0,2000}?[A-Za-z]\+[A-Za-z]")
_HTML_COMMENT = re2.compile(r"(?s)<!--(.*?)(?:-->|$)", _opts())
_MD_COMMENT = re2.compile(r"(?m)^\s*\[[^\]\n]{0,40}\]:\s*(?:#|<>)\s*\(([^)\n]*)\)", _opts())
_PADDING = re2.compile(r"[ \t\x{a0}\x{3000}]{40,}|(?:[ \t]*\n){12,}", _opts())


class Hint(msgspec.Struct, frozen=True):
    """An obfuscation the normaliser saw: becomes a finding of category ``obfuscation``."""

    # tag_chars | bidi | zero_width | homoglyph | fullwidth | html_comment | padding | oversized | encoded_text
    kind: str
    detail: str


class View(msgspec.Struct, frozen=True):
    """One readable version of the field: ``origin`` says how it was uncovered."""

    origin: str  # text | tag_chars | base64 | hex | percent | html_comment
    text: str


class Normalised(msgspec.Struct, frozen=True):
    # Tuples: results are memoised and shared between callers, so they must not change.
    views: tuple[View, ...]
    hints: tuple[Hint, ...]


@functools.cache
def _skeleton_table() -> dict[int, str]:
    """Map non-ASCII characters that look like an ASCII letter or digit to that letter.

    Built from the Unicode confusables data shipped by ``confusable_homoglyphs``.
    """
    # Located, not imported: the package's __init__ costs ~10 ms of imports per process.
    spec = importlib.util.find_spec("confusable_homoglyphs")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("confusable_homoglyphs")
    data_file = Path(spec.origin).with_name("confusables.json")
    # msgspec with the type reads the 0.9 MB file in ~60% of json's time (once per process)
    data = msgspec.json.decode(data_file.read_bytes(), type=dict[str, list[dict[str, str]]])
    table: dict[int, str] = {}
    for char, glyphs in data.items():
        if len(char) != 1 or ord(char) < 128:
            continue
        for glyph in glyphs:
            c = glyph.get("c", "")
            if len(c) == 1 and c.isascii() and c.isalnum():
                table[ord(char)] = c
                break
    return table


def skeleton(text: str) -> str:
    if text.isascii():
        return text  # the table maps non-ASCII characters only
    return text.translate(_skeleton_table())


def _strip_invisible(text: str, hints: list[Hint]) -> tuple[str, str]:
    """Remove invisible characters; return (visible text, ASCII smuggled in tag characters)."""
    if text.isascii() or len(text.translate(_INVISIBLE)) == len(text):
        return text, ""  # nothing invisible: skip the per-character walk
    visible: list[str] = []
    tags: list[str] = []
    zero_width = bidi = 0
    for ch in text:
        cp = ord(ch)
        if _TAG_FIRST <= cp <= _TAG_LAST:
            tags.append(chr(cp - _TAG_FIRST) if 0x20 <= cp - _TAG_FIRST < 0x7F else " ")
        elif cp in _ZERO_WIDTH:
            zero_width += 1
        elif cp in _BIDI:
            bidi += 1
        else:
            visible.append(ch)
    hidden = "".join(tags).strip()
    if hidden:
        hints.append(Hint("tag_chars", f"{len(tags)} Unicode tag characters spell: {hidden[:200]}"))
    if bidi:
        hints.append(Hint("bidi", f"{bidi} bidirectional control characters"))
    if zero_width >= 2:  # a lone ZWJ/ZWNJ is ordinary in emoji and Indic scripts
        hints.append(Hint("zero_width", f"{zero_width} zero-width characters"))
    return "".join(visible), hidden


def _mixed_script_words(text: str) -> list[str]:
    """Words that mix ASCII letters with look-alike letters from another script."""
    table = _skeleton_table()
    out: list[str] = []
    for word in text.split():
        if word.isascii() or len(out) >= 5:
            continue
        # Judged per run of letters: "SEO-чеклист" joins a Latin and a Cyrillic word, and
        # "2×limit" has a sign, not a letter; "pаssword" (Cyrillic "а") mixes inside one run.
        for run in _LETTER_RUN.findall(word):
            has_ascii = any(c.isascii() for c in run)
            # A look-alike from another script (Cyrillic "а", Greek "ο"); Latin letters with
            # marks (Turkish "İ" in "UHKİA", "ı") are how those languages are spelt.
            if has_ascii and any(ord(c) in table and not c.isascii() and not _latin(c) for c in run):
                out.append(word[:60])
                break
    return out


_LETTER_RUN = re.compile(r"[^\W\d_]+")


def _latin(char: str) -> bool:
    return unicodedata.name(char, "").startswith("LATIN ")


# Fullwidth Latin letters (U+FF21-FF3A, U+FF41-FF5A): NFKC folds them to ASCII, so the rules
# read the words, but a run of them is a way to slip text past naive filters. A CJK text
# writes an acronym so ("ＡＰＩ"); eight letters or more is prose.
_FULLWIDTH_LETTERS = frozenset(chr(c) for r in ((0xFF21, 0xFF3B), (0xFF41, 0xFF5B)) for c in range(*r))
_FULLWIDTH_MIN = 8
# An HTML comment that hides an instruction holds words; "<!-- ... -->" or "<!-- comments -->"
# in a description of an HTML tool hides nothing.
_COMMENT_MIN_LETTERS = 12


def _fullwidth_letters(text: str) -> int:
    return sum(1 for c in text if c in _FULLWIDTH_LETTERS)


def _hides_words(comment: str) -> bool:
    return len(comment.split()) >= 2 and sum(c.isalpha() for c in comment) >= _COMMENT_MIN_LETTERS


def _printable(data: bytes) -> str | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if len(text) < 8:
        return None
    good = sum(1 for c in text if c.isprintable() or c in "\n\t")
    letters = sum(1 for c in text if c.isalpha() or c == " ")
    if good / len(text) < 0.95 or letters / len(text) < 0.6 or " " not in text:
        return None  # keys, hashes and binary data are not hidden prose
    return text


# A necessary condition for both _B64 and _HEX (hex digits are base64 characters): 20
# of them in a row. The stdlib engine answers it in one C call without the RE2
# wrapper's per-call Python cost; a fixed-length class run is linear (each start looks
# at most 20 characters ahead), so this is no ReDoS risk.
_BLOB_RUN = re.compile(r"[A-Za-z0-9+/_-]{20}")


def _decoded_blobs(text: str) -> list[View]:
    out: list[View] = []
    if _BLOB_RUN.search(text) is not None and _add_base16_64(text, out):
        return out  # blob budget spent
    head = text[:_MAX_BLOB_CHARS]
    if "%" in text and len(_PCT.findall(head)) >= _PCT_MIN:
        plus = _PLUS_QUERY.search(head) is not None
        decoded_pct = urllib.parse.unquote_plus(head) if plus else urllib.parse.unquote(head)
        if decoded_pct != head:
            out.append(View("percent", decoded_pct))
    elif "+" in text and "=" in text and _PLUS_QUERY.search(head):
        out.append(View("percent", urllib.parse.unquote_plus(head)))
    if ("\\" in text or "&#" in text) and len(out) < _MAX_BLOBS:
        for match in _ESCAPES.finditer(head):
            decoded = _printable(_unescape(match.group(0)).encode("utf-8", "replace"))
            if decoded:
                out.append(View("hex", decoded))
            if len(out) >= _MAX_BLOBS:
                break
    return out


def _unescape(run: str) -> str:
    def char(m: re.Match[str]) -> str:
        hex_digits = m.group(1) or m.group(2) or m.group(3)
        code = int(hex_digits, 16) if hex_digits else int(m.group(4))
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"

    return _ESCAPE.sub(char, run)


def _add_base16_64(text: str, out: list[View]) -> bool:
    """Decode base64 and hex blobs into ``out``; True when it stopped at _MAX_BLOBS."""
    for match in _B64.finditer(text):
        if len(out) >= _MAX_BLOBS:
            return True
        blob = match.group(0)[:_MAX_BLOB_CHARS]
        try:
            padded = blob.rstrip("=") + "=" * (-len(blob.rstrip("=")) % 4)
            urlsafe = "-" in blob or "_" in blob
            raw = base64.urlsafe_b64decode(padded) if urlsafe else base64.b64decode(padded)
        except (binascii.Error, ValueError):
            continue
        decoded = _printable(raw)
        if decoded:
            out.append(View("base64", decoded))
    for match in _HEX.finditer(text):
        if len(out) >= _MAX_BLOBS:
            return True
        decoded = _printable(bytes.fromhex(match.group(0)[:_MAX_BLOB_CHARS]))
        if decoded:
            out.append(View("hex", decoded))
    return False


_CACHE_ENTRIES = 4096
# Strings up to 2,048 characters, 4,096 of them: the keys hold at most 8 M characters;
# views add copies only where normalising changed the text (non-ASCII, hidden text).
_CACHE_MAX_CHARS = 2048


def normalise(raw: str) -> Normalised:
    if len(raw) < 20 and raw.isascii() and not any(m in raw for m in ("<!--", "]:", "%")):
        # Most schema strings: nothing can hide in 20 plain ASCII characters.
        return Normalised((View("text", raw),), ())
    if len(raw) <= _CACHE_MAX_CHARS:
        return _normalise_memo(raw)
    return _normalise(raw)


# Tools of one registry repeat the same parameter descriptions ("Path to the file",
# "Maximum number of results") across servers and versions; normalising is a pure
# function of the string, so each distinct string is worked out once.
@functools.lru_cache(maxsize=_CACHE_ENTRIES)
def _normalise_memo(raw: str) -> Normalised:
    return _normalise(raw)


def clear_memo() -> None:
    _normalise_memo.cache_clear()


def _normalise(raw: str) -> Normalised:
    hints: list[Hint] = []
    if len(raw) > MAX_SCAN_CHARS:
        hints.append(Hint("oversized", f"{len(raw)} characters; scanned the first {MAX_SCAN_CHARS}"))
        raw = raw[:MAX_SCAN_CHARS]
    visible, hidden = _strip_invisible(raw, hints)
    if not visible.isascii() and _fullwidth_letters(visible) >= _FULLWIDTH_MIN:
        hints.append(Hint("fullwidth", f"{_fullwidth_letters(visible)} fullwidth Latin letters, read as ASCII"))
    nfkc = unicodedata.normalize("NFKC", visible) if not visible.isascii() else visible
    if not nfkc.isascii():
        mixed = _mixed_script_words(nfkc)
        if mixed:
            hints.append(Hint("homoglyph", "look-alike letters in: " + ", ".join(mixed)))
        nfkc = skeleton(nfkc)
    views = [View("text", nfkc)]
    if hidden:
        views.append(View("tag_chars", hidden))
    _add_hidden_views(nfkc, views, hints, depth=0)
    padding = _PADDING.search(nfkc) if ("    " * 10 in nfkc or "\n\n\n" in nfkc) else None
    if padding:
        hints.append(Hint("padding", f"a run of {len(padding.group(0))} whitespace characters"))
    return Normalised(tuple(views), tuple(hints))


def _add_hidden_views(text: str, views: list[View], hints: list[Hint], depth: int) -> None:
    if depth >= _MAX_DEPTH:
        return
    if "<!--" in text:
        comments = [m.group(1).strip() for m in _HTML_COMMENT.finditer(text)][:_MAX_BLOBS]
        comments = [c for c in comments if _hides_words(c)]
        if comments:
            hints.append(Hint("html_comment", f"{len(comments)} HTML comment(s) hidden from rendering"))
            views.extend(View("html_comment", c) for c in comments)
    if "]:" in text:
        md = [m.group(1).strip() for m in _MD_COMMENT.finditer(text)][:_MAX_BLOBS]
        md = [c for c in md if _hides_words(c)]
        if md:
            hints.append(Hint("html_comment", f"{len(md)} Markdown comment(s) hidden from rendering"))
            views.extend(View("html_comment", c) for c in md)
    for blob in _decoded_blobs(text):
        if blob.origin in {"base64", "hex"}:
            # Descriptions have no reason to carry prose in encoded form.
            hints.append(Hint("encoded_text", f"{blob.origin} that decodes to text: {blob.text[:120]}"))
        views.append(blob)
        _add_hidden_views(blob.text, views, hints, depth + 1)
