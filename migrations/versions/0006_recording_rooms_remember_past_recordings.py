"""recording rooms remember that they recorded (active), instead of a watch row per message

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("recording_rooms") as batch:
        batch.add_column(sa.Column("active", sa.Boolean(), nullable=False,
                                   server_default=sa.true()))
    # Recorded messages no longer need a watch row each: the room is known instead.
    op.execute("DELETE FROM watched_events WHERE key LIKE 'minutes:%'")


def downgrade() -> None:
    op.execute("DELETE FROM recording_rooms WHERE NOT active")
    with op.batch_alter_table("recording_rooms") as batch:
        batch.drop_column("active")
