"""Rewards shop: categories, items, pickup points, orders with their audit trail, parking accounts.

Revision ID: 0010_shop
Revises: 0008_meetings
Create Date: 2026-12-04 22:38:46.454022
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010_shop"
down_revision: str | None = "0008_meetings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "parkingaccount",
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("points >= 0", name="ck_parkingaccount_points"),
        sa.PrimaryKeyConstraint("phone"),
    )
    op.create_table(
        "pickuppoint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "shopcategory",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("fulfilment", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
        sa.UniqueConstraint("slug"),
    )
    op.create_table(
        "shopitem",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("price", sa.Integer(), nullable=False),
        sa.Column("stock", sa.Integer(), nullable=False),
        sa.Column("photo", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("visible", sa.Boolean(), nullable=False),
        sa.Column("open_to_all", sa.Boolean(), nullable=False),
        sa.Column("is_pair", sa.Boolean(), nullable=False),
        sa.Column("validity_note", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("performance_on", sa.Date(), nullable=True),
        sa.Column("parking_points", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("price > 0", name="ck_shopitem_price"),
        sa.CheckConstraint("stock >= 0", name="ck_shopitem_stock"),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["shopcategory.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("shopitem", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shopitem_category_id"), ["category_id"], unique=False)

    op.create_table(
        "shoporder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("fulfilment", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("pickup_point_id", sa.Integer(), nullable=True),
        sa.Column("ordered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reserved_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("certificate_code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("gift_to", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["shopitem.id"],
        ),
        sa.ForeignKeyConstraint(
            ["pickup_point_id"],
            ["pickuppoint.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("certificate_code"),
        sa.UniqueConstraint("number"),
    )
    with op.batch_alter_table("shoporder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shoporder_item_id"), ["item_id"], unique=False)
        batch_op.create_index("ix_shoporder_status_until", ["status", "reserved_until"], unique=False)
        batch_op.create_index(batch_op.f("ix_shoporder_user_id"), ["user_id"], unique=False)

    op.create_table(
        "shoporderevent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("from_status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("to_status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["shoporder.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("shoporderevent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shoporderevent_order_id"), ["order_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("shoporderevent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shoporderevent_order_id"))

    op.drop_table("shoporderevent")
    with op.batch_alter_table("shoporder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shoporder_user_id"))
        batch_op.drop_index("ix_shoporder_status_until")
        batch_op.drop_index(batch_op.f("ix_shoporder_item_id"))

    op.drop_table("shoporder")
    with op.batch_alter_table("shopitem", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shopitem_category_id"))

    op.drop_table("shopitem")
    op.drop_table("shopcategory")
    op.drop_table("pickuppoint")
    op.drop_table("parkingaccount")
