"""CLI: tokens against the database, db upgrade/current; an upgrade keeps every row."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from registry import migrate
from registry.auth import token_digest
from registry.cli import main
from registry.db import make_engine, session_scope
from registry.models import ApiToken
from registry.services.audit import append_event, verify_chain


def test_token_create_prints_only_the_token_and_stores_only_its_hash(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["token", "create", "--role", "gateway", "--name", "gw-1", "--database-url", database_url]) == 0
    out = capsys.readouterr().out
    token = out.strip()
    assert out == token + "\n" and token.startswith("mcpt_") and len(token) > 40
    engine = make_engine(database_url)
    with Session(engine) as s:
        row = s.exec(select(ApiToken).where(ApiToken.name == "gw-1")).one()
    engine.dispose()
    assert row.sha256 == token_digest(token) and token not in row.sha256
    assert main(["token", "list", "--format", "json", "--database-url", database_url]) == 0
    assert '"gw-1"' in capsys.readouterr().out
    assert main(["token", "revoke", "gw-1", "--database-url", database_url]) == 0
    assert main(["token", "create", "--role", "nope", "--name", "x", "--database-url", database_url]) == 2
    assert main(["token", "create", "--role", "admin", "--name", "gw-1", "--database-url", database_url]) == 2


def test_db_upgrade_then_current_reports_the_newest_revision(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade", "--database-url", database_url]) == 0
    assert main(["db", "current", "--database-url", database_url]) == 0
    assert capsys.readouterr().out.split()[-1] == migrate.head()


def test_upgrading_a_database_with_rows_keeps_every_row(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate.upgrade(engine, "0001_initial")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO servers (name, state, version, tool_level, created_at, updated_at) "
                "VALUES ('io.github.acme/old', 'approved', 3, false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
    with session_scope(engine) as s:
        append_event(s, actor="cli", action="test.before-upgrade", subject="server:io.github.acme/old")
    migrate.upgrade(engine)
    assert migrate.current(engine) == migrate.head()
    with engine.connect() as conn:
        row = conn.execute(text("SELECT name, state, version FROM servers")).one()
    assert tuple(row) == ("io.github.acme/old", "approved", 3)
    with session_scope(engine) as s:
        check = verify_chain(s)
    assert check.ok and check.rows == 1
    migrate.upgrade(engine)  # idempotent
    engine.dispose()


def test_upgrading_keeps_look_alike_names_registered_before_names_were_case_insensitive(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate.upgrade(engine, "0002_rescans_outbox")
    with engine.begin() as conn:
        for name in ("io.github.acme/crm", "io.github.ACME/crm"):
            conn.execute(
                text(
                    "INSERT INTO servers (name, state, version, tool_level, created_at, updated_at) "
                    "VALUES (:n, 'approved', 1, false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                ),
                {"n": name},
            )
        conn.execute(
            text(
                "INSERT INTO submissions (server_id, submitted_by, source, created_at) "
                "VALUES (1, 'token:alice', '{\"url\": \"https://mcp.example.com/mcp\"}', CURRENT_TIMESTAMP)"
            )
        )
    migrate.upgrade(engine)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, name, name_key, owner FROM servers ORDER BY id")).all()
    assert [(r.name, r.name_key, r.owner) for r in rows] == [
        ("io.github.acme/crm", "io.github.acme/crm", "token:alice"),
        ("io.github.ACME/crm", f"io.github.acme/crm#{rows[1].id}", None),
    ]
    engine.dispose()
