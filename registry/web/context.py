"""Per-app web state: the session key, who is signed in, CSRF checks and cookies.

Handlers get a ``WebContext`` as a dependency. Identity comes from the registry's own
token service and OIDC verifier, so roles apply exactly as they do on the API.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import anyio.to_thread
import msgspec
from litestar import Request, Response
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.params import PathParameter, QueryParameter
from sqlalchemy import delete, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from registry.auth import Principal, token_principal
from registry.db import session_scope
from registry.errors import NotFound
from registry.models import WebSession, as_utc, utcnow
from registry.services import tokens
from registry.services.servers import MAX_ROW_ID
from registry.settings import Settings
from registry.web import session as ws

T = TypeVar("T")


class SignInRequired(Exception):
    """The page needs a signed-in user; the router answers with a redirect to sign in."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


class CsrfRejected(Exception):
    """A form arrived without the session's CSRF token (answered with 403)."""


class WebUser(msgspec.Struct, frozen=True, kw_only=True):
    principal: Principal
    session: ws.SessionData

    @property
    def actor(self) -> str:
        return self.principal.actor

    @property
    def role(self) -> str:
        return self.principal.role


class WebContext:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.key = ws.derive_key(settings.session_secret)
        self.always_secure = settings.public_url.startswith("https://")

    # -- cookies -------------------------------------------------------------
    def secure(self, request: Request[Any, Any, Any]) -> bool:
        return self.always_secure or request.url.scheme == "https"

    def cookie_name(self, request: Request[Any, Any, Any]) -> str:
        return ws.SECURE_COOKIE_NAME if self.secure(request) else ws.COOKIE_NAME

    def session_of(self, request: Request[Any, Any, Any]) -> ws.SessionData | None:
        return ws.decode_session(self.key, request.cookies.get(self.cookie_name(request)))

    def set_session(self, request: Request[Any, Any, Any], response: Response[Any], data: ws.SessionData) -> None:
        response.set_cookie(self._cookie(request, ws.encode_session(self.key, data), data.expires_at - data.issued_at))

    def clear_session(self, request: Request[Any, Any, Any], response: Response[Any]) -> None:
        response.set_cookie(self._cookie(request, "", 0))

    def _cookie(self, request: Request[Any, Any, Any], value: str, max_age: int) -> Cookie:
        # Strict: the session is never sent on a request another site starts, which
        # is a second wall behind the CSRF token.
        return Cookie(
            key=self.cookie_name(request),
            value=value,
            max_age=max_age,
            path="/",
            httponly=True,
            secure=self.secure(request),
            samesite="strict",
        )

    # -- identity ------------------------------------------------------------
    def engine(self, request: Request[Any, Any, Any]) -> Engine:
        engine: Engine = request.app.state["runtime"].engine
        return engine

    async def db(self, request: Request[Any, Any, Any], fn: Callable[[Session], T]) -> T:
        """Run ``fn`` in one transaction on a worker thread (services are synchronous)."""
        engine = self.engine(request)

        def work() -> T:
            with session_scope(engine) as session:
                return fn(session)

        return await anyio.to_thread.run_sync(work)

    async def user(self, request: Request[Any, Any, Any]) -> WebUser | None:
        """Who is signed in: a cookie counts only while its server-side session is live
        (one primary-key read, shared with the token check; the API never pays it)."""
        data = self.session_of(request)
        if data is None or not data.signed_in or data.sid is None:
            return None
        principal = await self.db(request, lambda s: _live_principal(s, data))
        return None if principal is None else WebUser(principal=principal, session=data)

    async def start_session(
        self, request: Request[Any, Any, Any], response: Response[Any], data: ws.SessionData
    ) -> None:
        """Record a signed-in session server-side, then hand its cookie to the browser."""
        assert data.sid is not None
        row = WebSession(
            sid=ws.sid_digest(data.sid),
            actor=data.principal,
            expires_at=dt.datetime.fromtimestamp(data.expires_at, dt.UTC),
        )
        await self.db(request, lambda s: _record_session(s, row))
        self.set_session(request, response, data)

    async def end_session(self, request: Request[Any, Any, Any]) -> None:
        """Mark the request's session ended, so a copy of its cookie is signed out too."""
        data = self.session_of(request)
        if data is not None and data.sid is not None:
            digest = ws.sid_digest(data.sid)
            await self.db(request, lambda s: _end_session(s, digest))

    async def require_user(self, request: Request[Any, Any, Any]) -> WebUser:
        user = await self.user(request)
        if user is None:
            # after signing in, come back to the page; a form post cannot be replayed
            back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise SignInRequired(back if request.method == "GET" else "/ui/")
        return user

    # -- CSRF ----------------------------------------------------------------
    def csrf_for(self, data: ws.SessionData) -> str:
        return ws.csrf_token(self.key, data)

    def check_csrf(self, request: Request[Any, Any, Any], submitted: str | None) -> ws.SessionData:
        data = self.session_of(request)
        if not ws.csrf_ok(self.key, data, submitted):
            raise CsrfRejected
        assert data is not None
        return data


def _live_principal(session: Session, data: ws.SessionData) -> Principal | None:
    """The principal of a signed-in session, or None once it ended, expired or lost its token."""
    row = session.get(WebSession, ws.sid_digest(data.sid or ""))
    if row is None or row.ended_at is not None or not _before(utcnow(), as_utc(row.expires_at)):
        return None
    if data.kind == "oidc":
        if not data.principal or not data.roles:
            return None
        # the session holds the actor "oidc:SUB" the JWT was checked for: a subject is a person
        return Principal(actor=data.principal, role=data.roles[0], person=data.principal)
    return None if data.token_id is None else _live_token(session, data.token_id)


def _before(now: dt.datetime, deadline: dt.datetime | None) -> bool:
    return deadline is not None and now < deadline


def _record_session(session: Session, row: WebSession) -> None:
    # rows past their expiry are useless (their cookies are expired too): sign-in sweeps them
    session.execute(delete(WebSession).where(col(WebSession.expires_at) < utcnow()))
    session.add(row)


def _end_session(session: Session, digest: str) -> None:
    session.execute(
        update(WebSession)
        .where(col(WebSession.sid) == digest, col(WebSession.ended_at).is_(None))
        .values(ended_at=utcnow())
    )


def _live_token(session: Session, token_id: str) -> Principal | None:
    """The principal behind a session's token id, or None once the token is revoked."""
    try:
        row = tokens.find_token(session, token_id)
    except NotFound:
        return None
    if row.revoked_at is not None:
        return None
    return token_principal(row)  # the owner is the person, as on the API


# Handlers name their dependency explicitly (Litestar 3 drops inferred dependencies).
WebDep = NamedDependency[WebContext]

# Explicit parameter markers with bounds: query strings come from anyone's browser.
NextQ = Annotated[str | None, QueryParameter(max_length=2000)]
ShortQ = Annotated[str, QueryParameter(max_length=40)]
TextQ = Annotated[str, QueryParameter(max_length=200)]
StateQ = Annotated[str, QueryParameter(name="state", max_length=20)]
DoneQ = Annotated[str | None, QueryParameter(max_length=40)]
BeforeQ = Annotated[int | None, QueryParameter(ge=1, le=MAX_ROW_ID)]
IdPath = Annotated[int, PathParameter(ge=1, le=MAX_ROW_ID)]
NamePath = Annotated[str, PathParameter(max_length=400)]
