"""Signed approval snapshots: the format, its verification, and offline decisions.

The registry signs the exact payload bytes (RFC 8785 canonical JSON, base64 in the
envelope) with Ed25519. The enforcer checks the signature with a public key the
operator CONFIGURED (a PEM file or the raw 32-byte key in base64), never one fetched
from where the snapshot came from, then refuses anything expired or not yet valid.
The registry side (``registry.snapshot``) imports the Structs from here, so both ends
share one definition.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import msgspec
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from gateway_enforcer.errors import SnapshotError
from gateway_enforcer.models import Decision, Mode
from scanner.hashing import manifest_sha256, tool_hashes

SNAPSHOT_FORMAT = "mcp-trust-approvals-snapshot/1"
MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024
CLOCK_SKEW_S = 300  # a snapshot "issued" a little in the future is a skewed clock, not an attack


class SnapshotApproval(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    server: str
    manifest_sha256: str
    tool_hashes: dict[str, str]
    allowed_tools: list[str] | None = None
    principals: list[str] | None = None
    tool_level: bool = False
    approved_at: str | None = None


class SnapshotPayload(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    format: Literal["mcp-trust-approvals-snapshot/1"]
    issuer: str
    issued_at: str  # RFC 3339, UTC
    expires_at: str
    key_id: str
    approvals: list[SnapshotApproval]


class SignedSnapshot(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The envelope served by ``GET /v1/approvals/snapshot``."""

    payload: str  # base64 of the canonical JSON payload bytes
    signature: str  # base64 Ed25519 signature over those bytes
    key_id: str
    algorithm: Literal["Ed25519"] = "Ed25519"


def key_id(public_key: Ed25519PublicKey) -> str:
    """First 16 hex chars of SHA-256 of the raw key: lets a person see which key signed."""
    import hashlib

    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def load_public_key(*, path: str | Path | None = None, base64_key: str | None = None) -> Ed25519PublicKey:
    """The configured registry public key: a PEM file, a file holding the raw key in
    base64, or the base64 text itself."""
    if (path is None) == (base64_key is None):
        raise SnapshotError("configure exactly one public key: a file or a base64 value")
    if path is not None:
        try:
            data = Path(path).read_bytes()[:16384]
        except OSError as exc:
            raise SnapshotError(f"cannot read public key {path}: {exc.strerror}") from exc
        if b"-----BEGIN" in data:
            try:
                key = load_pem_public_key(data)
            except ValueError as exc:
                raise SnapshotError(f"{path} is not a PEM public key") from exc
            if not isinstance(key, Ed25519PublicKey):
                raise SnapshotError(f"{path} holds a {type(key).__name__}, not an Ed25519 key")
            return key
        base64_key = data.decode("ascii", "replace").strip()
    assert base64_key is not None
    try:
        raw = base64.b64decode(base64_key.strip(), validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError) as exc:
        raise SnapshotError("the public key is not 32 bytes of base64 (Ed25519 raw key)") from exc


def _parse_time(text: str, field: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise SnapshotError(f"snapshot {field} {text!r} is not an RFC 3339 time") from exc
    if value.tzinfo is None:
        raise SnapshotError(f"snapshot {field} {text!r} has no time zone")
    return value


class VerifiedSnapshot:
    """A snapshot whose signature checked out; ``check_fresh`` guards every use."""

    def __init__(self, payload: SnapshotPayload) -> None:
        self.payload = payload
        self.issued_at = _parse_time(payload.issued_at, "issued_at")
        self.expires_at = _parse_time(payload.expires_at, "expires_at")
        self._by_server = {a.server: a for a in payload.approvals}

    def check_fresh(self, now: dt.datetime | None = None) -> None:
        now = now or dt.datetime.now(dt.UTC)
        if now >= self.expires_at:
            raise SnapshotError(
                f"snapshot expired at {self.payload.expires_at} (issued {self.payload.issued_at}); "
                "fetch a new one from the registry"
            )
        if self.issued_at > now + dt.timedelta(seconds=CLOCK_SKEW_S):
            raise SnapshotError(f"snapshot claims to be issued in the future ({self.payload.issued_at})")

    def approval(self, server: str) -> SnapshotApproval | None:
        return self._by_server.get(server)


def verify_snapshot(
    data: bytes, public_key: Ed25519PublicKey, *, now: dt.datetime | None = None
) -> VerifiedSnapshot:
    """Check envelope, signature, payload and validity window; raise SnapshotError otherwise."""
    if len(data) > MAX_SNAPSHOT_BYTES:
        raise SnapshotError("snapshot is larger than 64 MiB")
    try:
        envelope = msgspec.json.decode(data, type=SignedSnapshot)
        payload_bytes = base64.b64decode(envelope.payload, validate=True)
        signature = base64.b64decode(envelope.signature, validate=True)
    except (msgspec.DecodeError, binascii.Error) as exc:
        raise SnapshotError(f"not a signed approvals snapshot: {exc}") from exc
    try:
        public_key.verify(signature, payload_bytes)
    except InvalidSignature as exc:
        raise SnapshotError(
            "snapshot signature does not verify with the configured registry key "
            f"(signed by key {envelope.key_id}, configured key {key_id(public_key)}): "
            "it was altered or signed by another key"
        ) from exc
    try:
        payload = msgspec.json.decode(payload_bytes, type=SnapshotPayload)
    except msgspec.DecodeError as exc:
        raise SnapshotError(f"signed snapshot payload is malformed: {exc}") from exc
    snapshot = VerifiedSnapshot(payload)
    snapshot.check_fresh(now)
    return snapshot


def load_snapshot_file(
    path: str | Path, public_key: Ed25519PublicKey, *, now: dt.datetime | None = None
) -> VerifiedSnapshot:
    try:
        with Path(path).open("rb") as fh:
            data = fh.read(MAX_SNAPSHOT_BYTES + 1)
    except OSError as exc:
        raise SnapshotError(f"cannot read snapshot {path}: {exc.strerror}") from exc
    return verify_snapshot(data, public_key, now=now)


def decide_offline(
    snapshot: VerifiedSnapshot,
    server: str,
    tools: Sequence[Mapping[str, Any]],
    *,
    principal: str | None,
    mode: Mode,
) -> Decision:
    """The decision the registry would give, computed from a verified snapshot."""
    manifest = manifest_sha256(tools)
    hashes = tool_hashes(tools)
    common: dict[str, Any] = {"server": server, "manifest_sha256": manifest, "source": "snapshot"}
    message = f"decided offline from the snapshot issued {snapshot.payload.issued_at}"
    approval = snapshot.approval(server)
    if approval is None:
        return _deny_all(hashes, "unregistered", common, message)
    if approval.principals is not None and principal not in approval.principals:
        return _deny_all(hashes, "principal_not_permitted", common, message)
    permitted = set(approval.allowed_tools) if approval.allowed_tools is not None else None
    if manifest == approval.manifest_sha256:
        ok = {n for n in hashes if permitted is None or n in permitted}
        return Decision(
            decision="allow", reason="approved", allowed_tools=frozenset(ok),
            blocked_tools={n: "not_allowed" for n in hashes if n not in ok},
            message=message, **common,
        )
    blocked: dict[str, str] = {}
    for name, sha in hashes.items():
        if name not in approval.tool_hashes:
            blocked[name] = "added"
        elif approval.tool_hashes[name] != sha:
            blocked[name] = "changed"
        elif permitted is not None and name not in permitted:
            blocked[name] = "not_allowed"
    # As the registry does: unchanged tools stay usable only where the approval allows
    # tool-level enforcement and the enforcer runs in tool-level mode.
    if mode == "strict" or not approval.tool_level:
        blocked = {n: blocked.get(n, "schema_drift") for n in hashes}
    allowed = frozenset(n for n in hashes if n not in blocked)
    return Decision(
        decision="allow" if allowed else "deny", reason="schema_drift", allowed_tools=allowed,
        blocked_tools=blocked, message=message, **common,
    )


def _deny_all(hashes: Mapping[str, str], reason: str, common: dict[str, Any], message: str) -> Decision:
    return Decision(
        decision="deny", reason=reason, allowed_tools=frozenset(),
        blocked_tools=dict.fromkeys(hashes, reason), message=message, **common,
    )
