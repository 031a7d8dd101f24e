"""Typed records of the verify contract (docs: /work/shared/design.md, "Verify API") and
the decision the enforcer hands to its caller."""

from __future__ import annotations

from typing import Any, Literal

import msgspec

Mode = Literal["strict", "tool-level"]
Source = Literal["registry", "cache", "snapshot", "fail_open", "unreachable"]

# Reasons the registry may give (design.md) plus the enforcer's own for outages.
REASON_TEXT: dict[str, str] = {
    "approved": "approved in the registry",
    "unregistered": "this server is not registered in the MCP registry",
    "pending_review": "this server is waiting for review in the MCP registry",
    "rejected": "this server was rejected by its reviewers",
    "revoked": "the approval of this server was revoked",
    "schema_drift": "the server's tools changed since they were approved",
    "changed": "this tool's definition changed since it was approved",
    "added": "this tool was added after the server was approved",
    "not_approved": "this tool is not part of the approved manifest",
    "not_allowed": "this tool is not among the server's allowed tools",
    "principal_not_permitted": "you are not among the people allowed to use this server",
    "registry_unreachable": "the MCP registry cannot be reached, so nothing can be verified",
    "registry_refused": "the MCP registry refused the enforcer's request (check its token)",
    "snapshot_expired": "the offline approvals snapshot has expired",
}


class VerifyRequest(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    server: str
    manifest_sha256: str
    version: str | None = None
    tools: list[dict[str, Any]] | None = None
    principal: str | None = None


class BlockedTool(msgspec.Struct, frozen=True):
    name: str
    reason: str


class VerifyAnswer(msgspec.Struct, frozen=True, kw_only=True):
    """The registry's answer; unknown fields are tolerated so the registry can grow."""

    decision: Literal["allow", "deny"]
    reason: str
    approved_manifest_sha256: str | None = None
    allowed_tools: list[str] | None = None
    blocked_tools: list[BlockedTool] = msgspec.field(default_factory=list)
    cache_ttl_s: float = 5.0
    # Optional hint: the registry wants the tools themselves to record a drift.
    tools_required: bool = False


class Decision(msgspec.Struct, frozen=True, kw_only=True):
    """What the enforcer concluded for one (server, manifest, principal)."""

    server: str
    manifest_sha256: str
    decision: Literal["allow", "deny"]
    reason: str
    allowed_tools: frozenset[str]
    blocked_tools: dict[str, str]  # name -> reason
    source: Source
    message: str = ""  # extra context for a person (outage details, snapshot age)

    @property
    def allowed(self) -> bool:
        return self.decision == "allow"

    def tool_allowed(self, name: str) -> bool:
        return name in self.allowed_tools

    def tool_reason(self, name: str) -> str:
        """Why ``name`` is blocked (a reason code); the server-level reason if not listed."""
        if name in self.blocked_tools:
            return self.blocked_tools[name]
        if self.decision == "deny":
            return self.reason
        return "not_approved"


def explain(reason: str) -> str:
    return REASON_TEXT.get(reason, reason.replace("_", " "))
