"""Signed checkpoints of the audit chain head, and checking a database against them.

The hash chain alone cannot tell a truncated, rewritten or rolled-back chain from an
honest one: whoever can write the database can recompute every hash and the head in
``registry_state`` too. A checkpoint is the head (``count`` events, ``head`` = hash of
event ``count``) signed with the registry's audit Ed25519 key and kept OUTSIDE the
database (a JSON-lines file, a webhook). ``mcp-trust audit verify --checkpoint`` then
demands that the chain still holds every checkpointed head.

Wire form (one JSON object, one line in a checkpoint file)::

    {"format": "mcp-trust-audit-checkpoint/1", "count": N, "head": "<hex>",
     "at": "<RFC 3339 UTC>", "key_id": "<16 hex>", "signature": "<base64>"}

``signature`` is Ed25519 over the JCS canonical JSON (RFC 8785) of the other five
fields; ``key_id`` is the first 16 hex digits of SHA-256 of the raw 32-byte public key
(the same key id signed snapshots carry).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated

import msgspec
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlmodel import Session

from registry.errors import RegistryError
from registry.models import AuditEvent, RegistryState
from registry.services.audit import GENESIS
from registry.settings import Settings, default_data_dir
from scanner.contract.hashing import canonical_json
from scanner.contract.snapshot import SnapshotError, key_id, load_public_key

CHECKPOINT_FORMAT = "mcp-trust-audit-checkpoint/1"
MAX_LINE_BYTES = 4096  # a checkpoint is ~300 bytes; anything far larger is not one
Hex64 = Annotated[str, msgspec.Meta(pattern="^[0-9a-f]{64}$")]


class CheckpointError(RegistryError):
    """A checkpoint cannot be made (no usable key, or the head does not match the table)."""

    status, slug, title = 503, "audit-checkpoint-unavailable", "The audit checkpoint could not be made"


class Checkpoint(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One signed chain head, exactly as written to a checkpoint file or webhook."""

    format: str
    count: Annotated[int, msgspec.Meta(ge=0)]
    head: Hex64
    at: str
    key_id: Annotated[str, msgspec.Meta(pattern="^[0-9a-f]{16}$")]
    signature: str


def signed_bytes(cp: Checkpoint) -> bytes:
    """What the signature covers: the JCS form of every field but ``signature``."""
    return canonical_json({"format": cp.format, "count": cp.count, "head": cp.head, "at": cp.at, "key_id": cp.key_id})


def key_path(settings: Settings) -> Path:
    """Where the audit signing key lives (its own key, not the snapshot key)."""
    if settings.audit_signing_key_path:
        return Path(settings.audit_signing_key_path)
    return default_data_dir() / "audit-signing-key.pem"


def checkpoint_file(settings: Settings) -> Path | None:
    """The JSON-lines destination: the setting, else the data dir unless only a URL is set."""
    if settings.audit_checkpoint_path:
        return Path(settings.audit_checkpoint_path)
    if settings.audit_checkpoint_url:
        return None
    return default_data_dir() / "audit-checkpoints.jsonl"


def read_head(session: Session) -> tuple[int, str]:
    """The chain head as ``registry_state`` records it, refused if the table disagrees
    (a checkpoint must never vouch for a head whose event is missing or different)."""
    state = session.get(RegistryState, 1)
    if state is None:
        raise CheckpointError("the registry has no state row: run the migrations first")
    if state.audit_count:
        row = session.get(AuditEvent, state.audit_count)
        if row is None or row.hash != state.audit_head:
            raise CheckpointError(
                f"the chain head (event {state.audit_count}) does not match the audit table; "
                "run 'mcp-trust audit verify'"
            )
    return state.audit_count, state.audit_head


def sign_checkpoint(key: Ed25519PrivateKey, count: int, head: str, now: dt.datetime | None = None) -> Checkpoint:
    """Sign the head ``(count, head)`` with ``key``."""
    at = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    unsigned = Checkpoint(
        format=CHECKPOINT_FORMAT, count=count, head=head, at=at, key_id=key_id(key.public_key()), signature=""
    )
    signature = base64.b64encode(key.sign(signed_bytes(unsigned))).decode()
    return msgspec.structs.replace(unsigned, signature=signature)


def encode_line(cp: Checkpoint) -> bytes:
    """One checkpoint-file line: the checkpoint's canonical JSON and a newline."""
    return canonical_json(msgspec.to_builtins(cp)) + b"\n"


def check_signature(cp: Checkpoint, keys: Mapping[str, Ed25519PublicKey]) -> str | None:
    """None when ``cp`` is signed by one of ``keys`` (by key id); else why not."""
    if cp.format != CHECKPOINT_FORMAT:
        return f"format {cp.format!r}, expected {CHECKPOINT_FORMAT!r}"
    key = keys.get(cp.key_id)
    if key is None:
        return f"signed by unknown key id {cp.key_id} (known: {', '.join(sorted(keys)) or 'none'})"
    try:
        key.verify(base64.b64decode(cp.signature, validate=True), signed_bytes(cp))
    except (InvalidSignature, binascii.Error, ValueError):
        return f"bad signature (key id {cp.key_id}): the checkpoint was altered or not signed by that key"
    return None


def decode_lines(data: bytes, origin: str) -> list[tuple[str, Checkpoint | str]]:
    """Each non-blank line of a checkpoint file as ``(label, checkpoint or why not)``."""
    out: list[tuple[str, Checkpoint | str]] = []
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        label = f"{origin}:{number}"
        if len(line) > MAX_LINE_BYTES:
            out.append((label, f"line longer than {MAX_LINE_BYTES} bytes"))
            continue
        try:
            out.append((label, msgspec.json.decode(line, type=Checkpoint)))
        except msgspec.DecodeError as exc:  # ValidationError is a DecodeError
            out.append((label, f"not a signed checkpoint ({exc})"))
    return out


def check_chain_holds(session: Session, rows: int, checkpoints: Sequence[tuple[str, Checkpoint]]) -> str | None:
    """None when the (already intact) chain of ``rows`` events holds every checkpointed
    head; else a one-line reason naming the first checkpoint it fails."""
    for label, cp in checkpoints:
        if cp.count > rows:
            return (
                f"checkpoint {label} (signed {cp.at}) records {cp.count} events but the chain has {rows}: "
                "events were deleted or the database was rolled back"
            )
        found = GENESIS if cp.count == 0 else _hash_of(session, cp.count)
        if found != cp.head:
            return (
                f"checkpoint {label} (signed {cp.at}) records event {cp.count} with hash {cp.head[:16]}, "
                f"the chain has {(found or 'none')[:16]}: the chain was rewritten or rolled back"
            )
    return None


def _hash_of(session: Session, event_id: int) -> str | None:
    row = session.get(AuditEvent, event_id)
    return row.hash if row is not None else None


class CheckpointInputError(Exception):
    """A checkpoint or public key file cannot be read at all (a usage error, exit 2)."""

    exit_code = 2


def checked_checkpoints(
    files: Sequence[Path], key_files: Sequence[Path]
) -> tuple[list[tuple[str, Checkpoint]], str | None]:
    """Every checkpoint in ``files`` whose signature one of ``key_files`` vouches for, or
    the reason the first one that does not fails (malformed, unknown key id, bad signature)."""
    keys: dict[str, Ed25519PublicKey] = {}
    for path in key_files:
        try:
            key = load_public_key(path=path)
        except SnapshotError as exc:
            raise CheckpointInputError(str(exc)) from exc
        keys[key_id(key)] = key
    good: list[tuple[str, Checkpoint]] = []
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CheckpointInputError(f"cannot read checkpoint file {path}: {exc.strerror or exc}") from exc
        for label, item in decode_lines(data, str(path)):
            if isinstance(item, str):
                return good, f"checkpoint {label}: {item}"
            problem = check_signature(item, keys)
            if problem is not None:
                return good, f"checkpoint {label}: {problem}"
            good.append((label, item))
    return good, None
