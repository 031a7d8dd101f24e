"""Does a URI fall under a listed resource template (RFC 6570)?

``resources/read`` of a URI the server lists neither as a resource nor under one of its
templates is refused, so the proxy needs to know which URIs a template covers. The
match is deliberately generous (an expression may match the empty string; reserved
``{+x}`` and fragment ``{#x}`` expansions match anything), because a template the
registry approved vouches for the URIs it names; a URI outside every template is never
forwarded.

Templates come from the server, so the match runs in time linear in the URI times the
template (a set of positions advanced character by character), never backtracking.
"""

from __future__ import annotations

from collections.abc import Callable

MAX_TEMPLATE = 2048
MAX_URI = 16 * 1024

Token = str | Callable[[str], bool]  # a literal character, or what one expression may hold


def _simple(ch: str) -> bool:
    return ch not in "/?#"


def _path(ch: str) -> bool:
    return ch not in "?#"


def _query(ch: str) -> bool:
    return ch != "#"


def _anything(ch: str) -> bool:
    return True


# RFC 6570 operator -> the characters its expansion may contain
_OPERATORS: dict[str, Callable[[str], bool]] = {
    "+": _anything, "#": _anything, "/": _path, "?": _query, "&": _query, ".": _simple, ";": _simple,
}


def compile_template(template: str) -> tuple[Token, ...] | None:
    """The template as tokens; None for one that is too long or malformed (it matches nothing)."""
    if len(template) > MAX_TEMPLATE:
        return None
    tokens: list[Token] = []
    i = 0
    while i < len(template):
        ch = template[i]
        if ch == "}":
            return None
        if ch != "{":
            tokens.append(ch)
            i += 1
            continue
        end = template.find("}", i)
        if end < 0 or end == i + 1:
            return None
        tokens.append(_OPERATORS.get(template[i + 1], _simple))
        i = end + 1
    return tuple(tokens)


def matches(tokens: tuple[Token, ...], uri: str) -> bool:
    """Whether ``uri`` is one of the URIs the compiled template names."""
    if len(uri) > MAX_URI:
        return False
    states = _closure(tokens, {0})
    for ch in uri:
        advanced: set[int] = set()
        for i in states:
            if i == len(tokens):
                continue
            token = tokens[i]
            if isinstance(token, str):
                if token == ch:
                    advanced.add(i + 1)
            elif token(ch):
                advanced.add(i)  # an expression goes on matching
        states = _closure(tokens, advanced)
        if not states:
            return False
    return len(tokens) in states


def _closure(tokens: tuple[Token, ...], states: set[int]) -> set[int]:
    """Add the positions reachable by letting expressions match nothing more."""
    out = set(states)
    todo = list(states)
    while todo:
        i = todo.pop()
        if i < len(tokens) and not isinstance(tokens[i], str) and i + 1 not in out:
            out.add(i + 1)
            todo.append(i + 1)
    return out
