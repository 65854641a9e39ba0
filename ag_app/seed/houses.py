"""Demo house registry of «Электронный дом»: ~30 houses with premises, owners, tenants and residents.

The three demo residents own an apartment in a house of their own district (the one of their
registration address) and their registry rows are already linked to their accounts, as are three
more demo neighbours who own or co-own apartments in the house of +79161234567. Two people of the
citizen registry without an account yet (Васильев, Новикова) hold premises too, so a new user who
reaches level 3 with their documents can link an apartment by ФЛС live.

Deterministic (a ``random.Random`` seeded from the seed number drives everything) and idempotent:
when the demo registry is there (a holder with a ``DEMO-`` reference) nothing changes. The rows go
through the same writer as a CSV import (:func:`~ag_app.services.house_registry.apply_registry_rows`).
"""

import logging
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from time import perf_counter

from sqlalchemy import insert, select
from sqlmodel import Session

from ag_app.domain.clock import moscow_date
from ag_app.domain.house_registry import HolderRow
from ag_app.domain.identity import snils_checksum
from ag_app.models import (
    CitizenRecord,
    District,
    House,
    PremiseHolder,
    PremiseLink,
    Street,
    User,
    UserAddress,
)
from ag_app.seed.people import DEMO_RESIDENTS, load_citizens
from ag_app.services.house_registry import apply_registry_rows
from ag_app.services.registry import number_region

log = logging.getLogger(__name__)

DEMO_REF = "DEMO-"
# How many houses the demo registry has besides the three of the demo residents.
OTHER_HOUSES = 27
# Apartments of the other houses (from a small block to a 500-apartment tower).
SIZES = (500, 320, 24, 36, 48, 60, 72, 80, 96, 108, 120, 144, 150, 160, 180, 200, 240, 20, 64, 90, 132, 168)
# The demo residents' own houses: at least as many apartments as their apartment number needs.
DEMO_HOUSE_SIZES = (60, 120, 220)
MANAGER = "Департамент городского имущества города Москвы"
COMPANIES = (
    "ООО «Продукты у дома»",
    "ООО «Аптека Здоровье»",
    "ИП Миронов А. В. (парикмахерская)",
    "ООО «Химчистка Снежинка»",
    "АО «Банк Столица»",
    "ООО «Цветочная лавка»",
)


@dataclass(frozen=True)
class DemoNeighbour:
    """A demo account (level 3) holding an apartment in the house of the first demo resident."""

    phone: str
    last_name: str
    first_name: str
    patronymic: str
    gender: str
    birth_date: date
    passport: tuple[str, str]
    snils_base: str
    apartment: str
    share: Fraction
    who: str

    @property
    def snils(self) -> str:
        """The SNILS with its control number."""
        return f"{self.snils_base}{snils_checksum(self.snils_base):02d}"


NEIGHBOURS: tuple[DemoNeighbour, ...] = (
    DemoNeighbour(
        "+79161234570",
        "Петрова",
        "Елена",
        "Викторовна",
        "female",
        date(1986, 6, 21),
        ("4510", "202122"),
        "987654321",
        "12",
        Fraction(1, 2),
        "Соседка по дому (Арбат): совладелица кв. 12 (1/2) вместе с +79161234567",
    ),
    DemoNeighbour(
        "+79161234571",
        "Григорьев",
        "Максим",
        "Олегович",
        "male",
        date(1972, 10, 3),
        ("4504", "303132"),
        "876543219",
        "7",
        Fraction(1),
        "Сосед по дому (Арбат): собственник кв. 7",
    ),
    DemoNeighbour(
        "+79161234572",
        "Яковлева",
        "Ирина",
        "Павловна",
        "female",
        date(1995, 2, 14),
        ("4516", "404142"),
        "765432198",
        "15",
        Fraction(1, 3),
        "Соседка по дому (Арбат): собственница 1/3 кв. 15",
    ),
)
# The demo residents' apartments: share of the resident (the rest belongs to a family member).
DEMO_SHARES = {"+79161234567": Fraction(1, 2), "+79161234568": Fraction(1), "+79161234569": Fraction(2, 3)}
# People of the citizen registry without an account yet.
# (last name, house index, apartment, role, ФЛС); the ФЛС are fixed so that the README can name them.
UNLINKED = (
    ("Васильев", 0, "20", "owner", "7701002020"),
    ("Новикова", 2, "33", "social_tenant", "7703003333"),
)

_MALE_LAST = (
    "Иванов", "Смирнов", "Кузьмин", "Попов", "Лебедев", "Козлов", "Новиков", "Морозов", "Соловьёв",
    "Волков", "Алексеев", "Павлов", "Семёнов", "Голубев", "Виноградов", "Богданов", "Воробьёв",
    "Фёдоров", "Михайлов", "Беляев", "Тарасов", "Белов", "Комаров", "Орлов", "Киселёв", "Макаров",
    "Андреев", "Ковалёв", "Ильин", "Гусев", "Титов", "Кудрявцев", "Баранов", "Куликов", "Алексин",
    "Степанов", "Никитин", "Соболев", "Медведев", "Ершов",
)  # fmt: skip
_MALE_FIRST = (
    "Александр", "Алексей", "Андрей", "Артём", "Дмитрий", "Сергей", "Иван", "Михаил", "Максим",
    "Никита", "Владимир", "Евгений", "Игорь", "Павел", "Роман", "Денис", "Кирилл", "Николай", "Олег",
    "Юрий",
)  # fmt: skip
_FEMALE_FIRST = (
    "Анна", "Мария", "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Екатерина", "Светлана",
    "Юлия", "Анастасия", "Дарья", "Марина", "Виктория", "Ксения", "Полина", "Алина", "Людмила",
    "Галина", "Вера",
)  # fmt: skip
_PATRONYMIC = (
    ("Александрович", "Александровна"), ("Сергеевич", "Сергеевна"), ("Иванович", "Ивановна"),
    ("Михайлович", "Михайловна"), ("Андреевич", "Андреевна"), ("Дмитриевич", "Дмитриевна"),
    ("Николаевич", "Николаевна"), ("Владимирович", "Владимировна"), ("Петрович", "Петровна"),
    ("Юрьевич", "Юрьевна"), ("Олегович", "Олеговна"), ("Викторович", "Викторовна"),
)  # fmt: skip


@dataclass(frozen=True)
class HouseSeedReport:
    """What the demo registry seed did (``created`` False when it was already there)."""

    created: bool
    seconds: float
    houses: int
    premises: int
    holders: int
    links: int


@dataclass
class _Person:
    ref: str
    last_name: str
    first_name: str
    patronymic: str
    birth_date: date
    # A fixed ФЛС ("" = the next running number).
    account: str = ""


class _Plan:
    """Registry rows being planned, with running numbers for people, ФЛС and property numbers."""

    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.today = today
        self.rows: list[HolderRow] = []
        self.people = 0
        self.accounts = 0

    def person(self, *, female: bool | None = None, age: tuple[int, int] = (25, 85)) -> _Person:
        rng = self.rng
        self.people += 1
        female = rng.random() < 0.54 if female is None else female
        last = rng.choice(_MALE_LAST)
        patronymic = rng.choice(_PATRONYMIC)[1 if female else 0]
        if female:
            last = last + "а"
        birth = self.today - timedelta(days=rng.randint(age[0] * 365, age[1] * 365))
        first = rng.choice(_FEMALE_FIRST if female else _MALE_FIRST)
        return _Person(f"{DEMO_REF}{self.people:06d}", last, first, patronymic, birth)

    def account(self) -> str:
        self.accounts += 1
        return f"77{self.accounts:08d}"

    def add(
        self,
        house: tuple[str, str, str],
        premise: str,
        kind: str,
        area: Decimal,
        role: str,
        *,
        person: _Person | None = None,
        organisation: str = "",
        share: Fraction = Fraction(1),
        account: str = "",
        property_number: str = "",
    ) -> None:
        district, street, number = house
        legal = person is None
        self.rows.append(
            HolderRow(
                line=len(self.rows) + 2,
                district=district,
                street=street,
                house=number,
                premise=premise,
                premise_kind=kind,
                area_m2=area,
                role=role,
                person_kind="legal" if legal else "person",
                person_ref=f"{DEMO_REF}ORG-{organisation}"[:64] if legal else person.ref,
                last_name="" if legal else person.last_name,
                first_name="" if legal else person.first_name,
                patronymic="" if legal else person.patronymic,
                birth_date=None if legal else person.birth_date,
                organisation=organisation,
                share=share,
                account_number=account or self.account(),
                property_number=property_number,
            )
        )


def _area(rng: random.Random) -> Decimal:
    """An apartment's area by its number of rooms (1–4), in m² with two digits."""
    low, high = rng.choice(((31, 42), (31, 42), (44, 60), (44, 60), (62, 86), (90, 121)))
    return Decimal(rng.randint(low * 100, high * 100)) / 100


def _property_number(house_no: int, premise: str, n: int, year: int) -> str:
    return f"77:{house_no % 100:02d}:{house_no:07d}:{premise}-77/0{10 + house_no % 9}/{year}-{n}"


def _plan_house(
    plan: _Plan,
    house_no: int,
    house: tuple[str, str, str],
    apartments: int,
    fixed: dict[str, list[tuple[_Person, Fraction, str]]],
) -> None:
    """Premises and holders of one house; ``fixed`` apartments get the given holders (person, share, role)."""
    rng = plan.rng
    for n in range(1, apartments + 1):
        number = str(n)
        area = _area(rng)
        year = rng.randint(1995, 2025)
        if number in fixed:
            holders = fixed[number]
            owners_left = Fraction(0)
            if any(r == "social_tenant" for _p, _s, r in holders):
                plan.add(house, number, "apartment", area, "owner", organisation=MANAGER)
            else:
                owners_left = Fraction(1) - sum((s for _p, s, _r in holders), Fraction(0))
            for k, (person, share, role) in enumerate(holders, start=1):
                account = person.account or plan.account()
                prop = _property_number(house_no, number, k, year) if role == "owner" else ""
                plan.add(
                    house,
                    number,
                    "apartment",
                    area,
                    role,
                    person=person,
                    share=share,
                    account=account,
                    property_number=prop,
                )
                plan.add(house, number, "apartment", area, "resident", person=person, account=account)
            if owners_left > 0:
                partner = plan.person()
                plan.add(
                    house,
                    number,
                    "apartment",
                    area,
                    "owner",
                    person=partner,
                    share=owners_left,
                    property_number=_property_number(house_no, number, 9, year),
                )
            continue
        roll = rng.random()
        if roll < 0.08:
            # A city-owned apartment let under a social tenancy.
            plan.add(house, number, "apartment", area, "owner", organisation=MANAGER)
            tenant = plan.person(age=(30, 85))
            account = plan.account()
            plan.add(house, number, "apartment", area, "social_tenant", person=tenant, account=account)
            plan.add(house, number, "apartment", area, "resident", person=tenant, account=account)
            continue
        if roll < 0.20:
            shares = rng.choice(
                (
                    (Fraction(1, 2), Fraction(1, 2)),
                    (Fraction(1, 3), Fraction(2, 3)),
                    (Fraction(1, 4), Fraction(1, 4), Fraction(1, 2)),
                )
            )
        else:
            shares = (Fraction(1),)
        for k, share in enumerate(shares, start=1):
            owner = plan.person()
            account = plan.account()
            plan.add(
                house,
                number,
                "apartment",
                area,
                "owner",
                person=owner,
                share=share,
                account=account,
                property_number=_property_number(house_no, number, k, year),
            )
            if rng.random() < 0.7:
                plan.add(house, number, "apartment", area, "resident", person=owner, account=account)
        if rng.random() < 0.4:
            plan.add(house, number, "apartment", area, "resident", person=plan.person(age=(0, 80)))
    for n in range(1, 1 + (0 if apartments < 60 else 1 if apartments < 200 else 3)):
        number = f"Н-{n}"
        area = Decimal(rng.randint(4_000, 32_000)) / 100
        company = COMPANIES[(house_no + n) % len(COMPANIES)]
        plan.add(
            house,
            number,
            "non_residential",
            area,
            "owner",
            organisation=company,
            property_number=_property_number(house_no, number, 1, rng.randint(2000, 2024)),
        )


def _addresses(session: Session) -> dict[int, tuple[str, str, str]]:
    """Every registry house as (district, street, number), by id."""
    return {
        house_id: (district, street, number)
        for house_id, number, street, district in session.execute(
            select(House.id, House.number, Street.name, District.name)
            .join(Street, Street.id == House.street_id)
            .join(District, District.id == House.district_id)
            .where(House.status == "registry")
            .order_by(District.name, Street.name, House.id)
        ).all()
    }


def seed_houses(session: Session, *, now: datetime, seed: int) -> HouseSeedReport:
    """Load the demo house registry and link the demo residents' rows (see the module docstring)."""
    started = perf_counter()
    conn = session.connection()
    if conn.execute(
        select(PremiseHolder.id).where(PremiseHolder.person_ref.like(f"{DEMO_REF}%")).limit(1)
    ).first():
        return HouseSeedReport(False, perf_counter() - started, 0, 0, 0, 0)
    demo_phones = [d.phone for d in DEMO_RESIDENTS]
    users = {
        phone: (user_id, house_id, apartment)
        for phone, user_id, house_id, apartment in conn.execute(
            select(User.phone, User.id, UserAddress.house_id, UserAddress.apartment)
            .join(UserAddress, UserAddress.user_id == User.id)
            .where(User.phone.in_(demo_phones), UserAddress.kind == "registration")
        ).all()
    }
    if len(users) != len(demo_phones):
        log.info("Демо-жителей нет: реестр домов не загружаю.")
        return HouseSeedReport(False, perf_counter() - started, 0, 0, 0, 0)
    addresses = _addresses(session)
    rng = random.Random(f"{seed}:houses")
    plan = _Plan(rng, moscow_date(now))
    demo_houses = [users[phone][1] for phone in demo_phones]
    others = sorted(set(addresses) - set(demo_houses))
    chosen = rng.sample(others, min(OTHER_HOUSES, len(others)))
    citizens = {c.last_name: c for c in load_citizens()}

    linked: dict[str, str] = {}
    neighbours = _write_neighbours(session, now=now, house_id=demo_houses[0], rng=rng)
    for index, (phone, house_id) in enumerate(zip(demo_phones, demo_houses, strict=True)):
        user_id, _house, apartment = users[phone]
        record = next(c for c in load_citizens() if c.snils == DEMO_RESIDENTS[index].snils)
        owner = _Person(
            f"{DEMO_REF}U{index + 1}",
            record.last_name,
            record.first_name,
            record.patronymic,
            record.birth_date,
        )
        linked[owner.ref] = phone
        fixed: dict[str, list[tuple[_Person, Fraction, str]]] = {
            apartment: [(owner, DEMO_SHARES[phone], "owner")]
        }
        if index == 0:
            for n, neighbour in enumerate(neighbours, start=1):
                person = _Person(
                    f"{DEMO_REF}N{n}",
                    neighbour.last_name,
                    neighbour.first_name,
                    neighbour.patronymic,
                    neighbour.birth_date,
                )
                linked[person.ref] = neighbour.phone
                fixed.setdefault(neighbour.apartment, []).append((person, neighbour.share, "owner"))
        for last_name, house_index, number, role, account in UNLINKED:
            if house_index == index:
                c = citizens[last_name]
                person = _Person(
                    f"{DEMO_REF}C-{last_name}", c.last_name, c.first_name, c.patronymic, c.birth_date, account
                )
                fixed[number] = [(person, Fraction(1), role)]
        _plan_house(plan, index + 1, addresses[house_id], DEMO_HOUSE_SIZES[index], fixed)
    for n, house_id in enumerate(chosen, start=4):
        _plan_house(plan, n, addresses[house_id], SIZES[(n - 4) % len(SIZES)], {})

    summary = apply_registry_rows(session, plan.rows)
    links = _link_demo_rows(session, linked, now=now)
    seconds = perf_counter() - started
    log.info(
        "Реестр домов загружен за %.1f с: %d домов, %d помещений, %d строк, %d подтверждений",
        seconds,
        summary.houses,
        summary.premises_created,
        summary.holders_created,
        links,
    )
    return HouseSeedReport(
        True, seconds, summary.houses, summary.premises_created, summary.holders_created, links
    )


def _write_neighbours(
    session: Session, *, now: datetime, house_id: int, rng: random.Random
) -> list[DemoNeighbour]:
    """The demo neighbours' accounts (level 3, citizen registry records, addresses in the house)."""
    conn = session.connection()
    taken = set(
        conn.execute(select(User.phone).where(User.phone.in_([n.phone for n in NEIGHBOURS]))).scalars()
    )
    known = set(conn.execute(select(CitizenRecord.snils)).scalars())
    since = now - timedelta(days=2 * 365)
    written = []
    for neighbour in NEIGHBOURS:
        uid = f"{rng.getrandbits(64):016x}"
        if neighbour.phone in taken:
            log.info("Номер %s уже занят: демо-сосед не создан.", neighbour.phone)
            continue
        user_id = conn.execute(
            insert(User).returning(User.id),
            {
                "uid": uid,
                "phone": neighbour.phone,
                "phone_region": number_region(session, phone=neighbour.phone),
                "created_at": since,
                "terms_accepted_at": since,
                "last_name": neighbour.last_name,
                "first_name": neighbour.first_name,
                "patronymic": neighbour.patronymic,
                "gender": neighbour.gender,
                "birth_date": neighbour.birth_date,
                "passport_series": neighbour.passport[0],
                "passport_number": neighbour.passport[1],
                "snils": neighbour.snils,
                "identity_verified_at": since + timedelta(days=3),
                "deactivated_at": None,
                "marital_status": "",
                "family_filled": False,
                "email": "",
                "email_confirmed_at": None,
                "points_available": 0,
                "points_blocked": 0,
                "points_lifetime": 0,
                "active_citizen_since": None,
            },
        ).scalar_one()
        conn.execute(
            insert(UserAddress),
            [
                {
                    "user_id": user_id,
                    "kind": kind,
                    "house_id": house_id,
                    "apartment": neighbour.apartment,
                    "changed_at": since,
                }
                for kind in ("registration", "residence", "property")
            ],
        )
        if neighbour.snils not in known:
            conn.execute(
                insert(CitizenRecord),
                {
                    "last_name": neighbour.last_name,
                    "first_name": neighbour.first_name,
                    "patronymic": neighbour.patronymic,
                    "birth_date": neighbour.birth_date,
                    "passport_series": neighbour.passport[0],
                    "passport_number": neighbour.passport[1],
                    "snils": neighbour.snils,
                },
            )
        written.append(neighbour)
    return written


def _link_demo_rows(session: Session, linked: dict[str, str], *, now: datetime) -> int:
    """Link every registry row of the demo accounts' people to their accounts (confirmed by ФЛС)."""
    conn = session.connection()
    user_of = dict(
        conn.execute(select(User.phone, User.id).where(User.phone.in_(list(linked.values())))).all()
    )
    rows = conn.execute(
        select(PremiseHolder.id, PremiseHolder.person_ref).where(PremiseHolder.person_ref.in_(list(linked)))
    ).all()
    moment = now.astimezone(UTC).replace(microsecond=0)
    links = [
        {
            "holder_id": holder_id,
            "user_id": user_of[linked[ref]],
            "method": "account_number",
            "linked_at": moment,
        }
        for holder_id, ref in sorted(rows)
        if linked[ref] in user_of
    ]
    if links:
        conn.execute(insert(PremiseLink), links)
    return len(links)
