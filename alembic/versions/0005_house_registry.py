"""house registry: premises, their holders (owners with shares, social tenants, residents), links to
accounts, and the users acting for a management company or HOA

Additive: four new tables.

Revision ID: 0005_house_registry
Revises: 0004_hot_path
Create Date: 2026-12-04 17:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005_house_registry"
down_revision: str | None = "0004_hot_path"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "houseorganisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("house_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["house_id"],
            ["house.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("house_id", "user_id", "role"),
    )
    with op.batch_alter_table("houseorganisation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_houseorganisation_house_id"), ["house_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_houseorganisation_user_id"), ["user_id"], unique=False)

    op.create_table(
        "premise",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("house_id", sa.Integer(), nullable=False),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("area_m2", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.CheckConstraint("area_m2 > 0", name="ck_premise_area_positive"),
        sa.ForeignKeyConstraint(
            ["house_id"],
            ["house.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("house_id", "number"),
    )
    with op.batch_alter_table("premise", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_premise_house_id"), ["house_id"], unique=False)

    op.create_table(
        "premiseholder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("premise_id", sa.Integer(), nullable=False),
        sa.Column("house_id", sa.Integer(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("person_kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("person_ref", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("last_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("first_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("patronymic", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("organisation", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("share_numerator", sa.Integer(), nullable=False),
        sa.Column("share_denominator", sa.Integer(), nullable=False),
        sa.Column("account_number", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("property_number", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.CheckConstraint(
            "share_numerator > 0 AND share_denominator > 0 AND share_numerator <= share_denominator",
            name="ck_premiseholder_share",
        ),
        sa.ForeignKeyConstraint(
            ["house_id"],
            ["house.id"],
        ),
        sa.ForeignKeyConstraint(
            ["premise_id"],
            ["premise.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("premise_id", "person_ref", "role"),
    )
    with op.batch_alter_table("premiseholder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_premiseholder_account_number"), ["account_number"], unique=False)
        batch_op.create_index(batch_op.f("ix_premiseholder_house_id"), ["house_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_premiseholder_premise_id"), ["premise_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_premiseholder_property_number"), ["property_number"], unique=False
        )

    op.create_table(
        "premiselink",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("holder_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("method", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["holder_id"],
            ["premiseholder.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("holder_id", "user_id"),
    )
    with op.batch_alter_table("premiselink", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_premiselink_holder_id"), ["holder_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_premiselink_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("premiselink", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_premiselink_user_id"))
        batch_op.drop_index(batch_op.f("ix_premiselink_holder_id"))

    op.drop_table("premiselink")
    with op.batch_alter_table("premiseholder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_premiseholder_property_number"))
        batch_op.drop_index(batch_op.f("ix_premiseholder_premise_id"))
        batch_op.drop_index(batch_op.f("ix_premiseholder_house_id"))
        batch_op.drop_index(batch_op.f("ix_premiseholder_account_number"))

    op.drop_table("premiseholder")
    with op.batch_alter_table("premise", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_premise_house_id"))

    op.drop_table("premise")
    with op.batch_alter_table("houseorganisation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_houseorganisation_user_id"))
        batch_op.drop_index(batch_op.f("ix_houseorganisation_house_id"))

    op.drop_table("houseorganisation")
