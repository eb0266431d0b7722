"""scheduled jobs, watched events, recording rooms; the outbox's not-before and set-aside

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

OUTBOX_COLUMNS = ("not_before", "requested_by", "watch_key", "set_aside_at", "last_error")


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("not_before", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("requested_by", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("watch_key", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("set_aside_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("last_error", sa.Text(), nullable=True))
        batch.create_index("ix_outbox_not_before", ["not_before"])

    op.create_table(
        "scheduled_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("room_id", sa.String(length=255), nullable=True),
        sa.Column("person", sa.String(length=255), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("useful_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_jobs")),
        sa.UniqueConstraint("kind", "key", name=op.f("uq_scheduled_jobs_kind")),
    )
    op.create_index("ix_scheduled_jobs_due_at", "scheduled_jobs", ["due_at"])
    op.create_index("ix_scheduled_jobs_person", "scheduled_jobs", ["person"])
    op.create_index("ix_scheduled_jobs_state", "scheduled_jobs", ["state"])

    op.create_table(
        "watched_events",
        sa.Column("event_id", sa.String(length=255), nullable=False),
        sa.Column("room_id", sa.String(length=255), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_watched_events")),
    )
    op.create_index("ix_watched_events_key", "watched_events", ["key"])

    op.create_table(
        "recording_rooms",
        sa.Column("room_id", sa.String(length=255), nullable=False),
        sa.Column("started_by", sa.String(length=255), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("room_id", name=op.f("pk_recording_rooms")),
    )


def downgrade() -> None:
    op.drop_table("recording_rooms")
    op.drop_index("ix_watched_events_key", table_name="watched_events")
    op.drop_table("watched_events")
    op.drop_index("ix_scheduled_jobs_state", table_name="scheduled_jobs")
    op.drop_index("ix_scheduled_jobs_person", table_name="scheduled_jobs")
    op.drop_index("ix_scheduled_jobs_due_at", table_name="scheduled_jobs")
    op.drop_table("scheduled_jobs")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_not_before")
        for column in reversed(OUTBOX_COLUMNS):
            batch.drop_column(column)
