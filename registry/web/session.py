"""Signed session cookies and CSRF tokens for the web UI.

The cookie carries a small JSON payload signed with HMAC-SHA256; it holds the API
token's *id* (or, for single sign-on, the subject and roles the IdP vouched for),
never a token. A signed-in session also carries a random session id whose SHA-256 is
recorded in ``web_sessions`` at sign-in and marked ended at sign-out; every request
re-checks that row (and a token-backed session's token), so signing out or revoking
the token ends the session at once, and a copy of the old cookie is worthless.

CSRF uses the synchronizer-token pattern bound to the session: each session has a
random ``nonce`` and the form token is ``HMAC(key, "csrf:" + nonce)``. Visitors who
are not signed in get an anonymous session too, so the sign-in form is protected
against login CSRF. The nonce changes at sign-in and sign-out (no session fixation).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

import msgspec

COOKIE_NAME = "mcp_trust_session"
# The __Host- prefix makes browsers refuse the cookie unless it is Secure, host-only
# and path=/; only usable when the UI is served over TLS.
SECURE_COOKIE_NAME = "__Host-mcp_trust_session"
SESSION_MAX_AGE_S = 8 * 3600
CSRF_FIELD = "csrf_token"


class SessionData(msgspec.Struct, frozen=True, kw_only=True):
    nonce: str
    issued_at: int
    expires_at: int
    kind: str = "anonymous"  # anonymous | token | oidc
    token_id: str | None = None
    principal: str | None = None
    roles: tuple[str, ...] = ()
    sid: str | None = None  # signed-in sessions only: the server-side record's key

    @property
    def signed_in(self) -> bool:
        return self.kind != "anonymous"


_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(SessionData)


def derive_key(secret: str | None) -> bytes:
    """The signing key: derived from the configured secret, else random for this process
    (sessions then end when the process restarts and are not shared between replicas)."""
    if not secret:
        return secrets.token_bytes(32)
    return hmac.new(b"mcp-trust web session v1", secret.encode(), hashlib.sha256).digest()


def new_session(
    *,
    kind: str = "anonymous",
    token_id: str | None = None,
    principal: str | None = None,
    roles: tuple[str, ...] = (),
    max_age_s: int = SESSION_MAX_AGE_S,
    now: float | None = None,
) -> SessionData:
    """A fresh session (new nonce; a signed-in one also gets a new random session id)."""
    issued = int(time.time() if now is None else now)
    return SessionData(
        nonce=secrets.token_urlsafe(18),
        issued_at=issued,
        expires_at=issued + max_age_s,
        kind=kind,
        token_id=token_id,
        principal=principal,
        roles=roles,
        sid=None if kind == "anonymous" else secrets.token_urlsafe(32),
    )


def sid_digest(sid: str) -> str:
    """The key of a session's row: its SHA-256, so the table never holds a live session id."""
    return hashlib.sha256(sid.encode()).hexdigest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(key: bytes, body: str) -> str:
    return _b64(hmac.new(key, body.encode(), hashlib.sha256).digest())


def encode_session(key: bytes, data: SessionData) -> str:
    body = _b64(_encoder.encode(data))
    return f"{body}.{_mac(key, body)}"


def decode_session(key: bytes, value: str | None, now: float | None = None) -> SessionData | None:
    """The session in a cookie value, or None when it is missing, forged or expired."""
    if not value or value.count(".") != 1 or len(value) > 4096:
        return None
    body, mac = value.split(".")
    if not hmac.compare_digest(mac, _mac(key, body)):
        return None
    try:
        data = _decoder.decode(_unb64(body))
    except (ValueError, msgspec.DecodeError):
        return None
    if data.expires_at <= int(time.time() if now is None else now):
        return None
    return data


def csrf_token(key: bytes, data: SessionData) -> str:
    return _mac(key, "csrf:" + data.nonce)


def csrf_ok(key: bytes, data: SessionData | None, submitted: str | None) -> bool:
    if data is None or not submitted:
        return False
    return hmac.compare_digest(submitted, csrf_token(key, data))
