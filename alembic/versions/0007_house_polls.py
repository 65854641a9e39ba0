"""«Электронный дом» house polls and informings: applications with questions and options (with
their vote counters), who took part (poll, user) and the anonymous responses (random key, no
user, no time; on SQLite without rowid) with their chosen options

Additive: six new tables.

Revision ID: 0007_house_polls
Revises: 0005_house_registry
Create Date: 2026-12-04 21:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0007_house_polls"
down_revision: str | None = "0005_house_registry"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "housepoll",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("house_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("audience", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("initiator_id", sa.Integer(), nullable=False),
        sa.Column("initiator_role", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("moderation_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decision", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("moderator_id", sa.Integer(), nullable=True),
        sa.Column("refusal_reasons", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("participants_count", sa.Integer(), nullable=False),
        sa.Column("likes", sa.Integer(), nullable=False),
        sa.Column("dislikes", sa.Integer(), nullable=False),
        sa.Column("results_published_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("decision IN ('', 'approved', 'refused')", name="ck_housepoll_decision"),
        sa.CheckConstraint("kind IN ('poll', 'informing')", name="ck_housepoll_kind"),
        sa.CheckConstraint(
            "participants_count >= 0 AND likes >= 0 AND dislikes >= 0", name="ck_housepoll_counters"
        ),
        sa.ForeignKeyConstraint(
            ["house_id"],
            ["house.id"],
        ),
        sa.ForeignKeyConstraint(
            ["initiator_id"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["moderator_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("housepoll", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_housepoll_ends_at"), ["ends_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_housepoll_house_id"), ["house_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_housepoll_initiator_id"), ["initiator_id"], unique=False)
        batch_op.create_index("ix_housepoll_queue", ["decision", "moderation_due_at"], unique=False)

    op.create_table(
        "housepollparticipant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["poll_id"],
            ["housepoll.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("poll_id", "user_id", name="uq_housepollparticipant_poll_user"),
    )
    with op.batch_alter_table("housepollparticipant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_housepollparticipant_user_id"), ["user_id"], unique=False)

    op.create_table(
        "housepollquestion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["poll_id"],
            ["housepoll.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("poll_id", "position"),
    )
    op.create_table(
        "housepollresponse",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("rating", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("apartment", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("comment", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.CheckConstraint("rating IN ('', 'like', 'dislike')", name="ck_housepollresponse_rating"),
        sa.ForeignKeyConstraint(
            ["poll_id"],
            ["housepoll.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("housepollresponse", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_housepollresponse_poll_id"), ["poll_id"], unique=False)

    op.create_table(
        "housepolloption",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.CheckConstraint("votes >= 0", name="ck_housepolloption_votes"),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["housepollquestion.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("question_id", "position"),
    )
    op.create_table(
        "housepollchoice",
        sa.Column("response_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("option_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["option_id"],
            ["housepolloption.id"],
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["housepollresponse.id"],
        ),
        sa.PrimaryKeyConstraint("response_id", "option_id"),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("housepollchoice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_housepollchoice_option_id"), ["option_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("housepollchoice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_housepollchoice_option_id"))

    op.drop_table("housepollchoice")
    op.drop_table("housepolloption")
    with op.batch_alter_table("housepollresponse", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_housepollresponse_poll_id"))

    op.drop_table("housepollresponse")
    op.drop_table("housepollquestion")
    with op.batch_alter_table("housepollparticipant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_housepollparticipant_user_id"))

    op.drop_table("housepollparticipant")
    with op.batch_alter_table("housepoll", schema=None) as batch_op:
        batch_op.drop_index("ix_housepoll_queue")
        batch_op.drop_index(batch_op.f("ix_housepoll_initiator_id"))
        batch_op.drop_index(batch_op.f("ix_housepoll_house_id"))
        batch_op.drop_index(batch_op.f("ix_housepoll_ends_at"))

    op.drop_table("housepoll")
