"""Every string an agent reads, with its JSON path and what kind of field it is.

A poisoned instruction can sit anywhere a model looks: the description, a
parameter's description, a default, an enum value, even a property *name*. So
extraction walks the whole tool object, not a list of known keys; only keys that
are pure JSON Schema structure (``type``, ``$schema``...) are left out, because
their values are vocabulary the schema language fixes.
"""

from __future__ import annotations

import enum
from typing import Any

import msgspec

from scanner.contract.surface import ItemKind
from scanner.models import ToolSurface


class FieldKind(enum.StrEnum):
    NAME = "name"
    TITLE = "title"
    DESCRIPTION = "description"
    PARAM_NAME = "param_name"
    PARAM_DESCRIPTION = "param_description"
    PARAM_TITLE = "param_title"
    DEFAULT = "default"
    ENUM = "enum"
    EXAMPLE = "example"
    SCHEMA_OTHER = "schema_other"
    ANNOTATION = "annotation"
    INSTRUCTIONS = "instructions"
    PROMPT = "prompt"
    RESOURCE = "resource"


# Where instructions to the agent can be written: prose, and property names (a model
# reads ``ignore_previous_instructions`` as a sentence).
PROSE_KINDS = frozenset(
    {
        FieldKind.PARAM_NAME,
        FieldKind.DESCRIPTION,
        FieldKind.PARAM_DESCRIPTION,
        FieldKind.TITLE,
        FieldKind.PARAM_TITLE,
        FieldKind.DEFAULT,
        FieldKind.ENUM,
        FieldKind.EXAMPLE,
        FieldKind.SCHEMA_OTHER,
        FieldKind.ANNOTATION,
        FieldKind.INSTRUCTIONS,
        FieldKind.PROMPT,
        FieldKind.RESOURCE,
    }
)

# JSON Schema keywords whose string values are schema vocabulary, not prose.
_STRUCTURAL_KEYS = frozenset({"type", "$schema", "$id", "$ref", "format", "contentEncoding", "contentMediaType"})
_SCHEMA_VALUE_KINDS = {
    "description": FieldKind.PARAM_DESCRIPTION,
    "title": FieldKind.PARAM_TITLE,
    "default": FieldKind.DEFAULT,
    "const": FieldKind.DEFAULT,
    "enum": FieldKind.ENUM,
    "examples": FieldKind.EXAMPLE,
    "example": FieldKind.EXAMPLE,
}
_CONTAINER_KEYS = frozenset({"properties", "patternProperties", "$defs", "definitions"})
_MAX_DEPTH = 64  # schemas nested deeper than this are not something a model reads either


class Field(msgspec.Struct, frozen=True):
    path: str
    kind: FieldKind
    text: str


def child_path(parent: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    if key.isidentifier():
        return f"{parent}.{key}"
    escaped = key.replace("\\", "\\\\").replace("'", "\\'")
    return f"{parent}['{escaped}']"


def tool_fields(tool: dict[str, Any]) -> list[Field]:
    """All strings of one tool object (paths relative to the tool: ``$.description``)."""
    out: list[Field] = []
    for key, value in tool.items():
        path = child_path("$", key)
        if key == "name" and isinstance(value, str):
            out.append(Field(path, FieldKind.NAME, value))
        elif key == "title" and isinstance(value, str):
            out.append(Field(path, FieldKind.TITLE, value))
        elif key == "description" and isinstance(value, str):
            out.append(Field(path, FieldKind.DESCRIPTION, value))
        elif key in {"inputSchema", "outputSchema"}:
            _schema_strings(value, path, FieldKind.SCHEMA_OTHER, 0, out)
        elif key == "annotations":
            _plain_strings(value, path, FieldKind.ANNOTATION, 0, out)
        elif key not in {"_meta", "icons"}:
            # Unknown extra keys still reach some clients' prompts: scan them as prose.
            _plain_strings(value, path, FieldKind.SCHEMA_OTHER, 0, out)
    return out


# The walkers append to one list rather than yield: nested generators cost a frame
# switch per level per string, which was a tenth of the detector's time on real schemas.
def _schema_strings(node: Any, path: str, kind: FieldKind, depth: int, out: list[Field]) -> None:
    if depth > _MAX_DEPTH:
        return
    if isinstance(node, str):
        out.append(Field(path, kind, node))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            _schema_strings(item, f"{path}[{i}]", kind, depth + 1, out)
    elif isinstance(node, dict):
        for key, value in node.items():
            key_s = str(key)
            if key_s in _STRUCTURAL_KEYS and isinstance(value, str):
                continue
            if key_s == "required" and isinstance(value, list):
                continue  # repeats property names already scanned
            sub = child_path(path, key_s)
            if key_s in _CONTAINER_KEYS and isinstance(value, dict):
                for prop, schema in value.items():
                    prop_path = child_path(sub, str(prop))
                    out.append(Field(prop_path, FieldKind.PARAM_NAME, str(prop)))
                    _schema_strings(schema, prop_path, FieldKind.SCHEMA_OTHER, depth + 1, out)
            else:
                sub_kind = _SCHEMA_VALUE_KINDS.get(key_s, FieldKind.SCHEMA_OTHER)
                _schema_strings(value, sub, sub_kind, depth + 1, out)


def _plain_strings(node: Any, path: str, kind: FieldKind, depth: int, out: list[Field]) -> None:
    if depth > _MAX_DEPTH:
        return
    if isinstance(node, str):
        out.append(Field(path, kind, node))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            _plain_strings(item, f"{path}[{i}]", kind, depth + 1, out)
    elif isinstance(node, dict):
        for key, value in node.items():
            _plain_strings(value, child_path(path, str(key)), kind, depth + 1, out)


# Keys of a prompt, resource or resource template that hold an address, a media type, a
# size or structured metadata rather than text written for the agent. Everything else,
# unknown extra keys included, is scanned: some clients show it to the model.
_ITEM_SKIP = frozenset({"uri", "uriTemplate", "mimeType", "size", "annotations", "_meta", "icons"})
_ITEM_FIELD_KIND = {
    ItemKind.PROMPT: FieldKind.PROMPT,
    ItemKind.RESOURCE: FieldKind.RESOURCE,
    ItemKind.RESOURCE_TEMPLATE: FieldKind.RESOURCE,
}
# The surface-relative names of the lists, as the wire spells them.
_WIRE_LIST = {
    ItemKind.PROMPT: "prompts",
    ItemKind.RESOURCE: "resources",
    ItemKind.RESOURCE_TEMPLATE: "resourceTemplates",
}


def item_fields(kind: ItemKind, item: dict[str, Any]) -> list[Field]:
    """All strings an agent reads in one prompt, resource or resource template (paths
    relative to the item: ``$.description``, ``$.arguments[0].description``)."""
    field_kind = _ITEM_FIELD_KIND[kind]
    out: list[Field] = []
    for key, value in item.items():
        if key not in _ITEM_SKIP:
            _plain_strings(value, child_path("$", str(key)), field_kind, 0, out)
    return out


def instruction_fields(instructions: str | None) -> list[Field]:
    """The server's ``instructions`` from ``initialize`` (path relative to the surface)."""
    return [Field("$.instructions", FieldKind.INSTRUCTIONS, instructions)] if instructions else []


def server_fields(surface: ToolSurface) -> list[Field]:
    """Strings the server states outside its tools, with paths relative to the surface
    (``$.instructions``, ``$.prompts[0].description``)."""
    out = instruction_fields(surface.server.instructions)
    lists = (
        (ItemKind.PROMPT, surface.prompts),
        (ItemKind.RESOURCE, surface.resources),
        (ItemKind.RESOURCE_TEMPLATE, surface.resource_templates),
    )
    for kind, items in lists:
        for i, item in enumerate(items):
            base = child_path(child_path("$", _WIRE_LIST[kind]), i)
            out += [Field(base + f.path[1:], f.kind, f.text) for f in item_fields(kind, item)]
    return out
