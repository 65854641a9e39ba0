"""The Russian production calendar and deadlines in working days (SPEC §6.3, §8.1, §13)."""

from datetime import UTC, date, datetime, timedelta

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ag_app.domain.workdays import (
    DECREES,
    KNOWN_YEARS,
    CalendarUnknown,
    add_working_days,
    calendar_known,
    deadline,
    deadline_date,
    is_working_day,
    public_holidays,
)


def _days(year: int):
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += timedelta(days=1)


@pytest.mark.parametrize("year", KNOWN_YEARS)
def test_the_calendar_agrees_with_the_holidays_package_day_by_day(year):
    reference = holidays.RU(years=year)
    differences = [day for day in _days(year) if is_working_day(day) != reference.is_working_day(day)]
    assert differences == []


@pytest.mark.parametrize(("year", "working"), [(2025, 247), (2026, 247), (2027, 247)])
def test_working_days_per_year_match_the_official_calendars(year, working):
    assert sum(is_working_day(day) for day in _days(year)) == working


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 11, 1), True),  # a Saturday made a working day (decree № 1335)
        (date(2025, 11, 3), False),  # …and the Monday it moved to
        (date(2025, 5, 8), False),  # 23 February 2025 fell on a Sunday, moved to 8 May
        (date(2025, 2, 24), True),  # so the Monday after it is worked
        (date(2025, 12, 31), False),
        (date(2026, 1, 9), False),  # 3 January 2026 (Saturday) moved to Friday 9 January
        (date(2026, 1, 12), True),
        (date(2026, 3, 9), False),  # 8 March 2026 is a Sunday: Monday off (Labour Code art. 112)
        (date(2026, 5, 11), False),
        (date(2026, 11, 4), False),
        (date(2026, 11, 5), True),
        (date(2026, 12, 31), False),
        (date(2027, 2, 20), True),  # Saturday worked, moved to Monday 22 February (decree № 1187)
        (date(2027, 2, 22), False),
        (date(2027, 11, 5), False),
        (date(2026, 7, 15), True),  # an ordinary Wednesday
        (date(2026, 7, 18), False),  # an ordinary Saturday
        (date(2027, 5, 3), False),  # 1 May 2027 is a Saturday: Monday off (art. 112)
        (date(2027, 5, 10), False),  # 9 May 2027 is a Sunday
        (date(2027, 6, 14), False),  # 12 June 2027 is a Saturday
        (date(2025, 2, 24), True),  # 23 February 2025 (Sunday) was moved by the decree, not by art. 112
        (date(2025, 3, 10), True),  # 8 March 2025 (Saturday) likewise, to 13 June
    ],
)
def test_is_working_day(day, expected):
    assert is_working_day(day) is expected


@pytest.mark.parametrize("year", KNOWN_YEARS)
def test_public_holidays_come_from_the_holidays_package_without_its_transfers(year):
    statutory = [(1, d) for d in range(1, 9)] + [(2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4)]
    assert public_holidays(year) == frozenset(date(year, m, d) for m, d in statutory)


@pytest.mark.parametrize("year", KNOWN_YEARS)
def test_every_decree_transfer_lands_on_a_day_off(year):
    for source, target in DECREES[year].transfers:
        assert not is_working_day(target)
        assert source.weekday() >= 5  # a weekend day (or a holiday on one) gives its day off away


def test_only_the_years_with_a_decree_are_known():
    assert KNOWN_YEARS == (2025, 2026, 2027)
    assert calendar_known(2026)
    assert not calendar_known(2028)
    assert not calendar_known(2024)


@pytest.mark.parametrize("day", [date(2028, 1, 3), date(2028, 1, 1), date(2024, 5, 9), date(1999, 3, 8)])
def test_a_day_past_the_known_calendar_is_refused_not_guessed(day):
    with pytest.raises(CalendarUnknown) as refused:
        is_working_day(day)
    assert refused.value.year == day.year
    assert str(refused.value) == (
        f"Производственный календарь на {day.year} год ещё не загружен, поэтому срок в рабочих днях "
        "рассчитать нельзя. Попробуйте позже или сообщите в службу поддержки."
    )


def test_a_deadline_reaching_past_the_known_calendar_is_refused():
    # Tuesday 28 December 2027, 12:00 МСК: 4 working days are 29, 30 December and two days of 2028.
    with pytest.raises(CalendarUnknown):
        deadline(datetime(2027, 12, 28, 9, 0, tzinfo=UTC), 4)
    with pytest.raises(CalendarUnknown):
        add_working_days(date(2027, 12, 30), 1)
    assert deadline(datetime(2027, 12, 28, 9, 0, tzinfo=UTC), 2) == datetime(2027, 12, 30, 21, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (date(2026, 3, 6), 0, date(2026, 3, 6)),
        (date(2026, 3, 6), 1, date(2026, 3, 10)),  # weekend and the 9 March holiday skipped
        (date(2026, 3, 7), 1, date(2026, 3, 10)),  # from a Saturday
        (date(2025, 12, 30), 1, date(2026, 1, 12)),  # New Year holidays from 31 December to 11 January
        (date(2025, 12, 30), 2, date(2026, 1, 13)),
        (date(2025, 10, 31), 1, date(2025, 11, 1)),  # the working Saturday counts
        (date(2026, 12, 30), 1, date(2027, 1, 11)),  # into the next known year
    ],
)
def test_add_working_days(start, count, expected):
    assert add_working_days(start, count) == expected


def test_add_working_days_refuses_negative_counts():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 3, 6), -1)


@given(
    start=st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 10, 31)),
    count=st.integers(min_value=0, max_value=40),
)
def test_add_working_days_counts_exactly_count_working_days(start, count):
    end = add_working_days(start, count)
    between = [start + timedelta(days=i) for i in range(1, (end - start).days + 1)]
    assert sum(is_working_day(day) for day in between) == count
    assert count == 0 or is_working_day(end)


@pytest.mark.parametrize(
    ("moment", "days", "expected"),
    [
        # Monday 2 March 2026, 18:00 МСК: 3, 4, 5, 6 and 10 March → due before 11 March 00:00 МСК.
        (datetime(2026, 3, 2, 15, 0, tzinfo=UTC), 5, datetime(2026, 3, 10, 21, 0, tzinfo=UTC)),
        # Thursday 5 March, 23:30 МСК is still Thursday in Moscow: Friday 6 March is day 1.
        (datetime(2026, 3, 5, 20, 30, tzinfo=UTC), 5, datetime(2026, 3, 13, 21, 0, tzinfo=UTC)),
        # 21:30 UTC is already Friday 00:30 МСК: counting starts after Friday.
        (datetime(2026, 3, 5, 21, 30, tzinfo=UTC), 5, datetime(2026, 3, 16, 21, 0, tzinfo=UTC)),
        # Filed on Friday 26 December 2025: 29, 30 December, then 12, 13, 14 January.
        (datetime(2025, 12, 26, 9, 0, tzinfo=UTC), 5, datetime(2026, 1, 14, 21, 0, tzinfo=UTC)),
        # A renovation vote on Thursday 30 April 2026: 4, 5, 6, 7 May (1 May is a holiday).
        (datetime(2026, 4, 30, 7, 0, tzinfo=UTC), 4, datetime(2026, 5, 7, 21, 0, tzinfo=UTC)),
        # Naive values (as SQLite returns them) are UTC.
        (datetime(2026, 3, 2, 15, 0), 5, datetime(2026, 3, 10, 21, 0, tzinfo=UTC)),
    ],
)
def test_deadline_is_the_moscow_midnight_after_the_last_working_day(moment, days, expected):
    assert deadline(moment, days) == expected
    assert deadline_date(moment, days) == (expected + timedelta(hours=3)).date() - timedelta(days=1)
