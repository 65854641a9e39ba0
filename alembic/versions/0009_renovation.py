"""renovation-type house vote: campaigns and their houses, votes per apartment with verification
and hashed check codes, general meetings' decisions that override a house's vote

Additive: four new tables.

Revision ID: 0009_renovation
Revises: 0007_house_polls
Create Date: 2026-12-04 21:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009_renovation"
down_revision: str | None = "0007_house_polls"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "renovationcampaign",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("question", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "renovationcampaignhouse",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("house_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["renovationcampaign.id"],
        ),
        sa.ForeignKeyConstraint(
            ["house_id"],
            ["house.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("campaign_id", "house_id"),
    )
    with op.batch_alter_table("renovationcampaignhouse", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_renovationcampaignhouse_house_id"), ["house_id"], unique=False)

    op.create_table(
        "renovationmeetingdecision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("house_id", sa.Integer(), nullable=False),
        sa.Column("protocol", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("for_votes", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("total_votes", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("entered_by", sa.Integer(), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "total_votes > 0 AND for_votes >= 0 AND for_votes <= total_votes",
            name="ck_renovationmeetingdecision_votes",
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["renovationcampaign.id"],
        ),
        sa.ForeignKeyConstraint(
            ["entered_by"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["house_id"],
            ["house.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("campaign_id", "house_id"),
    )
    op.create_table(
        "renovationballot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("house_id", sa.Integer(), nullable=False),
        sa.Column("premise_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("entered_by", sa.Integer(), nullable=True),
        sa.Column("person_ref", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("holder_id", sa.Integer(), nullable=False),
        sa.Column("choice", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("cast_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("reject_reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("verified_by", sa.Integer(), nullable=True),
        sa.Column("verification_due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("counted", sa.Boolean(), nullable=False),
        sa.Column("check_code_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("check_code_tail", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
        sa.CheckConstraint("NOT counted OR status = 'verified'", name="ck_renovationballot_counted_verified"),
        sa.CheckConstraint("channel IN ('online', 'in_person')", name="ck_renovationballot_channel"),
        sa.CheckConstraint("choice IN ('for', 'against')", name="ck_renovationballot_choice"),
        sa.CheckConstraint(
            "status IN ('pending', 'verified', 'rejected')", name="ck_renovationballot_status"
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["renovationcampaign.id"],
        ),
        sa.ForeignKeyConstraint(
            ["entered_by"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["house_id"],
            ["house.id"],
        ),
        sa.ForeignKeyConstraint(
            ["premise_id"],
            ["premise.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["verified_by"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("campaign_id", "premise_id", "user_id"),
        sa.UniqueConstraint("check_code_hash"),
    )
    with op.batch_alter_table("renovationballot", schema=None) as batch_op:
        batch_op.create_index("ix_renovationballot_queue", ["status", "verification_due"], unique=False)
        batch_op.create_index(
            "ix_renovationballot_tally",
            ["campaign_id", "house_id", "premise_id", "choice"],
            unique=False,
            sqlite_where=sa.text("counted"),
            postgresql_where=sa.text("counted"),
        )
        batch_op.create_index(batch_op.f("ix_renovationballot_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("renovationballot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_renovationballot_user_id"))
        batch_op.drop_index("ix_renovationballot_tally")
        batch_op.drop_index("ix_renovationballot_queue")

    op.drop_table("renovationballot")
    op.drop_table("renovationmeetingdecision")
    with op.batch_alter_table("renovationcampaignhouse", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_renovationcampaignhouse_house_id"))

    op.drop_table("renovationcampaignhouse")
    op.drop_table("renovationcampaign")
