"""The rewards shop's demo catalogue (``ag-app seed``): six categories with visible items, ten service
centres, an item open to all, an out-of-stock souvenir, theatres far enough ahead, photos that exist;
deterministic and idempotent."""

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session, SQLModel

from ag_app.db import make_engine, transaction
from ag_app.domain.clock import moscow_date
from ag_app.domain.points import ACTIVE_CITIZEN_THRESHOLD
from ag_app.domain.shop import (
    CATEGORIES,
    OrderFacts,
    order_problem,
    theatre_exchange_deadline,
)
from ag_app.models import PickupPoint, ShopCategory, ShopItem
from ag_app.seed import seed_demo
from ag_app.seed.shop import ITEMS, PICKUP_POINTS, seed_shop

ASSETS = Path(__file__).resolve().parents[2] / "assets"


def _snapshot(engine) -> dict:
    """Every row of the civic catalogue (not a campaign's partner one), without ids' meaning beyond their order."""
    with Session(engine) as s:
        return {
            "categories": s.execute(
                select(ShopCategory.slug, ShopCategory.name, ShopCategory.fulfilment, ShopCategory.position)
                .where(ShopCategory.campaign_id.is_(None))
                .order_by(ShopCategory.position)
            ).all(),
            "pickup": s.execute(
                select(PickupPoint.name, PickupPoint.address, PickupPoint.active).order_by(PickupPoint.id)
            ).all(),
            "items": s.execute(
                select(
                    ShopCategory.slug,
                    ShopItem.title,
                    ShopItem.price,
                    ShopItem.stock,
                    ShopItem.photo,
                    ShopItem.open_to_all,
                    ShopItem.is_pair,
                    ShopItem.validity_note,
                    ShopItem.performance_on,
                    ShopItem.parking_points,
                )
                .join(ShopCategory, ShopCategory.id == ShopItem.category_id)
                .where(ShopCategory.campaign_id.is_(None))
                .order_by(ShopItem.id)
            ).all(),
        }


def _can_order(item: ShopItem, *, has_status: bool, today) -> bool:
    deadline = theatre_exchange_deadline(item.performance_on) if item.performance_on else None
    facts = OrderFacts(
        visible=item.visible,
        open_to_all=item.open_to_all,
        has_status=has_status,
        has_full_name=True,
        has_email=True,
        available_points=item.price,
        price=item.price,
        stock=item.stock,
        exchange_deadline=deadline,
        today=today,
    )
    return order_problem(facts) is None


def test_the_demo_catalogue(engine, now):
    with transaction(engine) as s:
        assert seed_shop(s, now=now) is True
    today = moscow_date(now)
    with Session(engine) as s:
        categories = s.execute(select(ShopCategory).order_by(ShopCategory.position)).scalars().all()
        assert [(c.slug, c.name, c.fulfilment) for c in categories] == [
            (r.slug, r.name, r.fulfilment) for r in CATEGORIES
        ]
        items = s.execute(select(ShopItem).order_by(ShopItem.id)).scalars().all()
        slug_of = {c.id: c.slug for c in categories}
        by_slug = {c.slug: [i for i in items if i.category_id == c.id and i.visible] for c in categories}
        assert all(by_slug.values()), {slug: len(found) for slug, found in by_slug.items()}
        assert 20 <= len(items) <= 30 and len({i.title for i in items}) == len(items)

        points = s.execute(select(PickupPoint)).scalars().all()
        assert len(points) == 10 and all(p.active for p in points)
        assert all(p.name.startswith("Центр госуслуг район") and ", д. " in p.address for p in points)

        # Everything has a description, a validity note and a drawing that the app serves from assets/.
        for item in items:
            assert item.description.count(".") >= 2 and item.validity_note, item.title
            assert item.photo.startswith("shop/") and (ASSETS / item.photo).is_file(), item.photo
            svg = (ASSETS / item.photo).read_text(encoding="utf-8")
            assert "viewBox" in svg and "<title>" in svg and len(svg.encode()) < 3000

        # A resident without the status has something to order; the hoodie shows «нет в наличии».
        open_to_all = [i for i in items if i.open_to_all]
        assert open_to_all and all(i.price < ACTIVE_CITIZEN_THRESHOLD for i in open_to_all)
        assert any(_can_order(i, has_status=False, today=today) for i in open_to_all)
        assert not any(_can_order(i, has_status=False, today=today) for i in items if not i.open_to_all)
        out = [i for i in items if i.stock == 0]
        assert out and {slug_of[i.category_id] for i in out} == {"souvenirs"}
        assert not _can_order(out[0], has_status=True, today=today)

        # Theatres are a month and more ahead: their certificates can still be exchanged.
        theatres = by_slug["theatres"]
        assert all(i.performance_on and i.performance_on > today + timedelta(days=7) for i in theatres)
        assert any(i.performance_on >= today + timedelta(days=40) for i in theatres)
        assert all(_can_order(i, has_status=True, today=today) for i in theatres)
        assert all(i.performance_on is None for i in items if i not in theatres)

        assert [(i.parking_points, i.validity_note) for i in by_slug["parking"]] == [
            (100, "Парковочные баллы не сгорают")
        ]
        assert all(i.parking_points == 0 for i in items if i not in by_slug["parking"])
        assert [i.title for i in items if i.is_pair] == ["Билет в музей-заповедник «Царицыно» на двоих"]
        assert any("даблдекер" in i.title for i in by_slug["transport"])


def test_a_second_run_adds_nothing_and_fills_only_gaps(engine, now, tmp_path):
    with transaction(engine) as s:
        seed_shop(s, now=now)
    first = _snapshot(engine)
    assert (len(first["categories"]), len(first["pickup"]), len(first["items"])) == (
        6,
        len(PICKUP_POINTS),
        len(ITEMS),
    )
    with transaction(engine) as s:
        assert seed_shop(s, now=now + timedelta(days=3)) is False
    assert _snapshot(engine) == first

    # Staff changed an item and removed another: the change stays, only the missing one comes back.
    with transaction(engine) as s:
        mug = s.execute(select(ShopItem).where(ShopItem.title == ITEMS[0].title)).scalar_one()
        mug.stock = 7
        s.delete(s.execute(select(ShopItem).where(ShopItem.title == ITEMS[1].title)).scalar_one())
    with transaction(engine) as s:
        assert seed_shop(s, now=now) is True
    with Session(engine) as s:
        assert s.execute(select(ShopItem.stock).where(ShopItem.title == ITEMS[0].title)).scalar_one() == 7
        assert s.execute(select(func.count()).select_from(ShopItem)).scalar_one() == len(ITEMS)

    # Another database with the same ``now`` gets the same catalogue.
    other = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    SQLModel.metadata.create_all(other)
    with transaction(other) as s:
        seed_shop(s, now=now)
    again = _snapshot(other)
    other.dispose()
    assert again == first


@pytest.fixture
def city(engine, now):
    with transaction(engine) as session:
        seed_demo(session, now=now, residents=100, ballots=300, polls=4)
    return engine


def test_ag_app_seed_loads_the_catalogue_once(city, now):
    first = _snapshot(city)
    assert len(first["categories"]) == 6 and len(first["pickup"]) == 10 and len(first["items"]) == len(ITEMS)
    with transaction(city) as session:
        assert not seed_demo(session, now=now, residents=100, ballots=300, polls=4).created
    assert _snapshot(city) == first


def test_demo_orders_go_through_the_use_cases_once(engine, session, now):
    from ag_app.models import ShopOrder
    from ag_app.seed.shop import seed_shop_orders
    from tests.factories import make_user
    from tests.shop_helpers import assert_books_balance, make_shopper

    with transaction(engine) as s:
        seed_shop(s, now=now)
    for n in range(12):
        make_shopper(session, points=6000, email=f"shopper{n}@example.ru")
    make_user(session, roles=("moderator",))
    with transaction(engine) as s:
        placed = seed_shop_orders(s, now=now, shoppers=12)
    with transaction(engine) as s:
        assert seed_shop_orders(s, now=now, shoppers=12) == 0
    statuses = [status for (status,) in session.exec(select(ShopOrder.status)).all()]
    session.commit()
    assert placed == len(statuses) >= 12
    assert {"issued", "reserved"} <= set(statuses)
    assert_books_balance(session)


def _active_citizen_login() -> str:
    from ag_app.seed.people import DEMO_LOGINS

    return next(login.phone for login in DEMO_LOGINS if "Активный гражданин" in login.who)


def test_demo_orders_never_spend_a_demo_logins_points(engine, session, now):
    """The README's «Активный гражданин» (+79161234567) keeps every point through the demo orders."""
    from ag_app.models import User
    from ag_app.seed.shop import seed_shop_orders
    from tests.shop_helpers import make_shopper

    with transaction(engine) as s:
        seed_shop(s, now=now)
    resident_id = make_shopper(
        session, points=6000, phone=_active_citizen_login(), email="petrov.demo@example.com"
    ).id
    for n in range(5):
        make_shopper(session, points=6000, email=f"shopper{n}@example.ru")
    session.commit()
    with transaction(engine) as s:
        assert seed_shop_orders(s, now=now, shoppers=6) > 0
    with Session(engine) as s:
        assert s.get(User, resident_id).points_available == 6000


def test_the_demo_active_citizen_can_order_the_cheapest_item_after_the_seed(city, now):
    from ag_app.models import PickupPoint, User
    from ag_app.services import shop

    with transaction(city) as s:
        resident = s.execute(select(User).where(User.phone == _active_citizen_login())).scalar_one()
        cheapest = (
            s.execute(
                select(ShopItem)
                .where(ShopItem.stock > 0, ShopItem.visible.is_(True), ShopItem.performance_on.is_(None))
                .order_by(ShopItem.price)
            )
            .scalars()
            .first()
        )
        desk = s.execute(select(PickupPoint.id)).scalars().first()
        order = shop.place_order(s, actor_id=resident.id, item_id=cheapest.id, pickup_point_id=desk, now=now)
    assert order.points == cheapest.price and order.item_id == cheapest.id
