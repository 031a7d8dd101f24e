"""The realworld data files: rows appended per server as captured, resumable after a crash.

Tool texts are handled only mechanically: hashed to spot a server that repeats another one
(a republished copy) and written out; nothing here prints them.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections import Counter
from pathlib import Path
from typing import Any

from capture import Listing
from install import Installed, Skip
from sets import DATA, JSONL_SETS, SPLITS, normalise, split_of

DUPLICATE_SHARE = 0.5  # a server whose tools are at least half another's is a copy of it


def fingerprint(tool: dict[str, Any]) -> str:
    """A hash of a tool's name and description (what a copy would repeat)."""
    text = f"{tool.get('name')}\0{tool.get('description')}"
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()


def _tool_dicts(node: Any) -> list[dict[str, Any]]:
    """Every dict under ``node`` with a string name and description (the tools of any set's layout)."""
    if isinstance(node, list):
        return [t for item in node for t in _tool_dicts(item)]
    if not isinstance(node, dict):
        return []
    own = [node] if isinstance(node.get("name"), str) and isinstance(node.get("description"), str) else []
    return own + [t for value in node.values() for t in _tool_dicts(value)]


def existing_fingerprints() -> set[str]:
    """Fingerprints of every tool in the other data sets (attack sets excluded)."""
    out: set[str] = set()
    for rel in JSONL_SETS:
        if (DATA / rel).exists():
            for line in (DATA / rel).read_text("utf-8").splitlines():
                if line.strip():
                    out |= {fingerprint(t) for t in _tool_dicts(json.loads(line).get("tool"))}
    for rel in ("real/real-tools.json", "real/livemcpbench-tools.json"):
        out |= {fingerprint(t) for t in _tool_dicts(json.loads((DATA / rel).read_text("utf-8")))}
    return out


def _key(row: dict[str, Any]) -> tuple[str, str]:
    return row["registry"], row["server"]


class Store:
    """Appends rows to train/dev/test.jsonl, servers.jsonl and skipped.jsonl under one lock."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.lock = threading.Lock()
        self.servers = self._read("servers.jsonl")
        self.skipped = self._read("skipped.jsonl")
        self.seen = {(r["registry"], r["package"]) for r in self.servers + self.skipped}
        self.others = existing_fingerprints()
        self.owner: dict[str, str] = {}
        self._drop_unfinished()

    def _read(self, name: str) -> list[dict[str, Any]]:
        path = self.folder / name
        return [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()] if path.exists() else []

    def _drop_unfinished(self) -> None:
        """Rows of a server whose servers.jsonl line was never written (a crash mid-server) are removed."""
        finished = {(r["registry"], r["package"]) for r in self.servers}
        for split in SPLITS:
            path = self.folder / f"{split}.jsonl"
            if not path.exists():
                continue
            lines = path.read_text("utf-8").splitlines()
            kept = [x for x in lines if x.strip() and _key(json.loads(x)) in finished]
            for line in kept:
                row = json.loads(line)
                if "tool" in row:
                    self.owner.setdefault(fingerprint(row["tool"]), row["server"])
            if len(kept) != len(lines):
                path.write_text("".join(f"{x}\n" for x in kept), "utf-8")

    def captured_names(self) -> set[str]:
        """Normalised names of the servers captured so far (from either registry)."""
        with self.lock:
            return {normalise(s["package"]) for s in self.servers}

    def done(self, cand: dict[str, str]) -> bool:
        """Whether a candidate was already captured or skipped."""
        return (cand["registry"], cand["package"]) in self.seen

    def _check_copy(self, package: str, tools: list[dict[str, Any]]) -> None:
        prints = [fingerprint(t) for t in tools]
        if not prints:
            return
        if sum(p in self.others for p in prints) >= DUPLICATE_SHARE * len(prints):
            raise Skip("copy-of-existing-set", "its tools repeat tools of another data set")
        owners = Counter(self.owner[p] for p in prints if p in self.owner and self.owner[p] != package)
        if owners and owners.most_common(1)[0][1] >= DUPLICATE_SHARE * len(prints):
            raise Skip("copy-of-captured-server", owners.most_common(1)[0][0])

    def add(self, inst: Installed, listing: Listing, meta: dict[str, Any], at: str) -> None:
        """Write one captured server: its rows to its split file, then its line to servers.jsonl."""
        split = split_of(inst.registry, inst.package)
        head = {"label": 0, "category": "benign", "server": inst.package, "registry": inst.registry,
                "package_version": inst.version}  # fmt: skip
        rows = [{**head, "tool": t} for t in listing.tools]
        for kind, items in (("prompt", listing.prompts), ("resource", listing.resources),
                            ("resource_template", listing.templates)):  # fmt: skip
            rows += [{**head, "kind": kind, "item": item} for item in items]
        if listing.instructions:
            rows.append({**head, "kind": "instructions", "text": listing.instructions})
        counts = {"tools": len(listing.tools), "prompts": len(listing.prompts),
                  "resources": len(listing.resources), "resource_templates": len(listing.templates),
                  "instructions": int(bool(listing.instructions))}  # fmt: skip
        server = {
            "registry": inst.registry, "package": inst.package, "version": inst.version,
            "licence": inst.licence, "licence_source": inst.licence_source, "licence_missing": inst.licence is None,
            "split": split, "counts": counts, **meta, "sdk_dependency": inst.sdk_dependency,
            "python": inst.python or None,
            "server_info": {"name": listing.server_name, "version": listing.server_version},
            "protocol_version": listing.protocol_version, "sandbox": "bwrap --unshare-all", "captured_at": at,
        }  # fmt: skip
        with self.lock:
            self._check_copy(inst.package, listing.tools)
            self._append(f"{split}.jsonl", rows)
            self._append("servers.jsonl", [server])
            self.servers.append(server)
            self.seen.add((inst.registry, inst.package))
            for tool in listing.tools:
                self.owner.setdefault(fingerprint(tool), inst.package)

    def skip(self, cand: dict[str, str], version: str, reason: str, detail: str, at: str) -> None:
        """Record why a candidate yielded nothing."""
        registry, package = cand["registry"], cand["package"]
        row = {"registry": registry, "package": package, "version": version, "reason": reason, "detail": detail,
               "at": at}  # fmt: skip
        with self.lock:
            self._append("skipped.jsonl", [row])
            self.skipped.append(row)
            self.seen.add((registry, package))

    def _append(self, name: str, rows: list[dict[str, Any]]) -> None:
        with (self.folder / name).open("a", encoding="utf-8") as fh:
            fh.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
            fh.flush()
            os.fsync(fh.fileno())

    def summary(self) -> str:
        """Counts so far, for the log (no texts)."""
        tools = sum(s["counts"]["tools"] for s in self.servers)
        return f"{len(self.servers)} servers, {tools} tools, {len(self.skipped)} skipped"
