from __future__ import annotations

from typing import Any

from scanner.detect.fields import FieldKind, server_fields, tool_fields
from scanner.models import ServerInfo, ToolSurface


def test_every_string_of_a_tool_is_extracted_with_its_json_path_and_kind() -> None:
    tool = {
        "name": "t",
        "title": "T",
        "description": "d",
        "inputSchema": {
            "type": "object",
            "properties": {
                "mode": {
                    "type": "string",
                    "title": "Mode",
                    "description": "pd",
                    "default": "fast",
                    "enum": ["fast", "slow"],
                    "examples": ["fast"],
                },
                "odd key": {"type": "object", "properties": {"inner": {"description": "deep"}}},
            },
            "required": ["mode"],
        },
        "outputSchema": {"type": "object", "properties": {"out": {"description": "od"}}},
        "annotations": {"title": "Annot"},
        "_meta": {"ignored": "x"},
    }
    got = {(f.path, f.kind, f.text) for f in tool_fields(tool)}
    p = "$.inputSchema.properties"
    expected = {
        ("$.name", FieldKind.NAME, "t"),
        ("$.title", FieldKind.TITLE, "T"),
        ("$.description", FieldKind.DESCRIPTION, "d"),
        (f"{p}.mode", FieldKind.PARAM_NAME, "mode"),
        (f"{p}.mode.title", FieldKind.PARAM_TITLE, "Mode"),
        (f"{p}.mode.description", FieldKind.PARAM_DESCRIPTION, "pd"),
        (f"{p}.mode.default", FieldKind.DEFAULT, "fast"),
        (f"{p}.mode.enum[0]", FieldKind.ENUM, "fast"),
        (f"{p}.mode.enum[1]", FieldKind.ENUM, "slow"),
        (f"{p}.mode.examples[0]", FieldKind.EXAMPLE, "fast"),
        (f"{p}['odd key']", FieldKind.PARAM_NAME, "odd key"),
        (f"{p}['odd key'].properties.inner", FieldKind.PARAM_NAME, "inner"),
        (f"{p}['odd key'].properties.inner.description", FieldKind.PARAM_DESCRIPTION, "deep"),
        ("$.outputSchema.properties.out", FieldKind.PARAM_NAME, "out"),
        ("$.outputSchema.properties.out.description", FieldKind.PARAM_DESCRIPTION, "od"),
        ("$.annotations.title", FieldKind.ANNOTATION, "Annot"),
    }
    assert got == expected


def test_schema_vocabulary_such_as_type_is_not_scanned_as_prose() -> None:
    tool = {"name": "t", "inputSchema": {"type": "object", "$schema": "http://x", "properties": {}}}
    assert [f.path for f in tool_fields(tool)] == ["$.name"]


def test_server_level_strings_get_surface_relative_paths() -> None:
    surface = ToolSurface(
        server=ServerInfo(instructions="i"),
        tools=[],
        prompts=[{"name": "p", "description": "pd", "arguments": [{"name": "a", "description": "ad"}]}],
        resources=[{"name": "r", "uri": "file:///x", "description": "rd"}],
    )
    paths = {f.path for f in server_fields(surface)}
    assert {
        "$.instructions",
        "$.prompts[0].description",
        "$.prompts[0].arguments[0].description",
        "$.resources[0].description",
    } <= paths


def test_absurdly_deep_schemas_stop_at_a_depth_bound() -> None:
    node: dict[str, Any] = {"description": "bottom"}
    for _ in range(500):
        node = {"items": node}
    fields = tool_fields({"name": "t", "inputSchema": node})
    assert all(f.text != "bottom" for f in fields)
