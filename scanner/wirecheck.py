"""Checks on raw list results, exactly as the server sent them (pure functions).

A result that breaks the protocol or a bound raises ``ServerMisbehaved`` with a
one-line reason naming the item; nothing is silently dropped or truncated.
"""

from __future__ import annotations

import json
from typing import Any

from scanner.errors import ServerMisbehaved
from scanner.limits import Limits


def json_size(value: Any) -> int:
    """Bytes of the compact UTF-8 JSON form (what the bounds are stated in)."""
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass"))


def page_items(result: Any, key: str, method: str) -> list[dict[str, Any]]:
    """The ``key`` array of one page; every item must be a JSON object."""
    if not isinstance(result, dict):
        raise ServerMisbehaved(f"{method} result is not a JSON object")
    items = result.get(key)
    if not isinstance(items, list):
        raise ServerMisbehaved(f"{method} result has no {key!r} array")
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise ServerMisbehaved(f"{method} item {i} is a {type(item).__name__}, not an object")
    return items


def next_cursor(result: dict[str, Any], method: str, seen: set[str]) -> str | None:
    cursor = result.get("nextCursor")
    if cursor is None or cursor == "":
        return None
    if not isinstance(cursor, str):
        raise ServerMisbehaved(f"{method} nextCursor is not a string")
    if cursor in seen:
        raise ServerMisbehaved(f"{method} repeated the cursor {cursor[:40]!r} (pagination loop)")
    seen.add(cursor)
    return cursor


class ToolAccumulator:
    """Collects tools across pages, enforcing names, uniqueness, counts and sizes."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.tools: list[dict[str, Any]] = []
        self.names: set[str] = set()
        self.total_bytes = 0

    def add_page(self, items: list[dict[str, Any]]) -> None:
        limits = self.limits
        if len(self.tools) + len(items) > limits.max_tools:
            raise ServerMisbehaved(
                f"server lists more than {limits.max_tools} tools ({len(self.tools) + len(items)} so far)"
            )
        for tool in items:
            name = tool.get("name")
            if not isinstance(name, str) or not name:
                raise ServerMisbehaved(f"tool {len(self.tools)} has no string name")
            if name in self.names:
                raise ServerMisbehaved(f"server lists the tool name {name[:80]!r} twice")
            size = json_size(tool)
            if size > limits.max_tool_bytes:
                raise ServerMisbehaved(
                    f"tool {name[:80]!r} is {size} bytes of JSON, over the {limits.max_tool_bytes}-byte bound per tool"
                )
            self.total_bytes += size
            if self.total_bytes > limits.max_surface_bytes:
                raise ServerMisbehaved(f"the tools total more than {limits.max_surface_bytes} bytes of JSON")
            self.names.add(name)
            self.tools.append(tool)


class ItemAccumulator:
    """Prompts, resources or resource templates: objects, bounded count and size."""

    def __init__(self, limits: Limits, method: str) -> None:
        self.limits = limits
        self.method = method
        self.items: list[dict[str, Any]] = []

    def add_page(self, items: list[dict[str, Any]]) -> None:
        if len(self.items) + len(items) > self.limits.max_items:
            raise ServerMisbehaved(f"{self.method} lists more than {self.limits.max_items} items")
        for item in items:
            size = json_size(item)
            if size > self.limits.max_tool_bytes:
                raise ServerMisbehaved(
                    f"a {self.method} item is {size} bytes of JSON, over the {self.limits.max_tool_bytes}-byte bound"
                )
            self.items.append(item)


def check_tools(tools: Any, limits: Limits, origin: str) -> list[dict[str, Any]]:
    """The same checks for a tools list read from a file."""
    if not isinstance(tools, list):
        raise ServerMisbehaved(f"{origin}: 'tools' is not an array")
    acc = ToolAccumulator(limits)
    acc.add_page(page_items({"tools": tools}, "tools", origin))
    return acc.tools
