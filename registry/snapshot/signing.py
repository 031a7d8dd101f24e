"""The registry's Ed25519 snapshot key and the signing of snapshots.

The key lives in a PEM file (``Settings.signing_key_path``, default
``<data dir>/snapshot-signing-key.pem``), created on first start with mode 0600 if it
is missing. Operators hand the PUBLIC key to enforcers out of band (``python -m
registry.snapshot.keys --print-public``); it is deliberately not served next to the
snapshot, so a party able to forge snapshots cannot also swap the key.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path

import msgspec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
)

from registry.settings import Settings, default_data_dir
from scanner.contract.hashing import canonical_json
from scanner.contract.snapshot import (
    SNAPSHOT_FORMAT,
    SignedSnapshot,
    SnapshotApproval,
    SnapshotPayload,
    key_id,
)


class SigningKeyError(Exception):
    """The configured key file exists but is not an Ed25519 private key."""


def key_path(settings: Settings) -> Path:
    if settings.signing_key_path:
        return Path(settings.signing_key_path)
    return default_data_dir() / "snapshot-signing-key.pem"


def load_or_create_key(path: Path) -> Ed25519PrivateKey:
    """Read the key; create it (0600, never overwriting a concurrent writer's) if absent."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()
        )
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another replica won the race: use its key
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(pem)
    try:
        key = load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise SigningKeyError(f"{path} is not an unencrypted PEM private key") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{path} holds a {type(key).__name__}, not an Ed25519 key")
    return key


def public_key_base64(key: Ed25519PrivateKey) -> str:
    return base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def public_key_pem(key: Ed25519PrivateKey) -> str:
    return key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()


def _rfc3339(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def sign_snapshot(
    key: Ed25519PrivateKey,
    approvals: Iterable[SnapshotApproval],
    *,
    issuer: str,
    valid_for: dt.timedelta,
    now: dt.datetime | None = None,
) -> bytes:
    """The JSON envelope: canonical payload bytes (base64) and their Ed25519 signature."""
    now = now or dt.datetime.now(dt.UTC)
    kid = key_id(key.public_key())
    payload = SnapshotPayload(
        format=SNAPSHOT_FORMAT,  # type: ignore[arg-type]
        issuer=issuer,
        issued_at=_rfc3339(now),
        expires_at=_rfc3339(now + valid_for),
        key_id=kid,
        approvals=sorted(approvals, key=lambda a: a.server),
    )
    payload_bytes = canonical_json(msgspec.to_builtins(payload))
    envelope = SignedSnapshot(
        payload=base64.b64encode(payload_bytes).decode(),
        signature=base64.b64encode(key.sign(payload_bytes)).decode(),
        key_id=kid,
    )
    return msgspec.json.encode(envelope)
