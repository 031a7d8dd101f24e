"""Pure diff of two surfaces: what a reviewer reads when a server drifts.

``diff_surfaces(old, new)`` compares everything an agent reads: the tools, prompts,
resources and resource templates (each list keyed by its ``name``, ``uri`` or
``uriTemplate``) and the server's instructions. For every list it reports added,
removed and renamed items (a rename keeps the body, everything but the key,
byte-identical in canonical form) and, for each changed item, every changed field as
a JSON path relative to the item with a readable unified diff. ``diff_reports`` does
the same for two ``ScanReport``s (the registry's stored scans), and ``diff_manifests``
compares tools alone. Comparison is on canonical JSON, so ``1`` and ``1.0`` are equal
(as they are to the hash) and ``true`` and ``1`` are not. Every hash comes from
``scanner.contract``.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import msgspec

from scanner.contract.decide import instructions_sha256
from scanner.contract.hashing import canonical_json
from scanner.contract.surface import ItemKind, Surface, item_key, item_sha256, list_sha256, surface_sha256
from scanner.models import ScanReport

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class FieldChange(msgspec.Struct, frozen=True, kw_only=True):
    """One changed field of an item, at a JSON path relative to the item."""

    path: str  # e.g. $.inputSchema.properties.note or $.arguments[0].description
    kind: Literal["added", "removed", "changed"]
    old: Any = None
    new: Any = None
    diff: str = ""  # unified diff of the old and new text (strings) or pretty JSON


class ToolChange(msgspec.Struct, frozen=True, kw_only=True):
    """A tool whose hash changed, and its changed fields."""

    name: str
    old_sha256: str
    new_sha256: str
    fields: list[FieldChange]


class Rename(msgspec.Struct, frozen=True, kw_only=True):
    """An item listed under a new key with the same body."""

    old_name: str
    new_name: str
    old_sha256: str
    new_sha256: str


class ManifestDiff(msgspec.Struct, frozen=True, kw_only=True):
    """Two tool lists compared (``mcp-trust diff`` before it compared whole surfaces)."""

    old_manifest_sha256: str
    new_manifest_sha256: str
    identical: bool
    added: list[str]
    removed: list[str]
    renamed: list[Rename]
    changed: list[ToolChange]
    unchanged: list[str]


class ItemChange(msgspec.Struct, frozen=True, kw_only=True):
    """A prompt, resource or resource template whose hash changed, and its changed fields."""

    key: str
    old_sha256: str
    new_sha256: str
    fields: list[FieldChange]


class ItemsDiff(msgspec.Struct, frozen=True, kw_only=True):
    """One list beyond the tools compared, keyed by ``name``, ``uri`` or ``uriTemplate``."""

    kind: ItemKind
    old_sha256: str  # the list's own hash (sorted by key), so "nothing changed" is one check
    new_sha256: str
    added: list[str] = msgspec.field(default_factory=list)
    removed: list[str] = msgspec.field(default_factory=list)
    renamed: list[Rename] = msgspec.field(default_factory=list)
    changed: list[ItemChange] = msgspec.field(default_factory=list)
    unchanged: list[str] = msgspec.field(default_factory=list)

    @property
    def identical(self) -> bool:
        return self.old_sha256 == self.new_sha256


class InstructionsChange(msgspec.Struct, frozen=True, kw_only=True):
    """The server's ``instructions`` changed (``None``: it gave none)."""

    old: str | None
    new: str | None
    old_sha256: str
    new_sha256: str
    diff: str


class Change(msgspec.Struct, frozen=True, kw_only=True):
    """One line of what changed, for alerts: which item, how, and the changed paths."""

    kind: ItemKind | Literal["instructions"]
    key: str  # the item's key ("" for the instructions)
    change: Literal["added", "removed", "renamed", "changed"]
    paths: list[str] = msgspec.field(default_factory=list)  # changed fields; a rename: [old key]


class SurfaceDiff(msgspec.Struct, frozen=True, kw_only=True):
    """Two surfaces compared. The tools' fields sit at the top level, as in the tools-only
    diff of earlier releases; ``identical`` is about the whole surface."""

    old_manifest_sha256: str
    new_manifest_sha256: str
    old_surface_sha256: str
    new_surface_sha256: str
    identical: bool
    added: list[str]
    removed: list[str]
    renamed: list[Rename]
    changed: list[ToolChange]
    unchanged: list[str]
    instructions: InstructionsChange | None
    prompts: ItemsDiff
    resources: ItemsDiff
    resource_templates: ItemsDiff

    def items(self, kind: ItemKind) -> ItemsDiff:
        """The diff of one list beyond the tools."""
        if kind is ItemKind.TOOL:
            raise ValueError("the tools' diff is the top-level fields")
        diff: ItemsDiff = getattr(self, kind.value)
        return diff

    def changes(self) -> list[Change]:
        """Every change, one per item (tools first, then prompts, resources, templates,
        then the instructions): what an alert lists."""
        out = [Change(kind=ItemKind.TOOL, key=n, change="added") for n in self.added]
        out += [Change(kind=ItemKind.TOOL, key=n, change="removed") for n in self.removed]
        out += [Change(kind=ItemKind.TOOL, key=r.new_name, change="renamed", paths=[r.old_name]) for r in self.renamed]
        out += [
            Change(kind=ItemKind.TOOL, key=c.name, change="changed", paths=[f.path for f in c.fields])
            for c in self.changed
        ]
        for d in (self.prompts, self.resources, self.resource_templates):
            out += [Change(kind=d.kind, key=k, change="added") for k in d.added]
            out += [Change(kind=d.kind, key=k, change="removed") for k in d.removed]
            out += [Change(kind=d.kind, key=r.new_name, change="renamed", paths=[r.old_name]) for r in d.renamed]
            out += [
                Change(kind=d.kind, key=c.key, change="changed", paths=[f.path for f in c.fields]) for c in d.changed
            ]
        if self.instructions is not None:
            out.append(Change(kind="instructions", key="", change="changed", paths=["$.instructions"]))
        return out


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


class _ListDiff(msgspec.Struct, frozen=True, kw_only=True):
    added: list[str]
    removed: list[str]
    renamed: list[Rename]
    changed: list[tuple[str, str, str, list[FieldChange]]]  # key, old sha, new sha, fields
    unchanged: list[str]


def _by_key(kind: ItemKind, items: Sequence[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    return {item_key(kind, i): i for i in items}


def _body(kind: ItemKind, item: Mapping[str, Any]) -> bytes:
    return canonical_json({k: v for k, v in item.items() if k != kind.key})


def _diff_list(
    kind: ItemKind, old_items: Sequence[Mapping[str, Any]], new_items: Sequence[Mapping[str, Any]]
) -> _ListDiff:
    old, new = _by_key(kind, old_items), _by_key(kind, new_items)
    removed = sorted(set(old) - set(new))
    added = sorted(set(new) - set(old))
    renamed: list[Rename] = []
    bodies: dict[bytes, list[str]] = {}
    for key in removed:
        bodies.setdefault(_body(kind, old[key]), []).append(key)
    for key in list(added):
        candidates = bodies.get(_body(kind, new[key]))
        if candidates:
            was = candidates.pop(0)
            renamed.append(
                Rename(old_name=was, new_name=key, old_sha256=item_sha256(old[was]), new_sha256=item_sha256(new[key]))
            )
            added.remove(key)
            removed.remove(was)
    changed: list[tuple[str, str, str, list[FieldChange]]] = []
    unchanged: list[str] = []
    for key in sorted(set(old) & set(new)):
        a, b = item_sha256(old[key]), item_sha256(new[key])
        if a == b:
            unchanged.append(key)
        else:
            changed.append((key, a, b, field_changes(old[key], new[key])))
    return _ListDiff(added=added, removed=removed, renamed=renamed, changed=changed, unchanged=unchanged)


def diff_manifests(old_tools: Sequence[Mapping[str, Any]], new_tools: Sequence[Mapping[str, Any]]) -> ManifestDiff:
    """The tools alone: added, removed, renamed and changed tools, field by field."""
    d = _diff_list(ItemKind.TOOL, old_tools, new_tools)
    old_m, new_m = list_sha256(ItemKind.TOOL, old_tools), list_sha256(ItemKind.TOOL, new_tools)
    return ManifestDiff(
        old_manifest_sha256=old_m,
        new_manifest_sha256=new_m,
        identical=old_m == new_m,
        added=d.added,
        removed=d.removed,
        renamed=d.renamed,
        changed=[ToolChange(name=k, old_sha256=a, new_sha256=b, fields=f) for k, a, b, f in d.changed],
        unchanged=d.unchanged,
    )


def _diff_items(kind: ItemKind, old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]) -> ItemsDiff:
    d = _diff_list(kind, old, new)
    return ItemsDiff(
        kind=kind,
        old_sha256=list_sha256(kind, old),
        new_sha256=list_sha256(kind, new),
        added=d.added,
        removed=d.removed,
        renamed=d.renamed,
        changed=[ItemChange(key=k, old_sha256=a, new_sha256=b, fields=f) for k, a, b, f in d.changed],
        unchanged=d.unchanged,
    )


def _diff_instructions(old: str | None, new: str | None) -> InstructionsChange | None:
    a, b = instructions_sha256(old), instructions_sha256(new)
    if a == b:
        return None
    diff = _text_diff(old, new, "$.instructions")
    return InstructionsChange(old=old, new=new, old_sha256=a, new_sha256=b, diff=diff)


def diff_surfaces(old: Surface, new: Surface) -> SurfaceDiff:
    """Everything an agent reads, compared: the registry's drift alerts and side-by-side
    review page call this (``SurfaceDiff.changes()`` is the alert's list)."""
    tools = diff_manifests(old.tools, new.tools)
    old_s, new_s = surface_sha256(old), surface_sha256(new)
    return SurfaceDiff(
        old_manifest_sha256=tools.old_manifest_sha256,
        new_manifest_sha256=tools.new_manifest_sha256,
        old_surface_sha256=old_s,
        new_surface_sha256=new_s,
        identical=old_s == new_s,
        added=tools.added,
        removed=tools.removed,
        renamed=tools.renamed,
        changed=tools.changed,
        unchanged=tools.unchanged,
        instructions=_diff_instructions(old.instructions, new.instructions),
        prompts=_diff_items(ItemKind.PROMPT, old.prompts, new.prompts),
        resources=_diff_items(ItemKind.RESOURCE, old.resources, new.resources),
        resource_templates=_diff_items(ItemKind.RESOURCE_TEMPLATE, old.resource_templates, new.resource_templates),
    )


def diff_reports(old: ScanReport, new: ScanReport) -> SurfaceDiff:
    """Two scans compared (reports of any schema version: each carries its lists)."""
    return diff_surfaces(old.surface(), new.surface())


def render_diff(d: ManifestDiff | SurfaceDiff) -> str:
    """The reviewer's view: the pins, one line per changed item, then each changed field as a diff."""
    lines = [f"old manifest  {d.old_manifest_sha256}", f"new manifest  {d.new_manifest_sha256}"]
    if isinstance(d, SurfaceDiff):
        lines += [f"old surface   {d.old_surface_sha256}", f"new surface   {d.new_surface_sha256}"]
    if d.identical:
        what = "item" if isinstance(d, SurfaceDiff) else "tool"
        return "\n".join([*lines, f"identical: no {what} was added, removed or changed"]) + "\n"
    lines += _summary("tool", d.added, d.removed, d.renamed, [(c.name, c.fields) for c in d.changed])
    lists = [d.prompts, d.resources, d.resource_templates] if isinstance(d, SurfaceDiff) else []
    for items in lists:
        changed = [(c.key, c.fields) for c in items.changed]
        lines += _summary(items.kind.singular, items.added, items.removed, items.renamed, changed)
    if isinstance(d, SurfaceDiff) and d.instructions is not None:
        lines.append("~ changed  instructions")
    for c in d.changed:
        lines += _details(c.name, c.old_sha256, c.new_sha256, c.fields)
    for items in lists:
        for ic in items.changed:
            lines += _details(f"{items.kind.singular} {ic.key}", ic.old_sha256, ic.new_sha256, ic.fields)
    if isinstance(d, SurfaceDiff) and d.instructions is not None:
        i = d.instructions
        lines += ["", f"== instructions  {i.old_sha256[:12]} -> {i.new_sha256[:12]}", i.diff]
    counts = "".join(f", {len(x.unchanged)} {x.kind.singular}(s)" for x in lists)
    lines.append(f"\nunchanged: {len(d.unchanged)} tool(s){counts}")
    return "\n".join(lines) + "\n"


def _summary(
    kind: str,
    added: list[str],
    removed: list[str],
    renamed: list[Rename],
    changed: list[tuple[str, list[FieldChange]]],
) -> list[str]:
    # tools keep the line format of the tools-only diff ("+ added    name")
    label = "" if kind == "tool" else f"{kind} "
    lines = [f"+ added    {label}{n}" for n in added]
    lines += [f"- removed  {label}{n}" for n in removed]
    lines += [f"~ renamed  {label}{r.old_name} -> {r.new_name} (same body)" for r in renamed]
    lines += [f"~ changed  {label}{key}: " + ", ".join(f.path for f in fields) for key, fields in changed]
    return lines


def _details(what: str, old_sha: str, new_sha: str, fields: list[FieldChange]) -> list[str]:
    lines = ["", f"== {what}  {old_sha[:12]} -> {new_sha[:12]}"]
    for f in fields:
        lines += [f"-- {f.kind} {f.path}", f.diff]
    return lines
