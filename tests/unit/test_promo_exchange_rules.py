"""The pure rules of the prize-point exchange: who may exchange, the one-time discount, validity."""

from datetime import UTC, datetime, timedelta

import pytest

from ag_app.domain.promo_exchange import (
    ExchangeFacts,
    discount_applies,
    discounted_price,
    exchange_problem,
    partner_valid_until,
)

START = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)
END = datetime(2026, 12, 31, 21, 0, tzinfo=UTC)


def _facts(**changes) -> ExchangeFacts:
    base = {
        "winner": True,
        "activated": True,
        "annulled": False,
        "identity_verified": True,
        "now": START + timedelta(days=1),
        "starts_at": START,
        "ends_at": END,
    }
    return ExchangeFacts(**(base | changes))


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({}, None),
        ({"winner": False, "activated": False, "identity_verified": False}, "promo.exchange_not_participant"),
        ({"now": START - timedelta(seconds=1), "activated": False}, "promo.exchange_not_started"),
        ({"now": START}, None),
        ({"now": END - timedelta(seconds=1)}, None),
        ({"now": END, "annulled": True}, "promo.exchange_over"),
        ({"annulled": True, "activated": False}, "promo.exchange_annulled"),
        ({"activated": False, "identity_verified": False}, "promo.exchange_not_activated"),
        ({"identity_verified": False}, "promo.exchange_level"),
    ],
)
def test_exchange_problem_gives_the_first_reason(changes, key):
    problem = exchange_problem(_facts(**changes))
    assert (problem.key if problem else None) == key


@pytest.mark.parametrize(
    ("price", "discount", "expected"),
    [
        (12_000, 15_000, (0, 12_000)),
        (15_000, 15_000, (0, 15_000)),
        (16_000, 15_000, (1000, 15_000)),
        (500, 0, (500, 0)),
    ],
)
def test_discounted_price_is_never_below_zero(price, discount, expected):
    assert discounted_price(price, discount) == expected


def test_discount_applies_only_in_its_category_while_unused():
    assert discount_applies(discount_left=15_000, citizen_category="sport", item_category="sport")
    assert not discount_applies(discount_left=15_000, citizen_category="sport", item_category="travel")
    assert not discount_applies(discount_left=15_000, citizen_category="sport", item_category="")
    assert not discount_applies(discount_left=0, citizen_category="sport", item_category="sport")
    assert not discount_applies(discount_left=15_000, citizen_category="", item_category="")


def test_partner_rewards_are_valid_until_the_use_deadline():
    use_ends = datetime(2027, 1, 31, 21, 0, tzinfo=UTC)
    fourteen_days = START + timedelta(days=14)
    assert partner_valid_until("certificate", fourteen_days, use_ends) == use_ends
    assert partner_valid_until("theatre", fourteen_days, use_ends) == fourteen_days
    assert partner_valid_until("theatre", use_ends + timedelta(days=3), use_ends) == use_ends
    assert partner_valid_until("parking", None, use_ends) is None
