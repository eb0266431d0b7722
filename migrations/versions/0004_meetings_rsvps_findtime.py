"""meetings, series, RSVPs, findtime polls and their votes

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "meeting_series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("salon_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("local_time", sa.String(length=5), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=255), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["salon_id"], ["salons.id"], ondelete="CASCADE",
                                name=op.f("fk_meeting_series_salon_id_salons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_series")),
    )
    op.create_index("ix_meeting_series_salon_id", "meeting_series", ["salon_id"])
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("salon_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("place", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("starts_at", TS, nullable=False),
        sa.Column("ends_at", TS, nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=255), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["salon_id"], ["salons.id"], ondelete="CASCADE",
                                name=op.f("fk_meetings_salon_id_salons")),
        sa.ForeignKeyConstraint(["series_id"], ["meeting_series.id"], ondelete="SET NULL",
                                name=op.f("fk_meetings_series_id_meeting_series")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
        sa.UniqueConstraint("salon_id", "number", name=op.f("uq_meetings_salon_id")),
    )
    op.create_index("ix_meetings_salon_id", "meetings", ["salon_id"])
    op.create_index("ix_meetings_series_id", "meetings", ["series_id"])
    op.create_index("ix_meetings_starts_at", "meetings", ["starts_at"])
    op.create_table(
        "rsvps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("answer", sa.String(length=8), nullable=False),
        sa.Column("waitlisted", sa.Boolean(), nullable=False),
        sa.Column("via", sa.String(length=16), nullable=False),
        sa.Column("reaction_event_id", sa.String(length=255), nullable=True),
        sa.Column("answered_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="CASCADE",
                                name=op.f("fk_rsvps_meeting_id_meetings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rsvps")),
        sa.UniqueConstraint("meeting_id", "user_id", name=op.f("uq_rsvps_meeting_id")),
    )
    op.create_index("ix_rsvps_meeting_id", "rsvps", ["meeting_id"])
    op.create_index("ix_rsvps_user_id", "rsvps", ["user_id"])
    op.create_table(
        "findtime_polls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("salon_id", sa.Integer(), nullable=False),
        sa.Column("options", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=255), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("closed_at", TS, nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["salon_id"], ["salons.id"], ondelete="CASCADE",
                                name=op.f("fk_findtime_polls_salon_id_salons")),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="SET NULL",
                                name=op.f("fk_findtime_polls_meeting_id_meetings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_findtime_polls")),
    )
    op.create_index("ix_findtime_polls_salon_id", "findtime_polls", ["salon_id"])
    op.create_table(
        "poll_votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("option", sa.Integer(), nullable=False),
        sa.Column("via", sa.String(length=16), nullable=False),
        sa.Column("event_id", sa.String(length=255), nullable=True),
        sa.Column("voted_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["poll_id"], ["findtime_polls.id"], ondelete="CASCADE",
                                name=op.f("fk_poll_votes_poll_id_findtime_polls")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_poll_votes")),
    )
    op.create_index("ix_poll_votes_poll_id", "poll_votes", ["poll_id"])
    op.create_index("ix_poll_votes_user_id", "poll_votes", ["user_id"])


def downgrade() -> None:
    for index, table in (("ix_poll_votes_user_id", "poll_votes"),
                         ("ix_poll_votes_poll_id", "poll_votes")):
        op.drop_index(index, table_name=table)
    op.drop_table("poll_votes")
    op.drop_index("ix_findtime_polls_salon_id", table_name="findtime_polls")
    op.drop_table("findtime_polls")
    op.drop_index("ix_rsvps_user_id", table_name="rsvps")
    op.drop_index("ix_rsvps_meeting_id", table_name="rsvps")
    op.drop_table("rsvps")
    for index in ("ix_meetings_starts_at", "ix_meetings_series_id", "ix_meetings_salon_id"):
        op.drop_index(index, table_name="meetings")
    op.drop_table("meetings")
    op.drop_index("ix_meeting_series_salon_id", table_name="meeting_series")
    op.drop_table("meeting_series")
