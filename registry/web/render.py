"""HTML rendering with our own Jinja2 environment (autoescaped, strict undefined), so
the web UI needs nothing from the app factory but its route handlers."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from litestar import Response

from registry.web.highlight import visible

TEMPLATES = Path(__file__).parent / "templates"
UI = "/ui"
STATIC = UI + "/static"

# The pages need no script and no inline style: a strict policy blunts any markup
# that slips through from scanned servers.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


def urlname(name: str) -> str:
    """Server names like ``io.github.acme/crm`` are URL-encoded, as the official registry does."""
    return quote(name, safe="")


def when(value: str | None) -> str:
    """``2026-11-21T05:52:37.348749Z`` -> ``2026-11-21 05:52:37 UTC`` (the full value
    stays in the element's ``datetime`` attribute)."""
    if not value:
        return ""
    text = value.replace("T", " ", 1).removesuffix("Z").split(".")[0].split("+")[0]
    return f"{text} UTC"


def score_class(score: float | None) -> str:
    if score is None:
        return "bar-unknown"
    if score >= 75:
        return "bar-good"
    return "bar-mid" if score >= 50 else "bar-bad"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["urlname"] = urlname
    env.filters["score_class"] = score_class
    env.filters["visible"] = visible
    env.filters["when"] = when
    env.globals.update(ui=UI, static_url=STATIC)
    return env


_ENV = _environment()


def render(template: str, context: dict[str, Any], status_code: int = 200) -> Response[str]:
    defaults: dict[str, Any] = {
        "user": None,
        "csrf": "",
        "flashes": [],
        "nav": "",
        "open_alerts": 0,
        "title": "",
        "can": {"queue": False, "read": False, "alerts": False, "audit": False},
        "back": None,
        "back_label": None,
    }
    html = _ENV.get_template(template).render({**defaults, **context})
    return Response(
        content=html,
        status_code=status_code,
        media_type="text/html; charset=utf-8",
        headers=SECURITY_HEADERS,
    )
