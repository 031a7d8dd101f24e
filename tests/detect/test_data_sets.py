"""The data sets keep their servers apart: no real server sits in two sets or splits, and the
realworld files are well formed with every server in the split its name hashes to."""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[2] / "data"
REALWORLD = DATA / "realworld"
SPLITS = ("train", "dev", "test")
# Sets of real, published servers. The corpus is built from data/real, so they are one set.
REAL_SETS = {
    "corpus": ("corpus.jsonl", "real/real-tools.json", "real/livemcpbench-tools.json"),
    "holdout": ("holdout/real_benign.jsonl",),
    "holdout2": ("holdout2/real_benign.jsonl",),
    "holdout3-dev": ("holdout3/real_benign_dev.jsonl",),
    "holdout3-test": ("holdout3/real_benign_test.jsonl",),
}
# Sets of invented servers (hard negatives, dev sets): their names are fixtures, not packages,
# and repeat one another; realworld must still not use any of them.
INVENTED_SETS = (
    "holdout/hard_negatives.jsonl",
    "holdout2/hard_negatives.jsonl",
    "blind5/hard_negatives.jsonl",
    "dev4a/dev4a.jsonl",
    "dev4b/dev4b.jsonl",
)
# No exception left: holdout2's rows of the two servers it shared with holdout were dropped.
KNOWN_OVERLAP: dict[tuple[str, str], set[str]] = {}
SPLIT_SALT = "realworld-split-v1:"


def norm(name: str) -> str:
    """One spelling per package: registry/set prefix and version dropped, lower case, -_. as a dash."""
    for prefix in ("npm:", "pypi:", "livemcpbench:"):
        name = name.removeprefix(prefix)
    name = name.strip().lower()
    name = "@" + name[1:].split("@", 1)[0] if name.startswith("@") else name.split("@", 1)[0].split("==", 1)[0]
    return re.sub(r"[-_.]+", "-", name)


def jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def servers_in(rel: str) -> set[str]:
    """Normalised server names of one file: the server field, the keys of real-tools.json, or the
    names and launch-configuration packages of livemcpbench-tools.json."""
    path = DATA / rel
    if rel.endswith("real-tools.json"):
        return {norm(k) for k in json.loads(path.read_text("utf-8"))}
    if rel.endswith("livemcpbench-tools.json"):
        names: set[str] = set()
        for entry in json.loads(path.read_text("utf-8")):
            names.add(norm(entry["name"]))
            for key, launch in entry["config"].get("mcpServers", {}).items():
                names.add(norm(key))
                names |= {norm(a) for a in launch.get("args", []) if not a.startswith("-") and "://" not in a}
        return names
    return {norm(r["server"]) for r in jsonl(path) if isinstance(r.get("server"), str)}


def split_of(registry: str, package: str) -> str:
    bucket = int.from_bytes(hashlib.sha256(f"{SPLIT_SALT}{registry}:{package}".encode()).digest()[:8], "big") % 100
    return "train" if bucket < 60 else "dev" if bucket < 80 else "test"


@cache
def realworld_rows() -> dict[str, list[dict[str, Any]]]:
    return {s: jsonl(REALWORLD / f"{s}.jsonl") if (REALWORLD / f"{s}.jsonl").exists() else [] for s in SPLITS}


@cache
def realworld_servers() -> list[dict[str, Any]]:
    return jsonl(REALWORLD / "servers.jsonl")


@cache
def all_sets() -> dict[str, set[str]]:
    sets = {name: set().union(*(servers_in(rel) for rel in files)) for name, files in REAL_SETS.items()}
    for split in SPLITS:
        sets[f"realworld-{split}"] = {norm(r["server"]) for r in realworld_rows()[split]}
    return sets


def test_real_server_sets_are_pairwise_disjoint_apart_from_the_known_overlap() -> None:
    sets = all_sets()
    unexpected = {}
    for a, b in itertools.combinations(sets, 2):
        shared = (sets[a] & sets[b]) - KNOWN_OVERLAP.get((a, b), set())
        if shared:
            unexpected[(a, b)] = sorted(shared)
    assert unexpected == {}


def test_holdout_and_holdout2_share_no_server() -> None:
    sets = all_sets()
    assert sets["holdout"] & sets["holdout2"] == set()


def test_holdout3_whole_file_is_exactly_its_two_halves() -> None:
    whole = servers_in("holdout3/real_benign.jsonl")
    assert whole == servers_in("holdout3/real_benign_dev.jsonl") | servers_in("holdout3/real_benign_test.jsonl")


def test_realworld_uses_no_server_of_an_invented_set() -> None:
    invented = set().union(*(servers_in(rel) for rel in INVENTED_SETS))
    used = {norm(s["package"]) for s in realworld_servers()}
    assert used & invented == set()


def test_realworld_rows_parse_and_sit_in_the_split_their_server_hashes_to() -> None:
    kinds: Counter[str] = Counter()
    for split, rows in realworld_rows().items():
        for row in rows:
            assert row["label"] == 0 and row["category"] == "benign"
            assert row["registry"] in {"npm", "pypi"} and isinstance(row["package_version"], str)
            assert split_of(row["registry"], row["server"]) == split, row["server"]
            kind = row.get("kind", "tool")
            kinds[kind] += 1
            if kind == "tool":
                assert isinstance(row["tool"], dict) and isinstance(row["tool"]["name"], str)
            elif kind == "instructions":
                assert isinstance(row["text"], str) and row["text"]
            else:
                assert kind in {"prompt", "resource", "resource_template"} and isinstance(row["item"], dict)
    assert kinds["tool"] > 0


def test_servers_file_matches_the_rows_one_version_per_package() -> None:
    servers = realworld_servers()
    keys = [(s["registry"], s["package"]) for s in servers]
    assert len(keys) == len(set(keys)), "a package captured twice"
    counted: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    versions: dict[tuple[str, str], set[str]] = defaultdict(set)
    for rows in realworld_rows().values():
        for row in rows:
            key = (row["registry"], row["server"])
            counted[key][row.get("kind", "tool")] += 1
            versions[key].add(row["package_version"])
    assert set(counted) == set(keys)
    for s in servers:
        key = (s["registry"], s["package"])
        assert s["split"] == split_of(*key)
        assert versions[key] == {s["version"]}
        got = counted[key]
        c = s["counts"]
        assert (got["tool"], got["prompt"], got["resource"]) == (c["tools"], c["prompts"], c["resources"]), key
        assert (got["resource_template"], got["instructions"]) == (c["resource_templates"], c["instructions"]), key
        assert s["licence_missing"] == (s["licence"] is None)


def test_skipped_candidates_are_recorded_with_a_reason_and_never_captured() -> None:
    skipped = jsonl(REALWORLD / "skipped.jsonl")
    captured = {(s["registry"], s["package"]) for s in realworld_servers()}
    for row in skipped:
        assert row["reason"] and row["registry"] in {"npm", "pypi"} and row["package"]
        assert (row["registry"], row["package"]) not in captured
