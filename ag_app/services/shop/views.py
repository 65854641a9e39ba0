"""The shop's constants, error helpers and the views its use cases return (rendering-ready DTOs)."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import col, select

from ag_app.domain import numfmt
from ag_app.domain.clock import as_utc
from ag_app.domain.errors import Conflict, DomainError, NotAllowed, NotFound
from ag_app.domain.shop import (
    ORDER_STATUS_NAMES,
    Problem,
    cancel_problem,
    order_number,
)
from ag_app.models import (
    PickupPoint,
    ShopCategory,
    ShopItem,
    ShopOrder,
    User,
)

SORTS = {
    "popular": "Сначала популярные",
    "price_asc": "Сначала дешевле",
    "price_desc": "Сначала дороже",
    "new": "Сначала новые",
}
_LIST_LIMIT = 200
_PROBLEM_ERRORS: dict[str, type[DomainError]] = {
    "shop.item_hidden": NotFound,
    "shop.status_required": NotAllowed,
    "shop.profile_incomplete": NotAllowed,
}
_MAX_PRICE = 100_000
_MAX_STOCK = 1_000_000


def _grouped(value: object) -> object:
    """Whole numbers as Russian text writes them: 1000 → «1 000» (a no-break space)."""
    return numfmt.num(value) if isinstance(value, int) else value


def _error(problem: Problem) -> DomainError:
    params = {name: _grouped(value) for name, value in problem.params.items()}
    return _PROBLEM_ERRORS.get(problem.key, Conflict)(problem.key, **params)


def _raise(problem: Problem) -> None:
    raise _error(problem)


@dataclass(frozen=True)
class CategoryView:
    id: int
    slug: str
    name: str
    fulfilment: str
    # A promo campaign's partner catalogue (None: the civic shop) and its discount category.
    campaign_id: int | None = None
    promo_category: str = ""


@dataclass(frozen=True)
class PickupPointView:
    id: int
    name: str
    address: str
    active: bool


@dataclass(frozen=True)
class ItemView:
    """An item of the catalogue as the actor sees it; ``problem`` says why they cannot order it now."""

    id: int
    category_id: int
    category: str
    fulfilment: str
    title: str
    description: str
    price: int
    stock: int
    photo: str
    open_to_all: bool
    is_pair: bool
    validity_note: str
    performance_on: date | None
    parking_points: int
    can_order: bool
    # Russian reason (empty when the item can be ordered); for guests «Войдите, чтобы заказать».
    problem: str
    visible: bool
    ordered: int
    # The part of the price the wallet's one-time discount would cover now (prize points).
    discount: int = 0


@dataclass(frozen=True)
class CatalogueView:
    categories: list[CategoryView]
    items: list[ItemView]
    pickup_points: list[PickupPointView]
    # The actor's balances (0 for guests).
    available: int
    blocked: int
    has_status: bool


@dataclass(frozen=True)
class OrderView:
    """An order as its owner (or the desk, or staff) sees it."""

    id: int
    number: str
    item_id: int
    item_title: str
    category: str
    fulfilment: str
    points: int
    status: str
    status_name: str
    ordered_at: datetime
    reserved_until: datetime | None
    pickup_point: str
    pickup_address: str
    certificate_code: str
    valid_until: datetime | None
    gift_to: str
    closed_at: datetime | None
    is_pair: bool
    performance_on: date | None
    parking_points: int
    can_cancel: bool
    # The orderer's full name: filled only for the desk and staff.
    orderer: str = ""
    # «points» (civic points) or «promo» (a campaign's prize points) and the discount used.
    wallet: str = "points"
    discount: int = 0


@dataclass(frozen=True)
class EventView:
    at: datetime
    from_status: str
    to_status: str
    actor: str


@dataclass(frozen=True)
class WeekPoints:
    """Points credited and written off in one Moscow week (Monday to Sunday)."""

    week_start: date
    earned: int
    spent: int


@dataclass(frozen=True)
class ItemOrders:
    title: str
    orders: int


@dataclass(frozen=True)
class ShopReport:
    weeks: list[WeekPoints]
    top_items: list[ItemOrders]
    orders_by_status: dict[str, int]
    blocked_points: int


def _category_view(c: ShopCategory) -> CategoryView:
    return CategoryView(
        id=c.id,
        slug=c.slug,
        name=c.name,
        fulfilment=c.fulfilment,
        campaign_id=c.campaign_id,
        promo_category=c.promo_category,
    )


def _point_view(p: PickupPoint) -> PickupPointView:
    return PickupPointView(id=p.id, name=p.name, address=p.address, active=p.active)


def _order_view(
    order: ShopOrder,
    item: ShopItem,
    category: ShopCategory,
    point: PickupPoint | None,
    *,
    now: datetime,
    orderer: str = "",
) -> OrderView:
    reserved_until = as_utc(order.reserved_until) if order.reserved_until else None
    return OrderView(
        id=order.id,
        number=order.number or order_number(order.id),
        item_id=item.id,
        item_title=item.title,
        category=category.name,
        fulfilment=order.fulfilment,
        points=order.points,
        status=order.status,
        status_name=ORDER_STATUS_NAMES[order.status],
        ordered_at=as_utc(order.ordered_at),
        reserved_until=reserved_until,
        pickup_point=point.name if point else "",
        pickup_address=point.address if point else "",
        certificate_code=order.certificate_code or "",
        valid_until=as_utc(order.valid_until) if order.valid_until else None,
        gift_to=order.gift_to,
        closed_at=as_utc(order.closed_at) if order.closed_at else None,
        is_pair=item.is_pair,
        performance_on=item.performance_on,
        parking_points=item.parking_points,
        can_cancel=cancel_problem(order.fulfilment, order.status, reserved_until, now) is None,
        orderer=orderer,
        wallet=order.wallet,
        discount=order.discount,
    )


def _full_name(user: User) -> str:
    return " ".join(
        p for p in (user.last_name, user.first_name, user.patronymic) if p.strip() not in ("", "-")
    )


def _orders_query():
    return (
        select(ShopOrder, ShopItem, ShopCategory, PickupPoint)
        .join(ShopItem, col(ShopItem.id) == ShopOrder.item_id)
        .join(ShopCategory, col(ShopCategory.id) == ShopItem.category_id)
        .join(PickupPoint, col(PickupPoint.id) == ShopOrder.pickup_point_id, isouter=True)
    )
