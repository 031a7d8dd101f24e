"""The Enforcer library against a REAL registry (uvicorn, SQLite) and a real server's tools."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from gateway_enforcer import Enforcer, Surface
from tests.enforcer.conftest import LiveRegistry, free_port, server_command, unique_name
from tests.enforcer.surface_rig import raw_surface
from tests.support import wait_for

pytestmark = pytest.mark.anyio


def _surface(command: list[str]) -> Surface:
    """Everything the server lists, exactly as listed: the surface an embedding gateway checks."""
    return raw_surface(command)


def _enforcer(registry: LiveRegistry, **kw: object) -> Enforcer:
    return Enforcer(registry.url, token=registry.tokens["gateway"], **kw)  # type: ignore[arg-type]


async def test_an_approved_server_is_allowed_and_the_answer_is_cached(
    live_registry: LiveRegistry, tmp_path: Path
) -> None:
    name, command = unique_name(), server_command(tmp_path / "flag")
    live_registry.approve(name, command)
    tools = _surface(command)
    async with _enforcer(live_registry) as enforcer:
        first = await enforcer.check(name, tools, principal="alice@example.com")
        second = await enforcer.check(name, tools, principal="alice@example.com")
    assert first.decision == "allow" and first.reason == "approved"
    assert first.source == "registry" and second.source == "cache"
    assert first.allowed_tools == {"add", "fetch_page", "announce_change"}
    assert first.blocked_tools == {}


async def test_an_unregistered_server_is_denied_with_every_tool_blocked(
    live_registry: LiveRegistry, tmp_path: Path
) -> None:
    tools = _surface(server_command(tmp_path / "flag"))
    async with _enforcer(live_registry) as enforcer:
        decision = await enforcer.check(unique_name(), tools)
    assert decision.decision == "deny" and decision.reason == "unregistered"
    assert decision.allowed_tools == frozenset()
    assert decision.tool_reason("add") == "unregistered"


async def test_a_changed_tool_alone_is_blocked_in_tool_level_mode_and_the_drift_reaches_the_registry(
    live_registry: LiveRegistry, tmp_path: Path
) -> None:
    flag = tmp_path / "flag"
    name, command = unique_name(), server_command(flag)
    live_registry.approve(name, command, tool_level=True)
    flag.write_text("evil")
    tools = _surface(command)
    async with _enforcer(live_registry, mode="tool-level") as enforcer:
        decision = await enforcer.check(name, tools)
    assert decision.reason == "schema_drift"
    assert decision.allowed_tools == {"add", "announce_change"}
    assert decision.blocked_tools == {"fetch_page": "changed"}

    wait_for(lambda: live_registry.server_state(name) == "drifted", timeout=30, what="the registry to record the drift")


async def test_strict_mode_blocks_the_whole_server_on_drift_even_when_the_registry_allows_tool_level(
    live_registry: LiveRegistry, tmp_path: Path
) -> None:
    flag = tmp_path / "flag"
    name, command = unique_name(), server_command(flag)
    live_registry.approve(name, command, tool_level=True)
    flag.write_text("evil")
    async with _enforcer(live_registry, mode="strict") as enforcer:
        decision = await enforcer.check(name, _surface(command))
    assert decision.decision == "deny" and decision.reason == "schema_drift"
    assert decision.allowed_tools == frozenset()
    assert decision.tool_reason("add") == "schema_drift"
    assert decision.tool_reason("fetch_page") == "changed"


async def test_a_revocation_reaches_the_enforcer_once_the_cached_answer_expires(
    live_registry: LiveRegistry, tmp_path: Path
) -> None:
    name, command = unique_name(), server_command(tmp_path / "flag")
    live_registry.approve(name, command)
    tools = _surface(command)
    async with _enforcer(live_registry, max_cache_ttl_s=0.5) as enforcer:
        assert (await enforcer.check(name, tools)).decision == "allow"
        live_registry.revoke(name)
        import time

        deadline = time.monotonic() + 15
        while (decision := await enforcer.check(name, tools)).decision == "allow":
            assert time.monotonic() < deadline, "revocation did not arrive"
            await _tick()
    assert decision.reason == "revoked"


async def _tick() -> None:
    import anyio

    await anyio.sleep(0.05)  # polling interval of a bounded wait, not synchronisation


async def test_a_principal_outside_the_approved_list_is_refused(
    live_registry: LiveRegistry, tmp_path: Path
) -> None:
    name, command = unique_name(), server_command(tmp_path / "flag")
    live_registry.approve(name, command, principals=["alice@example.com"])
    tools = _surface(command)
    async with _enforcer(live_registry) as enforcer:
        alice = await enforcer.check(name, tools, principal="alice@example.com")
        bob = await enforcer.check(name, tools, principal="bob@example.com")
    assert alice.decision == "allow"
    assert bob.decision == "deny" and bob.reason == "principal_not_permitted"


async def test_an_unreachable_registry_fails_closed_with_a_clear_message(tmp_path: Path) -> None:
    tools = _surface(server_command(tmp_path / "flag"))
    async with Enforcer(f"http://127.0.0.1:{free_port()}", token="t") as enforcer:
        decision = await enforcer.check("io.github.test/any", tools)
    assert decision.decision == "deny" and decision.reason == "registry_unreachable"
    assert decision.source == "unreachable" and "ConnectError" in decision.message


async def test_a_rejected_token_blocks_and_says_so(live_registry: LiveRegistry, tmp_path: Path) -> None:
    tools = _surface(server_command(tmp_path / "flag"))
    async with Enforcer(live_registry.url, token="not-a-token") as enforcer:
        decision = await enforcer.check(unique_name(), tools)
    assert decision.reason == "registry_refused" and "401" in decision.message


async def test_fail_open_grace_allows_loudly_then_closes_when_the_grace_is_over(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    now = [1000.0]
    tools = _surface(server_command(tmp_path / "flag"))
    enforcer = Enforcer(f"http://127.0.0.1:{free_port()}", token="t", fail_open_grace_s=30,
                        clock=lambda: now[0])
    async with enforcer:
        with caplog.at_level(logging.WARNING, logger="gateway_enforcer"):
            during = await enforcer.check("io.github.test/any", tools)
            now[0] += 31
            after = await enforcer.check("io.github.test/any", tools)
    assert during.decision == "allow" and during.source == "fail_open"
    assert any("FAIL-OPEN" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)
    assert after.decision == "deny" and after.reason == "registry_unreachable"


async def test_fail_open_grace_reuses_the_last_registry_answer_rather_than_allowing_all(
    live_registry: LiveRegistry, tmp_path: Path
) -> None:
    name, command = unique_name(), server_command(tmp_path / "flag")
    tools = _surface(command)
    now = [1000.0]
    enforcer = _enforcer(live_registry, fail_open_grace_s=60, clock=lambda: now[0])
    async with enforcer:
        assert (await enforcer.check(name, tools)).reason == "unregistered"
        enforcer.registry_url = f"http://127.0.0.1:{free_port()}"  # the registry goes away
        now[0] += 10  # the cached answer has expired
        decision = await enforcer.check(name, tools)
    assert decision.source == "fail_open" and decision.reason == "unregistered"
    assert decision.decision == "deny"
