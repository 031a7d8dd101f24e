"""``mcp-trust token create|list|revoke``: API tokens, straight against the database."""

from __future__ import annotations

import argparse
import json
import sys

from registry.commands._common import add_database_option, engine_for
from registry.db import session_scope
from registry.settings import ROLES


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    create = sub.add_parser("create", help="create a token and print it (only it) on stdout")
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument("--name", required=True, help="unique name, e.g. gateway-eu-1")
    add_database_option(create)
    lst = sub.add_parser("list", help="list tokens (never their values)")
    lst.add_argument("--format", choices=["table", "json"], default="table")
    add_database_option(lst)
    rev = sub.add_parser("revoke", help="revoke a token by name or id")
    rev.add_argument("token", help="token name or id")
    add_database_option(rev)


def run(args: argparse.Namespace) -> int:
    from registry.services import tokens

    engine = engine_for(args)
    try:
        with session_scope(engine) as session:
            if args.action == "create":
                _, token = tokens.create_token(session, role=args.role, name=args.name, actor="cli")
                print(token)
            elif args.action == "revoke":
                row = tokens.revoke_token(session, args.token, actor="cli")
                print(f"revoked token {row.name!r} ({row.role})", file=sys.stderr)
            else:
                _list(tokens.list_tokens(session, limit=10_000), args.format)
    finally:
        engine.dispose()
    return 0


def _list(rows: list, fmt: str) -> None:  # type: ignore[type-arg]
    data = [
        {
            "id": r.id,
            "name": r.name,
            "role": r.role,
            "created_at": r.created_at.isoformat(),
            "last_used_at": r.last_used_at.isoformat() if r.last_used_at else None,
            "revoked": r.revoked_at is not None,
        }
        for r in rows
    ]
    if fmt == "json":
        print(json.dumps(data, indent=2))
        return
    print(f"{'ID':>4}  {'NAME':<28} {'ROLE':<10} {'LAST USED':<26} STATUS")
    for d in data:
        status = "revoked" if d["revoked"] else "active"
        print(f"{d['id']:>4}  {d['name']:<28} {d['role']:<10} {d['last_used_at'] or '-':<26} {status}")
