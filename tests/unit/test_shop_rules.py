"""SPEC §9 shop rules: eligibility reasons, reservation and certificate deadlines, refunds, codes."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from ag_app.domain.shop import (
    CANCELLED,
    CATEGORIES,
    CERTIFICATE,
    CERTIFIED,
    CREDITED,
    EXPIRED,
    ISSUED,
    PARKING,
    PICKUP,
    RESERVED,
    THEATRE,
    OrderFacts,
    cancel_problem,
    certificate_valid_until,
    has_full_name,
    initial_status,
    is_certificate_code,
    is_expired,
    new_certificate_code,
    order_problem,
    reservation_deadline,
    theatre_exchange_deadline,
)
from ag_app.i18n import message

READY = OrderFacts(
    visible=True,
    open_to_all=False,
    has_status=True,
    has_full_name=True,
    has_email=True,
    available_points=500,
    price=300,
    stock=5,
)


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({}, None),
        ({"visible": False}, "shop.item_hidden"),
        ({"has_status": False}, "shop.status_required"),
        ({"has_status": False, "open_to_all": True}, None),
        ({"has_full_name": False}, "shop.profile_incomplete"),
        ({"has_email": False}, "shop.profile_incomplete"),
        ({"available_points": 299}, "shop.points_short"),
        ({"available_points": 300}, None),
        ({"stock": 0}, "shop.out_of_stock"),
        ({"exchange_deadline": date(2026, 11, 20), "today": date(2026, 11, 20)}, None),
        ({"exchange_deadline": date(2026, 11, 20), "today": date(2026, 11, 21)}, "shop.performance_too_soon"),
    ],
)
def test_order_problem(change, key):
    problem = order_problem(replace(READY, **change))
    assert (problem.key if problem else None) == key


def test_reason_texts_are_the_shops():
    assert message("shop.status_required") == "Для заказа данного поощрения необходимо набрать 1000 баллов."
    problem = order_problem(replace(READY, available_points=120))
    assert message(problem.key, **problem.params) == "Недостаточно баллов: нужно 300, доступно 120."


def test_hidden_wins_over_every_other_reason():
    facts = replace(READY, visible=False, has_status=False, stock=0, available_points=0)
    assert order_problem(facts).key == "shop.item_hidden"


@pytest.mark.parametrize(
    ("ordered_at", "deadline"),
    [
        # 12:00 Moscow on 20 November → 20:00 Moscow (17:00 UTC) on 4 December.
        (datetime(2026, 11, 20, 9, 0, tzinfo=UTC), datetime(2026, 12, 4, 17, 0, tzinfo=UTC)),
        # 23:30 UTC on 20 November is already 21 November in Moscow.
        (datetime(2026, 11, 20, 23, 30, tzinfo=UTC), datetime(2026, 12, 5, 17, 0, tzinfo=UTC)),
        # 20:59 UTC is 23:59 Moscow of the same day.
        (datetime(2026, 11, 20, 20, 59, tzinfo=UTC), datetime(2026, 12, 4, 17, 0, tzinfo=UTC)),
    ],
)
def test_reservation_lasts_until_20_moscow_of_the_last_day(ordered_at, deadline):
    assert reservation_deadline(ordered_at) == deadline


def test_certificate_is_valid_14_days():
    ordered = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    assert certificate_valid_until(ordered) == datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


def test_theatre_exchange_up_to_7_days_before():
    assert theatre_exchange_deadline(date(2026, 12, 10)) == date(2026, 12, 3)


@pytest.mark.parametrize(
    ("fulfilment", "status"),
    [(PICKUP, RESERVED), (CERTIFICATE, CERTIFIED), (THEATRE, CERTIFIED), (PARKING, CREDITED)],
)
def test_initial_status(fulfilment, status):
    assert initial_status(fulfilment) == status


NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=1)


@pytest.mark.parametrize(
    ("fulfilment", "status", "until", "key"),
    [
        (PICKUP, RESERVED, LATER, None),
        (PICKUP, RESERVED, NOW, "shop.reservation_over"),
        (PICKUP, ISSUED, LATER, "shop.order_issued"),
        (PICKUP, CANCELLED, LATER, "shop.order_cancelled"),
        (PICKUP, EXPIRED, NOW, "shop.order_expired"),
        (CERTIFICATE, CERTIFIED, None, "shop.not_refundable"),
        (THEATRE, CERTIFIED, None, "shop.not_refundable"),
        (PARKING, CREDITED, None, "shop.not_refundable"),
    ],
)
def test_only_reserved_souvenirs_can_be_cancelled(fulfilment, status, until, key):
    problem = cancel_problem(fulfilment, status, until, NOW)
    assert (problem.key if problem else None) == key


@pytest.mark.parametrize(
    ("status", "until", "expired"),
    [(RESERVED, NOW, True), (RESERVED, LATER, False), (ISSUED, NOW, False), (CANCELLED, NOW, False)],
)
def test_expiry(status, until, expired):
    assert is_expired(status, until, NOW) is expired


def test_certificate_codes_are_unique_and_well_formed():
    codes = {new_certificate_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(is_certificate_code(c) for c in codes)
    assert not is_certificate_code("0OIL-AAAA-BBBB")
    assert not is_certificate_code("ABCD-EFGH")


def test_categories_of_spec():
    assert [c.name for c in CATEGORIES] == ["Сувениры", "Парки", "Музеи", "Театры", "Транспорт", "Парковки"]


@pytest.mark.parametrize(
    ("parts", "full"),
    [
        (("Иванов", "Иван", "Иванович"), True),
        (("Иванов", "Иван", "-"), True),
        (("Иванов", "Иван", ""), False),
    ],
)
def test_full_name(parts, full):
    assert has_full_name(*parts) is full
