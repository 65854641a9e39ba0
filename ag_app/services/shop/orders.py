"""Ordering, cancelling and the shopper's own orders.

Points and stock move in the order's own transaction by conditional UPDATEs (``… WHERE
points_available >= price``, ``… WHERE stock > 0``), always the user's row first and then the
item's, so concurrent orders serialise on those rows and can never overspend or oversell. Every
status change of an order writes a :class:`ShopOrderEvent` (who, when, from → to).
"""

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import bindparam, insert, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from ag_app.db import reads
from ag_app.domain import numfmt
from ag_app.domain.clock import MOSCOW, as_utc
from ag_app.domain.errors import Conflict, InvalidInput, NotFound
from ag_app.domain.shop import (
    CANCELLED,
    GIFT_NAME_LIMIT,
    ISSUED,
    ORDER_STATUS_NAMES,
    PARKING,
    PICKUP,
    RESERVED,
    THEATRE,
    cancel_problem,
    certificate_valid_until,
    initial_status,
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
from ag_app.services.access import active_user, refuse_inactive
from ag_app.services.shop.catalogue import _facts, _of_catalogue
from ag_app.services.shop.views import _LIST_LIMIT, OrderView, _order_view, _orders_query, _raise
from ag_app.services.shop.wallets import CIVIC, Wallet


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
            f"{numfmt.num(order.parking_points)} парковочных баллов зачислены на счёт «Парковки Москвы» вашего номера."
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
