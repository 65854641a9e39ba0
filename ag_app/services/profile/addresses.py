"""The user's addresses: set an address, one in a house not yet in the registry, a house submitted."""

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from ag_app.domain.clock import moscow_date
from ag_app.domain.errors import DomainError, InvalidInput
from ag_app.domain.form_check import FormCheck
from ag_app.domain.profile import (
    ADDRESS_KINDS,
    can_change_address,
    check_apartment,
    check_house_number,
    next_address_change_on,
)
from ag_app.models import House, Street, UserAddress
from ag_app.services.access import active_user, lock_user
from ag_app.services.profile.personal import _award_profile_points
from ag_app.services.profile.views import _ru_date


def _known(session: Session, model: type[House] | type[Street], row_id: int, key: str) -> None:
    """Refuse (``key``) a house or street id missing from the registry."""
    if session.get(model, row_id) is None:
        raise InvalidInput(key)


def set_address(
    session: Session,
    *,
    actor_id: int | None,
    kind: str,
    house_id: int,
    apartment: str = "",
    now: datetime,
    prior: dict[str, DomainError] | None = None,
) -> None:
    """Set one of the addresses (registration, residence, work, property) to a registry house.

    The property address needs an apartment. Setting an address for the first time is always allowed;
    changing it is allowed once per 3 calendar months (Moscow dates), the refusal names the date.
    The form's fields «house» and «apartment» (and ``prior``, fields refused while reading the form)
    are refused together («address.form_problems»); nothing is saved then.
    """
    if kind not in ADDRESS_KINDS:
        raise InvalidInput("address.kind_invalid")
    user = lock_user(session, active_user(session, actor_id).id)
    checks = FormCheck(prior=prior)
    checks.run("house", _known, session, House, house_id, "address.house_unknown")
    apartment = checks.run("apartment", check_apartment, apartment, required=kind == "property") or ""
    checks.done("address.form_problems")
    address = session.exec(
        select(UserAddress).where(UserAddress.user_id == user.id, UserAddress.kind == kind)
    ).first()
    if address is None:
        address = UserAddress(
            user_id=user.id, kind=kind, house_id=house_id, apartment=apartment, changed_at=now
        )
    elif (address.house_id, address.apartment) == (house_id, apartment):
        return
    else:
        changed_on = moscow_date(address.changed_at)
        if not can_change_address(changed_on, moscow_date(now)):
            raise DomainError("address.too_soon", date=_ru_date(next_address_change_on(changed_on)))
        address.house_id, address.apartment, address.changed_at = house_id, apartment, now
    session.add(address)
    session.flush()
    _award_profile_points(session, user, now)


def set_address_in_new_house(
    session: Session,
    *,
    actor_id: int | None,
    kind: str,
    street_id: int,
    number: str,
    apartment: str = "",
    now: datetime,
    prior: dict[str, DomainError] | None = None,
) -> int:
    """Set an address to a house missing from the registry (queued for staff); returns the house id.

    One use case: when the address is refused (e.g. changed too soon) the new house is not kept. The
    form's fields «street», «house_number» and «apartment» (and ``prior``) are checked together first.
    """
    active_user(session, actor_id)
    checks = FormCheck(prior=prior)
    checks.run("street", _known, session, Street, street_id, "address.street_unknown")
    checks.run("house_number", check_house_number, number)
    checks.run("apartment", check_apartment, apartment, required=kind == "property")
    checks.done("address.form_problems")
    house_id = submit_house(session, actor_id=actor_id, street_id=street_id, number=number, now=now)
    set_address(session, actor_id=actor_id, kind=kind, house_id=house_id, apartment=apartment, now=now)
    return house_id


def submit_house(
    session: Session, *, actor_id: int | None, street_id: int, number: str, now: datetime
) -> int:
    """A house missing from the registry, entered by a resident: «pending» for staff; returns its id.

    A house already known on that street is returned as is.
    """
    active_user(session, actor_id)
    street = session.get(Street, street_id)
    if street is None:
        raise InvalidInput("address.street_unknown")
    number = check_house_number(number)
    query = select(House.id).where(House.street_id == street.id, func.lower(House.number) == number.lower())
    existing = session.exec(query).first()
    if existing is not None:
        return existing
    house = House(street_id=street.id, district_id=street.district_id, number=number, status="pending")
    try:
        with session.begin_nested():
            session.add(house)
            session.flush()
    except IntegrityError:
        return session.exec(query).one()
    return house.id
