"""What a shopper sees: the catalogue's items with their availability for this user."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, func, select

from ag_app.db import reads
from ag_app.domain.clock import moscow_date
from ag_app.domain.errors import InvalidInput, NotFound
from ag_app.domain.shop import (
    CANCELLED,
    OrderFacts,
    Problem,
    has_full_name,
    order_problem,
    theatre_exchange_deadline,
)
from ag_app.models import (
    PickupPoint,
    ShopCategory,
    ShopItem,
    ShopOrder,
    User,
)
from ag_app.services.access import active_user
from ag_app.services.shop.views import SORTS, CatalogueView, ItemView, _category_view, _point_view
from ag_app.services.shop.wallets import CIVIC, Wallet


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
