"""Who is calling: API tokens (and optional OIDC bearer JWTs) -> a ``Principal``.

Every route declares the roles it admits in its ``opt``: ``opt=roles("admin", ...)``.
One app-level guard, ``role_guard``, authenticates the bearer credential and checks
the role; a route without ``roles`` (and not ``public``) is refused, so a forgotten
declaration fails closed. Handlers declare ``opt=roles(...)``, or ``opt=PUBLIC`` for
pages that authenticate themselves (web sessions).

Four eyes compares people, not credentials: every principal carries the ``person``
behind it (a token's owner, or ``oidc:<sub>``), and a token's principal also carries
the person who created the token.

Token lookups come from an in-memory map refreshed with the verify index, so the
verify path never waits on a query; last-used times are flushed in the background.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import time
import unicodedata
from typing import Any

import anyio.to_thread
import httpx
import jwt
import msgspec
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from registry.errors import Forbidden, InvalidInput, Unauthorized
from registry.models import ApiToken
from registry.settings import ROLES, OidcSettings

PUBLIC: dict[str, Any] = {"public": True}


def roles(*names: str) -> dict[str, Any]:
    unknown = set(names) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")
    return {"roles": frozenset(names)}


MAX_PERSON_CHARS = 200  # the width of every column that stores a person
MAX_OIDC_SUBJECT_CHARS = MAX_PERSON_CHARS - len("oidc:")


class Principal(msgspec.Struct, frozen=True, kw_only=True):
    """An authenticated caller: the credential, its role and the person behind it."""

    actor: str  # the credential, recorded in audit: "token:NAME" or "oidc:SUB"
    role: str
    person: str  # four eyes compares this: the token's owner, or "oidc:SUB"
    token_id: int | None = None
    created_by_person: str | None = None  # tokens only: the person who created the token


def token_principal(row: ApiToken) -> Principal:
    """The principal a token row stands for (the verify hot path builds these once per reload)."""
    return Principal(
        actor=f"token:{row.name}", role=row.role, person=row.owner, token_id=row.id, created_by_person=row.created_by
    )


def oidc_principal(subject: str, role: str) -> Principal:
    """An OIDC subject is a person of its own."""
    return Principal(actor=f"oidc:{subject}", role=role, person=f"oidc:{subject}")


def is_one_line(value: str, limit: int) -> bool:
    """One printable line of 1..limit characters without markup (``<`` or ``>``)."""
    return 0 < len(value) <= limit and all(ch.isprintable() and ch not in "<>" for ch in value)


def one_line(value: str, *, field: str, what: str, limit: int) -> str:
    """``value``, or 422 unless it is one printable line: names and owners end up in
    logs, tables and pages, where a newline or markup would forge a row or a tag."""
    if not is_one_line(value, limit):
        raise InvalidInput(
            f"{what} must be one printable line of 1 to {limit} characters without < or >",
            extra={"errors": [{"path": f"$.{field}", "message": "not one printable line"}]},
        )
    return value


def person_key(person: str) -> str:
    """The form two person strings are compared in: case and Unicode compatibility forms
    do not make a second person (comparing this way can only refuse more approvals)."""
    return unicodedata.normalize("NFKC", person).casefold()


def same_person(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and person_key(a) == person_key(b)


def new_token() -> str:
    """A fresh API token (shown once; only its SHA-256 is stored)."""
    return "mcpt_" + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class TokenStore:
    """sha256 -> Principal for every live token, reloaded when anything changes."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._by_digest: dict[str, Principal] = {}
        self._last_used: dict[int, dt.datetime] = {}

    def reload(self) -> None:
        with Session(self._engine) as session:
            rows = session.exec(select(ApiToken).where(ApiToken.revoked_at.is_(None))).all()  # type: ignore[union-attr]
        self._by_digest = {r.sha256: token_principal(r) for r in rows}

    async def lookup(self, token: str) -> Principal | None:
        digest = token_digest(token)
        found = self._by_digest.get(digest)
        if found is None:
            # a token created a moment ago by the CLI or another replica
            found = await anyio.to_thread.run_sync(self._lookup_db, digest)
        if found is not None and found.token_id is not None:
            self._last_used[found.token_id] = dt.datetime.now(dt.UTC)
        return found

    def _lookup_db(self, digest: str) -> Principal | None:
        with Session(self._engine) as session:
            row = session.exec(select(ApiToken).where(ApiToken.sha256 == digest)).first()
        if row is None or row.revoked_at is not None:
            return None
        principal = token_principal(row)
        self._by_digest[digest] = principal
        return principal

    def forget(self, token_id: int) -> None:
        self._by_digest = {d: p for d, p in self._by_digest.items() if p.token_id != token_id}

    def flush_last_used(self) -> None:
        pending, self._last_used = self._last_used, {}
        if not pending:
            return
        with Session(self._engine) as session:
            for token_id, when in pending.items():
                row = session.get(ApiToken, token_id)
                if row is not None:
                    row.last_used_at = when
                    session.add(row)
            session.commit()


class OidcVerifier:
    """Bearer JWTs from the configured issuer; the JWKS is fetched with httpx and cached."""

    def __init__(self, settings: OidcSettings, client: httpx.AsyncClient | None = None) -> None:
        self._settings = settings
        self._client = client
        self._jwks: jwt.PyJWKSet | None = None
        self._fetched_at = 0.0

    async def _keys(self, force: bool = False) -> jwt.PyJWKSet:
        fresh = time.monotonic() - self._fetched_at < self._settings.jwks_cache_s
        if self._jwks is not None and fresh and not force:
            return self._jwks
        client = self._client or httpx.AsyncClient(timeout=5.0)
        try:
            resp = await client.get(self._settings.jwks_url)
            resp.raise_for_status()
            self._jwks = jwt.PyJWKSet.from_dict(resp.json())
        except (httpx.HTTPError, ValueError, jwt.PyJWKSetError) as exc:
            raise Unauthorized(f"cannot fetch the identity provider's keys: {exc}") from exc
        finally:
            if self._client is None:
                await client.aclose()
        self._fetched_at = time.monotonic()
        return self._jwks

    async def verify(self, token: str) -> Principal:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError as exc:
            raise Unauthorized("malformed bearer token") from exc
        keys = await self._keys()
        key = _find_key(keys, kid)
        if key is None and time.monotonic() - self._fetched_at > 10:  # key rotation
            key = _find_key(await self._keys(force=True), kid)
        if key is None:
            raise Unauthorized("bearer token signed by an unknown key")
        s = self._settings
        try:
            claims = jwt.decode(
                token,
                key=key.key,
                algorithms=list(s.algorithms),
                audience=s.audience,
                issuer=s.issuer,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as exc:
            raise Unauthorized(f"bearer token rejected: {exc}") from exc
        return oidc_principal(_subject(claims), _role_from_claims(claims, s))


def _subject(claims: dict[str, Any]) -> str:
    """The ``sub`` claim as a person: one printable line that fits the person columns."""
    sub = claims["sub"]
    if not isinstance(sub, str) or not is_one_line(sub, MAX_OIDC_SUBJECT_CHARS):
        raise Unauthorized(
            f"the bearer token's subject is not one printable line of at most {MAX_OIDC_SUBJECT_CHARS} characters"
        )
    return sub


def _find_key(keys: jwt.PyJWKSet, kid: str | None) -> jwt.PyJWK | None:
    for key in keys.keys:
        if kid is None or key.key_id == kid:
            return key
    return None


def _role_from_claims(claims: dict[str, Any], s: OidcSettings) -> str:
    value = claims.get(s.role_claim)
    values = value if isinstance(value, list) else [value]
    granted = {s.role_map[v] for v in values if isinstance(v, str) and v in s.role_map}
    for role in ROLES:  # the most privileged mapped role wins
        if role in granted:
            return role
    raise Forbidden(f"no registry role is mapped from claim {s.role_claim!r}")


def _bearer(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    # read the raw ASGI headers: building Litestar's Headers object costs more than the lookup
    header = ""
    for key, raw in connection.scope["headers"]:
        if key == b"authorization":
            header = raw.decode("latin-1")
            break
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthorized("send 'Authorization: Bearer <token>'")
    return value.strip()


async def authenticate(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    state = connection.app.state
    token = _bearer(connection)
    oidc: OidcVerifier | None = state.get("oidc")
    if oidc is not None and token.count(".") == 2:
        return await oidc.verify(token)
    store: TokenStore = state["tokens"]
    principal = await store.lookup(token)
    if principal is None:
        raise Unauthorized("unknown or revoked token")
    return principal


async def role_guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """App-level guard: authenticate, then check the route's declared roles."""
    opt = handler.opt
    if opt.get("public") or connection.scope["path"].startswith("/schema"):
        return
    allowed: frozenset[str] | None = opt.get("roles")
    principal = await authenticate(connection)
    if not allowed or principal.role not in allowed:
        raise Forbidden(f"role {principal.role!r} may not call this endpoint")
    connection.scope["state"]["principal"] = principal


def current_principal(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    """Dependency: the principal the guard authenticated."""
    principal = connection.scope["state"].get("principal")
    if not isinstance(principal, Principal):
        raise Unauthorized("not authenticated")
    return principal


def constant_time_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
