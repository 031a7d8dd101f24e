"""The audit trail is hash-chained: editing, deleting or reordering any row is detected
and named; the table itself refuses UPDATE and DELETE on SQLite and PostgreSQL, so the
tampering here is done as an attacker with database access would: drop the guard
trigger first, then edit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from registry import migrate
from registry.cli import main
from registry.db import make_engine, session_scope
from registry.services.audit import append_event, verify_chain

# What stands between a database user and an edited audit row: the guard triggers.
GUARDS = {
    "sqlite": ["DROP TRIGGER IF EXISTS audit_events_no_update", "DROP TRIGGER IF EXISTS audit_events_no_delete"],
    "postgresql": ["DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events"],
}


def fill(url: str, n: int, *, start: int = 1, actor: str = "token:t") -> None:
    """Append ``n`` events through the registry's own code path."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    with session_scope(engine) as s:
        for i in range(start, start + n):
            append_event(
                s,
                actor=actor,
                action="test.event",
                subject=f"server:s{i}",
                reason=f"r{i}",
                details={"n": i, "nested": {"x": [1, 2.5, "é"]}},
            )
    engine.dispose()


def as_attacker(url: str, *statements: str) -> None:
    """Drop the append-only triggers, then run ``statements`` (one transaction)."""
    engine = make_engine(url)
    with engine.begin() as conn:
        for guard in GUARDS[conn.dialect.name]:
            conn.execute(text(guard))
        for sql in statements:
            conn.execute(text(sql))
    engine.dispose()


def chain_check(url: str) -> tuple[bool, int | None]:
    engine = make_engine(url)
    with session_scope(engine) as s:
        c = verify_chain(s)
    engine.dispose()
    return c.ok, c.first_bad_id


@pytest.fixture
def filled(database_url: str) -> str:
    fill(database_url, 5)
    return database_url


def test_an_untouched_chain_verifies_and_the_cli_exits_zero(filled: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert chain_check(filled) == (True, None)
    assert main(["audit", "verify", "--database-url", filled]) == 0
    assert "5 events" in capsys.readouterr().out


SWAP = (
    "UPDATE audit_events SET subject = CASE id WHEN 2 THEN 'server:s3' ELSE 'server:s2' END, "
    "reason = CASE id WHEN 2 THEN 'r3' ELSE 'r2' END WHERE id IN (2, 3)"
)


@pytest.mark.parametrize(
    ("sql", "first_bad"),
    [
        ("UPDATE audit_events SET reason = 'nothing to see' WHERE id = 3", 3),
        ("DELETE FROM audit_events WHERE id = 2", 3),
        ("DELETE FROM audit_events WHERE id = 5", 5),
        (SWAP, 2),
    ],
    ids=["edit", "delete-middle", "delete-newest", "reorder"],
)
def test_tampering_is_detected_and_the_first_bad_row_is_named(
    filled: str, sql: str, first_bad: int, capsys: pytest.CaptureFixture[str]
) -> None:
    as_attacker(filled, sql)
    assert chain_check(filled) == (False, first_bad)
    assert main(["audit", "verify", "--database-url", filled]) == 1
    err = capsys.readouterr().err
    assert f"event {first_bad}" in err
    assert len(err.strip().splitlines()) == 1


def test_export_writes_every_event_as_json_lines(filled: str, tmp_path: Path) -> None:
    out = tmp_path / "audit.jsonl"
    assert main(["audit", "export", "--database-url", filled, "--output", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == [1, 2, 3, 4, 5]
    assert rows[1]["prev_hash"] == rows[0]["hash"]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET reason = 'x'",
        "UPDATE audit_events SET reason = 'x' WHERE id = 5",
        "DELETE FROM audit_events",
        "DELETE FROM audit_events WHERE id = 5",
    ],
)
def test_the_database_refuses_update_and_delete_on_the_audit_table(filled: str, statement: str) -> None:
    _refused(filled, statement)


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_postgresql_refuses_truncate_on_the_audit_table(filled: str) -> None:
    _refused(filled, "TRUNCATE audit_events")


def _refused(url: str, statement: str) -> None:
    engine = make_engine(url)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text(statement))
    engine.dispose()
    assert chain_check(url) == (True, None)
    fill(url, 1, start=6)  # appending still works
    assert chain_check(url) == (True, None)
