from __future__ import annotations

import copy
from typing import Any

import pytest

from scanner.serverjson import (
    ServerJsonError,
    is_version_range,
    load_server_json,
    unwrap_registry_response,
    validate_server_json,
)

GOOD: dict[str, Any] = {
    "$schema": "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json",
    "name": "io.github.acme/time",
    "description": "Time and timezone conversion",
    "version": "1.4.0",
    "repository": {"url": "https://github.com/acme/time", "source": "github", "subfolder": "src/time"},
    "packages": [
        {
            "registryType": "pypi",
            "identifier": "mcp-server-time",
            "version": "2026.10.19",
            "transport": {"type": "stdio"},
            "environmentVariables": [{"name": "TZ_API_KEY", "description": "API key", "isSecret": True}],
        }
    ],
    "remotes": [
        {
            "type": "streamable-http",
            "url": "https://{tenant}.example.com/mcp",
            "variables": {"tenant": {"description": "tenant id"}},
        }
    ],
}


def _with(path: list[Any], value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(GOOD)
    target: Any = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return doc


def test_a_complete_server_json_loads_into_typed_fields() -> None:
    sj = load_server_json(GOOD)
    assert sj.name == "io.github.acme/time"
    assert sj.namespace == "io.github.acme"
    assert sj.packages[0].registry_type == "pypi"
    assert sj.packages[0].environment_variables[0].is_secret is True
    assert sj.repository is not None and sj.repository.subfolder == "src/time"
    assert sj.remotes[0].url.startswith("https://{tenant}")
    assert sj.warnings == []


@pytest.mark.parametrize(
    ("path", "value", "where"),
    [
        (["version"], "^1.2.0", "$.version"),
        (["packages", 0, "version"], "latest", "$.packages[0].version"),
        (["packages", 0, "version"], "1.x", "$.packages[0].version"),
        (["name"], "no-slash", "$.name"),
        (["name"], "-bad.ns/x", "$.name"),
        (["description"], "x" * 101, "$.description"),
        (["repository", "subfolder"], "../escape", "$.repository.subfolder"),
        (["repository", "url"], "http://github.com/acme/time", "$.repository.url"),
        (["remotes", 0, "url"], "https://{undeclared}.example.com", "$.remotes[0].url"),
        (["remotes", 0, "type"], "stdio", "$.remotes[0].type"),
        (["packages", 0, "transport"], {"type": "stdio", "url": "https://x.test"}, "$.packages[0].transport.url"),
        (["packages", 0, "identifier"], "mcp server", "$.packages[0].identifier"),
    ],
)
def test_each_invalid_field_is_reported_at_its_json_path(path: list[Any], value: Any, where: str) -> None:
    with pytest.raises(ServerJsonError) as err:
        load_server_json(_with(path, value))
    assert where in [i.path for i in err.value.issues], err.value.issues
    assert where in str(err.value)


def test_missing_required_fields_are_all_reported_at_once() -> None:
    issues = validate_server_json({"packages": []})
    assert {i.message for i in issues} >= {
        "'name' is a required property",
        "'description' is a required property",
        "'version' is a required property",
    }


@pytest.mark.parametrize("blob", [b"{not json", b"[1, 2]", b"\xff\xfe", b" " * (300 * 1024)])
def test_malformed_or_oversize_documents_fail_with_a_clear_error(blob: bytes) -> None:
    with pytest.raises(ServerJsonError) as err:
        load_server_json(blob)
    assert err.value.issues[0].path == "$"


def test_a_registry_api_answer_is_unwrapped_with_its_status() -> None:
    answer = {
        "server": GOOD,
        "_meta": {"io.modelcontextprotocol.registry/official": {"status": "deprecated"}},
    }
    doc, status = unwrap_registry_response(answer)
    assert doc["name"] == GOOD["name"] and status == "deprecated"
    assert load_server_json(answer).name == GOOD["name"]


def test_an_older_schema_version_is_a_warning_not_an_error() -> None:
    doc = _with(["$schema"], "https://static.modelcontextprotocol.io/schemas/2025-09-29/server.schema.json")
    sj = load_server_json(doc)
    assert [w.severity for w in sj.warnings] == ["warning"]


@pytest.mark.parametrize(
    ("version", "is_range"),
    [
        ("1.2.3", False),
        ("2025.9.25", False),
        ("1.0.0-beta.1", False),
        ("latest", True),
        ("^1.2", True),
        ("~1.2", True),
        (">=1", True),
        ("1.x", True),
        ("1.*", True),
        ("1 - 2", True),
        ("1 || 2", True),
    ],
)
def test_version_ranges_are_recognised(version: str, is_range: bool) -> None:
    assert is_version_range(version) is is_range
