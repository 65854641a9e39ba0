"""The pickup desk: finding an order, issuing or refusing it, the acceptance act."""

from datetime import datetime

from sqlmodel import Session, col, select

from ag_app.domain import numfmt
from ag_app.domain.clock import as_utc
from ag_app.domain.errors import Conflict, NotFound
from ag_app.domain.house_registry import PersonData, same_person
from ag_app.domain.shop import (
    CANCELLED,
    ISSUED,
    issue_problem,
    normalize_order_number,
    order_number,
)
from ag_app.models import (
    ShopOrder,
    ShopOrderEvent,
    User,
)
from ag_app.services.access import Capability, require
from ag_app.services.notifications import notify
from ag_app.services.shop.orders import _close, _locked_order, _view_of
from ag_app.services.shop.views import OrderView, _full_name, _order_view, _orders_query, _raise
from ag_app.services.shop_act import ActData, render_act


def desk_find(
    session: Session, *, actor_id: int | None, number: str, full_name: str, now: datetime
) -> OrderView:
    """The pickup desk finds a souvenir order by its number and the orderer's full name (both must match)."""
    require(session, actor_id, Capability.SHOP_DESK)
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
    staff = require(session, actor_id, Capability.SHOP_DESK)
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
            body=f"{numfmt.num(order.points)} баллов возвращены на ваш счёт.",
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


def require_desk(session: Session, *, actor_id: int | None) -> None:
    """Refuse anybody who does not work the pickup desk (moderators, staff, administrators)."""
    require(session, actor_id, Capability.SHOP_DESK)
