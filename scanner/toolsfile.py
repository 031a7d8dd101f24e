"""Offline surfaces: a saved ``tools/list`` result, a saved surface or a saved scan report.

Accepted shapes: ``{"tools": [...]}`` (a ``tools/list`` result), the whole
JSON-RPC response ``{"jsonrpc": "2.0", "result": {"tools": [...]}}``, or a
saved ``mcp-trust scan --format json`` report, whose ``tools[].tool`` hold the
wire objects and whose ``server.instructions``, ``prompts``, ``resources`` and
``resource_templates`` hold the rest of the surface. Beside ``tools`` a file may
carry ``instructions``, ``prompts``, ``resources`` and ``resourceTemplates`` (or
``resource_templates``, as the surface object of docs/hashing.md spells it). Every
list is checked as a server's would be; a value of the wrong type is refused, never
dropped.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scanner.errors import SourceError
from scanner.limits import Limits
from scanner.models import ServerInfo, ToolSurface
from scanner.wirecheck import ItemAccumulator, check_tools, page_items


def read_json_file(path: str | Path, max_bytes: int) -> Any:
    p = Path(path)
    try:
        with p.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        raise SourceError(f"cannot read {p}: {exc.strerror or exc}") from exc
    if len(raw) > max_bytes:
        raise SourceError(f"{p} is larger than {max_bytes} bytes")
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise SourceError(f"{p} is not valid JSON: {exc}") from exc


def is_saved_scan(doc: Any) -> bool:
    return (
        isinstance(doc, dict)
        and "manifest_sha256" in doc
        and isinstance(doc.get("tools"), list)
        and all(isinstance(t, dict) and isinstance(t.get("tool"), dict) for t in doc["tools"])
    )


def surface_from_document(doc: Any, limits: Limits, origin: str) -> ToolSurface:
    """The surface held by any of the accepted shapes."""
    if isinstance(doc, dict) and isinstance(doc.get("result"), dict) and "jsonrpc" in doc:
        doc = doc["result"]
    if is_saved_scan(doc):
        server = doc.get("server") if isinstance(doc.get("server"), dict) else {}
        assert isinstance(server, dict)
        info = ServerInfo(
            name=_s(server.get("name")),
            version=_s(server.get("version")),
            title=_s(server.get("title")),
            protocol_version=_s(server.get("protocol_version")),
            instructions=_instructions(server, origin),
            capabilities=server.get("capabilities") or {},
        )
        return ToolSurface(
            server=info,
            tools=check_tools([t["tool"] for t in doc["tools"]], limits, origin),
            prompts=_items(doc, ("prompts",), limits, origin),
            resources=_items(doc, ("resources",), limits, origin),
            resource_templates=_items(doc, ("resource_templates",), limits, origin),
        )
    if not isinstance(doc, dict) or "tools" not in doc:
        raise SourceError(f'{origin}: expected {{"tools": [...]}} or a saved scan report')
    return ToolSurface(
        server=ServerInfo(instructions=_instructions(doc, origin)),
        tools=check_tools(doc["tools"], limits, origin),
        prompts=_items(doc, ("prompts",), limits, origin),
        resources=_items(doc, ("resources",), limits, origin),
        resource_templates=_items(doc, ("resourceTemplates", "resource_templates"), limits, origin),
    )


def load_surface(path: str | Path, limits: Limits) -> ToolSurface:
    doc = read_json_file(path, limits.max_surface_bytes * 2)
    return surface_from_document(doc, limits, str(path))


def _s(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _instructions(holder: dict[str, Any], origin: str) -> str | None:
    value = holder.get("instructions")
    if value is not None and not isinstance(value, str):
        raise SourceError(f"{origin}: 'instructions' is not a string")
    return value


def _items(doc: dict[str, Any], keys: tuple[str, ...], limits: Limits, origin: str) -> list[dict[str, Any]]:
    """One list beyond the tools under the first of ``keys`` present (``[]`` when none is),
    with the checks a server's list gets."""
    present = [k for k in keys if k in doc and doc[k] is not None]
    if not present:
        return []
    if len(present) > 1:
        raise SourceError(f"{origin}: both {present[0]!r} and {present[1]!r} are given; keep one")
    key = present[0]
    if not isinstance(doc[key], list):
        raise SourceError(f"{origin}: {key!r} is not an array")
    acc = ItemAccumulator(limits, f"{origin}: {key}")
    acc.add_page(page_items({key: doc[key]}, key, f"{origin}: {key}"))
    return acc.items
