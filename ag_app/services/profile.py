"""«Мой профиль»: personal data, family, e-mail, addresses, identification, deactivation (SPEC §1.3–1.5)."""

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, or_, select

from ag_app.db import reads
from ag_app.domain.clock import as_utc, moscow_date
from ag_app.domain.errors import Conflict, DomainError, InvalidInput, TooManyRequests
from ag_app.domain.house_registry import PersonData, same_person
from ag_app.domain.identity import (
    identification_level,
    level_name,
    normalize_passport,
    normalize_snils,
)
from ag_app.domain.points import ACTIVE_CITIZEN_STATUS, PROFILE_BLOCK_POINTS, PROFILE_FULL_POINTS
from ag_app.domain.profile import (
    ADDRESS_KINDS,
    BLOCKS,
    can_change_address,
    check_apartment,
    check_birth_date,
    check_children,
    check_gender,
    check_house_number,
    check_marital_status,
    clean_email,
    clean_name,
    completed_blocks,
    is_full_profile,
    next_address_change_on,
)
from ag_app.models import (
    Child,
    CitizenRecord,
    District,
    House,
    LoginCode,
    Okrug,
    OutboxMessage,
    Street,
    User,
    UserAddress,
)
from ag_app.services.access import active_user, capabilities_of, lock_user, roles_of
from ag_app.services.auth import revoke_user_sessions
from ag_app.services.ledger import credit
from ag_app.services.outbox import send_email
from ag_app.services.registry import house_text
from ag_app.settings import get_settings

# How long an e-mail confirmation link works.
EMAIL_TOKEN_TTL = timedelta(days=3)
EMAIL_CONFIRM_SUBJECT = "Подтверждение электронной почты"
# Confirmation links one account may request in a rolling hour.
EMAIL_LINKS_PER_HOUR = 3


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


def _award_profile_points(session: Session, user: User, now: datetime) -> None:
    """Credit 10 points per complete block and 20 for the whole profile (each once; the ledger dedupes)."""
    blocks = _blocks(user)
    for block in sorted(blocks):
        credit(
            session,
            user_id=user.id,
            amount=PROFILE_BLOCK_POINTS,
            reason="profile_block",
            ref=block,
            description=f"Заполнен блок профиля: {BLOCKS[block]}",
            now=now,
        )
    if is_full_profile(blocks, has_address=_has_address(session, user.id)):
        credit(
            session,
            user_id=user.id,
            amount=PROFILE_FULL_POINTS,
            reason="profile_full",
            ref="profile",
            description="Профиль заполнен полностью",
            now=now,
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


def update_personal(
    session: Session,
    *,
    actor_id: int | None,
    last_name: str,
    first_name: str,
    patronymic: str,
    gender: str,
    birth_date: date | None,
    now: datetime,
) -> None:
    """Save the personal block: names (letters, space, hyphen; patronymic may be «-»), gender, birth date.

    The date of birth must give an age of 14–120. Once the identity is verified, names and birth date
    are locked. The block earns 10 points once when last name, first name, gender and birth date are set.
    """
    user = lock_user(session, active_user(session, actor_id).id)
    last = clean_name(last_name, field="Фамилия")
    first = clean_name(first_name, field="Имя")
    middle = clean_name(patronymic, field="Отчество", required=False, dash_allowed=True)
    gender = check_gender(gender)
    birth_date = check_birth_date(birth_date, moscow_date(now))
    if user.identity_verified_at is not None and not same_person(
        PersonData(user.last_name, user.first_name, user.patronymic, user.birth_date),
        PersonData(last, first, middle, birth_date),
    ):
        raise DomainError("profile.identity_locked")
    user.last_name, user.first_name, user.patronymic = last, first, middle
    user.gender, user.birth_date = gender, birth_date
    session.add(user)
    session.flush()
    _award_profile_points(session, user, now)


def update_family(
    session: Session,
    *,
    actor_id: int | None,
    marital_status: str,
    children_birth_years: list[int],
    now: datetime,
) -> None:
    """Save the family block: marital status and each child's birth year (may be none); 10 points once."""
    user = lock_user(session, active_user(session, actor_id).id)
    status = check_marital_status(marital_status)
    years = check_children(children_birth_years, moscow_date(now))
    session.execute(delete(Child).where(col(Child.user_id) == user.id))
    session.add_all(Child(user_id=user.id, birth_year=year) for year in years)
    user.marital_status = status
    user.family_filled = True
    session.add(user)
    session.flush()
    _award_profile_points(session, user, now)


def _sign(payload: str) -> str:
    key = get_settings().require_secret().encode()
    return hmac.new(key, f"email:{payload}".encode(), hashlib.sha256).hexdigest()


def email_token(user_id: int, email: str, expires_at: datetime) -> str:
    """A signed, URL-safe confirmation token naming the user, the address and the expiry."""
    payload = base64.urlsafe_b64encode(f"{user_id}:{int(as_utc(expires_at).timestamp())}:{email}".encode())
    text = payload.decode().rstrip("=")
    return f"{text}.{_sign(text)}"


def _read_email_token(token: str, now: datetime) -> tuple[int, str]:
    """The user id and e-mail of a genuine, unexpired token; anything else is refused."""
    text, _, signature = (token or "").strip().partition(".")
    if not text or not hmac.compare_digest(signature, _sign(text)):
        raise InvalidInput("profile.email_token_invalid")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
        user_id, expires, email = raw.split(":", 2)
        user_id_int, expires_int = int(user_id), int(expires)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidInput("profile.email_token_invalid") from exc
    if as_utc(now).timestamp() >= expires_int:
        raise InvalidInput("profile.email_token_invalid")
    return user_id_int, email


def request_email_confirmation(session: Session, *, actor_id: int | None, email: str, now: datetime) -> None:
    """Save the e-mail address (unconfirmed) and send a confirmation link valid for 3 days.

    At most :data:`EMAIL_LINKS_PER_HOUR` links per account in a rolling hour, so the platform cannot
    be used to send mail to arbitrary addresses.
    """
    user = lock_user(session, active_user(session, actor_id).id)
    address = clean_email(email)
    if user.email == address and user.email_confirmed_at is not None:
        return
    sent = session.exec(
        select(func.count())
        .select_from(OutboxMessage)
        .where(
            OutboxMessage.user_id == user.id,
            OutboxMessage.subject == EMAIL_CONFIRM_SUBJECT,
            OutboxMessage.created_at > as_utc(now) - timedelta(hours=1),
        )
    ).one()
    if sent >= EMAIL_LINKS_PER_HOUR:
        raise TooManyRequests("profile.email_rate_limited")
    user.email = address
    user.email_confirmed_at = None
    session.add(user)
    token = email_token(user.id, address, as_utc(now) + EMAIL_TOKEN_TTL)
    link = f"{get_settings().public_url.rstrip('/')}/confirm-email?token={token}"
    send_email(
        session,
        to=address,
        user_id=user.id,
        subject=EMAIL_CONFIRM_SUBJECT,
        body=(
            "Здравствуйте!\n\nЧтобы подтвердить адрес электронной почты в проекте «Активный гражданин», "
            f"перейдите по ссылке (она действует 3 дня):\n{link}\n\n"
            "Если вы не указывали этот адрес, просто проигнорируйте письмо."
        ),
        now=now,
    )


def confirm_email(session: Session, *, token: str, now: datetime) -> None:
    """Confirm the e-mail named by a genuine, unexpired link of the current address; 10 points once."""
    user_id, email = _read_email_token(token, now)
    user = session.get(User, user_id)
    if user is None or user.deactivated_at is not None or user.email != email:
        raise InvalidInput("profile.email_token_invalid")
    user = lock_user(session, user_id)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = now
        session.add(user)
        session.flush()
    _award_profile_points(session, user, now)


def set_address(
    session: Session, *, actor_id: int | None, kind: str, house_id: int, apartment: str = "", now: datetime
) -> None:
    """Set one of the addresses (registration, residence, work, property) to a registry house.

    The property address needs an apartment. Setting an address for the first time is always allowed;
    changing it is allowed once per 3 calendar months (Moscow dates), the refusal names the date.
    """
    if kind not in ADDRESS_KINDS:
        raise InvalidInput("address.kind_invalid")
    user = lock_user(session, active_user(session, actor_id).id)
    apartment = check_apartment(apartment, required=kind == "property")
    if session.get(House, house_id) is None:
        raise InvalidInput("address.house_unknown")
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
) -> int:
    """Set an address to a house missing from the registry (queued for staff); returns the house id.

    One use case: when the address is refused (e.g. changed too soon) the new house is not kept.
    """
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


def verify_identity(
    session: Session,
    *,
    actor_id: int | None,
    passport_series: str,
    passport_number: str,
    snils: str,
    now: datetime,
) -> None:
    """Reach level 3 «полный»: passport and SNILS (with its checksum) matched against the citizen registry.

    The profile's last, first and patronymic names and birth date must be filled; a registry record
    must match every field (the person by :func:`ag_app.domain.house_registry.same_person`, the
    passport exactly). Without a match nothing is stored.
    """
    user = lock_user(session, active_user(session, actor_id).id)
    if user.identity_verified_at is not None:
        raise DomainError("identity.already")
    series, number = normalize_passport(passport_series, passport_number)
    snils = normalize_snils(snils)
    if not (user.last_name and user.first_name and user.birth_date):
        raise DomainError("identity.profile_incomplete")
    record = session.exec(select(CitizenRecord).where(CitizenRecord.snils == snils)).first()
    if (
        record is None
        or not same_person(
            PersonData(record.last_name, record.first_name, record.patronymic, record.birth_date),
            PersonData(user.last_name, user.first_name, user.patronymic, user.birth_date),
        )
        or (record.passport_series, record.passport_number) != (series, number)
    ):
        raise DomainError("identity.no_match")
    taken = session.exec(
        select(User.id).where(
            User.snils == snils, col(User.identity_verified_at).is_not(None), User.id != user.id
        )
    ).first()
    if taken is not None:
        raise Conflict("identity.taken")
    user.passport_series, user.passport_number, user.snils = series, number, snils
    user.identity_verified_at = now
    session.add(user)
    session.flush()


def deactivate(session: Session, *, actor_id: int | None, now: datetime) -> None:
    """Deactivate the profile: personal data is removed, sessions end, the phone may register anew.

    Names, birth date, family, e-mail, documents and addresses are deleted and the phone number is
    replaced by a tombstone. Ballots and the points ledger stay (points are frozen: a deactivated
    account cannot act).
    """
    user = lock_user(session, active_user(session, actor_id).id)
    phone, email = user.phone, user.email
    session.execute(delete(UserAddress).where(col(UserAddress.user_id) == user.id))
    session.execute(delete(Child).where(col(Child.user_id) == user.id))
    session.execute(delete(LoginCode).where(col(LoginCode.phone) == phone))
    recipients = [phone, email] if email else [phone]
    session.execute(
        delete(OutboxMessage).where(or_(*(col(OutboxMessage.recipient) == r for r in recipients)))
    )
    user.phone = f"deleted:{user.uid}"
    user.last_name = user.first_name = user.patronymic = user.gender = user.marital_status = ""
    user.birth_date = None
    user.family_filled = False
    user.email = ""
    user.email_confirmed_at = None
    user.passport_series = user.passport_number = user.snils = ""
    user.identity_verified_at = None
    user.deactivated_at = now
    session.add(user)
    revoke_user_sessions(session, user_id=user.id, now=now)
    session.flush()
