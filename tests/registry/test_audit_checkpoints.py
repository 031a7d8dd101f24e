"""Signed checkpoints of the audit chain head catch what the chain alone cannot: a
database user who drops the guard triggers can truncate the tail, rewrite a row and
recompute every later hash, or roll the chain back, and fix ``registry_state`` to
match, so the plain check passes; the chain no longer holds a signed head."""

from __future__ import annotations

import asyncio
import base64
import functools
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import anyio.to_thread
import httpx
import pytest
import respx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, load_pem_public_key
from litestar import Litestar
from litestar.testing import TestClient
from sqlmodel import col, select

from registry.cli import main
from registry.db import make_engine, session_scope
from registry.models import AuditEvent, RegistryState
from registry.services.audit import GENESIS, event_hash
from registry.services.checkpoint_writer import CheckpointWriter, describe
from registry.settings import Settings
from tests.registry.conftest import auth
from tests.registry.test_audit import as_attacker, chain_check, fill
from tests.support import wait_for

TRUNCATE_TO_3 = (
    "DELETE FROM audit_events WHERE id > 3",
    "UPDATE registry_state SET audit_count = 3, "
    "audit_head = (SELECT hash FROM audit_events WHERE id = 3) WHERE id = 1",
)


class Keys:
    """An audit key pair made with ``mcp-trust audit keygen``."""

    def __init__(self, folder: Path) -> None:
        self.private, self.public = folder / "audit-key.pem", folder / "audit-key.pub.pem"
        assert main(["audit", "keygen", "--key", str(self.private), "--public-out", str(self.public)]) == 0


@pytest.fixture
def keys(tmp_path: Path) -> Keys:
    return Keys(tmp_path)


@pytest.fixture
def filled(database_url: str) -> str:
    fill(database_url, 5)
    return database_url


def checkpoint(url: str, keys: Keys, out: Path) -> dict[str, object]:
    assert main(["audit", "checkpoint", "--database-url", url, "--key", str(keys.private), "--out", str(out)]) == 0
    last: dict[str, object] = json.loads(out.read_text().splitlines()[-1])
    return last


def verify(url: str, cp_file: Path, *public: Path) -> int:
    args = ["audit", "verify", "--database-url", url, "--checkpoint", str(cp_file)]
    for key in public:
        args += ["--public-key", str(key)]
    return main(args)


def event_hashes(url: str) -> dict[int, str]:
    engine = make_engine(url)
    with session_scope(engine) as s:
        out = {r.id or 0: r.hash for r in s.exec(select(AuditEvent))}
    engine.dispose()
    return out


def test_keygen_makes_a_private_key_only_its_owner_reads_and_prints_the_public_half(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = Keys(tmp_path)
    out, err = capsys.readouterr()
    assert keys.private.stat().st_mode & 0o777 == 0o600
    public = load_pem_public_key(out.encode())
    assert keys.public.read_text() == out
    raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
    assert f"new audit signing key {keys.private}, key id {hashlib.sha256(raw).hexdigest()[:16]}" in err
    assert main(["audit", "keygen", "--key", str(keys.private)]) == 0  # a second run keeps the key
    again = capsys.readouterr()
    assert again.out == out and "existing audit signing key" in again.err


def test_a_checkpoint_signs_the_head_and_verify_checks_it_against_the_chain(
    filled: str, keys: Keys, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cp_file = tmp_path / "checkpoints.jsonl"
    cp = checkpoint(filled, keys, cp_file)
    assert set(cp) == {"format", "count", "head", "at", "key_id", "signature"}
    assert (cp["format"], cp["count"], cp["head"]) == ("mcp-trust-audit-checkpoint/1", 5, event_hashes(filled)[5])
    public = load_pem_public_key(keys.public.read_bytes())
    assert isinstance(public, Ed25519PublicKey)
    signed = {k: v for k, v in cp.items() if k != "signature"}
    public.verify(
        base64.b64decode(str(cp["signature"])),
        json.dumps(signed, sort_keys=True, separators=(",", ":")).encode(),  # JCS of plain ASCII fields
    )
    fill(filled, 2, start=6)  # the chain grows past the checkpoint: still fine
    capsys.readouterr()
    assert verify(filled, cp_file, keys.public) == 0
    out = capsys.readouterr().out
    assert "audit chain intact: 7 events" in out
    newest = f"newest: event 5, signed {cp['at']} by key {cp['key_id']}"
    assert f"signed checkpoints: 1 held ({newest}); 2 events since" in out


def rewrite_row_and_rehash(url: str) -> None:
    """Edit event 2 and recompute every later hash and the head, as a careful attacker would."""
    as_attacker(url)
    engine = make_engine(url)
    with session_scope(engine) as s:
        prev = GENESIS
        for row in s.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all():
            if row.id == 2:
                row.reason = "nothing to see"
            row.prev_hash = prev
            row.hash = prev = event_hash(row.model_dump())
            s.add(row)
        state = s.get(RegistryState, 1)
        assert state is not None
        state.audit_head = prev
        s.add(state)
    engine.dispose()


def truncate_tail_and_fix_head(url: str) -> None:
    as_attacker(url, *TRUNCATE_TO_3)


def roll_back_and_replay(url: str) -> None:
    """Back to event 3 (a restored backup), then new events past the checkpointed count."""
    as_attacker(url, *TRUNCATE_TO_3)
    fill(url, 3, start=4, actor="token:someone-else")


@pytest.mark.parametrize(
    "attack",
    [
        (truncate_tail_and_fix_head, "records 5 events but the chain has 3: events were deleted"),
        (rewrite_row_and_rehash, "the chain has {new5}: the chain was rewritten or rolled back"),
        (roll_back_and_replay, "the chain has {new5}: the chain was rewritten or rolled back"),
    ],
    ids=["truncate-tail-and-fix-head", "rewrite-row-and-recompute-all-hashes", "roll-back-head"],
)
def test_an_attack_the_plain_chain_check_misses_fails_the_checkpoint_check(
    filled: str, keys: Keys, tmp_path: Path, attack: tuple[Callable[[str], None], str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    tamper, reason = attack
    cp_file = tmp_path / "checkpoints.jsonl"
    cp = checkpoint(filled, keys, cp_file)
    tamper(filled)
    assert chain_check(filled) == (True, None)  # the plain check is fooled...
    capsys.readouterr()
    assert main(["audit", "verify", "--database-url", filled]) == 0
    assert "audit chain intact" in capsys.readouterr().out
    assert verify(filled, cp_file, keys.public) == 1  # ...the signed head is not
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert f"checkpoint {cp_file}:1 (signed {cp['at']})" in err
    assert reason.format(new5=event_hashes(filled).get(5, "")[:16]) in err


def test_a_checkpoint_with_an_altered_field_has_a_bad_signature(
    filled: str, keys: Keys, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cp_file = tmp_path / "checkpoints.jsonl"
    checkpoint(filled, keys, cp_file)
    cp = checkpoint(filled, keys, cp_file)
    truncate_tail_and_fix_head(filled)
    # the attacker also "fixes" the newest checkpoint to match the truncated chain
    forged = {**cp, "count": 3, "head": event_hashes(filled)[3]}
    cp_file.write_text(cp_file.read_text().splitlines()[0] + "\n" + json.dumps(forged) + "\n")
    capsys.readouterr()
    assert verify(filled, cp_file, keys.public) == 1
    err = capsys.readouterr().err
    assert f"checkpoint {cp_file}:2: bad signature (key id {cp['key_id']})" in err


def test_a_checkpoint_signed_by_another_key_is_refused_naming_its_key_id(
    filled: str, keys: Keys, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cp_file = tmp_path / "checkpoints.jsonl"
    cp = checkpoint(filled, keys, cp_file)
    (tmp_path / "other").mkdir()
    other = Keys(tmp_path / "other")
    capsys.readouterr()
    assert verify(filled, cp_file, other.public) == 1
    assert f"checkpoint {cp_file}:1: signed by unknown key id {cp['key_id']}" in capsys.readouterr().err
    assert verify(filled, cp_file, other.public, keys.public) == 0  # several keys: any one that matches


@pytest.mark.parametrize(
    "bad",
    [
        ("not json", "not a signed checkpoint"),
        ('{"count": 1}', "not a signed checkpoint"),
        ("x" * 5000, "line longer than 4096 bytes"),
    ],
)
def test_a_malformed_checkpoint_line_fails_naming_the_line(
    filled: str, keys: Keys, tmp_path: Path, bad: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    line, reason = bad
    cp_file = tmp_path / "checkpoints.jsonl"
    checkpoint(filled, keys, cp_file)
    with cp_file.open("a") as fh:
        fh.write("\n" + line + "\n")
    capsys.readouterr()
    assert verify(filled, cp_file, keys.public) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"checkpoint {cp_file}:3: {reason}") and len(err.strip().splitlines()) == 1


def test_usage_errors_exit_2_with_one_line(
    filled: str, keys: Keys, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cp_file = tmp_path / "checkpoints.jsonl"
    checkpoint(filled, keys, cp_file)
    capsys.readouterr()
    cases = [
        (["audit", "verify", "--database-url", filled, "--checkpoint", str(cp_file)], "needs --public-key"),
        (["audit", "verify", "--database-url", filled, "--checkpoint", str(tmp_path / "nope"),
          "--public-key", str(keys.public)], "cannot read checkpoint file"),
        (["audit", "verify", "--database-url", filled, "--checkpoint", str(cp_file),
          "--public-key", str(tmp_path / "nope.pem")], "nope.pem"),
        (["audit", "checkpoint", "--database-url", filled, "--key", str(tmp_path / "absent.pem")],
         "no audit signing key"),
    ]
    for args, reason in cases:
        assert main(args) == 2, args
        err = capsys.readouterr().err
        assert reason in err and len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "absent.pem").exists()


def test_no_checkpoint_vouches_for_a_head_the_audit_table_does_not_hold(
    filled: str, keys: Keys, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    as_attacker(filled, "UPDATE registry_state SET audit_count = 9 WHERE id = 1")
    out = tmp_path / "checkpoints.jsonl"
    assert main(["audit", "checkpoint", "--database-url", filled, "--key", str(keys.private), "--out", str(out)]) == 2
    assert "does not match the audit table" in capsys.readouterr().err
    assert not out.exists()


def test_an_empty_chain_checkpoints_as_genesis(database_url: str, keys: Keys, tmp_path: Path) -> None:
    fill(database_url, 0)
    cp_file = tmp_path / "checkpoints.jsonl"
    cp = checkpoint(database_url, keys, cp_file)
    assert (cp["count"], cp["head"]) == (0, GENESIS)
    assert verify(database_url, cp_file, keys.public) == 0


def test_the_key_id_is_the_first_16_hex_of_the_raw_public_key_sha256() -> None:
    from registry.services.checkpoints import sign_checkpoint

    key = Ed25519PrivateKey.generate()
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    assert sign_checkpoint(key, 0, GENESIS).key_id == hashlib.sha256(raw).hexdigest()[:16]


# -- the registry writes them: on demand, on a schedule, to a file and a webhook ----------

SINK = "http://audit-sink.test/checkpoints"  # the operator's receiver, stood in by respx


@pytest.fixture
def settings(database_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    """Registry settings with the audit key and checkpoint file in this test's folder;
    an indirect parameter sets the schedule (default: on demand only)."""
    return Settings(
        database_url=database_url,
        bootstrap_admin=False,
        index_poll_s=0.2,
        audit_signing_key_path=str(tmp_path / "audit-key.pem"),
        audit_checkpoint_path=str(tmp_path / "checkpoints.jsonl"),
        audit_checkpoint_url=SINK,
        audit_checkpoint_interval_s=getattr(request, "param", None),
    )


def audit_count(url: str) -> int:
    engine = make_engine(url)
    with session_scope(engine) as s:
        state = s.get(RegistryState, 1)
        count = state.audit_count if state else -1
    engine.dispose()
    return count


def public_key_of(settings: Settings, tmp_path: Path) -> Path:
    public = tmp_path / "audit-key.pub.pem"
    assert main(["audit", "keygen", "--key", str(settings.audit_signing_key_path), "--public-out", str(public)]) == 0
    return public


@respx.mock(assert_all_mocked=True, assert_all_called=True)
def test_auditors_and_admins_checkpoint_on_demand_to_the_file_and_the_webhook(
    client: TestClient[Litestar], tokens: dict[str, str], settings: Settings, tmp_path: Path,
    respx_mock: respx.MockRouter,
) -> None:
    hook = respx_mock.post(SINK).mock(return_value=httpx.Response(204))
    for role in ("reviewer", "submitter", "gateway"):
        assert client.post("/v1/audit/checkpoints", headers=auth(tokens[role])).status_code == 403
    made = []
    for role in ("auditor", "admin"):
        r = client.post("/v1/audit/checkpoints", headers=auth(tokens[role]))
        assert r.status_code == 201, r.text
        made.append(r.json())
    assert made[0]["count"] == audit_count(settings.database_url) == made[1]["count"]
    assert Path(str(settings.audit_signing_key_path)).stat().st_mode & 0o777 == 0o600
    cp_file = Path(str(settings.audit_checkpoint_path))
    assert [json.loads(line) for line in cp_file.read_text().splitlines()] == made
    wait_for(lambda: hook.call_count == 2, what="both checkpoints POSTed to the webhook")
    assert [json.loads(c.request.content) for c in hook.calls] == made
    assert verify(settings.database_url, cp_file, public_key_of(settings, tmp_path)) == 0


@pytest.mark.parametrize("settings", [0.2], indirect=True)
@respx.mock(assert_all_mocked=True)
def test_the_registry_checkpoints_a_moving_head_on_its_schedule(
    client: TestClient[Litestar], tokens: dict[str, str], settings: Settings, tmp_path: Path,
    respx_mock: respx.MockRouter,
) -> None:
    respx_mock.post(SINK).mock(return_value=httpx.Response(204))
    cp_file = Path(str(settings.audit_checkpoint_path))

    def newest_count() -> int | None:
        lines = cp_file.read_text().splitlines() if cp_file.exists() else []
        count = json.loads(lines[-1])["count"] if lines else None
        return count if count == audit_count(settings.database_url) else None

    first = wait_for(newest_count, what="a scheduled checkpoint of the current head")
    assert client.post("/v1/tokens", json={"role": "gateway", "name": "gw-2"}, headers=auth(tokens["admin"])).is_success
    assert wait_for(newest_count, what="a scheduled checkpoint of the moved head") > first
    assert verify(settings.database_url, cp_file, public_key_of(settings, tmp_path)) == 0


@respx.mock(assert_all_mocked=True, assert_all_called=True)
def test_a_failed_webhook_delivery_is_retried_in_order_at_the_next_tick(
    filled: str, tmp_path: Path, respx_mock: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    hook = respx_mock.post(SINK).mock(
        side_effect=[httpx.ConnectError("refused"), httpx.Response(503), httpx.Response(204), httpx.Response(204)]
    )
    settings = Settings(database_url=filled, audit_signing_key_path=str(tmp_path / "k.pem"), audit_checkpoint_url=SINK)
    engine = make_engine(filled)
    writer = CheckpointWriter(engine, settings)

    async def ticks() -> list[int]:
        calls = []
        for step in range(4):
            if step == 2:
                await anyio.to_thread.run_sync(functools.partial(fill, filled, 1, start=6))  # the head moves
            await writer.tick()
            calls.append(hook.call_count)
        return calls

    assert asyncio.run(ticks()) == [1, 2, 4, 4]  # failed, failed, both delivered, nothing new
    engine.dispose()
    bodies = [json.loads(c.request.content) for c in hook.calls]
    assert [b["count"] for b in bodies] == [5, 5, 5, 6]
    assert "checkpoint POST to http://audit-sink.test/checkpoints failed" in caplog.text
    assert writer.file is None  # a URL alone: no file in the data folder


@respx.mock(assert_all_mocked=True)
def test_the_registry_refuses_to_sign_a_chain_that_lost_a_head_it_signed(
    client: TestClient[Litestar], tokens: dict[str, str], settings: Settings, respx_mock: respx.MockRouter
) -> None:
    respx_mock.post(SINK).mock(return_value=httpx.Response(204))
    first = client.post("/v1/audit/checkpoints", headers=auth(tokens["auditor"]))
    assert first.status_code == 201 and first.json()["count"] > 3
    as_attacker(settings.database_url, *TRUNCATE_TO_3)
    r = client.post("/v1/audit/checkpoints", headers=auth(tokens["auditor"]))
    assert r.status_code == 503 and r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["detail"] == (
        f"refusing to sign the audit head: checkpoint last written by this registry (signed {first.json()['at']}) "
        f"records {first.json()['count']} events but the chain has 3: events were deleted or the database was "
        "rolled back"
    )
    assert len(Path(str(settings.audit_checkpoint_path)).read_text().splitlines()) == 1


@pytest.mark.parametrize("url", ["ftp://sink.test/x", "sink.test/checkpoints", "http:///no-host"])
def test_a_webhook_url_that_is_not_http_is_refused_at_start(url: str, tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'r.db'}", audit_checkpoint_url=url)
    with pytest.raises(ValueError, match="must be an http:// or https:// URL"):
        CheckpointWriter(make_engine(settings.database_url), settings)
    with pytest.raises(ValueError, match="must be an http:// or https:// URL"):
        describe(settings)  # what `mcp-trust serve` prints before it starts
