"""subscriptions and feedback: residents' per-topic, per-channel notification choices and feedback tickets

Additive: two new tables.

Revision ID: 0011_feedback
Revises: 0010_shop
Create Date: 2026-12-04 22:37:57
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0011_feedback"
down_revision: str | None = "0010_shop"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feedbackticket",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("topic", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["answered_by"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("feedbackticket", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedbackticket_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_feedbackticket_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_feedbackticket_user_id"), ["user_id"], unique=False)

    op.create_table(
        "subscriptionchoice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("topic", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "topic", "channel", name="uq_subscription_choice"),
    )
    with op.batch_alter_table("subscriptionchoice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_subscriptionchoice_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("subscriptionchoice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subscriptionchoice_user_id"))

    op.drop_table("subscriptionchoice")
    with op.batch_alter_table("feedbackticket", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedbackticket_user_id"))
        batch_op.drop_index(batch_op.f("ix_feedbackticket_status"))
        batch_op.drop_index(batch_op.f("ix_feedbackticket_created_at"))

    op.drop_table("feedbackticket")
