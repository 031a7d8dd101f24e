"""Sign in (API token form, or an OIDC bearer token presented once) and sign out."""

from __future__ import annotations

import time
from typing import Any

import jwt
from litestar import Request, Response, get, post
from litestar.response import Redirect

from registry.auth import Principal, authenticate
from registry.errors import RegistryError
from registry.web import session as ws
from registry.web.context import NextQ, ShortQ, WebDep
from registry.web.render import UI, render

MAX_TOKEN_CHARS = 4096


def _safe_next(value: str | None) -> str:
    """Only local UI paths: an open redirect would let a phishing link borrow our origin."""
    if value and value.startswith(UI + "/") and not value.startswith("//") and "\\" not in value:
        return value
    return UI + "/"


def _login_page(
    request: Request[Any, Any, Any],
    web: WebDep,
    data: ws.SessionData,
    next_url: str,
    *,
    error: str | None = None,
    notice: str | None = None,
    status: int = 200,
) -> Response[str]:
    oidc = web.settings.oidc.issuer if web.settings.oidc else None
    flashes = [{"kind": "error", "text": error}] if error else []
    flashes += [{"kind": "ok", "text": notice}] if notice else []
    response = render(
        "login.html",
        {"title": "Sign in", "csrf": web.csrf_for(data), "next": next_url, "oidc": oidc, "flashes": flashes},
        status_code=status,
    )
    web.set_session(request, response, data)
    return response


@get("/login", name="web-login")
async def login_form(
    request: Request[Any, Any, Any], web: WebDep, next: NextQ = None, signed_out: ShortQ = ""
) -> Response[Any]:
    if await web.user(request) is not None:
        return Redirect(_safe_next(next), status_code=303)
    data = _anonymous(web, request)
    notice = "You are signed out." if signed_out else None
    return _login_page(request, web, data, _safe_next(next), notice=notice)


@post("/login", name="web-login-submit")
async def login_submit(request: Request[Any, Any, Any], web: WebDep) -> Response[Any]:
    form = await request.form()
    anon = web.check_csrf(request, form.get("csrf_token"))
    next_url = _safe_next(form.get("next"))
    token = str(form.get("token") or "").strip()
    store = request.app.state["runtime"].tokens
    principal: Principal | None = None
    if token and len(token) <= MAX_TOKEN_CHARS:
        principal = await store.lookup(token)
    if principal is None or principal.token_id is None:
        return _login_page(request, web, anon, next_url, error="That token is unknown or has been revoked.", status=401)
    return await _start(request, web, principal, next_url)


@get("/login/sso", name="web-login-sso")
async def login_sso(request: Request[Any, Any, Any], web: WebDep, next: NextQ = None) -> Response[Any]:
    """An identity-aware proxy forwards the user's OIDC bearer token here once; the JWT
    is checked exactly as the API checks it, and a session replaces it."""
    data = _anonymous(web, request)
    if web.settings.oidc is None:
        return _login_page(
            request, web, data, _safe_next(next), error="Single sign-on is not configured on this registry.", status=404
        )
    try:
        principal = await authenticate(request)
    except RegistryError as exc:
        return _login_page(request, web, data, _safe_next(next), error=exc.detail, status=exc.status)
    return await _start(request, web, principal, _safe_next(next), max_age_s=_bearer_lifetime(request, principal))


def _anonymous(web: WebDep, request: Request[Any, Any, Any]) -> ws.SessionData:
    """The visitor's anonymous session (CSRF for the sign-in form); a signed-in cookie
    that reached the sign-in page is no longer live, so it is replaced, not kept."""
    data = web.session_of(request)
    return data if data is not None and not data.signed_in else ws.new_session()


def _bearer_lifetime(request: Request[Any, Any, Any], principal: Principal) -> int:
    """A session started from a JWT ends when the JWT would have (or sooner)."""
    if principal.token_id is not None:
        return ws.SESSION_MAX_AGE_S
    bearer = request.headers.get("authorization", "").partition(" ")[2].strip()
    # the signature, issuer, audience and expiry were checked by authenticate() just now
    claims = jwt.decode(bearer, options={"verify_signature": False})
    return max(1, min(ws.SESSION_MAX_AGE_S, int(claims["exp"]) - int(time.time())))


async def _start(
    request: Request[Any, Any, Any],
    web: WebDep,
    principal: Principal,
    next_url: str,
    *,
    max_age_s: int = ws.SESSION_MAX_AGE_S,
) -> Response[Any]:
    # A fresh nonce at sign-in: a session id planted before sign-in is worthless after.
    if principal.token_id is not None:
        data = ws.new_session(
            kind="token", token_id=str(principal.token_id), principal=principal.actor, roles=(principal.role,)
        )
    else:
        data = ws.new_session(kind="oidc", principal=principal.actor, roles=(principal.role,), max_age_s=max_age_s)
    response: Response[Any] = Redirect(next_url, status_code=303)
    await web.start_session(request, response, data)
    return response


@post("/logout", name="web-logout")
async def logout(request: Request[Any, Any, Any], web: WebDep) -> Response[Any]:
    form = await request.form()
    web.check_csrf(request, form.get("csrf_token"))
    await web.end_session(request)  # server-side: a copy of the old cookie is signed out too
    response: Response[Any] = Redirect(UI + "/login?signed_out=1", status_code=303)
    web.set_session(request, response, ws.new_session())
    return response


AUTH_HANDLERS = [login_form, login_submit, login_sso, logout]
