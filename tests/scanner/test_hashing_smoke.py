from scanner.hashing import manifest_sha256, tool_sha256


def test_manifest_hash_does_not_depend_on_tool_order() -> None:
    a = {"name": "a", "description": "x", "inputSchema": {"type": "object"}}
    b = {"name": "b", "description": "y", "inputSchema": {"type": "object"}}
    assert manifest_sha256([a, b]) == manifest_sha256([b, a])
    assert tool_sha256(a) != tool_sha256(b)
