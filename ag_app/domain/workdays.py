"""The Russian production calendar («производственный календарь») and deadlines in working days.

A day is worked unless it is a Saturday or Sunday, a non-working public holiday, or a day off moved
onto a weekday; a weekend day the Government made a working day is worked. The calendar of a year
comes from three sources:

1. the non-working public holidays (Labour Code art. 112 part 1) from the maintained ``holidays``
   package (``holidays.RU``), so a change of the law arrives with a package update;
2. art. 112 part 2, applied here: a holiday on a Saturday or Sunday moves the day off to the next
   working day — except 1–8 January, whose weekend days the Government moves by decree, and except a
   holiday the year's decree moves elsewhere itself;
3. the yearly decree «О переносе выходных дней», kept below as data (:data:`DECREES`): each transfer
   moves the day off of a weekend day or holiday onto another day; a plain weekend day moved this
   way becomes a working day.

``holidays`` also carries the decree transfers (0.109 has them up to 2027); the tests compare the
result with it day by day. The decrees stay here as data all the same: a year is known only when its
decree is in :data:`DECREES` (:data:`KNOWN_YEARS`), and a day of any other year is refused with
:class:`CalendarUnknown` — never guessed as «weekends only». Add the next year's decree when it is
published (usually in September); until then a deadline that reaches into that year cannot be set.

Pure: the package is static data, nothing here reads files, the network or the clock.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

import holidays

from ag_app.domain.clock import MOSCOW, moscow_date
from ag_app.domain.errors import DomainError


class CalendarUnknown(DomainError):
    """The production calendar of a year is not loaded, so no working-day rule can be applied (HTTP 503)."""

    status_code = 503

    def __init__(self, year: int) -> None:
        super().__init__("workdays.calendar_unknown", year=year)
        self.year = year


@dataclass(frozen=True)
class Decree:
    """A government decree moving days off for a year: each transfer is (from, to) — the day off of
    ``from`` (a weekend day or a holiday on one) is taken on ``to`` instead."""

    reference: str
    transfers: tuple[tuple[date, date], ...]


# The yearly decrees «О переносе выходных дней».
DECREES: dict[int, Decree] = {
    2025: Decree(
        "постановление Правительства РФ от 04.10.2024 № 1335",
        (
            (date(2025, 1, 4), date(2025, 5, 2)),
            (date(2025, 1, 5), date(2025, 12, 31)),
            (date(2025, 2, 23), date(2025, 5, 8)),
            (date(2025, 3, 8), date(2025, 6, 13)),
            (date(2025, 11, 1), date(2025, 11, 3)),
        ),
    ),
    2026: Decree(
        "постановление Правительства РФ от 24.09.2025 № 1466",
        (
            (date(2026, 1, 3), date(2026, 1, 9)),
            (date(2026, 1, 4), date(2026, 12, 31)),
        ),
    ),
    2027: Decree(
        "постановление Правительства РФ от 17.09.2026 № 1187",
        (
            (date(2027, 1, 2), date(2027, 11, 5)),
            (date(2027, 1, 3), date(2027, 12, 31)),
            (date(2027, 2, 20), date(2027, 2, 22)),
        ),
    ),
}
KNOWN_YEARS: tuple[int, ...] = tuple(sorted(DECREES))


def calendar_known(year: int) -> bool:
    """Whether the production calendar of ``year`` is loaded (its decree is in :data:`DECREES`)."""
    return year in DECREES


def public_holidays(year: int) -> frozenset[date]:
    """The non-working public holidays of ``year`` by the Labour Code (art. 112 part 1), from ``holidays``.

    Only the statutory days: the package's own decree transfers and moved days off are left out
    (this module applies its own, see the module docstring).
    """
    calendar = holidays.RU(years=year, observed=False, language="ru")
    moved = calendar.tr(calendar.substituted_label).split("%s", 1)[0]
    return frozenset(
        day for day in calendar if not any(name.startswith(moved) for name in calendar.get_list(day))
    )


def _is_weekend(day: date) -> bool:
    return day.weekday() >= 5


def _new_year_holidays(day: date) -> bool:
    """1–8 January: their weekend days are moved by the decree, not by art. 112 part 2."""
    return day.month == 1 and day.day <= 8


@dataclass(frozen=True)
class _Year:
    days_off: frozenset[date]
    working_weekends: frozenset[date]


def _next_free_weekday(day: date, taken: Iterable[date]) -> date:
    blocked = set(taken)
    current = day + timedelta(days=1)
    while _is_weekend(current) or current in blocked:
        current += timedelta(days=1)
    return current


@lru_cache(maxsize=16)
def _year(year: int) -> _Year:
    """The weekdays not worked and the weekend days worked in a known ``year``."""
    decree = DECREES[year]
    statutory = public_holidays(year)
    moved_from = {source for source, _ in decree.transfers}
    days_off = set(statutory) | {target for _, target in decree.transfers}
    for holiday in sorted(statutory):
        if _is_weekend(holiday) and not _new_year_holidays(holiday) and holiday not in moved_from:
            days_off.add(_next_free_weekday(holiday, days_off))
    working = frozenset(s for s in moved_from if _is_weekend(s) and s not in statutory)
    return _Year(
        days_off=frozenset(d for d in days_off if not _is_weekend(d) and d.year == year),
        working_weekends=working,
    )


def is_working_day(day: date) -> bool:
    """Whether ``day`` is worked under the production calendar.

    Raises:
        CalendarUnknown: the calendar of ``day``'s year is not loaded.
    """
    if not calendar_known(day.year):
        raise CalendarUnknown(day.year)
    calendar = _year(day.year)
    if _is_weekend(day):
        return day in calendar.working_weekends
    return day not in calendar.days_off


def add_working_days(day: date, count: int) -> date:
    """The ``count``-th working day after ``day`` (``day`` itself is not counted; 0 returns ``day``).

    Raises:
        ValueError: for a negative ``count``.
        CalendarUnknown: the count reaches a day of a year whose calendar is not loaded.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    current = day
    left = count
    while left:
        current += timedelta(days=1)
        if is_working_day(current):
            left -= 1
    return current


def deadline_date(moment: datetime, working_days: int) -> date:
    """The last Moscow day of a period of ``working_days`` working days that starts with an event.

    Like a period in the Civil Code (art. 191): counting starts on the Moscow day after the event,
    so the day of filing is never counted, whatever the hour; filing on a weekend or holiday counts
    from the next working day.

    Raises:
        CalendarUnknown: the period reaches a year whose calendar is not loaded.
    """
    return add_working_days(moscow_date(moment), working_days)


def deadline(moment: datetime, working_days: int) -> datetime:
    """The UTC instant at which a period of ``working_days`` working days after ``moment`` expires.

    The period ends at the end of its last working day in Moscow time (:func:`deadline_date`), so
    the returned instant is the Moscow midnight that follows that day: an action is on time when it
    happens strictly before it. Example: filed on Monday 2 March 2026 at 18:00 МСК, 5 working days
    are 3, 4, 5, 6 and 10 March (9 March 2026 is a holiday), so the instant returned is 11 March
    00:00 МСК (10 March 21:00 UTC).

    Raises:
        CalendarUnknown: the period reaches a year whose calendar is not loaded.
    """
    last = deadline_date(moment, working_days)
    return datetime.combine(last + timedelta(days=1), time(0), tzinfo=MOSCOW).astimezone(UTC)
