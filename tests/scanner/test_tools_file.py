"""Offline scans: the accepted tools-file shapes, and bad files refused with a reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.contract.hashing import manifest_sha256
from scanner.errors import ScannerError
from scanner.limits import DEFAULT_LIMITS
from scanner.toolsfile import load_surface

TOOLS = [{"name": "a", "inputSchema": {"type": "object"}}, {"name": "b", "inputSchema": {"type": "object"}}]


@pytest.mark.parametrize(
    "doc",
    [
        {"tools": TOOLS},
        {"jsonrpc": "2.0", "id": 1, "result": {"tools": TOOLS}},
        {"manifest_sha256": "x", "server": {"name": "s"}, "tools": [{"name": t["name"], "tool": t} for t in TOOLS]},
    ],
    ids=["tools-list-result", "json-rpc-response", "saved-scan"],
)
def test_each_accepted_shape_yields_the_same_tools(tmp_path: Path, doc: object) -> None:
    f = tmp_path / "t.json"
    f.write_text(json.dumps(doc))
    surface = load_surface(f, DEFAULT_LIMITS)
    assert manifest_sha256(surface.tools) == manifest_sha256(TOOLS)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("[1, 2]", "expected"),
        ('{"tools": {"a": 1}}', "not an array"),
        ('{"tools": [{"name": "a"}, {"name": "a"}]}', "twice"),
        ('{"tools": [{"description": "no name"}]}', "no string name"),
        ('{"tools": [', "not valid JSON"),
    ],
)
def test_bad_tools_files_are_refused_with_a_reason(tmp_path: Path, content: str, reason: str) -> None:
    f = tmp_path / "t.json"
    f.write_text(content)
    with pytest.raises(ScannerError, match=reason):
        load_surface(f, DEFAULT_LIMITS)


def test_an_oversized_tools_file_is_refused_before_parsing(tmp_path: Path) -> None:
    import msgspec

    f = tmp_path / "t.json"
    f.write_text(json.dumps({"tools": TOOLS}))
    with pytest.raises(ScannerError, match="larger than"):
        load_surface(f, msgspec.structs.replace(DEFAULT_LIMITS, max_surface_bytes=10))
