"""A resident or staff form refused as a whole changes nothing, lists every problem in one alert and
marks the bad fields (``invalid_fields`` drives ``aria-invalid``); a good save clears the marks."""

import asyncio

from sqlmodel import Session, func, select

from ag_app.models import FeedbackTicket, User, UserAddress
from ag_app.state.address import AddressState
from ag_app.state.feedback import FeedbackState
from ag_app.state.profile import ProfileState
from tests.factories import make_geo, make_user
from tests.integration.tabs import browser_tab


def _run(handler, state, *args):
    result = handler.fn(state, *args)
    if asyncio.iscoroutine(result):
        asyncio.run(result)


def _names(session: Session, user_id: int) -> tuple:
    row = session.exec(
        select(User.last_name, User.first_name, User.patronymic, User.gender, User.birth_date).where(
            User.id == user_id
        )
    ).one()
    session.commit()
    return tuple(row)


def test_refused_personal_form_changes_nothing_and_marks_every_bad_field(app_engine, session):
    user = make_user(session)
    before = _names(session, user.id)
    state = browser_tab(session, user.id).substates[ProfileState.get_name()]
    _run(ProfileState.load, state)
    form = {
        "last_name": "",
        "first_name": "Иван1",
        "patronymic": "",
        "gender": "robot",
        "birth_date": "31.02",
    }
    _run(ProfileState.save_personal, state, form)
    assert state.feedback_for == "personal" and state.notice == ""
    assert state.error.startswith("Личные данные не сохранены, ничего не изменено. Ошибок: 4.")
    for sentence in (
        "Укажите фамилию.",
        "«Имя» может содержать",
        "Выберите пол.",
        "корректную дату рождения",
    ):
        assert sentence in state.error
    assert state.invalid_fields == ["last_name", "first_name", "gender", "birth_date"]
    assert _names(session, user.id) == before

    _run(
        ProfileState.save_personal,
        state,
        form | {"last_name": "Петров", "first_name": "Пётр", "gender": "male", "birth_date": "1990-01-02"},
    )
    assert state.error == "" and state.invalid_fields == []
    assert _names(session, user.id)[:2] == ("Петров", "Пётр")


def _addresses(session: Session, user_id: int) -> list:
    rows = session.exec(
        select(UserAddress.kind, UserAddress.house_id).where(UserAddress.user_id == user_id)
    ).all()
    session.commit()
    return list(rows)


def test_refused_address_form_names_house_and_apartment_together(app_engine, session):
    geo = make_geo(session)
    user = make_user(session)
    state = browser_tab(session, user.id).substates[AddressState.get_name()]
    _run(AddressState.load, state)
    _run(AddressState.set_kind, state, "property")
    _run(AddressState.save, state, {"apartment": ""})
    assert state.error.startswith("Адрес не сохранён, ничего не изменено. Ошибок: 2.")
    assert "Выберите округ, район, улицу и дом." in state.error
    assert "Для адреса собственности укажите номер квартиры." in state.error
    assert state.invalid_fields == ["house", "apartment"]
    assert _addresses(session, user.id) == []

    # A house missing from the registry: no street chosen and a bad number and apartment, all at once.
    _run(AddressState.toggle_missing_house, state)
    _run(AddressState.save, state, {"house_number": "дом", "apartment": "кв. 5!"})
    assert "Ошибок: 3." in state.error
    assert sorted(state.invalid_fields) == ["apartment", "house_number", "street"]
    assert _addresses(session, user.id) == []

    _run(AddressState.toggle_missing_house, state)
    state.house_id = str(geo["house:Арбат"])
    _run(AddressState.save, state, {"apartment": "12"})
    assert state.error == "" and state.invalid_fields == []
    assert _addresses(session, user.id) == [("property", geo["house:Арбат"])]


def test_refused_feedback_form_files_nothing_and_marks_both_fields(app_engine, session):
    user = make_user(session)
    state = browser_tab(session, user.id).substates[FeedbackState.get_name()]
    _run(FeedbackState.load, state)
    _run(FeedbackState.submit, state, {"topic": "weather", "text": "кратко"})
    assert state.error.startswith("Обращение не отправлено. Ошибок: 2.")
    assert "Выберите тему обращения из списка." in state.error and "не меньше 10 символов" in state.error
    assert state.invalid_fields == ["topic", "text"] and state.filed_number == ""
    assert session.exec(select(func.count()).select_from(FeedbackTicket)).one() == 0
    session.commit()

    _run(FeedbackState.submit, state, {"topic": "tech", "text": "Не открывается страница голосования."})
    assert state.error == "" and state.invalid_fields == [] and state.filed_number.startswith("ОБ-")
    assert session.exec(select(func.count()).select_from(FeedbackTicket)).one() == 1


def test_a_new_action_clears_the_field_marks(app_engine, session):
    user = make_user(session)
    state = browser_tab(session, user.id).substates[AddressState.get_name()]
    _run(AddressState.load, state)
    _run(AddressState.set_kind, state, "property")
    _run(AddressState.save, state, {"apartment": ""})
    assert state.invalid_fields == ["house", "apartment"]
    _run(AddressState.toggle_missing_house, state)
    assert state.invalid_fields == [] and state.error == ""
