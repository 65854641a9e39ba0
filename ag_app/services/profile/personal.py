"""Personal data and family, identification and deactivation; points for a completed profile."""

from datetime import date, datetime

from sqlalchemy import delete
from sqlmodel import Session, col, or_, select

from ag_app.domain.clock import moscow_date
from ag_app.domain.errors import Conflict, DomainError
from ag_app.domain.house_registry import PersonData, same_person
from ag_app.domain.identity import normalize_passport, normalize_snils
from ag_app.domain.points import PROFILE_BLOCK_POINTS, PROFILE_FULL_POINTS
from ag_app.domain.profile import (
    BLOCKS,
    check_children,
    check_marital_status,
    check_personal,
    is_full_profile,
)
from ag_app.models import Child, CitizenRecord, LoginCode, OutboxMessage, User, UserAddress
from ag_app.services.access import active_user, lock_user
from ag_app.services.auth import revoke_user_sessions
from ag_app.services.ledger import credit
from ag_app.services.profile.views import _blocks, _has_address


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
    prior: dict[str, DomainError] | None = None,
) -> None:
    """Save the personal block: names (letters, space, hyphen; patronymic may be «-»), gender, birth date.

    Every field is checked at once (:func:`ag_app.domain.profile.check_personal`; ``prior`` are
    fields the form could not even read) and nothing is saved when any is refused.

    The date of birth must give an age of 14–120. Once the identity is verified, names and birth date
    are locked. The block earns 10 points once when last name, first name, gender and birth date are set.
    """
    user = lock_user(session, active_user(session, actor_id).id)
    personal = check_personal(
        last_name=last_name,
        first_name=first_name,
        patronymic=patronymic,
        gender=gender,
        birth_date=birth_date,
        today=moscow_date(now),
        prior=prior,
    )
    last, first, middle = personal.last_name, personal.first_name, personal.patronymic
    gender, birth_date = personal.gender, personal.birth_date
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
