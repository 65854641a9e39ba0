"""Statistics rules: small-cell suppression, age bands, Moscow hour/day keys, key order and labels."""

from datetime import UTC, date, datetime

import pytest

from ag_app.domain.demographics import age_band, age_on
from ag_app.domain.stats import (
    SUPPRESSED,
    Breakdown,
    bucket_keys,
    day_key,
    dimension_of,
    hour_bucket,
    hour_key,
    key_label,
    order_keys,
    published_counts,
    shown_count,
    suppress,
    suppress_breakdown,
)


@pytest.mark.parametrize(
    ("values", "groups", "hidden"),
    [
        # Nothing small: nothing hidden.
        ([10, 20, 30], [[0, 1, 2]], [False, False, False]),
        # 5 is shown, 4 is not.
        ([5, 4], [], [False, True]),
        # A zero is a small cell too.
        ([0, 7], [], [True, False]),
        # One small cell in a group with a known sum: the smallest other one is hidden as well.
        ([3, 50, 8, 20], [[0, 1, 2, 3]], [True, False, True, False]),
        # Ties: the first of the equal smallest cells is hidden.
        ([2, 9, 9], [[0, 1, 2]], [True, True, False]),
        # Two small cells already protect each other.
        ([3, 4, 50], [[0, 1, 2]], [True, True, False]),
        # Without a known sum there is nothing to recompute.
        ([3, 50, 8], [], [True, False, False]),
        # Complementary suppression cascades: hiding 8 in the row leaves it alone in its column.
        #   row [0,1] and column [1,2]: 3 hides 8 (row), then 8 needs a partner in its column: 40.
        ([3, 8, 40, 60], [[0, 1], [1, 2, 3]], [True, True, True, False]),
        # A group of one cell is its own published total: nothing to protect.
        ([3], [[0]], [True]),
    ],
)
def test_suppression(values, groups, hidden):
    assert suppress(values, groups) == hidden


def test_no_group_is_left_with_exactly_one_hidden_cell():
    values = [3, 12, 40, 7, 9, 1, 30, 30, 30]
    groups = [[0, 1, 2], [3, 4, 5], [6, 7, 8], [0, 3, 6], [1, 4, 7], [2, 5, 8]]
    hidden = suppress(values, groups)
    assert all(sum(hidden[i] for i in g) != 1 for g in groups)
    assert all(hidden[i] for i, v in enumerate(values) if v < 5)


def test_breakdown_single_choice_rows_and_columns_are_protected():
    # Keys: 18–24 (12 ballots), 25–34 (30), 35–44 (3). Question 0 single choice: «Да», «Нет».
    data = Breakdown(
        keys=("18–24", "25–34", "35–44"),
        ballots=(12, 30, 3),
        options=((9, 20, 2), (3, 10, 1)),
        question_of=(0, 0),
        single=(True, True),
    )
    shown = suppress_breakdown(data)
    # 35–44 has 3 ballots: hidden, and so is the smallest other band (12), else 3 = 45 − 12 − 30.
    assert shown.ballots == (None, 30, None)
    # Small cells 2, 3 and 1 are hidden; «Да» 18–24 (9) goes too, else 3 = 12 − 9 … and its
    # column would keep one hidden cell. 25–34 stays fully visible.
    assert shown.options == ((None, 20, None), (None, 10, None))


def test_breakdown_multiple_choice_has_no_row_sums():
    data = Breakdown(
        keys=("male", "female"),
        ballots=(40, 50),
        options=((30, 35), (4, 20)),
        question_of=(0, 0),
        single=(False, False),
    )
    shown = suppress_breakdown(data)
    assert shown.ballots == (40, 50)
    # 4 is small; its column (option total is published) loses the 20 as well; rows stay.
    assert shown.options == ((30, 35), (None, None))


@pytest.mark.parametrize(
    ("birth", "day", "band"),
    [
        (None, date(2026, 11, 20), ""),
        (date(2008, 11, 21), date(2026, 11, 20), "до 18"),
        (date(2008, 11, 20), date(2026, 11, 20), "18–24"),
        (date(2001, 11, 21), date(2026, 11, 20), "18–24"),
        (date(2001, 11, 20), date(2026, 11, 20), "25–34"),
        (date(1961, 11, 20), date(2026, 11, 20), "65+"),
        (date(1961, 11, 21), date(2026, 11, 20), "55–64"),
        # Born on 29 February: the birthday counts on 1 March in other years.
        (date(2008, 2, 29), date(2026, 2, 28), "до 18"),
        (date(2008, 2, 29), date(2026, 3, 1), "18–24"),
        (date(2020, 1, 1), date(2026, 1, 1), "до 18"),
    ],
)
def test_age_band(birth, day, band):
    assert age_band(birth, day) == band


def test_age_on_leap_day():
    assert age_on(date(2000, 2, 29), date(2024, 2, 29)) == 24
    assert age_on(date(2000, 2, 29), date(2023, 2, 28)) == 22


@pytest.mark.parametrize(
    ("moment", "hour", "day"),
    [
        # 20:59 UTC is 23:59 in Moscow, the same day.
        (datetime(2026, 11, 20, 20, 59, tzinfo=UTC), "23", "2026-11-20"),
        # 21:00 UTC is already midnight of the next Moscow day.
        (datetime(2026, 11, 20, 21, 0, tzinfo=UTC), "0", "2026-11-21"),
        # UTC midnight is 03:00 in Moscow.
        (datetime(2026, 11, 21, 0, 0, tzinfo=UTC), "3", "2026-11-21"),
        # A naive value (as SQLite returns it) is UTC.
        (datetime(2026, 12, 31, 22, 30), "1", "2027-01-01"),
    ],
)
def test_hour_and_day_keys_are_moscow_time(moment, hour, day):
    assert (hour_key(moment), day_key(moment)) == (hour, day)
    assert bucket_keys(hour_bucket(moment)) == (hour, day)


@pytest.mark.parametrize(
    ("dimension", "keys", "names", "ordered"),
    [
        ("age", ["65+", "", "18–24", "до 18"], None, ["до 18", "18–24", "65+", ""]),
        ("gender", ["", "female", "male"], None, ["male", "female", ""]),
        ("hour", ["10", "9", "0", "23"], None, ["0", "9", "10", "23"]),
        ("day", ["2026-11-21", "2026-11-09"], None, ["2026-11-09", "2026-11-21"]),
        ("region", ["other", "moscow"], None, ["moscow", "other"]),
        ("district", ["2", "", "1"], {"1": "Раменки", "2": "Арбат"}, ["2", "1", ""]),
    ],
)
def test_key_order(dimension, keys, names, ordered):
    assert order_keys(dimension, keys, names) == ordered


@pytest.mark.parametrize(
    ("dimension", "key", "label"),
    [
        ("hour", "9", "09:00"),
        ("day", "2026-11-20", "20.11.2026"),
        ("gender", "male", "мужской"),
        ("gender", "", "не указан"),
        ("age", "", "Возраст не указан"),
        ("region", "moscow", "Московский номер"),
        ("okrug", "", "Не указан"),
        ("okrug", "3", "ЦАО"),
    ],
)
def test_key_labels(dimension, key, label):
    assert key_label(dimension, key, {"3": "ЦАО"}) == label


@pytest.mark.parametrize(
    ("by", "dimension"),
    [("age", "age"), ("number_region", "region"), ("day", "day"), ("all", None), ("name", None)],
)
def test_dimension_names(by, dimension):
    assert dimension_of(by) == dimension


def test_shown_count():
    assert (shown_count(None), shown_count(0 + 7)) == (SUPPRESSED, "7")


def test_published_counts_hide_small_cells_and_their_complement():
    # 12 ballots = 9 Moscow + 3 other: hiding only the 3 would let anyone recompute it, so 9 goes too.
    assert published_counts([12, 9, 3], [[0, 1, 2]]) == ["12", SUPPRESSED, SUPPRESSED]
    assert published_counts([3, 2, 0, 1]) == [SUPPRESSED] * 4
    assert published_counts([40, 7]) == ["40", "7"]
