"""The ``mcp-trust`` command line: one entry point, subcommands imported lazily.

Each subcommand lives in the module that owns it and exposes two functions:
``configure(parser: argparse.ArgumentParser) -> None`` and
``run(args: argparse.Namespace) -> int``. Only the chosen subcommand's module is
imported, so ``mcp-trust enforce`` never loads the registry or the detector.

Exit codes (a contract scripts rely on): 0 success; 1 a check it ran failed
(findings at or above the threshold, a broken audit chain); 2 usage or
connection errors, with a one-line reason on stderr.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

# name -> (module, one-line help). Order is the order --help shows.
COMMANDS: dict[str, tuple[str, str]] = {
    "serve": ("registry.commands.serve", "start the registry service"),
    "scan": ("scanner.cli.scan", "scan an MCP server: list its tools, pin hashes, flag poisoning"),
    "diff": ("scanner.cli.diff", "compare two saved scans or tools files"),
    "score": ("scanner.cli.score", "compute the explainable 0-100 trust score"),
    "train": ("scanner.cli.train", "train the poisoning classifier from data/"),
    "eval": ("scanner.cli.evaluate", "measure the detector on a labelled JSONL corpus"),
    "enforce": ("gateway_enforcer.cli", "run the enforcing MCP proxy in front of a server"),
    "token": ("registry.commands.token", "create, list and revoke API tokens"),
    "db": ("registry.commands.db", "database migrations"),
    "audit": ("registry.commands.audit", "verify or export the audit trail"),
}

EXIT_OK, EXIT_CHECK_FAILED, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    """A usage or connection error that ends the command with a one-line reason (exit 2)."""

    exit_code = EXIT_USAGE


def _top_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mcp-trust",
        description="Registry and supply-chain trust scanner for MCP servers.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="commands:\n"
        + "\n".join(f"  {name:<9} {helptext}" for name, (_, helptext) in COMMANDS.items())
        + "\n\nRun 'mcp-trust COMMAND --help' for a command's options.\n"
        "Exit codes: 0 ok, 1 a check failed, 2 usage or connection error.",
    )
    parser.add_argument("command", nargs="?", help="one of the commands below")
    return parser


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    first_line = (message.strip().splitlines() or ["error"])[0]
    print(f"mcp-trust: {first_line}", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    top = _top_parser()
    if not argv or argv[0] in {"-h", "--help"}:
        top.print_help()
        return EXIT_OK if argv else EXIT_USAGE
    name, rest = argv[0], argv[1:]
    if name not in COMMANDS:
        return _fail(f"unknown command {name!r}; see 'mcp-trust --help'")
    module_name, helptext = COMMANDS[name]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            return _fail(f"command {name!r} is not available in this build")
        raise
    parser = argparse.ArgumentParser(prog=f"mcp-trust {name}", description=helptext)
    module.configure(parser)
    try:
        args = parser.parse_args(rest)
    except SystemExit as exc:  # argparse already printed usage
        return int(exc.code or 0)
    try:
        return int(module.run(args))
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the one place that turns errors into exit codes
        if os.environ.get("MCP_TRUST_DEBUG"):
            import traceback

            traceback.print_exc()
        code = int(getattr(exc, "exit_code", EXIT_USAGE))
        return _fail(str(exc) or type(exc).__name__, code)


if __name__ == "__main__":
    sys.exit(main())
