"""Receipt-contest data generated in bulk: a seller registry and a month of accepted receipts.

Shared by the demo seed and ``ag-app bench contest``: the same seller registry (about 200
sellers, one in ten a fuel station, INNs with valid check digits, Moscow and Moscow Oblast) and the
same plan of receipts — each participant at least one, a skewed few many (capped, so no review
rule would have fired), purchase times spread over the month so far, points by the seller's
category, counted when saved. Rows are plain dicts for Core ``INSERT`` batches.
"""

import random
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta

from ag_app.domain.contest import FUEL, receipt_points

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
            saved = min(now, bought + timedelta(seconds=rng.randrange(30, 2 * 86_400)))
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
