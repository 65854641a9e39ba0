"""Builders for the rewards shop tests: a small catalogue and shoppers whose points come from the ledger."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import Session, func, select

from ag_app.domain.shop import CATEGORIES
from ag_app.models import PickupPoint, PointEntry, ShopCategory, ShopItem, ShopOrder, User
from ag_app.services import ledger
from tests.factories import make_user

EARNED_AT = datetime(2026, 10, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Catalogue:
    """Ids of the test catalogue: one item per built-in category and two pickup points."""

    categories: dict[str, int]
    souvenir: int
    park: int
    museum: int
    theatre: int
    transport: int
    parking: int
    open_badge: int
    pickup: int
    closed_pickup: int


def make_catalogue(
    session: Session, *, stock: int = 10, price: int = 1000, performance_on: date = date(2027, 1, 15)
) -> Catalogue:
    """The six categories, one item in each (``price`` points, ``stock`` units), an open-to-all badge
    for 300 points, an active and an inactive pickup point."""
    cats = {}
    for position, rule in enumerate(CATEGORIES):
        category = ShopCategory(slug=rule.slug, name=rule.name, fulfilment=rule.fulfilment, position=position)
        session.add(category)
        session.flush()
        cats[rule.slug] = category.id

    def item(slug: str, title: str, **extra) -> int:
        extra = {"price": price, "stock": stock, "created_at": EARNED_AT} | extra
        row = ShopItem(category_id=cats[slug], title=title, **extra)
        session.add(row)
        session.flush()
        return row.id

    ids = {
        "souvenir": item("souvenirs", "Кружка «Активный гражданин»"),
        "park": item("parks", "Экскурсия по парку «Зарядье»"),
        "museum": item("museums", "Билет в Музей Москвы"),
        "theatre": item("theatres", "Спектакль «Ревизор»", performance_on=performance_on),
        "transport": item("transport", "Экскурсия на даблдекере"),
        "parking": item("parking", "100 парковочных баллов", parking_points=100),
        "open_badge": item("souvenirs", "Значок", price=300, open_to_all=True),
    }
    pickup = PickupPoint(name="Центр госуслуг района Арбат", address="Сивцев Вражек пер., д. 20")
    closed = PickupPoint(name="Центр госуслуг района Марьино", address="ул. Совхозная, д. 41", active=False)
    session.add_all([pickup, closed])
    session.commit()
    return Catalogue(categories=cats, pickup=pickup.id, closed_pickup=closed.id, **ids)


def make_shopper(
    session: Session, *, points: int = 5000, status: bool = True, email: str = "shopper@example.ru", **kwargs
) -> User:
    """A resident with full name and e-mail whose ``points`` were credited through the ledger;
    ``status`` gives them «Активный гражданин» (lifetime 1000+) even when ``points`` is smaller."""
    user = make_user(session, **kwargs)
    user.email = email
    session.add(user)
    session.flush()
    if status and points < 1000:
        ledger.credit(
            session, user_id=user.id, amount=1000, reason="test", ref="earned", description="", now=EARNED_AT
        )
        if points < 1000:
            ledger.debit(
                session,
                user_id=user.id,
                amount=1000 - points,
                reason="test",
                ref="spent",
                description="",
                now=EARNED_AT,
                from_blocked=False,
            )
    elif points:
        ledger.credit(
            session,
            user_id=user.id,
            amount=points,
            reason="test",
            ref="earned",
            description="",
            now=EARNED_AT,
        )
    session.commit()
    session.refresh(user)
    session.commit()  # end the read: SQLite writers wait for it
    return user


def ledger_total(session: Session, user_id: int) -> int:
    """The sum of a user's ledger rows."""
    return session.exec(
        select(func.coalesce(func.sum(PointEntry.amount), 0)).where(PointEntry.user_id == user_id)
    ).one()


def assert_books_balance(session: Session) -> None:
    """Every user's ledger sums to available + blocked, blocked equals their open reservations, and
    no balance or stock is negative (column reads: no loaded object is expired)."""
    ledger_sums = dict(
        session.exec(
            select(PointEntry.user_id, func.sum(PointEntry.amount)).group_by(PointEntry.user_id)
        ).all()
    )
    reserved = dict(
        session.exec(
            select(ShopOrder.user_id, func.sum(ShopOrder.points))
            .where(ShopOrder.status == "reserved")
            .group_by(ShopOrder.user_id)
        ).all()
    )
    for user_id, available, blocked in session.exec(
        select(User.id, User.points_available, User.points_blocked)
    ).all():
        assert ledger_sums.get(user_id, 0) == available + blocked, user_id
        assert blocked == reserved.get(user_id, 0), user_id
        assert available >= 0
    assert all(stock >= 0 for stock in session.exec(select(ShopItem.stock)).all())
    session.commit()
