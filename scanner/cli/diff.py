"""``mcp-trust diff OLD NEW``: what changed between two saved scans or tools files."""

from __future__ import annotations

import argparse

import msgspec

from scanner.limits import DEFAULT_LIMITS

EPILOG = """\
OLD and NEW are each a saved scan (mcp-trust scan --format json) or a tools/list
result ({"tools": [...]}). Compares everything an agent reads: reports added, removed
and renamed tools, prompts, resources and resource templates (a rename keeps the same
body) and, for each changed item, every changed field as a JSON path with a unified
diff, and changed server instructions.

exit codes: 0 the surfaces are identical; 1 they differ; 2 bad input.
"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = EPILOG
    parser.add_argument("old", metavar="OLD", help="saved scan or tools file")
    parser.add_argument("new", metavar="NEW", help="saved scan or tools file")
    parser.add_argument("--format", choices=["table", "json"], default="table")
    parser.add_argument("--output", "-o", metavar="FILE", help="write here (atomically)")


def run(args: argparse.Namespace) -> int:
    from scanner.diff import diff_surfaces, render_diff
    from scanner.render import write_output
    from scanner.report import wire_surface
    from scanner.toolsfile import load_surface

    old = load_surface(args.old, DEFAULT_LIMITS)
    new = load_surface(args.new, DEFAULT_LIMITS)
    result = diff_surfaces(wire_surface(old), wire_surface(new))
    data = msgspec.json.encode(result) + b"\n" if args.format == "json" else render_diff(result).encode()
    write_output(data, args.output)
    return 0 if result.identical else 1
