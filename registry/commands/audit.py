"""``mcp-trust audit verify|export|checkpoint|keygen``: check the hash chain (and that it
still holds every signed checkpoint), write it out as JSONL, sign its head, or make the
audit signing key."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from registry.commands._common import add_database_option, engine_for


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    ver = sub.add_parser(
        "verify",
        help="exit 1 naming the first edited, deleted or reordered row, or the first signed checkpoint "
        "the chain no longer holds",
    )
    ver.add_argument("--format", choices=["text", "json"], default="text")
    ver.add_argument(
        "--checkpoint", action="append", type=Path, metavar="FILE",
        help="signed checkpoints (JSON lines) the chain must still hold; repeatable",
    )
    ver.add_argument(
        "--public-key", action="append", type=Path, metavar="FILE",
        help="audit public key (PEM, or raw base64) the checkpoints are signed with; repeatable",
    )
    add_database_option(ver)
    exp = sub.add_parser("export", help="write every event as JSON Lines")
    exp.add_argument("--output", "-o", default="-", help="file to write (default stdout)")
    add_database_option(exp)
    cp = sub.add_parser("checkpoint", help="sign the chain head now and append it to a checkpoint file")
    key_help = "audit signing key, PEM Ed25519 (default: MCP_TRUST_AUDIT_SIGNING_KEY_PATH, else the data dir)"
    cp.add_argument("--key", type=Path, help=key_help)
    cp.add_argument("--out", default="-", help="checkpoint file to append to (default stdout)")
    add_database_option(cp)
    gen = sub.add_parser("keygen", help="create the audit signing key if absent and print its public key (PEM)")
    gen.add_argument("--key", type=Path, help=key_help)
    gen.add_argument("--public-out", type=Path, help="also write the public key (PEM) to this file")


def run(args: argparse.Namespace) -> int:
    if args.action == "keygen":
        return _keygen(args)
    if args.action == "verify" and args.checkpoint and not args.public_key:
        print("mcp-trust: --checkpoint needs --public-key (the audit key's public half)", file=sys.stderr)
        return 2
    from sqlmodel import Session

    engine = engine_for(args, migrate=False)
    try:
        with Session(engine) as session:
            if args.action == "verify":
                return _verify(session, args)
            if args.action == "checkpoint":
                return _checkpoint(session, args)
            _export(session, args.output)
    finally:
        engine.dispose()
    return 0


def _report(args: argparse.Namespace, result: dict[str, Any], summary: str) -> int:
    if args.format == "json":
        print(json.dumps(result))
    elif result["ok"]:
        print(summary)
    else:
        print(result["problem"], file=sys.stderr)
    return 0 if result["ok"] else 1


def _verify(session: Any, args: argparse.Namespace) -> int:
    from registry.services.audit import verify_chain
    from registry.services.checkpoints import check_chain_holds, checked_checkpoints

    checkpoints, problem = checked_checkpoints(args.checkpoint or [], args.public_key or [])
    result: dict[str, Any] = {"ok": problem is None, "rows": 0, "first_bad_id": None, "problem": problem}
    if args.checkpoint:
        result["checkpoints"] = len(checkpoints)
    if problem is not None:
        return _report(args, result, "")
    check = verify_chain(session)
    result.update(ok=check.ok, rows=check.rows, first_bad_id=check.first_bad_id)
    if not check.ok:
        result["problem"] = f"audit chain broken at event {check.first_bad_id}: {check.problem}"
        return _report(args, result, "")
    problem = check_chain_holds(session, check.rows, checkpoints)
    result.update(ok=problem is None, problem=problem)
    summary = f"audit chain intact: {check.rows} events"
    if checkpoints:
        newest = max((cp for _, cp in checkpoints), key=lambda cp: cp.count)
        summary += (
            f"\nsigned checkpoints: {len(checkpoints)} held (newest: event {newest.count}, signed "
            f"{newest.at} by key {newest.key_id}); {check.rows - newest.count} events since"
        )
    return _report(args, result, summary)


def _checkpoint(session: Any, args: argparse.Namespace) -> int:
    from registry.services.checkpoint_writer import append_lines
    from registry.services.checkpoints import encode_line, key_path, read_head, sign_checkpoint
    from registry.settings import Settings
    from registry.snapshot.signing import load_or_create_key

    path = args.key or key_path(Settings.from_env())
    if not path.exists():  # never create a key here: a new key would vouch for nothing anyone trusts
        print(f"mcp-trust: no audit signing key at {path} (create one with 'mcp-trust audit keygen')", file=sys.stderr)
        return 2
    cp = sign_checkpoint(load_or_create_key(path), *read_head(session))
    if args.out == "-":
        sys.stdout.write(encode_line(cp).decode())
    else:
        append_lines(Path(args.out), encode_line(cp))
        print(f"checkpoint of event {cp.count} (key id {cp.key_id}) appended to {args.out}", file=sys.stderr)
    return 0


def _keygen(args: argparse.Namespace) -> int:
    from registry.services.checkpoints import key_path
    from registry.settings import Settings
    from registry.snapshot.signing import load_or_create_key, public_key_pem
    from scanner.contract.snapshot import key_id

    path = args.key or key_path(Settings.from_env())
    existed = path.exists()
    key = load_or_create_key(path)
    pem = public_key_pem(key)
    if args.public_out:
        args.public_out.write_text(pem, encoding="ascii")
    sys.stdout.write(pem)
    state = "existing" if existed else "new"
    print(f"{state} audit signing key {path}, key id {key_id(key.public_key())}", file=sys.stderr)
    return 0


def _export(session: Any, output: str) -> None:
    from registry.services.audit import event_to_dict, iter_events

    out = sys.stdout if output == "-" else Path(output).open("w", encoding="utf-8")  # noqa: SIM115
    try:
        for row in iter_events(session):
            out.write(json.dumps(event_to_dict(row), sort_keys=True, ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
