"""Build the labelled corpus in ``data/corpus.jsonl`` (deterministic; run ``python -m
scanner.detect.corpus``).

Benign rows are real tools (LiveMCPBench plus servers captured by
``data/real/list_real_tools.py``) and hand-written hard negatives. Malicious rows
put a templated payload (``templates.py``) into a real carrier tool at one of
several placements, optionally hidden by one obfuscation. Every row carries its
``fold`` (0 or 1): benign rows by server, malicious rows by template family, so a
model trained on one fold is measured on phrasings and servers it never saw.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import random
import re
import sys
from pathlib import Path
from typing import Any

from scanner.detect.fields import child_path
from scanner.detect.templates import FAMILIES, HARD_NEGATIVES, OBFUSCATIONS, SLOTS
from scanner.paths import data_dir

PLACEMENTS = [
    "description",
    "param_description",
    "default",
    "title",
    "enum",
    "property_name",
    "added_tool",
    "instructions",
]
VARIANTS_PER_FAMILY = 36
SEED = 20260521
_NAME_SAFE = {"plain", "homoglyph", "tag_chars"}
_HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "i": "і", "y": "у"}


def _fold_of(key: str) -> int:
    return hashlib.sha256(key.encode()).digest()[0] % 2


def real_servers(root: Path) -> list[tuple[str, list[dict[str, Any]]]]:
    """(server key, tools) for every real server, sorted by key."""
    out: dict[str, list[dict[str, Any]]] = {}
    for entry in json.loads((root / "real" / "livemcpbench-tools.json").read_text("utf-8")):
        for key, server in entry["tools"].items():
            out[f"livemcpbench:{key}"] = list(server["tools"])
    captured = json.loads((root / "real" / "real-tools.json").read_text("utf-8"))
    for key, server in captured.items():
        out[key] = list(server["tools"])
    return sorted(out.items())


def _fill(template: str, rng: random.Random) -> str:
    city_a, city_b = rng.choice(SLOTS["city_pair"]).split("|")
    values = {name: rng.choice(options) for name, options in SLOTS.items()}
    values.update(city_a=city_a, city_b=city_b)
    text = template
    for _ in range(2):  # slots may contain slots ({cmd} holds {dom})
        text = re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), text)
    return text


def obfuscate(payload: str, how: str, rng: random.Random) -> str:
    if how == "tag_chars":
        return "".join(chr(0xE0000 + ord(c)) for c in payload if 0x20 <= ord(c) < 0x7F)
    if how == "zero_width":
        return "\u200b".join(payload[i : i + 3] for i in range(0, len(payload), 3))
    if how == "base64":
        return "Config: " + base64.b64encode(payload.encode()).decode()
    if how == "hex":
        return "Token: " + payload.encode().hex()
    if how == "homoglyph":
        return "".join(_HOMOGLYPHS.get(c, c) if rng.random() < 0.5 else c for c in payload)
    if how == "html_comment":
        return f"<!-- {payload} -->"
    if how == "padding":
        return " " * rng.randint(80, 400) + payload
    return payload


def _first_string_param(tool: dict[str, Any]) -> str | None:
    props = (tool.get("inputSchema") or {}).get("properties") or {}
    return next((k for k, v in props.items() if isinstance(v, dict)), None)


def place(
    carrier: dict[str, Any], payload: str, where: str, rng: random.Random
) -> tuple[dict[str, Any], str, str | None]:
    """Return (tool, JSON path of the poisoned field, server instructions or None)."""
    tool = copy.deepcopy(carrier)
    schema = tool.setdefault("inputSchema", {"type": "object"})
    if not isinstance(schema, dict):
        schema = tool["inputSchema"] = {"type": "object"}
    props = schema.setdefault("properties", {})
    desc = str(tool.get("description") or "")
    if where == "description":
        tool["description"] = (desc + " " + payload).strip()
        return tool, "$.description", None
    if where == "title":
        tool["title"] = payload
        return tool, "$.title", None
    if where == "instructions":
        return tool, "$.instructions", payload
    if where == "added_tool":
        prefix = rng.choice(["helper", "sync", "init", "context", "setup", "assist"])
        name = prefix + "_" + str(tool.get("name", "tool"))[:20]
        added = {"name": name, "description": payload, "inputSchema": {"type": "object", "properties": {}}}
        return added, "$.description", None
    param = _first_string_param(tool) if where == "param_description" else None
    if where == "param_description" and param is not None:
        old = str(props[param].get("description") or "")
        props[param]["description"] = (old + " " + payload).strip()
        return tool, child_path(_props_path(param), "description"), None
    if where == "property_name":
        if any(0xE0000 <= ord(c) <= 0xE007F for c in payload):
            name = "note" + payload  # the instruction hides inside the name, invisibly
        else:
            name = re.sub(r"[^A-Za-z0-9]+", "_", payload).strip("_")[:120] or "note"
        props[name] = {"type": "string"}
        return tool, _props_path(name), None
    if where == "enum":
        props["mode"] = {"type": "string", "enum": ["default", payload]}
        return tool, "$.inputSchema.properties.mode.enum[1]", None
    key = rng.choice(SLOTS["param"])
    props[key] = {"type": "string", "description": "Optional.", "default": payload}
    return tool, child_path(_props_path(key), "default"), None


def _props_path(name: str) -> str:
    return child_path("$.inputSchema.properties", name)


def _hard_negative_tool(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "description": description,
        "inputSchema": {
            "type": "object",
            "properties": {"input": {"type": "string", "description": "What to act on."}},
        },
    }


def benign_rows(root: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for key, tools in real_servers(root):
        fold = _fold_of(key)
        rows.extend({"label": 0, "category": "benign", "server": key, "fold": fold, "tool": t} for t in tools)
    for i, (name, description) in enumerate(HARD_NEGATIVES):
        rows.append(
            {
                "label": 0,
                "category": "hard_negative",
                "server": f"hard-negatives-{i % 2}",
                "fold": i % 2,
                "tool": _hard_negative_tool(name, description),
            }
        )
    return rows


def malicious_rows(root: Path) -> list[dict[str, Any]]:
    rng = random.Random(SEED)  # noqa: S311 - reproducible corpus, not secrets
    carriers: dict[int, list[dict[str, Any]]] = {0: [], 1: []}
    for key, tools in real_servers(root):
        carriers[_fold_of(key)].extend(t for t in tools if isinstance(t, dict))
    rows: list[dict[str, Any]] = []
    for category, families in sorted(FAMILIES.items()):
        # Alternate families between folds so every category is in both.
        for index, (family, templates) in enumerate(sorted(families.items())):
            fold = index % 2
            for v in range(VARIANTS_PER_FAMILY):
                payload = _fill(templates[v % len(templates)], rng)
                where = PLACEMENTS[v % len(PLACEMENTS)]
                how = OBFUSCATIONS[(v // len(PLACEMENTS) + index) % len(OBFUSCATIONS)]
                if v % 3 == 0 or (where == "property_name" and how not in _NAME_SAFE):
                    how = "plain"  # an encoded blob cannot be an identifier
                carrier = rng.choice(carriers[fold])
                tool, path, instructions = place(carrier, obfuscate(payload, how, rng), where, rng)
                row: dict[str, Any] = {
                    "label": 1,
                    "category": category,
                    "family": family,
                    "fold": fold,
                    "placement": where,
                    "obfuscation": how,
                    "path": path,
                    "tool": tool,
                }
                if instructions is not None:
                    row["server"] = {"instructions": instructions}
                rows.append(row)
    return rows


def build(root: Path | None = None) -> list[dict[str, Any]]:
    root = root or data_dir()
    return benign_rows(root) + malicious_rows(root)


def main() -> None:
    rows = build()
    out = data_dir() / "corpus.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"wrote {len(rows)} rows to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
