"""``mcp-trust audit verify|export``: check the hash chain, or write it out as JSONL."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from registry.commands._common import add_database_option, engine_for


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    ver = sub.add_parser("verify", help="exit 1 naming the first edited, deleted or reordered row")
    ver.add_argument("--format", choices=["text", "json"], default="text")
    add_database_option(ver)
    exp = sub.add_parser("export", help="write every event as JSON Lines")
    exp.add_argument("--output", "-o", default="-", help="file to write (default stdout)")
    add_database_option(exp)


def run(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from registry.services.audit import event_to_dict, iter_events, verify_chain

    engine = engine_for(args, migrate=False)
    try:
        with Session(engine) as session:
            if args.action == "verify":
                check = verify_chain(session)
                if args.format == "json":
                    print(
                        json.dumps(
                            {
                                "ok": check.ok,
                                "rows": check.rows,
                                "first_bad_id": check.first_bad_id,
                                "problem": check.problem,
                            }
                        )
                    )
                elif check.ok:
                    print(f"audit chain intact: {check.rows} events")
                else:
                    print(f"audit chain broken at event {check.first_bad_id}: {check.problem}", file=sys.stderr)
                return 0 if check.ok else 1
            out = sys.stdout if args.output == "-" else Path(args.output).open("w", encoding="utf-8")  # noqa: SIM115
            try:
                for row in iter_events(session):
                    out.write(json.dumps(event_to_dict(row), sort_keys=True, ensure_ascii=False) + "\n")
            finally:
                if out is not sys.stdout:
                    out.close()
    finally:
        engine.dispose()
    return 0
