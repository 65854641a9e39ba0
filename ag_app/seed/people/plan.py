"""Planning the demo residents: people, families, addresses, phones and SNILS (deterministic)."""

import csv
import random
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from faker import Faker

from ag_app.domain.clock import MOSCOW, moscow_date
from ag_app.domain.identity import snils_checksum
from ag_app.domain.phone import region_kind
from ag_app.seed.geo import Geo
from ag_app.seed.people.cast import (
    _AGE_BANDS,
    _FEMALE_NAMES,
    _MALE_NAMES,
    _MOSCOW_CODES,
    _OTHER_CODES,
    _PATRONYMICS,
    _STAFF,
    _TRANSLIT,
    CITIZENS_CSV,
    DEMO_LOGINS,
    DEMO_RESIDENTS,
)


@dataclass
class Address:
    """An address of a planned person."""

    kind: str
    house_id: int
    district_id: int
    apartment: str = ""


@dataclass
class Person:
    """A planned account with everything the seed writes about it."""

    phone: str
    phone_region: str
    uid: str
    created_at: datetime
    last_name: str
    first_name: str
    patronymic: str
    gender: str
    birth_date: date
    marital_status: str = ""
    family_filled: bool = False
    email: str = ""
    email_confirmed_at: datetime | None = None
    children: tuple[int, ...] = ()
    addresses: list[Address] = field(default_factory=list)
    # (passport series, passport number, SNILS) once identity is verified.
    identity: tuple[str, str, str] | None = None
    identity_verified_at: datetime | None = None
    roles: tuple[str, ...] = ()
    demo: bool = False
    activity: float = 1.0
    # Days with a recorded visit (planned by the ledger step).
    visits: int = 0
    user_id: int = 0

    @property
    def home_districts(self) -> frozenset[int]:
        """Districts of the registration and residence addresses (the ones territorial polls match)."""
        return frozenset(a.district_id for a in self.addresses if a.kind in ("registration", "residence"))

    @property
    def home_district(self) -> int | None:
        """District of the residence address, else of the registration address (as ballots record it)."""
        for kind in ("residence", "registration"):
            for address in self.addresses:
                if address.kind == kind:
                    return address.district_id
        return None

    @property
    def work_district(self) -> int | None:
        """District of the work address, if any."""
        return next((a.district_id for a in self.addresses if a.kind == "work"), None)

    @property
    def level(self) -> int:
        """Identification level: 3 verified identity, 2 an address, 1 a phone."""
        if self.identity_verified_at is not None:
            return 3
        return 2 if self.addresses else 1


# Numbering-plan ranges by DEF code: (range_from, range_to, region).
Ranges = dict[int, list[tuple[int, int, str]]]


def phone_region(phone: str, ranges: Ranges) -> str:
    """«moscow» or «other» for a phone by the numbering plan, as the registry service decides it.

    A number outside every range is «other».
    """
    code, subscriber = int(phone[2:5]), int(phone[5:])
    for low, high, region in ranges.get(code, ()):
        if low <= subscriber <= high:
            return region_kind(region)
    return "other"


@dataclass(frozen=True)
class CitizenRow:
    """A record of the citizen registry (``citizens_demo.csv`` columns)."""

    last_name: str
    first_name: str
    patronymic: str
    birth_date: date
    passport_series: str
    passport_number: str
    snils: str


@lru_cache
def load_citizens() -> tuple[CitizenRow, ...]:
    """The demo citizen registry: the demo residents plus a few people without an account yet."""
    with CITIZENS_CSV.open(encoding="utf-8", newline="") as handle:
        return tuple(
            CitizenRow(
                r["last_name"],
                r["first_name"],
                r["patronymic"],
                date.fromisoformat(r["birth_date"]),
                r["passport_series"],
                r["passport_number"],
                r["snils"],
            )
            for r in csv.DictReader(handle)
        )


def translit(text: str) -> str:
    """Latin letters for a Russian word (for demo e-mail logins)."""
    return "".join(_TRANSLIT.get(ch, ch) for ch in text.lower())


def moscow_instant(day: date, hour: int, minute: int = 0) -> datetime:
    """The UTC instant of a Moscow wall-clock time."""
    return datetime.combine(day, time(hour, minute), tzinfo=MOSCOW).astimezone(UTC)


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """A whole-second instant uniformly in [start, end]."""
    span = max(0, int((end - start).total_seconds()))
    return start + timedelta(seconds=rng.randint(0, span))


class _Weighted:
    """Weighted choice from a fixed list (cumulative weights, binary search)."""

    def __init__(self, items: list[int], weights: list[float]) -> None:
        self.items = items
        self.cumulative: list[float] = []
        total = 0.0
        for weight in weights:
            total += weight
            self.cumulative.append(total)

    def pick(self, rng: random.Random) -> int:
        return self.items[bisect_right(self.cumulative, rng.random() * self.cumulative[-1])]


def _unique_snils(rng: random.Random, taken: set[str]) -> str:
    while True:
        base = f"{rng.randint(2_000_000, 999_999_999):09d}"
        snils = base + f"{snils_checksum(base):02d}"
        if snils not in taken:
            taken.add(snils)
            return snils


def plan_people(
    rng: random.Random,
    *,
    geo: Geo,
    now: datetime,
    residents: int,
    ranges: Ranges,
    taken_phones: frozenset[str] = frozenset(),
    taken_snils: frozenset[str] = frozenset(),
) -> list[Person]:
    """Staff, the demo residents and ``residents`` generated residents, in a fixed order.

    Generated residents: age 18–85 (mostly 25–60), ~46 % men, Russian names, addresses spread across
    districts by population (a few without any address), ~85 % Moscow phone numbers, some children,
    e-mails (mostly confirmed) and verified identities.
    """
    today = moscow_date(now)
    faker = Faker("ru_RU")
    faker.seed_instance(rng.getrandbits(32))
    used_phones = {login.phone for login in DEMO_LOGINS} | taken_phones
    used_uids: set[str] = set()
    used_snils = {c.snils for c in load_citizens()} | taken_snils
    citizens = {c.snils: c for c in load_citizens()}
    district_ids = sorted(geo.houses)
    by_population = _Weighted(district_ids, [geo.population[d] for d in district_ids])
    centre = geo.okrug_ids["ЦАО"]
    by_workplaces = _Weighted(
        district_ids,
        [geo.population[d] * (5 if geo.district_okrug[d] == centre else 1) for d in district_ids],
    )

    def uid() -> str:
        while True:
            value = f"{rng.getrandbits(64):016x}"
            if value not in used_uids:
                used_uids.add(value)
                return value

    def house_in(district_id: int) -> int:
        return rng.choice(geo.houses[district_id])

    people: list[Person] = []
    staff_since = now - timedelta(days=3 * 365)
    for phone, roles, last, first, patronymic, gender in _STAFF:
        people.append(
            Person(
                phone=phone,
                phone_region=phone_region(phone, ranges),
                uid=uid(),
                created_at=staff_since,
                last_name=last,
                first_name=first,
                patronymic=patronymic,
                gender=gender,
                birth_date=date(1980 + len(people) * 3, 4 + len(people), 10 + len(people)),
                roles=roles,
                demo=True,
                activity=0.0,
            )
        )

    demo_since = now - timedelta(days=3 * 365 + 20)
    for n, demo in enumerate(DEMO_RESIDENTS):
        record = citizens[demo.snils]
        district_id = geo.district_ids[demo.district]
        house_id = geo.houses[district_id][n]
        addresses = [
            Address("registration", house_id, district_id, demo.apartment),
            Address("residence", house_id, district_id, demo.apartment),
        ]
        if n == 0:
            addresses.append(Address("property", house_id, district_id, demo.apartment))
        if demo.work_district:
            work = geo.district_ids[demo.work_district]
            addresses.append(Address("work", geo.houses[work][0], work))
        people.append(
            Person(
                phone=demo.phone,
                phone_region=phone_region(demo.phone, ranges),
                uid=uid(),
                created_at=demo_since,
                last_name=record.last_name,
                first_name=record.first_name,
                patronymic=record.patronymic,
                gender=demo.gender,
                birth_date=record.birth_date,
                marital_status=demo.marital_status,
                family_filled=True,
                email=demo.email,
                email_confirmed_at=demo_since + timedelta(days=1),
                children=demo.children,
                addresses=addresses,
                identity=(record.passport_series, record.passport_number, record.snils),
                identity_verified_at=demo_since + timedelta(days=30),
                demo=True,
                activity=demo.activity,
                visits=demo.visits,
            )
        )

    moscow_codes = _Weighted([c for c, _ in _MOSCOW_CODES], [w for _, w in _MOSCOW_CODES])
    other_codes = _Weighted([c for c, _ in _OTHER_CODES], [w for _, w in _OTHER_CODES])
    bands = _Weighted(list(range(len(_AGE_BANDS))), [w for *_, w in _AGE_BANDS])
    old_from, old_to = now - timedelta(days=7 * 365), now - timedelta(days=560)
    new_from, new_to = now - timedelta(days=540), now - timedelta(days=2)
    for _ in range(residents):
        code = (moscow_codes if rng.random() < 0.85 else other_codes).pick(rng)
        while True:
            phone = f"+7{code}{rng.randrange(10**7):07d}"
            if phone not in used_phones:
                used_phones.add(phone)
                break
        created = _between(rng, old_from, old_to) if rng.random() < 0.85 else _between(rng, new_from, new_to)
        gender = "male" if rng.random() < 0.46 else "female"
        low, high, _w = _AGE_BANDS[bands.pick(rng)]
        age = rng.randint(low, high)
        birth = today - timedelta(days=age * 365 + rng.randint(0, 364) + age // 4)
        patronymic = rng.choice(_PATRONYMICS)
        if gender == "male":
            last, first, middle = faker.last_name_male(), rng.choice(_MALE_NAMES), patronymic[0]
        else:
            last, first, middle = faker.last_name_female(), rng.choice(_FEMALE_NAMES), patronymic[1]
        person = Person(
            phone=phone,
            phone_region=phone_region(phone, ranges),
            uid=uid(),
            created_at=created,
            last_name=last,
            first_name=first,
            patronymic=middle,
            gender=gender,
            birth_date=birth,
            activity=rng.lognormvariate(0.0, 0.6),
        )
        _plan_family(rng, person, age=age, today=today)
        if rng.random() < 0.45:
            person.email = f"{translit(first)}.{translit(last)}{rng.randint(1, 999)}@example.com"
            if rng.random() < 0.8:
                person.email_confirmed_at = _between(rng, created, min(now, created + timedelta(days=60)))
        _plan_addresses(
            rng, person, house_in=house_in, by_population=by_population, by_workplaces=by_workplaces
        )
        if person.addresses and rng.random() < 0.18:
            issued = (birth.year + (45 if age >= 45 else 20 if age >= 20 else 14)) % 100
            person.identity = (
                f"45{issued:02d}",
                f"{rng.randint(100000, 999999)}",
                _unique_snils(rng, used_snils),
            )
            person.identity_verified_at = _between(rng, created, min(now, created + timedelta(days=400)))
        people.append(person)
    return people


def _plan_family(rng: random.Random, person: Person, *, age: int, today: date) -> None:
    """Marital status and children (by birth year) for about two thirds of the residents."""
    if rng.random() >= 0.65:
        return
    person.family_filled = True
    roll = rng.random()
    if age < 25:
        person.marital_status = "single" if roll < 0.8 else "married"
    elif age < 60:
        person.marital_status = "married" if roll < 0.6 else "single" if roll < 0.85 else "divorced"
    else:
        person.marital_status = "married" if roll < 0.55 else "widowed" if roll < 0.85 else "divorced"
    chance = 0.0 if age < 22 else 0.45 if age < 35 else 0.7
    if rng.random() < chance:
        count = 1 if rng.random() < 0.55 else 2 if rng.random() < 0.75 else 3
        birth_year = person.birth_date.year
        years = {
            min(today.year, birth_year + rng.randint(20, max(20, min(42, age - 1)))) for _ in range(count)
        }
        person.children = tuple(sorted(years))


def _plan_addresses(
    rng: random.Random,
    person: Person,
    *,
    house_in: Callable[[int], int],
    by_population: _Weighted,
    by_workplaces: _Weighted,
) -> None:
    """Registration and residence (mostly the same house), sometimes work and property addresses.

    About 4 % have no address (level 1) and 3 % only a residence address (registered outside Moscow).
    """
    roll = rng.random()
    if roll < 0.04:
        return
    district = by_population.pick(rng)
    house = house_in(district)
    apartment = str(rng.randint(1, 350))
    if roll < 0.07:
        person.addresses.append(Address("residence", house, district, apartment))
    else:
        person.addresses.append(Address("registration", house, district, apartment))
        if rng.random() < 0.72:
            person.addresses.append(Address("residence", house, district, apartment))
        else:
            other = district if rng.random() < 0.4 else by_population.pick(rng)
            person.addresses.append(Address("residence", house_in(other), other, str(rng.randint(1, 350))))
        if rng.random() < 0.4:
            person.addresses.append(Address("property", house, district, apartment))
    if rng.random() < 0.3:
        work = by_workplaces.pick(rng)
        person.addresses.append(Address("work", house_in(work), work))
