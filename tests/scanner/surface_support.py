"""Helpers for the surface tests: the surface fixture server, and the hashes it must get
recomputed independently of ``scanner.contract`` (the JCS of tests/scanner/test_hashing_jcs.py,
written from the RFC, with SHA-256 from hashlib)."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.scanner import surface_server as fixture
from tests.scanner.test_hashing_jcs import independent_jcs
from tests.support import port_open, running, wait_for

SURFACE_SERVER = Path(fixture.__file__).resolve()
KEYS = {"prompts": "name", "resources": "uri", "resource_templates": "uriTemplate", "tools": "name"}


def surface_argv(variant: str, *extra: str) -> tuple[str, ...]:
    return (sys.executable, str(SURFACE_SERVER), variant, *extra)


def served(variant: str) -> dict[str, Any]:
    """What the fixture lists, keyed as the surface object names its lists, in wire order."""
    return {
        "instructions": fixture.INSTRUCTIONS[variant],
        "tools": fixture.tools(),
        "prompts": fixture.prompts(variant),
        "resources": fixture.resources(variant),
        "resource_templates": fixture.templates(variant),
    }


def utf16(text: str) -> bytes:
    return text.encode("utf-16-be")


def sha(value: Any) -> str:
    return hashlib.sha256(independent_jcs(value).encode("utf-8")).hexdigest()


def expected_surface_sha256(surface: dict[str, Any]) -> str:
    """The surface hash from its definition: each list sorted by its key in UTF-16 code units."""
    doc: dict[str, Any] = {"instructions": surface["instructions"]}
    for name, key in KEYS.items():
        keyed = [(utf16(str(item[key])), i) for i, item in enumerate(surface[name])]
        doc[name] = [surface[name][i] for _, i in sorted(keyed)]
    return sha(doc)


@contextmanager
def surface_http(tmp_path: Path, variant: str, *extra: str) -> Iterator[int]:
    """The fixture serving streamable HTTP on loopback; yields its port."""
    port_file = tmp_path / f"port-{variant}"
    with running([*surface_argv(variant, *extra), "--http", str(port_file)]):
        wait_for(port_file.exists, what="the server to write its port")
        port = int(port_file.read_text())
        wait_for(lambda: port_open(port), what="the server to listen")
        yield port
