"""Pure diff of two tool manifests: what a reviewer reads when a server drifts.

``diff_manifests(old_tools, new_tools)`` reports added, removed and renamed
tools (a rename keeps the body, everything but ``name``, byte-identical in
canonical form) and, for each changed tool, every changed field as a JSON path
with a readable unified diff. Comparison is on canonical JSON, so ``1`` and
``1.0`` are equal (as they are to the hash) and ``true`` and ``1`` are not.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import msgspec

from scanner.hashing import canonical_json, manifest_sha256, tool_sha256

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class FieldChange(msgspec.Struct, frozen=True, kw_only=True):
    path: str  # JSON path relative to the tool, e.g. $.inputSchema.properties.note
    kind: Literal["added", "removed", "changed"]
    old: Any = None
    new: Any = None
    diff: str = ""  # unified diff of the old and new text (strings) or pretty JSON


class ToolChange(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    old_sha256: str
    new_sha256: str
    fields: list[FieldChange]


class Rename(msgspec.Struct, frozen=True, kw_only=True):
    old_name: str
    new_name: str
    old_sha256: str
    new_sha256: str


class ManifestDiff(msgspec.Struct, frozen=True, kw_only=True):
    old_manifest_sha256: str
    new_manifest_sha256: str
    identical: bool
    added: list[str]
    removed: list[str]
    renamed: list[Rename]
    changed: list[ToolChange]
    unchanged: list[str]


def json_path(parent: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    if _IDENT.match(key):
        return f"{parent}.{key}"
    return f"{parent}[{json.dumps(key, ensure_ascii=False)}]"


def _same(a: Any, b: Any) -> bool:
    return canonical_json(a) == canonical_json(b)


def _text_diff(old: Any, new: Any, path: str) -> str:
    def lines(v: Any) -> list[str]:
        if isinstance(v, str):
            return v.splitlines() or [""]
        return json.dumps(v, indent=2, sort_keys=True, ensure_ascii=False).splitlines()

    out = difflib.unified_diff(
        [] if old is None else lines(old),
        [] if new is None else lines(new),
        fromfile=f"old {path}",
        tofile=f"new {path}",
        lineterm="",
    )
    return "\n".join(out)


def field_changes(old: Any, new: Any, path: str = "$") -> list[FieldChange]:
    """Every differing leaf (or subtree whose shape changed) between two JSON values."""
    if _same(old, new):
        return []
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        out: list[FieldChange] = []
        for key in sorted(set(old) | set(new), key=lambda k: k.encode("utf-16-be")):
            p = json_path(path, key)
            if key not in old:
                out.append(FieldChange(path=p, kind="added", new=new[key], diff=_text_diff(None, new[key], p)))
            elif key not in new:
                out.append(FieldChange(path=p, kind="removed", old=old[key], diff=_text_diff(old[key], None, p)))
            else:
                out += field_changes(old[key], new[key], p)
        return out
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        pairs = enumerate(zip(old, new, strict=True))
        return [c for i, (a, b) in pairs for c in field_changes(a, b, json_path(path, i))]
    return [FieldChange(path=path, kind="changed", old=old, new=new, diff=_text_diff(old, new, path))]


def _by_name(tools: Sequence[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    return {str(t.get("name", "")): t for t in tools}


def _body(tool: Mapping[str, Any]) -> bytes:
    return canonical_json({k: v for k, v in tool.items() if k != "name"})


def diff_manifests(old_tools: Sequence[Mapping[str, Any]], new_tools: Sequence[Mapping[str, Any]]) -> ManifestDiff:
    old, new = _by_name(old_tools), _by_name(new_tools)
    removed = sorted(set(old) - set(new))
    added = sorted(set(new) - set(old))
    renamed: list[Rename] = []
    bodies: dict[bytes, list[str]] = {}
    for name in removed:
        bodies.setdefault(_body(old[name]), []).append(name)
    for name in list(added):
        candidates = bodies.get(_body(new[name]))
        if candidates:
            was = candidates.pop(0)
            renamed.append(
                Rename(old_name=was, new_name=name, old_sha256=tool_sha256(old[was]), new_sha256=tool_sha256(new[name]))
            )
            added.remove(name)
            removed.remove(was)
    changed: list[ToolChange] = []
    unchanged: list[str] = []
    for name in sorted(set(old) & set(new)):
        a, b = tool_sha256(old[name]), tool_sha256(new[name])
        if a == b:
            unchanged.append(name)
        else:
            changed.append(
                ToolChange(name=name, old_sha256=a, new_sha256=b, fields=field_changes(old[name], new[name]))
            )
    old_m, new_m = manifest_sha256(list(old_tools)), manifest_sha256(list(new_tools))
    return ManifestDiff(
        old_manifest_sha256=old_m,
        new_manifest_sha256=new_m,
        identical=old_m == new_m,
        added=added,
        removed=removed,
        renamed=renamed,
        changed=changed,
        unchanged=unchanged,
    )


def render_diff(d: ManifestDiff) -> str:
    """The reviewer's view: one line per tool, then each changed field as a diff."""
    lines = [f"old manifest  {d.old_manifest_sha256}", f"new manifest  {d.new_manifest_sha256}"]
    if d.identical:
        return "\n".join([*lines, "identical: no tool was added, removed or changed"]) + "\n"
    lines += [f"+ added    {n}" for n in d.added]
    lines += [f"- removed  {n}" for n in d.removed]
    lines += [f"~ renamed  {r.old_name} -> {r.new_name} (same body)" for r in d.renamed]
    for c in d.changed:
        lines.append(f"~ changed  {c.name}: " + ", ".join(f.path for f in c.fields))
    for c in d.changed:
        lines.append("")
        lines.append(f"== {c.name}  {c.old_sha256[:12]} -> {c.new_sha256[:12]}")
        for f in c.fields:
            lines.append(f"-- {f.kind} {f.path}")
            lines.append(f.diff)
    lines.append(f"\nunchanged: {len(d.unchanged)} tool(s)")
    return "\n".join(lines) + "\n"
