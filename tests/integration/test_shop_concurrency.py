"""Racing shop transactions on SQLite and PostgreSQL: no oversell, no overspend, expiry once, and a
cancel racing the desk. Every racer runs in its own thread and its own transaction; a transient
database error (deadlock, serialization failure) is a failure here, not something to retry."""

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlmodel import Session, col, func, select

from ag_app.db import transaction
from ag_app.domain.errors import DomainError
from ag_app.domain.shop import reservation_deadline
from ag_app.models import PointEntry, ShopItem, ShopOrder, ShopOrderEvent, User
from ag_app.services import shop
from tests.factories import make_user
from tests.racing import race, unexpected
from tests.shop_helpers import assert_books_balance, make_catalogue, make_shopper


def _order_job(engine, user_id, item_id, now, **kwargs):
    def job():
        with transaction(engine) as s:
            return shop.place_order(s, actor_id=user_id, item_id=item_id, now=now, **kwargs)

    return job


def _count(session, query) -> int:
    value = session.exec(query).one()
    session.commit()
    return value


def test_hundred_shoppers_race_for_the_last_ten_units(engine, session, now):
    cat = make_catalogue(session, stock=10, price=1000)
    shoppers = [make_shopper(session, points=2000, email=f"s{i}@example.ru") for i in range(100)]

    outcomes = race(
        [_order_job(engine, u.id, cat.souvenir, now, pickup_point_id=cat.pickup) for u in shoppers]
    )

    assert unexpected(outcomes) == []
    won = [o for o in outcomes if isinstance(o, shop.OrderView)]
    refused = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(won) == 10 and len({o.id for o in won}) == 10
    assert Counter(str(e) for e in refused) == {"Поощрение закончилось.": 90}
    assert _count(session, select(ShopItem.stock).where(ShopItem.id == cat.souvenir)) == 0
    assert _count(session, select(func.count()).select_from(ShopOrder)) == 10
    assert _count(session, select(func.count()).select_from(ShopOrderEvent)) == 10
    assert _count(session, select(func.sum(User.points_blocked))) == 10 * 1000
    assert_books_balance(session)


def test_one_shopper_fires_twenty_orders_with_points_for_three(engine, session, now):
    cat = make_catalogue(session, stock=50, price=1000)
    shopper = make_shopper(session, points=3000)

    outcomes = race([_order_job(engine, shopper.id, cat.museum, now) for _ in range(20)])

    assert unexpected(outcomes) == []
    won = [o for o in outcomes if isinstance(o, shop.OrderView)]
    refused = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(won) == 3 and len(refused) == 17
    assert all(str(e).startswith("Недостаточно баллов: нужно 1\u00a0000, доступно ") for e in refused)
    assert _count(session, select(User.points_available).where(User.id == shopper.id)) == 0
    assert _count(session, select(User.points_blocked).where(User.id == shopper.id)) == 0
    assert _count(session, select(ShopItem.stock).where(ShopItem.id == cat.museum)) == 47
    assert _count(session, select(func.count()).select_from(ShopOrder)) == 3
    assert (
        _count(session, select(func.count()).select_from(PointEntry).where(PointEntry.reason == "shop")) == 3
    )
    assert_books_balance(session)


def test_two_expiry_runs_annul_each_due_reservation_once(engine, session, now):
    cat = make_catalogue(session, stock=100, price=100)
    shoppers = [make_shopper(session, points=1000, email=f"e{i}@example.ru") for i in range(5)]
    # Round robin: the orders of one user are spread over the id range, so runs that split the
    # due orders between them touch the same users' rows in different orders.
    for n in range(50):
        _order_job(engine, shoppers[n % 5].id, cat.souvenir, now, pickup_point_id=cat.pickup)()
    due = reservation_deadline(now) + timedelta(minutes=1)

    outcomes = race([lambda: shop.expire_reservations(now=due, engine=engine)] * 2)

    assert unexpected(outcomes) == []
    assert sum(outcomes) == 50
    assert shop.expire_reservations(now=due, engine=engine) == 0
    with Session(engine) as s:
        statuses = Counter(s.exec(select(ShopOrder.status)).all())
        debits = Counter(
            s.exec(select(PointEntry.ref).where(PointEntry.reason == "shop", PointEntry.amount < 0)).all()
        )
        expired_events = Counter(
            s.exec(select(ShopOrderEvent.order_id).where(ShopOrderEvent.to_status == "expired")).all()
        )
        ids = s.exec(select(ShopOrder.id)).all()
        s.commit()
    assert statuses == {"expired": 50}
    assert debits == {f"order:{i}": 1 for i in ids}
    assert expired_events == dict.fromkeys(ids, 1)
    assert _count(session, select(func.sum(User.points_blocked))) == 0
    assert _count(session, select(ShopItem.stock).where(ShopItem.id == cat.souvenir)) == 50
    assert_books_balance(session)


def test_owner_cancel_races_the_desk_issue(engine, session, now):
    cat = make_catalogue(session, stock=20, price=100)
    desk = make_user(session, roles=("moderator",))
    session.commit()
    shoppers = [make_shopper(session, points=1000, email=f"d{i}@example.ru") for i in range(8)]
    orders = [_order_job(engine, u.id, cat.souvenir, now, pickup_point_id=cat.pickup)() for u in shoppers]
    owners = {o.id: u.id for o, u in zip(orders, shoppers, strict=True)}
    later = now + timedelta(days=1)

    def cancel(order):
        def job():
            with transaction(engine) as s:
                return shop.cancel_order(s, actor_id=owners[order.id], order_id=order.id, now=later)

        return job

    def issue(order):
        def job():
            with transaction(engine) as s:
                return shop.desk_issue(s, actor_id=desk.id, order_id=order.id, now=later)

        return job

    jobs = [job for order in orders for job in (cancel(order), issue(order))]
    outcomes = race(jobs)

    assert unexpected(outcomes) == []
    refusals = {"Заказ уже выдан: отмена и возврат невозможны.", "Заказ уже отменён."}
    for order, (cancelled, issued) in zip(
        orders, zip(outcomes[::2], outcomes[1::2], strict=True), strict=True
    ):
        wins = [o for o in (cancelled, issued) if isinstance(o, shop.OrderView)]
        assert len(wins) == 1, (order.id, cancelled, issued)
        loser = issued if wins[0] is cancelled else cancelled
        assert isinstance(loser, DomainError) and str(loser) in refusals, loser
        status = _count(session, select(ShopOrder.status).where(ShopOrder.id == order.id))
        assert status == wins[0].status
        assert (
            _count(
                session,
                select(func.count()).select_from(ShopOrderEvent).where(ShopOrderEvent.order_id == order.id),
            )
            == 2
        )
    issued_count = _count(
        session, select(func.count()).select_from(ShopOrder).where(ShopOrder.status == "issued")
    )
    assert _count(session, select(ShopItem.stock).where(ShopItem.id == cat.souvenir)) == 20 - issued_count
    assert_books_balance(session)


def test_expiry_runs_that_split_the_due_orders_do_not_deadlock(engine, session, now):
    """Deterministic form of the race above: run 1 gets orders 1 (A), 3 (X), 5 (B), run 2 gets 2 (B)
    and 4 (A). Had each run written off points in order-id order, run 1 would hold A and wait for X
    while run 2 held B and waited for A; releasing X would let run 1 ask for B: a lock cycle. Both
    runs take the users in id order, so run 2 waits for A and then finishes."""
    if engine.dialect.name != "postgresql":
        pytest.skip("row locks and SKIP LOCKED are PostgreSQL's")
    cat = make_catalogue(session, stock=100, price=100)
    a, b, x = (make_shopper(session, points=1000, email=f"x{i}@example.ru") for i in range(3))
    placed = [
        _order_job(engine, user.id, cat.souvenir, now, pickup_point_id=cat.pickup)()
        for user in (a, b, x, a, b)
    ]
    # Ids 1..5 in that order: 1 A, 2 B, 3 X, 4 A, 5 B; rearrange so run 1 sees A, X, B.
    by_user = {o.id: u for o, u in zip(placed, (a, b, x, a, b), strict=True)}
    first_run, second_run = [placed[0], placed[2], placed[4]], [placed[1], placed[3]]
    assert [by_user[o.id] for o in first_run] == [a, x, b]
    assert [by_user[o.id] for o in second_run] == [b, a]
    due = reservation_deadline(now) + timedelta(minutes=1)
    outcomes: dict[str, object] = {}

    def expire(name):
        try:
            outcomes[name] = shop.expire_reservations(now=due, engine=engine)
        except Exception as exc:  # noqa: BLE001 - asserted below
            outcomes[name] = exc

    hold_orders, hold_x = Session(engine), Session(engine)
    try:
        hold_orders.exec(
            select(ShopOrder.id).where(col(ShopOrder.id).in_([o.id for o in second_run])).with_for_update()
        ).all()
        hold_x.exec(select(User.id).where(User.id == x.id).with_for_update()).all()
        run1 = threading.Thread(target=expire, args=("run1",))
        run1.start()
        time.sleep(0.5)  # run 1 claimed 1, 3, 5 and waits for X
        hold_orders.commit()
        run2 = threading.Thread(target=expire, args=("run2",))
        run2.start()
        time.sleep(0.5)  # run 2 claimed 2, 4 and waits for A
        hold_x.commit()
        run1.join(30)
        run2.join(30)
    finally:
        hold_orders.close()
        hold_x.close()

    assert unexpected(outcomes.values()) == []
    assert sorted(outcomes.values()) == [2, 3]
    assert_books_balance(session)
