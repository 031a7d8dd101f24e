"""``mcp-trust token create|list|revoke``: API tokens, straight against the database.

The CLI runs on the registry host with database access, so the person behind it is
the operating-system user: ``local:<username>``. That person is recorded as the
creator of every token it makes and, unless ``--owner`` names someone else, as the
owner too.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING

from registry.commands._common import add_database_option, engine_for
from registry.db import session_scope
from registry.settings import ROLES

if TYPE_CHECKING:
    from registry.models import ApiToken


def local_person() -> str:
    """The person running this command: the OS account (not ``$USER``, which anyone can set)."""
    try:
        import pwd

        return "local:" + pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):  # no passwd entry (a bare container uid) or no pwd module
        import getpass

        try:
            return "local:" + getpass.getuser()
        except OSError:
            return f"local:uid-{os.getuid()}"


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    create = sub.add_parser("create", help="create a token and print it (only it) on stdout")
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument("--name", required=True, help="unique name, e.g. gateway-eu-1 (one printable line)")
    create.add_argument(
        "--owner",
        help="the person the token belongs to, e.g. alice@example.com; four eyes compares owners "
        "(default: you, as local:<OS user>)",
    )
    add_database_option(create)
    lst = sub.add_parser("list", help="list tokens (never their values)")
    lst.add_argument("--format", choices=["table", "json"], default="table")
    add_database_option(lst)
    rev = sub.add_parser("revoke", help="revoke a token by name or id")
    rev.add_argument("token", help="token name or id")
    add_database_option(rev)


def run(args: argparse.Namespace) -> int:
    from registry.services import tokens

    me = local_person()
    engine = engine_for(args)
    try:
        with session_scope(engine) as session:
            if args.action == "create":
                owner = me if args.owner is None else args.owner
                _, token = tokens.create_token(
                    session, role=args.role, name=args.name, owner=owner, actor=me, created_by=me
                )
                print(token)
            elif args.action == "revoke":
                row = tokens.revoke_token(session, args.token, actor=me)
                print(f"revoked token {row.name!r} ({row.role})", file=sys.stderr)
            else:
                _list(tokens.list_tokens(session, limit=10_000), args.format)
    finally:
        engine.dispose()
    return 0


def _list(rows: list[ApiToken], fmt: str) -> None:
    data = [
        {
            "id": r.id,
            "name": r.name,
            "role": r.role,
            "owner": r.owner,
            "created_by": r.created_by,
            "created_at": r.created_at.isoformat(),
            "last_used_at": r.last_used_at.isoformat() if r.last_used_at else None,
            "revoked": r.revoked_at is not None,
        }
        for r in rows
    ]
    if fmt == "json":
        print(json.dumps(data, indent=2))
        return
    print(f"{'ID':>4}  {'NAME':<24} {'ROLE':<9} {'OWNER':<24} {'CREATED BY':<24} {'LAST USED':<26} STATUS")
    for d in data:
        status = "revoked" if d["revoked"] else "active"
        print(
            f"{d['id']:>4}  {d['name']:<24} {d['role']:<9} {d['owner']:<24} {d['created_by']:<24} "
            f"{d['last_used_at'] or '-':<26} {status}"
        )
