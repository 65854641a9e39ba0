"""SMS codes per client: the keyed hash of the requesting client's address on each login code

Additive: one column (empty for codes sent before) and an index for the per-client window.

Revision ID: 0013_otp_client
Revises: 0012_job_runs
Create Date: 2026-12-07 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0013_otp_client"
down_revision: str | None = "0012_job_runs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("logincode", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "client_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False, server_default=""
            )
        )
        batch_op.create_index("ix_logincode_client_hash_created_at", ["client_hash", "created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("logincode", schema=None) as batch_op:
        batch_op.drop_index("ix_logincode_client_hash_created_at")
        batch_op.drop_column("client_hash")
