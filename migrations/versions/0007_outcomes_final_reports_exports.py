"""outcomes and their history, final reports, the export log, installation secrets

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("salon_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=255), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("answered_at", TS, nullable=True),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["salon_id"], ["salons.id"], ondelete="CASCADE",
                                name=op.f("fk_outcomes_salon_id_salons")),
        sa.ForeignKeyConstraint(["item_id"], ["minute_items.id"], ondelete="SET NULL",
                                name=op.f("fk_outcomes_item_id_minute_items")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcomes")),
    )
    op.create_index("ix_outcomes_salon_id", "outcomes", ["salon_id"])
    op.create_index("ix_outcomes_status", "outcomes", ["status"])
    op.create_index("ix_outcomes_created_at", "outcomes", ["created_at"])
    op.create_table(
        "outcome_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("by_user", sa.String(length=255), nullable=True),
        sa.Column("by_role", sa.String(length=16), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.ForeignKeyConstraint(["outcome_id"], ["outcomes.id"], ondelete="CASCADE",
                                name=op.f("fk_outcome_events_outcome_id_outcomes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome_events")),
    )
    op.create_index("ix_outcome_events_outcome_id", "outcome_events", ["outcome_id"])
    op.create_index("ix_outcome_events_at", "outcome_events", ["at"])
    op.create_table(
        "final_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("salon_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["salon_id"], ["salons.id"], ondelete="CASCADE",
                                name=op.f("fk_final_reports_salon_id_salons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_final_reports")),
        sa.UniqueConstraint("salon_id", name=op.f("uq_final_reports_salon_id")),
    )
    op.create_table(
        "exports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("by_user", sa.String(length=255), nullable=True),
        sa.Column("via", sa.String(length=16), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("since", TS, nullable=True),
        sa.Column("salon_id", sa.Integer(), nullable=True),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["salon_id"], ["salons.id"], ondelete="SET NULL",
                                name=op.f("fk_exports_salon_id_salons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exports")),
    )
    op.create_index("ix_exports_created_at", "exports", ["created_at"])
    op.create_table(
        "installation_secrets",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=255), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_installation_secrets")),
    )


def downgrade() -> None:
    op.drop_table("installation_secrets")
    op.drop_index("ix_exports_created_at", table_name="exports")
    op.drop_table("exports")
    op.drop_table("final_reports")
    op.drop_index("ix_outcome_events_at", table_name="outcome_events")
    op.drop_index("ix_outcome_events_outcome_id", table_name="outcome_events")
    op.drop_table("outcome_events")
    op.drop_index("ix_outcomes_created_at", table_name="outcomes")
    op.drop_index("ix_outcomes_status", table_name="outcomes")
    op.drop_index("ix_outcomes_salon_id", table_name="outcomes")
    op.drop_table("outcomes")
