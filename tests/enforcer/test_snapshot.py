"""Signed snapshots: served by the real registry, verified with a CONFIGURED key, used
offline; expired, tampered and foreign-key snapshots are refused."""

from __future__ import annotations

import base64
import datetime as dt
import json
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.shared.exceptions import MCPError

from gateway_enforcer import SnapshotError, Surface, decide_offline, load_public_key, verify_snapshot
from gateway_enforcer.snapshot import SnapshotApproval
from registry.snapshot.signing import load_or_create_key, public_key_base64, sign_snapshot
from tests.enforcer.conftest import ROOT, LiveRegistry, raw_tools, server_command, unique_name

pytestmark = pytest.mark.anyio


def _configured_key(registry: LiveRegistry) -> str:
    """What an operator copies out of band: the public half of the registry's key file."""
    assert registry.settings.signing_key_path
    return public_key_base64(load_or_create_key(Path(registry.settings.signing_key_path)))


def test_the_registry_signs_its_current_approvals_and_an_enforcer_decides_offline_from_them(
    live_registry: LiveRegistry, tmp_path: Path
) -> None:
    flag = tmp_path / "flag"
    name, command = unique_name(), server_command(flag)
    live_registry.approve(name, command, tool_level=True)
    tools = Surface(tools=raw_tools(command))
    key = load_public_key(base64_key=_configured_key(live_registry))
    snapshot = verify_snapshot(live_registry.snapshot(), key)
    assert snapshot.approval(name) is not None
    assert snapshot.expires_at - snapshot.issued_at == dt.timedelta(seconds=3600)

    ok = decide_offline(snapshot, name, tools, principal=None, mode="tool-level")
    assert ok.decision == "allow" and ok.source == "snapshot"
    assert ok.allowed_tools == {"add", "fetch_page", "announce_change"}
    unknown = decide_offline(snapshot, unique_name(), tools, principal=None, mode="tool-level")
    assert unknown.reason == "unregistered" and not unknown.allowed_tools
    flag.write_text("evil")
    drifted = Surface(tools=raw_tools(command))
    level = decide_offline(snapshot, name, drifted, principal=None, mode="tool-level")
    assert level.blocked_tools == {"fetch_page": "changed"}
    strict = decide_offline(snapshot, name, drifted, principal=None, mode="strict")
    assert strict.allowed_tools == frozenset() and strict.tool_reason("fetch_page") == "changed"


def test_the_signing_key_is_created_once_with_owner_only_permissions(live_registry: LiveRegistry) -> None:
    live_registry.snapshot()
    assert live_registry.settings.signing_key_path
    path = Path(live_registry.settings.signing_key_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    before = path.read_bytes()
    live_registry.snapshot()
    assert path.read_bytes() == before


def test_an_expired_snapshot_is_refused(live_registry: LiveRegistry) -> None:
    key = load_public_key(base64_key=_configured_key(live_registry))
    data = live_registry.snapshot(valid_for=60)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=61)
    with pytest.raises(SnapshotError, match="expired"):
        verify_snapshot(data, key, now=later)


def test_a_snapshot_with_an_edited_payload_is_refused(live_registry: LiveRegistry) -> None:
    key = load_public_key(base64_key=_configured_key(live_registry))
    envelope = json.loads(live_registry.snapshot())
    payload = json.loads(base64.b64decode(envelope["payload"]))
    payload["approvals"].append({"server": "io.github.evil/server", "manifest_sha256": "0" * 64,
                                 "tool_hashes": {}})
    envelope["payload"] = base64.b64encode(json.dumps(payload).encode()).decode()
    with pytest.raises(SnapshotError, match="altered or signed by another key"):
        verify_snapshot(json.dumps(envelope).encode(), key)


def test_a_snapshot_signed_by_another_key_is_refused_even_when_it_names_that_key(
    live_registry: LiveRegistry,
) -> None:
    configured = load_public_key(base64_key=_configured_key(live_registry))
    forged = sign_snapshot(
        Ed25519PrivateKey.generate(),
        [SnapshotApproval(server="io.github.evil/server", manifest_sha256="0" * 64, tool_hashes={})],
        issuer="https://attacker.test", valid_for=dt.timedelta(hours=1),
    )
    with pytest.raises(SnapshotError, match="does not verify"):
        verify_snapshot(forged, configured)


async def test_the_proxy_runs_offline_from_a_snapshot_file_without_any_registry(
    live_registry: LiveRegistry, tmp_path: Path
) -> None:
    name, command = unique_name(), server_command(tmp_path / "flag")
    live_registry.approve(name, command)
    snap, pub = tmp_path / "snapshot.json", tmp_path / "registry.pub"
    snap.write_bytes(live_registry.snapshot())
    pub.write_text(_configured_key(live_registry) + "\n")
    for server, works in ((name, True), (unique_name(), False)):
        argv = ["-m", "gateway_enforcer", "--server", server, "--snapshot", str(snap),
                "--public-key", str(pub), "--", *command]
        params = StdioServerParameters(command=str(ROOT / ".venv/bin/python"), args=argv, cwd=str(ROOT))
        async with Client(params) as client:
            if works:
                result = await client.call_tool("add", {"a": 20, "b": 22})
                assert result.content[0].text == "42"  # type: ignore[union-attr]
            else:
                with pytest.raises(MCPError, match="not registered"):
                    await client.call_tool("add", {"a": 1, "b": 1})


def test_the_proxy_refuses_to_start_on_a_tampered_snapshot_file(
    live_registry: LiveRegistry, tmp_path: Path
) -> None:
    import subprocess
    import sys

    snap, pub = tmp_path / "snapshot.json", tmp_path / "registry.pub"
    envelope = json.loads(live_registry.snapshot())
    envelope["signature"] = base64.b64encode(b"\0" * 64).decode()
    snap.write_text(json.dumps(envelope))
    pub.write_text(_configured_key(live_registry))
    argv = [sys.executable, "-m", "registry.cli", "enforce", "--server", "x", "--snapshot", str(snap),
            "--public-key", str(pub), "--", sys.executable, "-c", "pass"]
    proc = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, timeout=60, check=False)
    assert proc.returncode == 2
    assert "signature does not verify" in proc.stderr and "Traceback" not in proc.stderr
