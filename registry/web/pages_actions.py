"""Decisions from the server page: approve, reject, revoke, decommission.

Each handler checks the CSRF token and the role, then calls the same service the API
calls; the service enforces four eyes and the one-winner rule, and its error becomes
a plain message on the page (with the API's status code)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from litestar import Request, Response, post
from litestar.datastructures import FormMultiDict
from litestar.response import Redirect
from sqlmodel import Session

from registry.errors import RegistryError
from registry.models import Server
from registry.services import reviews
from registry.web.context import WebContext, WebUser
from registry.web.pages_server import render_server
from registry.web.permissions import may
from registry.web.render import UI, render

MAX_REASON = 2000
MAX_PRINCIPALS = 200

DONE_MESSAGES = {
    "approved": "Approved. The manifest and every tool hash are pinned; gateways allow it within seconds.",
    "rejected": "Rejected. The decision and its reason are in the audit log.",
    "revoked": "Revoked. Gateways deny this server within seconds.",
    "decommissioned": "Decommissioned. An alert asks the owners to rotate the credentials it held.",
}

CONFLICT_HINT = {
    409: "Someone else changed this item first: the page now shows its current state.",
    403: "Not permitted.",
}


async def _form(request: Request[Any, Any, Any], web: WebContext) -> tuple[WebUser, FormMultiDict]:
    user = await web.require_user(request)
    form = await request.form()
    web.check_csrf(request, form.get("csrf_token"))
    return user, form


def _reason(form: FormMultiDict) -> str:
    return str(form.get("reason") or "").strip()[:MAX_REASON]


async def _refresh(request: Request[Any, Any, Any]) -> None:
    """Reload this replica's verify index at once (others follow the change counter)."""
    runtime = request.app.state.get("runtime")
    refresh = getattr(runtime, "refresh", None)
    if refresh is not None:
        await refresh()


async def _act(
    request: Request[Any, Any, Any],
    web: WebContext,
    user: WebUser,
    server_name: str,
    *,
    action: str,
    fn: Callable[[Session], Any],
    done: str,
) -> Response[Any]:
    if not may(user.role, action):
        return render(
            "message.html",
            {
                "user": user,
                "csrf": web.csrf_for(user.session),
                "title": "Not permitted",
                "message": f"Your role ({user.role}) may not {action} servers.",
                "back": f"{UI}/servers/{quote(server_name, safe='')}",
            },
            status_code=403,
        )
    try:
        await web.db(request, fn)
    except RegistryError as exc:
        text = exc.detail
        if exc.status in CONFLICT_HINT:
            text = f"{exc.detail}. {CONFLICT_HINT[exc.status]}"
        return await render_server(
            request, web, user, server_name, flashes=[{"kind": "error", "text": text}], status_code=exc.status
        )
    await _refresh(request)
    return Redirect(f"{UI}/servers/{quote(server_name, safe='')}?done={done}", status_code=303)


def _server_of_review(session: Session, review_id: int) -> str:
    item = reviews.get_item(session, review_id)
    server = session.get(Server, item.server_id)
    return server.name if server else ""


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip()][:MAX_PRINCIPALS]


@post("/reviews/{review_id:int}/approve", name="web-approve")
async def approve(request: Request[Any, Any, Any], web: WebContext, review_id: int) -> Response[Any]:
    user, form = await _form(request, web)
    name = await web.db(request, lambda s: _server_of_review(s, review_id))
    reason = _reason(form)
    tools = [str(t) for t in form.getall("allowed_tools", [])] or None
    principals = _lines(str(form.get("principals") or "")) or None
    if not reason:
        return await _missing_reason(request, web, user, name)
    decision = reviews.Decision(reason=reason, allowed_tools=tools, principals=principals)
    return await _act(
        request,
        web,
        user,
        name,
        action="approve",
        done="approved",
        fn=lambda s: reviews.approve(s, review_id, user.actor, decision),
    )


@post("/reviews/{review_id:int}/reject", name="web-reject")
async def reject(request: Request[Any, Any, Any], web: WebContext, review_id: int) -> Response[Any]:
    user, form = await _form(request, web)
    name = await web.db(request, lambda s: _server_of_review(s, review_id))
    reason = _reason(form)
    if not reason:
        return await _missing_reason(request, web, user, name)
    return await _act(
        request,
        web,
        user,
        name,
        action="reject",
        done="rejected",
        fn=lambda s: reviews.reject(s, review_id, user.actor, reason),
    )


@post("/server-actions/{action:str}", name="web-server-action")
async def server_action(request: Request[Any, Any, Any], web: WebContext, action: str) -> Response[Any]:
    user, form = await _form(request, web)
    name = str(form.get("server") or "")[:300]
    reason = _reason(form)
    if action not in {"revoke", "decommission"}:
        return render(
            "message.html",
            {
                "user": user,
                "csrf": web.csrf_for(user.session),
                "title": "Unknown action",
                "message": "Only revoke and decommission are offered here.",
            },
            status_code=404,
        )
    if not reason:
        return await _missing_reason(request, web, user, name)
    fn = reviews.revoke if action == "revoke" else reviews.decommission
    done = "revoked" if action == "revoke" else "decommissioned"
    return await _act(request, web, user, name, action=action, done=done, fn=lambda s: fn(s, name, user.actor, reason))


async def _missing_reason(request: Request[Any, Any, Any], web: WebContext, user: WebUser, name: str) -> Response[str]:
    return await render_server(
        request,
        web,
        user,
        name,
        status_code=422,
        flashes=[{"kind": "error", "text": "A reason is required: it is recorded in the audit log."}],
    )


ACTION_HANDLERS = [approve, reject, server_action]
