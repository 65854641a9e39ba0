"""«Мой профиль»: blocks and their points, e-mail confirmation, addresses, level 3, deactivation."""

import re
from datetime import date, timedelta

import pytest
from sqlmodel import Session, func, select

from ag_app.db import transaction
from ag_app.domain.errors import Conflict, DomainError, InvalidInput, NotAllowed, TooManyRequests
from ag_app.models import (
    AuthSession,
    Ballot,
    Child,
    CitizenRecord,
    House,
    OutboxMessage,
    PointEntry,
    Poll,
    User,
    UserAddress,
)
from ag_app.services import auth, profile
from tests.factories import make_geo, make_user

SNILS = "11223344595"


def call(engine, fn, **kwargs):
    with transaction(engine) as s:
        return fn(s, **kwargs)


def view(engine, user_id, now) -> profile.ProfileView:
    return call(engine, profile.get_profile, actor_id=user_id, now=now)


def ledger(engine, user_id) -> list[tuple[str, str, int]]:
    with Session(engine) as s:
        rows = s.exec(select(PointEntry).where(PointEntry.user_id == user_id).order_by(PointEntry.id)).all()
    return [(r.reason, r.ref, r.amount) for r in rows]


@pytest.fixture
def user_id(session) -> int:
    """A freshly registered resident with nothing filled in."""
    user = make_user(session, birth_date=None)
    user.last_name = user.first_name = user.patronymic = user.gender = ""
    session.add(user)
    session.commit()
    return user.id


@pytest.fixture
def geo(session) -> dict[str, int]:
    return make_geo(session)


PERSONAL = {
    "last_name": "Фёдорова",
    "first_name": "Анна",
    "patronymic": "Сергеевна",
    "gender": "female",
    "birth_date": date(1985, 5, 17),
}


def fill_personal(engine, user_id, now, **changes):
    call(engine, profile.update_personal, actor_id=user_id, now=now, **{**PERSONAL, **changes})


def confirm_email(engine, user_id, now, email="anna@example.com"):
    call(engine, profile.request_email_confirmation, actor_id=user_id, email=email, now=now)
    call(engine, profile.confirm_email, token=email_token(engine, email), now=now)


def email_token(engine, email) -> str:
    with Session(engine) as s:
        body = s.exec(
            select(OutboxMessage.body)
            .where(OutboxMessage.recipient == email)
            .order_by(OutboxMessage.id.desc())
        ).first()
    return re.search(r"/confirm-email\?token=(\S+)", body).group(1)


def test_new_profile_is_level_one(engine, user_id, now):
    p = view(engine, user_id, now)
    assert (p.level, p.level_name, p.addresses, p.blocks, p.status) == (1, "упрощённый", [], [], "")
    assert re.fullmatch(r"uid\d+", p.uid)


def test_personal_block_credits_ten_points_once(engine, user_id, now):
    fill_personal(engine, user_id, now, gender="")
    assert ledger(engine, user_id) == []  # incomplete without gender
    fill_personal(engine, user_id, now)
    fill_personal(engine, user_id, now, first_name="Мария")
    p = view(engine, user_id, now)
    assert (p.last_name, p.first_name, p.birth_date, p.points_available) == (
        "Фёдорова",
        "Мария",
        date(1985, 5, 17),
        10,
    )
    assert ledger(engine, user_id) == [("profile_block", "personal", 10)]


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"last_name": "<script>alert('x')</script>"}, "profile.name_invalid"),
        ({"first_name": "Robert'); DROP TABLE user;--"}, "profile.name_invalid"),
        ({"patronymic": "<b>Иванович</b>"}, "profile.name_invalid"),
        ({"last_name": ""}, "profile.last_name_required"),
        ({"birth_date": date(2020, 1, 1)}, "profile.birth_date_invalid"),
        ({"gender": "robot"}, "profile.gender_invalid"),
    ],
)
def test_bad_personal_data_changes_nothing(engine, user_id, now, changes, key):
    fill_personal(engine, user_id, now)
    with pytest.raises(InvalidInput) as err:
        fill_personal(engine, user_id, now, **{"first_name": "Мария", **changes})
    assert err.value.key == key
    p = view(engine, user_id, now)
    assert (p.last_name, p.first_name, p.patronymic) == ("Фёдорова", "Анна", "Сергеевна")


def test_family_block_and_children(engine, user_id, now):
    call(
        engine,
        profile.update_family,
        actor_id=user_id,
        marital_status="married",
        children_birth_years=[2018, 2012],
        now=now,
    )
    call(
        engine,
        profile.update_family,
        actor_id=user_id,
        marital_status="married",
        children_birth_years=[2018, 2012, 2024],
        now=now,
    )
    p = view(engine, user_id, now)
    assert (p.marital_status, p.children_birth_years, p.family_filled) == (
        "married",
        [2012, 2018, 2024],
        True,
    )
    assert ledger(engine, user_id) == [("profile_block", "family", 10)]
    with pytest.raises(InvalidInput, match="Год рождения ребёнка"):
        call(
            engine,
            profile.update_family,
            actor_id=user_id,
            marital_status="single",
            children_birth_years=[2030],
            now=now,
        )
    p = view(engine, user_id, now)
    assert (p.marital_status, p.children_birth_years) == ("married", [2012, 2018, 2024])


def test_email_confirmed_by_signed_link(engine, user_id, now):
    call(engine, profile.request_email_confirmation, actor_id=user_id, email=" Anna@Example.com ", now=now)
    p = view(engine, user_id, now)
    assert (p.email, p.email_confirmed) == ("anna@example.com", False)
    token = email_token(engine, "anna@example.com")
    with Session(engine) as s:
        mail = s.exec(select(OutboxMessage).where(OutboxMessage.channel == "email")).one()
    assert mail.subject == "Подтверждение электронной почты"
    assert f"http://localhost:3000/confirm-email?token={token}" in mail.body
    call(engine, profile.confirm_email, token=token, now=now + timedelta(hours=1))
    call(engine, profile.confirm_email, token=token, now=now + timedelta(hours=2))
    assert view(engine, user_id, now).email_confirmed
    assert ledger(engine, user_id) == [("profile_block", "email", 10)]


@pytest.mark.parametrize("tamper", ["forged", "expired", "other_address", "garbage"])
def test_bad_confirmation_links_are_refused(engine, user_id, now, tamper):
    call(engine, profile.request_email_confirmation, actor_id=user_id, email="anna@example.com", now=now)
    token = email_token(engine, "anna@example.com")
    when = now
    if tamper == "forged":
        payload, _, signature = token.partition(".")
        token = f"{payload}.{'0' * len(signature)}"
    elif tamper == "expired":
        when = now + timedelta(days=3)
    elif tamper == "other_address":
        call(engine, profile.request_email_confirmation, actor_id=user_id, email="anna@mail.ru", now=now)
    else:
        token = "not-a-token"
    with pytest.raises(InvalidInput, match="Ссылка подтверждения недействительна"):
        call(engine, profile.confirm_email, token=token, now=when)
    assert not view(engine, user_id, now).email_confirmed


def test_email_format_is_checked(engine, user_id, now):
    with pytest.raises(InvalidInput, match="адрес электронной почты"):
        call(engine, profile.request_email_confirmation, actor_id=user_id, email="<script>@x", now=now)


def test_confirmation_links_are_limited_per_hour(engine, user_id, now):
    for n in range(3):
        call(engine, profile.request_email_confirmation, actor_id=user_id, email=f"a{n}@example.com", now=now)
    with pytest.raises(TooManyRequests, match="Слишком много писем"):
        call(engine, profile.request_email_confirmation, actor_id=user_id, email="spam@example.com", now=now)
    assert view(engine, user_id, now).email == "a2@example.com"
    later = now + timedelta(hours=1, minutes=1)
    call(engine, profile.request_email_confirmation, actor_id=user_id, email="b@example.com", now=later)
    assert view(engine, user_id, later).email == "b@example.com"


def test_full_profile_bonus_once(engine, user_id, geo, now):
    fill_personal(engine, user_id, now)
    call(
        engine,
        profile.update_family,
        actor_id=user_id,
        marital_status="single",
        children_birth_years=[],
        now=now,
    )
    confirm_email(engine, user_id, now)
    assert not view(engine, user_id, now).full_profile
    call(engine, profile.set_address, actor_id=user_id, kind="work", house_id=geo["house:Раменки"], now=now)
    later = now + timedelta(days=100)
    call(engine, profile.set_address, actor_id=user_id, kind="work", house_id=geo["house:Арбат"], now=later)
    p = view(engine, user_id, later)
    assert p.full_profile and p.points_available == 50
    assert sorted(ledger(engine, user_id)) == [
        ("profile_block", "email", 10),
        ("profile_block", "family", 10),
        ("profile_block", "personal", 10),
        ("profile_full", "profile", 20),
    ]


def test_address_gives_level_two_and_changes_once_per_three_months(engine, user_id, geo, now):
    call(
        engine, profile.set_address, actor_id=user_id, kind="residence", house_id=geo["house:Арбат"], now=now
    )
    p = view(engine, user_id, now)
    assert (p.level, p.level_name) == (2, "стандартный")
    [address] = p.addresses
    assert (address.kind_name, address.district, address.okrug) == (
        "Адрес проживания",
        "Арбат",
        "Центральный административный округ",
    )
    assert address.text == "г. Москва, улица Арбат, д. 1"
    assert address.next_change_on == date(2027, 2, 20)
    with pytest.raises(DomainError, match=r"Следующее изменение возможно с 20\.02\.2027"):
        call(
            engine,
            profile.set_address,
            actor_id=user_id,
            kind="residence",
            house_id=geo["house:Раменки"],
            now=now + timedelta(days=80),
        )
    assert view(engine, user_id, now).addresses[0].house_id == geo["house:Арбат"]
    # Another kind is a first setting, always allowed; re-saving the same address is not a change.
    call(
        engine,
        profile.set_address,
        actor_id=user_id,
        kind="registration",
        house_id=geo["house:Раменки"],
        now=now,
    )
    call(
        engine, profile.set_address, actor_id=user_id, kind="residence", house_id=geo["house:Арбат"], now=now
    )
    in_three_months = now + timedelta(days=92)
    call(
        engine,
        profile.set_address,
        actor_id=user_id,
        kind="residence",
        house_id=geo["house:Раменки"],
        now=in_three_months,
    )
    p = view(engine, user_id, in_three_months)
    assert [a.kind for a in p.addresses] == ["registration", "residence"]
    assert p.addresses[1].house_id == geo["house:Раменки"]


@pytest.mark.parametrize(
    ("kind", "house", "apartment", "key"),
    [
        ("summer", "house:Арбат", "", "address.kind_invalid"),
        ("residence", None, "", "address.house_unknown"),
        ("property", "house:Арбат", "", "address.apartment_required"),
        ("property", "house:Арбат", "1'; DROP", "address.apartment_invalid"),
    ],
)
def test_bad_addresses_are_refused(engine, user_id, geo, now, kind, house, apartment, key):
    house_id = geo[house] if house else 999_999
    with pytest.raises(InvalidInput) as err:
        call(
            engine,
            profile.set_address,
            actor_id=user_id,
            kind=kind,
            house_id=house_id,
            apartment=apartment,
            now=now,
        )
    assert err.value.key == key
    assert view(engine, user_id, now).addresses == []


def test_property_address_with_apartment(engine, user_id, geo, now):
    call(
        engine,
        profile.set_address,
        actor_id=user_id,
        kind="property",
        house_id=geo["house:Басманный"],
        apartment="12",
        now=now,
    )
    [address] = view(engine, user_id, now).addresses
    assert (address.kind_name, address.text) == (
        "Адрес собственности",
        "г. Москва, улица Басманный, д. 1, кв. 12",
    )


def test_missing_house_is_queued_for_staff_and_usable(engine, session, user_id, geo, now):
    street_id = session.get(House, geo["house:Арбат"]).street_id
    session.rollback()
    house_id = call(
        engine, profile.submit_house, actor_id=user_id, street_id=street_id, number="15к2", now=now
    )
    again = call(engine, profile.submit_house, actor_id=user_id, street_id=street_id, number="15К2", now=now)
    assert again == house_id
    house = session.get(House, house_id)
    assert (house.status, house.district_id) == ("pending", geo["Арбат"])
    session.rollback()
    call(engine, profile.set_address, actor_id=user_id, kind="residence", house_id=house_id, now=now)
    [address] = view(engine, user_id, now).addresses
    assert address.pending and address.text == "г. Москва, улица Арбат, д. 15к2"
    with pytest.raises(InvalidInput):
        call(engine, profile.submit_house, actor_id=user_id, street_id=street_id, number="<b>", now=now)
    with pytest.raises(InvalidInput):
        call(engine, profile.submit_house, actor_id=user_id, street_id=999_999, number="1", now=now)


def test_refused_address_in_a_new_house_keeps_no_house(engine, session, user_id, geo, now):
    street_id = session.get(House, geo["house:Арбат"]).street_id
    session.rollback()

    def houses(s: Session) -> int:
        return s.exec(select(func.count()).select_from(House)).one()

    houses_before = call(engine, houses)
    with pytest.raises(InvalidInput):
        call(
            engine,
            profile.set_address_in_new_house,
            actor_id=user_id,
            kind="property",
            street_id=street_id,
            number="77",
            apartment="",
            now=now,
        )
    assert call(engine, houses) == houses_before
    house_id = call(
        engine,
        profile.set_address_in_new_house,
        actor_id=user_id,
        kind="property",
        street_id=street_id,
        number="77",
        apartment="12",
        now=now,
    )
    [address] = view(engine, user_id, now).addresses
    assert (address.house_id, address.pending, address.apartment) == (house_id, True, "12")


@pytest.fixture
def citizen(session) -> CitizenRecord:
    record = CitizenRecord(
        last_name="ФЕДОРОВА",
        first_name="Анна",
        patronymic="Сергеевна",
        birth_date=date(1985, 5, 17),
        passport_series="4506",
        passport_number="123456",
        snils=SNILS,
    )
    session.add(record)
    session.commit()
    return record


def verify(engine, user_id, now, **changes):
    data = {"passport_series": "45 06", "passport_number": "123456", "snils": "112-233-445 95", **changes}
    call(engine, profile.verify_identity, actor_id=user_id, now=now, **data)


def test_identity_matching_the_registry_gives_level_three(engine, session, user_id, citizen, now):
    fill_personal(engine, user_id, now)
    verify(engine, user_id, now)
    p = view(engine, user_id, now)
    assert (p.level, p.level_name, p.identity_verified) == (3, "полный", True)
    user = session.get(User, user_id)
    assert (user.passport_series, user.passport_number, user.snils) == ("4506", "123456", SNILS)
    session.rollback()
    with pytest.raises(DomainError, match="не могут быть изменены"):
        fill_personal(engine, user_id, now, last_name="Петрова")
    fill_personal(engine, user_id, now, last_name="федорова")  # the same name in another spelling is fine
    with pytest.raises(DomainError, match="уже полностью"):
        verify(engine, user_id, now)


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"snils": "112-233-445 94"}, "identity.snils_invalid"),
        ({"snils": "1122334459"}, "identity.snils_invalid"),
        ({"passport_series": "45"}, "identity.passport_invalid"),
        ({"passport_number": "12345x"}, "identity.passport_invalid"),
        ({"passport_number": "654321"}, "identity.no_match"),
        ({"snils": "10023307769"}, "identity.no_match"),
    ],
)
def test_bad_or_unmatched_documents_store_nothing(engine, session, user_id, citizen, now, changes, key):
    fill_personal(engine, user_id, now)
    with pytest.raises(DomainError) as err:
        verify(engine, user_id, now, **changes)
    assert err.value.key == key
    user = session.get(User, user_id)
    assert (user.identity_verified_at, user.snils, user.passport_number) == (None, "", "")


def test_identity_needs_all_names_to_match(engine, user_id, citizen, now):
    fill_personal(engine, user_id, now, birth_date=date(1985, 5, 18))
    with pytest.raises(DomainError, match="не совпадают с реестром"):
        verify(engine, user_id, now)
    fill_personal(engine, user_id, now, patronymic="-")
    with pytest.raises(DomainError, match="не совпадают с реестром"):
        verify(engine, user_id, now)


def test_identity_needs_a_filled_profile(engine, user_id, citizen, now):
    with pytest.raises(DomainError, match="заполните ФИО и дату рождения"):
        verify(engine, user_id, now)


def test_documents_of_another_verified_account_are_refused(engine, session, user_id, citizen, now):
    other = make_user(session)
    other.snils, other.identity_verified_at = SNILS, now
    session.add(other)
    session.commit()
    fill_personal(engine, user_id, now)
    with pytest.raises(Conflict):
        verify(engine, user_id, now)


def test_deactivation_removes_personal_data_and_frees_the_phone(engine, session, user_id, geo, now):
    phone = session.get(User, user_id).phone
    session.rollback()
    fill_personal(engine, user_id, now)
    call(
        engine,
        profile.update_family,
        actor_id=user_id,
        marital_status="married",
        children_birth_years=[2015],
        now=now,
    )
    confirm_email(engine, user_id, now)
    call(
        engine, profile.set_address, actor_id=user_id, kind="residence", house_id=geo["house:Арбат"], now=now
    )
    poll = Poll(
        title="Опрос", starts_at=now, ends_at=now + timedelta(days=1), created_by=user_id, created_at=now
    )
    session.add(poll)
    session.flush()
    session.add(Ballot(poll_id=poll.id, user_id=user_id, completed_at=now, receipt="TEST-0000-0000-0001"))
    session.commit()
    with transaction(engine) as s:
        auth.request_code(s, phone=phone, now=now)
    session.add(
        AuthSession(token_hash="x" * 64, user_id=user_id, created_at=now, expires_at=now + timedelta(days=1))
    )
    session.commit()

    call(engine, profile.deactivate, actor_id=user_id, now=now)

    session.expire_all()
    user = session.get(User, user_id)
    assert user.phone == f"deleted:{user.uid}" and user.deactivated_at is not None
    assert (user.last_name, user.first_name, user.patronymic, user.birth_date, user.email) == (
        "",
        "",
        "",
        None,
        "",
    )
    assert session.exec(select(func.count()).select_from(UserAddress)).one() == 0
    assert session.exec(select(func.count()).select_from(Child)).one() == 0
    assert session.exec(select(OutboxMessage).where(OutboxMessage.recipient == phone)).all() == []
    assert session.exec(select(AuthSession.revoked_at)).one() is not None
    assert session.exec(select(func.count()).select_from(Ballot)).one() == 1
    assert (
        session.exec(select(func.count()).select_from(PointEntry).where(PointEntry.user_id == user_id)).one()
        == 4
    )
    session.rollback()
    with pytest.raises(NotAllowed, match="деактивирован"):
        view(engine, user_id, now)
    with pytest.raises(NotAllowed):
        fill_personal(engine, user_id, now)
    # The number registers again as a new account.
    with transaction(engine) as s:
        auth.request_code(s, phone=phone, now=now)
    with Session(engine) as s:
        body = s.exec(select(OutboxMessage.body).where(OutboxMessage.recipient == phone)).one()
    result = call(
        engine, auth.login, phone=phone, code=re.search(r"\d{6}", body).group(), now=now, accept_terms=True
    )
    assert result.is_new and result.user_id != user_id


def test_guest_cannot_use_profile(engine, now):
    from ag_app.domain.errors import NotAuthenticated

    with pytest.raises(NotAuthenticated):
        view(engine, None, now)
