"""Server names already used by the other data sets, and the realworld split rule.

The names come from the ``server`` field of each JSONL set (never the tool texts), the keys of
``data/real/real-tools.json`` and the packages named in the launch configurations of
``data/real/livemcpbench-tools.json``. The attack sets are not read: their servers are invented.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

DATA = Path(__file__).resolve().parents[1]

# Every set whose servers a realworld server must not repeat (relative to data/).
JSONL_SETS = (
    "corpus.jsonl",
    "holdout/real_benign.jsonl",
    "holdout/hard_negatives.jsonl",
    "holdout2/real_benign.jsonl",
    "holdout2/hard_negatives.jsonl",
    "blind5/hard_negatives.jsonl",
    "holdout3/real_benign.jsonl",
    "holdout3/real_benign_dev.jsonl",
    "holdout3/real_benign_test.jsonl",
    "dev4a/dev4a.jsonl",
    "dev4b/dev4b.jsonl",
)
SPLITS = ("train", "dev", "test")
SPLIT_SALT = "realworld-split-v1:"


def split_of(registry: str, package: str) -> str:
    """The split a server belongs to: the first 8 bytes of sha256(salt + registry:package) mod 100."""
    digest = hashlib.sha256(f"{SPLIT_SALT}{registry}:{package}".encode()).digest()
    bucket = int.from_bytes(digest[:8], "big") % 100
    if bucket < 60:
        return "train"
    return "dev" if bucket < 80 else "test"


def normalise(name: str) -> str:
    """One spelling per package: lower case, a version suffix dropped, runs of -_. as one dash."""
    name = name.strip().lower()
    bare = "@" + name[1:].split("@", 1)[0] if name.startswith("@") else name.split("@", 1)[0].split("==", 1)[0]
    return re.sub(r"[-_.]+", "-", bare)


def _jsonl_servers(path: Path) -> set[str]:
    names: set[str] = set()
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            server = json.loads(line).get("server")
            if isinstance(server, str):
                names.add(server)
    return names


def _livemcpbench_names(path: Path) -> set[str]:
    names: set[str] = set()
    for entry in json.loads(path.read_text("utf-8")):
        names.add(entry["name"])
        for key, launch in entry.get("config", {}).get("mcpServers", {}).items():
            names.add(key)
            names.update(arg for arg in launch.get("args", []) if not arg.startswith("-") and "://" not in arg)
    return names


def existing_names() -> set[str]:
    """Normalised names of every server in the other sets (registry and set prefixes stripped)."""
    raw: set[str] = set()
    for rel in JSONL_SETS:
        if (DATA / rel).exists():
            raw |= _jsonl_servers(DATA / rel)
    raw |= set(json.loads((DATA / "real" / "real-tools.json").read_text("utf-8")))
    raw |= _livemcpbench_names(DATA / "real" / "livemcpbench-tools.json")
    out: set[str] = set()
    for name in raw:
        bare = name
        for prefix in ("npm:", "pypi:", "livemcpbench:"):
            bare = bare.removeprefix(prefix)
        out.add(normalise(bare))
    return out
