"""Everything an agent reads from a server, and its hashes.

An item's hash is the SHA-256 of the JCS canonical JSON of the item exactly as its
list call returned it. ``surface_sha256`` pins the whole surface: the SHA-256 of the
canonical JSON of ``{"instructions", "prompts", "resource_templates", "resources",
"tools"}``, each list sorted by its key (``name``, ``name``, ``uriTemplate``,
``uri``) in UTF-16 code-unit order, ``[]`` for a list the server does not offer and
``null`` for absent instructions. ``manifest_sha256`` (the tools alone) keeps its
meaning. docs/hashing.md has a worked example.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import msgspec

from scanner.contract.hashing import canonical_json, manifest_sha256


class ItemKind(enum.StrEnum):
    """The kinds of listed item an agent reads, named as the surface object names its lists."""

    TOOL = "tools"
    PROMPT = "prompts"
    RESOURCE = "resources"
    RESOURCE_TEMPLATE = "resource_templates"

    @property
    def key(self) -> str:
        """The field that names an item of this kind (its identity within the server)."""
        return _KEY_FIELD[self]

    @property
    def singular(self) -> str:
        """A person's word for one item of this kind."""
        return _SINGULAR[self]


_KEY_FIELD = {
    ItemKind.TOOL: "name",
    ItemKind.PROMPT: "name",
    ItemKind.RESOURCE: "uri",
    ItemKind.RESOURCE_TEMPLATE: "uriTemplate",
}
_SINGULAR = {
    ItemKind.TOOL: "tool",
    ItemKind.PROMPT: "prompt",
    ItemKind.RESOURCE: "resource",
    ItemKind.RESOURCE_TEMPLATE: "resource template",
}
# The surface object's keys in JCS order (UTF-16 code units: "resource_templates" < "resources").
_SURFACE_ORDER = ("instructions", "prompts", "resource_templates", "resources", "tools")


class Surface(msgspec.Struct, frozen=True, kw_only=True):
    """The listed items in wire form (camelCase, exactly as sent) and the server's instructions."""

    instructions: str | None = None
    tools: list[dict[str, Any]] = msgspec.field(default_factory=list)
    prompts: list[dict[str, Any]] = msgspec.field(default_factory=list)
    resources: list[dict[str, Any]] = msgspec.field(default_factory=list)
    resource_templates: list[dict[str, Any]] = msgspec.field(default_factory=list)

    def items(self, kind: ItemKind) -> list[dict[str, Any]]:
        """The list of one kind."""
        return list(getattr(self, kind.value))


class SurfaceHashes(msgspec.Struct, frozen=True, kw_only=True):
    """Every hash of one surface: the two pins and each item's own hash, keyed by its name."""

    manifest_sha256: str
    surface_sha256: str
    tools: dict[str, str] = msgspec.field(default_factory=dict)
    prompts: dict[str, str] = msgspec.field(default_factory=dict)
    resources: dict[str, str] = msgspec.field(default_factory=dict)
    resource_templates: dict[str, str] = msgspec.field(default_factory=dict)

    def of(self, kind: ItemKind) -> dict[str, str]:
        """The item hashes of one kind."""
        hashes: dict[str, str] = getattr(self, kind.value)
        return hashes


def item_sha256(item: Mapping[str, Any]) -> str:
    """SHA-256 of one listed item exactly as the server sent it."""
    return hashlib.sha256(canonical_json(item)).hexdigest()


def item_key(kind: ItemKind, item: Mapping[str, Any]) -> str:
    """The item's identity within its list (``name``, ``uri`` or ``uriTemplate``)."""
    return str(item.get(kind.key, ""))


def _sorted_canonical(kind: ItemKind, items: Iterable[Mapping[str, Any]]) -> list[bytes]:
    keyed = [(item_key(kind, i).encode("utf-16-be"), canonical_json(i)) for i in items]
    keyed.sort()
    return [c for _, c in keyed]


def list_sha256(kind: ItemKind, items: Sequence[Mapping[str, Any]]) -> str:
    """SHA-256 of one list's canonical JSON, sorted by its key (for tools: ``manifest_sha256``)."""
    if kind is ItemKind.TOOL:
        return manifest_sha256(items)
    return hashlib.sha256(b"[" + b",".join(_sorted_canonical(kind, items)) + b"]").hexdigest()


def surface_canonical_json(surface: Surface) -> bytes:
    """The canonical JSON bytes ``surface_sha256`` is taken over."""
    parts = [b'"instructions":' + canonical_json(surface.instructions)]
    for name in _SURFACE_ORDER[1:]:
        items = _sorted_canonical(ItemKind(name), getattr(surface, name))
        parts.append(b'"' + name.encode() + b'":[' + b",".join(items) + b"]")
    return b"{" + b",".join(parts) + b"}"


def surface_sha256(surface: Surface) -> str:
    """SHA-256 of the whole surface an agent reads."""
    return hashlib.sha256(surface_canonical_json(surface)).hexdigest()


def item_hashes(kind: ItemKind, items: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """``{key: sha256}`` for every item of one list; keys are unique in a valid server."""
    return {item_key(kind, i): item_sha256(i) for i in items}


def surface_hashes(surface: Surface) -> SurfaceHashes:
    """All hashes of a surface, each item canonicalised once per use."""
    return SurfaceHashes(
        manifest_sha256=manifest_sha256(surface.tools),
        surface_sha256=surface_sha256(surface),
        tools=item_hashes(ItemKind.TOOL, surface.tools),
        prompts=item_hashes(ItemKind.PROMPT, surface.prompts),
        resources=item_hashes(ItemKind.RESOURCE, surface.resources),
        resource_templates=item_hashes(ItemKind.RESOURCE_TEMPLATE, surface.resource_templates),
    )
