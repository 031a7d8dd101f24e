"""Build surfaces for detector tests: one poisoned string at a chosen placement."""

from __future__ import annotations

from typing import Any

from scanner.detect.rules import FieldSelector, Rule
from scanner.models import ServerInfo, ToolSurface


def tool(description: str = "Returns the forecast.", **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": "get_forecast",
        "description": description,
        "inputSchema": {
            "type": "object",
            "properties": {"city": {"type": "string", "description": "City name."}},
        },
    }
    base.update(extra)
    return base


def surface(*tools: dict[str, Any], instructions: str | None = None, name: str | None = None) -> ToolSurface:
    return ToolSurface(server=ServerInfo(name=name, instructions=instructions), tools=list(tools))


def example_surface(rule: Rule, text: str) -> ToolSurface:
    """Put an example where the rule looks: description, or the first field it names."""
    siblings = [{"name": n, "description": "A sibling tool."} for n in rule.examples.server_tools]
    selectors = set(rule.fields)
    if selectors & {FieldSelector.DESCRIPTION, FieldSelector.PROSE, FieldSelector.ALL}:
        return surface(tool(text), *siblings)
    if FieldSelector.PARAM_DESCRIPTION in selectors:
        t = tool()
        t["inputSchema"]["properties"]["city"]["description"] = text
        return surface(t, *siblings)
    if FieldSelector.PARAM_NAME in selectors:
        t = tool()
        t["inputSchema"]["properties"][text] = {"type": "string"}
        return surface(t, *siblings)
    if FieldSelector.INSTRUCTIONS in selectors:
        return surface(tool(), *siblings, instructions=text)
    raise AssertionError(f"{rule.id}: no example placement for fields {rule.fields}")
