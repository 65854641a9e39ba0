"""Small builders for test data (plain rows, no business rules)."""

import secrets
from datetime import UTC, date, datetime, timedelta
from itertools import count

from sqlmodel import Session

from ag_app.models import AuthSession, District, House, Okrug, Street, User, UserAddress, UserRole

_seq = count(1)
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def make_geo(session: Session) -> dict[str, int]:
    """Two okrugs, three districts, one street and house in each; returns their ids by name."""
    ids: dict[str, int] = {}
    for okrug_name, abbrev, districts in (
        ("Центральный административный округ", "ЦАО", ["Арбат", "Басманный"]),
        ("Западный административный округ", "ЗАО", ["Раменки"]),
    ):
        okrug = Okrug(name=okrug_name, abbrev=abbrev)
        session.add(okrug)
        session.flush()
        ids[abbrev] = okrug.id
        for name in districts:
            district = District(okrug_id=okrug.id, name=name)
            session.add(district)
            session.flush()
            street = Street(district_id=district.id, name=f"улица {name}")
            session.add(street)
            session.flush()
            house = House(street_id=street.id, district_id=district.id, number="1")
            session.add(house)
            session.flush()
            ids[name] = district.id
            ids[f"house:{name}"] = house.id
    session.commit()
    return ids


def make_user(
    session: Session,
    *,
    phone: str | None = None,
    roles: tuple[str, ...] = (),
    house_id: int | None = None,
    birth_date: date | None = date(1985, 5, 17),
    phone_region: str = "moscow",
    points: int = 0,
) -> User:
    """A registered resident (optionally staff, optionally with a residence address)."""
    n = next(_seq)
    user = User(
        uid=f"uid{n:08d}",
        phone=phone or f"+7916{n:07d}",
        phone_region=phone_region,
        created_at=T0,
        terms_accepted_at=T0,
        last_name="Иванов",
        first_name="Иван",
        patronymic="Иванович",
        gender="male",
        birth_date=birth_date,
        points_available=points,
        points_lifetime=points,
    )
    session.add(user)
    session.flush()
    for role in roles:
        session.add(UserRole(user_id=user.id, role=role))
    if house_id is not None:
        session.add(UserAddress(user_id=user.id, kind="residence", house_id=house_id, changed_at=T0))
    session.commit()
    return user


def open_session(session: Session, user_id: int, now: datetime) -> str:
    """A live login session of ``user_id`` as the login opens it; returns the opaque token."""
    from ag_app.services.auth import token_hash

    token = secrets.token_urlsafe(32)
    session.add(
        AuthSession(
            token_hash=token_hash(token), user_id=user_id, created_at=now, expires_at=now + timedelta(days=30)
        )
    )
    session.commit()
    return token


# --- «Электронный дом»: house registry rows for the house poll tests --------------------------


def make_premise_holder(
    session: Session,
    *,
    house_id: int,
    user_id: int | None,
    number: str,
    role: str = "owner",
    area_m2: str = "54.30",
) -> int:
    """A premise of ``house_id`` with one holder of ``role``, linked to ``user_id`` when given
    (a confirmed right); reuses the premise when it exists. Returns the holder's id."""
    from decimal import Decimal

    from sqlmodel import select

    from ag_app.models import Premise, PremiseHolder, PremiseLink

    premise = session.exec(
        select(Premise).where(Premise.house_id == house_id, Premise.number == number)
    ).first()
    if premise is None:
        premise = Premise(house_id=house_id, number=number, area_m2=Decimal(area_m2))
        session.add(premise)
        session.flush()
    n = next(_seq)
    holder = PremiseHolder(
        premise_id=premise.id,
        house_id=house_id,
        role=role,
        person_ref=f"person-{n}",
        account_number=f"{n:010d}",
    )
    session.add(holder)
    session.flush()
    if user_id is not None:
        session.add(PremiseLink(holder_id=holder.id, user_id=user_id, method="account_number", linked_at=T0))
    session.commit()
    return holder.id


def make_house_organisation(
    session: Session, *, house_id: int, user_id: int, role: str = "management_company"
) -> None:
    """Record ``user_id`` as acting for the house's management company (or HOA)."""
    from ag_app.models import HouseOrganisation

    session.add(
        HouseOrganisation(house_id=house_id, user_id=user_id, role=role, name="ГБУ «Жилищник»", created_at=T0)
    )
    session.commit()


def verify_identity(session: Session, user: User, *, email: str = "") -> User:
    """Give ``user`` identification level 3 (and a confirmed e-mail when given)."""
    user.identity_verified_at = T0
    if email:
        user.email, user.email_confirmed_at = email, T0
    session.add(user)
    session.commit()
    return user
