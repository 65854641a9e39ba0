"""The rewards shop: categories, items, pickup points, orders, their audit trail and parking accounts."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field, SQLModel

from ag_app.models._types import instant


class ShopCategory(SQLModel, table=True):
    """A catalogue category with how its orders are fulfilled (pickup/certificate/theatre/parking)."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, max_length=40)
    name: str = Field(unique=True, max_length=60)
    fulfilment: str = Field(max_length=20)
    position: int = 0
    # A promo campaign's partner catalogue (prices in its prize points); None: the civic shop.
    campaign_id: int | None = Field(default=None, foreign_key="promocampaign.id", index=True)
    # The campaign category (``domain.promo.CATEGORIES``) whose draw's discount applies here; "" for none.
    promo_category: str = Field(default="", max_length=20)


class ShopItem(SQLModel, table=True):
    """A reward: price in points and stock; stock never goes below zero (CHECK + conditional UPDATE)."""

    __table_args__ = (
        CheckConstraint("stock >= 0", name="ck_shopitem_stock"),
        CheckConstraint("price > 0", name="ck_shopitem_price"),
    )

    id: int | None = Field(default=None, primary_key=True)
    category_id: int = Field(foreign_key="shopcategory.id", index=True)
    title: str = Field(max_length=200)
    description: str = Field(default="", max_length=2000)
    price: int
    stock: int = 0
    # A file under ``assets/`` (e.g. «shop/mug.svg»), or "" for none.
    photo: str = Field(default="", max_length=200)
    visible: bool = True
    # «Доступно для заказа всем пользователям»: no status needed.
    open_to_all: bool = False
    # «Парная позиция»: one order is for two persons.
    is_pair: bool = False
    # Validity rules shown with the item, e.g. «Действует 14 дней с момента заказа».
    validity_note: str = Field(default="", max_length=300)
    # Theatres: the performance date (the certificate is exchanged up to 7 days before).
    performance_on: date | None = None
    # Parking: the parking points credited per order.
    parking_points: int = 0
    created_at: datetime = instant()


class PickupPoint(SQLModel, table=True):
    """A service centre «Мои документы» where souvenirs are picked up; inactive ones take no orders."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=200)
    address: str = Field(max_length=300)
    active: bool = True


class ShopOrder(SQLModel, table=True):
    """An order; ``points`` were blocked (reserved souvenirs) or spent (everything else)."""

    __table_args__ = (Index("ix_shoporder_status_until", "status", "reserved_until"),)

    id: int | None = Field(default=None, primary_key=True)
    # Set right after the insert from the id: what the orderer tells the pickup point.
    number: str | None = Field(default=None, unique=True, max_length=20)
    user_id: int = Field(foreign_key="user.id", index=True)
    item_id: int = Field(foreign_key="shopitem.id", index=True)
    # What was paid: civic points, or a campaign's prize points (``wallet`` «promo»).
    points: int
    wallet: str = Field(default="points", max_length=10)
    # The part of the price covered by a category draw's one-time discount (prize points).
    discount: int = 0
    # reserved / issued / cancelled / expired / certificate / credited
    status: str = Field(max_length=20)
    fulfilment: str = Field(max_length=20)
    pickup_point_id: int | None = Field(default=None, foreign_key="pickuppoint.id")
    ordered_at: datetime = instant()
    reserved_until: datetime | None = instant(nullable=True, default=None)
    certificate_code: str | None = Field(default=None, unique=True, max_length=20)
    valid_until: datetime | None = instant(nullable=True, default=None)
    # A certificate ordered as a gift: the recipient's name (the certificate stays in the orderer's name).
    gift_to: str = Field(default="", max_length=100)
    closed_at: datetime | None = instant(nullable=True, default=None)


class ShopOrderEvent(SQLModel, table=True):
    """The audit trail: every status change of an order, who made it (None: the expiry job) and when."""

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="shoporder.id", index=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    at: datetime = instant()
    from_status: str = Field(default="", max_length=20)
    to_status: str = Field(max_length=20)


class ParkingAccount(SQLModel, table=True):
    """The boundary to «Парковки Москвы»: parking points per phone number; they never expire."""

    __table_args__ = (CheckConstraint("points >= 0", name="ck_parkingaccount_points"),)

    phone: str = Field(primary_key=True, max_length=32)
    points: int = 0
    updated_at: datetime = instant()
