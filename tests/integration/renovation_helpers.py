"""Builders for house-vote tests: a house of apartments in the registry, verified holders, a vote."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import count

from sqlalchemy import Engine
from sqlmodel import Session

from ag_app.db import transaction
from ag_app.models import House, Premise, PremiseHolder, PremiseLink, Street, User
from ag_app.services import renovation
from tests.factories import T0, make_user

DAY = timedelta(days=1)
_person = count(1)
_street = count(1)


@dataclass(frozen=True)
class RegistryHouse:
    """A registry house: its id and its apartments' premise ids by number («1», «2», …)."""

    id: int
    apartments: dict[str, int]


def make_house(session: Session, district_id: int, apartments: int, *, street: str = "") -> RegistryHouse:
    """A house on a new street of ``district_id`` with ``apartments`` apartments numbered from 1."""
    row = Street(district_id=district_id, name=street or f"Реновационная улица {next(_street)}")
    session.add(row)
    session.flush()
    house = House(street_id=row.id, district_id=district_id, number="5")
    session.add(house)
    session.flush()
    premises = [
        Premise(house_id=house.id, number=str(n), kind="apartment", area_m2=Decimal("45.50"))
        for n in range(1, apartments + 1)
    ]
    session.add_all(premises)
    session.add(Premise(house_id=house.id, number="Н-1", kind="non_residential", area_m2=Decimal("120.00")))
    session.commit()
    return RegistryHouse(id=house.id, apartments={p.number: p.id for p in premises})


def add_holder(
    session: Session,
    premise_id: int,
    *,
    role: str = "owner",
    person_ref: str | None = None,
    last_name: str = "Иванов",
    birth_date: date | None = date(1985, 5, 17),
) -> PremiseHolder:
    """A registry row of a person (Иванов Иван Иванович, like :func:`make_user`) for a premise."""
    premise = session.get(Premise, premise_id)
    holder = PremiseHolder(
        premise_id=premise_id,
        house_id=premise.house_id,
        role=role,
        person_ref=person_ref or f"P{next(_person):06d}",
        last_name=last_name,
        first_name="Иван",
        patronymic="Иванович",
        birth_date=birth_date,
    )
    session.add(holder)
    session.commit()
    return holder


def link(session: Session, user_id: int, holder_id: int) -> None:
    """Confirm the account as the registry row («помещение подтверждено»)."""
    session.add(PremiseLink(holder_id=holder_id, user_id=user_id, method="account_number", linked_at=T0))
    session.commit()


def make_voter(
    session: Session, premise_id: int, *, role: str = "owner", person_ref: str | None = None, email: str = ""
) -> tuple[User, PremiseHolder]:
    """A level-3 account confirmed as an owner (or tenant) of the premise; returns it and its registry row."""
    user = make_user(session)
    user.identity_verified_at = T0
    if email:
        user.email, user.email_confirmed_at = email, T0
    session.add(user)
    session.commit()
    holder = add_holder(session, premise_id, role=role, person_ref=person_ref)
    link(session, user.id, holder.id)
    return user, holder


def open_vote(engine: Engine, staff_id: int, house_ids: list[int], now: datetime, **changes) -> int:
    """A vote open from a day before ``now`` for two weeks; returns its id."""
    fields = {
        "title": "Программа реновации жилищного фонда",
        "question": "Включить дом в программу реновации?",
        "starts_at": now - DAY,
        "ends_at": now + 14 * DAY,
        "house_ids": house_ids,
    } | changes
    with transaction(engine) as s:
        return renovation.open_campaign(s, actor_id=staff_id, now=now, **fields).id


def vote(engine: Engine, user_id: int, campaign_id: int, premise_id: int, choice: str, now: datetime):
    """Cast an online vote in its own transaction."""
    with transaction(engine) as s:
        return renovation.cast_vote(
            s, actor_id=user_id, campaign_id=campaign_id, premise_id=premise_id, choice=choice, now=now
        )
