"""Format check of the blind5 set: rows parse, fields are present, categories exist, MCP wire shapes hold.

It does not score anything and never runs the detector. Exit code 0 when every check passes, 1 otherwise.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE.parent
KINDS = {"tool", "prompt", "resource", "resource_template", "instructions"}
TOOL_PLACEMENTS = {
    "description_start", "description_middle", "description_end", "param_description", "extra_param",
    "property_name", "default", "enum", "examples", "title", "annotations", "output_schema", "extra_tool",
    "tool_name", "server_name",
}
OTHER_PLACEMENTS = {
    "prompt": {"prompt_description", "prompt_argument"},
    "resource": {"resource_description"},
    "resource_template": {"resource_template_description"},
    "instructions": {"instructions"},
}
TOOL_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
HINTS = {"readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"}
MINIMUMS = {"attacks": 400, "per_category": 25, "non_tool": 40, "vendor_doc": 150, "hard_negatives": 100}


def _schema_errors(schema: Any, where: str) -> list[str]:
    errs: list[str] = []
    if not isinstance(schema, dict) or schema.get("type") != "object":
        return [f"{where}: must be an object schema with type 'object'"]
    props = schema.get("properties", {})
    if not isinstance(props, dict):
        return [f"{where}.properties: must be an object"]
    for name, spec in props.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("type", "string"), str):
            errs.append(f"{where}.properties.{name}: must be a schema object")
        elif "description" in spec and not isinstance(spec["description"], str):
            errs.append(f"{where}.properties.{name}.description: must be a string")
    required = schema.get("required", [])
    if not isinstance(required, list) or any(r not in props for r in required):
        errs.append(f"{where}.required: must list existing properties")
    return errs


def tool_errors(t: Any) -> list[str]:
    """Problems with a tools/list item."""
    if not isinstance(t, dict):
        return ["tool: must be an object"]
    errs: list[str] = []
    if not isinstance(t.get("name"), str) or not TOOL_NAME.match(t["name"]):
        errs.append(f"tool.name: bad name {t.get('name')!r}")
    if not isinstance(t.get("description"), str) or not t["description"].strip():
        errs.append("tool.description: must be a non-empty string")
    errs += _schema_errors(t.get("inputSchema"), "tool.inputSchema")
    if "title" in t and not isinstance(t["title"], str):
        errs.append("tool.title: must be a string")
    ann = t.get("annotations", {})
    if not isinstance(ann, dict) or any(k in HINTS and not isinstance(v, bool) for k, v in ann.items()):
        errs.append("tool.annotations: hints must be booleans")
    if "outputSchema" in t:
        errs += _schema_errors(t["outputSchema"], "tool.outputSchema")
    extra = set(t) - {"name", "title", "description", "inputSchema", "annotations", "outputSchema"}
    if extra:
        errs.append(f"tool: unknown fields {sorted(extra)}")
    return errs


def item_errors(kind: str, item: Any) -> list[str]:
    """Problems with a prompt, resource or resource template item."""
    if not isinstance(item, dict):
        return [f"{kind}: must be an object"]
    need = {"prompt": ("name", "description"), "resource": ("uri", "name", "description", "mimeType"),
            "resource_template": ("uriTemplate", "name", "description", "mimeType")}[kind]
    errs = [f"{kind}.{k}: must be a non-empty string" for k in need
            if not isinstance(item.get(k), str) or not item[k].strip()]
    if kind == "prompt":
        for i, arg in enumerate(item.get("arguments", [])):
            if not isinstance(arg, dict) or not isinstance(arg.get("name"), str):
                errs.append(f"prompt.arguments[{i}]: needs a name")
            elif not isinstance(arg.get("required", False), bool):
                errs.append(f"prompt.arguments[{i}].required: must be a boolean")
    if kind == "resource" and "://" not in item.get("uri", ""):
        errs.append("resource.uri: needs a scheme")
    if kind == "resource_template" and "{" not in item.get("uriTemplate", ""):
        errs.append("resource_template.uriTemplate: needs a {variable}")
    return errs


def _body_errors(r: dict[str, Any], kind: str) -> list[str]:
    body = {"tool": "tool", "instructions": "text"}.get(kind, "item")
    stray = {"tool", "item", "text"} - {body}
    if body not in r or any(k in r for k in stray):
        return [f"kind {kind}: needs exactly the '{body}' field"]
    if kind == "tool":
        return tool_errors(r["tool"])
    if kind == "instructions":
        ok = isinstance(r["text"], str) and r["text"].strip()
        return [] if ok else ["text: must be a non-empty string"]
    return item_errors(kind, r["item"])


def _attack_errors(r: dict[str, Any], kind: str) -> list[str]:
    errs: list[str] = []
    allowed = TOOL_PLACEMENTS if kind == "tool" else OTHER_PLACEMENTS[kind]
    if r.get("placement") not in allowed:
        errs.append(f"placement: {r.get('placement')!r} not allowed for kind {kind}")
    if r.get("category") == "obfuscation" and not (r.get("obfuscation") and r.get("hidden_text")):
        errs.append("obfuscation rows need 'obfuscation' and 'hidden_text'")
    return errs


def row_errors(r: Any, categories: set[str], attack: bool) -> list[str]:
    """Problems with one row."""
    if not isinstance(r, dict):
        return ["row: must be an object"]
    errs: list[str] = []
    if r.get("label") != (1 if attack else 0):
        errs.append(f"label: must be {1 if attack else 0}")
    cat = r.get("category")
    if attack and cat not in categories:
        errs.append(f"category: {cat!r} is not a taxonomy id")
    if not attack and cat != "hard_negative":
        errs.append("category: must be 'hard_negative'")
    if not isinstance(r.get("server"), str) or not r["server"].strip():
        errs.append("server: must be a non-empty string")
    kind = r.get("kind")
    if kind not in KINDS:
        return [*errs, f"kind: {kind!r} is not one of {sorted(KINDS)}"]
    errs += _body_errors(r, kind)
    if attack:
        errs += _attack_errors(r, kind)
    if not isinstance(r.get("lang"), str) or not re.fullmatch(r"[a-z]{2}", r["lang"]):
        errs.append("lang: must be a two-letter code")
    return errs


def load(path: Path) -> tuple[list[Any], list[str]]:
    """Parsed rows of a JSONL file and the lines that did not parse."""
    rows: list[Any] = []
    errs: list[str] = []
    for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            errs.append(f"{path.name}:{no}: not JSON ({exc.msg})")
            rows.append(None)
    return rows, errs


def other_server_names() -> set[str]:
    """The `server` values of every other JSONL data set in data/ (only that field is read)."""
    names: set[str] = set()
    for path in DATA.rglob("*.jsonl"):
        if HERE in path.parents:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                value = json.loads(line).get("server")
            except (json.JSONDecodeError, AttributeError):
                continue
            if isinstance(value, str):
                names.add(value.lower())
    return names


def main() -> int:
    """Check both files and print the counts; non-zero exit on any problem."""
    taxonomy = tomllib.loads((DATA / "taxonomy.toml").read_text(encoding="utf-8"))
    categories = {c["id"] for c in taxonomy["categories"]}
    problems: list[str] = []
    files = {"attacks": HERE / "attacks.jsonl", "hard_negatives": HERE / "hard_negatives.jsonl"}
    loaded: dict[str, list[Any]] = {}
    for name, path in files.items():
        rows, errs = load(path)
        problems += errs
        for no, r in enumerate(rows, 1):
            if r is not None:
                problems += [f"{path.name}:{no}: {e}" for e in row_errors(r, categories, name == "attacks")]
        loaded[name] = [r for r in rows if isinstance(r, dict)]
    attacks, negatives = loaded["attacks"], loaded["hard_negatives"]
    per_cat = Counter(r.get("category") for r in attacks)
    problems += [f"category {c}: {per_cat[c]} rows < {MINIMUMS['per_category']}"
                 for c in sorted(categories) if per_cat[c] < MINIMUMS["per_category"]]
    non_tool = sum(r.get("kind") != "tool" for r in attacks)
    vendor = sum(r.get("style") == "vendor_doc" for r in attacks)
    foreign = sum(r.get("lang") != "en" for r in attacks)
    checks = [("attacks", len(attacks)), ("non_tool", non_tool), ("vendor_doc", vendor),
              ("hard_negatives", len(negatives))]
    problems += [f"{k}: {v} < {MINIMUMS[k]}" for k, v in checks if v < MINIMUMS[k]]
    if foreign * 10 < len(attacks):
        problems.append(f"non-English attack rows: {foreign} is under 10%")
    taken = other_server_names()
    clashes = sorted({r["server"] for r in attacks + negatives if r.get("server", "").lower() in taken})
    problems += [f"server name also used by another data set: {s}" for s in clashes]
    for p in problems:
        print(p)
    print(f"attacks {len(attacks)} (non-tool {non_tool}, vendor_doc {vendor}, non-English {foreign}); "
          f"hard negatives {len(negatives)}; categories {len(per_cat)}/{len(categories)}")
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
