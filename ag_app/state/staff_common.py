"""Helpers shared by the staff pages: Moscow time formatting, URL ids, form fields, and the mixins
of a staff page whose changes reload it (:class:`StaffActionMixin`) and of one showing a month
(:class:`StaffMonthMixin`).

The pages' gate (``services.access.require`` with the page's capability) only decides what a page shows; every
mutating handler still calls a service that checks the actor's role again (a handler may be called
over the websocket by anyone).
"""

from collections.abc import Awaitable, Callable
from datetime import datetime
from urllib.parse import urlsplit

from ag_app.domain.clock import MOSCOW, as_utc, moscow_month
from ag_app.domain.contest import parse_period
from ag_app.domain.errors import DomainError, NotAllowed, NotAuthenticated
from ag_app.domain.numbers import id_or_none
from ag_app.i18n import statuses
from ag_app.state.base import FeedbackMixin, form_text, now

# Display names of the poll lifecycle states.
POLL_STATE_NAMES: dict[str, str] = statuses("poll", heading=True)


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


def form_period(form: object) -> str:
    """The month «YYYY-MM» chosen in a form (refused with the Russian message otherwise)."""
    value = form_text(form, "period", 20)
    year, month = parse_period(value or "")
    return f"{year:04d}-{month:02d}"


class StaffActionMixin(FeedbackMixin, mixin=True):
    """A staff page whose changes reload it: the state defines ``_reload()`` (fill the page, raising
    the service's refusal) and ``_forbid()`` (show nothing)."""

    async def _reload(self) -> None:
        raise NotImplementedError

    def _forbid(self) -> None:
        raise NotImplementedError

    async def _refused(self, text: str) -> None:
        """A refused change: the page shows nothing and the Russian refusal."""
        self._forbid()
        self.error = text

    async def _apply(self, action: Callable[[], Awaitable[str | None]], notice: str = "") -> bool:
        """Run a change, then reload the page; the Russian refusal is shown, or on success the notice
        the action returns (else ``notice``)."""
        self._clear_feedback()
        try:
            told = await action()
            await self._reload()
        except (NotAllowed, NotAuthenticated) as error:
            await self._refused(str(error))
            return False
        except DomainError as error:
            self.error = str(error)
            return False
        self.notice = told if told is not None else notice
        return True


class StaffMonthMixin(StaffActionMixin, mixin=True):
    """A staff page showing one month (``period``, «YYYY-MM»): it opens on the current Moscow month
    and a form switches it. The state declares ``loaded: bool`` and ``period: str``."""

    def _month_changed(self) -> None:
        """Forget what belonged to the month shown before (nothing by default)."""

    async def _open_month(self) -> None:
        """Open the page for the current Moscow month; a refusal shows nothing."""
        self.loaded = False
        self._clear_feedback()
        self.period = moscow_month(now())
        self._month_changed()
        try:
            await self._reload()
        except (NotAllowed, NotAuthenticated):
            self._forbid()
        except DomainError as error:
            self.error = str(error)
        self.loaded = True

    async def _switch_month(self, form: dict) -> None:
        """Show the month chosen in ``form``; the month shown before stays when it cannot be shown."""
        self._clear_feedback()
        try:
            period = form_period(form)
        except DomainError as error:
            self.error = str(error)
            return
        previous, self.period = self.period, period
        self._month_changed()
        try:
            await self._reload()
        except (NotAllowed, NotAuthenticated) as error:
            self._forbid()
            self.error = str(error)
        except DomainError as error:
            self.period = previous
            self.error = str(error)
