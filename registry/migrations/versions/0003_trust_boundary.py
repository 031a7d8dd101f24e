"""The trust boundary: server owners and case-insensitive names, the source an approval
pins and the whole surface it pins (prompts, resources, templates, instructions), token
owners (four eyes compares people), server-side web sessions, and an append-only audit
table on SQLite too.

Revision ID: 0003_trust_boundary
Revises: 0002_rescans_outbox
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_trust_boundary"
down_revision = "0002_rescans_outbox"
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("servers", schema=None) as batch_op:
        # the person who first submitted the name, or one an admin assigned
        batch_op.add_column(sa.Column("owner", sa.String(length=200), nullable=True))
        # lower-cased name: names are unique case-insensitively
        batch_op.add_column(sa.Column("name_key", sa.String(length=200), nullable=True))
    op.execute("UPDATE servers SET name_key = lower(name)")
    # Look-alikes registered before names were unique case-insensitively stay (nothing is
    # lost), each after the first keyed by its id, so no new variant of them is accepted.
    op.execute(
        "UPDATE servers SET name_key = lower(name) || '#' || CAST(id AS VARCHAR(20)) "
        "WHERE id NOT IN (SELECT min(id) FROM servers GROUP BY lower(name))"
    )
    op.execute(
        "UPDATE servers SET owner = (SELECT s.submitted_by FROM submissions s "
        "WHERE s.server_id = servers.id ORDER BY s.id LIMIT 1)"
    )
    if op.get_bind().dialect.name == "postgresql":
        # On SQLite, NOT NULL would mean rebuilding the servers table, which the rows of
        # every table that references it forbid; the model fills name_key on every insert.
        op.alter_column("servers", "name_key", existing_type=sa.String(length=200), nullable=False)
    op.create_index("ux_servers_name_key", "servers", ["name_key"], unique=True)

    with op.batch_alter_table("submissions", schema=None) as batch_op:
        # the person behind the submitting credential (token owner or OIDC subject)
        batch_op.add_column(sa.Column("submitted_by_person", sa.String(length=200), nullable=True))
    with op.batch_alter_table("review_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("submitted_by_person", sa.String(length=200), nullable=True))
    op.execute("UPDATE submissions SET submitted_by_person = submitted_by")
    op.execute("UPDATE review_items SET submitted_by_person = submitted_by")

    with op.batch_alter_table("approvals", schema=None) as batch_op:
        # the source this approval vouches for; rescans and drift confirmations use it only
        batch_op.add_column(sa.Column("source", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("submission_id", sa.Integer(), nullable=True))
        # the whole surface an agent reads (NULL: approved before it was pinned)
        batch_op.add_column(sa.Column("surface_sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("instructions_sha256", sa.String(length=64), nullable=True))
        for kind in ("prompt", "resource", "resource_template"):
            batch_op.add_column(sa.Column(f"{kind}_hashes", sa.JSON(), nullable=True))
    with op.batch_alter_table("scans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("surface_sha256", sa.String(length=64), nullable=True))
    op.execute(
        "UPDATE approvals SET submission_id = (SELECT r.submission_id FROM review_items r "
        "WHERE r.id = approvals.review_id)"
    )
    op.execute(
        "UPDATE approvals SET source = (SELECT s.source FROM submissions s WHERE s.id = approvals.submission_id)"
    )

    with op.batch_alter_table("observations", schema=None) as batch_op:
        # a gateway's report waits for the registry's confirming scan of the pinned source
        batch_op.add_column(sa.Column("scan_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("surface_sha256", sa.String(length=64), nullable=True))
    # before this revision every observation drifted its server at once: all count as confirmed
    op.execute("UPDATE observations SET confirmed_at = created_at")

    with op.batch_alter_table("tokens", schema=None) as batch_op:
        # the person the token belongs to; a token made before owners existed is its own person
        batch_op.add_column(sa.Column("owner", sa.String(length=200), nullable=True))
    op.execute("UPDATE tokens SET owner = 'token:' || name")
    with op.batch_alter_table("tokens", schema=None) as batch_op:
        batch_op.alter_column("owner", existing_type=sa.String(length=200), nullable=False)

    op.create_table(
        "web_sessions",
        sa.Column("sid", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=True),
        _ts("created_at", False),
        _ts("expires_at", False),
        _ts("ended_at", True),
        sa.PrimaryKeyConstraint("sid"),
    )

    if op.get_bind().dialect.name == "sqlite":
        # PostgreSQL refuses UPDATE/DELETE on the audit table since 0001; SQLite does now too
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
                "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
    op.drop_table("web_sessions")
    with op.batch_alter_table("tokens", schema=None) as batch_op:
        batch_op.drop_column("owner")
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.drop_column("surface_sha256")
        batch_op.drop_column("confirmed_at")
        batch_op.drop_column("scan_id")
    with op.batch_alter_table("scans", schema=None) as batch_op:
        batch_op.drop_column("surface_sha256")
    with op.batch_alter_table("approvals", schema=None) as batch_op:
        for column in ("resource_template_hashes", "resource_hashes", "prompt_hashes", "instructions_sha256"):
            batch_op.drop_column(column)
        batch_op.drop_column("surface_sha256")
        batch_op.drop_column("submission_id")
        batch_op.drop_column("source")
    with op.batch_alter_table("review_items", schema=None) as batch_op:
        batch_op.drop_column("submitted_by_person")
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_column("submitted_by_person")
    op.drop_index("ux_servers_name_key", table_name="servers")
    with op.batch_alter_table("servers", schema=None) as batch_op:
        batch_op.drop_column("name_key")
        batch_op.drop_column("owner")
