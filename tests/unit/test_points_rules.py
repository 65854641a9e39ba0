"""SPEC §3 points rules: invitation window and cap, share caps, promo codes, the badge, the status."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ag_app.domain.points import (
    SHARE_NETWORKS,
    PromoFacts,
    badge_winners,
    invitation_payable,
    invitation_state,
    is_month,
    month_title,
    normalize_promo_code,
    points_to_status,
    promo_problem,
    share_payable,
    status_name,
)

T = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("registered_at", "paid_this_month", "payable"),
    [
        (T, 0, True),  # registered the same instant
        (T + 29 * DAY, 0, True),
        (T + 30 * DAY - timedelta(seconds=1), 9, True),  # last second of the window, 10th paid
        (T + 30 * DAY, 0, False),  # exactly 30 days later: too late
        (T + 45 * DAY, 0, False),
        (T - timedelta(seconds=1), 0, False),  # registered before the invitation
        (T + DAY, 10, False),  # 11th registration of the month
        (T + DAY, 25, False),
    ],
)
def test_invitation_payable(registered_at, paid_this_month, payable):
    assert invitation_payable(T, registered_at, paid_this_month) is payable


def test_invitation_payable_accepts_naive_utc_from_sqlite():
    assert invitation_payable(T.replace(tzinfo=None), T + DAY, 0)


@given(delay=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60)), paid=st.integers(0, 30))
def test_invitation_payable_is_window_and_cap(delay, paid):
    assert invitation_payable(T, T + delay, paid) == (delay < timedelta(days=30) and paid < 10)


@pytest.mark.parametrize(
    ("accepted", "paid", "now", "state"),
    [
        (False, False, T + DAY, "pending"),
        (False, False, T + 30 * DAY, "expired"),
        (True, True, T + 60 * DAY, "paid"),
        (True, False, T + DAY, "unpaid"),
    ],
)
def test_invitation_state(accepted, paid, now, state):
    assert invitation_state(T, accepted=accepted, paid=paid, now=now) == state


@pytest.mark.parametrize(
    ("network", "paid", "payable"),
    [
        ("vk", {}, True),
        ("vk", {"vk": 1}, False),  # one per network per month
        ("ok", {"vk": 1}, True),
        ("max", {"vk": 1, "ok": 1, "telegram": 1}, True),  # the 4th of the month
        ("max", {"vk": 1, "ok": 1, "telegram": 1, "max": 1}, False),
        ("telegram", {"vk": 1, "ok": 1, "max": 1, "legacy": 1}, False),  # 4 paid already
        ("facebook", {}, False),  # unknown network
        ("VK", {}, False),
    ],
)
def test_share_payable(network, paid, payable):
    assert share_payable(network, paid) is payable


@given(shares=st.lists(st.sampled_from(sorted(SHARE_NETWORKS) + ["x"]), max_size=40))
def test_paying_shares_in_sequence_respects_both_caps(shares):
    paid: dict[str, int] = {}
    for network in shares:
        if share_payable(network, paid):
            paid[network] = paid.get(network, 0) + 1
    assert sum(paid.values()) <= 4
    assert all(count == 1 for count in paid.values())
    assert set(paid) == set(shares) & set(SHARE_NETWORKS)


FUTURE = T + DAY


@pytest.mark.parametrize(
    ("promo", "used", "problem"),
    [
        (None, False, "promo.unknown"),
        (PromoFacts(max_uses=None, uses=0, expires_at=None), False, None),
        (PromoFacts(max_uses=None, uses=0, expires_at=None), True, "promo.used"),
        (PromoFacts(max_uses=10, uses=9, expires_at=FUTURE), False, None),
        (PromoFacts(max_uses=10, uses=10, expires_at=FUTURE), False, "promo.exhausted"),
        (PromoFacts(max_uses=10, uses=3, expires_at=T), False, "promo.expired"),  # expiry instant itself
        (PromoFacts(max_uses=10, uses=3, expires_at=T - DAY), False, "promo.expired"),
        (PromoFacts(max_uses=1, uses=1, expires_at=T - DAY), True, "promo.used"),
        (PromoFacts(max_uses=0, uses=0, expires_at=None), False, "promo.exhausted"),
    ],
)
def test_promo_problem(promo, used, problem):
    assert promo_problem(promo, now=T, used_by_user=used) == problem


@pytest.mark.parametrize(
    ("raw", "code"), [("  vesna2026 ", "VESNA2026"), ("Весна", "ВЕСНА"), ("ABC", "ABC"), ("   ", "")]
)
def test_promo_codes_are_case_insensitive(raw, code):
    assert normalize_promo_code(raw) == code


@pytest.mark.parametrize(
    ("polls", "completed", "winners"),
    [
        (set(), {1: {10, 11}}, set()),  # no city poll closed: nobody
        ({10}, {1: {10}, 2: set(), 3: {11}}, {1}),
        ({10, 11}, {1: {10, 11, 99}, 2: {10}, 3: {11}}, {1}),  # must complete EVERY poll
        ({10, 11}, {}, set()),
        ({10}, {1: {10}, 2: {10}}, {1, 2}),
    ],
)
def test_badge_winners(polls, completed, winners):
    assert badge_winners(polls, completed) == winners


@given(
    polls=st.sets(st.integers(1, 8)),
    completed=st.dictionaries(st.integers(1, 20), st.sets(st.integers(1, 8))),
)
def test_badge_winners_completed_every_poll(polls, completed):
    winners = badge_winners(polls, completed)
    assert winners <= set(completed)
    for user_id, done in completed.items():
        assert (user_id in winners) == (bool(polls) and polls <= done)


@pytest.mark.parametrize(
    ("lifetime", "status"),
    [(0, ""), (999, ""), (1000, "Активный гражданин"), (25_000, "Активный гражданин")],
)
def test_status_name(lifetime, status):
    assert status_name(lifetime) == status


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("2026-11", True),
        ("2026-01", True),
        ("2026-13", False),
        ("2026-00", False),
        ("26-11", False),
        ("2026-1", False),
        ("2026-11-01", False),
        ("", False),
        ("ноябрь", False),
    ],
)
def test_is_month(text, valid):
    assert is_month(text) is valid


@pytest.mark.parametrize(("month", "title"), [("2026-11", "ноябрь 2026"), ("2027-01", "январь 2027")])
def test_month_title(month, title):
    assert month_title(month) == title


@pytest.mark.parametrize(("lifetime", "left"), [(0, 1000), (999, 1), (1000, 0), (5000, 0)])
def test_points_left_until_the_status(lifetime, left):
    assert points_to_status(lifetime) == left
