"""Webhook signatures: HMAC-SHA256 over ``timestamp + "." + body``.

The timestamp is part of what is signed, so a receiver that rejects stale
timestamps also rejects replays of an old, correctly signed body. The header
value carries a version prefix (``v1=<hex>``) so the scheme can change without
breaking receivers that check the prefix; several signatures may be sent
comma-separated while a secret is being rotated.
"""

from __future__ import annotations

import hashlib
import hmac
import time

TIMESTAMP_HEADER = "X-MCP-Trust-Timestamp"
SIGNATURE_HEADER = "X-MCP-Trust-Signature"
EVENT_HEADER = "X-MCP-Trust-Event"
DELIVERY_HEADER = "X-MCP-Trust-Delivery"
DEFAULT_TOLERANCE_S = 300


class SignatureError(ValueError):
    """The signature is missing, malformed, wrong, or its timestamp is stale."""


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The ``v1=<hex>`` header value for one body sent at ``timestamp`` (Unix seconds)."""
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return f"v1={mac.hexdigest()}"


def signed_headers(secret: str, body: bytes, *, now: float | None = None) -> dict[str, str]:
    ts = int(time.time() if now is None else now)
    return {TIMESTAMP_HEADER: str(ts), SIGNATURE_HEADER: signature(secret, ts, body)}


def verify(
    secret: str,
    body: bytes,
    timestamp_header: str | None,
    signature_header: str | None,
    *,
    tolerance_s: int = DEFAULT_TOLERANCE_S,
    now: float | None = None,
) -> None:
    """Raise ``SignatureError`` unless one ``v1`` signature matches and the timestamp is fresh.

    This is the receiver side; it is what docs/webhooks.md shows and what the tests use.
    """
    if not timestamp_header or not signature_header:
        raise SignatureError("missing timestamp or signature header")
    try:
        ts = int(timestamp_header)
    except ValueError as exc:
        raise SignatureError("timestamp is not an integer") from exc
    current = time.time() if now is None else now
    if abs(current - ts) > tolerance_s:
        raise SignatureError(f"timestamp is {int(current - ts)} s away from now; replay refused")
    expected = signature(secret, ts, body)
    offered = [part.strip() for part in signature_header.split(",")]
    if not any(hmac.compare_digest(expected, candidate) for candidate in offered):
        raise SignatureError("no signature matches")
