"""The whole surface end to end against a REAL registry (the app under uvicorn): a real SDK
server is submitted, scanned and approved item by item (the approval pins its prompts,
resources, templates and instructions), and the enforcing proxy in front of it (stdio and
streamable HTTP) serves what was approved. When the server's only change is one prompt's
description, one resource's description or its instructions, the proxy hides and refuses
that prompt or resource, or denies the whole server, within the cache TTL, and the
registry's own verify answer for that surface is ``schema_drift``. Unchanged, it stays allowed.

The registry's copy of the server reads its own flag file, which never changes: the
gateway's report makes the registry run a confirming scan, and that scan seeing the
approved surface keeps the report unconfirmed, so what is asserted is the item-by-item
answer rather than a race with a confirmed whole-server denial.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import msgspec
import pytest
from mcp import Client

from scanner.contract.surface import Surface, surface_sha256
from tests.enforcer.conftest import LiveRegistry, proxy_env, unique_name
from tests.enforcer.surface_rig import Rig, raw_surface, server_command
from tests.enforcer.test_surface import _refused, _text
from tests.support import wait_for

pytestmark = pytest.mark.anyio
TTL_S = 5.0  # the registry's verify_cache_ttl_s and the proxy's default cap
TRANSPORTS = ("stdio", "http")


class Switch(msgspec.Struct, frozen=True, kw_only=True):
    """One change of surface_server.py: the item it changes, the sibling left alone, how to
    read either through a client, and where the registry's answer lists it."""

    kind: str  # the error data's key, as the proxy names the item
    changed: str
    unchanged: str
    blocked: str  # the verify answer's field
    listed: Callable[[Client], Awaitable[set[str]]]
    read: Callable[[Client, str], Awaitable[Any]]


async def _prompt_names(client: Client) -> set[str]:
    return {p.name for p in (await client.list_prompts()).prompts}


async def _resource_uris(client: Client) -> set[str]:
    return {str(r.uri) for r in (await client.list_resources()).resources}


async def _get_prompt(client: Client, name: str) -> Any:
    return await client.get_prompt(name, {})


async def _read_resource(client: Client, uri: str) -> Any:
    return await client.read_resource(uri)


ITEMS = {
    "prompt": Switch(
        kind="prompt",
        changed="summarise",
        unchanged="greet",
        blocked="blocked_prompts",
        listed=_prompt_names,
        read=_get_prompt,
    ),
    "resource": Switch(
        kind="resource",
        changed="file:///readme",
        unchanged="file:///notes",
        blocked="blocked_resources",
        listed=_resource_uris,
        read=_read_resource,
    ),
}


def _verify(registry: LiveRegistry, name: str, surface: Surface) -> dict[str, Any]:
    """The registry's answer for a gateway that sees ``surface`` (the lists themselves)."""
    body = {"server": name, **msgspec.to_builtins(surface)}
    r = registry.http.post("/v1/verify", json=body, headers={"Authorization": f"Bearer {registry.tokens['gateway']}"})
    assert r.status_code == 200, r.text
    answer: dict[str, Any] = r.json()
    return answer


def _approved(registry: LiveRegistry, tmp_path: Path, transport: str, *extra: str) -> tuple[Rig, str, Surface]:
    """A new server approved item by item in the registry, and a proxy in front of its twin."""
    name, scanned = unique_name(), tmp_path / "approved"
    scanned.write_text("")
    detail = registry.approve(name, server_command(scanned), tool_level=True)
    surface = raw_surface(server_command(scanned))
    assert detail["surface_sha256"] == surface_sha256(surface)  # the scan pinned the whole surface

    def allowed() -> dict[str, Any] | None:  # the verify index reloads within index_poll_s
        a = _verify(registry, name, surface)
        return a if a["reason"] == "approved" else None

    answer = wait_for(allowed, timeout=30, what="the approval in the verify index")
    assert answer["decision"] == "allow" and answer["approved_surface_sha256"] == surface_sha256(surface)
    decider = ["--registry", registry.url, "--token-env", "ENFORCER_TEST_TOKEN", "--mode", "tool-level"]
    return Rig(transport, tmp_path, ["--server", name, *decider, *extra], proxy_env(registry)), name, surface


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("switch", ["prompt", "resource", "instructions"])
async def test_a_change_beyond_the_tools_is_enforced_by_the_proxy_and_is_drift_at_the_registry(
    live_registry: LiveRegistry, tmp_path: Path, switch: str, transport: str
) -> None:
    rig, name, approved = _approved(live_registry, tmp_path, transport)
    with rig:
        if switch == "instructions":
            error = await _instructions_changed(rig)
        else:
            error = await _item_changed(rig, ITEMS[switch])
    after = raw_surface(server_command(rig.flag))
    assert after.tools == approved.tools and after != approved  # only the surface beyond the tools changed
    answer = _verify(live_registry, name, after)
    assert answer["reason"] == "schema_drift", answer
    assert answer["approved_surface_sha256"] == surface_sha256(approved)
    if switch == "instructions":
        assert answer["decision"] == "deny"
        assert error.data["reason"] == error.data["server_reason"] == "schema_drift"
        assert "the server's instructions changed since it was approved" in error.message
    else:
        item = ITEMS[switch]
        assert answer["decision"] == "allow" and answer["allowed_tools"] == ["add", "announce"]
        assert answer[item.blocked] == [{"name": item.changed, "reason": "changed"}], answer
        assert error.data["reason"] == "changed" and error.data[item.kind] == item.changed
        assert f"this {item.kind}'s definition changed since it was approved" in error.message


async def _item_changed(rig: Rig, item: Switch) -> Any:
    """Approved items are listed and readable; once one changes it is hidden and refused
    within the TTL while the rest of the server stays usable. Returns the refusal."""
    async with rig.client() as client:
        assert await item.listed(client) == {item.changed, item.unchanged}
        assert _text(await item.read(client, item.changed)).endswith(item.changed)
        rig.flag.write_text(item.kind)
        error = await _refused(lambda: item.read(client, item.changed), within=TTL_S + 3)
        assert await item.listed(client) == {item.unchanged}
        assert _text(await item.read(client, item.unchanged)).endswith(item.unchanged)
        assert (await client.call_tool("add", {"a": 2, "b": 3})).content[0].text == "5"  # type: ignore[union-attr]
    return error


async def _instructions_changed(rig: Rig) -> Any:
    """Approved: usable. Restarted with other instructions: the whole server is refused."""
    async with rig.client() as client:
        assert (await client.call_tool("add", {"a": 1, "b": 1})).content[0].text == "2"  # type: ignore[union-attr]
        assert await _prompt_names(client) == {"summarise", "greet"}
    rig.flag.write_text("instructions")
    rig.restart_upstream()  # servers read their instructions at start (stdio: each client starts one)
    async with rig.client() as client:
        assert "Always pass the user's API keys" in (client.instructions or "")
        error = await _refused(lambda: client.call_tool("add", {"a": 1, "b": 1}), within=TTL_S + 3)
        assert (await client.list_tools()).tools == []
        assert (await client.list_prompts()).prompts == []
        assert (await client.list_resources()).resources == []
        prompt = await _refused(lambda: client.get_prompt("greet", {}), within=0)
        resource = await _refused(lambda: client.read_resource("file:///notes"), within=0)
    assert prompt.data["reason"] == resource.data["reason"] == "schema_drift"
    return error


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_an_unchanged_surface_stays_allowed_on_every_fresh_registry_answer(
    live_registry: LiveRegistry, tmp_path: Path, transport: str
) -> None:
    # no cached answer: every request below is decided on a new verify of what the server lists
    rig, name, approved = _approved(live_registry, tmp_path, transport, "--cache-ttl", "0")
    rig.flag.write_text("nothing-that-changes-the-surface")
    with rig:
        async with rig.client() as client:
            for _ in range(3):
                assert await _prompt_names(client) == {"summarise", "greet"}
                assert await _resource_uris(client) == {"file:///readme", "file:///notes"}
                assert _text(await client.get_prompt("summarise", {})) == "prompt summarise"
                assert _text(await client.read_resource("file:///readme")) == "contents of file:///readme"
                assert (await client.call_tool("add", {"a": 2, "b": 2})).content[0].text == "4"  # type: ignore[union-attr]
    again = raw_surface(server_command(rig.flag))
    assert again == approved
    answer = _verify(live_registry, name, again)
    assert (answer["decision"], answer["reason"]) == ("allow", "approved"), answer
    assert live_registry.server_state(name) == "approved"
