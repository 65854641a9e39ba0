"""The job that ends reservations not picked up in time."""

from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import col, select

from ag_app.db import transaction
from ag_app.domain import numfmt
from ag_app.domain.shop import (
    EXPIRED,
    RESERVED,
)
from ag_app.models import (
    ShopOrder,
)
from ag_app.services.notifications import notify
from ag_app.services.shop.orders import _close


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
                    body=f"Заказ не был получен до конца брони; {numfmt.num(points)} заблокированных баллов списаны.",
                    link="/shop/orders",
                    now=now,
                    topic="shop",
                )
        total += len(due)
        if len(due) < batch:
            return total
