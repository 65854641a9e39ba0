"""The Russian production calendar («производственный календарь») and deadlines in working days.

A day is a working day unless it is a Saturday or Sunday, or a non-working public holiday, or a day
off moved onto a weekday by the Government; a Saturday the Government made a working day counts as
one. The table below lists, for each year it knows, exactly the weekdays that are not worked and the
weekend days that are (Labour Code art. 112 plus the yearly decree «О переносе выходных дней»):

- 2025: постановление Правительства РФ от 04.10.2024 № 1335 — 4 января → 2 мая, 5 января →
  31 декабря, 23 февраля → 8 мая, 8 марта → 13 июня, суббота 1 ноября → понедельник 3 ноября.
- 2026: постановление Правительства РФ от 24.09.2025 № 1466 — 3 января → 9 января, 4 января →
  31 декабря; by art. 112: 8 марта (вс) → 9 марта, 9 мая (сб) → 11 мая.
- 2027: постановление Правительства РФ от 17.09.2026 № 1187 — 2 января → 5 ноября, 3 января →
  31 декабря, суббота 20 февраля → понедельник 22 февраля; by art. 112: 1 мая (сб) → 3 мая,
  9 мая (вс) → 10 мая, 12 июня (сб) → 14 июня.

Outside these years (:data:`KNOWN_YEARS`) only Saturdays and Sundays are days off — holidays are
NOT known there; callers that show a deadline for such a year should say the calendar is not loaded
(:func:`calendar_known`). Extend the table when the next decree is published (usually in September).
"""

from datetime import UTC, date, datetime, time, timedelta

from ag_app.domain.clock import MOSCOW, moscow_date

# fmt: off
# Weekdays (Mon–Fri) that are not worked: public holidays and days off moved onto weekdays.
_DAYS_OFF_TABLE: dict[int, tuple[tuple[int, int], ...]] = {
    2025: ((1, 1), (1, 2), (1, 3), (1, 6), (1, 7), (1, 8), (5, 1), (5, 2), (5, 8), (5, 9),
           (6, 12), (6, 13), (11, 3), (11, 4), (12, 31)),
    2026: ((1, 1), (1, 2), (1, 5), (1, 6), (1, 7), (1, 8), (1, 9), (2, 23), (3, 9), (5, 1),
           (5, 11), (6, 12), (11, 4), (12, 31)),
    2027: ((1, 1), (1, 4), (1, 5), (1, 6), (1, 7), (1, 8), (2, 22), (2, 23), (3, 8), (5, 3),
           (5, 10), (6, 14), (11, 4), (11, 5), (12, 31)),
}
# Saturdays and Sundays the Government made working days.
_WORKING_WEEKENDS_TABLE: dict[int, tuple[tuple[int, int], ...]] = {
    2025: ((11, 1),),
    2026: (),
    2027: ((2, 20),),
}
# fmt: on
_DAYS_OFF = {y: frozenset(date(y, m, d) for m, d in days) for y, days in _DAYS_OFF_TABLE.items()}
_WORKING_WEEKENDS = {
    y: frozenset(date(y, m, d) for m, d in days) for y, days in _WORKING_WEEKENDS_TABLE.items()
}
KNOWN_YEARS: tuple[int, ...] = tuple(sorted(_DAYS_OFF))


def calendar_known(year: int) -> bool:
    """Whether the holidays and transfers of ``year`` are in the table (else weekends only)."""
    return year in _DAYS_OFF


def is_working_day(day: date) -> bool:
    """Whether ``day`` is worked under the production calendar (weekends only outside the table)."""
    if day.weekday() >= 5:
        return day in _WORKING_WEEKENDS.get(day.year, frozenset())
    return day not in _DAYS_OFF.get(day.year, frozenset())


def add_working_days(day: date, count: int) -> date:
    """The ``count``-th working day after ``day`` (``day`` itself is not counted; 0 returns ``day``).

    Raises:
        ValueError: for a negative ``count``.
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
    """
    return add_working_days(moscow_date(moment), working_days)


def deadline(moment: datetime, working_days: int) -> datetime:
    """The UTC instant at which a period of ``working_days`` working days after ``moment`` expires.

    The period ends at the end of its last working day in Moscow time (:func:`deadline_date`), so
    the returned instant is the Moscow midnight that follows that day: an action is on time when it
    happens strictly before it. Example: filed on Monday 2 March 2026 at 18:00 МСК, 5 working days
    are 3, 4, 5, 6 and 10 March (9 March 2026 is a holiday), so the instant returned is 11 March
    00:00 МСК (10 March 21:00 UTC).
    """
    last = deadline_date(moment, working_days)
    return datetime.combine(last + timedelta(days=1), time(0), tzinfo=MOSCOW).astimezone(UTC)
