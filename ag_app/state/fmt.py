"""Russian formatting of numbers, dates and instants for the UI (Babel, Moscow time).

States convert every DTO value to display strings with these helpers, so pages only render text.
"""

from datetime import date, datetime

from babel.dates import format_date, format_datetime

from ag_app.domain.clock import MOSCOW, as_utc
from ag_app.domain.numfmt import decimal1, kopecks, num, percent, rubles
from ag_app.i18n import label

__all__ = [
    "day",
    "decimal1",
    "kopecks",
    "num",
    "percent",
    "plural",
    "points_word",
    "rubles",
    "short_day",
    "when",
]

LOCALE = "ru"


def when(moment: datetime | None) -> str:
    """An instant as Moscow date and time: «20 ноября 2026 г., 12:00»; empty for None."""
    if moment is None:
        return ""
    return format_datetime(as_utc(moment), "d MMMM y, HH:mm", locale=LOCALE, tzinfo=MOSCOW)


def day(value: date | datetime | None) -> str:
    """A calendar day: «20 ноября 2026»; instants are taken in Moscow time; empty for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(as_utc(value), "d MMMM y", locale=LOCALE, tzinfo=MOSCOW)
    return format_date(value, "d MMMM y", locale=LOCALE)


def short_day(value: date | datetime | None) -> str:
    """A compact day for tables: «20.11.2026»; empty for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(as_utc(value), "dd.MM.y", locale=LOCALE, tzinfo=MOSCOW)
    return format_date(value, "dd.MM.y", locale=LOCALE)


def plural(count: int, one: str, few: str, many: str) -> str:
    """The Russian plural form for ``count``: 1 балл, 2 балла, 5 баллов."""
    tail = count % 100
    if 11 <= tail <= 14:
        return many
    last = count % 10
    if last == 1:
        return one
    if 2 <= last <= 4:
        return few
    return many


def points_word(count: int) -> str:
    """«N баллов» with the right plural form."""
    word = plural(count, label("ui.fmt.ball"), label("ui.fmt.balla"), label("ui.fmt.ballov"))
    return f"{num(count)} {word}"
