"""The shop's administration: items, stock, categories, pickup points, orders and the report."""

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import text, update
from sqlmodel import Session, col, func, select

from ag_app.domain.clock import MOSCOW, as_utc, moscow_date
from ag_app.domain.errors import Conflict, DomainError, InvalidInput, NotFound
from ag_app.domain.form_check import FormCheck
from ag_app.domain.shop import (
    CANCELLED,
    FULFILMENTS,
    ORDER_STATUS_NAMES,
    PARKING,
    PICKUP,
    RESERVED,
    THEATRE,
)
from ag_app.domain.text import clean_text
from ag_app.models import (
    PickupPoint,
    ShopCategory,
    ShopItem,
    ShopOrder,
    ShopOrderEvent,
    User,
)
from ag_app.services.access import Capability, require
from ag_app.services.dashboard import moscow_day_sql
from ag_app.services.shop.catalogue import _item_views
from ag_app.services.shop.views import (
    _LIST_LIMIT,
    _MAX_PRICE,
    _MAX_STOCK,
    CategoryView,
    EventView,
    ItemOrders,
    ItemView,
    OrderView,
    PickupPointView,
    ShopReport,
    WeekPoints,
    _category_view,
    _full_name,
    _order_view,
    _orders_query,
    _point_view,
)
from ag_app.services.shop.wallets import CIVIC


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


def _title(value: str) -> str:
    title = " ".join(clean_text(value).split())
    if not title or len(title) > 200:
        raise InvalidInput("shop.title_required")
    return title


def _category(session: Session, category_id: int) -> ShopCategory:
    category = session.get(ShopCategory, category_id)
    if category is None:
        raise NotFound("shop.category_unknown")
    return category


def _short(value: str, limit: int) -> str:
    if len(clean_text(value)) > limit:
        raise InvalidInput("text.too_long", limit=limit)
    return value


def _photo(value: str) -> str:
    photo = (value or "").strip()
    if len(photo) > 200 or ".." in photo or photo.startswith("/"):
        raise InvalidInput("shop.photo_invalid")
    return photo


def save_item(
    session: Session,
    *,
    actor_id: int | None,
    item_id: int | None,
    data: ItemInput,
    now: datetime,
    prior: Mapping[str, DomainError] | None = None,
) -> ItemView:
    """Create (``item_id`` None) or change an item; the stock set here is the new number of units.

    A title, a price of 1–100 000 points, a stock of 0–1 000 000, an existing category, a
    performance date for theatres and a positive number of parking points for parking are required.
    Every field is checked at once (``prior`` are fields the form could not read): one bad field keeps
    its own sentence, several are refused together («shop.item_problems»); nothing is saved then.
    """
    require(session, actor_id, Capability.SHOP_MANAGE)
    checks = FormCheck(prior=prior)
    category = checks.run("category_id", _category, session, data.category_id)
    title = checks.run("title", _title, data.title) or ""
    price = checks.run("price", _check_int, data.price, low=1, high=_MAX_PRICE, key="shop.price_invalid")
    stock = None
    if data.stock is not None or item_id is None:
        stock = checks.run("stock", _check_int, data.stock, low=0, high=_MAX_STOCK, key="shop.stock_invalid")
    fulfilment = category.fulfilment if category is not None else None
    if fulfilment == THEATRE and data.performance_on is None and not checks.has("performance_on"):
        checks.add("performance_on", InvalidInput("shop.performance_required"))
    parking = checks.run(
        "parking_points", _check_int, data.parking_points, low=0, high=_MAX_PRICE, key="shop.parking_invalid"
    )
    if fulfilment == PARKING and parking is not None and parking < 1:
        checks.add("parking_points", InvalidInput("shop.parking_invalid"))
    photo = checks.run("photo", _photo, data.photo) or ""
    checks.run("validity_note", _short, data.validity_note, 300)
    checks.run("description", _short, data.description, 2000)
    checks.done("shop.item_problems")
    assert category is not None and price is not None and parking is not None  # every check passed
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
    require(session, actor_id, Capability.SHOP_MANAGE)
    stock = _check_int(stock, low=0, high=_MAX_STOCK, key="shop.stock_invalid")
    if not session.execute(update(ShopItem).where(ShopItem.id == item_id).values(stock=stock)).rowcount:
        raise NotFound("shop.item_not_found")
    return _changed_item(session, item_id, now)


def set_item_visible(
    session: Session, *, actor_id: int | None, item_id: int, visible: bool, now: datetime
) -> ItemView:
    """Hide an item from the catalogue or show it again; stock and the rest stay as they are."""
    require(session, actor_id, Capability.SHOP_MANAGE)
    if not session.execute(
        update(ShopItem).where(ShopItem.id == item_id).values(visible=bool(visible))
    ).rowcount:
        raise NotFound("shop.item_not_found")
    return _changed_item(session, item_id, now)


def staff_items(session: Session, *, actor_id: int | None, now: datetime) -> list[ItemView]:
    """Every item, hidden ones too, with stock and how many times it was ordered."""
    require(session, actor_id, Capability.SHOP_MANAGE)
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
    require(session, actor_id, Capability.SHOP_MANAGE)
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
    require(session, actor_id, Capability.SHOP_MANAGE)
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
    require(session, actor_id, Capability.SHOP_MANAGE)
    return [_point_view(p) for p in session.exec(select(PickupPoint).order_by(col(PickupPoint.name))).all()]


def categories(session: Session) -> list[CategoryView]:
    """The catalogue's categories in their order."""
    rows = session.exec(select(ShopCategory).order_by(col(ShopCategory.position), col(ShopCategory.id))).all()
    return [_category_view(c) for c in rows]


def staff_orders(
    session: Session, *, actor_id: int | None, now: datetime, status: str = "", limit: int = _LIST_LIMIT
) -> list[OrderView]:
    """The newest orders, optionally of one status, with the orderer's name (staff)."""
    require(session, actor_id, Capability.SHOP_DESK)
    if status and status not in ORDER_STATUS_NAMES:
        raise InvalidInput("shop.status_invalid")
    query = _orders_query().add_columns(User).join(User, col(User.id) == ShopOrder.user_id)
    if status:
        query = query.where(ShopOrder.status == status)
    rows = session.exec(query.order_by(col(ShopOrder.id).desc()).limit(min(limit, _LIST_LIMIT))).all()
    return [_order_view(o, i, c, p, now=now, orderer=_full_name(u)) for o, i, c, p, u in rows]


def order_events(session: Session, *, actor_id: int | None, order_id: int) -> list[EventView]:
    """The audit trail of one order, oldest first; the expiry job shows as «автоматически»."""
    require(session, actor_id, Capability.SHOP_DESK)
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
    require(session, actor_id, Capability.SHOP_MANAGE)
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
