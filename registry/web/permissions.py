"""Which roles may take each action from the web UI: read from the API routes' own
declarations (``opt=roles(...)``), so the browser grants exactly what the API grants
and a change to an API route's roles changes the page too. The page hides what a
role may not do; the handler refuses it anyway."""

from __future__ import annotations

from functools import cache
from typing import Any

# Used only when a route cannot be found (a module missing from this build).
_FALLBACK: dict[str, frozenset[str]] = {
    "queue": frozenset({"admin", "reviewer", "auditor"}),
    "read": frozenset({"admin", "reviewer", "submitter", "auditor"}),
    "approve": frozenset({"admin", "reviewer"}),
    "reject": frozenset({"admin", "reviewer"}),
    "revoke": frozenset({"admin", "reviewer"}),
    "decommission": frozenset({"admin"}),
    "alerts": frozenset({"admin", "reviewer", "auditor"}),
    "acknowledge": frozenset({"admin", "reviewer"}),
    "audit": frozenset({"admin", "auditor"}),
}


def _roles_of(controller: Any, handler_name: str) -> frozenset[str] | None:
    handler = getattr(controller, handler_name, None)
    layers = (getattr(controller, "opt", None), getattr(handler, "opt", None))
    opt: dict[str, Any] = {}
    for layer in layers:  # an unset Controller.opt is a slot descriptor, not a dict
        if isinstance(layer, dict):
            opt.update(layer)
    found = opt.get("roles")
    return frozenset(found) if found else None


@cache
def action_roles() -> dict[str, frozenset[str]]:
    from registry.api.controllers import AuditController, ReviewController, ServerController

    sources: dict[str, tuple[Any, str]] = {
        "queue": (ReviewController, "queue"),
        "read": (ServerController, "get_server"),
        "approve": (ReviewController, "approve"),
        "reject": (ReviewController, "reject"),
        "revoke": (ServerController, "revoke"),
        "decommission": (ServerController, "decommission"),
        "audit": (AuditController, "events"),
    }
    try:
        from registry.alerts.api import AlertController

        sources["alerts"] = (AlertController, "list_alerts")
        sources["acknowledge"] = (AlertController, "acknowledge")
    except ImportError:  # alerts API not in this build: fallback roles apply
        pass
    out = dict(_FALLBACK)
    for action, (controller, name) in sources.items():
        out[action] = _roles_of(controller, name) or _FALLBACK[action]
    return out


def may(role: str, action: str) -> bool:
    return role in action_roles().get(action, frozenset())
