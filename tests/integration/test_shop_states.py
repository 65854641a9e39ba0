"""The resident shop handlers take nothing on trust: every argument may be forged by a websocket
client, so garbage ids, unknown choices, somebody else's order and a guest's order change nothing
and show the Russian refusal; the real path orders, cancels and shows a certificate."""

import asyncio

import pytest
from reflex.istate.data import PageData, RouterData
from sqlmodel import Session, func, select

from ag_app.models import ShopOrder, User
from ag_app.state.base import SessionState
from ag_app.state.shop import ShopOrdersState, ShopOrderState, ShopState
from tests.integration.tabs import browser_tab
from tests.shop_helpers import assert_books_balance, make_catalogue, make_shopper

LOGIN = "Войдите, чтобы заказать поощрение."
GARBAGE_IDS = [None, 17, 1.5, ["1"], {"id": "1"}, "", "abc", "1; DROP TABLE shoporder", "1" * 40, "-1", "١٢"]


@pytest.fixture
def cat(session):
    return make_catalogue(session)


def _run(handler, state, *args):
    return asyncio.run(handler.fn(state, *args))


def _orders(session: Session) -> int:
    count = session.exec(select(func.count()).select_from(ShopOrder)).one()
    session.commit()
    return count


def _balances(session: Session, user_id: int) -> tuple[int, int]:
    row = session.exec(select(User.points_available, User.points_blocked).where(User.id == user_id)).one()
    session.commit()
    return tuple(row)


def _shop(session: Session, user_id: int | None) -> ShopState:
    state = browser_tab(session, user_id).substates[ShopState.get_name()]
    _run(ShopState.load, state)
    assert state.loaded and state.error == ""
    return state


def _order(state: ShopState, item_id: int, form: dict) -> None:
    _run(ShopState.open_order, state, str(item_id))
    assert state.error == "" and state.dialog_open
    _run(ShopState.place, state, form)


@pytest.mark.parametrize("who", ["guest", "forged token"])
def test_guest_sees_the_catalogue_and_cannot_order(app_engine, session, cat, who):
    tab = browser_tab(session, None)
    if who == "forged token":
        tab.substates[SessionState.get_name()].auth_token = "x" * 43
    state = tab.substates[ShopState.get_name()]
    _run(ShopState.load, state)
    assert not state.logged_in
    assert {i["title"] for i in state.items} >= {"Кружка «Активный гражданин»", "Значок"}
    assert all(i["problem"] == LOGIN and i["can_order"] == "" for i in state.items)

    _run(ShopState.open_order, state, str(cat.open_badge))
    assert state.error == LOGIN and not state.dialog_open

    # A forged dialog (as if the handler had opened it) is refused by the order handler itself.
    state.order_item_id, state.order_fulfilment = str(cat.open_badge), "pickup"
    _run(ShopState.place, state, {"pickup": str(cat.pickup)})
    assert state.order_error == LOGIN and state.order_number == ""
    assert _orders(session) == 0


def test_garbage_arguments_change_nothing(app_engine, session, cat):
    user = make_shopper(session, points=2500)
    state = _shop(session, user.id)

    for garbage in [*GARBAGE_IDS, "999999"]:
        _run(ShopState.open_order, state, garbage)
        assert state.error == "Поощрение не найдено.", garbage
        assert not state.dialog_open and state.order_item_id == ""

    for garbage in [None, 3, ["souvenirs"], "nope", "souvenirs' OR 1=1", "x" * 5000]:
        _run(ShopState.set_category, state, garbage)
        assert state.error == "Категория не найдена.", garbage
        assert state.category == ""
    for garbage in [None, 1, "random()", "price_asc; --"]:
        _run(ShopState.set_sort, state, garbage)
        assert state.error == "Неизвестный порядок сортировки.", garbage
        assert state.sort == "popular"
    _run(ShopState.set_orderable, state, "yes")
    assert state.orderable_only is False

    # Placing without an opened dialog names no item.
    _run(ShopState.place, state, {"pickup": str(cat.pickup)})
    assert state.order_error == "Поощрение не найдено."

    _run(ShopState.open_order, state, str(cat.souvenir))
    assert state.dialog_open and state.order_fulfilment == "pickup"
    for form, error in [
        ("garbage", "Выберите пункт выдачи."),
        (None, "Выберите пункт выдачи."),
        ({}, "Выберите пункт выдачи."),
        ({"pickup": "abc"}, "Пункт выдачи не найден."),
        ({"pickup": ["1"]}, "Пункт выдачи не найден."),
        ({"pickup": "9" * 40}, "Пункт выдачи не найден."),
        ({"pickup": "999999"}, "Пункт выдачи не найден."),
        ({"pickup": str(cat.closed_pickup)}, "Пункт выдачи не найден."),
    ]:
        _run(ShopState.place, state, form)
        assert state.order_error == error, form
        assert state.order_number == ""

    _run(ShopState.open_order, state, str(cat.park))
    _run(ShopState.place, state, {"gift_to": "Очень длинное имя " * 500})
    assert state.order_error == "Имя получателя подарка слишком длинное (не больше 100 символов)."

    assert _orders(session) == 0
    assert _balances(session, user.id) == (2500, 0)


def test_reasons_are_shown_and_orders_refused(app_engine, session, cat):
    newcomer = make_shopper(session, points=500, status=False, email="new@example.ru")
    state = _shop(session, newcomer.id)
    souvenir = next(i for i in state.items if i["id"] == str(cat.souvenir))
    assert souvenir["problem"] == "Для заказа данного поощрения необходимо набрать 1000 баллов."
    badge = next(i for i in state.items if i["id"] == str(cat.open_badge))
    assert badge["can_order"] == "1" and badge["open_to_all"] == "Доступно для заказа всем пользователям"

    _run(ShopState.open_order, state, str(cat.souvenir))
    assert state.error == "Для заказа данного поощрения необходимо набрать 1000 баллов."
    assert not state.dialog_open
    # Even a forged dialog goes through the service's rules.
    state.order_item_id, state.order_fulfilment = str(cat.souvenir), "pickup"
    _run(ShopState.place, state, {"pickup": str(cat.pickup)})
    assert state.order_error == "Для заказа данного поощрения необходимо набрать 1000 баллов."
    assert _orders(session) == 0

    _run(ShopState.set_orderable, state, True)
    assert [i["id"] for i in state.items] == [str(cat.open_badge)]


def test_order_cancel_and_somebody_elses_order(app_engine, session, cat):
    owner = make_shopper(session, points=2500, email="owner@example.ru")
    other = make_shopper(session, points=2500, email="other@example.ru")
    state = _shop(session, owner.id)
    _order(state, cat.souvenir, {"pickup": str(cat.pickup), "gift_to": "ignored for souvenirs"})
    assert state.order_error == ""
    number = state.order_number
    assert number and "Центр госуслуг района Арбат" in state.order_next
    assert "(время московское)" in state.order_next
    assert (state.available, state.blocked) == ("1\xa0500", "1\xa0000")
    order = session.exec(select(ShopOrder).where(ShopOrder.number == number)).one()
    session.commit()
    assert order.gift_to == ""

    # A second order while the result is shown is refused (the dialog names the placed order).
    _run(ShopState.place, state, {"pickup": str(cat.pickup)})
    assert state.order_error == "Поощрение не найдено."
    assert _orders(session) == 1

    theirs = browser_tab(session, other.id).substates[ShopOrdersState.get_name()]
    _run(ShopOrdersState.load, theirs)
    assert theirs.orders == []
    for garbage in [*GARBAGE_IDS, str(order.id)]:
        _run(ShopOrdersState.cancel, theirs, garbage)
        assert theirs.error == "Заказ не найден.", garbage
    guest = browser_tab(session, None).substates[ShopOrdersState.get_name()]
    _run(ShopOrdersState.cancel, guest, str(order.id))
    assert guest.error == "Войдите в систему, чтобы продолжить."
    assert _balances(session, owner.id) == (1500, 1000)

    mine = browser_tab(session, owner.id).substates[ShopOrdersState.get_name()]
    _run(ShopOrdersState.load, mine)
    [row] = mine.orders
    assert (row["number"], row["status"], row["can_cancel"]) == (number, "Забронирован", "1")
    _run(ShopOrdersState.cancel, mine, row["id"])
    assert mine.error == ""
    assert mine.notice == f"Заказ № {number} отменён: 1\xa0000 баллов снова доступны для заказа."
    assert mine.orders[0]["status"] == "Отменён" and mine.orders[0]["can_cancel"] == ""
    assert _balances(session, owner.id) == (2500, 0)
    _run(ShopOrdersState.cancel, mine, row["id"])
    assert mine.error == "Заказ уже отменён."
    assert_books_balance(session)


def _order_page(session: Session, user_id: int | None, number: str) -> ShopOrderState:
    state = browser_tab(session, user_id).substates[ShopOrderState.get_name()]
    state.router = RouterData(_page=PageData(params={"number": number}))
    _run(ShopOrderState.load, state)
    return state


def test_certificate_page_shows_only_own_orders(app_engine, session, cat):
    owner = make_shopper(session, points=2500, email="owner@example.ru")
    other = make_shopper(session, points=2500, email="other@example.ru")
    state = _shop(session, owner.id)
    _order(state, cat.park, {"gift_to": "  Мария   Петрова "})
    assert state.order_error == "" and state.order_has_page
    number = state.order_number

    page = _order_page(session, owner.id, number)
    assert page.found and page.error == ""
    assert page.title == "Экскурсия по парку «Зарядье»" and page.gift_to == "Мария Петрова"
    assert page.code and page.code in state.order_next
    assert page.until_label == "Действует до" and page.until.endswith("(время московское)")
    assert page.qr.startswith("data:image/svg+xml")

    for who, wanted in [(other.id, number), (owner.id, "../../etc/passwd"), (owner.id, "9" * 50)]:
        page = _order_page(session, who, wanted)
        assert page.error == "Заказ не найден." and not page.found
        assert page.code == "" and page.qr == ""
