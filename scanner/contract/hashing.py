"""Canonical tool hashing: the one contract the scanner, registry and enforcer share.

A tool's hash is SHA-256 (lowercase hex) of the RFC 8785 (JCS) canonical JSON of
the tool object exactly as ``tools/list`` returned it. A manifest's hash is the
SHA-256 of the JCS canonical JSON of the array of the server's tools sorted by
``name``. See docs/hashing.md for the edge cases (number domain, tie order).

This module must stay importable on its own (the gateway enforcer imports the contract):
standard library plus ``rfc8785`` only.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import rfc8785

__all__ = [
    "CanonicalizationError",
    "canonical_json",
    "manifest_sha256",
    "sort_tools",
    "tool_hashes",
    "tool_sha256",
]

# JSON numbers are IEEE 754 doubles in JCS; an integer beyond 2**53 cannot be
# represented exactly, so we convert it as any JSON.parse-based JCS library would.
_SAFE_INT = 2**53 - 1


class CanonicalizationError(ValueError):
    """The value cannot be represented as I-JSON (RFC 7493), so it has no JCS form."""


def _to_ijson(value: Any, depth: int = 0) -> Any:
    if depth > 256:
        raise CanonicalizationError("JSON nesting deeper than 256 levels")
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        if -_SAFE_INT <= value <= _SAFE_INT:
            return value
        as_float = float(value)  # may raise OverflowError for absurd magnitudes
        return _to_ijson(as_float, depth)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CanonicalizationError(f"non-finite number {value!r} has no JSON form")
        if value.is_integer() and abs(value) <= _SAFE_INT:
            return int(value)
        return value
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise CanonicalizationError(f"object key {k!r} is not a string")
            out[k] = _to_ijson(v, depth + 1)
        return out
    if isinstance(value, list | tuple):
        return [_to_ijson(v, depth + 1) for v in value]
    raise CanonicalizationError(f"{type(value).__name__} is not a JSON value")


_NOT_FAST = object()  # sentinel: the value needs the general path


def _fast_form(value: Any, depth: int = 0) -> Any:
    """The value, ready for ``json.dumps(sort_keys=True, ensure_ascii=False,
    separators=(",", ":"))`` to produce exactly its JCS bytes, or ``_NOT_FAST``.

    That holds for exact ``dict``/``list``/``str`` types, string keys without
    characters beyond the BMP (there code-point order equals UTF-16 order),
    integers within the I-JSON range, integral floats (turned into ints, as JCS
    prints them) and floats whose Python ``repr`` is also their ECMAScript form
    (finite, 1e-4 <= |x| < 1e16: no exponent in either). Anything else takes the
    general path; a property test proves both paths give the same bytes. A
    container is copied only when something inside it changed."""
    t = type(value)
    if t is dict:
        return _fast_dict(value, depth) if depth <= 256 else _NOT_FAST
    if t is list:
        return _fast_list(value, depth) if depth <= 256 else _NOT_FAST
    if t is str or t is bool or value is None:
        return value
    if t is int:
        return value if -_SAFE_INT <= value <= _SAFE_INT else _NOT_FAST
    if t is float:
        if not math.isfinite(value):
            return _NOT_FAST
        if value.is_integer():
            return int(value) if abs(value) <= _SAFE_INT else _NOT_FAST
        return value if 1e-4 <= abs(value) < 1e16 else _NOT_FAST
    return _NOT_FAST


def _fast_dict(value: dict[Any, Any], depth: int) -> Any:
    out: dict[str, Any] | None = None
    for k, v in value.items():
        if type(k) is not str or (not k.isascii() and max(k) > "\uffff"):
            return _NOT_FAST
        f = _fast_form(v, depth + 1)
        if f is _NOT_FAST:
            return _NOT_FAST
        if f is not v:
            if out is None:
                out = dict(value)
            out[k] = f
    return value if out is None else out


def _fast_list(value: list[Any], depth: int) -> Any:
    items: list[Any] | None = None
    for i, v in enumerate(value):
        f = _fast_form(v, depth + 1)
        if f is _NOT_FAST:
            return _NOT_FAST
        if f is not v:
            if items is None:
                items = list(value)
            items[i] = f
    return value if items is None else items


def canonical_json(value: Any) -> bytes:
    """RFC 8785 canonical UTF-8 bytes of a JSON value (as parsed by ``json.loads``)."""
    fast = _fast_form(value)
    if fast is not _NOT_FAST:
        try:
            return json.dumps(fast, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        except UnicodeEncodeError:
            pass  # a lone surrogate: let the general path decide
    try:
        return bytes(rfc8785.dumps(_to_ijson(value)))
    except CanonicalizationError:
        raise
    except (OverflowError, ValueError, TypeError, rfc8785.CanonicalizationError) as exc:
        raise CanonicalizationError(str(exc) or type(exc).__name__) from exc


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tool_sha256(tool: Mapping[str, Any]) -> str:
    """SHA-256 of one tool object exactly as the server sent it (wire form, camelCase)."""
    return _sha256(canonical_json(tool))


def _utf16_key(name: str) -> bytes:
    # JCS orders object keys by UTF-16 code units; we order tool names the same way,
    # so a JavaScript `a.name < b.name` sort gives the same manifest.
    return name.encode("utf-16-be")


def _keyed(tools: Iterable[Mapping[str, Any]]) -> list[tuple[bytes, bytes, Mapping[str, Any]]]:
    keyed = [(_utf16_key(str(t.get("name", ""))), canonical_json(t), t) for t in tools]
    keyed.sort(key=lambda item: (item[0], item[1]))
    return keyed


def sort_tools(tools: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Tools sorted by ``name`` (UTF-16 code units); ties, which a valid server never
    sends, fall back to the canonical bytes so the order is still total."""
    return [t for _, _, t in _keyed(tools)]


def manifest_sha256(tools: Sequence[Mapping[str, Any]]) -> str:
    """SHA-256 of the JCS canonical JSON of the array of tools sorted by name."""
    # The JCS form of an array is "[" + its members' JCS forms joined by "," + "]",
    # so each tool is canonicalised once, for sorting and for the array alike.
    return _sha256(b"[" + b",".join(c for _, c, _ in _keyed(tools)) + b"]")


def tool_hashes(tools: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """``{name: sha256}`` for every tool; names are assumed unique (the scanner enforces it)."""
    return {str(t.get("name", "")): tool_sha256(t) for t in tools}
