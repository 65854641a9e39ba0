"""Moscow calendar helpers: instants are stored in UTC, business dates are Moscow dates."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

MOSCOW = ZoneInfo("Europe/Moscow")


def as_utc(moment: datetime) -> datetime:
    """An aware UTC instant; naive values (as SQLite returns them) are taken as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def moscow_date(moment: datetime) -> date:
    """The Moscow calendar day of an instant."""
    return as_utc(moment).astimezone(MOSCOW).date()


def moscow_month(moment: datetime) -> str:
    """The Moscow calendar month of an instant as ``YYYY-MM``."""
    return moscow_date(moment).strftime("%Y-%m")


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """UTC instants of the start of a Moscow month ``YYYY-MM`` and of the next month."""
    year, mon = (int(part) for part in month.split("-"))
    start = datetime(year, mon, 1, tzinfo=MOSCOW)
    end = datetime(year + (mon == 12), mon % 12 + 1, 1, tzinfo=MOSCOW)
    return start.astimezone(UTC), end.astimezone(UTC)


def previous_month(month: str) -> str:
    """The month before ``YYYY-MM``."""
    year, mon = (int(part) for part in month.split("-"))
    return f"{year - (mon == 1):04d}-{(mon - 2) % 12 + 1:02d}"
