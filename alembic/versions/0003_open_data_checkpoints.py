"""open data: checkpoints of the sealed hash chain

Additive: a table of (poll, row number, receipt, previous hash) every K rows of a sealed poll, so
that a page of the open data or the row of one receipt is rebuilt without hashing the whole chain.

Revision ID: 0003_opendata
Revises: 0002
Create Date: 2026-11-22 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003_opendata"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pollsealcheckpoint",
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("receipt", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("prev_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.ForeignKeyConstraint(["poll_id"], ["poll.id"]),
        sa.PrimaryKeyConstraint("poll_id", "row"),
    )
    with op.batch_alter_table("pollsealcheckpoint", schema=None) as batch_op:
        batch_op.create_index("ix_pollsealcheckpoint_receipt", ["poll_id", "receipt"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pollsealcheckpoint", schema=None) as batch_op:
        batch_op.drop_index("ix_pollsealcheckpoint_receipt")
    op.drop_table("pollsealcheckpoint")
