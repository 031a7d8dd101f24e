"""Transport-independent enforcement for one upstream session: what the upstream currently
shows agents (its surface), what the registry says about it, and what the client may
see, call, get or read.

The transports (stdio, streamable HTTP) own the I/O: they hand the gate the handshake
answers they relay and an ``Ask`` that sends one request of the proxy's own upstream;
``gateway_enforcer.lists`` turns that into the whole surface.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from gateway_enforcer.enforcer import Enforcer
from gateway_enforcer.errors import UpstreamError
from gateway_enforcer.jsonrpc import BLOCKED_CODE, JsonId, error
from gateway_enforcer.lists import Ask, Handshake, fetch_surface, handshake_of
from gateway_enforcer.models import Decision, explain
from gateway_enforcer.uritemplate import Token, compile_template, matches
from scanner.contract.decide import Observation, observe_surface
from scanner.contract.hashing import CanonicalizationError
from scanner.contract.surface import ItemKind, Surface, item_key, item_sha256

log = logging.getLogger("gateway_enforcer")

DEFAULT_CONTACT = "your platform team (the MCP registry's reviewers)"
# requests the gate answers itself unless the item is listed and allowed
GUARDED: dict[str, ItemKind] = {"tools/call": ItemKind.TOOL, "prompts/get": ItemKind.PROMPT,
                                "resources/read": ItemKind.RESOURCE}
LIST_CHANGED = frozenset({"notifications/tools/list_changed", "notifications/prompts/list_changed",
                          "notifications/resources/list_changed"})


class SurfaceGate:
    """One session's view of the upstream's surface and the decision on it."""

    def __init__(
        self,
        enforcer: Enforcer,
        *,
        server: str,
        principal: str | None = None,
        contact: str = DEFAULT_CONTACT,
    ) -> None:
        self.enforcer = enforcer
        self.server = server
        self.principal = principal
        self.contact = contact
        self.handshake = Handshake()
        self._surface: Surface | None = None  # None: stale, fetch it again before deciding
        self._seen: Observation | None = None
        self._templates: list[tuple[str, tuple[Token, ...]]] = []
        # one refresh at a time: concurrent requests (HTTP) wait for it, not repeat it
        self._refreshing = asyncio.Lock()

    def adopt_handshake(self, result: Any) -> None:
        """Take the server's ``initialize`` (or ``server/discover``) result as relayed; new
        instructions or capabilities make the surface stale."""
        handshake = handshake_of(result)
        if handshake is None:
            return
        old = self.handshake
        if old.seen and (old.instructions, old.capabilities) != (handshake.instructions, handshake.capabilities):
            self.mark_stale()
        self.handshake = handshake

    def set_surface(self, surface: Surface) -> None:
        """Adopt a complete surface, exactly as the upstream sent it, hashed once."""
        try:
            seen = observe_surface(surface)
        except CanonicalizationError as exc:
            raise UpstreamError(f"the upstream server listed an item with no canonical JSON form: {exc}") from exc
        self._surface, self._seen = surface, seen
        keys = (str(t.get("uriTemplate", "")) for t in surface.resource_templates)
        self._templates = [(key, tokens) for key in keys if (tokens := compile_template(key)) is not None]

    def mark_stale(self) -> None:
        """The upstream said a list changed: fetch everything again before the next decision."""
        self._surface = None

    def fast_decision(self) -> Decision | None:
        """A fresh cached decision for the current surface, without any I/O."""
        if self._surface is None or self._seen is None:
            return None
        return self.enforcer.cached(self.server, self._seen.surface_sha256 or "", self.principal)

    async def decide(self, ask: Ask, meta: dict[str, Any]) -> Decision:
        """Fresh decision: when the cached one expired, the surface is fetched again too,
        so a drift without ``list_changed`` still shows within the cache TTL."""
        hit = self.fast_decision()
        if hit is not None:
            return hit
        async with self._refreshing:
            hit = self.fast_decision()
            if hit is not None:  # another request refreshed while we waited
                return hit
            surface, handshake = await fetch_surface(ask, self.handshake, meta)
            if not self.handshake.seen:
                self.handshake = handshake  # asked for by the proxy itself
            self.set_surface(surface)
            return await self.enforcer.check(self.server, surface, principal=self.principal,
                                             version=handshake.version, observed=self._seen)

    async def warm(self, ask: Ask, meta: dict[str, Any]) -> None:
        """Verify ahead of the first request (right after the handshake, or after the
        upstream said a list changed), so it finds a warm cache. An upstream failure here
        is not reported: the client's next request meets and reports it."""
        with contextlib.suppress(UpstreamError):
            await self.decide(ask, meta)

    async def filter_list(
        self, kind: ItemKind, items: list[Any], *, complete: bool, ask: Ask, meta: dict[str, Any]
    ) -> list[Any]:
        """The items of a list answer the client may see. A complete list that is not the
        one decided on makes the gate fetch and decide again before the client sees any."""
        hashes = [_sha(i) for i in items]
        if complete and self._seen is not None:
            listed = {item_key(kind, i): h for i, h in zip(items, hashes, strict=True) if h is not None}
            if listed != self._seen.of(kind):
                self.mark_stale()
        decision = await self.decide(ask, meta)
        return self.filter_items(kind, decision, items, hashes)

    def filter_items(
        self, kind: ItemKind, decision: Decision, items: list[Any], hashes: list[str | None] | None = None
    ) -> list[Any]:
        """The listed items the client may see: allowed, and byte-identical to the ones
        decided on (``hashes``: each item's, when the caller has them)."""
        known = (self._seen.of(kind) if self._seen is not None else None) or {}
        if hashes is None:
            hashes = [_sha(i) for i in items]
        kept = [i for i, h in zip(items, hashes, strict=True) if h is not None
                and decision.item_allowed(kind, key := item_key(kind, i)) and known.get(key) == h]
        hidden = len(items) - len(kept)
        if hidden:
            log.info("%s: hid %d blocked %s(s) from its list (%s)", self.server, hidden, kind.singular,
                     decision.reason)
        return kept

    def refusal(
        self, method: str, msg_id: JsonId | None, params: Any, decision: Decision, *, modern: bool = False
    ) -> dict[str, Any] | None:
        """None: forward the request as it came; otherwise what the client gets instead
        (``modern``: the stateless protocol revision, whose results carry ``resultType``)."""
        params = params if isinstance(params, dict) else {}
        kind = GUARDED[method]
        if kind is ItemKind.TOOL:
            name = str(params.get("name"))
            if decision.tool_allowed(name):
                return None
            if self._seen is not None and name not in (self._seen.tools or {}):
                return self.unlisted_result(msg_id, name, modern=modern)
            return self.blocked_error(msg_id, kind, name, decision)
        key = str(params.get("name" if kind is ItemKind.PROMPT else "uri"))
        item = self._item(kind, key, decision)
        if not decision.allowed:
            return self.blocked_error(msg_id, item[0] if item else kind, item[1] if item else key, decision, key)
        if item is None:
            return self.unlisted_error(msg_id, kind, key)
        if decision.item_allowed(*item):
            return None
        return self.blocked_error(msg_id, item[0], item[1], decision, key)

    def _item(self, kind: ItemKind, key: str, decision: Decision) -> tuple[ItemKind, str] | None:
        """The listed item a prompts/get or resources/read is for: a prompt by name, a
        resource by URI, else an allowed template the URI falls under (else any that matches)."""
        listed = (self._seen.of(kind) if self._seen is not None else None) or {}
        if key in listed:
            return kind, key
        if kind is not ItemKind.RESOURCE:
            return None
        under = [t for t, tokens in self._templates if matches(tokens, key)]
        allowed = [t for t in under if decision.item_allowed(ItemKind.RESOURCE_TEMPLATE, t)]
        return (ItemKind.RESOURCE_TEMPLATE, (allowed or under)[0]) if under else None

    def unlisted_result(self, msg_id: JsonId | None, name: str, *, modern: bool = False) -> dict[str, Any]:
        """A tool the upstream does not list is never forwarded (a server could hide a tool
        from tools/list and still serve it); the answer has the shape servers use for an
        unknown tool, a tool result with ``isError``, so clients behave as without us."""
        log.warning("%s: refused tools/call %r: not in the server's tool list", self.server, name)
        text = f"Tool {name} not found: server '{self.server}' does not list it (mcp-trust)."
        result: dict[str, Any] = {"content": [{"type": "text", "text": text}], "isError": True}
        if modern:
            result["resultType"] = "complete"
        return {"jsonrpc": "2.0", "id": msg_id, "result": result}

    def unlisted_error(self, msg_id: JsonId | None, kind: ItemKind, key: str) -> dict[str, Any]:
        """A prompt or resource the upstream does not list is never asked for."""
        method = "prompts/get" if kind is ItemKind.PROMPT else "resources/read"
        log.warning("%s: refused %s %r: not in the server's lists", self.server, method, key)
        text = f"mcp-trust refused {kind.singular} '{key}' of MCP server '{self.server}': {explain('unlisted', kind)}."
        data = {"server": self.server, _field(kind): key, "reason": "unlisted"}
        return error(msg_id, BLOCKED_CODE, text, data)

    def blocked_error(
        self, msg_id: JsonId | None, kind: ItemKind, key: str, decision: Decision, asked: str | None = None
    ) -> dict[str, Any]:
        """A JSON-RPC error saying what was blocked, why, and whom to ask."""
        reason = decision.item_reason(kind, key)
        registry = self.enforcer.registry_url or "the offline approvals snapshot"
        text = f"mcp-trust blocked {kind.singular} '{key}' of MCP server '{self.server}': {explain(reason, kind)}."
        if decision.reason not in (reason, "approved"):
            text += f" Server status: {explain(decision.reason)}."
        if decision.message:
            text += f" ({decision.message})"
        text += f" Ask {self.contact} to review it in the MCP registry ({registry})."
        log.warning("%s: blocked %s %r: %s", self.server, kind.singular, asked or key, reason)
        data = {
            "server": self.server, _field(kind): key, "reason": reason, "server_reason": decision.reason,
            "registry": registry, "contact": self.contact, "manifest_sha256": decision.manifest_sha256,
            "surface_sha256": decision.surface_sha256,
        }
        if asked is not None and asked != key:
            data["uri"] = asked
        return error(msg_id, BLOCKED_CODE, text, data)


def _sha(item: Any) -> str | None:
    """An item's hash; None for one that is not an object or has no canonical form (never shown)."""
    if not isinstance(item, dict):
        return None
    try:
        return item_sha256(item)
    except CanonicalizationError:
        return None


def _field(kind: ItemKind) -> str:
    return kind.singular.replace(" ", "_")
