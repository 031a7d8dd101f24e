"""Shared CLI plumbing for registry commands: the database option and engine."""

from __future__ import annotations

import argparse

from sqlalchemy.engine import Engine

from registry.db import make_engine
from registry.settings import Settings


def add_database_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database-url", help="database URL (default: MCP_TRUST_DATABASE_URL, else ./var/mcp-trust.db)"
    )


def engine_for(args: argparse.Namespace, *, migrate: bool = True) -> Engine:
    settings = Settings.from_env(database_url=getattr(args, "database_url", None))
    engine = make_engine(settings.database_url)
    if migrate:
        from registry import migrate as m

        m.upgrade(engine)
    return engine
