"""Building promo campaigns and citizens for the tests (2026 replica of the 2024 schedule)."""

from datetime import UTC, date, datetime, time

from sqlmodel import Session

from ag_app.db import transaction
from ag_app.domain.clock import MOSCOW
from ag_app.domain.identity import snils_checksum
from ag_app.models import User, UserAddress
from ag_app.seed.promo import vmeste_config
from ag_app.services.promo import campaigns
from tests.factories import T0, make_geo, make_user

# The replica's last voting day: windows end 6, 7 and 8 September 2026 at 20:01 Moscow time.
LAST_DAY = date(2026, 9, 8)
_snils_seq = iter(range(100_000_000, 999_999_999))


def msk(day: date | tuple[int, int, int], hh: int, mm: int = 0, ss: int = 0) -> datetime:
    """A Moscow wall-clock instant as aware UTC."""
    if isinstance(day, tuple):
        day = date(*day)
    return datetime.combine(day, time(hh, mm, ss), tzinfo=MOSCOW).astimezone(UTC)


def new_snils() -> str:
    first = f"{next(_snils_seq):09d}"
    return f"{first}{snils_checksum(first) % 100:02d}"


def make_citizen(
    session: Session,
    house_id: int | None,
    *,
    birth_date: date | None = date(1985, 5, 17),
    passport: bool = True,
    full: bool = False,
) -> User:
    """A resident with a registration address (when ``house_id``) and a passport on file."""
    user = make_user(session, birth_date=birth_date)
    if house_id is not None:
        session.add(UserAddress(user_id=user.id, kind="registration", house_id=house_id, changed_at=T0))
    if passport:
        user.passport_series, user.passport_number = "4510", f"{user.id:06d}"
        user.snils = new_snils()
    if full:
        user.identity_verified_at = T0
    session.add(user)
    session.commit()
    return user


def make_campaign(engine, session: Session, **overrides) -> tuple[int, int, dict[str, int]]:
    """A staff user, the geo, and the 2026 replica; returns (campaign id, staff id, geo ids)."""
    geo = make_geo(session)
    staff = make_user(session, roles=("staff",))
    with transaction(engine) as s:
        campaign_id = campaigns.create_campaign(
            s, actor_id=staff.id, config=vmeste_config(LAST_DAY, **overrides), now=msk((2026, 7, 1), 12)
        )
    return campaign_id, staff.id, geo
