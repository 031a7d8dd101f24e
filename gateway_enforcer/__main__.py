"""``python -m gateway_enforcer ...``: the enforce command without the mcp-trust CLI root."""

from __future__ import annotations

import argparse
import sys

from gateway_enforcer import cli
from gateway_enforcer.errors import EnforcerError, SnapshotError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gateway_enforcer")
    cli.configure(parser)
    args = parser.parse_args(argv)
    try:
        return cli.run(args)
    except (EnforcerError, SnapshotError) as exc:
        print(f"mcp-trust: {exc}", file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
