"""Side-by-side diff of everything an agent reads against its approved version, for the
server page: each changed tool, prompt, resource and resource template, and the server's
instructions.

Both versions are pretty-printed as sorted JSON (so a key moved in the wire form
does not show as a change) and compared line by line; inside a changed line the
exact characters that differ are marked, and invisible characters are made visible
because a rug pull often hides in them.
"""

from __future__ import annotations

import difflib
import json
from typing import Any

import msgspec
from markupsafe import Markup

from registry.services.surface_pins import decode_report
from registry.web.highlight import visible
from scanner.contract.surface import ItemKind, Surface, item_key
from scanner.diff import ItemsDiff, diff_manifests, diff_surfaces


class DiffRow(msgspec.Struct, frozen=True, kw_only=True):
    kind: str  # equal | replace | delete | insert
    left_no: int | None
    left: Markup
    right_no: int | None
    right: Markup


class ToolDiff(msgspec.Struct, frozen=True, kw_only=True):
    """One changed item laid out side by side (a tool, prompt, resource, template or the instructions)."""

    name: str
    change: str  # changed | added | removed | renamed from NAME
    rows: list[DiffRow]
    fields: list[str] = msgspec.field(default_factory=list)  # JSON paths that changed
    kind: str = "tool"  # a person's word for the item: tool | prompt | resource | resource template | instructions


def pretty(tool: dict[str, Any] | None) -> list[str]:
    if tool is None:
        return []
    return json.dumps(tool, indent=2, sort_keys=True, ensure_ascii=False).splitlines()


def _intraline(old: str, new: str) -> tuple[Markup, Markup]:
    left: list[str] = []
    right: list[str] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        a, b = visible(old[i1:i2]), visible(new[j1:j2])
        if op == "equal":
            left.append(a)
            right.append(b)
            continue
        if i2 > i1:
            left.append(Markup('<del class="chg">{}</del>').format(a))
        if j2 > j1:
            right.append(Markup('<ins class="chg">{}</ins>').format(b))
    return Markup("").join(left), Markup("").join(right)


def _replace_rows(old: list[str], new: list[str], i1: int, j1: int) -> list[DiffRow]:
    rows = []
    for k in range(max(len(old), len(new))):
        a = old[k] if k < len(old) else None
        b = new[k] if k < len(new) else None
        if a is not None and b is not None:
            la, rb = _intraline(a, b)
            rows.append(DiffRow(kind="replace", left_no=i1 + k + 1, left=la, right_no=j1 + k + 1, right=rb))
        elif a is not None:
            rows.append(DiffRow(kind="delete", left_no=i1 + k + 1, left=visible(a), right_no=None, right=Markup("")))
        elif b is not None:
            rows.append(DiffRow(kind="insert", left_no=None, left=Markup(""), right_no=j1 + k + 1, right=visible(b)))
    return rows


def side_by_side(old: list[str], new: list[str], context: int = 3) -> list[DiffRow]:
    """Rows for a two-column table; long unchanged stretches are cut to ``context``
    lines around each change (a row of kind ``skip`` stands for the cut)."""
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        if rows:
            rows.append(DiffRow(kind="skip", left_no=None, left=Markup("…"), right_no=None, right=Markup("…")))
        for op, i1, i2, j1, j2 in group:
            if op == "equal":
                rows.extend(
                    DiffRow(
                        kind="equal",
                        left_no=i1 + k + 1,
                        left=visible(old[i1 + k]),
                        right_no=j1 + k + 1,
                        right=visible(new[j1 + k]),
                    )
                    for k in range(i2 - i1)
                )
            else:
                rows.extend(_replace_rows(old[i1:i2], new[j1:j2], i1, j1))
    return rows


def tool_diffs(approved: list[dict[str, Any]], current: list[dict[str, Any]]) -> list[ToolDiff]:
    """One diff per tool that was changed, added, removed or renamed. Which tools
    differ is decided by ``scanner.diff`` (canonical JSON, the same equality as the
    hashes); this module only lays each one out side by side."""
    d = diff_manifests(approved, current)
    before = {str(t.get("name")): t for t in approved}
    after = {str(t.get("name")): t for t in current}
    out = [
        ToolDiff(name=c.name, change="changed", fields=[f.path for f in c.fields],
                 rows=side_by_side(pretty(before[c.name]), pretty(after[c.name])))
        for c in d.changed
    ]  # fmt: skip
    out += [ToolDiff(name=n, change="added", rows=side_by_side([], pretty(after[n]))) for n in d.added]
    out += [ToolDiff(name=n, change="removed", rows=side_by_side(pretty(before[n]), [])) for n in d.removed]
    out += [
        ToolDiff(name=r.new_name, change=f"renamed from {r.old_name}", fields=["$.name"],
                 rows=side_by_side(pretty(before[r.old_name]), pretty(after[r.new_name])))
        for r in d.renamed
    ]  # fmt: skip
    return sorted(out, key=lambda t: t.name)


def _item_diffs(
    kind: ItemKind, d: ItemsDiff, approved: list[dict[str, Any]], current: list[dict[str, Any]]
) -> list[ToolDiff]:
    before = {item_key(kind, i): i for i in approved}
    after = {item_key(kind, i): i for i in current}
    word = kind.singular
    out = [
        ToolDiff(name=c.key, kind=word, change="changed", fields=[f.path for f in c.fields],
                 rows=side_by_side(pretty(before[c.key]), pretty(after[c.key])))
        for c in d.changed
    ]  # fmt: skip
    out += [ToolDiff(name=k, kind=word, change="added", rows=side_by_side([], pretty(after[k]))) for k in d.added]
    out += [ToolDiff(name=k, kind=word, change="removed", rows=side_by_side(pretty(before[k]), [])) for k in d.removed]
    out += [
        ToolDiff(name=r.new_name, kind=word, change=f"renamed from {r.old_name}", fields=[f"$.{kind.key}"],
                 rows=side_by_side(pretty(before[r.old_name]), pretty(after[r.new_name])))
        for r in d.renamed
    ]  # fmt: skip
    return sorted(out, key=lambda t: t.name)


def surface_diffs(approved: Surface, current: Surface) -> list[ToolDiff]:
    """One diff per changed item of every kind (tools first), then the instructions. Which
    items differ is decided by ``scanner.diff.diff_surfaces`` (the hashes' equality)."""
    d = diff_surfaces(approved, current)
    out = tool_diffs(approved.tools, current.tools)
    for kind in (ItemKind.PROMPT, ItemKind.RESOURCE, ItemKind.RESOURCE_TEMPLATE):
        out += _item_diffs(kind, d.items(kind), approved.items(kind), current.items(kind))
    if d.instructions is not None:
        old, new = (d.instructions.old or "").splitlines(), (d.instructions.new or "").splitlines()
        out.append(ToolDiff(name="instructions", kind="instructions", change="changed", fields=["$.instructions"],
                            rows=side_by_side(old, new)))  # fmt: skip
    return out


def surface_of(report: dict[str, Any] | None) -> Surface | None:
    """The surface a stored scan report read (``None``: no readable report)."""
    typed = decode_report(report)
    return typed.surface() if typed is not None else None
