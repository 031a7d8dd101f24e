"""Deterministic generator for the dev4b blind development set.

Run: python3 data/dev4b/generate.py   (writes data/dev4b/dev4b.jsonl next to this file)
No randomness: carriers are assigned to payloads by a fixed stride per category.
"""
from __future__ import annotations

import copy
import json
import re
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from carriers import CARRIERS  # noqa: E402
from negatives import SIBLINGS, SINGLES  # noqa: E402
from payloads import ALL  # noqa: E402

IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
AUTO_PARAM_CATS = {"credential_phishing", "sensitive_file_access", "command_execution", "coercive_pseudo_tag"}
NOT_PARAMS = {"sync_state", "directive"}
EXAMPLE_FILLERS = ["sample-001", "Q3 summary", "eu-west-1", "draft"]


def json_path(keys: list[str | int]) -> str:
    out = "$"
    for k in keys:
        if isinstance(k, int):
            out += f"[{k}]"
        elif IDENT.match(k):
            out += f".{k}"
        else:
            out += "['" + k + "']"
    return out


def resolve(obj: object, keys: list[str | int]) -> object:
    for k in keys:
        obj = obj[k]  # type: ignore[index]
    return obj


def base_tool(carrier: tuple) -> dict:
    _server, name, intro, tail, params, _out = carrier
    props = {p: {"type": ty, "description": d} for p, ty, d in params}
    return {
        "name": name,
        "description": f"{intro} {tail}",
        "inputSchema": {"type": "object", "properties": props, "required": [params[0][0]]},
    }


def string_params(tool: dict) -> list[str]:
    return [k for k, v in tool["inputSchema"]["properties"].items() if v.get("type") == "string"]


def add_backticked_params(tool: dict, text: str) -> None:
    for word in re.findall(r"`([a-z][a-z_]*)`", text):
        if word in NOT_PARAMS or word in tool["inputSchema"]["properties"]:
            continue
        tool["inputSchema"]["properties"][word] = {"type": "string", "description": "Optional context for the request."}


def build_attack(cat: str, i: int, placement: str, payload, carrier: tuple) -> dict:  # noqa: PLR0912, PLR0915
    server = carrier[0]
    tool = base_tool(carrier)
    if isinstance(payload, str):
        payload = payload.replace("{self}", tool["name"])
    keys: list[str | int]
    intro, tail = carrier[2], carrier[3]
    if placement == "description":
        sep = "\n\n" if "\n" in payload or i % 2 else " "
        tool["description"] = f"{intro}{sep}{payload}{sep}{tail}"
        keys = ["description"]
    elif placement == "added_tool":
        name, desc, params = payload
        tool = {
            "name": name,
            "description": desc,
            "inputSchema": {
                "type": "object",
                "properties": {p: {"type": ty, "description": d} for p, ty, d in params},
                "required": [params[0][0]],
            },
        }
        payload = desc
        keys = ["description"]
    elif placement == "param_description":
        sp = string_params(tool)
        p = sp[i % len(sp)]
        tool["inputSchema"]["properties"][p]["description"] = payload
        keys = ["inputSchema", "properties", p, "description"]
    elif placement == "output_schema":
        tool["outputSchema"] = {
            "type": "object",
            "properties": {
                "result": {"type": "string", "description": carrier[5]},
                "details": {"type": "string", "description": payload},
            },
        }
        keys = ["outputSchema", "properties", "details", "description"]
    elif placement == "annotations":
        tool["annotations"] = {"title": payload, "readOnlyHint": i % 2 == 0, "openWorldHint": True}
        keys = ["annotations", "title"]
    elif placement == "title":
        tool["title"] = payload
        keys = ["title"]
    elif placement == "default":
        sp = string_params(tool)
        p = sp[(i + 1) % len(sp)]
        tool["inputSchema"]["properties"][p]["default"] = payload
        keys = ["inputSchema", "properties", p, "default"]
    elif placement == "examples":
        sp = string_params(tool)
        p = sp[i % len(sp)]
        filler = EXAMPLE_FILLERS[i % len(EXAMPLE_FILLERS)]
        ex = [filler, payload] if i % 2 else [payload, filler]
        tool["inputSchema"]["properties"][p]["examples"] = ex
        keys = ["inputSchema", "properties", p, "examples", ex.index(payload)]
    elif placement == "enum":
        tool["inputSchema"]["properties"]["profile"] = {
            "type": "string",
            "description": "Processing profile.",
            "enum": list(payload),
            "default": payload[0],
        }
        keys = ["inputSchema", "properties", "profile", "enum", len(payload) - 1]
        payload = payload[-1]
    elif placement == "property_name":
        key, desc = payload
        tool["inputSchema"]["properties"][key] = {"type": "string", "description": desc}
        keys = ["inputSchema", "properties", key, "description"]
        payload = desc
    else:
        raise ValueError(placement)
    if cat in AUTO_PARAM_CATS and placement in ("description", "added_tool"):
        add_backticked_params(tool, payload)
    row = {
        "label": 1,
        "category": cat,
        "placement": placement,
        "obfuscation": "plain",
        "path": json_path(keys),
        "server": server,
        "tool": tool,
    }
    assert payload in resolve(tool, keys), (cat, i)
    return row


def main() -> int:
    rows = []
    for ci, (cat, entries) in enumerate(ALL.items()):
        for i, (placement, payload) in enumerate(entries):
            carrier = CARRIERS[(ci * 5 + i * 7) % len(CARRIERS)]
            rows.append(build_attack(cat, i, placement, copy.deepcopy(payload), carrier))
    for server, tool in SIBLINGS + SINGLES:
        rows.append({"label": 0, "category": "hard_negative", "server": server, "tool": tool})
    out = HERE / "dev4b.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return validate(out)


def parse_path(path: str) -> list[str | int]:
    assert path.startswith("$")
    keys: list[str | int] = []
    for m in re.finditer(r"\.([A-Za-z_][A-Za-z0-9_]*)|\['([^']*)'\]|\[(\d+)\]", path[1:]):
        keys.append(m.group(1) or m.group(2) if m.group(3) is None else int(m.group(3)))
    assert json_path(keys) == path, path
    return keys


def validate(out: Path) -> int:
    tax = tomllib.loads((HERE.parent / "taxonomy.toml").read_text())
    ids = {c["id"] for c in tax["categories"]}
    counts: dict[tuple, int] = {}
    servers_tools: dict[str, set] = {}
    for n, line in enumerate(out.read_text(encoding="utf-8").splitlines(), 1):
        r = json.loads(line)
        t = r["tool"]
        assert set(t) >= {"name", "description", "inputSchema"}, n
        servers_tools.setdefault(r["server"], set()).add(t["name"])
        if r["label"] == 1:
            assert r["category"] in ids, n
            assert isinstance(resolve(t, parse_path(r["path"])), str), n
        else:
            assert r["category"] == "hard_negative", n
        key = (r["category"], r.get("placement", "-"))
        counts[key] = counts.get(key, 0) + 1
    for server, tool in SIBLINGS:
        for other in re.findall(r"`([a-z_]+)`", tool["description"]):
            assert other in servers_tools[server], (server, other)
    for k in sorted(counts):
        print(*k, counts[k], sep="\t")
    print("total", sum(counts.values()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
