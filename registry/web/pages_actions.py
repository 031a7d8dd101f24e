"""Decisions from the server page: approve, reject, revoke, decommission.

Each handler checks the CSRF token, then the role (the API route's roles), then
calls the same service the API calls; the service enforces four eyes and the
one-winner rule, and its error becomes a plain message on the page, with the
status code the API would have answered."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from litestar import Request, Response, post
from litestar.datastructures import FormMultiDict
from litestar.response import Redirect
from sqlmodel import Session

from registry.errors import NotFound, RegistryError
from registry.models import Server
from registry.services import reviews
from registry.web.common import require
from registry.web.context import IdPath, WebDep, WebUser
from registry.web.pages_server import render_server
from registry.web.render import UI

MAX_REASON = 2000
MAX_PRINCIPALS = 1000
MAX_PRINCIPAL_CHARS = 320

DONE_MESSAGES = {
    "approved": "Approved. The manifest and every tool hash are pinned; gateways allow it within seconds.",
    "rejected": "Rejected. The decision and its reason are in the audit log.",
    "revoked": "Revoked. Gateways deny this server within seconds.",
    "decommissioned": "Decommissioned. An alert asks the owners to rotate the credentials it held.",
}

HINTS = {
    409: "Someone else acted on it first; the page now shows its current state.",
}


def server_url(name: str, done: str | None = None) -> str:
    return f"{UI}/servers/{quote(name, safe='')}" + (f"?done={done}" if done else "")


async def _form(request: Request[Any, Any, Any], web: WebDep, action: str) -> tuple[WebUser, FormMultiDict]:
    user = await web.require_user(request)
    form = await request.form()
    web.check_csrf(request, form.get("csrf_token"))
    require(user, action, f"{action} servers")
    return user, form


def _reason(form: FormMultiDict) -> str:
    return str(form.get("reason") or "").strip()[:MAX_REASON]


async def _refresh(request: Request[Any, Any, Any]) -> None:
    """Reload this replica's verify index at once, as the API does after a decision
    (other replicas follow the change counter)."""
    await request.app.state["runtime"].refresh()


async def _act(
    request: Request[Any, Any, Any],
    web: WebDep,
    user: WebUser,
    name: str,
    *,
    reason: str,
    fn: Callable[[Session], Any],
    done: str,
) -> Response[Any]:
    if not reason:
        return await render_server(
            request, web, user, name, status_code=422,
            flashes=[{"kind": "error", "text": "A reason is required: it is recorded in the audit log."}],
        )  # fmt: skip
    try:
        await web.db(request, fn)
    except RegistryError as exc:
        text = f"{exc.detail}. {HINTS[exc.status]}" if exc.status in HINTS else exc.detail
        return await render_server(
            request, web, user, name, flashes=[{"kind": "error", "text": text}], status_code=exc.status
        )
    await _refresh(request)
    return Redirect(server_url(name, done), status_code=303)


def _server_of_review(session: Session, review_id: int) -> str:
    item = reviews.get_item(session, review_id)
    server = session.get(Server, item.server_id)
    if server is None:
        raise NotFound(f"review {review_id} has no server")
    return server.name


def _lines(text: str) -> list[str]:
    return [ln.strip()[:MAX_PRINCIPAL_CHARS] for ln in text.splitlines() if ln.strip()][:MAX_PRINCIPALS]


@post("/reviews/{review_id:int}/approve", name="web-approve")
async def approve(request: Request[Any, Any, Any], web: WebDep, review_id: IdPath) -> Response[Any]:
    user, form = await _form(request, web, "approve")
    name = await web.db(request, lambda s: _server_of_review(s, review_id))
    reason = _reason(form)
    tools = [str(t) for t in form.getall("allowed_tools", [])] or None
    principals = _lines(str(form.get("principals") or "")) or None
    decision = reviews.Decision(reason=reason, allowed_tools=tools, principals=principals)
    fn = lambda s: reviews.approve(s, review_id, user.principal, decision)  # noqa: E731
    return await _act(request, web, user, name, reason=reason, done="approved", fn=fn)


@post("/reviews/{review_id:int}/reject", name="web-reject")
async def reject(request: Request[Any, Any, Any], web: WebDep, review_id: IdPath) -> Response[Any]:
    user, form = await _form(request, web, "reject")
    name = await web.db(request, lambda s: _server_of_review(s, review_id))
    reason = _reason(form)
    fn = lambda s: reviews.reject(s, review_id, user.actor, reason)  # noqa: E731
    return await _act(request, web, user, name, reason=reason, done="rejected", fn=fn)


@post("/server-actions/revoke", name="web-revoke")
async def revoke(request: Request[Any, Any, Any], web: WebDep) -> Response[Any]:
    user, form = await _form(request, web, "revoke")
    name, reason = str(form.get("server") or "")[:300], _reason(form)
    fn = lambda s: reviews.revoke(s, name, user.actor, reason)  # noqa: E731
    return await _act(request, web, user, name, reason=reason, done="revoked", fn=fn)


@post("/server-actions/decommission", name="web-decommission")
async def decommission(request: Request[Any, Any, Any], web: WebDep) -> Response[Any]:
    user, form = await _form(request, web, "decommission")
    name, reason = str(form.get("server") or "")[:300], _reason(form)
    fn = lambda s: reviews.decommission(s, name, user.actor, reason)  # noqa: E731
    return await _act(request, web, user, name, reason=reason, done="decommissioned", fn=fn)


ACTION_HANDLERS = [approve, reject, revoke, decommission]
