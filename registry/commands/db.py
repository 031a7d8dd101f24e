"""``mcp-trust db upgrade|current``: schema migrations (Alembic)."""

from __future__ import annotations

import argparse

from registry.commands._common import add_database_option, engine_for


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    up = sub.add_parser("upgrade", help="apply every pending migration (never loses data)")
    add_database_option(up)
    cur = sub.add_parser("current", help="print the database's revision and the newest one")
    add_database_option(cur)


def run(args: argparse.Namespace) -> int:
    from registry import migrate

    engine = engine_for(args, migrate=args.action == "upgrade")
    try:
        rev = migrate.current(engine)
        head = migrate.head()
        print(rev or "(empty database)")
        if args.action == "current" and rev != head:
            print(f"newest revision is {head}; run 'mcp-trust db upgrade'")
            return 1
    finally:
        engine.dispose()
    return 0
