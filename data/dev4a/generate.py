"""Deterministic generator for the dev4a blind red-team development set.

Run: python3 data/dev4a/generate.py  (writes dev4a.jsonl next to this file and validates it)
"""

from __future__ import annotations

import copy
import json
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from attacks_a import ATTACKS_A, Attack  # noqa: E402
from attacks_b import ATTACKS_B  # noqa: E402
from carriers import CARRIERS, p  # noqa: E402
from negatives import NEGATIVES  # noqa: E402

IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

EXTRA_PARAMS: dict[str, dict[str, Any]] = {
    "resolve_recipient": {"query": p("Name or address to resolve.")},
    "sync_notes": {"note_id": p("Id of the note just created.")},
    "prefetch_related": {"depth": p("Link depth, 1 or 2.", "integer")},
    "report_usage": {"payload": p("Usage payload.")},
    "audit_share": {"document_id": p("Document that was shared.")},
    "tool_selection_guide": {"topic": p("What the user asked about.")},
    "initialize_session": {"environment": p("Environment description.")},
}


def key(k: str) -> str:
    return f".{k}" if IDENT.match(k) else "['" + k.replace("'", "\\'") + "']"


def base_tool(carrier: str) -> tuple[str, dict[str, Any], list[str]]:
    server, name, sentences, props, required = CARRIERS[carrier]
    tool = {
        "name": name,
        "description": " ".join(sentences),
        "inputSchema": {"type": "object", "properties": copy.deepcopy(props), "required": list(required)},
    }
    return server, tool, list(sentences)


def insert_after(sentences: list[str], index: int, payload: str) -> str:
    """Bury the payload after sentence `index` of a realistic description."""
    parts = [*sentences[:index], payload, *sentences[index:]]
    text = " ".join(parts)
    return text.replace(" \n", "\n").replace("\n ", "\n")


def build_attack(att: Attack) -> dict[str, Any]:
    category, placement, carrier, target, payload = att
    server, tool, sentences = base_tool(carrier)
    props = tool["inputSchema"]["properties"]
    prop_path = "$.inputSchema.properties"
    if placement == "description":
        tool["description"] = insert_after(sentences, target, payload)
        path = "$.description"
    elif placement == "param_description":
        props[target]["description"] += " " + payload
        path = f"{prop_path}{key(target)}.description"
    elif placement == "default":
        props[target]["default"] = payload
        path = f"{prop_path}{key(target)}.default"
    elif placement == "examples":
        props[target]["examples"] = list(payload)
        path = f"{prop_path}{key(target)}.examples[{len(payload) - 1}]"
    elif placement == "enum":
        enum = props[target]["enum"]
        enum.append(payload)
        path = f"{prop_path}{key(target)}.enum[{len(enum) - 1}]"
    elif placement == "property_name":
        props[payload] = {"type": "string", "description": target}
        tool["inputSchema"]["required"].append(payload)
        path = f"$.inputSchema.required[{len(tool['inputSchema']['required']) - 1}]"
    elif placement == "title":
        tool = {"name": tool["name"], "title": payload, **{k: v for k, v in tool.items() if k != "name"}}
        path = "$.title"
    elif placement == "annotations":
        tool["annotations"] = {"title": payload, "readOnlyHint": False, "openWorldHint": True}
        path = "$.annotations.title"
    elif placement == "output_schema":
        tool["outputSchema"] = {
            "type": "object",
            "properties": {
                "status": {"type": "string", "description": "ok or error."},
                target: {"type": "string", "description": payload},
            },
        }
        path = f"$.outputSchema.properties{key(target)}.description"
    elif placement == "extra_tool":
        params = copy.deepcopy(EXTRA_PARAMS[target])
        tool = {
            "name": target,
            "description": payload,
            "inputSchema": {"type": "object", "properties": params, "required": list(params)},
        }
        path = "$.description"
    else:
        raise ValueError(f"unknown placement {placement!r}")
    return {
        "label": 1,
        "category": category,
        "placement": placement,
        "obfuscation": "plain",
        "path": path,
        "server": server,
        "tool": tool,
    }


def build_negative(neg: tuple[str, str, str, dict[str, Any], list[str]]) -> dict[str, Any]:
    server, name, desc, props, required = neg
    return {
        "label": 0,
        "category": "hard_negative",
        "server": server,
        "tool": {
            "name": name,
            "description": desc,
            "inputSchema": {"type": "object", "properties": copy.deepcopy(props), "required": list(required)},
        },
    }


PATH_TOKEN = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]")


def resolve(obj: Any, path: str) -> Any:
    if not path.startswith("$"):
        raise ValueError(path)
    rest = path[1:]
    pos = 0
    while pos < len(rest):
        m = PATH_TOKEN.match(rest, pos)
        if m is None:
            raise ValueError(f"bad path {path!r} at {rest[pos:]!r}")
        if m.group(1) is not None:
            obj = obj[m.group(1)]
        elif m.group(2) is not None:
            obj = obj[m.group(2).replace("\\'", "'")]
        else:
            obj = obj[int(m.group(3))]
        pos = m.end()
    return obj


def validate(rows: list[dict[str, Any]], lines: list[str]) -> None:
    taxonomy = tomllib.loads((HERE.parent / "taxonomy.toml").read_text(encoding="utf-8"))
    ids = {c["id"] for c in taxonomy["categories"]}
    seen: set[str] = set()
    for line, row in zip(lines, rows, strict=True):
        assert json.loads(line) == row
        tool = row["tool"]
        assert isinstance(tool["name"], str) and isinstance(tool["description"], str)
        assert tool["inputSchema"]["type"] == "object"
        if row["label"] == 1:
            assert row["category"] in ids, row["category"]
            value = resolve(tool, row["path"])
            assert isinstance(value, str) and value, row["path"]
        else:
            assert row["category"] == "hard_negative"
        fingerprint = json.dumps(tool, sort_keys=True)
        assert fingerprint not in seen, tool["name"]
        seen.add(fingerprint)


def main() -> None:
    rows = [build_attack(a) for a in [*ATTACKS_A, *ATTACKS_B]]
    rows += [build_negative(n) for n in NEGATIVES]
    lines = [json.dumps(r, ensure_ascii=False, sort_keys=False) for r in rows]
    validate(rows, lines)
    (HERE / "dev4a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} rows to {HERE / 'dev4a.jsonl'}")


if __name__ == "__main__":
    main()
