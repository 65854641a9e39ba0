"""The «Мой дом» and «Реестр домов» handlers: identity from the session only, rights re-checked.

Any handler can be called over the websocket by name with any arguments: a resident calling the
administrator's handlers, or unlinking somebody else's premise, changes nothing.
"""

import asyncio
import secrets
from datetime import UTC, date, datetime

import pytest
from reflex.state import State
from sqlmodel import Session, func, select

from ag_app.models import HouseOrganisation, Premise, PremiseHolder, PremiseLink
from ag_app.seed.geo import DATA_DIR
from ag_app.state.base import SessionState
from ag_app.state.house import HouseState
from ag_app.state.staff_houses import StaffHousesState
from tests.factories import T0, make_geo, make_user, open_session

SAMPLE = (DATA_DIR / "houses_sample.csv").read_text(encoding="utf-8")


def _tab(session: Session, user_id: int | None, *, forged: bool = False) -> State:
    root = State(_reflex_internal_init=True)
    if user_id is not None:
        root.substates[SessionState.get_name()].auth_token = open_session(session, user_id, datetime.now(UTC))
    if forged:
        root.substates[SessionState.get_name()].auth_token = secrets.token_urlsafe(32)
    return root


def _count(session: Session, model) -> int:
    session.expire_all()
    value = session.exec(select(func.count()).select_from(model)).one()
    session.rollback()
    return value


def _admin_tab(session: Session):
    admin = make_user(session, roles=("admin",))
    tab = _tab(session, admin.id)
    return tab.substates[StaffHousesState.get_name()]


def _import(state: StaffHousesState, text: str = SAMPLE) -> None:
    state.csv_text = text
    asyncio.run(StaffHousesState.import_text.fn(state))


def _belov(session: Session) -> int:
    user = make_user(session)
    user.last_name, user.first_name, user.patronymic = "Белов", "Станислав", "Олегович"
    user.birth_date, user.identity_verified_at = date(1958, 6, 30), T0
    session.add(user)
    session.commit()
    return user.id


def test_an_administrator_imports_and_sees_the_summary_or_every_error(app_engine, session):
    make_geo(session)
    state = _admin_tab(session)
    asyncio.run(StaffHousesState.load.fn(state))
    assert state.allowed

    _import(state, SAMPLE.replace("42.50", "-1").replace("7700000021", "12"))
    assert state.import_error.startswith("Реестр домов не загружен, ошибок в файле: 3.")
    assert [e.split(":")[0] for e in state.import_errors] == ["Строка 2", "Строка 3", "Строка 4"]
    assert _count(session, Premise) == 0

    _import(state)
    assert state.import_error == "" and state.import_errors == []
    assert "Помещения: добавлено 10, изменено 0, без изменений 0." in state.import_summary
    assert _count(session, PremiseHolder) == 15


@pytest.mark.parametrize("who", ["resident", "staff", "guest", "forged token"])
def test_registry_handlers_refuse_everybody_but_administrators(app_engine, session, now, who):
    ids = make_geo(session)
    make_user(session, phone="+79250001122")
    actor = {"resident": make_user(session).id, "staff": make_user(session, roles=("staff",)).id}.get(who)
    tab = _tab(session, actor, forged=who == "forged token")
    state = tab.substates[StaffHousesState.get_name()]

    asyncio.run(StaffHousesState.load.fn(state))
    assert not state.allowed and state.organisations == []
    _import(state)
    assert state.import_error in (
        "Недостаточно прав для этого действия.",
        "Войдите в систему, чтобы продолжить.",
    )
    state.house_id = str(ids["house:Арбат"])
    asyncio.run(StaffHousesState.record.fn(state, {"org_phone": "+79250001122", "org_name": "ТСЖ"}))
    assert state.org_error
    assert _count(session, Premise) == 0 and _count(session, HouseOrganisation) == 0


def test_an_administrator_records_an_organisation_for_a_house_found_by_address(app_engine, session):
    make_geo(session)
    manager = make_user(session, phone="+79250001122")
    state = _admin_tab(session)
    asyncio.run(StaffHousesState.load.fn(state))

    state.address_query = "арбат 1"
    asyncio.run(StaffHousesState.search.fn(state))
    assert [h["label"] for h in state.found] == ["улица Арбат, д. 1 (район Арбат, ЦАО)"]
    asyncio.run(
        StaffHousesState.record.fn(state, {"org_phone": "8 925 000-11-22", "org_name": "ГБУ «Жилищник»"})
    )

    assert state.org_error == ""
    assert [(o["address"], o["name"]) for o in state.organisations] == [
        ("улица Арбат, д. 1", "ГБУ «Жилищник»")
    ]
    session.expire_all()
    assert session.exec(select(HouseOrganisation.user_id)).all() == [manager.id]


def test_a_resident_links_and_unlinks_only_their_own_premise(app_engine, session):
    make_geo(session)
    _import(_admin_tab(session))
    owner = _belov(session)
    tab = _tab(session, owner)
    house = tab.substates[HouseState.get_name()]
    asyncio.run(HouseState.load.fn(house))
    assert house.logged_in and house.identity_verified and house.houses == []

    asyncio.run(HouseState.link.fn(house, {"premise_number": "7700000031"}))

    assert house.error == ""
    assert house.notice == "Помещение подтверждено: кв. 3 — собственник."
    (card,) = house.houses
    assert card.address == "улица Арбат, д. 1"
    assert [(h.premise, h.area, h.share) for h in card.holdings] == [("кв. 3", "78,05 м²", "1/3")]

    # Somebody else calling «unlink» with the owner's holder id changes nothing.
    intruder = _tab(session, make_user(session).id).substates[HouseState.get_name()]
    asyncio.run(HouseState.unlink.fn(intruder, card.holdings[0].holder_id))
    assert intruder.error == "Такое подтверждённое помещение в вашей учётной записи не найдено."
    asyncio.run(HouseState.link.fn(intruder, {"premise_number": "7700000031"}))
    assert intruder.error.startswith("Подтвердить помещение можно только с полным уровнем")
    assert _count(session, PremiseLink) == 1

    asyncio.run(HouseState.unlink.fn(house, card.holdings[0].holder_id))
    assert house.notice == "Подтверждение помещения отменено."
    assert house.houses == [] and _count(session, PremiseLink) == 0


def test_a_guest_is_asked_to_log_in_and_cannot_link(app_engine, session):
    make_geo(session)
    _import(_admin_tab(session))
    house = _tab(session, None).substates[HouseState.get_name()]

    asyncio.run(HouseState.load.fn(house))
    assert house.loaded and not house.logged_in
    asyncio.run(HouseState.link.fn(house, {"premise_number": "7700000031"}))

    assert house.error == "Войдите в систему, чтобы продолжить."
    assert _count(session, PremiseLink) == 0
