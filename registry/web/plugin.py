"""The review web UI as a registry feature (listed in ``registry.features``).

Everything lives under ``/ui``: server-rendered pages (no JavaScript needed), a
signed session cookie, a CSRF token on every form. Pages authenticate themselves
from the session, so the routes are ``PUBLIC`` to the API's bearer-token guard.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from litestar import Request, Response, Router
from litestar.di import Provide
from litestar.response import Redirect
from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler

from registry.auth import PUBLIC
from registry.errors import NotFound
from registry.settings import Settings
from registry.web.common import NotPermitted, forbidden
from registry.web.context import CsrfRejected, SignInRequired, WebContext
from registry.web.pages_actions import ACTION_HANDLERS
from registry.web.pages_auth import AUTH_HANDLERS
from registry.web.pages_other import OTHER_HANDLERS
from registry.web.pages_queue import QUEUE_HANDLERS
from registry.web.pages_server import SERVER_HANDLERS
from registry.web.render import STATIC, UI, render

STATIC_DIR = Path(__file__).parent / "static"


def _sign_in(_: Request[Any, Any, Any], exc: SignInRequired) -> Response[Any]:
    return Redirect(f"{UI}/login?next={quote(exc.next_url, safe='/')}", status_code=303)


def _csrf(_: Request[Any, Any, Any], __: CsrfRejected) -> Response[str]:
    return render(
        "message.html",
        {
            "title": "Form expired",
            "message": "This form was not accepted: its security token is missing or out of date "
            "(for example after signing in again in another tab). Reload the page and try again.",
        },
        status_code=403,
    )


def _make_not_permitted(web: WebContext) -> Any:
    def handler(_: Request[Any, Any, Any], exc: NotPermitted) -> Response[str]:
        return forbidden(web, exc.user, exc.what, exc.back)

    return handler


def _not_found(_: Request[Any, Any, Any], exc: NotFound) -> Response[str]:
    return render("message.html", {"title": "Not found", "message": exc.detail}, status_code=404)


def route_handlers(settings: Settings) -> Sequence[ControllerRouterHandler]:
    web = WebContext(settings)
    pages = Router(
        path=UI,
        route_handlers=[*AUTH_HANDLERS, *QUEUE_HANDLERS, *SERVER_HANDLERS, *ACTION_HANDLERS, *OTHER_HANDLERS],
        dependencies={"web": Provide(lambda: web, use_cache=True, sync_to_thread=False)},
        exception_handlers={
            SignInRequired: _sign_in,
            CsrfRejected: _csrf,
            NotFound: _not_found,
            NotPermitted: _make_not_permitted(web),
        },
        opt=PUBLIC,
        include_in_schema=False,
    )
    static = create_static_files_router(
        path=STATIC, directories=[STATIC_DIR], opt=PUBLIC, include_in_schema=False, name="web-static"
    )
    return [pages, static]
