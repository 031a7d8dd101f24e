"""What every signed-in page shares: the header's context and the refusal page."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from sqlmodel import Session, col, func, select

from registry.models import Alert
from registry.web.context import WebContext, WebUser
from registry.web.permissions import may
from registry.web.render import render


def open_alert_count(session: Session) -> int:
    stmt = select(func.count()).select_from(Alert).where(col(Alert.acknowledged_at).is_(None))
    return int(session.exec(stmt).one())


async def base_context(
    request: Request[Any, Any, Any], web: WebContext, user: WebUser, nav: str, title: str
) -> dict[str, Any]:
    can = {action: may(user.role, action) for action in ("queue", "read", "alerts", "audit")}
    alerts = await web.db(request, open_alert_count) if can["alerts"] else 0
    return {
        "user": user,
        "csrf": web.csrf_for(user.session),
        "nav": nav,
        "title": title,
        "open_alerts": alerts,
        "can": can,
    }


class NotPermitted(Exception):
    """The signed-in user's role may not do this (answered with a 403 page)."""

    def __init__(self, user: WebUser, what: str, back: str | None = None) -> None:
        super().__init__(what)
        self.user, self.what, self.back = user, what, back


def forbidden(web: WebContext, user: WebUser, what: str, back: str | None = None) -> Response[str]:
    can = {action: may(user.role, action) for action in ("queue", "read", "alerts", "audit")}
    message = f"Your role ({user.role}) may not {what}. Roles are the registry's own: ask an administrator."
    context = {"user": user, "csrf": web.csrf_for(user.session), "can": can, "title": "Not permitted"}
    return render("message.html", {**context, "message": message, "back": back}, status_code=403)


def require(user: WebUser, action: str, what: str, back: str | None = None) -> None:
    if not may(user.role, action):
        raise NotPermitted(user, what, back)
