"""Which roles may take each action from the web UI: the same roles the API's
routes declare (``registry.api``), so signing in through the browser grants nothing
more. The page hides what a role may not do; the handler refuses it anyway."""

from __future__ import annotations

ACTION_ROLES: dict[str, frozenset[str]] = {
    "read": frozenset({"admin", "reviewer", "submitter", "auditor"}),
    "approve": frozenset({"admin", "reviewer"}),
    "reject": frozenset({"admin", "reviewer"}),
    "revoke": frozenset({"admin", "reviewer"}),
    "decommission": frozenset({"admin", "reviewer"}),
    "acknowledge": frozenset({"admin", "reviewer"}),
    "audit": frozenset({"admin", "reviewer", "auditor"}),
}


def may(role: str, action: str) -> bool:
    return role in ACTION_ROLES.get(action, frozenset())
