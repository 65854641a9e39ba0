"""owners' meetings («ОСС»): the register of houses enabled for online meetings, meetings and their
agendas, owners' decisions (one per owner and question), the audit log of rejected decisions and
the protocol PDFs

Additive: six new tables.

Revision ID: 0008_meetings
Revises: 0009_renovation
Create Date: 2026-12-04 21:04:11
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008_meetings"
down_revision: str | None = "0009_renovation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("house_id", sa.Integer(), nullable=False),
        sa.Column("initiator_id", sa.Integer(), nullable=False),
        sa.Column("initiator_kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("in_person_address", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("protocol_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("protocol_generated_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("ends_at > starts_at", name="ck_meeting_period"),
        sa.CheckConstraint("starts_at > notified_at", name="ck_meeting_notice"),
        sa.ForeignKeyConstraint(
            ["house_id"],
            ["house.id"],
        ),
        sa.ForeignKeyConstraint(
            ["initiator_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_house_id"), ["house_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_meeting_initiator_id"), ["initiator_id"], unique=False)

    op.create_table(
        "meetinghouse",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("house_id", sa.Integer(), nullable=False),
        sa.Column("inspection_protocol", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["house_id"],
            ["house.id"],
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("house_id"),
    )
    op.create_table(
        "meetingprotocol",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
        ),
        sa.PrimaryKeyConstraint("meeting_id"),
    )
    op.create_table(
        "meetingquestion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("topic", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("threshold", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id", "position"),
    )
    op.create_table(
        "meetingdecision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("owner_ref", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("choice", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("scan_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("entered_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("channel IN ('online', 'paper')", name="ck_meetingdecision_channel"),
        sa.CheckConstraint("choice IN ('for', 'against', 'abstain')", name="ck_meetingdecision_choice"),
        sa.ForeignKeyConstraint(
            ["entered_by"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["meetingquestion.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("question_id", "owner_ref"),
    )
    with op.batch_alter_table("meetingdecision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meetingdecision_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "meetingrejection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("owner_ref", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("choice", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("scan_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("entered_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["entered_by"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["meetingquestion.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("meetingrejection", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meetingrejection_meeting_id"), ["meeting_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("meetingrejection", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meetingrejection_meeting_id"))

    op.drop_table("meetingrejection")
    with op.batch_alter_table("meetingdecision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meetingdecision_meeting_id"))

    op.drop_table("meetingdecision")
    op.drop_table("meetingquestion")
    op.drop_table("meetingprotocol")
    op.drop_table("meetinghouse")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_initiator_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_house_id"))

    op.drop_table("meeting")
