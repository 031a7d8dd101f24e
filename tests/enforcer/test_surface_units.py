"""The pure parts of pinning the whole surface, facts built by hand: URI templates, fetching
every list page by page, reading handshakes, the gate's refusals, and a registry that
predates surface pins."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from gateway_enforcer.enforcer import Enforcer
from gateway_enforcer.errors import UpstreamError
from gateway_enforcer.gate import SurfaceGate
from gateway_enforcer.jsonrpc import BLOCKED_CODE
from gateway_enforcer.lists import Handshake, fetch_list, fetch_surface, handshake_of
from gateway_enforcer.models import conclude
from gateway_enforcer.uritemplate import compile_template, matches
from scanner.contract.decide import Verdict, observe_surface
from scanner.contract.surface import ItemKind, Surface

pytestmark = pytest.mark.anyio


def _matches(template: str, uri: str) -> bool:
    tokens = compile_template(template)
    return tokens is not None and matches(tokens, uri)


def test_a_uri_template_covers_the_uris_it_names_and_no_others() -> None:
    assert _matches("file:///docs/{name}", "file:///docs/intro")
    assert not _matches("file:///docs/{name}", "file:///docs/a/b")
    assert not _matches("file:///docs/{name}", "file:///etc/passwd")
    assert _matches("file:///{+path}", "file:///a/b/c")
    assert _matches("https://api.test/items{?page,size}", "https://api.test/items?page=2&size=5")
    assert not _matches("file:///docs/{name", "file:///docs/x")  # malformed: matches nothing
    # a hostile template with many greedy expressions is matched without backtracking
    assert not _matches("x" + "{+a}x" * 200 + "y", "x" * 10_000)


class Upstream:
    """An upstream answering our own requests from a table: (method, cursor) -> reply."""

    def __init__(self, replies: dict[tuple[str, str | None], Any]) -> None:
        self.replies = replies
        self.asked: list[str] = []

    async def __call__(self, method: str, params: dict[str, Any]) -> Any:
        self.asked.append(method)
        return self.replies[(method, params.get("cursor"))]


def _result(**fields: Any) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": "x", "result": fields}


async def test_a_list_is_fetched_page_by_page_and_one_not_offered_is_empty() -> None:
    upstream = Upstream({
        ("prompts/list", None): _result(prompts=[{"name": "a"}], nextCursor="2"),
        ("prompts/list", "2"): _result(prompts=[{"name": "b"}]),
        ("resources/list", None): {"jsonrpc": "2.0", "id": "x", "error": {"code": -32601, "message": "no"}},
        ("tools/list", None): _result(tools=[], nextCursor=7),
    })
    assert [p["name"] for p in await fetch_list(upstream, ItemKind.PROMPT, {})] == ["a", "b"]
    assert await fetch_list(upstream, ItemKind.RESOURCE, {}) == []
    with pytest.raises(UpstreamError, match="cursor that is not a string"):
        await fetch_list(upstream, ItemKind.TOOL, {})


async def test_only_the_lists_a_server_advertises_are_asked_for() -> None:
    upstream = Upstream({("tools/list", None): _result(tools=[{"name": "t"}])})
    handshake = handshake_of({"capabilities": {"tools": {}}, "instructions": "Be nice.",
                              "serverInfo": {"name": "s", "version": "1.0"}})
    assert handshake is not None
    surface, _ = await fetch_surface(upstream, handshake, {})
    assert upstream.asked == ["tools/list"]
    assert surface == Surface(instructions="Be nice.", tools=[{"name": "t"}])


async def test_a_stateless_session_whose_handshake_was_not_seen_asks_server_discover() -> None:
    meta = {"io.modelcontextprotocol/protocolVersion": "2026-07-28"}
    upstream = Upstream({
        ("server/discover", None): _result(capabilities={"tools": {}}, instructions="From discover.",
                                           _meta={"io.modelcontextprotocol/serverInfo": {"version": "3.1"}}),
        ("tools/list", None): _result(tools=[]),
    })
    surface, handshake = await fetch_surface(upstream, Handshake(), meta)
    assert surface.instructions == "From discover." and handshake.version == "3.1"
    assert upstream.asked == ["server/discover", "tools/list"]


def test_a_version_the_registry_would_refuse_is_not_sent() -> None:
    odd = handshake_of({"serverInfo": {"version": "1.0\nX-Injected: yes"}})
    assert odd is not None and odd.version is None


async def test_a_blocked_prompt_and_an_unlisted_resource_are_refused_with_the_reason() -> None:
    surface = Surface(prompts=[{"name": "p"}], resources=[{"uri": "file:///a"}],
                      resource_templates=[{"uriTemplate": "file:///t/{x}"}])
    verdict = Verdict(decision="allow", reason="schema_drift", blocked={ItemKind.PROMPT: {"p": "changed"}})
    decision = conclude("io.test/s", observe_surface(surface), verdict, source="registry")
    async with Enforcer("http://registry.test", token="t") as enforcer:
        gate = SurfaceGate(enforcer, server="io.test/s")
        gate.set_surface(surface)
        prompt = gate.refusal("prompts/get", 1, {"name": "p"}, decision)
        unlisted = gate.refusal("resources/read", 2, {"uri": "file:///b"}, decision)
        assert gate.refusal("resources/read", 3, {"uri": "file:///t/1"}, decision) is None
        assert gate.refusal("resources/read", 4, {"uri": "file:///a"}, decision) is None
        assert gate.filter_items(ItemKind.PROMPT, decision, [{"name": "p"}]) == []
    assert prompt is not None and prompt["error"]["code"] == BLOCKED_CODE
    assert prompt["error"]["data"]["reason"] == "changed" and prompt["error"]["data"]["prompt"] == "p"
    assert unlisted is not None and unlisted["error"]["data"]["reason"] == "unlisted"


async def test_a_registry_that_predates_surface_pins_is_asked_again_with_the_tools_alone() -> None:
    bodies: list[dict[str, Any]] = []

    def registry(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        bodies.append(body)
        if "surface_sha256" in body:
            return httpx.Response(422, json={"detail": "$: Object contains unknown field `surface_sha256`"})
        return httpx.Response(200, json={"decision": "allow", "reason": "approved", "allowed_tools": ["t"]})

    http = httpx.AsyncClient(transport=httpx.MockTransport(registry))
    async with Enforcer("http://registry.test", token="t", http=http) as enforcer:
        decision = await enforcer.check("io.test/s", Surface(tools=[{"name": "t"}], prompts=[{"name": "p"}]))
        enforcer.invalidate()
        await enforcer.check("io.test/s", Surface(tools=[{"name": "t"}]))
    await http.aclose()
    assert decision.allowed and decision.allowed_tools == {"t"}
    assert "surface_sha256" in bodies[0] and "surface_sha256" not in bodies[1]
    assert len(bodies) == 3 and "surface_sha256" not in bodies[2]  # remembered, not asked twice


async def test_an_endless_or_oversized_list_is_refused_not_followed() -> None:
    async def endless(method: str, params: dict[str, Any]) -> Any:
        page = int(params.get("cursor", 0))
        return _result(prompts=[{"name": f"p{page}"}], nextCursor=str(page + 1))

    async def huge(method: str, params: dict[str, Any]) -> Any:
        return _result(prompts=[{"name": str(i)} for i in range(5001)])

    with pytest.raises(UpstreamError, match="more than 100 pages"):
        await fetch_list(endless, ItemKind.PROMPT, {})
    with pytest.raises(UpstreamError, match="more than 5000 items"):
        await fetch_list(huge, ItemKind.PROMPT, {})


async def test_an_item_with_no_canonical_json_form_is_never_shown_and_fails_the_check() -> None:
    deep: dict[str, Any] = {"name": "deep"}
    for _ in range(300):
        deep = {"name": "deep", "x": deep}
    async with Enforcer("http://registry.test", token="t") as enforcer:
        gate = SurfaceGate(enforcer, server="io.test/s")
        with pytest.raises(UpstreamError, match="no canonical JSON form"):
            gate.set_surface(Surface(tools=[deep]))
        gate.set_surface(Surface(tools=[{"name": "ok"}]))
        decision = conclude("io.test/s", observe_surface(Surface(tools=[{"name": "ok"}])),
                            Verdict(decision="allow", reason="approved", allowed_tools=("ok", "deep")),
                            source="registry")
        assert gate.filter_items(ItemKind.TOOL, decision, [deep, {"name": "ok"}]) == [{"name": "ok"}]
