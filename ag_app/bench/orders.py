"""``ag-app bench orders``: concurrent shop orders through the service layer vs bare conditional writes.

Setup: a catalogue of ``items`` rewards across the categories (six in ten souvenirs, three in ten
park/museum/transport certificates, one in ten parking points), the ten pickup points, and
``users`` shoppers with full name and e-mail whose points are credited through
:func:`ag_app.services.ledger.credit` (so the books balance from the start) — enough for several
orders each. Item popularity is skewed, so the most wanted items sell out during the run.

Measured: ``orders`` calls of :func:`ag_app.services.shop.place_order` from ``threads`` threads
(in each of ``workers`` processes, as several backend workers would place them),
each call its own transaction (checks, order row, points blocked or written off, stock, audit row,
confirmation e-mail). A transaction is retried only on a transient database error (deadlock,
serialization failure, «database is locked»), counted as ``conflicts_retried``; refusals of the
rules (sold out, points short) are results and count as ``refused``. Latencies include retries.

The floor runs the same number of attempts from the same number of threads on a second copy of the
data as bare transactions of the writes an order needs: the conditional UPDATE of the user's
points, the conditional UPDATE of the stock and the INSERT of the order.

At the end the invariants are checked on the data (``invariant_violations`` counts the failures):
every user's ledger sums to available + blocked, blocked equals their reserved orders' points, no
balance or stock is negative, and each item's initial stock minus what is left equals its orders
that are not cancelled. ``orders_per_s`` counts placed orders, ``ops_per_s`` every attempt.
"""

import logging
import multiprocessing
import queue
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, func, insert, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from ag_app.bench.common import result, scratch_database
from ag_app.db import make_engine, transaction
from ag_app.domain.errors import DomainError
from ag_app.domain.shop import CANCELLED, CATEGORIES, RESERVED
from ag_app.models import PickupPoint, PointEntry, ShopCategory, ShopItem, ShopOrder, User
from ag_app.services import ledger, shop

log = logging.getLogger(__name__)

BATCH = 5000
PICKUP_POINTS = 10
# Points each shopper gets: about five orders at the average price.
POINTS_PER_USER = 3000
# SQLSTATEs of PostgreSQL's transient failures: serialization failure, deadlock detected.
_TRANSIENT_STATES = {"40001", "40P01"}
# Category of the i-th item (by i % 10): six souvenirs, three certificates, one parking.
_CATEGORY_OF = ["souvenirs"] * 6 + ["parks", "museums", "transport", "parking"]


@dataclass(frozen=True)
class Shop:
    """Ids of the generated data."""

    users: list[int]
    items: list[int]
    pickups: list[int]
    souvenirs: set[int]
    stock: dict[int, int]


def is_transient(exc: BaseException) -> bool:
    """A database error that a retry of the whole transaction can cure (deadlock, serialization, lock)."""
    if not isinstance(exc, DBAPIError):
        return False
    orig = exc.orig
    return getattr(orig, "sqlstate", None) in _TRANSIENT_STATES or "database is locked" in str(orig)


def _make_shop(engine: Engine, *, users: int, items: int, orders: int, now: datetime, seed: int) -> Shop:
    """The catalogue, the pickup points and the shoppers (points through the ledger)."""
    rng = random.Random(seed)
    with transaction(engine) as session:
        categories = {}
        for position, rule in enumerate(CATEGORIES):
            category = ShopCategory(
                slug=rule.slug, name=rule.name, fulfilment=rule.fulfilment, position=position
            )
            session.add(category)
            session.flush()
            categories[rule.slug] = category.id
        # Units per item follow its expected demand, nine in ten of it: the most wanted sell out.
        shares = _popularity(items)
        item_rows = []
        for i in range(items):
            slug = _category_of(i)
            item_rows.append(
                ShopItem(
                    category_id=categories[slug],
                    title=f"Поощрение № {i + 1}",
                    price=rng.choice((100, 200, 300, 500, 700, 1000)),
                    stock=max(1, int(orders * shares[i] * 0.9)),
                    parking_points=100 if slug == "parking" else 0,
                    created_at=now,
                )
            )
        session.add_all(item_rows)
        for n in range(PICKUP_POINTS):
            session.add(PickupPoint(name=f"Центр госуслуг № {n + 1}", address=f"ул. Тестовая, д. {n + 1}"))
        session.flush()
        for start in range(0, users, BATCH):
            rows = [
                {
                    "uid": f"shop{i:010d}",
                    "phone": f"+7915{i:07d}",
                    "phone_region": "moscow",
                    "created_at": now,
                    "terms_accepted_at": now,
                    "last_name": "Покупателев",
                    "first_name": "Иван",
                    "patronymic": "Петрович",
                    "email": f"shopper{i}@example.ru",
                }
                for i in range(start, min(users, start + BATCH))
            ]
            session.exec(insert(User), params=rows)
        user_ids = list(session.exec(select(User.id).order_by(User.id)).all())
        for user_id in user_ids:
            ledger.credit(
                session,
                user_id=user_id,
                amount=POINTS_PER_USER,
                reason="bench",
                ref="start",
                description="Баллы для измерений",
                now=now,
            )
        pickups = list(session.exec(select(PickupPoint.id).order_by(PickupPoint.id)).all())
        souvenir_category = categories["souvenirs"]
        item_facts = session.exec(
            select(ShopItem.id, ShopItem.category_id, ShopItem.stock).order_by(ShopItem.id)
        ).all()
    return Shop(
        users=user_ids,
        items=[i for i, _, _ in item_facts],
        pickups=pickups,
        souvenirs={i for i, c, _ in item_facts if c == souvenir_category},
        stock={i: s for i, _, s in item_facts},
    )


def _popularity(items: int) -> list[float]:
    """Each item's share of the orders: a Zipf-like skew (the first items are the most wanted)."""
    weights = [1 / (rank + 1) ** 0.8 for rank in range(items)]
    total = sum(weights)
    return [w / total for w in weights]


def _category_of(i: int) -> str:
    return _CATEGORY_OF[i % len(_CATEGORY_OF)]


def _jobs(data: Shop, orders: int, seed: int) -> list[tuple[int, int, int | None]]:
    """``orders`` (user, item, pickup point) attempts; items are chosen with a skewed popularity."""
    rng = random.Random(seed + 1)
    chosen = rng.choices(data.items, weights=_popularity(len(data.items)), k=orders)
    return [
        (rng.choice(data.users), item, rng.choice(data.pickups) if item in data.souvenirs else None)
        for item in chosen
    ]


@dataclass
class _Tally:
    latencies_ms: list[float]
    placed: int = 0
    retried: int = 0
    refused: Counter | None = None


def _run_threads(
    jobs: list[tuple[int, int, int | None]], threads: int, attempt: Callable[[int, int, int | None], bool]
) -> tuple[float, _Tally]:
    """Run every job from ``threads`` threads; ``attempt`` returns True for a placed order, False for a
    refusal (its key goes to ``refused``), and raises on errors; transient ones are retried."""
    pending: queue.SimpleQueue = queue.SimpleQueue()
    for job in jobs:
        pending.put(job)
    lock = threading.Lock()
    tally = _Tally(latencies_ms=[], refused=Counter())
    failures: list[BaseException] = []
    start = threading.Barrier(threads + 1)

    def worker() -> None:
        latencies, placed, retried, refused = [], 0, 0, Counter()
        start.wait()
        try:
            while True:
                try:
                    job = pending.get_nowait()
                except queue.Empty:
                    break
                t0 = time.perf_counter()
                while True:
                    try:
                        outcome = attempt(*job)
                        break
                    except DomainError as exc:
                        refused[exc.key] += 1
                        outcome = None
                        break
                    except DBAPIError as exc:
                        if not is_transient(exc):
                            raise
                        retried += 1
                latencies.append((time.perf_counter() - t0) * 1000)
                placed += outcome is True
        except BaseException as exc:  # noqa: BLE001 - re-raised in the main thread
            failures.append(exc)
        with lock:
            tally.latencies_ms.extend(latencies)
            tally.placed += placed
            tally.retried += retried
            tally.refused.update(refused)

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    start.wait()
    started = time.perf_counter()
    for thread in pool:
        thread.join()
    seconds = time.perf_counter() - started
    if failures:
        raise failures[0]
    return seconds, tally


def _attempt_for(
    engine: Engine, kind: str, now: datetime, prices: dict[int, int] | None
) -> Callable[[int, int, int | None], bool]:
    """The use case (``kind`` «service») or the bare writes («floor») on ``engine``."""
    return _service_attempt(engine, now) if kind == "service" else _floor_attempt(engine, now, prices or {})


_worker_engine: Engine | None = None


def _start_worker(url: str) -> None:
    global _worker_engine
    _worker_engine = make_engine(url)


def _worker_ready() -> bool:
    with _worker_engine.connect():
        return True


def _worker_run(
    jobs: list[tuple[int, int, int | None]],
    threads: int,
    kind: str,
    now: datetime,
    prices: dict[int, int] | None,
) -> _Tally:
    return _run_threads(jobs, threads, _attempt_for(_worker_engine, kind, now, prices))[1]


def _run_all(
    engine: Engine,
    jobs: list[tuple[int, int, int | None]],
    *,
    threads: int,
    workers: int,
    kind: str,
    now: datetime,
    prices: dict[int, int] | None = None,
) -> tuple[float, _Tally]:
    """Run every job from ``workers`` processes of ``threads`` threads each, as the application's
    backend workers are processes; they are started and connected before the clock starts."""
    if workers <= 1:
        return _run_threads(jobs, threads, _attempt_for(engine, kind, now, prices))
    url = engine.url.render_as_string(hide_password=False)
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(url,)) as pool:
        for ready in [pool.submit(_worker_ready) for _ in range(workers * 2)]:
            ready.result()
        started = time.perf_counter()
        shares = [jobs[i::workers] for i in range(workers)]
        tallies = [
            done.result()
            for done in [pool.submit(_worker_run, share, threads, kind, now, prices) for share in shares]
        ]
        seconds = time.perf_counter() - started
    total = _Tally(latencies_ms=[], refused=Counter())
    for tally in tallies:
        total.latencies_ms.extend(tally.latencies_ms)
        total.placed += tally.placed
        total.retried += tally.retried
        total.refused.update(tally.refused)
    return seconds, total


def _service_attempt(engine: Engine, now: datetime) -> Callable[[int, int, int | None], bool]:
    def attempt(user_id: int, item_id: int, pickup_id: int | None) -> bool:
        with transaction(engine) as session:
            shop.place_order(session, actor_id=user_id, item_id=item_id, pickup_point_id=pickup_id, now=now)
        return True

    return attempt


def _floor_attempt(
    engine: Engine, now: datetime, prices: dict[int, int]
) -> Callable[[int, int, int | None], bool]:
    """The bare writes of an order: conditional UPDATE of the points, of the stock, INSERT of the order."""
    pay = text(
        'UPDATE "user" SET points_available = points_available - :price '
        "WHERE id = :user AND points_available >= :price"
    )
    take = text("UPDATE shopitem SET stock = stock - 1 WHERE id = :item AND stock > 0")
    add = text(
        "INSERT INTO shoporder (user_id, item_id, points, wallet, discount, status, fulfilment, "
        "pickup_point_id, ordered_at, gift_to) "
        "VALUES (:user, :item, :price, 'points', 0, 'reserved', 'pickup', :pickup, :now, '')"
    )

    def attempt(user_id: int, item_id: int, pickup_id: int | None) -> bool:
        price = prices[item_id]
        # A refusal raises inside the transaction, which rolls it back.
        with engine.connect() as conn, conn.begin():
            if conn.execute(pay, {"price": price, "user": user_id}).rowcount != 1:
                raise DomainError("shop.points_short", price=price, available=0)
            if conn.execute(take, {"item": item_id}).rowcount != 1:
                raise DomainError("shop.out_of_stock")
            conn.execute(
                add, {"user": user_id, "item": item_id, "price": price, "pickup": pickup_id, "now": now}
            )
        return True

    return attempt


def check_invariants(engine: Engine, initial_stock: dict[int, int]) -> list[str]:
    """Every broken invariant of the books and the stock, as text (empty when all hold)."""
    problems = []
    with transaction(engine) as session:
        ledger_sums = dict(
            session.exec(
                select(PointEntry.user_id, func.sum(PointEntry.amount)).group_by(PointEntry.user_id)
            ).all()
        )
        reserved = dict(
            session.exec(
                select(ShopOrder.user_id, func.sum(ShopOrder.points))
                .where(ShopOrder.status == RESERVED)
                .group_by(ShopOrder.user_id)
            ).all()
        )
        for user_id, available, blocked in session.exec(
            select(User.id, User.points_available, User.points_blocked)
        ).all():
            if ledger_sums.get(user_id, 0) != available + blocked:
                problems.append(
                    f"user {user_id}: ledger {ledger_sums.get(user_id, 0)} != {available} + {blocked}"
                )
            if blocked != reserved.get(user_id, 0):
                problems.append(f"user {user_id}: blocked {blocked} != reserved {reserved.get(user_id, 0)}")
            if available < 0 or blocked < 0:
                problems.append(f"user {user_id}: negative balance {available}/{blocked}")
        kept = dict(
            session.exec(
                select(ShopOrder.item_id, func.count())
                .where(ShopOrder.status != CANCELLED)
                .group_by(ShopOrder.item_id)
            ).all()
        )
        for item_id, stock in session.exec(select(ShopItem.id, ShopItem.stock)).all():
            if stock < 0:
                problems.append(f"item {item_id}: negative stock {stock}")
            if initial_stock[item_id] - stock != kept.get(item_id, 0):
                problems.append(
                    f"item {item_id}: {initial_stock[item_id]} - {stock} != {kept.get(item_id, 0)} orders"
                )
    return problems


def run(
    users: int,
    items: int,
    db_url: str | None = None,
    *,
    orders: int | None = None,
    threads: int = 8,
    workers: int = 1,
    seed: int = 42,
) -> dict:
    """Run the bench on a scratch database (``db_url`` names a new SQLite file or a PostgreSQL server).

    ``workers`` > 1 places the orders from that many processes, each with ``threads`` threads.
    """
    orders = orders or users * 2
    now = datetime.now(UTC).replace(microsecond=0)
    with scratch_database(db_url, label="orders") as engine:
        setup_started = time.perf_counter()
        data = _make_shop(engine, users=users, items=items, orders=orders, now=now, seed=seed)
        jobs = _jobs(data, orders, seed)
        setup_seconds = time.perf_counter() - setup_started
        log.info("Данные созданы за %.1f с: %s покупателей, %s поощрений", setup_seconds, users, items)
        seconds, tally = _run_all(engine, jobs, threads=threads, workers=workers, kind="service", now=now)
        problems = check_invariants(engine, data.stock)
        with transaction(engine) as session:
            stored = session.exec(select(func.count()).select_from(ShopOrder)).one()
        if stored != tally.placed:
            problems.append(f"{stored} orders stored, {tally.placed} placed")
        for problem in problems[:20]:
            log.error("Нарушен инвариант: %s", problem)
        dialect = engine.dialect.name
    floor_url = None if db_url is None or dialect == "sqlite" else db_url
    with scratch_database(floor_url, label="ordersfloor") as floor_engine:
        floor_data = _make_shop(floor_engine, users=users, items=items, orders=orders, now=now, seed=seed)
        with transaction(floor_engine) as session:
            prices = dict(session.exec(select(ShopItem.id, ShopItem.price)).all())
        floor_seconds, floor_tally = _run_all(
            floor_engine,
            _jobs(floor_data, orders, seed),
            threads=threads,
            workers=workers,
            kind="floor",
            now=now,
            prices=prices,
        )
    refused = sum(tally.refused.values())
    return result(
        name="orders",
        n=orders,
        seconds=seconds,
        latencies_ms=tally.latencies_ms,
        floor_seconds=floor_seconds,
        db=dialect,
        orders_per_s=round(tally.placed / seconds, 1) if seconds else 0.0,
        orders=tally.placed,
        refused=refused,
        refused_by_reason=dict(tally.refused),
        conflicts_retried=tally.retried,
        invariant_violations=len(problems),
        floor_orders=floor_tally.placed,
        floor_conflicts_retried=floor_tally.retried,
        users=users,
        items=items,
        threads=threads,
        workers=workers,
        setup_s=round(setup_seconds, 1),
        elapsed_s=round(seconds, 2),
    )
