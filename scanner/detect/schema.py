"""The JSON Schema of the rule format, generated from the msgspec Structs.

``python -m scanner.detect.schema > docs/rules.schema.json`` regenerates it; a test
fails when the committed file drifts from the Structs.
"""

from __future__ import annotations

import json
import sys

import msgspec

from scanner.detect.rules import RuleFile


def rules_json_schema() -> str:
    schema = msgspec.json.schema(RuleFile)
    schema["title"] = "mcp-trust rule file (rules/*.toml)"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    sys.stdout.write(rules_json_schema())
