"""Offline decisions from a signed approvals snapshot.

The snapshot format, its signature check and the pin each approval is belong to the
contract (``scanner.contract.snapshot``), shared with the registry that signs them;
this module reads a snapshot file and decides with the contract's one ``decide()``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import msgspec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from gateway_enforcer.models import Decision, Mode, conclude
from scanner.contract.decide import Observation, decide, observe_surface
from scanner.contract.snapshot import (
    MAX_SNAPSHOT_BYTES,
    SNAPSHOT_FORMAT,
    SignedSnapshot,
    SnapshotApproval,
    SnapshotError,
    SnapshotPayload,
    VerifiedSnapshot,
    key_id,
    load_public_key,
    verify_snapshot,
)
from scanner.contract.surface import Surface

__all__ = [
    "SNAPSHOT_FORMAT",
    "SignedSnapshot",
    "SnapshotApproval",
    "SnapshotError",
    "SnapshotPayload",
    "VerifiedSnapshot",
    "decide_offline",
    "key_id",
    "load_public_key",
    "load_snapshot_file",
    "verify_snapshot",
]


def load_snapshot_file(
    path: str | Path, public_key: Ed25519PublicKey, *, now: dt.datetime | None = None
) -> VerifiedSnapshot:
    """Read (bounded) and verify a snapshot file."""
    try:
        with Path(path).open("rb") as fh:
            data = fh.read(MAX_SNAPSHOT_BYTES + 1)
    except OSError as exc:
        raise SnapshotError(f"cannot read snapshot {path}: {exc.strerror}") from exc
    return verify_snapshot(data, public_key, now=now)


def decide_offline(
    snapshot: VerifiedSnapshot,
    server: str,
    surface: Surface,
    *,
    principal: str | None,
    mode: Mode,
    observed: Observation | None = None,
) -> Decision:
    """The decision the registry would give, from a verified snapshot (``observed``: the
    surface's observation when the caller already hashed it)."""
    seen = observed if observed is not None else observe_surface(surface)
    if seen.principal != principal:
        seen = msgspec.structs.replace(seen, principal=principal)
    approval = snapshot.approval(server)
    pin = approval.pin() if approval is not None else None
    verdict = decide(pin, seen, item_level=mode == "tool-level")
    message = f"decided offline from the snapshot issued {snapshot.payload.issued_at}"
    return conclude(server, seen, verdict, source="snapshot", pin=pin, message=message)
