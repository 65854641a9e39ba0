"""«Магазин поощрений» over the REST API: the catalogue, ordering, the order history and cancelling.

Thin: every route calls one use case of :mod:`ag_app.services.shop` with the actor taken from the
bearer token only; refusals are the services' Russian messages with their status codes.
"""

from datetime import datetime

from fastapi import APIRouter, Depends, Path, Query, status
from pydantic import BaseModel, Field
from sqlmodel import Session

from ag_app.api.deps import actor_id, clock, db
from ag_app.api.params import Id
from ag_app.domain.shop import GIFT_NAME_LIMIT
from ag_app.services import shop
from ag_app.services.shop import CatalogueView, OrderView

router = APIRouter(tags=["Магазин поощрений"])


class OrderIn(BaseModel):
    """An order: the item, the pickup point (souvenirs) and, for a certificate, whom it is a gift to."""

    item_id: Id
    pickup_point_id: Id | None = None
    gift_to: str = Field(default="", max_length=GIFT_NAME_LIMIT * 2)


@router.get("/shop/items")
def shop_items(
    category: str = Query(default="", max_length=40),
    sort: str = Query(default="popular", max_length=20),
    orderable: bool = False,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> CatalogueView:
    """The catalogue: categories, visible items (of one category slug), pickup points and the balances.

    ``sort``: «popular», «price_asc», «price_desc» or «new»; ``orderable`` keeps only what the
    actor can order now. Guests see every item with «Войдите, чтобы заказать поощрение.».
    """
    return shop.catalogue(
        session, actor_id=actor, now=now, category=category, sort=sort, orderable_only=orderable
    )


@router.post("/shop/orders", status_code=status.HTTP_201_CREATED)
def place_order(
    body: OrderIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> OrderView:
    """Order one unit: the points are blocked (souvenirs) or written off (certificates, parking) at once."""
    return shop.place_order(
        session,
        actor_id=actor,
        item_id=body.item_id,
        pickup_point_id=body.pickup_point_id,
        gift_to=body.gift_to,
        now=now,
    )


@router.get("/shop/orders")
def my_orders(
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> list[OrderView]:
    """«История заказов»: the actor's orders, newest first."""
    return shop.my_orders(session, actor_id=actor, now=now)


@router.get("/shop/orders/{number}")
def my_order(
    number: str = Path(max_length=40),
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> OrderView:
    """One of the actor's orders by its number; anybody else's is «Заказ не найден.»."""
    return shop.my_order(session, actor_id=actor, number=number, now=now)


@router.post("/shop/orders/{order_id}/cancel")
def cancel_order(
    order_id: Id,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> OrderView:
    """Cancel a reserved souvenir within its reservation: the points and the unit return at once."""
    return shop.cancel_order(session, actor_id=actor, order_id=order_id, now=now)
