"""Polls' lifecycle, points and who may vote (SPEC §1.4, §2, §3.2); pure."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from ag_app.domain.clock import MOSCOW, as_utc, moscow_date
from ag_app.domain.identity import LEVEL_NAMES
from ag_app.i18n import statuses

# SPEC §3.2: default points for completing a poll.
POINTS_CITY = 20
POINTS_TERRITORIAL = 5
POINTS_MAX = 1000
# SPEC §2.2: «Свой вариант» is at most 500 characters.
OWN_TEXT_LIMIT = 500
# SPEC §1.4: district/okrug polls need level 2 («стандартный»).
TERRITORIAL_MIN_LEVEL = 2
CHILD_AGE_MAX = 18

SCOPES = ("city", "territorial")
KINDS = ("single", "multiple")
STATES = ("draft", "scheduled", "active", "closed", "results")
# How a state reads after «голосование …» in messages and lists.
STATE_NAMES = statuses("poll")
DECISION_STATUSES = statuses("decision", heading=True)

# Address kinds that always place a voter in a territory (work only when the poll says so).
HOME_KINDS = ("registration", "residence")

# Limits of the staff form (mirroring the column sizes of ag_app.models.polls).
TITLE_LIMIT = 300
SUMMARY_LIMIT = 1000
DETAILS_LIMIT = 20000
IMAGE_URL_LIMIT = 500
EXPERT_NAME_LIMIT = 200
EXPERT_TITLE_LIMIT = 300
EXPERT_TEXT_LIMIT = 5000
QUESTION_TEXT_LIMIT = 1000
OPTION_TEXT_LIMIT = 500
MAX_QUESTIONS = 30
MAX_OPTIONS = 30


def default_points(scope: str) -> int:
    """Points for completing a poll unless staff set them: 20 city-wide, 5 territorial."""
    return POINTS_TERRITORIAL if scope == "territorial" else POINTS_CITY


def poll_state(
    *,
    published_at: datetime | None,
    closed_at: datetime | None,
    results_published_at: datetime | None,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
) -> str:
    """The lifecycle state of a poll at ``now``.

    Unpublished polls are drafts. A published poll is «scheduled» before its start, «active» from
    its start (inclusive) until its end (exclusive) unless staff closed it early, then «closed»;
    once final results are published it is «results».
    """
    if published_at is None:
        return "draft"
    if results_published_at is not None:
        return "results"
    if closed_at is not None and as_utc(closed_at) <= as_utc(now):
        return "closed"
    if as_utc(now) >= as_utc(ends_at):
        return "closed"
    if as_utc(now) < as_utc(starts_at):
        return "scheduled"
    return "active"


def format_moscow(moment: datetime) -> str:
    """An instant as Moscow wall time for messages, e.g. «20.11.2026 в 12:00 (мск)»."""
    local = as_utc(moment).astimezone(MOSCOW)
    return f"{local:%d.%m.%Y} в {local:%H:%M} (мск)"


def children_age_bounds(age_min: int | None, age_max: int | None) -> tuple[int, int] | None:
    """The children filter as an inclusive age range, or None when the poll has no such filter.

    One missing bound means "from 0" or "up to 18".
    """
    if age_min is None and age_max is None:
        return None
    return (0 if age_min is None else age_min, CHILD_AGE_MAX if age_max is None else age_max)


def has_child_of_age(child_birth_years: Iterable[int], *, year: int, low: int, high: int) -> bool:
    """Whether a child's age in ``year`` (``year - birth_year``) is within ``[low, high]``."""
    return any(low <= year - birth_year <= high for birth_year in child_birth_years)


@dataclass(frozen=True)
class Place:
    """Where an address lies: its district and the district's okrug."""

    district_id: int
    okrug_id: int


@dataclass(frozen=True)
class Voter:
    """What eligibility needs to know about a logged-in user."""

    level: int
    # Places of the registration and residence addresses.
    home: tuple[Place, ...] = ()
    # Place of the work address, if any.
    work: Place | None = None
    child_birth_years: tuple[int, ...] = ()
    has_voted: bool = False


@dataclass(frozen=True)
class Audience:
    """Who a poll is for and when it is open (the poll's side of eligibility)."""

    starts_at: datetime
    ends_at: datetime
    published_at: datetime | None = None
    closed_at: datetime | None = None
    results_published_at: datetime | None = None
    scope: str = "city"
    okrug_ids: frozenset[int] = frozenset()
    district_ids: frozenset[int] = frozenset()
    # Human-readable territory for the refusal message, e.g. «район Арбат, ЗАО».
    territory: str = ""
    include_work_address: bool = False
    min_level: int = 1
    children_age_min: int | None = None
    children_age_max: int | None = None


@dataclass(frozen=True)
class Refusal:
    """Why a user cannot vote: an :mod:`ag_app.i18n` key and its parameters."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)


def required_level(audience: Audience) -> int:
    """The identification level a poll needs: its own minimum, and at least 2 for territorial polls."""
    if audience.scope == "territorial":
        return max(audience.min_level, TERRITORIAL_MIN_LEVEL)
    return audience.min_level


def voter_places(audience: Audience, voter: Voter) -> tuple[Place, ...]:
    """The voter's places that count for this poll: registration and residence, plus work if allowed."""
    if audience.include_work_address and voter.work is not None:
        return (*voter.home, voter.work)
    return voter.home


def territory_matches(audience: Audience, places: Iterable[Place]) -> bool:
    """Whether one of ``places`` lies in one of the poll's districts or okrugs (city-wide: always)."""
    if audience.scope != "territorial":
        return True
    return any(p.district_id in audience.district_ids or p.okrug_id in audience.okrug_ids for p in places)


def why_cannot_vote(audience: Audience, voter: Voter | None, *, now: datetime) -> Refusal | None:
    """The first reason a user may not vote in a poll now, or None when they may.

    Checked in this order: the poll is published; it has started (the message names the Moscow
    start time); it has not finished; the user is logged in (``voter`` None is a guest); they have
    not voted yet; a territorial poll needs a registration or residence address (or work, when the
    poll includes work addresses); the identification level is high enough (territorial polls need
    at least 2); one of those addresses lies in the poll's districts/okrugs; the children filter —
    the user has a child whose age in the poll's Moscow start year is within the range.
    """
    state = poll_state(
        published_at=audience.published_at,
        closed_at=audience.closed_at,
        results_published_at=audience.results_published_at,
        starts_at=audience.starts_at,
        ends_at=audience.ends_at,
        now=now,
    )
    if state == "draft":
        return Refusal("poll.not_published")
    if state == "scheduled":
        return Refusal("poll.not_started", {"at": format_moscow(audience.starts_at)})
    if state in ("closed", "results"):
        finished = min(as_utc(m) for m in (audience.closed_at, audience.ends_at) if m is not None)
        return Refusal("poll.finished", {"at": format_moscow(finished)})
    if voter is None:
        return Refusal("auth.required")
    if voter.has_voted:
        return Refusal("poll.already_voted")
    places = voter_places(audience, voter)
    if audience.scope == "territorial" and not places:
        return Refusal("poll.no_address")
    level = required_level(audience)
    if voter.level < level:
        return Refusal("poll.level_required", {"level": level, "name": LEVEL_NAMES.get(level, "")})
    if not territory_matches(audience, places):
        return Refusal("poll.territory_mismatch", {"territory": audience.territory})
    bounds = children_age_bounds(audience.children_age_min, audience.children_age_max)
    if bounds is not None:
        year = moscow_date(audience.starts_at).year
        if not has_child_of_age(voter.child_birth_years, year=year, low=bounds[0], high=bounds[1]):
            return Refusal("poll.children_required", {"low": bounds[0], "high": bounds[1]})
    return None
