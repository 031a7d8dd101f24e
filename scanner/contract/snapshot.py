"""Signed approval snapshots: the format, its signature check, and the pin each approval is.

The registry signs the exact payload bytes (RFC 8785 canonical JSON, base64 in the
envelope) with Ed25519; an enforcer checks the signature with a public key the operator
CONFIGURED (a PEM file or the raw 32-byte key in base64), never one fetched from where
the snapshot came from, then refuses anything expired or not yet valid. Both ends import
these definitions, so the registry never reaches into the enforcer for them.

Format ``mcp-trust-approvals-snapshot/2`` pins the whole surface an agent reads
(``surface_sha256``, the instructions' hash and every prompt, resource and resource
template hash) and the server's state; every field it added is optional, and ``/1``
snapshots (tools only) are still accepted and judged on their tools, as they were.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
from pathlib import Path
from typing import Literal

import msgspec
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, load_pem_public_key

from scanner.contract.decide import Pin
from scanner.contract.states import ServerState

SNAPSHOT_FORMAT = "mcp-trust-approvals-snapshot/2"
SnapshotFormat = Literal["mcp-trust-approvals-snapshot/1", "mcp-trust-approvals-snapshot/2"]
MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024
CLOCK_SKEW_S = 300  # a snapshot "issued" a little in the future is a skewed clock, not an attack


class SnapshotError(Exception):
    """A snapshot or key is unreadable, tampered with, signed by another key, or expired."""

    exit_code = 2  # a usage error for the command that was given it


class SnapshotApproval(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One approval as signed: what it pins and who may use it."""

    server: str
    manifest_sha256: str
    tool_hashes: dict[str, str]
    allowed_tools: list[str] | None = None
    principals: list[str] | None = None
    tool_level: bool = False
    approved_at: str | None = None
    # format /2: the server's state and the rest of the surface (None: pinned tools only)
    state: Literal["approved", "drifted"] = "approved"
    surface_sha256: str | None = None
    instructions_sha256: str | None = None
    prompt_hashes: dict[str, str] | None = None
    resource_hashes: dict[str, str] | None = None
    resource_template_hashes: dict[str, str] | None = None

    def pin(self) -> Pin:
        """The pin ``decide()`` judges an observation against, as the registry would."""
        return Pin(
            state=ServerState(self.state),
            manifest_sha256=self.manifest_sha256,
            surface_sha256=self.surface_sha256,
            instructions_sha256=self.instructions_sha256,
            tools=dict(self.tool_hashes),
            prompts=dict(self.prompt_hashes or {}),
            resources=dict(self.resource_hashes or {}),
            resource_templates=dict(self.resource_template_hashes or {}),
            allowed_tools=frozenset(self.allowed_tools) if self.allowed_tools is not None else None,
            principals=frozenset(self.principals) if self.principals is not None else None,
            item_level=self.tool_level,
        )


class SnapshotPayload(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The signed document: every current approval and its validity window."""

    format: SnapshotFormat
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
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def load_public_key(*, path: str | Path | None = None, base64_key: str | None = None) -> Ed25519PublicKey:
    """The configured public key: a PEM file, a file holding the raw key in base64, or
    the base64 text itself."""
    if (path is None) == (base64_key is None):
        raise SnapshotError("configure exactly one public key: a file or a base64 value")
    if path is not None:
        try:
            data = Path(path).read_bytes()[:16384]
        except OSError as exc:
            raise SnapshotError(f"cannot read public key {path}: {exc.strerror}") from exc
        if b"-----BEGIN" in data:
            return _pem_key(data, path)
        base64_key = data.decode("ascii", "replace").strip()
    assert base64_key is not None
    try:
        raw = base64.b64decode(base64_key.strip(), validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError) as exc:
        raise SnapshotError("the public key is not 32 bytes of base64 (Ed25519 raw key)") from exc


def _pem_key(data: bytes, path: str | Path) -> Ed25519PublicKey:
    try:
        key = load_pem_public_key(data)
    except ValueError as exc:
        raise SnapshotError(f"{path} is not a PEM public key") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise SnapshotError(f"{path} holds a {type(key).__name__}, not an Ed25519 key")
    return key


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
        """Raise SnapshotError unless the snapshot is valid at ``now``."""
        now = now or dt.datetime.now(dt.UTC)
        if now >= self.expires_at:
            raise SnapshotError(
                f"snapshot expired at {self.payload.expires_at} (issued {self.payload.issued_at}); "
                "fetch a new one from the registry"
            )
        if self.issued_at > now + dt.timedelta(seconds=CLOCK_SKEW_S):
            raise SnapshotError(f"snapshot claims to be issued in the future ({self.payload.issued_at})")

    def approval(self, server: str) -> SnapshotApproval | None:
        """The signed approval of ``server``, if it has one."""
        return self._by_server.get(server)


def verify_snapshot(data: bytes, public_key: Ed25519PublicKey, *, now: dt.datetime | None = None) -> VerifiedSnapshot:
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
