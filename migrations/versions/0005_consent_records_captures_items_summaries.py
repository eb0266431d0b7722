"""consent as a record; captures, recorded messages, counts, minute items, summaries

The two consent booleans (``members.consent``, ``user_settings.consent``) were never written
by any command, but a database may hold them: each true one becomes a ``consents`` row
(``via = migrated``) before the columns go.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("salon_id", sa.Integer(), nullable=True),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("via", sa.String(length=16), nullable=False),
        sa.Column("given_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["salon_id"], ["salons.id"], ondelete="CASCADE",
                                name=op.f("fk_consents_salon_id_salons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    op.create_index("ix_consents_user_id", "consents", ["user_id"])
    op.create_index("ix_consents_salon_id", "consents", ["salon_id"])
    consents = sa.table("consents", sa.column("user_id", sa.String), sa.column("salon_id",
                        sa.Integer), sa.column("level", sa.String), sa.column("via", sa.String),
                        sa.column("given_at", TS))
    connection = op.get_bind()
    now = datetime.now(UTC)
    members = connection.execute(sa.text(
        "SELECT user_id, salon_id FROM members WHERE consent")).all()
    settings = connection.execute(sa.text(
        "SELECT user_id FROM user_settings WHERE consent")).all()
    rows = [{"user_id": u, "salon_id": s, "level": "yes", "via": "migrated", "given_at": now}
            for u, s in members]
    rows += [{"user_id": u, "salon_id": None, "level": "yes", "via": "migrated",
              "given_at": now} for (u,) in settings]
    if rows:
        op.bulk_insert(consents, rows)
    with op.batch_alter_table("members") as batch:
        batch.drop_column("consent")
    with op.batch_alter_table("user_settings") as batch:
        batch.drop_column("consent")

    op.create_table(
        "captures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("salon_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("started_by", sa.String(length=255), nullable=True),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("ended_at", TS, nullable=True),
        sa.ForeignKeyConstraint(["salon_id"], ["salons.id"], ondelete="CASCADE",
                                name=op.f("fk_captures_salon_id_salons")),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="SET NULL",
                                name=op.f("fk_captures_meeting_id_meetings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_captures")),
    )
    op.create_index("ix_captures_salon_id", "captures", ["salon_id"])
    op.create_table(
        "recorded_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("capture_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("reply_to", sa.String(length=255), nullable=True),
        sa.Column("sent_at", TS, nullable=False),
        sa.Column("edited_at", TS, nullable=True),
        sa.Column("text_deleted_at", TS, nullable=True),
        sa.ForeignKeyConstraint(["capture_id"], ["captures.id"], ondelete="CASCADE",
                                name=op.f("fk_recorded_messages_capture_id_captures")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recorded_messages")),
        sa.UniqueConstraint("event_id", name=op.f("uq_recorded_messages_event_id")),
    )
    op.create_index("ix_recorded_messages_capture_id", "recorded_messages", ["capture_id"])
    op.create_index("ix_recorded_messages_user_id", "recorded_messages", ["user_id"])
    op.create_index("ix_recorded_messages_sent_at", "recorded_messages", ["sent_at"])
    op.create_table(
        "capture_counts",
        sa.Column("capture_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("messages", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["capture_id"], ["captures.id"], ondelete="CASCADE",
                                name=op.f("fk_capture_counts_capture_id_captures")),
        sa.PrimaryKeyConstraint("capture_id", "role", name=op.f("pk_capture_counts")),
    )
    op.create_table(
        "minute_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("salon_id", sa.Integer(), nullable=False),
        sa.Column("capture_id", sa.Integer(), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("assignee", sa.String(length=255), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("event_id", sa.String(length=255), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["salon_id"], ["salons.id"], ondelete="CASCADE",
                                name=op.f("fk_minute_items_salon_id_salons")),
        sa.ForeignKeyConstraint(["capture_id"], ["captures.id"], ondelete="SET NULL",
                                name=op.f("fk_minute_items_capture_id_captures")),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="SET NULL",
                                name=op.f("fk_minute_items_meeting_id_meetings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minute_items")),
    )
    for column in ("salon_id", "capture_id", "user_id", "assignee", "event_id"):
        op.create_index(f"ix_minute_items_{column}", "minute_items", [column])
    op.create_table(
        "summaries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("salon_id", sa.Integer(), nullable=False),
        sa.Column("capture_id", sa.Integer(), nullable=True),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["salon_id"], ["salons.id"], ondelete="CASCADE",
                                name=op.f("fk_summaries_salon_id_salons")),
        sa.ForeignKeyConstraint(["capture_id"], ["captures.id"], ondelete="SET NULL",
                                name=op.f("fk_summaries_capture_id_captures")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_summaries")),
    )
    op.create_index("ix_summaries_salon_id", "summaries", ["salon_id"])
    op.create_index("ix_summaries_capture_id", "summaries", ["capture_id"])


def downgrade() -> None:
    op.drop_index("ix_summaries_capture_id", table_name="summaries")
    op.drop_index("ix_summaries_salon_id", table_name="summaries")
    op.drop_table("summaries")
    for column in ("salon_id", "capture_id", "user_id", "assignee", "event_id"):
        op.drop_index(f"ix_minute_items_{column}", table_name="minute_items")
    op.drop_table("minute_items")
    op.drop_table("capture_counts")
    for index in ("ix_recorded_messages_sent_at", "ix_recorded_messages_user_id",
                  "ix_recorded_messages_capture_id"):
        op.drop_index(index, table_name="recorded_messages")
    op.drop_table("recorded_messages")
    op.drop_index("ix_captures_salon_id", table_name="captures")
    op.drop_table("captures")
    with op.batch_alter_table("user_settings") as batch:
        batch.add_column(sa.Column("consent", sa.Boolean(), nullable=True))
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("consent", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    connection = op.get_bind()
    connection.execute(sa.text(
        "UPDATE members SET consent = TRUE WHERE EXISTS (SELECT 1 FROM consents c WHERE "
        "c.user_id = members.user_id AND c.salon_id = members.salon_id AND c.level <> 'none')"))
    op.drop_index("ix_consents_salon_id", table_name="consents")
    op.drop_index("ix_consents_user_id", table_name="consents")
    op.drop_table("consents")
