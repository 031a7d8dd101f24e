"""Scheduled rescans (schedule + lease rows, run history), webhook targets and the
alert delivery outbox.

Revision ID: 0002_rescans_outbox
Revises: 0001_initial
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_rescans_outbox"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "rescan_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("server_name", sa.String(length=200), nullable=False),
        sa.Column("interval_s", sa.Float(), nullable=False),
        _ts("next_due_at", False),
        sa.Column("lease_owner", sa.String(length=120), nullable=True),
        sa.Column("lease_token", sa.String(length=40), nullable=True),
        _ts("lease_expires_at", True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("last_status", sa.String(length=20), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        _ts("last_finished_at", True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("server_name"),
    )
    op.create_index("ix_rescan_jobs_due", "rescan_jobs", ["next_due_at"])
    op.create_table(
        "rescan_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("server_name", sa.String(length=200), nullable=False),
        sa.Column("trigger", sa.String(length=20), nullable=False),
        sa.Column("worker", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=True),
        sa.Column("scan_id", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        _ts("started_at", False),
        _ts("finished_at", False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_rescan_runs_server_name", "rescan_runs", ["server_name"])
    op.create_table(
        "webhook_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("secret", sa.String(length=200), nullable=True),
        sa.Column("kinds", sa.JSON(), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        _ts("created_at", False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "alert_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), sa.ForeignKey("alerts.id"), nullable=False),
        sa.Column("target_id", sa.Integer(), sa.ForeignKey("webhook_targets.id"), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _ts("next_attempt_at", False),
        sa.Column("lease_owner", sa.String(length=120), nullable=True),
        sa.Column("lease_token", sa.String(length=40), nullable=True),
        _ts("lease_expires_at", True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        _ts("delivered_at", True),
        _ts("created_at", False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_alert_deliveries_due", "alert_deliveries", ["status", "next_attempt_at"])
    op.create_index("ix_alert_deliveries_alert_id", "alert_deliveries", ["alert_id"])
    op.create_index("ix_alert_deliveries_target_id", "alert_deliveries", ["target_id"])


def downgrade() -> None:
    op.drop_table("alert_deliveries")
    op.drop_table("webhook_targets")
    op.drop_table("rescan_runs")
    op.drop_table("rescan_jobs")
