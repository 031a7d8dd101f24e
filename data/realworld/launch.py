"""How to start a stranger's server: arguments from its README's client configuration, dummy settings.

Everything here reads package documentation mechanically: the ``"args"`` arrays and ``"env"``
objects of the JSON client configurations a README shows, and the upper-case setting names it
mentions. Each setting gets a dummy value: a loopback address where nothing listens for URLs and
hosts, the sandbox's scratch folder for paths, ``dummy`` otherwise.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from sets import normalise

DEAD_URL = "http://127.0.0.1:9"  # port 9 (discard) on loopback: every connection fails at once
SCRATCH = "/tmp/work"  # noqa: S108 - a folder on the sandbox's private tmpfs
SANDBOX_HOME = "/tmp/home"  # noqa: S108 - likewise
README_LIMIT = 300_000
MAX_SETTINGS = 40

_ARGS = re.compile(r'"args"\s*:\s*\[([^\]]{0,600})\]', re.DOTALL)
_ENV_BLOCK = re.compile(r'"env"\s*:\s*\{([^{}]{0,2000})\}', re.DOTALL)
_SETTING = re.compile(r"\b[A-Z][A-Z0-9]+(?:_[A-Z0-9]+)+\b")
_SUFFIXES = (
    "KEY", "TOKEN", "SECRET", "PASSWORD", "PASS", "PAT", "URL", "URI", "HOST", "ENDPOINT", "ID", "USER",
    "USERNAME", "EMAIL", "DOMAIN", "REGION", "ORG", "ORGANIZATION", "PROJECT", "WORKSPACE", "ACCOUNT",
    "TENANT", "INSTANCE", "SITE", "TEAM", "DATABASE", "DB", "BUCKET", "PATH", "DIR", "DIRECTORY", "ROOT",
    "FILE", "SERVER", "APIKEY",
)  # fmt: skip
# Settings that steer the runtime or the transport rather than name a credential or endpoint.
_RESERVED = re.compile(
    r"^(NODE_|NPM_|PYTHON|LD_|UV_|PIP_|HOME$|PATH$|TMPDIR$|HTTPS?_PROXY|NO_PROXY|ALL_PROXY|.*TRANSPORT|.*_PORT$"
    r"|.*LOG_|.*DEBUG|MCP_MODE)"
)
_NOT_STDIO = {"sse", "http", "streamable-http", "streamable_http", "streamablehttp", "--port", "--sse", "--http"}
_PLACEHOLDER = re.compile(r"<|>|your|xxx|\$\{|\$[A-Z]|\{\{", re.IGNORECASE)
_PATHLIKE = re.compile(r"^(/|~|[A-Za-z]:\\)|path/to|/Users/|/home/")


def dummy_value(name: str) -> str:
    """A harmless stand-in for a setting, chosen by what its name says it holds."""
    last = name.rsplit("_", 1)[-1]
    if last in {"URL", "URI", "ENDPOINT", "SERVER"}:
        return DEAD_URL
    if last == "HOST":
        return "127.0.0.1"
    if last in {"PATH", "DIR", "DIRECTORY", "ROOT", "FILE"}:
        return SCRATCH
    if last == "REGION":
        return "us-east-1"
    if last == "EMAIL":
        return "dummy@example.invalid"
    return "dummy"


def settings_named(texts: Iterable[str]) -> dict[str, str]:
    """Dummy values for the credential and endpoint settings the package's documents name."""
    names: list[str] = []
    for whole in texts:
        text = whole[:README_LIMIT]
        for block in _ENV_BLOCK.findall(text):
            names += re.findall(r'"([A-Z][A-Z0-9_]+)"\s*:', block)
        names += _SETTING.findall(text)
    # Only credentials and endpoints: a dummy in any other setting (a tool-name prefix, a
    # feature switch) would change what the server lists.
    names = [n for n in names if n.rsplit("_", 1)[-1] in _SUFFIXES]
    out: dict[str, str] = {}
    for name in names:
        if name not in out and not _RESERVED.match(name) and len(out) < MAX_SETTINGS:
            out[name] = dummy_value(name)
    return out


def _clean_arg(arg: str) -> str:
    if _PATHLIKE.search(arg):
        return SCRATCH
    if _PLACEHOLDER.search(arg):
        return "dummy"
    return arg


def readme_args(readme: str, package: str, scripts: Iterable[str] = ()) -> list[list[str]]:
    """Argument lists after the package name in the README's client configurations (stdio only)."""
    target, script_names = normalise(package), {normalise(s) for s in scripts}
    found: list[list[str]] = []
    for inner in _ARGS.findall(readme[:README_LIMIT]):
        try:
            tokens = json.loads(f"[{inner}]")
        except ValueError:
            continue
        if not all(isinstance(t, str) for t in tokens):
            continue
        hits = [i for i, t in enumerate(tokens) if normalise(t) == target]
        if not hits:
            continue
        rest = tokens[hits[0] + 1 :]
        if rest and normalise(rest[0]) in script_names:
            rest = rest[1:]
        if {t.lower() for t in rest} & _NOT_STDIO:
            continue
        cleaned = [_clean_arg(t) for t in rest]
        if cleaned not in found and len(cleaned) <= 12:
            found.append(cleaned)
    return found


def settings_asked_for(stderr: str, have: dict[str, str]) -> dict[str, str]:
    """Settings a failed start names in its error output ("set FOO_API_KEY") that it did not get."""
    asked = settings_named([stderr[-20_000:]])
    return {k: v for k, v in asked.items() if k not in have}


def attempts(readme_launches: list[list[str]], settings: dict[str, str]) -> list[tuple[list[str], dict[str, str]]]:
    """The (extra argv, settings) pairs to try in order: documented arguments first, then none.
    (A third try with no settings at all rescued no server in the first hundred: dropped.)"""
    plans: list[tuple[list[str], dict[str, str]]] = []
    for args in readme_launches[:1]:
        if args:
            plans.append((args, settings))
    plans.append(([], settings))
    return plans
