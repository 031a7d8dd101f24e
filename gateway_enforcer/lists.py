"""Fetching everything an agent reads from the upstream, once for both transports: every
list the server offers, page by page, and the instructions it gave in its handshake.

A transport only knows how to send one request of the proxy's own to the upstream and
hand back the answer (``Ask``); which lists to ask for, paging, bounds and what an
error means are decided here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec

from gateway_enforcer.errors import UpstreamError
from scanner.contract.surface import ItemKind, Surface

Ask = Callable[[str, dict[str, Any]], Awaitable[Any]]

# kind -> (list method, result field)
LISTS: dict[ItemKind, tuple[str, str]] = {
    ItemKind.TOOL: ("tools/list", "tools"),
    ItemKind.PROMPT: ("prompts/list", "prompts"),
    ItemKind.RESOURCE: ("resources/list", "resources"),
    ItemKind.RESOURCE_TEMPLATE: ("resources/templates/list", "resourceTemplates"),
}
LIST_METHODS: dict[str, ItemKind] = {method: kind for kind, (method, _) in LISTS.items()}
# the server capability that announces each list (tools/list is asked regardless)
CAPABILITY = {ItemKind.PROMPT: "prompts", ItemKind.RESOURCE: "resources", ItemKind.RESOURCE_TEMPLATE: "resources"}
HANDSHAKES = frozenset({"initialize", "server/discover"})
METHOD_NOT_FOUND = -32601
MAX_PAGES = 100
MAX_ITEMS = 5000  # per list: what the verify API accepts
MAX_VERSION = 100
SERVER_INFO_META = "io.modelcontextprotocol/serverInfo"  # where server/discover puts it


class Handshake(msgspec.Struct, frozen=True, kw_only=True):
    """What the server said about itself in ``initialize`` (or, in the stateless protocol
    revision, ``server/discover``). ``seen`` is False until one such answer was read."""

    seen: bool = False
    version: str | None = None
    instructions: str | None = None
    capabilities: dict[str, Any] | None = None


def handshake_of(result: Any) -> Handshake | None:
    """The handshake in an ``initialize`` or ``server/discover`` result (None: not one)."""
    if not isinstance(result, dict):
        return None
    meta = result.get("_meta")
    info = result.get("serverInfo") or (meta.get(SERVER_INFO_META) if isinstance(meta, dict) else None)
    version = info.get("version") if isinstance(info, dict) else None
    if not (isinstance(version, str) and len(version) <= MAX_VERSION and version.isprintable()):
        version = None  # sent to the registry, which takes one printable line
    instructions = result.get("instructions")
    capabilities = result.get("capabilities")
    return Handshake(
        seen=True,
        version=version,
        instructions=instructions if isinstance(instructions, str) else None,
        capabilities=capabilities if isinstance(capabilities, dict) else None,
    )


async def fetch_list(ask: Ask, kind: ItemKind, meta: dict[str, Any]) -> list[dict[str, Any]]:
    """One complete list, every page; ``[]`` when the server does not offer it."""
    method, field = LISTS[kind]
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    for _ in range(MAX_PAGES):
        params: dict[str, Any] = {"_meta": dict(meta)} if meta else {}
        if cursor is not None:
            params["cursor"] = cursor
        reply = await ask(method, params)
        error = reply.get("error") if isinstance(reply, dict) else None
        if cursor is None and isinstance(error, dict) and error.get("code") == METHOD_NOT_FOUND:
            return []  # not offered
        result = reply.get("result") if isinstance(reply, dict) else None
        if not isinstance(result, dict) or not isinstance(result.get(field), list):
            raise UpstreamError(f"the upstream server's {method} failed: {reply!r:.200}")
        items.extend(i for i in result[field] if isinstance(i, dict))
        if len(items) > MAX_ITEMS:
            raise UpstreamError(f"the upstream server's {method} lists more than {MAX_ITEMS} items")
        after = result.get("nextCursor")
        if not after:
            return items
        if not isinstance(after, str):
            raise UpstreamError(f"the upstream server's {method} sent a cursor that is not a string")
        cursor = after
    raise UpstreamError(f"the upstream server's {method} has more than {MAX_PAGES} pages")


async def fetch_surface(ask: Ask, handshake: Handshake, meta: dict[str, Any]) -> tuple[Surface, Handshake]:
    """The whole surface and the handshake it was read with. In the stateless revision
    (``meta`` set) a handshake the proxy never saw is asked for with ``server/discover``;
    in a session it is ``initialize``, which the proxy always relays."""
    if not handshake.seen and meta:
        reply = await ask("server/discover", {"_meta": dict(meta)})
        handshake = handshake_of(reply.get("result") if isinstance(reply, dict) else None) or handshake
    tools = await fetch_list(ask, ItemKind.TOOL, meta)  # first: the list every server has
    kinds = [k for k in (ItemKind.PROMPT, ItemKind.RESOURCE, ItemKind.RESOURCE_TEMPLATE) if _offered(handshake, k)]
    tasks = [asyncio.ensure_future(fetch_list(ask, kind, meta)) for kind in kinds]
    try:
        fetched = dict(zip(kinds, await asyncio.gather(*tasks), strict=True))
    finally:
        for task in tasks:  # one list failed: stop asking for the others
            task.cancel()
    surface = Surface(
        instructions=handshake.instructions,
        tools=tools,
        prompts=fetched.get(ItemKind.PROMPT, []),
        resources=fetched.get(ItemKind.RESOURCE, []),
        resource_templates=fetched.get(ItemKind.RESOURCE_TEMPLATE, []),
    )
    return surface, handshake


def _offered(handshake: Handshake, kind: ItemKind) -> bool:
    """Advertised in the capabilities; when they are unknown, asked (method-not-found: not offered)."""
    return handshake.capabilities is None or CAPABILITY[kind] in handshake.capabilities
