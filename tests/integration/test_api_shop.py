"""REST API of the rewards shop: catalogue, ordering, history and cancelling, with every refusal in
Russian and leaving nothing changed."""

from datetime import timedelta

import pytest
from sqlmodel import func, select

from ag_app.db import transaction
from ag_app.models import PointEntry, ShopItem, ShopOrder, ShopOrderEvent, User
from ag_app.services import shop
from tests.factories import make_user, open_session
from tests.shop_helpers import assert_books_balance, make_catalogue, make_shopper


@pytest.fixture
def cat(session):
    return make_catalogue(session)


def bearer(session, user_id, now) -> dict[str, str]:
    return {"Authorization": f"Bearer {open_session(session, user_id, now)}"}


def snapshot(session) -> tuple:
    """Balances, stock, orders, audit rows and ledger rows (column reads; the read is ended)."""
    state = (
        tuple(
            session.exec(select(User.id, User.points_available, User.points_blocked).order_by(User.id)).all()
        ),
        tuple(session.exec(select(ShopItem.id, ShopItem.stock).order_by(ShopItem.id)).all()),
        session.exec(select(func.count()).select_from(ShopOrder)).one(),
        session.exec(select(func.count()).select_from(ShopOrderEvent)).one(),
        session.exec(select(func.count()).select_from(PointEntry)).one(),
    )
    session.commit()
    return state


def balances(client, headers) -> tuple[int, int]:
    body = client.get("/api/v1/me/points", headers=headers).json()
    return body["available"], body["blocked"]


def test_order_list_cancel_and_the_points_come_back(client, session, now, clock, cat):
    user = make_shopper(session, points=2500)
    headers = bearer(session, user.id, now)
    assert balances(client, headers) == (2500, 0)

    created = client.post(
        "/api/v1/shop/orders", json={"item_id": cat.souvenir, "pickup_point_id": cat.pickup}, headers=headers
    )
    assert created.status_code == 201, created.text
    order = created.json()
    assert (order["status"], order["status_name"], order["points"]) == ("reserved", "Забронирован", 1000)
    assert order["pickup_point"] == "Центр госуслуг района Арбат" and order["can_cancel"] is True
    assert order["orderer"] == ""
    assert balances(client, headers) == (1500, 1000)

    listed = client.get("/api/v1/shop/orders", headers=headers).json()
    assert [o["number"] for o in listed] == [order["number"]]
    one = client.get(f"/api/v1/shop/orders/{order['number']}", headers=headers)
    assert one.status_code == 200 and one.json()["id"] == order["id"]
    items = client.get("/api/v1/shop/items?category=souvenirs", headers=headers).json()["items"]
    mug = next(i for i in items if i["id"] == cat.souvenir)
    assert (mug["stock"], mug["ordered"]) == (9, 1)

    clock["now"] = now + timedelta(days=2)
    cancelled = client.post(f"/api/v1/shop/orders/{order['id']}/cancel", headers=headers)
    assert cancelled.status_code == 200, cancelled.text
    assert (cancelled.json()["status_name"], cancelled.json()["can_cancel"]) == ("Отменён", False)
    assert balances(client, headers) == (2500, 0)
    assert session.exec(select(ShopItem.stock).where(ShopItem.id == cat.souvenir)).one() == 10
    session.commit()

    again = client.post(f"/api/v1/shop/orders/{order['id']}/cancel", headers=headers)
    assert (again.status_code, again.json()) == (409, {"detail": "Заказ уже отменён."})
    assert balances(client, headers) == (2500, 0)
    assert_books_balance(session)


def test_guest_sees_the_catalogue_but_must_log_in_to_order(client, session, cat):
    before = snapshot(session)
    catalogue = client.get("/api/v1/shop/items")
    assert catalogue.status_code == 200
    body = catalogue.json()
    assert body["items"] and (body["available"], body["blocked"], body["has_status"]) == (0, 0, False)
    assert {i["problem"] for i in body["items"]} == {"Войдите, чтобы заказать поощрение."}
    assert not any(i["can_order"] for i in body["items"])
    assert client.get("/api/v1/shop/items?orderable=true").json()["items"] == []

    for method, path, payload in [
        ("post", "/api/v1/shop/orders", {"item_id": cat.souvenir, "pickup_point_id": cat.pickup}),
        ("get", "/api/v1/shop/orders", None),
        ("get", "/api/v1/shop/orders/00000001", None),
        ("post", "/api/v1/shop/orders/1/cancel", None),
    ]:
        response = client.request(method, path, json=payload)
        assert response.status_code == 401, path
        assert response.json() == {"detail": "Войдите в систему, чтобы продолжить."}
    # A forged token is a guest too.
    forged = client.post(
        "/api/v1/shop/orders",
        json={"item_id": cat.park},
        headers={"Authorization": "Bearer not-a-session"},
    )
    assert forged.status_code == 401
    assert snapshot(session) == before


def test_catalogue_filters_sorts_and_refuses_bad_parameters(client, session, now, cat):
    user = make_shopper(session, points=1200)
    headers = bearer(session, user.id, now)
    body = client.get("/api/v1/shop/items?sort=price_asc", headers=headers).json()
    prices = [i["price"] for i in body["items"]]
    assert prices == sorted(prices) and (body["available"], body["has_status"]) == (1200, True)
    orderable = client.get("/api/v1/shop/items?orderable=true", headers=headers).json()["items"]
    assert orderable and all(i["can_order"] and i["problem"] == "" for i in orderable)
    parks = client.get("/api/v1/shop/items?category=parks", headers=headers).json()["items"]
    assert [i["id"] for i in parks] == [cat.park]
    unknown = client.get("/api/v1/shop/items?category=zoo", headers=headers)
    assert (unknown.status_code, unknown.json()) == (404, {"detail": "Категория не найдена."})
    bad_sort = client.get("/api/v1/shop/items?sort=random", headers=headers)
    assert (bad_sort.status_code, bad_sort.json()) == (422, {"detail": "Неизвестный порядок сортировки."})
    assert client.get(f"/api/v1/shop/items?category={'x' * 41}").status_code == 422


def test_catalogue_contains_no_personal_data(client, session, now, cat):
    buyer = make_shopper(session, points=3000, email="buyer.secret@example.ru")
    headers = bearer(session, buyer.id, now)
    placed = client.post(
        "/api/v1/shop/orders",
        json={"item_id": cat.park, "gift_to": "Сидорова Мария"},
        headers=headers,
    )
    assert placed.status_code == 201, placed.text
    code = placed.json()["certificate_code"]
    assert code
    viewer = make_shopper(session, points=100, status=False, email="viewer@example.ru")
    for view_headers in ({}, bearer(session, viewer.id, now), headers):
        text = client.get("/api/v1/shop/items", headers=view_headers).text
        for secret in (
            buyer.phone,
            buyer.email,
            buyer.uid,
            "Иванов",
            "Сидорова",
            code,
            placed.json()["number"],
        ):
            assert secret not in text
        body = client.get("/api/v1/shop/items", headers=view_headers).json()
        keys = {k for i in body["items"] for k in i} | set(body)
        assert not keys & {"user_id", "orderer", "phone", "email", "gift_to", "certificate_code"}


def test_forged_ids_and_other_peoples_orders_are_not_found_and_change_nothing(client, session, now, cat):
    owner = make_shopper(session, points=3000)
    other = make_shopper(session, points=3000, email="other@example.ru")
    owner_headers, other_headers = bearer(session, owner.id, now), bearer(session, other.id, now)
    order = client.post(
        "/api/v1/shop/orders",
        json={"item_id": cat.souvenir, "pickup_point_id": cat.pickup},
        headers=owner_headers,
    ).json()
    before = snapshot(session)

    refusals = [
        (
            client.post("/api/v1/shop/orders", json={"item_id": 999_999}, headers=other_headers),
            "Поощрение не найдено.",
        ),
        (
            client.post(
                "/api/v1/shop/orders",
                json={"item_id": cat.souvenir, "pickup_point_id": 999_999},
                headers=other_headers,
            ),
            "Пункт выдачи не найден.",
        ),
        (
            client.post(
                "/api/v1/shop/orders",
                json={"item_id": cat.souvenir, "pickup_point_id": cat.closed_pickup},
                headers=other_headers,
            ),
            "Пункт выдачи не найден.",
        ),
        (client.post(f"/api/v1/shop/orders/{order['id']}/cancel", headers=other_headers), "Заказ не найден."),
        (client.post("/api/v1/shop/orders/999999/cancel", headers=other_headers), "Заказ не найден."),
        (client.get(f"/api/v1/shop/orders/{order['number']}", headers=other_headers), "Заказ не найден."),
    ]
    for response, message in refusals:
        assert (response.status_code, response.json()) == (404, {"detail": message})
    assert client.get("/api/v1/shop/orders", headers=other_headers).json() == []
    assert snapshot(session) == before
    # The owner still has the order, untouched.
    mine = client.get(f"/api/v1/shop/orders/{order['number']}", headers=owner_headers).json()
    assert (mine["status"], mine["can_cancel"]) == ("reserved", True)


def test_malformed_bodies_are_refused_before_the_service(client, session, now, cat):
    user = make_shopper(session, points=3000)
    headers = bearer(session, user.id, now)
    before = snapshot(session)
    for payload in (
        {},
        {"item_id": "abc"},
        {"item_id": 0},
        {"item_id": 2**40},
        {"item_id": cat.park, "gift_to": "x" * 1000},
        {"item_id": cat.souvenir, "pickup_point_id": -1},
    ):
        assert client.post("/api/v1/shop/orders", json=payload, headers=headers).status_code == 422, payload
    assert client.post(f"/api/v1/shop/orders/{2**40}/cancel", headers=headers).status_code == 422
    assert client.get(f"/api/v1/shop/orders/{'1' * 41}", headers=headers).status_code == 422
    assert snapshot(session) == before


def test_refusals_of_the_rules_keep_the_books(client, session, now, cat):
    poor = make_shopper(session, points=500)
    headers = bearer(session, poor.id, now)
    before = snapshot(session)
    short = client.post("/api/v1/shop/orders", json={"item_id": cat.park}, headers=headers)
    assert (short.status_code, short.json()) == (
        409,
        {"detail": "Недостаточно баллов: нужно 1\u00a0000, доступно 500."},
    )
    no_point = client.post("/api/v1/shop/orders", json={"item_id": cat.open_badge}, headers=headers)
    assert (no_point.status_code, no_point.json()) == (422, {"detail": "Выберите пункт выдачи."})
    gift = client.post(
        "/api/v1/shop/orders", json={"item_id": cat.parking, "gift_to": "Друг"}, headers=headers
    )
    assert gift.status_code == 422 and gift.json()["detail"].startswith("Парковочные баллы нельзя подарить")
    assert snapshot(session) == before


def test_certificates_cannot_be_cancelled(client, session, now, cat):
    user = make_shopper(session, points=3000)
    headers = bearer(session, user.id, now)
    order = client.post("/api/v1/shop/orders", json={"item_id": cat.museum}, headers=headers).json()
    assert (order["status"], order["can_cancel"]) == ("certificate", False)
    assert balances(client, headers) == (2000, 0)
    before = snapshot(session)
    refused = client.post(f"/api/v1/shop/orders/{order['id']}/cancel", headers=headers)
    assert (refused.status_code, refused.json()) == (
        409,
        {"detail": "Заказы вне категории «Сувениры» не подлежат отмене и возврату баллов."},
    )
    assert snapshot(session) == before
    assert_books_balance(session)


def test_an_issued_order_cannot_be_cancelled(client, engine, session, now, clock, cat):
    user = make_shopper(session, points=3000)
    desk = make_user(session, roles=("moderator",))
    session.commit()
    headers = bearer(session, user.id, now)
    order = client.post(
        "/api/v1/shop/orders", json={"item_id": cat.souvenir, "pickup_point_id": cat.pickup}, headers=headers
    ).json()
    with transaction(engine) as s:
        shop.desk_issue(s, actor_id=desk.id, order_id=order["id"], now=now + timedelta(days=1))
    clock["now"] = now + timedelta(days=2)
    assert balances(client, headers) == (2000, 0)
    before = snapshot(session)
    refused = client.post(f"/api/v1/shop/orders/{order['id']}/cancel", headers=headers)
    assert (refused.status_code, refused.json()) == (
        409,
        {"detail": "Заказ уже выдан: отмена и возврат невозможны."},
    )
    assert snapshot(session) == before
    assert client.get("/api/v1/shop/orders", headers=headers).json()[0]["status_name"] == "Выдан"
    assert_books_balance(session)
