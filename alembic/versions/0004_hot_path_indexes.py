"""hot path: drop two indexes that duplicate the leading column of a unique key

Every ballot writes one row to ``ballot`` and one to ``pointentry``; each index is one more
B-tree insert per ballot. ``ix_ballot_poll_id`` repeats the first column of
``uq_ballot_poll_user`` (poll_id, user_id) and ``ix_pointentry_user_id`` the first column of
``uq_pointentry_once`` (user_id, reason, ref); lookups by poll or by user use the unique keys.

Revision ID: 0004_hot_path
Revises: 0003_opendata
Create Date: 2026-11-21 14:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004_hot_path"
down_revision: str | None = "0003_opendata"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ballot", schema=None) as batch_op:
        batch_op.drop_index("ix_ballot_poll_id")
    with op.batch_alter_table("pointentry", schema=None) as batch_op:
        batch_op.drop_index("ix_pointentry_user_id")


def downgrade() -> None:
    with op.batch_alter_table("pointentry", schema=None) as batch_op:
        batch_op.create_index("ix_pointentry_user_id", ["user_id"], unique=False)
    with op.batch_alter_table("ballot", schema=None) as batch_op:
        batch_op.create_index("ix_ballot_poll_id", ["poll_id"], unique=False)
