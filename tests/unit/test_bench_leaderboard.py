"""The leaderboard bench: which live update reflects which receipt, its figures, and its receipts."""

import random
from collections import Counter
from datetime import UTC, date, datetime

import pytest

from ag_app.bench.leaderboard import (
    DRIVES,
    PER_RESIDENT,
    Posted,
    adult_birth_date,
    fan_out,
    match_deliveries,
    rating_version,
    receipt_qr,
)
from ag_app.bench.ws import delivery_figures
from ag_app.domain.contest import ADULT_AGE, parse_receipt_qr, period_of
from ag_app.domain.profile import age_on

RATING = "reflex___state____state.ag_app___state___contest____contest_rating_state"


def _packet(version: int, state: str = RATING) -> str:
    return (
        f'42/_event,["event",{{"delta":{{"{state}":{{"cid_rx_state_":3,"version_rx_state_":{version},'
        f'"rows_rx_state_":[],"total_rx_state_":"12","updated_rx_state_":"18:30:05"}}}}}}]'
    )


def test_the_version_is_read_from_rating_updates_only():
    assert rating_version(_packet(1765123456789)) == 1765123456789
    other = _packet(5, "reflex___state____state.ag_app___state___meetings____meeting_meter_state")
    assert rating_version(other) is None
    assert rating_version('42/_event,["pong","pong"]') is None


def _posted(at: float, wall_ms: float) -> Posted:
    return Posted(at=at, wall_ms=wall_ms, api_ms=5.0)


def test_an_update_counts_for_a_receipt_only_when_its_read_began_after_the_201():
    # Receipt answered at t=10.0 s (wall 1000 ms). An update read at 999 ms (before the answer)
    # does not reflect it, even though it arrives later; the one read at 1000 ms does.
    posted = [_posted(10.0, 1000)]
    updates = [(10.2, 999), (10.7, 1000)]
    assert match_deliveries(posted, updates, wait_s=5) == [pytest.approx(700)]


def test_one_update_delivers_every_receipt_answered_before_its_read_in_any_order():
    posted = [_posted(10.3, 1300), _posted(10.0, 1000), _posted(10.9, 1900)]
    updates = [(10.5, 1350), (11.4, 2000)]
    assert match_deliveries(posted, updates, wait_s=5) == [
        pytest.approx(200),
        pytest.approx(500),
        pytest.approx(500),
    ]


def test_a_late_or_missing_update_is_not_delivered():
    posted = [_posted(10.0, 1000), _posted(20.0, 11000)]
    # The first receipt's update arrives 6 s after its 201 (wait 5 s); none ever reflects the second.
    assert match_deliveries(posted, [(16.0, 1500)], wait_s=5) == [None, None]
    assert match_deliveries(posted, [], wait_s=5) == [None, None]


def test_an_older_version_arriving_late_does_not_undo_a_delivery():
    posted = [_posted(10.0, 1000), _posted(10.1, 1100)]
    updates = [(10.4, 1200), (10.6, 900), (10.8, 1300)]
    assert match_deliveries(posted, updates, wait_s=5) == [pytest.approx(400), pytest.approx(300)]


def test_delivery_figures_count_the_share_of_expected_updates():
    figures = delivery_figures([100.0, 200.0, 300.0, 4000.0], expected=5)
    assert figures["delivered"] == 4 and figures["expected"] == 5
    assert figures["delivered_share"] == 0.8
    assert figures["p50_ms"] == 200.0 and figures["p95_ms"] == 4000.0 and figures["max_ms"] == 4000.0
    assert delivery_figures([], expected=0)["delivered_share"] == 0.0


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 12, 7, 14, 30, tzinfo=UTC),
        # Five minutes into a Moscow month (still the previous month in UTC).
        datetime(2026, 11, 30, 21, 5, tzinfo=UTC),
    ],
)
def test_receipts_are_valid_new_bought_this_moscow_month_and_never_in_the_future(now):
    rng = random.Random(3)
    residents = 20
    receipts = [parse_receipt_qr(receipt_qr(k, residents, now, rng, 399_999)) for k in range(800)]
    assert len({r.key for r in receipts}) == 800
    for receipt in receipts:
        assert receipt.operation == 1 and receipt.amount_kopecks > 0
        assert receipt.purchased_at <= now
        assert period_of(receipt.purchased_at) == period_of(now)
    # No resident takes a fiscal drive twice in a run of PER_RESIDENT receipts each: no «split» review.
    for resident in range(residents):
        drives = Counter(r.fn for r in receipts[resident::residents][:PER_RESIDENT])
        assert max(drives.values()) == 1
    assert len({r.fn for r in receipts}) <= DRIVES


def test_bench_residents_are_adults():
    rng = random.Random(1)
    today = date(2026, 12, 7)
    for _ in range(200):
        born = date.fromisoformat(adult_birth_date(rng, today))
        assert ADULT_AGE <= age_on(born, today) <= 70


def test_fan_out_splits_an_update_into_its_read_and_its_spread_over_viewers():
    # Perf 0 s is wall 1 000 000 ms. Update v=1 000 100 (read began at perf 0.1 s) reaches viewer A
    # at 0.15 s and viewer B at 0.35 s: 50 ms to the first viewer, 200 ms from first to last.
    updates = [[(0.15, 1_000_100)], [(0.35, 1_000_100)]]
    figures = fan_out(updates, wall_minus_perf_ms=1_000_000)
    assert figures["read_p50_ms"] == pytest.approx(50)
    assert figures["spread_p50_ms"] == pytest.approx(200)
