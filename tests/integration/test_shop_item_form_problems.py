"""The staff item form refused as a whole: the service names every bad field at once (one bad field
keeps its own sentence), saves nothing, and the page state marks those fields."""

import asyncio
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from ag_app.db import transaction
from ag_app.domain.errors import FormProblems, InvalidInput
from ag_app.models import ShopItem
from ag_app.services import shop
from ag_app.services.shop import ItemInput
from ag_app.state.staff_shop import StaffShopState
from tests.factories import make_user
from tests.integration.tabs import browser_tab
from tests.shop_helpers import make_catalogue

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def _items(session: Session) -> list:
    rows = session.exec(
        select(ShopItem.id, ShopItem.title, ShopItem.price, ShopItem.stock).order_by(ShopItem.id)
    ).all()
    session.commit()
    return [tuple(r) for r in rows]


@pytest.mark.parametrize(
    ("category", "changes", "prior", "fields"),
    [
        pytest.param(
            "souvenirs",
            {"title": "  ", "price": 0, "stock": -1},
            {},
            ["title", "price", "stock"],
            id="blank-form-names-every-required-field",
        ),
        pytest.param(
            "theatres",
            {"photo": "/etc/passwd", "description": "x" * 2001},
            {},
            ["performance_on", "photo", "description"],
            id="theatre-without-date-and-two-more",
        ),
        pytest.param(
            "parking",
            {"parking_points": 0, "validity_note": "y" * 301},
            {"price": InvalidInput("shop.price_invalid")},
            ["price", "parking_points", "validity_note"],
            id="unreadable-price-from-the-form-listed-in-order",
        ),
        pytest.param(None, {}, {}, ["category_id"], id="unknown-category-alone-keeps-its-sentence"),
    ],
)
def test_item_form_lists_every_problem_and_saves_nothing(engine, session, category, changes, prior, fields):
    cat = make_catalogue(session)
    staff = make_user(session, roles=("staff",))
    before = _items(session)
    data = ItemInput(
        category_id=cat.categories[category] if category else 987654, title="Термокружка", price=500, stock=5
    )
    with pytest.raises(FormProblems) as refused, transaction(engine) as s:
        shop.save_item(
            s,
            actor_id=staff.id,
            item_id=None,
            data=ItemInput(**(data.__dict__ | changes)),
            now=NOW,
            prior=prior,
        )
    assert list(refused.value.problems) == fields
    if len(fields) > 1:
        assert str(refused.value).startswith(
            f"Поощрение не сохранено, ничего не изменено. Ошибок: {len(fields)}."
        )
    else:
        assert str(refused.value) == "Категория не найдена."
    assert _items(session) == before


def _run(handler, state, *args):
    result = handler.fn(state, *args)
    if asyncio.iscoroutine(result):
        asyncio.run(result)


def test_staff_item_form_marks_every_bad_field_then_saves(app_engine, session):
    cat = make_catalogue(session)
    staff = make_user(session, roles=("staff",))
    state = browser_tab(session, staff.id).substates[StaffShopState.get_name()]
    _run(StaffShopState.load, state)
    before = _items(session)
    form = {
        "category_id": str(cat.categories["theatres"]),
        "title": "",
        "price": "ноль",
        "stock": "5",
        "description": "",
        "photo": "",
        "visible": "on",
        "validity_note": "",
        "performance_on": "",
        "parking_points": "0",
    }
    _run(StaffShopState.save_item, state, form)
    assert state.error.startswith("Поощрение не сохранено, ничего не изменено. Ошибок: 3.")
    for sentence in (
        "Укажите название поощрения.",
        "Цена — целое число",
        "Для театра укажите дату спектакля.",
    ):
        assert sentence in state.error
    assert state.item_invalid_fields == ["title", "price", "performance_on"]
    assert state.item_form["price"] == "ноль"  # what was typed stays for correcting
    assert _items(session) == before

    good = form | {"title": "Спектакль «Чайка»", "price": "700", "performance_on": "2027-02-01"}
    _run(StaffShopState.save_item, state, good)
    assert state.error == "" and state.item_invalid_fields == [] and "Чайка" in state.notice
    assert len(_items(session)) == len(before) + 1
