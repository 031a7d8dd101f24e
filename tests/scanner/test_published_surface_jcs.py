"""The surface hash of a real published server, recomputed by someone else's code: the
scanner's ``surface_sha256``, ``manifest_sha256``, instructions hash and every item hash of
``@modelcontextprotocol/server-everything`` equal what the npm package ``canonicalize``
(the RFC 8785 implementation in JavaScript by one of the RFC's authors) and Node.js's own
SHA-256 and string ordering compute from the lists the scanner captured."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest

from scanner.contract.surface import ItemKind
from scanner.scan import scan_source_sync
from scanner.sources import StdioSource
from tests.conftest import NODE_BIN
from tests.scanner.conftest import NORMAL

NODE_FIXTURES = NODE_BIN.parents[1]
EVERYTHING = NODE_BIN / "mcp-server-everything"

# Everything on the JavaScript side: the sort by key (JavaScript compares strings by UTF-16
# code units, as the contract orders them), the canonical JSON and the SHA-256.
RECOMPUTE = """
import canonicalize from "canonicalize";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
const s = JSON.parse(readFileSync(0, "utf8"));
const sha = (v) => createHash("sha256").update(canonicalize(v), "utf8").digest("hex");
const keys = { tools: "name", prompts: "name", resources: "uri", resource_templates: "uriTemplate" };
const order = (k) => (a, b) => (a[k] < b[k] ? -1 : a[k] > b[k] ? 1 : 0);
const sorted = (list) => [...s[list]].sort(order(keys[list]));
const surface = {
  instructions: s.instructions,
  prompts: sorted("prompts"),
  resource_templates: sorted("resource_templates"),
  resources: sorted("resources"),
  tools: sorted("tools"),
};
const items = {};
for (const [list, key] of Object.entries(keys)) items[list] = Object.fromEntries(s[list].map((i) => [i[key], sha(i)]));
process.stdout.write(JSON.stringify({
  surface_sha256: sha(surface),
  manifest_sha256: sha(surface.tools),
  instructions_sha256: sha(surface.instructions),
  items,
}));
"""


def _recompute(captured: dict[str, Any]) -> dict[str, Any]:
    node = shutil.which("node")
    assert node is not None
    done = subprocess.run(
        [node, "--input-type=module", "-e", RECOMPUTE],
        input=json.dumps(captured).encode(),
        capture_output=True,
        cwd=NODE_FIXTURES,  # where `canonicalize` is installed (package-lock.json pins it)
        timeout=60,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.mark.npm
def test_server_everythings_surface_hash_equals_an_independent_javascript_jcs_recomputation() -> None:
    report = scan_source_sync(StdioSource(argv=(str(EVERYTHING), "stdio")), limits=NORMAL)
    surface = report.surface()
    assert surface.tools and surface.prompts and surface.resources and surface.resource_templates
    assert surface.instructions  # every part of the surface is exercised
    captured = {
        "instructions": surface.instructions,
        "tools": surface.tools,
        "prompts": surface.prompts,
        "resources": surface.resources,
        "resource_templates": surface.resource_templates,
    }
    theirs = _recompute(captured)
    assert report.surface_sha256 == theirs["surface_sha256"]
    assert report.manifest_sha256 == theirs["manifest_sha256"]
    assert report.instructions_sha256 == theirs["instructions_sha256"]
    for kind in ItemKind:
        assert report.item_hashes(kind) == theirs["items"][kind.value], kind
