"""The staff shop pages' states re-check rights on the server: a resident (or a guest) calling the
catalogue or desk handlers by name, as any websocket client can, changes nothing and gets the
Russian refusal; the desk acts only on the order its own search found."""

import asyncio
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, func, select

from ag_app.db import transaction
from ag_app.domain.shop import FULFILMENTS
from ag_app.models import PickupPoint, ShopCategory, ShopItem, ShopOrder
from ag_app.services import shop
from ag_app.state.staff_shop import FULFILMENT_NAMES, StaffDeskState, StaffShopState
from tests.factories import make_user
from tests.integration.tabs import browser_tab
from tests.shop_helpers import assert_books_balance, make_catalogue, make_shopper

FORBIDDEN = ("Недостаточно прав для этого действия.", "Войдите в систему, чтобы продолжить.")


@pytest.fixture
def cat(session):
    return make_catalogue(session)


def _run(handler, state, *args):
    result = handler.fn(state, *args)
    if asyncio.iscoroutine(result):
        asyncio.run(result)


def _reserve(engine, user_id: int, cat) -> shop.OrderView:
    """A souvenir reserved now (the states read the real clock)."""
    with transaction(engine) as s:
        return shop.place_order(
            s, actor_id=user_id, item_id=cat.souvenir, pickup_point_id=cat.pickup, now=datetime.now(UTC)
        )


def _snapshot(session: Session) -> tuple:
    """Everything the staff handlers could change, read as plain columns."""
    items = session.exec(
        select(ShopItem.id, ShopItem.title, ShopItem.stock, ShopItem.visible, ShopItem.price).order_by(
            ShopItem.id
        )
    ).all()
    categories = session.exec(select(ShopCategory.id, ShopCategory.name).order_by(ShopCategory.id)).all()
    points = session.exec(
        select(PickupPoint.id, PickupPoint.name, PickupPoint.active).order_by(PickupPoint.id)
    ).all()
    orders = session.exec(select(ShopOrder.id, ShopOrder.status).order_by(ShopOrder.id)).all()
    session.commit()
    return tuple(map(tuple, items)), tuple(map(tuple, categories)), tuple(map(tuple, points)), tuple(orders)


def _status(session: Session, order_id: int) -> str:
    status = session.exec(select(ShopOrder.status).where(ShopOrder.id == order_id)).one()
    session.commit()
    return status


ITEM_FORM = {
    "category_id": "",
    "title": "Термокружка",
    "price": "500",
    "stock": "5",
    "description": "",
    "photo": "",
    "visible": "on",
    "validity_note": "",
    "performance_on": "",
    "parking_points": "0",
}


@pytest.mark.parametrize("who", ["resident", "guest"])
def test_non_staff_calling_shop_handlers_changes_nothing(app_engine, session, cat, who):
    shopper = make_shopper(session, points=3000)
    order = _reserve(app_engine, shopper.id, cat)
    before = _snapshot(session)
    tab = browser_tab(session, shopper.id if who == "resident" else None)

    staff_state = tab.substates[StaffShopState.get_name()]
    _run(StaffShopState.load, staff_state)
    assert staff_state.loaded and not staff_state.allowed
    assert staff_state.items == [] and staff_state.orders == [] and staff_state.weeks_rows == []

    form = ITEM_FORM | {"category_id": str(cat.categories["souvenirs"])}
    _run(StaffShopState.save_item, staff_state, form)
    assert staff_state.error in FORBIDDEN
    _run(StaffShopState.set_stock, staff_state, {"item_id": str(cat.souvenir), "stock": "999"})
    assert staff_state.error in FORBIDDEN
    _run(StaffShopState.edit_item, staff_state, str(cat.souvenir))
    assert staff_state.error in FORBIDDEN and staff_state.item_form["title"] == ""
    _run(StaffShopState.toggle_visible, staff_state, str(cat.souvenir))
    assert staff_state.error
    _run(StaffShopState.save_category, staff_state, {"name": "Книги", "fulfilment": "pickup"})
    assert staff_state.error in FORBIDDEN
    _run(
        StaffShopState.save_point,
        staff_state,
        {"name": "Новый пункт", "address": "ул. Тверская, 1", "active": "on"},
    )
    assert staff_state.error in FORBIDDEN
    _run(StaffShopState.toggle_point, staff_state, str(cat.pickup))
    assert staff_state.error
    _run(StaffShopState.show_events, staff_state, str(order.id))
    assert staff_state.events == []
    _run(StaffShopState.set_status_filter, staff_state, "reserved")
    assert staff_state.orders == []

    desk = tab.substates[StaffDeskState.get_name()]
    _run(StaffDeskState.load, desk)
    assert desk.loaded and not desk.allowed
    _run(StaffDeskState.find, desk, {"number": order.number, "full_name": "Иванов Иван Иванович"})
    assert desk.error in FORBIDDEN and desk.order == {} and desk._order_id is None
    # Even with an order id in the tab's backend state, the service refuses a non-desk actor.
    for action in ("issue", "refuse"):
        desk._order_id = order.id
        _run(StaffDeskState.ask, desk, action)
        _run(StaffDeskState.confirm, desk)
        assert desk.error in FORBIDDEN

    assert _snapshot(session) == before
    assert _status(session, order.id) == "reserved"
    assert_books_balance(session)


def test_desk_issues_only_the_order_it_found(app_engine, session, cat):
    first = make_shopper(session, points=3000)
    second = make_shopper(session, points=3000, email="second@example.ru")
    mine, other = _reserve(app_engine, first.id, cat), _reserve(app_engine, second.id, cat)
    desk_worker = make_user(session, roles=("moderator",))
    desk = browser_tab(session, desk_worker.id).substates[StaffDeskState.get_name()]
    _run(StaffDeskState.load, desk)
    assert desk.allowed

    # A wrong name finds nothing, and then there is nothing to issue.
    _run(StaffDeskState.find, desk, {"number": other.number, "full_name": "Петров Пётр Петрович"})
    assert desk.error == "Заказ с таким номером и ФИО не найден."
    assert desk._order_id is None and desk.order == {}
    _run(StaffDeskState.ask, desk, "issue")
    assert desk.pending == ""
    _run(StaffDeskState.confirm, desk)
    assert _status(session, other.id) == "reserved"

    # Arguments sent by the browser never choose the order.
    _run(StaffDeskState.find, desk, {"number": mine.number, "full_name": "иванов иван иванович"})
    assert desk.error == "" and desk.order["number"] == mine.number
    assert desk.order["status"] == "Забронирован" and desk.order["item"] == "Кружка «Активный гражданин»"
    for bogus in ({"order_id": other.id}, str(other.id), ["issue"], None):
        _run(StaffDeskState.ask, desk, bogus)
        assert desk.pending == ""
    _run(StaffDeskState.ask, desk, "issue")
    assert desk.pending == "issue"
    _run(StaffDeskState.confirm, desk)
    assert desk.error == "" and desk.order["status"] == "Выдан" and "выдан" in desk.notice
    assert _status(session, mine.id) == "issued"
    assert _status(session, other.id) == "reserved"

    # The issued order cannot be refused afterwards: the Russian refusal, nothing changes.
    _run(StaffDeskState.ask, desk, "refuse")
    _run(StaffDeskState.confirm, desk)
    assert desk.error == "Заказ уже выдан: отмена и возврат невозможны."
    assert _status(session, mine.id) == "issued"

    # Bad form values are refused before any search.
    for form in ({"number": ["1"], "full_name": "x"}, {"number": "1" * 500, "full_name": "x"}, "x", None):
        _run(StaffDeskState.find, desk, form)
        assert desk.error and desk._order_id is None
    assert_books_balance(session)


def test_staff_manage_the_catalogue(app_engine, session, cat):
    staff = make_user(session, roles=("staff",))
    shopper = make_shopper(session, points=3000)
    order = _reserve(app_engine, shopper.id, cat)
    state = browser_tab(session, staff.id).substates[StaffShopState.get_name()]
    _run(StaffShopState.load, state)
    assert state.allowed and state.error == ""
    mug = next(i for i in state.items if i["id"] == str(cat.souvenir))
    assert (mug["stock"], mug["ordered"], mug["visible"]) == ("9", "1", "да")
    assert len(state.weeks_rows) == 12 and state.top_rows == [["Кружка «Активный гражданин»", "1"]]
    assert state.blocked_points == "1\xa0000"
    assert state.orders[0]["number"] == order.number and state.orders[0]["status"] == "Забронирован"

    _run(StaffShopState.set_stock, state, {"item_id": str(cat.souvenir), "stock": "42"})
    assert state.error == "" and "42" in state.notice
    for bad in ("-1", "abc", ["1"], "1" * 20, True):
        _run(StaffShopState.set_stock, state, {"item_id": str(cat.souvenir), "stock": bad})
        assert state.error == "Остаток — целое число от 0 до 1000000."
    _run(StaffShopState.set_stock, state, {"item_id": "987654", "stock": "1"})
    assert state.error == "Поощрение не найдено."
    _run(StaffShopState.toggle_visible, state, str(cat.souvenir))
    assert state.notice == "«Кружка «Активный гражданин»» скрыто из каталога."
    hidden = session.exec(select(ShopItem.stock, ShopItem.visible).where(ShopItem.id == cat.souvenir)).one()
    session.commit()
    assert tuple(hidden) == (42, False)

    _run(StaffShopState.edit_item, state, str(cat.theatre))
    assert state.item_form["performance_on"] == "2027-01-15" and state.editing_item == "Спектакль «Ревизор»"
    form = dict(state.item_form) | {"title": "Спектакль «Ревизор» (новая постановка)", "visible": "on"}
    _run(StaffShopState.save_item, state, form | {"price": "ноль"})
    assert state.error == "Цена — целое число баллов от 1 до 100000."
    _run(StaffShopState.save_item, state, form | {"performance_on": ""})
    assert state.error == "Для театра укажите дату спектакля."
    _run(StaffShopState.save_item, state, form | {"description": "x" * 5000})
    assert state.error.startswith("Слишком длинный текст")
    _run(StaffShopState.save_item, state, form)
    assert state.error == "" and "новая постановка" in state.notice
    title = session.exec(select(ShopItem.title).where(ShopItem.id == cat.theatre)).one()
    items_before = session.exec(select(func.count()).select_from(ShopItem)).one()
    session.commit()
    assert title == "Спектакль «Ревизор» (новая постановка)"

    # After a save the form creates a new item again.
    _run(StaffShopState.save_item, state, ITEM_FORM | {"category_id": str(cat.categories["souvenirs"])})
    assert state.error == ""
    assert session.exec(select(func.count()).select_from(ShopItem)).one() == items_before + 1
    session.commit()

    assert set(FULFILMENT_NAMES) == set(FULFILMENTS)
    _run(StaffShopState.save_category, state, {"name": "Книги", "fulfilment": "pickup"})
    assert state.error == "" and any(c["name"] == "Книги" for c in state.categories)
    _run(StaffShopState.save_category, state, {"name": "Книги", "fulfilment": "nonsense"})
    assert state.error == "Укажите название категории и способ выдачи."
    _run(StaffShopState.toggle_point, state, str(cat.pickup))
    assert next(p for p in state.pickup_points if p["id"] == str(cat.pickup))["active"] == ""

    _run(StaffShopState.show_events, state, str(order.id))
    assert state.events_of == order.number
    assert [row[2:] for row in state.events] == [["—", "Забронирован"]]
    _run(StaffShopState.set_status_filter, state, "issued")
    assert state.orders == []
    _run(StaffShopState.set_status_filter, state, "bogus")
    assert state.error == "Неизвестный статус заказа."
