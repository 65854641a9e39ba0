"""Russian display formatting of the resident UI and the questionnaire's choice rule (no Reflex runtime)."""

from datetime import UTC, date, datetime

import pytest

from ag_app.state import fmt

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, "0"), (999, "999"), (1000, f"1{NBSP}000"), (1234567, f"1{NBSP}234{NBSP}567")],
)
def test_numbers_use_russian_grouping(value, expected):
    assert fmt.num(value) == expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # 09:00 UTC is 12:00 in Moscow.
        (datetime(2026, 11, 20, 9, 0, tzinfo=UTC), "20 ноября 2026, 12:00"),
        # 22:30 UTC on the 31st is already 1 January in Moscow.
        (datetime(2026, 12, 31, 22, 30, tzinfo=UTC), "1 января 2027, 01:30"),
        # SQLite hands back naive datetimes: they are UTC.
        (datetime(2026, 3, 8, 6, 5), "8 марта 2026, 09:05"),
        (None, ""),
    ],
)
def test_instants_are_shown_in_moscow_time(moment, expected):
    assert fmt.when(moment) == expected


@pytest.mark.parametrize(
    ("value", "expected", "short"),
    [
        (date(2027, 2, 21), "21 февраля 2027", "21.02.2027"),
        (datetime(2026, 12, 31, 21, 0, tzinfo=UTC), "1 января 2027", "01.01.2027"),
        (None, "", ""),
    ],
)
def test_days(value, expected, short):
    assert fmt.day(value) == expected
    assert fmt.short_day(value) == short


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "0 баллов"),
        (1, "1 балл"),
        (2, "2 балла"),
        (5, "5 баллов"),
        (11, "11 баллов"),
        (12, "12 баллов"),
        (21, "21 балл"),
        (23, "23 балла"),
        (111, "111 баллов"),
        (1000, f"1{NBSP}000 баллов"),
    ],
)
def test_points_take_the_russian_plural(count, expected):
    assert fmt.points_word(count) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(0.0, f"0,0{NBSP}%"), (50.0, f"50,0{NBSP}%"), (12.345, f"12,3{NBSP}%")]
)
def test_percent(value, expected):
    assert fmt.percent(value) == expected
