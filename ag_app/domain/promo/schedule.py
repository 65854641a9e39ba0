"""The promo campaign's schedule: its phases and which doors are open when (Moscow time); pure."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from ag_app.domain.clock import MOSCOW
from ag_app.i18n import statuses

# --- schedule --------------------------------------------------------------------------------------

PHASES = ("before", "info", "opt_out", "draws", "activation", "exchange", "finished")
PHASE_NAMES: dict[str, str] = statuses("promo_phase")


def moscow_until(day: date, hh: int, mm: int) -> datetime:
    """The exclusive UTC instant right after the whole Moscow minute hh:mm of ``day``.

    «до 23:59 5 сентября» → 6 September 00:00 MSK; «до 20:00» → 20:01:00 MSK.
    """
    start = datetime.combine(day, time(hh, mm), tzinfo=MOSCOW)
    return (start + timedelta(minutes=1)).astimezone(UTC)


@dataclass(frozen=True)
class Schedule:
    """The instants of a campaign, aware UTC; every «…_ends_at» is exclusive."""

    info_starts_at: datetime
    info_ends_at: datetime
    eligibility_at: datetime
    opt_out_ends_at: datetime
    opt_in_ends_at: datetime
    window_ends: tuple[datetime, ...]
    draws_due: tuple[datetime, ...]
    category_opens_at: datetime
    category_ends_at: datetime
    activation_ends_at: datetime
    exchange_starts_at: datetime
    exchange_ends_at: datetime
    use_ends_at: datetime


def _ascending(instants: Sequence[datetime]) -> bool:
    return all(a < b for a, b in zip(instants, instants[1:], strict=False))


def schedule_problem(s: Schedule) -> str | None:
    """The catalogue key of the first ordering problem of a schedule, or None when it is consistent."""
    singles = (
        s.info_starts_at,
        s.info_ends_at,
        s.eligibility_at,
        s.opt_out_ends_at,
        s.opt_in_ends_at,
        s.category_opens_at,
        s.category_ends_at,
        s.activation_ends_at,
        s.exchange_starts_at,
        s.exchange_ends_at,
        s.use_ends_at,
    )
    if any(moment.tzinfo is None for moment in (*singles, *s.window_ends, *s.draws_due)):
        return "promo.schedule_naive"
    if not s.info_starts_at < s.info_ends_at <= s.opt_out_ends_at:
        return "promo.schedule_info"
    if not s.eligibility_at < s.opt_out_ends_at:
        return "promo.schedule_eligibility"
    if not s.info_starts_at < s.opt_in_ends_at <= s.opt_out_ends_at:
        return "promo.schedule_opt_in"
    if not s.window_ends or not _ascending(s.window_ends) or s.window_ends[0] < s.opt_out_ends_at:
        return "promo.schedule_windows"
    if (
        len(s.draws_due) != len(s.window_ends)
        or not _ascending(s.draws_due)
        or any(due <= end for due, end in zip(s.draws_due, s.window_ends, strict=True))
    ):
        return "promo.schedule_draws"
    if not s.category_opens_at < s.category_ends_at <= s.window_ends[-1]:
        return "promo.schedule_category"
    if not s.draws_due[-1] < s.activation_ends_at:
        return "promo.schedule_activation"
    if not s.draws_due[0] <= s.exchange_starts_at < s.exchange_ends_at <= s.use_ends_at:
        return "promo.schedule_exchange"
    return None


def opt_out_open(s: Schedule, now: datetime) -> bool:
    """Whether a citizen may still refuse participation (until 23:59 of the deadline inclusive)."""
    return s.info_starts_at <= now < s.opt_out_ends_at


def opt_in_open(s: Schedule, now: datetime) -> bool:
    """Whether a refusal may still be cancelled (until 22:59 of the deadline day inclusive)."""
    return s.info_starts_at <= now < s.opt_in_ends_at


def category_open(s: Schedule, now: datetime) -> bool:
    """Whether registration for a category draw is open."""
    return s.category_opens_at <= now < s.category_ends_at


def activation_open(s: Schedule, now: datetime) -> bool:
    """Whether a winning code may be activated: from the first draw due until the activation deadline."""
    return s.draws_due[0] <= now < s.activation_ends_at


def exchange_open(s: Schedule, now: datetime) -> bool:
    """Whether prize points may be exchanged for partner rewards."""
    return s.exchange_starts_at <= now < s.exchange_ends_at


def codes_open(s: Schedule, now: datetime) -> bool:
    """Whether codes go out by SMS: from the end of the first information phase (and not before the
    eligibility moment) until the opt-out deadline («дополнительное информирование», p. 2.1.3)."""
    return max(s.info_ends_at, s.eligibility_at) <= now < s.opt_out_ends_at


def phase(s: Schedule, now: datetime) -> str:
    """The campaign phase at ``now`` (one of :data:`PHASES`; Russian words in :data:`PHASE_NAMES`)."""
    if now < s.info_starts_at:
        return "before"
    if now < s.info_ends_at:
        return "info"
    if now < s.opt_out_ends_at:
        return "opt_out"
    if now < s.draws_due[-1]:
        return "draws"
    if now < s.activation_ends_at:
        return "activation"
    if now < s.exchange_ends_at:
        return "exchange"
    return "finished"
