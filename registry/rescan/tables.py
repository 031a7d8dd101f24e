"""Rescan bookkeeping: one schedule/lease row per server and one row per run.

``rescan_jobs`` is both the schedule (``next_due_at``, per-server interval) and
the lease table: a replica owns a due job only while ``lease_expires_at`` lies
in the future, and every write it makes is fenced by ``lease_token`` so a
worker whose lease expired (a long GC pause, a partition) cannot overwrite the
result of the replica that took over. Created by migration 0002.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, DateTime, Index, Text
from sqlmodel import Field, SQLModel

from registry.models import utcnow


class RescanJob(SQLModel, table=True):
    __tablename__ = "rescan_jobs"
    __table_args__ = (Index("ix_rescan_jobs_due", "next_due_at"),)
    id: int | None = Field(default=None, primary_key=True)
    server_name: str = Field(max_length=200, unique=True)
    interval_s: float = Field(default=6 * 3600.0)
    next_due_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))
    lease_owner: str | None = Field(default=None, max_length=120)
    lease_token: str | None = Field(default=None, max_length=40)
    lease_expires_at: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    attempts: int = Field(default=0)  # claims of the current due run (retries after a crash)
    consecutive_failures: int = Field(default=0)
    runs: int = Field(default=0)  # finished runs, ever
    last_status: str | None = Field(default=None, max_length=20)  # ok | drift | failed
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    last_finished_at: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))


class RescanRun(SQLModel, table=True):
    """One finished rescan: who ran it, what it found. Written in the same
    transaction that releases the lease, so a run is recorded exactly once."""

    __tablename__ = "rescan_runs"
    id: int | None = Field(default=None, primary_key=True)
    server_name: str = Field(max_length=200, index=True)
    trigger: str = Field(default="schedule", max_length=20)  # schedule | manual
    worker: str = Field(max_length=120)
    status: str = Field(max_length=20)  # ok | drift | failed
    manifest_sha256: str | None = Field(default=None, max_length=64)
    scan_id: int | None = Field(default=None)
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    started_at: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    finished_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))
