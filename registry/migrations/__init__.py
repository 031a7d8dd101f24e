"""Alembic migrations (one linear chain; ids like ``0001_initial``)."""
