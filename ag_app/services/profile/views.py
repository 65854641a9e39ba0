"""Reading «Мой профиль»: the profile and address views and what the profile page shows."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, func, select

from ag_app.db import reads
from ag_app.domain.clock import as_utc, moscow_date
from ag_app.domain.identity import identification_level, level_name
from ag_app.domain.points import ACTIVE_CITIZEN_STATUS
from ag_app.domain.profile import ADDRESS_KINDS, completed_blocks, is_full_profile, next_address_change_on
from ag_app.models import Child, District, House, Okrug, Street, User, UserAddress
from ag_app.services.access import active_user, capabilities_of, roles_of
from ag_app.services.registry import house_text


@dataclass(frozen=True)
class AddressView:
    """One of the user's addresses; ``next_change_on`` is set while a change is not yet allowed."""

    kind: str
    kind_name: str
    house_id: int
    text: str
    district: str
    okrug: str
    apartment: str
    changed_at: datetime
    next_change_on: date | None
    # The house was entered by the user and awaits a check by staff.
    pending: bool


@dataclass(frozen=True)
class ProfileView:
    """Everything «Мой профиль» shows."""

    uid: str
    phone: str
    last_name: str
    first_name: str
    patronymic: str
    gender: str
    birth_date: date | None
    marital_status: str
    children_birth_years: list[int]
    email: str
    email_confirmed: bool
    addresses: list[AddressView]
    level: int
    level_name: str
    identity_verified: bool
    points_available: int
    points_blocked: int
    points_lifetime: int
    status: str
    roles: list[str]
    # What the user may do beyond a resident (``ag_app.domain.roles.Capability`` values): menus use it.
    capabilities: list[str]
    # Whether the family block was saved, which blocks are complete, whether the whole profile is.
    family_filled: bool
    blocks: list[str]
    full_profile: bool


def _ru_date(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _address_views(session: Session, user_id: int, now: datetime) -> list[AddressView]:
    rows = session.exec(
        select(UserAddress, House, Street.name, District.name, Okrug.name)
        .join(House, col(House.id) == UserAddress.house_id)
        .join(Street, col(Street.id) == House.street_id)
        .join(District, col(District.id) == House.district_id)
        .join(Okrug, col(Okrug.id) == District.okrug_id)
        .where(UserAddress.user_id == user_id)
    ).all()
    order = list(ADDRESS_KINDS)
    today = moscow_date(now)
    views = []
    for address, house, street, district, okrug in sorted(rows, key=lambda row: order.index(row[0].kind)):
        text = f"г. Москва, {house_text(street, house.number)}"
        if address.apartment:
            text += f", кв. {address.apartment}"
        next_on = next_address_change_on(moscow_date(address.changed_at))
        views.append(
            AddressView(
                kind=address.kind,
                kind_name=ADDRESS_KINDS[address.kind],
                house_id=house.id,
                text=text,
                district=district,
                okrug=okrug,
                apartment=address.apartment,
                changed_at=as_utc(address.changed_at),
                next_change_on=next_on if next_on > today else None,
                pending=house.status == "pending",
            )
        )
    return views


def _has_address(session: Session, user_id: int) -> bool:
    return (
        session.exec(
            select(func.count()).select_from(UserAddress).where(UserAddress.user_id == user_id)
        ).one()
        > 0
    )


def _blocks(user: User) -> set[str]:
    return completed_blocks(
        last_name=user.last_name,
        first_name=user.first_name,
        gender=user.gender,
        birth_date=user.birth_date,
        family_filled=user.family_filled,
        email_confirmed=user.email_confirmed_at is not None,
    )


@reads
def get_profile(session: Session, *, actor_id: int | None, now: datetime) -> ProfileView:
    """The actor's profile with the identification level, points and status."""
    user = active_user(session, actor_id)
    session.refresh(user)
    addresses = _address_views(session, user.id, now)
    verified = user.identity_verified_at is not None
    level = identification_level(has_address=bool(addresses), identity_verified=verified)
    blocks = _blocks(user)
    children = session.exec(
        select(Child.birth_year).where(Child.user_id == user.id).order_by(Child.birth_year)
    )
    return ProfileView(
        uid=user.uid,
        phone=user.phone,
        last_name=user.last_name,
        first_name=user.first_name,
        patronymic=user.patronymic,
        gender=user.gender,
        birth_date=user.birth_date,
        marital_status=user.marital_status,
        children_birth_years=list(children.all()),
        email=user.email,
        email_confirmed=user.email_confirmed_at is not None,
        addresses=addresses,
        level=level,
        level_name=level_name(level),
        identity_verified=verified,
        points_available=user.points_available,
        points_blocked=user.points_blocked,
        points_lifetime=user.points_lifetime,
        status=ACTIVE_CITIZEN_STATUS if user.active_citizen_since is not None else "",
        roles=sorted(roles_of(session, user.id)),
        capabilities=sorted(capabilities_of(session, user.id)),
        family_filled=user.family_filled,
        blocks=sorted(blocks),
        full_profile=is_full_profile(blocks, has_address=bool(addresses)),
    )
