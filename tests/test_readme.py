"""The README's command reference is generated text: fail when it drifts from the CLI."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

from registry.cli import main

README = Path(__file__).resolve().parent.parent / "README.md"


def test_the_readme_command_reference_matches_mcp_trust_help() -> None:
    block = re.search(
        r"<!-- cli-help:start.*?-->\n```text\n\$ mcp-trust --help\n(.*?)```\n<!-- cli-help:end -->",
        README.read_text(encoding="utf-8"),
        re.DOTALL,
    )
    assert block is not None, "README lost its cli-help block"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["--help"]) == 0
    assert block.group(1) == out.getvalue(), "regenerate the README block from `mcp-trust --help`"


def test_the_readme_quick_start_has_exactly_two_set_up_commands() -> None:
    text = README.read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line for line in quick.splitlines() if line.strip()]
    assert [c.split("#")[0].strip() for c in commands] == [
        "python3 .ci/dev.py serve",
        "python3 .ci/dev.py test",
    ]
