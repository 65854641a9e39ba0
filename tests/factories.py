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
