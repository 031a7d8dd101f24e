"""Transport-independent enforcement for one upstream session: which tools the upstream
currently has, what the registry says about them, and what the client may see or call.

The transports (stdio, streamable HTTP) own the I/O and hand the gate a ``fetch_tools``
coroutine that asks the upstream for its complete ``tools/list`` (every page).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from gateway_enforcer.enforcer import Enforcer
from gateway_enforcer.errors import UpstreamError
from gateway_enforcer.jsonrpc import BLOCKED_CODE, JsonId, error
from gateway_enforcer.models import Decision, explain
from scanner.hashing import manifest_sha256, tool_sha256

log = logging.getLogger("gateway_enforcer")

FetchTools = Callable[[], Awaitable[list[dict[str, Any]]]]
DEFAULT_CONTACT = "your platform team (the MCP registry's reviewers)"


class ToolGate:
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
        self.version: str | None = None
        self._tools: list[dict[str, Any]] | None = None
        self._hashes: dict[str, str] = {}
        self._manifest = ""
        self._decision: Decision | None = None
        # one refresh at a time: concurrent requests (HTTP) wait for it, not repeat it
        self._refreshing = asyncio.Lock()

    def set_tools(self, tools: list[dict[str, Any]]) -> None:
        """Adopt a complete tool list, exactly as the upstream sent it."""
        self._tools = tools
        self._hashes = {str(t.get("name", "")): tool_sha256(t) for t in tools}
        self._manifest = manifest_sha256(tools)

    def mark_stale(self) -> None:
        """The upstream said its tools changed: fetch them again before the next decision."""
        self._tools = None

    def fast_decision(self) -> Decision | None:
        """A fresh cached decision for the current tools, without any I/O."""
        if self._tools is None:
            return None
        return self.enforcer.cached(self.server, self._manifest, self.principal)

    async def decide(self, fetch_tools: FetchTools) -> Decision:
        """Fresh decision: when the cached one expired, the tools are fetched again too,
        so a drift without ``list_changed`` still shows within the cache TTL."""
        hit = self.fast_decision()
        if hit is not None:
            return hit
        async with self._refreshing:
            hit = self.fast_decision()
            if hit is not None:  # another request refreshed while we waited
                return hit
            tools = await fetch_tools()
            self.set_tools(tools)
            self._decision = await self.enforcer.check(
                self.server, tools, principal=self.principal, version=self.version
            )
            return self._decision

    async def warm(self, fetch_tools: FetchTools) -> None:
        """Verify ahead of the first call (right after the handshake, or after the
        upstream said its tools changed), so that call finds a warm cache. An upstream
        failure here is not reported: the client's next call meets and reports it."""
        with contextlib.suppress(UpstreamError):
            await self.decide(fetch_tools)

    def allows(self, decision: Decision, name: str, tool: dict[str, Any] | None = None) -> bool:
        """May the client see/call ``name``? A listed tool must also be byte-identical
        to the one the decision was made on."""
        if not decision.tool_allowed(name):
            return False
        return tool is None or self._hashes.get(name) == tool_sha256(tool)

    def filter_tools(self, decision: Decision, tools: list[Any]) -> list[Any]:
        kept = [t for t in tools if isinstance(t, dict) and self.allows(decision, str(t.get("name")), t)]
        hidden = len(tools) - len(kept)
        if hidden:
            log.info("%s: hid %d blocked tool(s) from tools/list (%s)", self.server, hidden, decision.reason)
        return kept

    def refusal(
        self, msg_id: JsonId | None, name: str, decision: Decision, *, modern: bool = False
    ) -> dict[str, Any]:
        """What the client gets instead of a forwarded call (``modern``: the stateless
        protocol revision, whose results carry ``resultType``)."""
        if name not in self._hashes and self._tools is not None:
            return self.unlisted_result(msg_id, name, modern=modern)
        return self.blocked_error(msg_id, name, decision)

    def unlisted_result(
        self, msg_id: JsonId | None, name: str, *, modern: bool = False
    ) -> dict[str, Any]:
        """A tool the upstream does not list is never forwarded (a server could hide a tool
        from tools/list and still serve it); the answer has the shape servers use for an
        unknown tool, a tool result with ``isError``, so clients behave as without us."""
        log.warning("%s: refused tools/call %r: not in the server's tool list", self.server, name)
        text = f"Tool {name} not found: server '{self.server}' does not list it (mcp-trust)."
        result: dict[str, Any] = {"content": [{"type": "text", "text": text}], "isError": True}
        if modern:
            result["resultType"] = "complete"
        return {"jsonrpc": "2.0", "id": msg_id, "result": result}

    def blocked_error(self, msg_id: JsonId | None, name: str, decision: Decision) -> dict[str, Any]:
        reason = decision.tool_reason(name)
        registry = self.enforcer.registry_url or "the offline approvals snapshot"
        text = (
            f"mcp-trust blocked tool '{name}' of MCP server '{self.server}': {explain(reason)}."
        )
        if decision.reason not in (reason, "approved"):
            text += f" Server status: {explain(decision.reason)}."
        if decision.message:
            text += f" ({decision.message})"
        text += f" Ask {self.contact} to review it in the MCP registry ({registry})."
        log.warning("%s: blocked tools/call %r: %s", self.server, name, reason)
        data = {
            "server": self.server, "tool": name, "reason": reason,
            "server_reason": decision.reason, "registry": registry, "contact": self.contact,
            "manifest_sha256": decision.manifest_sha256,
        }
        return error(msg_id, BLOCKED_CODE, text, data)
