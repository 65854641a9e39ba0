"""«Магазин поощрений» (SPEC §9): the catalogue, orders, the pickup desk and the reservation expiry job.

Points and stock move in the order's own transaction by conditional UPDATEs (``… WHERE
points_available >= price``, ``… WHERE stock > 0``), always the user's row first and then the
item's, so concurrent orders serialise on those rows and can never overspend or oversell. Every
status change of an order writes a :class:`ShopOrderEvent` (who, when, from → to).
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Protocol

from sqlalchemy import Engine, bindparam, insert, text, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, func, select

from ag_app.db import reads, transaction
from ag_app.domain.clock import MOSCOW, as_utc, moscow_date
from ag_app.domain.errors import Conflict, DomainError, InvalidInput, NotAllowed, NotFound
from ag_app.domain.house_registry import PersonData, same_person
from ag_app.domain.shop import (
    CANCELLED,
    EXPIRED,
    FULFILMENTS,
    GIFT_NAME_LIMIT,
    ISSUED,
    ORDER_STATUS_NAMES,
    PARKING,
    PICKUP,
    RESERVED,
    THEATRE,
    OrderFacts,
    Problem,
    cancel_problem,
    certificate_valid_until,
    has_full_name,
    initial_status,
    issue_problem,
    new_certificate_code,
    normalize_order_number,
    order_number,
    order_problem,
    reservation_deadline,
    theatre_exchange_deadline,
)
from ag_app.domain.text import clean_text
from ag_app.models import (
    ParkingAccount,
    PickupPoint,
    ShopCategory,
    ShopItem,
    ShopOrder,
    ShopOrderEvent,
    User,
)
from ag_app.services import ledger, outbox
from ag_app.services.access import active_user, refuse_inactive, require_role, require_staff
from ag_app.services.dashboard import moscow_day_sql
from ag_app.services.notifications import notify
from ag_app.services.shop_act import ActData, render_act

# Who works the pickup desk: moderators (SPEC §0: «shop pickups»), city staff and administrators.
DESK_ROLES = ("moderator", "staff")
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
    return f"{value:,}".replace(",", "\u00a0") if isinstance(value, int) else value


def _error(problem: Problem) -> DomainError:
    params = {name: _grouped(value) for name, value in problem.params.items()}
    return _PROBLEM_ERRORS.get(problem.key, Conflict)(problem.key, **params)


def _raise(problem: Problem) -> None:
    raise _error(problem)


# ---------------------------------------------------------------------------------------------- views


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


# ------------------------------------------------------------------------------------------ catalogue


def _of_catalogue(campaign_id: int | None) -> Any:
    """Categories of the civic shop (None) or of one campaign's partner catalogue."""
    column = col(ShopCategory.campaign_id)
    return column.is_(None) if campaign_id is None else column == campaign_id


def _facts(user: Any, item: Any, *, now: datetime) -> OrderFacts:
    """What decides an order: ``user`` and ``item`` are model objects or rows with their columns."""
    return OrderFacts(
        visible=item.visible,
        open_to_all=item.open_to_all,
        has_status=user is not None and user.active_citizen_since is not None,
        has_full_name=user is not None and has_full_name(user.last_name, user.first_name, user.patronymic),
        has_email=user is not None and bool(user.email.strip()),
        available_points=user.points_available if user else 0,
        price=item.price,
        stock=item.stock,
        exchange_deadline=theatre_exchange_deadline(item.performance_on) if item.performance_on else None,
        today=moscow_date(now),
    )


def _ordered_counts(session: Session) -> dict[int, int]:
    """How many times each item was ordered (cancelled orders not counted)."""
    return dict(
        session.exec(
            select(ShopOrder.item_id, func.count())
            .where(ShopOrder.status != CANCELLED)
            .group_by(ShopOrder.item_id)
        ).all()
    )


def _item_views(
    session: Session,
    items: list[tuple[ShopItem, ShopCategory]],
    user: User | None,
    *,
    now: datetime,
    wallet: "Wallet | None" = None,
) -> list[ItemView]:
    wallet = wallet or CIVIC
    ordered = _ordered_counts(session)
    views = []
    for item, category in items:
        charge = wallet.quote(item.price, category.promo_category)
        problem = (
            order_problem(wallet.adjust(_facts(user, item, now=now), charge))
            if user
            else Problem("shop.login_required")
        )
        views.append(
            ItemView(
                id=item.id,
                category_id=category.id,
                category=category.name,
                fulfilment=category.fulfilment,
                title=item.title,
                description=item.description,
                price=item.price,
                stock=item.stock,
                photo=item.photo,
                open_to_all=item.open_to_all,
                is_pair=item.is_pair,
                validity_note=item.validity_note,
                performance_on=item.performance_on,
                parking_points=item.parking_points,
                can_order=problem is None,
                problem="" if problem is None else str(wallet.refusal(problem)),
                visible=item.visible,
                ordered=ordered.get(item.id, 0),
                discount=charge.discount,
            )
        )
    return views


# --------------------------------------------------------------------------------------------- wallets


@dataclass(frozen=True)
class Charge:
    """What an order pays: ``points`` from the wallet, ``discount`` covered by a one-time discount."""

    points: int
    discount: int = 0


class Wallet(Protocol):
    """Where an order is paid from: civic points (SPEC §9) or a campaign's prize points (SPEC §10.9).

    The ordering engine is one; a wallet says which catalogue it buys from (``campaign_id``, None
    for the civic shop), what an item costs, how its balance enters the order rules, how the price
    is paid (one conditional UPDATE, so concurrent orders never overspend) and how long a
    certificate lasts.
    """

    # Stored in ``ShopOrder.wallet``.
    name: str
    campaign_id: int | None
    # Whether souvenirs (points blocked until pickup) can be paid from it.
    allows_pickup: bool

    def quote(self, price: int, promo_category: str) -> Charge:
        """What an item of ``price`` in a category with ``promo_category`` would cost now."""
        ...

    def adjust(self, facts: OrderFacts, charge: Charge) -> OrderFacts:
        """The shop's order facts with this wallet's balance, price and status rule."""
        ...

    def refusal(self, problem: Problem) -> DomainError:
        """The error a refusal of the order rules becomes."""
        ...

    def foreign_item(self) -> DomainError:
        """The error for an item outside this wallet's catalogue."""
        ...

    def pay(
        self,
        session: Session,
        *,
        user_id: int,
        order_id: int,
        number: str,
        title: str,
        price: int,
        promo_category: str,
        charge: Charge,
        fulfilment: str,
        now: datetime,
    ) -> Charge:
        """Pay the order (``charge`` as quoted); returns what was paid or raises, nothing paid."""
        ...

    def valid_until(self, fulfilment: str, default: datetime | None) -> datetime | None:
        """How long the certificate of an order lasts (``default``: the shop's rule)."""
        ...

    def confirmation(self, order: OrderView) -> tuple[str, str]:
        """The subject and first line of the confirmation e-mail."""
        ...


@dataclass(frozen=True)
class CivicWallet:
    """Civic points (SPEC §9): souvenirs block them until pickup, everything else is paid at once."""

    name: str = "points"
    campaign_id: int | None = None
    allows_pickup: bool = True

    def quote(self, price: int, promo_category: str) -> Charge:
        return Charge(price)

    def adjust(self, facts: OrderFacts, charge: Charge) -> OrderFacts:
        return facts

    def refusal(self, problem: Problem) -> DomainError:
        return _error(problem)

    def foreign_item(self) -> DomainError:
        return NotFound("shop.item_not_found")

    def pay(
        self,
        session: Session,
        *,
        user_id: int,
        order_id: int,
        number: str,
        title: str,
        price: int,
        promo_category: str,
        charge: Charge,
        fulfilment: str,
        now: datetime,
    ) -> Charge:
        if fulfilment == PICKUP:
            paid = ledger.block(session, user_id=user_id, amount=charge.points)
        else:
            paid = ledger.debit(
                session,
                user_id=user_id,
                amount=charge.points,
                reason="shop",
                ref=f"order:{order_id}",
                description=f"Заказ № {number}: {title}"[:300],
                now=now,
                from_blocked=False,
            )
        if not paid:
            available = session.connection().execute(_AVAILABLE, {"p_user": user_id}).scalar_one()
            _raise(Problem("shop.points_short", {"price": charge.points, "available": available}))
        return charge

    def valid_until(self, fulfilment: str, default: datetime | None) -> datetime | None:
        return default

    def confirmation(self, order: OrderView) -> tuple[str, str]:
        return (
            f"Заказ № {order.number} в магазине поощрений",
            f"Заказ № {order.number}: «{order.item_title}», {order.points} баллов.",
        )


CIVIC = CivicWallet()


@reads
def catalogue(
    session: Session,
    *,
    actor_id: int | None,
    now: datetime,
    category: str = "",
    sort: str = "popular",
    orderable_only: bool = False,
    wallet: Wallet | None = None,
) -> CatalogueView:
    """The visible items, optionally of one category (slug), sorted, with why each cannot be ordered.

    Guests see the catalogue too (every item then says to log in). ``orderable_only`` keeps the
    items the actor can order right now. The civic shop shows no partner category of a campaign;
    a promo ``wallet`` shows only its campaign's partner catalogue, priced for that wallet.
    """
    if sort not in SORTS:
        raise InvalidInput("shop.sort_invalid")
    wallet = wallet or CIVIC
    user = active_user(session, actor_id) if actor_id is not None else None
    categories = session.exec(
        select(ShopCategory)
        .where(_of_catalogue(wallet.campaign_id))
        .order_by(col(ShopCategory.position), col(ShopCategory.id))
    ).all()
    query = (
        select(ShopItem, ShopCategory)
        .join(ShopCategory, col(ShopCategory.id) == ShopItem.category_id)
        .where(col(ShopItem.visible).is_(True), _of_catalogue(wallet.campaign_id))
    )
    if category:
        if category not in {c.slug for c in categories}:
            raise NotFound("shop.category_unknown")
        query = query.where(ShopCategory.slug == category)
    rows = session.exec(query.order_by(col(ShopCategory.position), col(ShopItem.id))).all()
    items = _item_views(session, list(rows), user, now=now, wallet=wallet)
    if orderable_only:
        items = [i for i in items if i.can_order]
    key: Callable[[ItemView], tuple] = {
        "popular": lambda i: (-i.ordered, i.id),
        "price_asc": lambda i: (i.price, i.id),
        "price_desc": lambda i: (-i.price, i.id),
        "new": lambda i: (-i.id,),
    }[sort]
    points = session.exec(
        select(PickupPoint).where(col(PickupPoint.active).is_(True)).order_by(col(PickupPoint.name))
    ).all()
    return CatalogueView(
        categories=[_category_view(c) for c in categories],
        items=sorted(items, key=key),
        pickup_points=[_point_view(p) for p in points],
        available=user.points_available if user else 0,
        blocked=user.points_blocked if user else 0,
        has_status=bool(user and user.active_citizen_since),
    )


# ---------------------------------------------------------------------------------------------- orders


def _clean_gift(gift_to: str, fulfilment: str) -> str:
    name = " ".join(clean_text(gift_to).split())
    if not name:
        return ""
    if fulfilment == PARKING:
        raise InvalidInput("shop.gift_parking")
    if len(name) > GIFT_NAME_LIMIT:
        raise InvalidInput("shop.gift_too_long", limit=GIFT_NAME_LIMIT)
    return name


_ADD_EVENT = insert(ShopOrderEvent)


def _record(
    session: Session, order_id: int, from_status: str, to_status: str, *, actor_id: int | None, now: datetime
) -> None:
    """Write one audit-trail row for a status change (``from_status`` is empty for a new order)."""
    session.connection().execute(
        _ADD_EVENT,
        {
            "order_id": order_id,
            "actor_id": actor_id,
            "at": now,
            "from_status": from_status,
            "to_status": to_status,
        },
    )


def _credit_parking(session: Session, *, phone: str, points: int, now: datetime) -> None:
    """Add parking points to the parking account of ``phone`` (created on first use)."""
    dialect_insert = postgresql_insert if session.connection().dialect.name == "postgresql" else sqlite_insert
    statement = dialect_insert(ParkingAccount).values(phone=phone, points=points, updated_at=now)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["phone"],
            set_={"points": ParkingAccount.points + points, "updated_at": now},
        )
    )


def _confirmation(order: OrderView, first_line: str) -> str:
    lines = [first_line]
    if order.fulfilment == PICKUP:
        until = (
            order.reserved_until.astimezone(MOSCOW).strftime("%d.%m.%Y %H:%M") if order.reserved_until else ""
        )
        lines.append(
            f"Получить: {order.pickup_point}, {order.pickup_address}, до {until} (время московское)."
        )
        lines.append(
            "Для получения назовите номер заказа и ФИО оформителя. Отменить заказ можно до конца брони."
        )
    elif order.certificate_code:
        until = order.valid_until.astimezone(MOSCOW).strftime("%d.%m.%Y %H:%M") if order.valid_until else ""
        lines.append(f"Код сертификата: {order.certificate_code}, действует до {until} (время московское).")
    elif order.fulfilment == PARKING:
        lines.append(
            f"{order.parking_points} парковочных баллов зачислены на счёт «Парковки Москвы» вашего номера."
        )
    return "\n".join(lines)


# Built once (the statement cache then skips compiling): ordering is the shop's hot path.
_ITEM_FOR_ORDER = (
    select(
        ShopItem.id,
        ShopItem.title,
        ShopItem.price,
        ShopItem.stock,
        ShopItem.visible,
        ShopItem.open_to_all,
        ShopItem.is_pair,
        ShopItem.performance_on,
        ShopItem.parking_points,
        ShopCategory.name.label("category"),
        ShopCategory.fulfilment,
        ShopCategory.campaign_id,
        ShopCategory.promo_category,
    )
    .join(ShopCategory, col(ShopCategory.id) == ShopItem.category_id)
    .where(ShopItem.id == bindparam("p_item"))
)
_SHOPPER = select(
    User.id,
    User.deactivated_at,
    User.phone,
    User.last_name,
    User.first_name,
    User.patronymic,
    User.email,
    User.active_citizen_since,
    User.points_available,
).where(User.id == bindparam("p_user"))
_AVAILABLE = select(User.points_available).where(User.id == bindparam("p_user"))
_PICKUP_FOR_ORDER = select(PickupPoint.name, PickupPoint.address, PickupPoint.active).where(
    PickupPoint.id == bindparam("p_point")
)
_TAKE_UNIT = (
    update(ShopItem)
    .where(ShopItem.id == bindparam("p_item"), col(ShopItem.stock) > 0, col(ShopItem.visible).is_(True))
    .values(stock=ShopItem.stock - 1)
)
_ADD_ORDER = insert(ShopOrder).returning(ShopOrder.id)
_SET_NUMBER = (
    update(ShopOrder).where(ShopOrder.id == bindparam("p_order")).values(number=bindparam("p_number"))
)
_SET_CHARGE = (
    update(ShopOrder)
    .where(ShopOrder.id == bindparam("p_order"))
    .values(points=bindparam("p_points"), discount=bindparam("p_discount"))
)


def place_order(
    session: Session,
    *,
    actor_id: int | None,
    item_id: int,
    now: datetime,
    pickup_point_id: int | None = None,
    gift_to: str = "",
    code: Callable[[], str] = new_certificate_code,
    wallet: Wallet | None = None,
) -> OrderView:
    """Order one unit of an item (SPEC §9.2–9.4), paid from ``wallet`` (civic points by default).

    Refused with the first reason of :func:`~ag_app.domain.shop.order_problem`; an item outside the
    wallet's catalogue (a partner item for civic points, a civic or other campaign's item for prize
    points) is refused too. Souvenirs need an active pickup point and block the points for 14 days;
    certificates and parking are paid at once, certificates get a unique code, parking credits the
    parking account of the same phone. Payment, stock, order, audit row and confirmation e-mail are
    one transaction.
    """
    wallet = wallet or CIVIC
    conn = session.connection()
    user = conn.execute(_SHOPPER, {"p_user": actor_id}).first() if actor_id is not None else None
    refuse_inactive(user)
    item = conn.execute(_ITEM_FOR_ORDER, {"p_item": item_id}).first()
    if item is None:
        raise NotFound("shop.item_not_found")
    if item.campaign_id != wallet.campaign_id:
        raise wallet.foreign_item()
    fulfilment = item.fulfilment
    if fulfilment == PICKUP and not wallet.allows_pickup:
        raise wallet.foreign_item()
    gift = _clean_gift(gift_to, fulfilment)
    point = None
    if fulfilment == PICKUP:
        if pickup_point_id is None:
            raise InvalidInput("shop.pickup_required")
        point = conn.execute(_PICKUP_FOR_ORDER, {"p_point": pickup_point_id}).first()
        if point is None or not point.active:
            raise NotFound("shop.pickup_unknown")
    charge = wallet.quote(item.price, item.promo_category)
    problem = order_problem(wallet.adjust(_facts(user, item, now=now), charge))
    if problem is not None:
        raise wallet.refusal(problem)
    status = initial_status(fulfilment)
    reserved_until = valid_until = certificate = None
    if fulfilment == PICKUP:
        reserved_until = reservation_deadline(now)
    elif fulfilment == THEATRE:
        certificate = code()
        last_day = theatre_exchange_deadline(item.performance_on) + timedelta(days=1)
        valid_until = datetime.combine(last_day, time(), tzinfo=MOSCOW).astimezone(UTC)
    elif fulfilment != PARKING:
        certificate = code()
        valid_until = certificate_valid_until(now)
    valid_until = wallet.valid_until(fulfilment, valid_until)
    order_id = conn.execute(
        _ADD_ORDER,
        {
            "user_id": user.id,
            "item_id": item.id,
            "points": charge.points,
            "wallet": wallet.name,
            "discount": charge.discount,
            "status": status,
            "fulfilment": fulfilment,
            "pickup_point_id": pickup_point_id if point else None,
            "ordered_at": now,
            "reserved_until": reserved_until,
            "certificate_code": certificate,
            "valid_until": valid_until,
            "gift_to": gift,
        },
    ).scalar_one()
    number = order_number(order_id)
    # The payer's row first, then the item's: concurrent orders serialise without deadlocks.
    paid = wallet.pay(
        session,
        user_id=user.id,
        order_id=order_id,
        number=number,
        title=item.title,
        price=item.price,
        promo_category=item.promo_category,
        charge=charge,
        fulfilment=fulfilment,
        now=now,
    )
    if paid != charge:
        # A concurrent order used the discount up between the quote and the payment.
        conn.execute(_SET_CHARGE, {"p_order": order_id, "p_points": paid.points, "p_discount": paid.discount})
    if conn.execute(_TAKE_UNIT, {"p_item": item.id}).rowcount != 1:
        raise Conflict("shop.out_of_stock")
    conn.execute(_SET_NUMBER, {"p_order": order_id, "p_number": number})
    _record(session, order_id, "", status, actor_id=user.id, now=now)
    if fulfilment == PARKING:
        _credit_parking(session, phone=user.phone, points=item.parking_points, now=now)
    view = OrderView(
        id=order_id,
        number=number,
        item_id=item.id,
        item_title=item.title,
        category=item.category,
        fulfilment=fulfilment,
        points=paid.points,
        status=status,
        status_name=ORDER_STATUS_NAMES[status],
        ordered_at=as_utc(now),
        reserved_until=reserved_until,
        pickup_point=point.name if point else "",
        pickup_address=point.address if point else "",
        certificate_code=certificate or "",
        valid_until=valid_until,
        gift_to=gift,
        closed_at=None,
        is_pair=item.is_pair,
        performance_on=item.performance_on,
        parking_points=item.parking_points,
        can_cancel=cancel_problem(fulfilment, status, reserved_until, now) is None,
        wallet=wallet.name,
        discount=paid.discount,
    )
    if user.email:
        subject, first_line = wallet.confirmation(view)
        outbox.send_email(
            session,
            to=user.email,
            subject=subject,
            body=_confirmation(view, first_line),
            now=now,
            user_id=user.id,
            topic="shop",
        )
    return view


def _locked_order(session: Session, order_id: int) -> ShopOrder | None:
    return session.exec(select(ShopOrder).where(ShopOrder.id == order_id).with_for_update()).first()


def _close(
    session: Session,
    order: ShopOrder,
    to_status: str,
    *,
    actor_id: int | None,
    now: datetime,
) -> None:
    """Move a reserved souvenir to ``issued``, ``cancelled`` or ``expired`` with its points and stock.

    Cancelled: the blocked points return to the available balance and the unit to stock. Issued or
    expired: the blocked points are written off with a ledger row.
    """
    _record(session, order.id, order.status, to_status, actor_id=actor_id, now=now)
    moved = session.execute(
        update(ShopOrder)
        .where(ShopOrder.id == order.id, ShopOrder.status == RESERVED)
        .values(status=to_status, closed_at=now)
    ).rowcount
    if moved != 1:  # pragma: no cover - the row is locked and was checked just before
        raise Conflict("shop.order_cancelled")
    if to_status == CANCELLED:
        ledger.unblock(session, user_id=order.user_id, amount=order.points)
        session.execute(update(ShopItem).where(ShopItem.id == order.item_id).values(stock=ShopItem.stock + 1))
    else:
        what = "получен" if to_status == ISSUED else "аннулирован: не получен в срок"
        ledger.debit(
            session,
            user_id=order.user_id,
            amount=order.points,
            reason="shop",
            ref=f"order:{order.id}",
            description=f"Заказ № {order.number} {what}",
            now=now,
            from_blocked=True,
        )
    session.expire(order)
    session.flush()


def _view_of(session: Session, order_id: int, *, now: datetime, orderer: str = "") -> OrderView:
    order, item, category, point = session.exec(_orders_query().where(ShopOrder.id == order_id)).one()
    return _order_view(order, item, category, point, now=now, orderer=orderer)


def cancel_order(session: Session, *, actor_id: int | None, order_id: int, now: datetime) -> OrderView:
    """The orderer cancels a reserved souvenir before its reservation ends: points and stock return at once.

    Somebody else's order is «не найден»; certificates and parking are final; an issued, cancelled
    or annulled order cannot be cancelled.
    """
    user = active_user(session, actor_id)
    order = _locked_order(session, order_id)
    if order is None or order.user_id != user.id:
        raise NotFound("shop.order_not_found")
    problem = cancel_problem(
        order.fulfilment, order.status, order.reserved_until and as_utc(order.reserved_until), now
    )
    if problem is not None:
        _raise(problem)
    _close(session, order, CANCELLED, actor_id=user.id, now=now)
    return _view_of(session, order.id, now=now)


@reads
def my_orders(
    session: Session,
    *,
    actor_id: int | None,
    now: datetime,
    limit: int = _LIST_LIMIT,
    campaign_id: int | None = None,
) -> list[OrderView]:
    """«История заказов»: the actor's orders of the civic shop (or of one campaign's partner
    catalogue), newest first."""
    user = active_user(session, actor_id)
    rows = session.exec(
        _orders_query()
        .where(ShopOrder.user_id == user.id, _of_catalogue(campaign_id))
        .order_by(col(ShopOrder.ordered_at).desc(), col(ShopOrder.id).desc())
        .limit(min(limit, _LIST_LIMIT))
    ).all()
    return [_order_view(*row, now=now) for row in rows]


@reads
def my_order(session: Session, *, actor_id: int | None, number: str, now: datetime) -> OrderView:
    """One of the actor's orders by its number (the certificate page); anybody else's is «не найден»."""
    user = active_user(session, actor_id)
    wanted = normalize_order_number(number or "")[:20]
    row = session.exec(
        _orders_query().where(ShopOrder.number == wanted, ShopOrder.user_id == user.id)
    ).first()
    if row is None:
        raise NotFound("shop.order_not_found")
    return _order_view(*row, now=now)


# ------------------------------------------------------------------------------------------------ desk


def desk_find(
    session: Session, *, actor_id: int | None, number: str, full_name: str, now: datetime
) -> OrderView:
    """The pickup desk finds a souvenir order by its number and the orderer's full name (both must match)."""
    require_role(session, actor_id, *DESK_ROLES)
    wanted = normalize_order_number(number or "")[:20]
    row = (
        session.exec(
            _orders_query()
            .add_columns(User)
            .join(User, col(User.id) == ShopOrder.user_id)
            .where(ShopOrder.number == wanted)
        ).first()
        if wanted
        else None
    )
    if row is None:
        raise NotFound("shop.desk_not_found")
    order, item, category, point, orderer = row
    typed = PersonData.from_full_name((full_name or "")[:300])
    orderer_name = PersonData(orderer.last_name, orderer.first_name, orderer.patronymic)
    if not same_person(orderer_name, typed, compare_birth_date=False):
        raise NotFound("shop.desk_not_found")
    return _order_view(order, item, category, point, now=now, orderer=_full_name(orderer))


def _desk_close(
    session: Session, *, actor_id: int | None, order_id: int, to_status: str, now: datetime
) -> OrderView:
    staff = require_role(session, actor_id, *DESK_ROLES)
    order = _locked_order(session, order_id)
    if order is None:
        raise NotFound("shop.order_not_found")
    problem = issue_problem(
        order.fulfilment, order.status, order.reserved_until and as_utc(order.reserved_until), now
    )
    if problem is not None:
        _raise(problem)
    _close(session, order, to_status, actor_id=staff.id, now=now)
    orderer = session.get(User, order.user_id)
    if to_status == CANCELLED:
        notify(
            session,
            user_id=order.user_id,
            title=f"Заказ № {order.number} отменён в пункте выдачи",
            body=f"{order.points} баллов возвращены на ваш счёт.",
            link="/shop/orders",
            now=now,
            topic="shop",
        )
    return _view_of(session, order.id, now=now, orderer=_full_name(orderer))


def desk_issue(session: Session, *, actor_id: int | None, order_id: int, now: datetime) -> OrderView:
    """Hand a reserved souvenir out (the acceptance act): its blocked points are written off; after
    that it can be neither cancelled nor returned."""
    return _desk_close(session, actor_id=actor_id, order_id=order_id, to_status=ISSUED, now=now)


def desk_refuse(session: Session, *, actor_id: int | None, order_id: int, now: datetime) -> OrderView:
    """The person refused the souvenir at the desk (size, defect): the order is cancelled, points and stock return."""
    return _desk_close(session, actor_id=actor_id, order_id=order_id, to_status=CANCELLED, now=now)


def acceptance_act(session: Session, *, actor_id: int | None, order_id: int) -> bytes:
    """The printable acceptance act (PDF) of a souvenir handed out at the desk; only issued orders have one.

    The moment and the desk worker come from the order's audit row of the issue.
    """
    require_desk(session, actor_id=actor_id)
    row = session.exec(
        _orders_query()
        .add_columns(User)
        .join(User, col(User.id) == ShopOrder.user_id)
        .where(ShopOrder.id == order_id)
    ).first()
    if row is None:
        raise NotFound("shop.order_not_found")
    order, item, category, point, orderer = row
    issue = session.exec(
        select(ShopOrderEvent, User)
        .join(User, col(User.id) == ShopOrderEvent.actor_id, isouter=True)
        .where(ShopOrderEvent.order_id == order.id, ShopOrderEvent.to_status == ISSUED)
    ).first()
    if order.status != ISSUED or issue is None or point is None:
        raise Conflict("shop.act_not_issued")
    event, worker = issue
    return render_act(
        ActData(
            number=order.number or order_number(order.id),
            issued_at=as_utc(event.at),
            pickup_point=point.name,
            pickup_address=point.address,
            item_title=item.title,
            category=category.name,
            points=order.points,
            orderer=_full_name(orderer),
            gift_to=order.gift_to,
            issued_by=(_full_name(worker) or f"сотрудник № {worker.id}") if worker else "—",
        )
    )


# ------------------------------------------------------------------------------------------------ jobs


def expire_reservations(*, now: datetime, engine: Engine | None = None, batch: int = 200) -> int:
    """Annul every souvenir reservation whose deadline has passed; their blocked points are lost.

    Idempotent and safe with several workers: each batch claims due orders with ``FOR UPDATE SKIP
    LOCKED`` (SQLite transactions hold the write lock), moves only orders still reserved and takes
    the owners' rows in user id order (two runs never wait on each other in a cycle). The
    owner gets a notification. Returns how many orders this run annulled.
    """
    total = 0
    while True:
        with transaction(engine) as session:
            due = session.exec(
                select(ShopOrder)
                .where(ShopOrder.status == RESERVED, col(ShopOrder.reserved_until) <= now)
                .order_by(col(ShopOrder.id))
                .limit(batch)
                .with_for_update(skip_locked=True)
            ).all()
            # Users' rows are locked in id order, so runs that split the due orders cannot deadlock.
            for order in sorted(due, key=lambda o: (o.user_id, o.id)):
                number, user_id, points = order.number, order.user_id, order.points
                _close(session, order, EXPIRED, actor_id=None, now=now)
                notify(
                    session,
                    user_id=user_id,
                    title=f"Заказ № {number} аннулирован",
                    body=f"Заказ не был получен до конца брони; {points} заблокированных баллов списаны.",
                    link="/shop/orders",
                    now=now,
                    topic="shop",
                )
        total += len(due)
        if len(due) < batch:
            return total


# ----------------------------------------------------------------------------------------------- staff


def _check_int(value: object, *, low: int, high: int, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(key)
    return value


@dataclass(frozen=True)
class ItemInput:
    """What staff enter for an item."""

    category_id: int
    title: str
    price: int
    # The number of units; None when changing an item keeps its current stock (orders may have
    # taken units since the form was filled).
    stock: int | None
    description: str = ""
    photo: str = ""
    visible: bool = True
    open_to_all: bool = False
    is_pair: bool = False
    validity_note: str = ""
    performance_on: date | None = None
    parking_points: int = 0


def save_item(
    session: Session, *, actor_id: int | None, item_id: int | None, data: ItemInput, now: datetime
) -> ItemView:
    """Create (``item_id`` None) or change an item; the stock set here is the new number of units.

    A title, a price of 1–100 000 points, a stock of 0–1 000 000, an existing category, a
    performance date for theatres and a positive number of parking points for parking are required.
    """
    require_staff(session, actor_id=actor_id)
    title = " ".join(clean_text(data.title).split())
    if not title or len(title) > 200:
        raise InvalidInput("shop.title_required")
    price = _check_int(data.price, low=1, high=_MAX_PRICE, key="shop.price_invalid")
    stock = None
    if data.stock is not None or item_id is None:
        stock = _check_int(data.stock, low=0, high=_MAX_STOCK, key="shop.stock_invalid")
    category = session.get(ShopCategory, data.category_id)
    if category is None:
        raise NotFound("shop.category_unknown")
    if category.fulfilment == THEATRE and data.performance_on is None:
        raise InvalidInput("shop.performance_required")
    parking = _check_int(data.parking_points, low=0, high=_MAX_PRICE, key="shop.parking_invalid")
    if category.fulfilment == PARKING and parking < 1:
        raise InvalidInput("shop.parking_invalid")
    for value, limit in ((data.description, 2000), (data.validity_note, 300)):
        if len(clean_text(value)) > limit:
            raise InvalidInput("text.too_long", limit=limit)
    photo = (data.photo or "").strip()
    if len(photo) > 200 or ".." in photo or photo.startswith("/"):
        raise InvalidInput("shop.photo_invalid")
    if item_id is None:
        item = ShopItem(category_id=category.id, title=title, price=price, stock=stock, created_at=now)
    else:
        item = session.exec(select(ShopItem).where(ShopItem.id == item_id).with_for_update()).first()
        if item is None:
            raise NotFound("shop.item_not_found")
    item.category_id, item.title, item.price = category.id, title, price
    if stock is not None:
        item.stock = stock
    item.description, item.photo, item.validity_note = (
        data.description.strip(),
        photo,
        data.validity_note.strip(),
    )
    item.visible, item.open_to_all, item.is_pair = (
        bool(data.visible),
        bool(data.open_to_all),
        bool(data.is_pair),
    )
    item.performance_on = data.performance_on if category.fulfilment == THEATRE else None
    item.parking_points = parking if category.fulfilment == PARKING else 0
    session.add(item)
    session.flush()
    return _item_views(session, [(item, category)], None, now=now)[0]


def _changed_item(session: Session, item_id: int, now: datetime) -> ItemView:
    row = session.exec(
        select(ShopItem, ShopCategory)
        .join(ShopCategory, col(ShopCategory.id) == ShopItem.category_id)
        .where(ShopItem.id == item_id)
    ).first()
    if row is None:
        raise NotFound("shop.item_not_found")
    session.refresh(row[0])
    return _item_views(session, [row], None, now=now)[0]


def set_item_stock(
    session: Session, *, actor_id: int | None, item_id: int, stock: int, now: datetime
) -> ItemView:
    """Staff count the units on hand: the item's stock becomes ``stock`` (0–1 000 000), nothing else changes."""
    require_staff(session, actor_id=actor_id)
    stock = _check_int(stock, low=0, high=_MAX_STOCK, key="shop.stock_invalid")
    if not session.execute(update(ShopItem).where(ShopItem.id == item_id).values(stock=stock)).rowcount:
        raise NotFound("shop.item_not_found")
    return _changed_item(session, item_id, now)


def set_item_visible(
    session: Session, *, actor_id: int | None, item_id: int, visible: bool, now: datetime
) -> ItemView:
    """Hide an item from the catalogue or show it again; stock and the rest stay as they are."""
    require_staff(session, actor_id=actor_id)
    if not session.execute(
        update(ShopItem).where(ShopItem.id == item_id).values(visible=bool(visible))
    ).rowcount:
        raise NotFound("shop.item_not_found")
    return _changed_item(session, item_id, now)


def require_desk(session: Session, *, actor_id: int | None) -> None:
    """Refuse anybody who does not work the pickup desk (moderators, staff, administrators)."""
    require_role(session, actor_id, *DESK_ROLES)


def staff_items(session: Session, *, actor_id: int | None, now: datetime) -> list[ItemView]:
    """Every item, hidden ones too, with stock and how many times it was ordered."""
    require_staff(session, actor_id=actor_id)
    rows = session.exec(
        select(ShopItem, ShopCategory)
        .join(ShopCategory, col(ShopCategory.id) == ShopItem.category_id)
        .order_by(col(ShopCategory.position), col(ShopItem.id))
    ).all()
    return _item_views(session, list(rows), None, now=now)


def save_category(
    session: Session, *, actor_id: int | None, category_id: int | None, name: str, fulfilment: str
) -> CategoryView:
    """Create or rename a category; its fulfilment is one of pickup/certificate/theatre/parking."""
    require_staff(session, actor_id=actor_id)
    name = " ".join(clean_text(name).split())
    if not name or len(name) > 60 or fulfilment not in FULFILMENTS:
        raise InvalidInput("shop.category_invalid")
    # Compared in Python: SQLite's lower() knows only ASCII letters (a dozen categories at most).
    existing = session.exec(select(ShopCategory)).all()
    if any(c.name.casefold() == name.casefold() and c.id != category_id for c in existing):
        raise Conflict("shop.category_taken")
    if category_id is None:
        position = session.exec(select(func.coalesce(func.max(ShopCategory.position), 0))).one() + 1
        slug = f"c{secrets.token_hex(4)}"
        category = ShopCategory(slug=slug, name=name, fulfilment=fulfilment, position=position)
    else:
        category = session.get(ShopCategory, category_id)
        if category is None:
            raise NotFound("shop.category_unknown")
        if (
            category.fulfilment != fulfilment
            and session.exec(select(ShopItem.id).where(ShopItem.category_id == category.id)).first()
        ):
            raise Conflict("shop.category_in_use")
        if category.campaign_id is not None and fulfilment == PICKUP:
            # Prize points are paid at once: a partner reward is never reserved for pickup.
            raise InvalidInput("promo.partner_pickup")
        category.name, category.fulfilment = name, fulfilment
    session.add(category)
    session.flush()
    return _category_view(category)


def save_pickup_point(
    session: Session, *, actor_id: int | None, point_id: int | None, name: str, address: str, active: bool
) -> PickupPointView:
    """Create or change a pickup point; an inactive one takes no new orders (existing ones stay)."""
    require_staff(session, actor_id=actor_id)
    name, address = " ".join(clean_text(name).split()), " ".join(clean_text(address).split())
    if not name or not address or len(name) > 200 or len(address) > 300:
        raise InvalidInput("shop.pickup_invalid")
    clash = session.exec(select(PickupPoint).where(PickupPoint.name == name)).first()
    if clash is not None and clash.id != point_id:
        raise Conflict("shop.pickup_taken")
    if point_id is None:
        point = PickupPoint(name=name, address=address, active=bool(active))
    else:
        point = session.get(PickupPoint, point_id)
        if point is None:
            raise NotFound("shop.pickup_unknown")
        point.name, point.address, point.active = name, address, bool(active)
    session.add(point)
    session.flush()
    return _point_view(point)


def pickup_points(session: Session, *, actor_id: int | None) -> list[PickupPointView]:
    """Every pickup point, inactive ones too (staff)."""
    require_staff(session, actor_id=actor_id)
    return [_point_view(p) for p in session.exec(select(PickupPoint).order_by(col(PickupPoint.name))).all()]


def categories(session: Session) -> list[CategoryView]:
    """The catalogue's categories in their order."""
    rows = session.exec(select(ShopCategory).order_by(col(ShopCategory.position), col(ShopCategory.id))).all()
    return [_category_view(c) for c in rows]


def staff_orders(
    session: Session, *, actor_id: int | None, now: datetime, status: str = "", limit: int = _LIST_LIMIT
) -> list[OrderView]:
    """The newest orders, optionally of one status, with the orderer's name (staff)."""
    require_role(session, actor_id, *DESK_ROLES)
    if status and status not in ORDER_STATUS_NAMES:
        raise InvalidInput("shop.status_invalid")
    query = _orders_query().add_columns(User).join(User, col(User.id) == ShopOrder.user_id)
    if status:
        query = query.where(ShopOrder.status == status)
    rows = session.exec(query.order_by(col(ShopOrder.id).desc()).limit(min(limit, _LIST_LIMIT))).all()
    return [_order_view(o, i, c, p, now=now, orderer=_full_name(u)) for o, i, c, p, u in rows]


def order_events(session: Session, *, actor_id: int | None, order_id: int) -> list[EventView]:
    """The audit trail of one order, oldest first; the expiry job shows as «автоматически»."""
    require_role(session, actor_id, *DESK_ROLES)
    rows = session.exec(
        select(ShopOrderEvent, User)
        .join(User, col(User.id) == ShopOrderEvent.actor_id, isouter=True)
        .where(ShopOrderEvent.order_id == order_id)
        .order_by(col(ShopOrderEvent.id))
    ).all()
    return [
        EventView(
            at=as_utc(e.at),
            from_status=ORDER_STATUS_NAMES.get(e.from_status, "—"),
            to_status=ORDER_STATUS_NAMES[e.to_status],
            actor=(_full_name(u) or f"сотрудник № {u.id}") if u else "автоматически",
        )
        for e, u in rows
    ]


def shop_report(session: Session, *, actor_id: int | None, now: datetime, weeks: int = 12) -> ShopReport:
    """Points credited vs written off per Moscow week (the last ``weeks`` weeks), the most ordered
    items, orders per status and the points blocked by reservations now (civic-point orders only:
    prize-point exchanges are the promo dashboard's)."""
    require_staff(session, actor_id=actor_id)
    monday = moscow_date(now) - timedelta(days=moscow_date(now).weekday())
    first = monday - timedelta(weeks=weeks - 1)
    start = datetime.combine(first, time(), tzinfo=MOSCOW).astimezone(UTC)
    conn = session.connection()
    day = moscow_day_sql(conn.dialect.name, "created_at")
    rows = conn.execute(
        text(
            f"SELECT {day} AS d, SUM(CASE WHEN amount > 0 THEN amount ELSE 0 END), "
            "SUM(CASE WHEN amount < 0 THEN -amount ELSE 0 END) FROM pointentry "
            "WHERE created_at >= :start GROUP BY d"
        ).bindparams(start=start),
    ).all()
    earned = {first + timedelta(weeks=w): 0 for w in range(weeks)}
    spent = dict(earned)
    for day_text, plus, minus in rows:
        d = date.fromisoformat(str(day_text)[:10])
        week = d - timedelta(days=d.weekday())
        if week in earned:
            earned[week] += int(plus or 0)
            spent[week] += int(minus or 0)
    top = session.exec(
        select(ShopItem.title, func.count())
        .join(ShopOrder, col(ShopOrder.item_id) == ShopItem.id)
        .where(ShopOrder.status != CANCELLED, ShopOrder.wallet == CIVIC.name)
        .group_by(ShopItem.id, ShopItem.title)
        .order_by(func.count().desc(), col(ShopItem.id))
        .limit(10)
    ).all()
    by_status = dict(
        session.exec(
            select(ShopOrder.status, func.count())
            .where(ShopOrder.wallet == CIVIC.name)
            .group_by(ShopOrder.status)
        ).all()
    )
    blocked = session.exec(
        select(func.coalesce(func.sum(ShopOrder.points), 0)).where(
            ShopOrder.status == RESERVED, ShopOrder.wallet == CIVIC.name
        )
    ).one()
    return ShopReport(
        weeks=[WeekPoints(week_start=w, earned=earned[w], spent=spent[w]) for w in sorted(earned)],
        top_items=[ItemOrders(title=t, orders=n) for t, n in top],
        orders_by_status={ORDER_STATUS_NAMES[s]: by_status.get(s, 0) for s in ORDER_STATUS_NAMES},
        blocked_points=int(blocked),
    )
