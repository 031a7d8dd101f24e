"""Database tables (SQLModel). Rows never cross the HTTP boundary: ``registry.api``
turns them into msgspec Structs.

Schema changes go through Alembic (``registry/migrations/versions``), never
``create_all``: the chain is linear, see ``registry/migrations/versions/0001_initial.py``.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from scanner.contract import states

# one definition of the review states and the live ones, shared with the enforcer
ServerState = states.ServerState
LIVE_STATES = states.LIVE_STATES


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _param(ctx: Any, name: str) -> str:
    return str(ctx.get_current_parameters()[name])


def _lower_param(ctx: Any, name: str) -> str:
    return _param(ctx, name).lower()


def as_utc(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


class ReviewState(enum.StrEnum):
    """A queue entry: open while ``pending`` (new submission) or ``drifted`` (re-review)."""

    PENDING = "pending"
    DRIFTED = "drifted"
    APPROVED = "approved"
    REJECTED = "rejected"
    CLOSED = "closed"  # superseded by a newer item, or the server was revoked


OPEN_REVIEW_STATES = (ReviewState.PENDING.value, ReviewState.DRIFTED.value)


class ScanStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class Server(SQLModel, table=True):
    __tablename__ = "servers"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True, max_length=200)
    # lower-cased name, unique: a case variant of an existing name is refused
    name_key: str = Field(
        default=None,
        sa_column=Column(String(200), nullable=False, unique=True, default=lambda ctx: _lower_param(ctx, "name")),
    )
    owner: str | None = Field(default=None, max_length=200)  # the person who owns the name
    state: str = Field(default=ServerState.PENDING.value, max_length=20)
    version: int = Field(default=1)  # bumped by every conditional state change
    tool_level: bool = Field(default=False)  # block only changed/added tools on drift
    approved_manifest_sha256: str | None = Field(default=None, max_length=64)
    latest_scan_id: int | None = Field(default=None)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))


class Submission(SQLModel, table=True):
    __tablename__ = "submissions"
    id: int | None = Field(default=None, primary_key=True)
    server_id: int = Field(foreign_key="servers.id", index=True)
    submitted_by: str = Field(max_length=200)
    submitted_by_person: str | None = Field(default=None, max_length=200)
    version: str | None = Field(default=None, max_length=100)
    # the source exactly as submitted: {"server_json": ...} | {"url": ...} | {"command": [...]}
    source: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))


class Scan(SQLModel, table=True):
    __tablename__ = "scans"
    id: int | None = Field(default=None, primary_key=True)
    server_id: int = Field(foreign_key="servers.id", index=True)
    submission_id: int | None = Field(default=None, foreign_key="submissions.id")
    trigger: str = Field(default="submission", max_length=20)  # submission|rescan|confirm (a gateway report)
    status: str = Field(default=ScanStatus.QUEUED.value, max_length=20, index=True)
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    report: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    manifest_sha256: str | None = Field(default=None, max_length=64)
    surface_sha256: str | None = Field(default=None, max_length=64)  # None: a tools-only report
    score: float | None = Field(default=None)
    worst_severity: str | None = Field(default=None, max_length=20)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))
    finished_at: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))


class ReviewItem(SQLModel, table=True):
    __tablename__ = "review_items"
    __table_args__ = (Index("ix_review_items_state_id", "state", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    server_id: int = Field(foreign_key="servers.id", index=True)
    submission_id: int | None = Field(default=None, foreign_key="submissions.id")
    scan_id: int | None = Field(default=None, foreign_key="scans.id")
    observation_id: int | None = Field(default=None)
    kind: str = Field(default="submission", max_length=20)  # submission | drift
    state: str = Field(default=ReviewState.PENDING.value, max_length=20)
    version: int = Field(default=1)  # optimistic concurrency: decisions are conditional
    submitted_by: str = Field(max_length=200)  # the submitting credential
    submitted_by_person: str | None = Field(default=None, max_length=200)  # four eyes: may not approve
    # sort keys for the queue, filled when the scan lands (-1: not scored yet)
    sort_score: float = Field(default=-1.0)
    sort_worst: int = Field(default=-1)
    decided_by: str | None = Field(default=None, max_length=200)
    decided_at: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    decision_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))


class Approval(SQLModel, table=True):
    __tablename__ = "approvals"
    id: int | None = Field(default=None, primary_key=True)
    server_id: int = Field(foreign_key="servers.id", index=True)
    review_id: int = Field(foreign_key="review_items.id")
    submission_id: int | None = Field(default=None)
    # the source this approval vouches for: rescans and drift confirmations use it only
    source: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    manifest_sha256: str = Field(max_length=64)
    tool_hashes: dict[str, str] = Field(sa_column=Column(JSON, nullable=False))
    # the whole surface an agent reads; None on approvals made before it was pinned (those
    # are judged on their tools alone until a reviewer confirms their surface)
    surface_sha256: str | None = Field(default=None, max_length=64)
    instructions_sha256: str | None = Field(default=None, max_length=64)
    prompt_hashes: dict[str, str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    resource_hashes: dict[str, str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    resource_template_hashes: dict[str, str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    allowed_tools: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    principals: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    tool_level: bool = Field(default=False)
    approved_by: str = Field(max_length=200)
    reason: str = Field(sa_column=Column(Text, nullable=False))
    active: bool = Field(default=True)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))


class Observation(SQLModel, table=True):
    """A manifest that differs from the approved one, as reported by a gateway or seen by the
    registry's own scan of the pinned source (only the latter drifts the server)."""

    __tablename__ = "observations"
    # one observation (so one re-review and one alert) per drifted manifest per approval
    __table_args__ = (UniqueConstraint("server_id", "approval_id", "manifest_sha256", name="uq_observation"),)
    id: int | None = Field(default=None, primary_key=True)
    server_id: int = Field(foreign_key="servers.id", index=True)
    approval_id: int = Field(foreign_key="approvals.id")
    manifest_sha256: str = Field(max_length=64)
    # the observed surface, when it was reported (a surface-only change keeps the manifest)
    surface_sha256: str | None = Field(default=None, max_length=64)
    tools: list[dict[str, Any]] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    version: str | None = Field(default=None, max_length=100)
    reported_by: str = Field(max_length=200)
    source: str = Field(default="gateway", max_length=20)  # gateway | rescan | confirm
    # a gateway's report waits for the registry's own scan of the pinned source
    scan_id: int | None = Field(default=None)
    # set once, conditionally, by whoever records the confirmed drift: one re-review, one alert
    confirmed_at: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))


class ApiToken(SQLModel, table=True):
    __tablename__ = "tokens"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    role: str = Field(max_length=20)
    # the person the token belongs to (four eyes compares people, not tokens)
    owner: str = Field(
        default=None,
        sa_column=Column(String(200), nullable=False, default=lambda ctx: "token:" + _param(ctx, "name")),
    )
    sha256: str = Field(max_length=64, unique=True)
    created_by: str = Field(default="cli", max_length=200)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))
    last_used_at: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    revoked_at: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))


class WebSession(SQLModel, table=True):
    """A signed-in web session, so signing out ends it on the server side too."""

    __tablename__ = "web_sessions"
    sid: str = Field(primary_key=True, max_length=64)
    actor: str | None = Field(default=None, max_length=200)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))
    expires_at: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    ended_at: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))


class AuditEvent(SQLModel, table=True):
    """Append-only and hash-chained; ``at`` is text so the hashed form is exact."""

    __tablename__ = "audit_events"
    id: int | None = Field(default=None, primary_key=True)
    at: str = Field(max_length=40)
    actor: str = Field(max_length=200)
    action: str = Field(max_length=60, index=True)
    subject: str = Field(max_length=300)
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    details: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)


class Alert(SQLModel, table=True):
    __tablename__ = "alerts"
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40, index=True)  # drift | decommissioned | ...
    server_name: str | None = Field(default=None, max_length=200, index=True)
    severity: str = Field(default="high", max_length=20)
    # one alert per incident: e.g. "drift:<server>:<sha>"; NULL never collides
    dedupe_key: str | None = Field(default=None, max_length=300, unique=True)
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))
    acknowledged_by: str | None = Field(default=None, max_length=200)
    acknowledged_at: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))


class RegistryState(SQLModel, table=True):
    """One row (id=1): a change counter replicas poll on SQLite, and the audit chain head
    (count and last hash) so deleting the newest audit rows is detected too."""

    __tablename__ = "registry_state"
    id: int = Field(default=1, primary_key=True)
    changes: int = Field(default=0)
    audit_count: int = Field(default=0)
    audit_head: str = Field(default="0" * 64, max_length=64)
