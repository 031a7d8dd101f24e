"""Offline surfaces: a saved ``tools/list`` result or a saved scan report.

Accepted shapes: ``{"tools": [...]}`` (a ``tools/list`` result), the whole
JSON-RPC response ``{"jsonrpc": "2.0", "result": {"tools": [...]}}``, or a
saved ``mcp-trust scan --format json`` report, whose ``tools[].tool`` hold the
wire objects.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scanner.errors import SourceError
from scanner.limits import Limits
from scanner.models import ServerInfo, ToolSurface
from scanner.wirecheck import check_tools


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
    """The tool surface held by any of the accepted shapes."""
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
            instructions=_s(server.get("instructions")),
            capabilities=server.get("capabilities") or {},
        )
        return ToolSurface(
            server=info,
            tools=check_tools([t["tool"] for t in doc["tools"]], limits, origin),
            prompts=_list(doc.get("prompts")),
            resources=_list(doc.get("resources")),
            resource_templates=_list(doc.get("resource_templates")),
        )
    if not isinstance(doc, dict) or "tools" not in doc:
        raise SourceError(f'{origin}: expected {{"tools": [...]}} or a saved scan report')
    return ToolSurface(
        server=ServerInfo(),
        tools=check_tools(doc["tools"], limits, origin),
        prompts=_list(doc.get("prompts")),
        resources=_list(doc.get("resources")),
        resource_templates=_list(doc.get("resourceTemplates")),
    )


def load_surface(path: str | Path, limits: Limits) -> ToolSurface:
    doc = read_json_file(path, limits.max_surface_bytes * 2)
    return surface_from_document(doc, limits, str(path))


def _s(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _list(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
