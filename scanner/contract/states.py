"""A server's review states and what a verify answer says about each, written once."""

from __future__ import annotations

import enum
from typing import Literal

Reason = Literal[
    "approved", "unregistered", "pending_review", "rejected", "revoked", "schema_drift", "principal_not_permitted"
]
BlockReason = Literal["changed", "added", "removed", "not_allowed", "schema_drift"]


class ServerState(enum.StrEnum):
    """``pending -> approved | rejected``; ``approved -> drifted -> approved | rejected``;
    any state ``-> revoked -> decommissioned``."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    DRIFTED = "drifted"
    REVOKED = "revoked"
    DECOMMISSIONED = "decommissioned"


# The states in which an approval is in force (drifted: in force for item-level servers only).
LIVE_STATES: frozenset[ServerState] = frozenset({ServerState.APPROVED, ServerState.DRIFTED})

STATE_REASON: dict[ServerState, Reason] = {
    ServerState.PENDING: "pending_review",
    ServerState.REJECTED: "rejected",
    ServerState.REVOKED: "revoked",
    ServerState.DECOMMISSIONED: "revoked",
    ServerState.APPROVED: "approved",
    ServerState.DRIFTED: "schema_drift",
}
