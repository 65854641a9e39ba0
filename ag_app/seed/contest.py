"""Receipt-contest data generated in bulk, and the contest's demo seed (issue 14).

Shared by the demo seed (:func:`seed_contest`) and ``ag-app bench contest``: the same seller
registry (about 200 sellers, one in ten a fuel station, INNs with valid check digits, Moscow and
Moscow Oblast) and the same plan of receipts — each participant at least one, a skewed few many
(capped, so no review rule would have fired), purchase times spread over the month so far, points
by the seller's category, counted when saved. Rows are plain dicts for Core ``INSERT`` batches;
ratings are then built by :func:`ag_app.services.contest.bulk.build_rating`.
"""

import logging
import random
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta

from sqlalchemy import insert
from sqlmodel import Session, col, select

from ag_app.domain.clock import moscow_date
from ag_app.domain.contest import (
    ADULT_AGE,
    FUEL,
    period_bounds,
    period_label,
    period_of,
    receipt_points,
)
from ag_app.domain.profile import age_on
from ag_app.models import Contest, ContestParticipant, ContestPrize, Receipt, Seller, User, UserRole

log = logging.getLogger(__name__)

# Chains of the demo registry by category: (category, chain names).
_CHAINS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (FUEL, ("Лукойл", "Роснефть", "Газпромнефть", "Татнефть", "Нефтьмагистраль")),
    ("grocery", ("Пятёрочка", "Перекрёсток", "Магнит", "ВкусВилл", "Дикси", "Азбука вкуса", "Лента")),
    ("pharmacy", ("Ригла", "Горздрав", "Столички", "Планета здоровья")),
    ("cafe", ("Шоколадница", "Теремок", "Кофе Хауз", "Му-Му", "Додо Пицца")),
    ("clothes", ("Спортмастер", "Глория Джинс", "Ostin", "Бершка")),
    ("electronics", ("М.Видео", "Эльдорадо", "DNS", "Ситилинк")),
    ("home", ("Лемана ПРО", "Hoff", "Твой дом", "Castorama")),
    ("other", ("Fix Price", "Читай-город", "Детский мир", "Буквоед")),
)
_STREETS = (
    "Тверская", "Арбат", "Ленинский пр.", "Мира пр.", "Варшавское ш.", "Кутузовский пр.",
    "Новослободская", "Большая Якиманка", "Люблинская", "Митинская", "Профсоюзная", "Дмитровское ш.",
)  # fmt: skip
# First and last names of generated participants (the public rating shows «Анна С.»).
FIRST_NAMES = (
    "Анна", "Мария", "Елена", "Ольга", "Наталья", "Ирина", "Татьяна", "Светлана", "Дарья", "Алина",
    "Александр", "Дмитрий", "Сергей", "Андрей", "Алексей", "Максим", "Иван", "Михаил", "Никита", "Павел",
)  # fmt: skip
LAST_NAMES = (
    "Смирнова", "Кузнецова", "Попова", "Васильева", "Соколова", "Новикова", "Морозова", "Волкова",
    "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Новиков", "Морозов", "Волков",
)  # fmt: skip
# Every this many sellers one is a fuel station (~20 of 200).
FUEL_EVERY = 10
# Share of receipts bought at fuel stations.
FUEL_SHARE = 0.1
# Most receipts a generated participant has in a month (far below 50 a day).
MAX_PER_PARTICIPANT = 40
_INN_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)


def inn_of(digits: str) -> str:
    """A legal entity's 10-digit INN from its first nine digits, with the check digit."""
    check = sum(int(d) * w for d, w in zip(digits, _INN_WEIGHTS, strict=True)) % 11 % 10
    return f"{digits}{check}"


def plan_sellers(rng: random.Random, now: datetime, n: int = 200) -> list[dict]:
    """``n`` registry rows (fiscal drive → seller, INN, category, region); every tenth a fuel station."""
    others = [(category, chains) for category, chains in _CHAINS if category != FUEL]
    fuel_chains = dict(_CHAINS)[FUEL]
    rows = []
    for i in range(n):
        if i % FUEL_EVERY == 0:
            category, chain = FUEL, fuel_chains[(i // FUEL_EVERY) % len(fuel_chains)]
            name = f"АЗС «{chain}» № {rng.randint(1, 400)}"
        else:
            category, chains = others[i % len(others)]
            chain = rng.choice(chains)
            name = f"«{chain}», {rng.choice(_STREETS)}, {rng.randint(1, 120)}"
        rows.append(
            {
                "fn": f"99604403{i:08d}",
                "name": name,
                "inn": inn_of(f"77{rng.randrange(10**7):07d}"),
                "category": category,
                "region": "77" if rng.random() < 0.7 else "50",
                "classified_at": now,
                "created_at": now,
            }
        )
    return rows


def receipt_counts(rng: random.Random, participants: int, receipts: int) -> list[int]:
    """How many receipts each participant has: at least one, a skewed few many (capped)."""
    if receipts < participants:
        raise ValueError("receipts must be at least one per participant")
    cap = min(MAX_PER_PARTICIPANT, max(1, -(-receipts // participants) * 4))
    if receipts > participants * cap:
        raise ValueError(f"at most {cap} receipts per participant")
    counts = [1] * participants
    extra = receipts - participants
    while extra:
        i = int(participants * rng.random() ** 2)
        if counts[i] >= cap:
            i = rng.randrange(participants)
            if counts[i] >= cap:
                continue
        counts[i] += 1
        extra -= 1
    return counts


def plan_receipts(
    rng: random.Random,
    participant_ids: Sequence[int],
    counts: Sequence[int],
    sellers: Sequence[dict],
    *,
    period: str,
    start: datetime,
    now: datetime,
    first_fd: int = 1,
    batch: int = 20_000,
) -> Iterator[list[dict]]:
    """Batches of accepted receipt rows bought between ``start`` and ``now``, counted when saved."""
    fuel = [seller for seller in sellers if seller["category"] == FUEL]
    other = [seller for seller in sellers if seller["category"] != FUEL]
    span = max((now - start).total_seconds() - 1, 1.0)
    fd = first_fd
    rows: list[dict] = []
    channels = ("qr", "qr", "qr", "photo", "api", "fields")
    for participant_id, count in zip(participant_ids, counts, strict=True):
        for _ in range(count):
            seller = rng.choice(fuel) if fuel and rng.random() < FUEL_SHARE else rng.choice(other or fuel)
            bought = start + timedelta(seconds=int(rng.random() * span))
            # Saved from half a minute to two days later, never after ``now`` (no pile-up there).
            delay = rng.randrange(30, 2 * 86_400)
            room = (now - bought).total_seconds()
            saved = bought + timedelta(seconds=delay if delay < room else rng.random() * room)
            points = receipt_points(seller["category"])
            rows.append(
                {
                    "participant_id": participant_id,
                    "period": period,
                    "fn": seller["fn"],
                    "fd": str(fd),
                    "fp": str(rng.randrange(10**8, 4 * 10**9)),
                    "purchased_at": bought,
                    "amount_kopecks": rng.randrange(5_000, 500_000)
                    if points > 1
                    else rng.randrange(3_000, 300_000),
                    "saved_at": saved,
                    "channel": rng.choice(channels),
                    "status": "accepted",
                    "reason": "",
                    "points": points,
                    "counted_at": saved,
                    "decided_by": None,
                    "decided_at": None,
                }
            )
            fd += 1
            if len(rows) >= batch:
                yield rows
                rows = []
    if rows:
        yield rows


# ------------------------------------------------------------------------------------- the demo seed

# The demo resident the README names for logins: near the top of this month's table, and holder of
# an unclaimed prize of last month's contest.
DEMO_PARTICIPANT_PHONE = "+79161234567"
# Where the demo resident lands: this month among the first three, last month fourth (500 ₽).
_DEMO_PLACE_NOW = 3
_DEMO_PLACE_LAST = 4
# How many of last month's winners (the first places but the demo resident) already claimed.
_CLAIMED = 2
_BANKS = ("Сбербанк", "Т-Банк", "ВТБ", "Альфа-Банк")
FUEL_TITLE = "АЗС: заправляйтесь в Москве"
FUEL_PRIZES = "3000,2000,1000"


def _points_by_participant(rows: Sequence[dict], into: dict[int, int]) -> None:
    for row in rows:
        into[row["participant_id"]] = into.get(row["participant_id"], 0) + row["points"]


def _demo_rows(
    rng: random.Random,
    participant_id: int,
    target: int,
    sellers: Sequence[dict],
    *,
    period: str,
    start: datetime,
    now: datetime,
    first_fd: int,
) -> list[dict]:
    """Receipts worth exactly ``target`` points (fuel receipts for the tens) bought between ``start``
    and ``now``, at most a few a day."""
    fuel = [seller for seller in sellers if seller["category"] == FUEL]
    other = [seller for seller in sellers if seller["category"] != FUEL]
    picks = [rng.choice(fuel) for _ in range(target // 10)] + [rng.choice(other) for _ in range(target % 10)]
    span = max((now - start).total_seconds() - 60, 60.0)
    rows = []
    for k, seller in enumerate(picks):
        bought = start + timedelta(seconds=int(span * (k + rng.random()) / len(picks)))
        saved = min(now, bought + timedelta(minutes=rng.randrange(1, 90)))
        rows.append(
            {
                "participant_id": participant_id,
                "period": period,
                "fn": seller["fn"],
                "fd": str(first_fd + k),
                "fp": str(rng.randrange(10**8, 4 * 10**9)),
                "purchased_at": bought,
                "amount_kopecks": rng.randrange(50_000, 400_000),
                "saved_at": saved,
                "channel": "qr",
                "status": "accepted",
                "reason": "",
                "points": receipt_points(seller["category"]),
                "counted_at": saved,
                "decided_by": None,
                "decided_at": None,
            }
        )
    return rows


def _month_of_receipts(
    session: Session,
    rng: random.Random,
    participant_ids: Sequence[int],
    receipts: int,
    sellers: Sequence[dict],
    *,
    period: str,
    start: datetime,
    now: datetime,
    first_fd: int,
    demo: tuple[int, int] | None,
) -> int:
    """Insert a month of receipts of these participants (the demo participant, if any, lands at the
    given place); returns the next free fiscal document number."""
    connection = session.connection()
    counts = receipt_counts(rng, len(participant_ids), min(receipts, len(participant_ids) * 10))
    points: dict[int, int] = {}
    fd = first_fd
    for batch in plan_receipts(
        rng, participant_ids, counts, sellers, period=period, start=start, now=now, first_fd=fd
    ):
        connection.execute(insert(Receipt), batch)
        _points_by_participant(batch, points)
        fd += len(batch)
    if demo is not None:
        participant_id, place = demo
        ranked = sorted(points.values(), reverse=True)
        target = ranked[min(place, len(ranked)) - 1] + 1 if ranked else 10
        rows = _demo_rows(
            rng, participant_id, target, sellers, period=period, start=start, now=now, first_fd=fd
        )
        if rows:
            connection.execute(insert(Receipt), rows)
        fd += len(rows)
    return fd


def seed_contest(
    session: Session, *, now: datetime, seed: int = 2026, participants: int = 2000, receipts: int = 20_000
) -> bool:
    """The receipt contest's demo data (issue 14); returns False when receipts already exist.

    A registry of 200 sellers (20 fuel stations); last month's general contest with its receipts,
    finalised and published (sealed rating, winners notified, the first two prizes claimed, the
    others — among them the demo resident's — not yet); this month's general contest and a
    parallel «АЗС» contest (fuel stations only, prizes 3 000 / 2 000 / 1 000 ₽) over ``receipts``
    receipts of up to ``participants`` adult residents spread over the month so far, the demo
    resident (+7 916 123-45-67) among the first three. Ratings are built in bulk
    (:func:`bulk.build_rating`, equal to a recount); everything in the caller's transaction.
    """
    from ag_app.services.contest import bulk, claims, finalise
    from ag_app.services.contest.contests import ensure_general

    if session.exec(select(Receipt.id).limit(1)).first() is not None:
        log.info("Демо-данные конкурса чеков уже есть: ничего не меняю.")
        return False
    rng = random.Random(seed * 14 + 1)
    connection = session.connection()
    sellers = plan_sellers(rng, now)
    known = set(session.exec(select(Seller.fn)).all())
    missing = [row for row in sellers if row["fn"] not in known]
    if missing:
        connection.execute(insert(Seller), missing)
    staff_id = session.exec(
        select(UserRole.user_id).where(UserRole.role == "staff").order_by(UserRole.user_id)
    ).first()
    excluded = select(UserRole.user_id)
    today = moscow_date(now)
    adults = [
        row
        for row in session.exec(
            select(User.id, User.phone, User.created_at, User.birth_date, User.last_name, User.first_name)
            .where(
                col(User.deactivated_at).is_(None),
                col(User.birth_date).is_not(None),
                col(User.id).not_in(excluded),
                User.created_at <= now,
            )
            .order_by(User.id)
        ).all()
        if age_on(row.birth_date, today) >= ADULT_AGE
    ]
    if staff_id is None or len(adults) < 10:
        log.warning("Конкурс чеков: нет сотрудника или жителей — демо-данные не созданы.")
        return False
    demo = next((row for row in adults if row.phone == DEMO_PARTICIPANT_PHONE), None)
    others = [row for row in adults if row.phone != DEMO_PARTICIPANT_PHONE]
    chosen = sorted(
        rng.sample(others, min(participants - (demo is not None), len(others))), key=lambda r: r.id
    )
    people = ([demo] if demo is not None else []) + chosen
    connection.execute(
        insert(ContestParticipant),
        [{"user_id": row.id, "registered_at": row.created_at} for row in people],
    )
    number = dict(
        session.exec(
            select(ContestParticipant.user_id, ContestParticipant.id).where(
                col(ContestParticipant.user_id).in_([row.id for row in people])
            )
        ).all()
    )
    demo_id = number[demo.id] if demo is not None else None

    # Last month: a smaller contest, finalised and published now.
    year, month = period_of(now)
    last_year, last_month = (year, month - 1) if month > 1 else (year - 1, 12)
    last_start, last_end = period_bounds(last_year, last_month)
    # The demo resident's receipts are added apart (to land at a chosen place), not planned here.
    last_people = sorted(rng.sample([number[row.id] for row in chosen], len(chosen) * 2 // 5))
    fd = _month_of_receipts(
        session,
        rng,
        last_people,
        receipts * 2 // 5,
        sellers,
        period=period_label(last_year, last_month),
        start=last_start,
        now=last_end - timedelta(seconds=1),
        first_fd=1,
        demo=(demo_id, _DEMO_PLACE_LAST) if demo_id is not None else None,
    )
    last = ensure_general(session, last_year, last_month, last_start)
    bulk.build_rating(session, last)
    session.flush()
    finalise.finalise_contest(session, actor_id=staff_id, contest_id=last.id, now=now)
    by_participant = {number[row.id]: row for row in people}
    winners = session.exec(
        select(ContestPrize)
        .where(ContestPrize.contest_id == last.id, ContestPrize.participant_id != demo_id)
        .order_by(ContestPrize.place)
        .limit(_CLAIMED)
    ).all()
    for prize in winners:
        winner = by_participant[prize.participant_id]
        claims.claim_prize(
            session,
            actor_id=winner.id,
            prize_id=prize.id,
            last_name=winner.last_name,
            first_name=winner.first_name,
            phone=winner.phone,
            bank=_BANKS[prize.place % len(_BANKS)],
            now=now,
        )

    # This month: the general contest and the parallel «АЗС» one.
    start = period_bounds(year, month)[0]
    general = ensure_general(session, year, month, start)
    fuel = Contest(
        period=period_label(year, month),
        title=FUEL_TITLE,
        general=False,
        categories=FUEL,
        prizes=FUEL_PRIZES,
        created_at=start,
        created_by=staff_id,
    )
    session.add(fuel)
    session.flush()
    _month_of_receipts(
        session,
        rng,
        sorted(number[row.id] for row in chosen),
        receipts,
        sellers,
        period=period_label(year, month),
        start=start,
        now=now,
        first_fd=fd,
        demo=(demo_id, _DEMO_PLACE_NOW) if demo_id is not None else None,
    )
    for contest in (general, fuel):
        bulk.build_rating(session, contest)
    log.info(
        "Конкурс чеков: %d продавцов, %d участников, демо-житель %s",
        len(sellers),
        len(people),
        "в таблице" if demo is not None else "не найден",
    )
    return True
