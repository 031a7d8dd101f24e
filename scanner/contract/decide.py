"""The one decision rule: an approval's pin and what a gateway saw -> allow or deny, item by item.

The registry's verify index, the enforcer's offline snapshot and the enforcer's reading
of a registry answer all call ``decide()``; none of them writes the rule again.

- No pin: ``unregistered``. A state that is not live: its reason (``pending_review``,
  ``rejected``, ``revoked``). A principal outside the approval's list:
  ``principal_not_permitted``.
- The same manifest (and the same surface, where both the pin and the observation carry
  one): ``approved``, with the approval's allow-list applied to the tools.
- Anything else is ``schema_drift``. Confirmed drift (state ``drifted``), changed server
  instructions, or a caller that does not decide item by item: the whole server is
  denied, the old manifest included. Item by item (the approval allows it and the
  caller asks for it): unchanged items stay usable, changed and added ones are blocked.
- Approvals pinned before the surface existed (no ``surface_sha256``) are judged on the
  tools alone, as they were when approved.
"""

from __future__ import annotations

import hashlib
from typing import Literal

import msgspec

from scanner.contract.hashing import canonical_json, manifest_sha256
from scanner.contract.states import LIVE_STATES, STATE_REASON, BlockReason, Reason, ServerState
from scanner.contract.surface import ItemKind, Surface, item_hashes, surface_sha256
from scanner.contract.wire import BlockedItem, PinnedItems, VerifyAnswer, VerifyRequest

KINDS = tuple(ItemKind)


class Pin(msgspec.Struct, frozen=True, kw_only=True):
    """What an approval pins, and the server's state."""

    state: ServerState
    manifest_sha256: str | None = None
    surface_sha256: str | None = None  # None: approved before the surface was pinned
    instructions_sha256: str | None = None
    tools: dict[str, str] = msgspec.field(default_factory=dict)
    prompts: dict[str, str] = msgspec.field(default_factory=dict)
    resources: dict[str, str] = msgspec.field(default_factory=dict)
    resource_templates: dict[str, str] = msgspec.field(default_factory=dict)
    allowed_tools: frozenset[str] | None = None
    principals: frozenset[str] | None = None
    item_level: bool = False

    def of(self, kind: ItemKind) -> dict[str, str]:
        """The pinned item hashes of one kind."""
        hashes: dict[str, str] = getattr(self, kind.value)
        return hashes

    def items_for_gateway(self) -> PinnedItems:
        """The item hashes a drift answer carries to the gateway."""
        surface = self.surface_sha256 is not None
        return PinnedItems(
            tools=dict(self.tools),
            prompts=dict(self.prompts) if surface else None,
            resources=dict(self.resources) if surface else None,
            resource_templates=dict(self.resource_templates) if surface else None,
            instructions_sha256=self.instructions_sha256,
            allowed_tools=sorted(self.allowed_tools) if self.allowed_tools is not None else None,
            item_level=self.item_level,
        )


class Observation(msgspec.Struct, frozen=True, kw_only=True):
    """What a gateway saw, hashed once. A kind's hashes are ``None`` when its list was not sent."""

    manifest_sha256: str | None
    surface_sha256: str | None = None
    instructions_sha256: str | None = None
    tools: dict[str, str] | None = None
    prompts: dict[str, str] | None = None
    resources: dict[str, str] | None = None
    resource_templates: dict[str, str] | None = None
    principal: str | None = None

    def of(self, kind: ItemKind) -> dict[str, str] | None:
        """The observed item hashes of one kind, if that list was reported."""
        hashes: dict[str, str] | None = getattr(self, kind.value)
        return hashes


class Verdict(msgspec.Struct, frozen=True, kw_only=True):
    """The decision: allow or deny, why, the usable tools and every blocked item."""

    decision: Literal["allow", "deny"]
    reason: Reason
    allowed_tools: tuple[str, ...] = ()
    blocked: dict[ItemKind, dict[str, BlockReason]] = msgspec.field(default_factory=dict)

    @property
    def allowed(self) -> bool:
        """Whether the server may be used at all."""
        return self.decision == "allow"


def instructions_sha256(instructions: str | None) -> str:
    """SHA-256 of the canonical JSON of the server's instructions (``null`` when absent)."""
    return hashlib.sha256(canonical_json(instructions)).hexdigest()


def observe_surface(surface: Surface, principal: str | None = None) -> Observation:
    """The observation of a whole surface a gateway listed itself."""
    return Observation(
        manifest_sha256=manifest_sha256(surface.tools),
        surface_sha256=surface_sha256(surface),
        instructions_sha256=instructions_sha256(surface.instructions),
        tools=item_hashes(ItemKind.TOOL, surface.tools),
        prompts=item_hashes(ItemKind.PROMPT, surface.prompts),
        resources=item_hashes(ItemKind.RESOURCE, surface.resources),
        resource_templates=item_hashes(ItemKind.RESOURCE_TEMPLATE, surface.resource_templates),
        principal=principal,
    )


def observe(req: VerifyRequest) -> Observation:
    """Hash a verify request once: lists sent are hashed item by item; a surface hash not
    sent is computed when the lists beyond the tools were sent."""
    hashes = {k: (item_hashes(k, items) if (items := req.items(k)) is not None else None) for k in KINDS}
    manifest = manifest_sha256(req.tools) if req.tools is not None else req.manifest_sha256
    reported = isinstance(req.instructions, str) or req.instructions is None
    instructions = req.instructions if isinstance(req.instructions, str) else None
    surface = req.surface_sha256
    others = any(req.items(k) is not None for k in KINDS if k is not ItemKind.TOOL)
    if req.tools is not None and (others or reported):
        # the lists beyond the tools were reported: one the server does not offer is empty
        hashes = {k: h if h is not None else {} for k, h in hashes.items()}
    if surface is None and req.tools is not None and (others or reported):
        surface = surface_sha256(
            Surface(
                instructions=instructions,
                tools=req.tools,
                prompts=req.prompts or [],
                resources=req.resources or [],
                resource_templates=req.resource_templates or [],
            )
        )
    return Observation(
        manifest_sha256=manifest,
        surface_sha256=surface,
        instructions_sha256=instructions_sha256(instructions) if reported else None,
        principal=req.principal,
        **{k.value: v for k, v in hashes.items()},
    )


def decide(pin: Pin | None, seen: Observation, *, item_level: bool = True) -> Verdict:
    """The decision for one observation. ``item_level=False`` is a caller (an enforcer in
    strict mode) that never decides item by item, whatever the approval allows."""
    if pin is None:
        return Verdict(decision="deny", reason="unregistered")
    if pin.state not in LIVE_STATES or pin.manifest_sha256 is None:
        return Verdict(decision="deny", reason=STATE_REASON.get(pin.state, "pending_review"))
    if pin.principals is not None and seen.principal not in pin.principals:
        return Verdict(decision="deny", reason="principal_not_permitted")
    by_item = item_level and pin.item_level
    if _matches(pin, seen) and (pin.state is ServerState.APPROVED or pin.item_level):
        return _approved(pin, seen)
    if not by_item:  # confirmed drift, or a caller or approval that never decides item by item
        return Verdict(decision="deny", reason="schema_drift")
    if instructions_changed(pin, seen) or seen.tools is None:
        return Verdict(decision="deny", reason="schema_drift")
    return _item_by_item(pin, seen)


def _matches(pin: Pin, seen: Observation) -> bool:
    if seen.manifest_sha256 != pin.manifest_sha256:
        return False
    if pin.surface_sha256 is None or seen.surface_sha256 is None:
        return True  # judged on the tools alone (an old pin, or a gateway that pins tools only)
    return seen.surface_sha256 == pin.surface_sha256


def _permitted(pin: Pin, name: str) -> bool:
    return pin.allowed_tools is None or name in pin.allowed_tools


def _approved(pin: Pin, seen: Observation) -> Verdict:
    names = seen.tools if seen.tools is not None else pin.tools
    allowed = tuple(sorted(n for n in names if _permitted(pin, n)))
    not_allowed: dict[str, BlockReason] = {n: "not_allowed" for n in names if not _permitted(pin, n)}
    blocked = {ItemKind.TOOL: not_allowed} if not_allowed else {}
    return Verdict(decision="allow", reason="approved", allowed_tools=allowed, blocked=blocked)


def instructions_changed(pin: Pin, seen: Observation) -> bool:
    """Whether the server's instructions differ from pinned ones (never for a tools-only pin)."""
    if pin.surface_sha256 is None or pin.instructions_sha256 is None or seen.instructions_sha256 is None:
        return False
    return pin.instructions_sha256 != seen.instructions_sha256


def item_changes(pin: Pin, seen: Observation) -> dict[ItemKind, dict[str, BlockReason]]:
    """What differs from the pin, item by item: added and changed items, and tools outside
    the allow-list. Kinds not reported, or not pinned (an approval older than the surface),
    are left out. It also explains a whole-server denial to a person."""
    blocked: dict[ItemKind, dict[str, BlockReason]] = {}
    for kind in KINDS:
        observed = seen.of(kind)
        if observed is None or (kind is not ItemKind.TOOL and pin.surface_sha256 is None):
            continue
        pinned = pin.of(kind)
        reasons: dict[str, BlockReason] = {}
        for name, sha in observed.items():
            if name not in pinned:
                reasons[name] = "added"
            elif pinned[name] != sha:
                reasons[name] = "changed"
            elif kind is ItemKind.TOOL and not _permitted(pin, name):
                reasons[name] = "not_allowed"
        if reasons:
            blocked[kind] = reasons
    return blocked


def _item_by_item(pin: Pin, seen: Observation) -> Verdict:
    blocked = item_changes(pin, seen)
    tools_blocked = blocked.get(ItemKind.TOOL, {})
    allowed = tuple(sorted(n for n in seen.tools or {} if n not in tools_blocked))
    return Verdict(
        decision="allow" if allowed else "deny", reason="schema_drift", allowed_tools=allowed, blocked=blocked
    )


def pin_from_answer(answer: VerifyAnswer, seen: Observation) -> Pin | None:
    """The pin a registry answer implies, so a gateway reads it with the same ``decide()``."""
    if answer.reason == "unregistered":
        return None
    if answer.reason == "approved":
        return Pin(
            state=ServerState.APPROVED,
            manifest_sha256=seen.manifest_sha256,
            surface_sha256=seen.surface_sha256,
            tools=dict(seen.tools or {}),
            allowed_tools=frozenset(answer.allowed_tools),
        )
    if answer.reason == "schema_drift":
        return _drift_pin(answer, seen)
    if answer.reason == "principal_not_permitted":
        return Pin(state=ServerState.APPROVED, manifest_sha256="", principals=frozenset())
    state = {"pending_review": ServerState.PENDING, "rejected": ServerState.REJECTED}
    return Pin(state=state.get(answer.reason, ServerState.REVOKED))


def _drift_pin(answer: VerifyAnswer, seen: Observation) -> Pin:
    pinned = answer.pinned
    if pinned is None:
        return _unpinned_drift_pin(answer, seen)
    # not item-level: a whole-server denial (state drifted); the hashes only explain it
    return Pin(
        state=ServerState.APPROVED if pinned.item_level else ServerState.DRIFTED,
        manifest_sha256=answer.approved_manifest_sha256 or "",
        surface_sha256=answer.approved_surface_sha256,
        instructions_sha256=pinned.instructions_sha256,
        tools=dict(pinned.tools),
        prompts=dict(pinned.prompts or {}),
        resources=dict(pinned.resources or {}),
        resource_templates=dict(pinned.resource_templates or {}),
        allowed_tools=frozenset(pinned.allowed_tools) if pinned.allowed_tools is not None else None,
        item_level=pinned.item_level,
    )


def _unpinned_drift_pin(answer: VerifyAnswer, seen: Observation) -> Pin:
    """A drift answer without ``pinned`` (a registry that predates it): where it decided
    tool by tool it named every tool, so the pin is rebuilt from those names and the
    tools seen; otherwise it denied the whole server."""
    listed = {b.name: b.reason for b in answer.blocked_tools}
    if seen.tools is None or not (answer.allowed_tools or listed):
        return Pin(state=ServerState.DRIFTED, manifest_sha256=answer.approved_manifest_sha256 or "")
    tools = {n: sha for n, sha in seen.tools.items() if listed.get(n) not in {"added", "changed"}}
    # a changed tool's approved hash is not in the answer; any value but the one seen says so
    tools.update({n: "" for n, reason in listed.items() if reason == "changed"})
    return Pin(
        state=ServerState.APPROVED,
        manifest_sha256=answer.approved_manifest_sha256,
        tools=tools,
        allowed_tools=frozenset(answer.allowed_tools),
        item_level=True,
    )


def answer(verdict: Verdict, pin: Pin | None, ttl_s: float) -> VerifyAnswer:
    """The wire answer for a verdict (the registry's side)."""
    live = pin is not None and pin.state in LIVE_STATES

    def blocked(kind: ItemKind) -> list[BlockedItem]:
        return [BlockedItem(n, r) for n, r in sorted(verdict.blocked.get(kind, {}).items())]

    drift = verdict.reason == "schema_drift" and pin is not None
    return VerifyAnswer(
        decision=verdict.decision,
        reason=verdict.reason,
        approved_manifest_sha256=pin.manifest_sha256 if live and pin is not None else None,
        approved_surface_sha256=pin.surface_sha256 if live and pin is not None else None,
        allowed_tools=list(verdict.allowed_tools),
        blocked_tools=blocked(ItemKind.TOOL),
        blocked_prompts=blocked(ItemKind.PROMPT),
        blocked_resources=blocked(ItemKind.RESOURCE),
        blocked_resource_templates=blocked(ItemKind.RESOURCE_TEMPLATE),
        cache_ttl_s=float(ttl_s),
        pinned=pin.items_for_gateway() if drift and pin is not None else None,
    )
