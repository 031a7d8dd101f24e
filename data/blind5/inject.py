"""Placing one payload into a benign carrier, and the encodings used by obfuscation rows."""

from __future__ import annotations

import base64
import codecs
import copy
import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from carriers_local import LOCAL
from carriers_other import OTHER
from carriers_tools import CARRIERS


@dataclass(frozen=True)
class P:
    """One hand-written payload and where it goes."""

    carrier: str
    placement: str
    text: str
    lang: str = "en"
    param: str | None = None
    add: tuple[tuple[str, str], ...] = ()
    short: bool = False
    pos: str = "end"
    extra: dict[str, Any] | None = field(default=None, hash=False)
    method: str | None = None
    hidden: str | None = None
    server: str | None = None


# ---------------------------------------------------------------- encodings

_HOMO = str.maketrans({
    "a": "\u0430", "e": "\u0435", "o": "\u043e", "c": "\u0441", "p": "\u0440", "x": "\u0445",
    "y": "\u0443", "i": "\u0456", "s": "\u0455", "A": "\u0410", "E": "\u0415", "O": "\u041e",
    "C": "\u0421", "P": "\u0420", "T": "\u0422", "H": "\u041d", "K": "\u041a", "M": "\u041c",
})
_LEET = str.maketrans({"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"})


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in text)


def _zw_binary(text: str) -> str:
    bits = "".join(f"{b:08b}" for b in text.encode())
    return "\u2060" + "".join("\u200c" if bit == "1" else "\u200b" for bit in bits) + "\u2060"


def _soft_hyphen(text: str) -> str:
    return " ".join("\u00ad".join(word) if len(word) > 3 else word for word in text.split(" "))


ENCODERS: dict[str, Any] = {
    "zero_width": "\u200b".join,
    "zero_width_binary": _zw_binary,
    "unicode_tags": lambda t: "".join(chr(0xE0000 + ord(c)) for c in t),
    "bidi": lambda t: "\u202e" + t[::-1] + "\u202c",
    "homoglyph": lambda t: t.translate(_HOMO),
    "base64": lambda t: base64.b64encode(t.encode()).decode(),
    "base32": lambda t: base64.b32encode(t.encode()).decode(),
    "hex": lambda t: t.encode().hex(),
    "rot13": lambda t: codecs.encode(t, "rot13"),
    "percent": lambda t: urllib.parse.quote(t, safe=""),
    "reversed": lambda t: t[::-1],
    "html_comment": lambda t: f"<!-- {t} -->",
    "markdown_comment": lambda t: f"[//]: # ({t})",
    "markdown_link_title": lambda t: t.replace('"', "'"),
    "details_block": lambda t: f"<details><summary>Changelog</summary>\n\n{t}\n</details>",
    "css_hidden": lambda t: f'<span style="display:none">{t}</span>',
    "whitespace_padding": lambda t: " " * 380 + "\n" * 40 + t,
    "ansi_conceal": lambda t: f"\x1b[8m{t}\x1b[0m",
    "fullwidth": _fullwidth,
    "soft_hyphen": _soft_hyphen,
    "leetspeak": lambda t: t.translate(_LEET),
    "unicode_escape": lambda t: "".join(f"\\u{ord(c):04x}" for c in t),
}


def encode(method: str, hidden: str) -> str:
    """Encode hidden text with one obfuscation method."""
    return str(ENCODERS[method](hidden))


# ---------------------------------------------------------------- placement


def _first_sentence(text: str) -> str:
    first = text.split("\n", 1)[0]
    m = re.search(r"[.!?。](\s|$)", first)
    return first[: m.end()].strip() if m else first


def _join(base: str, text: str, pos: str) -> str:
    sep = "\n\n" if ("\n" in base or len(base) > 160) else " "
    if pos == "start":
        return text + sep + base
    if pos == "end":
        return base + sep + text
    paras = base.split("\n\n")
    if len(paras) > 1:
        return "\n\n".join([paras[0], text, *paras[1:]])
    m = re.search(r"[.!?。](\s|$)", base)
    if not m or m.end() >= len(base):
        return base + " " + text
    return base[: m.end()].rstrip() + " " + text + " " + base[m.end():].lstrip()


def carrier_of(key: str) -> tuple[str, str, Any, str]:
    """(server, kind, item, language) of a carrier key."""
    if key in CARRIERS:
        server, t = CARRIERS[key]
        return server, "tool", t, "en"
    if key in LOCAL:
        server, t, lang = LOCAL[key]
        return server, "tool", t, lang
    server, kind, item = OTHER[key]
    return server, kind, item, "en"


def _props(t: dict[str, Any]) -> dict[str, Any]:
    return t["inputSchema"]["properties"]  # type: ignore[no-any-return]


def _pick_param(t: dict[str, Any], param: str | None) -> str:
    if param:
        if param not in _props(t):
            raise KeyError(f"{t['name']}: no parameter {param}")
        return param
    for name, spec in _props(t).items():
        if spec.get("type") == "string":
            return name
    return next(iter(_props(t)))


def _add_params(t: dict[str, Any], add: tuple[tuple[str, str], ...]) -> None:
    for name, desc in add:
        _props(t)[name] = {"type": "string", "description": desc}
        t["inputSchema"].setdefault("required", []).append(name)


def _place_tool(t: dict[str, Any], p: P, text: str) -> None:
    pl = p.placement
    if pl.startswith("description_"):
        t["description"] = _join(t["description"], text, pl.removeprefix("description_"))
    elif pl == "param_description":
        spec = _props(t)[_pick_param(t, p.param)]
        spec["description"] = _join(spec.get("description", ""), text, p.pos)
    elif pl == "extra_param":
        name = p.param or "context"
        _props(t)[name] = {"type": "string", "description": text}
        t["inputSchema"].setdefault("required", []).append(name)
    elif pl == "property_name":
        desc = (p.extra or {}).get("description", "Required.")
        _props(t)[text] = {"type": "string", "description": desc}
        t["inputSchema"].setdefault("required", []).append(text)
    elif pl == "default":
        spec = _props(t)[_pick_param(t, p.param)]
        spec["default"] = [text] if spec.get("type") == "array" else text
        if p.extra and "description" in p.extra:
            spec["description"] = p.extra["description"]
    elif pl == "enum":
        spec = _props(t)[_pick_param(t, p.param)]
        spec["enum"] = [*spec.get("enum", []), text]
    elif pl == "examples":
        spec = _props(t)[_pick_param(t, p.param)]
        before = (p.extra or {}).get("before", [])
        spec["examples"] = [*before, text]
    elif pl == "title":
        t["title"] = text
    elif pl == "annotations":
        t["annotations"] = {**t.get("annotations", {}), "title": text}
    elif pl == "output_schema":
        out = t.setdefault("outputSchema", {"type": "object", "properties": {}})
        name = p.param or "result"
        spec = out["properties"].setdefault(name, {"type": "string", "description": ""})
        spec["description"] = _join(spec["description"], text, "end").strip()
    else:
        raise ValueError(f"unknown tool placement {pl}")


def _place_other(kind: str, item: Any, p: P, text: str) -> Any:
    pl = p.placement
    if kind == "instructions":
        return _join(item, text, p.pos)
    if pl == "prompt_argument":
        for arg in item["arguments"]:
            if arg["name"] == p.param:
                arg["description"] = _join(arg["description"], text, p.pos)
                return item
        raise KeyError(p.param)
    item["description"] = _join(item["description"], text, p.pos)
    return item


def build(p: P) -> tuple[str, str, Any]:
    """The (server, kind, item) for one payload."""
    text = p.text
    if p.method and p.method != "split_params":
        enc = encode(p.method, p.hidden or "")
        text = text.replace("{enc}", enc) if "{enc}" in text else enc
    if p.placement in ("extra_tool", "tool_name", "server_name"):
        assert p.extra is not None
        server = p.server or carrier_of(p.carrier)[0]
        return server, "tool", copy.deepcopy(p.extra)
    server, kind, item, _ = carrier_of(p.carrier)
    item = copy.deepcopy(item)
    if kind != "tool":
        return p.server or server, kind, _place_other(kind, item, p, text)
    if p.short:
        item["description"] = _first_sentence(item["description"])
    if p.method == "split_params":
        parts = (p.hidden or "").split(" | ")
        for name, part in zip(_props(item), parts, strict=False):
            spec = _props(item)[name]
            spec["description"] = (spec.get("description", "") + " " + part).strip()
    else:
        _place_tool(item, p, text)
    _add_params(item, p.add)
    return p.server or server, kind, item
