"""The decision the enforcer hands to its caller, and the words a person reads about it.

The verify wire types, the decision rule and the hashes are the contract's
(``scanner.contract``); a ``Decision`` is what one session concludes from a verdict.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import msgspec

from scanner.contract.decide import Observation, Pin, Verdict, instructions_changed, item_changes
from scanner.contract.surface import ItemKind

Mode = Literal["strict", "tool-level"]
Source = Literal["registry", "cache", "snapshot", "fail_open", "unreachable"]
KINDS = tuple(ItemKind)

# Reasons for a whole server: the registry's (the contract's) plus the enforcer's own.
REASON_TEXT: dict[str, str] = {
    "approved": "approved in the registry",
    "unregistered": "this server is not registered in the MCP registry",
    "pending_review": "this server is waiting for review in the MCP registry",
    "rejected": "this server was rejected by its reviewers",
    "revoked": "the approval of this server was revoked",
    "schema_drift": "what the server shows agents (its tools, prompts, resources or instructions) "
    "changed since it was approved",
    "instructions_changed": "the server's instructions changed since it was approved",
    "principal_not_permitted": "you are not among the people allowed to use this server",
    "registry_unreachable": "the MCP registry cannot be reached, so nothing can be verified",
    "registry_refused": "the MCP registry refused the enforcer's request (check its token)",
    "snapshot_expired": "the offline approvals snapshot has expired",
}
# Reasons for one item; ``{item}`` is "tool", "prompt", "resource" or "resource template".
ITEM_TEXT: dict[str, str] = {
    "changed": "this {item}'s definition changed since it was approved",
    "added": "this {item} was added after the server was approved",
    "removed": "this {item} was removed from the server",
    "not_approved": "this {item} is not part of the approved server",
    "not_allowed": "this {item} is not among the server's allowed tools",
    "unlisted": "the server does not list this {item}, so it is never passed on",
}


class Decision(msgspec.Struct, frozen=True, kw_only=True):
    """What the enforcer concluded for one (server, surface, principal)."""

    server: str
    manifest_sha256: str
    surface_sha256: str | None = None
    decision: Literal["allow", "deny"]
    reason: str
    allowed_tools: frozenset[str]
    blocked_tools: dict[str, str]  # name -> reason
    blocked_prompts: dict[str, str] = msgspec.field(default_factory=dict)  # name -> reason
    blocked_resources: dict[str, str] = msgspec.field(default_factory=dict)  # uri -> reason
    blocked_resource_templates: dict[str, str] = msgspec.field(default_factory=dict)  # uriTemplate -> reason
    source: Source
    message: str = ""  # extra context for a person (outage details, snapshot age)

    @property
    def allowed(self) -> bool:
        """Whether the server may be used at all."""
        return self.decision == "allow"

    def blocked(self, kind: ItemKind) -> dict[str, str]:
        """The blocked items of one kind and why."""
        items: dict[str, str] = getattr(self, f"blocked_{kind.value}")
        return items

    def item_allowed(self, kind: ItemKind, key: str) -> bool:
        """May the client see or use this item (a tool by name, a prompt by name, a
        resource by URI, a template by URI template)?"""
        if kind is ItemKind.TOOL:
            return key in self.allowed_tools
        return self.allowed and key not in self.blocked(kind)

    def item_reason(self, kind: ItemKind, key: str) -> str:
        """Why an item is blocked (a reason code); the server-level reason if not listed."""
        blocked = self.blocked(kind)
        if key in blocked:
            return blocked[key]
        return self.reason if self.decision == "deny" else "not_approved"

    def tool_allowed(self, name: str) -> bool:
        """May the client see or call this tool?"""
        return name in self.allowed_tools

    def tool_reason(self, name: str) -> str:
        """Why ``name`` is blocked (a reason code); the server-level reason if not listed."""
        return self.item_reason(ItemKind.TOOL, name)


def conclude(
    server: str,
    seen: Observation,
    verdict: Verdict,
    *,
    source: Source,
    pin: Pin | None = None,
    hints: Mapping[ItemKind, Mapping[str, str]] | None = None,
    message: str = "",
) -> Decision:
    """The session's decision from the contract's verdict. A denial blocks every item seen,
    each with the most specific reason known: the verdict's, then ``hints`` (what a
    registry named), then what differs from ``pin``, then the server's reason."""
    why: dict[ItemKind, dict[str, str]] = {k: dict(v) for k, v in (hints or {}).items()}
    if pin is not None and verdict.reason == "schema_drift" and not verdict.allowed:
        for kind, changes in item_changes(pin, seen).items():
            why[kind] = {**changes, **why.get(kind, {})}
        if instructions_changed(pin, seen):
            message = f"{REASON_TEXT['instructions_changed']}; {message}" if message else REASON_TEXT[
                "instructions_changed"]
    blocked: dict[ItemKind, dict[str, str]] = {}
    for kind in KINDS:
        named: dict[str, str] = dict(verdict.blocked.get(kind, {}))
        if not verdict.allowed:
            known = why.get(kind, {})
            named = {key: named.get(key) or known.get(key) or verdict.reason for key in seen.of(kind) or {}}
        blocked[kind] = named
    return _decision(server, seen, verdict.decision, verdict.reason, frozenset(verdict.allowed_tools),
                     blocked, source, message)


def everything(server: str, seen: Observation, *, allow: bool, reason: str, source: Source, message: str) -> Decision:
    """Every item allowed or every item blocked for one reason: the enforcer's answers for
    an outage, a refusal or an expired snapshot, where there is no verdict."""
    tools = frozenset(seen.tools or {}) if allow else frozenset()
    blocked = {k: ({} if allow else dict.fromkeys(seen.of(k) or {}, reason)) for k in KINDS}
    return _decision(server, seen, "allow" if allow else "deny", reason, tools, blocked, source, message)


def _decision(  # noqa: PLR0917 - one row of the record, field by field
    server: str,
    seen: Observation,
    decision: Literal["allow", "deny"],
    reason: str,
    tools: frozenset[str],
    blocked: dict[ItemKind, dict[str, str]],
    source: Source,
    message: str,
) -> Decision:
    return Decision(
        server=server,
        manifest_sha256=seen.manifest_sha256 or "",
        surface_sha256=seen.surface_sha256,
        decision=decision,
        reason=reason,
        allowed_tools=tools,
        blocked_tools=blocked[ItemKind.TOOL],
        blocked_prompts=blocked[ItemKind.PROMPT],
        blocked_resources=blocked[ItemKind.RESOURCE],
        blocked_resource_templates=blocked[ItemKind.RESOURCE_TEMPLATE],
        source=source,
        message=message,
    )


def explain(reason: str, kind: ItemKind = ItemKind.TOOL) -> str:
    """A person's sentence for a reason code, about an item of ``kind`` where it is one."""
    if reason in ITEM_TEXT:
        return ITEM_TEXT[reason].format(item=kind.singular)
    return REASON_TEXT.get(reason, reason.replace("_", " "))
