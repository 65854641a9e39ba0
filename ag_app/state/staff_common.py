"""Helpers shared by the staff pages: Moscow time formatting, URL ids.

The pages' role gate (``services.access.require_staff``) only decides what a page shows; every
mutating handler still calls a service that checks the actor's role again (a handler may be called
over the websocket by anyone).
"""

from datetime import datetime
from urllib.parse import urlsplit

from ag_app.domain.clock import MOSCOW, as_utc
from ag_app.domain.numbers import id_or_none

# Display names of the poll lifecycle states.
POLL_STATE_NAMES: dict[str, str] = {
    "draft": "Черновик",
    "scheduled": "Опубликовано, ещё не началось",
    "active": "Идёт голосование",
    "closed": "Завершено, итоги не опубликованы",
    "results": "Итоги опубликованы",
}


def moscow_text(moment: datetime | None) -> str:
    """``дд.мм.гггг чч:мм`` in Moscow time, or an empty string."""
    if moment is None:
        return ""
    return as_utc(moment).astimezone(MOSCOW).strftime("%d.%m.%Y %H:%M")


def moscow_input(moment: datetime | None) -> str:
    """The value of a ``datetime-local`` input (Moscow wall clock) for an instant."""
    if moment is None:
        return ""
    return as_utc(moment).astimezone(MOSCOW).strftime("%Y-%m-%dT%H:%M")


def parse_moscow_input(value: str) -> datetime | None:
    """An aware UTC instant from a ``datetime-local`` value typed in Moscow time (None if blank/invalid)."""
    value = value.strip()
    if not value:
        return None
    try:
        local = datetime.fromisoformat(value)
    except ValueError:
        return None
    if local.tzinfo is not None:
        return as_utc(local)
    return as_utc(local.replace(tzinfo=MOSCOW))


def poll_id_from_url(url: str) -> int | None:
    """The poll id in ``/staff/polls/<id>/...`` (None when absent or not a number)."""
    parts = [part for part in urlsplit(str(url)).path.split("/") if part]
    for index, part in enumerate(parts[:-1]):
        if part == "polls":
            return id_or_none(parts[index + 1])
    return None
