"""Writing the demo house registry through the registry import and linking the demo accounts' premises."""

import random
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from time import perf_counter

from sqlalchemy import insert, select
from sqlmodel import Session

from ag_app.domain.clock import moscow_date
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
from ag_app.seed.houses.cast import (
    DEMO_HOUSE_SIZES,
    DEMO_REF,
    DEMO_SHARES,
    NEIGHBOURS,
    OTHER_HOUSES,
    SIZES,
    UNLINKED,
    DemoNeighbour,
    log,
)
from ag_app.seed.houses.plan import HouseSeedReport, _Person, _Plan, _plan_house
from ag_app.seed.people import DEMO_RESIDENTS, load_citizens
from ag_app.services.house_registry import apply_registry_rows
from ag_app.services.registry import number_region


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
