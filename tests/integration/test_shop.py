"""The rewards shop's use cases on SQLite and PostgreSQL: ordering, cancelling, the pickup desk, the
expiry job, certificates, parking, and every refusal leaving nothing changed."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from ag_app.db import transaction
from ag_app.domain.errors import Conflict, InvalidInput, NotAllowed, NotFound
from ag_app.domain.shop import is_certificate_code
from ag_app.models import OutboxMessage, ParkingAccount, ShopItem, ShopOrder, ShopOrderEvent, User
from ag_app.services import shop
from tests.factories import make_user
from tests.shop_helpers import assert_books_balance, make_catalogue, make_shopper

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)  # Friday 12:00 in Moscow


@pytest.fixture
def cat(session):
    return make_catalogue(session)


def _order(engine, user_id, item_id, **kwargs):
    with transaction(engine) as s:
        return shop.place_order(s, actor_id=user_id, item_id=item_id, now=kwargs.pop("now", NOW), **kwargs)


def _balances(session, user_id):
    """Column reads (no loaded object is expired, so nothing reloads later inside a transaction)."""
    balances = session.exec(
        select(User.points_available, User.points_blocked).where(User.id == user_id)
    ).one()
    session.commit()  # end the read: SQLite writers wait for it
    return tuple(balances)


def _stock(session, item_id):
    stock = session.exec(select(ShopItem.stock).where(ShopItem.id == item_id)).one()
    session.commit()
    return stock


def test_souvenir_blocks_points_and_cancel_returns_them(engine, session, cat):
    user = make_shopper(session, points=2500)
    order = _order(engine, user.id, cat.souvenir, pickup_point_id=cat.pickup)
    assert order.status_name == "Забронирован"
    assert order.number == f"{order.id:08d}"
    # 14 days, until 20:00 Moscow of the last day: 4 December 2026 20:00 MSK = 17:00 UTC.
    assert order.reserved_until == datetime(2026, 12, 4, 17, 0, tzinfo=UTC)
    assert order.pickup_point == "Центр госуслуг района Арбат"
    assert _balances(session, user.id) == (1500, 1000)
    assert _stock(session, cat.souvenir) == 9
    mail = session.exec(select(OutboxMessage).where(OutboxMessage.recipient == "shopper@example.ru")).one()
    assert order.number in mail.body and "Сивцев Вражек" in mail.body
    session.commit()
    with transaction(engine) as s:
        cancelled = shop.cancel_order(s, actor_id=user.id, order_id=order.id, now=NOW + timedelta(days=3))
    assert cancelled.status_name == "Отменён"
    assert _balances(session, user.id) == (2500, 0)
    assert _stock(session, cat.souvenir) == 10
    with transaction(engine) as s, pytest.raises(Conflict, match="уже отменён"):
        shop.cancel_order(s, actor_id=user.id, order_id=order.id, now=NOW + timedelta(days=3))
    events = session.exec(select(ShopOrderEvent).where(ShopOrderEvent.order_id == order.id)).all()
    assert [(e.from_status, e.to_status, e.actor_id) for e in events] == [
        ("", "reserved", user.id),
        ("reserved", "cancelled", user.id),
    ]
    session.commit()
    assert_books_balance(session)


def test_desk_finds_by_number_and_name_and_issues(engine, session, cat):
    user = make_shopper(session, points=2000)
    desk = make_user(session, roles=("moderator",))
    order = _order(engine, user.id, cat.souvenir, pickup_point_id=cat.pickup)
    with transaction(engine) as s, pytest.raises(NotFound, match="номером и ФИО"):
        shop.desk_find(s, actor_id=desk.id, number=order.number, full_name="Петров Пётр Петрович", now=NOW)
    with transaction(engine) as s:
        found = shop.desk_find(
            s, actor_id=desk.id, number=f" {order.number} ", full_name="иванов  иван иванович", now=NOW
        )
    assert found.id == order.id and found.orderer == "Иванов Иван Иванович"
    with transaction(engine) as s, pytest.raises(NotAllowed):
        shop.desk_issue(s, actor_id=user.id, order_id=order.id, now=NOW)
    with transaction(engine) as s:
        issued = shop.desk_issue(s, actor_id=desk.id, order_id=order.id, now=NOW + timedelta(days=1))
    assert issued.status_name == "Выдан" and not issued.can_cancel
    assert _balances(session, user.id) == (1000, 0)
    for action in (shop.desk_refuse, shop.desk_issue):
        with transaction(engine) as s, pytest.raises(Conflict, match="уже выдан"):
            action(s, actor_id=desk.id, order_id=order.id, now=NOW + timedelta(days=1))
    with transaction(engine) as s, pytest.raises(Conflict, match="уже выдан"):
        shop.cancel_order(s, actor_id=user.id, order_id=order.id, now=NOW + timedelta(days=1))
    assert _stock(session, cat.souvenir) == 9
    assert_books_balance(session)


def test_refused_at_the_desk_returns_points_and_stock(engine, session, cat):
    user = make_shopper(session, points=2000)
    desk = make_user(session, roles=("moderator",))
    order = _order(engine, user.id, cat.souvenir, pickup_point_id=cat.pickup)
    with transaction(engine) as s:
        refused = shop.desk_refuse(s, actor_id=desk.id, order_id=order.id, now=NOW + timedelta(hours=2))
    assert refused.status_name == "Отменён"
    assert _balances(session, user.id) == (2000, 0)
    assert _stock(session, cat.souvenir) == 10
    with transaction(engine) as s, pytest.raises(Conflict, match="уже отменён"):
        shop.desk_issue(s, actor_id=desk.id, order_id=order.id, now=NOW + timedelta(hours=2))


def test_expiry_job_annuls_after_20_moscow_of_the_last_day_once(engine, session, cat):
    user = make_shopper(session, points=2000)
    order = _order(engine, user.id, cat.souvenir, pickup_point_id=cat.pickup)
    deadline = datetime(2026, 12, 4, 17, 0, tzinfo=UTC)
    assert shop.expire_reservations(now=deadline - timedelta(seconds=1), engine=engine) == 0
    with transaction(engine) as s:  # still cancellable a second before the end
        assert shop.my_orders(s, actor_id=user.id, now=deadline - timedelta(seconds=1))[0].can_cancel
    assert shop.expire_reservations(now=deadline, engine=engine) == 1
    assert shop.expire_reservations(now=deadline + timedelta(hours=1), engine=engine) == 0
    assert session.exec(select(ShopOrder.status).where(ShopOrder.id == order.id)).one() == "expired"
    session.commit()
    # The points are lost, the souvenir is not returned to stock.
    assert _balances(session, user.id) == (1000, 0)
    assert _stock(session, cat.souvenir) == 9
    with transaction(engine) as s, pytest.raises(Conflict, match="аннулирован"):
        shop.cancel_order(s, actor_id=user.id, order_id=order.id, now=deadline)
    last = session.exec(
        select(ShopOrderEvent).where(ShopOrderEvent.order_id == order.id).order_by(ShopOrderEvent.id)
    ).all()[-1]
    assert (last.from_status, last.to_status, last.actor_id) == ("reserved", "expired", None)
    assert_books_balance(session)


@pytest.mark.parametrize("which", ["park", "museum", "transport"])
def test_certificates_are_paid_at_once_valid_14_days_and_final(engine, session, cat, which):
    user = make_shopper(session, points=1500)
    order = _order(engine, user.id, getattr(cat, which), gift_to="  Анна   Смирнова ")
    assert is_certificate_code(order.certificate_code)
    assert order.valid_until == NOW + timedelta(days=14)
    assert order.gift_to == "Анна Смирнова"
    assert order.status_name == "Сертификат выдан" and not order.can_cancel
    assert _balances(session, user.id) == (500, 0)
    with transaction(engine) as s, pytest.raises(Conflict, match="не подлежат отмене"):
        shop.cancel_order(s, actor_id=user.id, order_id=order.id, now=NOW)
    assert _balances(session, user.id) == (500, 0)
    assert_books_balance(session)


def test_theatre_certificate_exchangeable_until_7_days_before(engine, session):
    cat = make_catalogue(session, performance_on=datetime(2026, 12, 10).date())
    user = make_shopper(session, points=3000)
    order = _order(engine, user.id, cat.theatre)
    # Exchange up to 3 December (7 days before 10 December) inclusive: valid until 4 Dec 00:00 MSK.
    assert order.valid_until == datetime(2026, 12, 3, 21, 0, tzinfo=UTC)
    with transaction(engine) as s, pytest.raises(Conflict, match="меньше 7 дней"):
        shop.place_order(
            s, actor_id=user.id, item_id=cat.theatre, now=datetime(2026, 12, 3, 21, 0, tzinfo=UTC)
        )


def test_parking_credits_the_parking_account_of_the_same_phone(engine, session, cat):
    user = make_shopper(session, points=2500)
    _order(engine, user.id, cat.parking)
    _order(engine, user.id, cat.parking)
    assert session.exec(select(ParkingAccount.points).where(ParkingAccount.phone == user.phone)).one() == 200
    session.commit()
    with transaction(engine) as s, pytest.raises(InvalidInput, match="нельзя подарить"):
        shop.place_order(s, actor_id=user.id, item_id=cat.parking, gift_to="Друг", now=NOW)
    assert_books_balance(session)


def test_refusals_change_nothing(engine, session, cat):
    newcomer = make_shopper(session, points=500, status=False)
    no_email = make_shopper(session, points=3000, email="")
    rich = make_shopper(session, points=3000)
    poor = make_shopper(session, points=999)
    cases = [
        (newcomer.id, cat.souvenir, {"pickup_point_id": cat.pickup}, NotAllowed, "набрать 1000 баллов"),
        (no_email.id, cat.park, {}, NotAllowed, "ФИО и адрес электронной почты"),
        (poor.id, cat.park, {}, Conflict, "нужно 1\u00a0000, доступно 999"),
        (rich.id, cat.souvenir, {}, InvalidInput, "Выберите пункт выдачи"),
        (rich.id, cat.souvenir, {"pickup_point_id": cat.closed_pickup}, NotFound, "Пункт выдачи не найден"),
        (rich.id, cat.souvenir, {"pickup_point_id": 987654}, NotFound, "Пункт выдачи не найден"),
        (rich.id, 987654, {}, NotFound, "Поощрение не найдено"),
        (None, cat.park, {}, Exception, "Войдите"),
    ]
    for actor, item, extra, error, text in cases:
        with transaction(engine) as s, pytest.raises(error, match=text):
            shop.place_order(s, actor_id=actor, item_id=item, now=NOW, **extra)
    with session.begin():
        session.get(ShopItem, cat.park).visible = False
    with transaction(engine) as s, pytest.raises(NotFound, match="недоступно"):
        shop.place_order(s, actor_id=rich.id, item_id=cat.park, now=NOW)
    # The open-to-all badge needs no status.
    assert _order(engine, newcomer.id, cat.open_badge, pickup_point_id=cat.pickup).points == 300
    assert len(session.exec(select(ShopOrder.id)).all()) == 1
    session.commit()
    assert _balances(session, rich.id) == (3000, 0)
    assert_books_balance(session)


def test_somebody_elses_order_is_not_found(engine, session, cat):
    owner = make_shopper(session, points=2000)
    other = make_shopper(session, points=2000)
    order = _order(engine, owner.id, cat.souvenir, pickup_point_id=cat.pickup)
    with transaction(engine) as s, pytest.raises(NotFound):
        shop.cancel_order(s, actor_id=other.id, order_id=order.id, now=NOW)
    with transaction(engine) as s, pytest.raises(NotFound):
        shop.my_order(s, actor_id=other.id, number=order.number, now=NOW)
    with transaction(engine) as s:
        assert shop.my_order(s, actor_id=owner.id, number=order.number, now=NOW).id == order.id
        assert shop.my_orders(s, actor_id=other.id, now=NOW) == []


def test_catalogue_says_why_an_item_cannot_be_ordered(engine, session, cat):
    newcomer = make_shopper(session, points=400, status=False)
    with transaction(engine) as s:
        view = shop.catalogue(s, actor_id=newcomer.id, now=NOW)
        guest = shop.catalogue(s, actor_id=None, now=NOW, category="souvenirs", sort="price_asc")
        only = shop.catalogue(s, actor_id=newcomer.id, now=NOW, orderable_only=True)
    by_title = {i.title: i for i in view.items}
    assert (
        by_title["Кружка «Активный гражданин»"].problem
        == "Для заказа данного поощрения необходимо набрать 1000 баллов."
    )
    assert by_title["Значок"].can_order and by_title["Значок"].open_to_all
    assert [i.title for i in guest.items] == ["Значок", "Кружка «Активный гражданин»"]
    assert all(i.problem == "Войдите, чтобы заказать поощрение." for i in guest.items)
    assert [i.title for i in only.items] == ["Значок"]
    assert view.available == 400 and len(view.pickup_points) == 1


def test_staff_report_counts_points_per_week_and_top_items(engine, session, cat):
    staff = make_user(session, roles=("staff",))
    user = make_shopper(session, points=5000)
    _order(engine, user.id, cat.park)
    _order(engine, user.id, cat.park)
    _order(engine, user.id, cat.museum)
    with transaction(engine) as s:
        report = shop.shop_report(s, actor_id=staff.id, now=NOW)
        with pytest.raises(NotAllowed):
            shop.shop_report(s, actor_id=user.id, now=NOW)
    assert report.weeks[-1].spent == 3000
    assert sum(w.earned for w in report.weeks) == 5000  # credited 1 Oct, within 12 weeks
    assert report.top_items[0].title == "Экскурсия по парку «Зарядье»" and report.top_items[0].orders == 2


def test_staff_manage_the_catalogue_and_bad_input_changes_nothing(engine, session, cat):
    staff = make_user(session, roles=("staff",))
    resident = make_shopper(session, points=2000)
    park = cat.categories["parks"]
    good = shop.ItemInput(category_id=park, title="  Каток  в  Сокольниках ", price=800, stock=5)
    with transaction(engine) as s, pytest.raises(NotAllowed):
        shop.save_item(s, actor_id=resident.id, item_id=None, data=good, now=NOW)
    bad_inputs = [
        (shop.ItemInput(category_id=park, title=" ", price=800, stock=5), "название"),
        (shop.ItemInput(category_id=park, title="Каток", price=0, stock=5), "Цена"),
        (shop.ItemInput(category_id=park, title="Каток", price=800, stock=-1), "Остаток"),
        (shop.ItemInput(category_id=park, title="Каток", price=True, stock=5), "Цена"),
        (shop.ItemInput(category_id=987654, title="Каток", price=800, stock=5), "Категория не найдена"),
        (
            shop.ItemInput(category_id=cat.categories["theatres"], title="Без даты", price=800, stock=5),
            "дату",
        ),
        (
            shop.ItemInput(category_id=cat.categories["parking"], title="Парковка", price=800, stock=5),
            "парковочных",
        ),
        (shop.ItemInput(category_id=park, title="Каток", price=800, stock=5, photo="../secret"), "Фото"),
        (shop.ItemInput(category_id=park, title="Каток", price=800, stock=5, validity_note="я" * 301), "300"),
    ]
    for data, text in bad_inputs:
        with transaction(engine) as s, pytest.raises(Exception, match=text):
            shop.save_item(s, actor_id=staff.id, item_id=None, data=data, now=NOW)
    assert len(session.exec(select(ShopItem.id)).all()) == 7
    session.commit()
    with transaction(engine) as s:
        created = shop.save_item(s, actor_id=staff.id, item_id=None, data=good, now=NOW)
        assert created.title == "Каток в Сокольниках" and created.stock == 5
        hidden = shop.ItemInput(category_id=park, title="Каток", price=900, stock=0, visible=False)
        shop.save_item(s, actor_id=staff.id, item_id=created.id, data=hidden, now=NOW)
    with transaction(engine) as s:
        assert created.id not in {i.id for i in shop.catalogue(s, actor_id=resident.id, now=NOW).items}
        assert {i.id: i.visible for i in shop.staff_items(s, actor_id=staff.id, now=NOW)}[created.id] is False
        with pytest.raises(Conflict, match="уже есть"):
            shop.save_category(s, actor_id=staff.id, category_id=None, name="парки", fulfilment="certificate")
        with pytest.raises(InvalidInput):
            shop.save_category(s, actor_id=staff.id, category_id=None, name="Кино", fulfilment="teleport")
        with pytest.raises(Conflict, match="способ выдачи"):
            shop.save_category(s, actor_id=staff.id, category_id=park, name="Парки", fulfilment="pickup")
        cinema = shop.save_category(
            s, actor_id=staff.id, category_id=None, name="Кино", fulfilment="certificate"
        )
        assert [c.name for c in shop.categories(s)][-1] == "Кино" and cinema.slug
    with transaction(engine) as s:
        point = shop.save_pickup_point(
            s,
            actor_id=staff.id,
            point_id=cat.pickup,
            name="Центр госуслуг района Арбат",
            address="Новый адрес",
            active=False,
        )
        assert point.active is False
    with transaction(engine) as s, pytest.raises(NotFound, match="Пункт выдачи"):
        shop.place_order(s, actor_id=resident.id, item_id=cat.souvenir, pickup_point_id=cat.pickup, now=NOW)


def test_hiding_an_item_or_editing_it_never_undoes_an_order(engine, session, cat):
    """Staff forms filled before an order must not put the ordered unit back on sale."""
    staff = make_user(session, roles=("staff",))
    user = make_shopper(session, points=3000)
    _order(engine, user.id, cat.park)
    with transaction(engine) as s:
        shop.set_item_visible(s, actor_id=staff.id, item_id=cat.park, visible=False, now=NOW)
        edited = shop.ItemInput(
            category_id=cat.categories["parks"], title="Зарядье", price=1200, stock=None, visible=True
        )
        assert shop.save_item(s, actor_id=staff.id, item_id=cat.park, data=edited, now=NOW).stock == 9
    assert _stock(session, cat.park) == 9
    with transaction(engine) as s:
        assert shop.set_item_stock(s, actor_id=staff.id, item_id=cat.park, stock=40, now=NOW).stock == 40
        with pytest.raises(NotAllowed):
            shop.set_item_stock(s, actor_id=user.id, item_id=cat.park, stock=99, now=NOW)
        with pytest.raises(InvalidInput):
            shop.set_item_stock(s, actor_id=staff.id, item_id=cat.park, stock=-5, now=NOW)
        with pytest.raises(NotFound):
            shop.set_item_visible(s, actor_id=staff.id, item_id=987654, visible=True, now=NOW)
    assert _stock(session, cat.park) == 40


def test_acceptance_act_of_an_issued_order(engine, session, cat, tmp_path):
    import subprocess

    user = make_shopper(session, points=2000)
    desk = make_user(session, roles=("moderator",))
    order = _order(engine, user.id, cat.souvenir, pickup_point_id=cat.pickup, gift_to="Анна Смирнова")
    with transaction(engine) as s, pytest.raises(Conflict, match="только для выданного"):
        shop.acceptance_act(s, actor_id=desk.id, order_id=order.id)
    with transaction(engine) as s:
        shop.desk_issue(s, actor_id=desk.id, order_id=order.id, now=NOW + timedelta(days=2, hours=3))
    with transaction(engine) as s, pytest.raises(NotAllowed):
        shop.acceptance_act(s, actor_id=user.id, order_id=order.id)
    with transaction(engine) as s:
        pdf = shop.acceptance_act(s, actor_id=desk.id, order_id=order.id)
    with transaction(engine) as s:
        assert shop.acceptance_act(s, actor_id=desk.id, order_id=order.id) == pdf
    path = tmp_path / "act.pdf"
    path.write_bytes(pdf)
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert f"поощрения по заказу № {order.number}" in text
    assert "22.11.2026 15:00 (время московское)" in text
    assert "Кружка «Активный гражданин» (Сувениры)" in text
    assert "Оформитель заказа: Иванов Иван Иванович" in text and "Подарок для: Анна Смирнова" in text
    assert "Выдал сотрудник: Иванов Иван Иванович" in text and "Центр госуслуг района Арбат" in text
