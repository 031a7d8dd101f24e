"""Engine and sessions for the two supported databases: SQLite (embedded default)
and PostgreSQL via psycopg 3 (``postgresql+psycopg://``).

SQLite runs in WAL mode with every transaction ``BEGIN IMMEDIATE``: writers queue
on the database lock up front instead of failing half-way when a read lock cannot
be upgraded, which keeps the audit hash chain and conditional state updates safe.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import NullPool
from sqlmodel import Session, create_engine


class DatabaseError(Exception):
    exit_code = 2


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


def make_engine(url: str) -> Engine:
    if not (is_sqlite(url) or is_postgres(url)):
        raise DatabaseError(
            f"unsupported database URL {url.split(':', 1)[0]!r}: use sqlite:///PATH "
            "or postgresql+psycopg://USER@HOST/DB"
        )
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if is_sqlite(url):
        return _sqlite_engine(url)
    # No pool on PostgreSQL: the hot path (verify) never touches the database, and a pool
    # outliving a disposed engine leaked connections on shutdown; a loopback connect is ~ms.
    return create_engine(url, poolclass=NullPool)


def _sqlite_engine(url: str) -> Engine:
    db_path = make_url(url).database
    if db_path and db_path != ":memory:":
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
