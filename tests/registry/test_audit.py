"""The audit trail is hash-chained: editing, deleting or reordering any row is detected
and named; on PostgreSQL the table itself refuses UPDATE and DELETE."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from registry import migrate
from registry.cli import main
from registry.db import make_engine, session_scope
from registry.services.audit import append_event, verify_chain


@pytest.fixture
def filled(database_url: str) -> str:
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    with session_scope(engine) as s:
        for i in range(1, 6):
            append_event(
                s,
                actor="token:t",
                action="test.event",
                subject=f"server:s{i}",
                reason=f"r{i}",
                details={"n": i, "nested": {"x": [1, 2.5, "é"]}},
            )
    engine.dispose()
    return database_url


def _tamper(url: str, sql: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))  # superuser bypass
        conn.execute(text(sql))
    engine.dispose()


def _check(url: str) -> tuple[bool, int | None]:
    engine = make_engine(url)
    with session_scope(engine) as s:
        c = verify_chain(s)
    engine.dispose()
    return c.ok, c.first_bad_id


def test_an_untouched_chain_verifies_and_the_cli_exits_zero(filled: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _check(filled) == (True, None)
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
    _tamper(filled, sql)
    assert _check(filled) == (False, first_bad)
    assert main(["audit", "verify", "--database-url", filled]) == 1
    assert f"event {first_bad}" in capsys.readouterr().err


def test_export_writes_every_event_as_json_lines(filled: str, tmp_path: Path) -> None:
    out = tmp_path / "audit.jsonl"
    assert main(["audit", "export", "--database-url", filled, "--output", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == [1, 2, 3, 4, 5]
    assert rows[1]["prev_hash"] == rows[0]["hash"]


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
@pytest.mark.parametrize(
    "statement", ["UPDATE audit_events SET reason = 'x'", "DELETE FROM audit_events", "TRUNCATE audit_events"]
)
def test_postgresql_refuses_update_and_delete_on_the_audit_table(filled: str, statement: str) -> None:
    engine = make_engine(filled)
    run: Callable[[Connection], object] = lambda conn: conn.execute(text(statement))  # noqa: E731
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        run(conn)
    engine.dispose()
    assert _check(filled) == (True, None)
