"""Write attacks.jsonl: every hand-written payload placed into its carrier (deterministic, no network)."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from carriers_local import LOCAL
from carriers_tools import CARRIERS
from inject import P, build, carrier_of
from payloads_a import COERCIVE_PSEUDO_TAG, EXFILTRATION, INSTRUCTION_OVERRIDE, SENSITIVE_FILE_ACCESS
from payloads_b import (
    CONCEALMENT,
    CROSS_SERVER_SHADOWING,
    FUNCTION_DEPENDENCY_INJECTION,
    PREFERENCE_MANIPULATION,
)
from payloads_c import COMMAND_EXECUTION, CREDENTIAL_PHISHING, PARAMETER_SUBSTITUTION
from payloads_d import OBFUSCATION, TYPOSQUATTING
from payloads_e import EXTRA

HERE = Path(__file__).resolve().parent

CATEGORIES: dict[str, list[P]] = {
    "instruction_override": INSTRUCTION_OVERRIDE,
    "coercive_pseudo_tag": COERCIVE_PSEUDO_TAG,
    "sensitive_file_access": SENSITIVE_FILE_ACCESS,
    "exfiltration": EXFILTRATION,
    "concealment": CONCEALMENT,
    "cross_server_shadowing": CROSS_SERVER_SHADOWING,
    "function_dependency_injection": FUNCTION_DEPENDENCY_INJECTION,
    "preference_manipulation": PREFERENCE_MANIPULATION,
    "parameter_substitution": PARAMETER_SUBSTITUTION,
    "command_execution": COMMAND_EXECUTION,
    "credential_phishing": CREDENTIAL_PHISHING,
    "obfuscation": OBFUSCATION,
    "typosquatting": TYPOSQUATTING,
}

# A carrier whose own documentation is at least this long reads as a vendor's full product doc.
VENDOR_DOC_CHARS = 200


def _style(category: str, p: P) -> str:
    """How the row reads: a vendor's full doc with one added obligation, a short item, or a stand-alone tool."""
    if category == "typosquatting":
        return "typosquat"
    if p.placement == "extra_tool":
        return "standalone_tool"
    if p.short:
        return "short"
    _, kind, item, _ = carrier_of(p.carrier)
    base = item if kind == "instructions" else item["description"]
    return "vendor_doc" if len(base) >= VENDOR_DOC_CHARS else "short"


def _lang(p: P) -> str:
    if p.lang != "en":
        return p.lang
    if p.carrier in LOCAL and p.placement not in ("extra_tool",):
        return LOCAL[p.carrier][2]
    return "en"


def _spread(index: int, p: P) -> P:
    """Move some end-of-description payloads into the middle or to the start of multi-paragraph docs.

    Most payloads are written as a closing paragraph; burying a share of them between the vendor's own
    paragraphs (or leading with them) is how real poisoned descriptions vary, and it is deterministic.
    """
    if p.placement != "description_end" or p.short or p.method or p.carrier not in (*CARRIERS, *LOCAL):
        return p
    _, _, item, _ = carrier_of(p.carrier)
    if "\n\n" not in item["description"]:
        return p
    if index % 3 == 1:
        return replace(p, placement="description_middle")
    if index % 5 == 3:
        return replace(p, placement="description_start")
    return p


def row(category: str, p: P) -> dict[str, Any]:
    """One JSONL row for a payload."""
    server, kind, item = build(p)
    r: dict[str, Any] = {"label": 1, "category": category, "placement": p.placement, "server": server,
                         "kind": kind, "lang": _lang(p), "style": _style(category, p)}
    if p.carrier in CARRIERS or p.carrier in LOCAL:
        r["carrier_language"] = "en" if p.carrier in CARRIERS else LOCAL[p.carrier][2]
    if category == "obfuscation":
        r["obfuscation"] = p.method
        r["hidden_text"] = (p.hidden or "").replace(" | ", " ")
    if category == "typosquatting":
        r["imitates"] = p.hidden
    if kind == "tool":
        r["tool"] = item
    elif kind == "instructions":
        r["text"] = item
    else:
        r["item"] = item
    return r


def main() -> int:
    """Write attacks.jsonl and print the per-category counts."""
    for cat, extra in EXTRA.items():
        CATEGORIES[cat] = [*CATEGORIES[cat], *extra]
    rows = [row(cat, _spread(i, p)) for cat, payloads in CATEGORIES.items() for i, p in enumerate(payloads)]
    seen: set[str] = set()
    for r in rows:
        key = json.dumps(r, sort_keys=True, ensure_ascii=False)
        if key in seen:
            raise SystemExit(f"duplicate row in {r['category']}")
        seen.add(key)
    out = HERE / "attacks.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    for cat, payloads in CATEGORIES.items():
        print(f"{cat:32} {len(payloads)}")
    print(f"{'total':32} {len(rows)}  -> {out.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
