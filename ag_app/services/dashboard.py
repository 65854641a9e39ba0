"""The city staff dashboard (SPEC §5.4): registrations, activity, identification levels,
participation against eligible residents, and the points credited by each rule.

Staff only (role «staff» or «admin»), re-checked on every call. Counts of people are grouped in
the database (never loaded one by one) and every per-person breakdown goes through the same
small-cell rule as the public statistics (:func:`ag_app.domain.stats.suppress`): a count of
fewer than 5 people is hidden, and where the breakdown adds up to a published figure (accounts
by identification level; ballots and eligible residents by district) a second cell is hidden
with it so that no hidden count can be recomputed. A points rule credited to fewer than 5
people hides its entries and sum as well.

A user's *home* is the district of their residence address, else of their registration address.
A user is *active* on a Moscow day when they completed a ballot or recorded a daily visit that
day. *Eligible* residents of a district for a poll are active (not deactivated) accounts whose
home is in the district and whose identification level reaches the poll's minimum (every
account with a home address has level 2; level 3 needs the registry check); a territorial poll
counts only the districts of its territory. Turnout = ballots cast by residents of the district
(the district recorded on the ballot) / eligible residents.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import DateTime, TextClause, bindparam, text
from sqlmodel import Session, select

from ag_app.domain.clock import MOSCOW, moscow_date
from ag_app.domain.errors import InvalidInput
from ag_app.domain.identity import LEVEL_NAMES, identification_level
from ag_app.domain.stats import suppress
from ag_app.models import District, Okrug, Poll
from ag_app.services.access import Capability, require
from ag_app.services.polls.eligibility import load_territories

MAX_DAYS = 366
DEFAULT_DAYS = 30
REASON_NAMES = {
    "poll": "Участие в голосованиях",
    "daily_visit": "Ежедневное посещение",
    "invitation": "Приглашение друзей",
    "share": "Публикация в соцсетях",
    "promo": "Промокоды",
    "profile_block": "Заполнение профиля (блок)",
    "profile_full": "Полностью заполненный профиль",
}


@dataclass(frozen=True)
class DashboardFilter:
    """The period (Moscow dates, both inclusive) and optional okrug, district and poll."""

    start: date
    end: date
    okrug_id: int | None = None
    district_id: int | None = None
    poll_id: int | None = None


@dataclass(frozen=True)
class DayActivity:
    """One Moscow day: new registrations and active users (None: suppressed, fewer than 5)."""

    day: date
    registrations: int | None
    active: int | None


@dataclass(frozen=True)
class LevelCount:
    """Accounts at one identification level («упрощённый», «стандартный», «полный»)."""

    level: int
    name: str
    users: int | None


@dataclass(frozen=True)
class PollParticipation:
    """A poll held in the period: ballots, eligible residents and turnout in percent (None: hidden)."""

    poll_id: int
    title: str
    ballots: int | None
    eligible: int | None
    turnout: float | None


@dataclass(frozen=True)
class DistrictParticipation:
    """One district's participation in the chosen poll (or in all polls of the period)."""

    district_id: int
    district: str
    okrug: str
    ballots: int | None
    eligible: int | None
    turnout: float | None


@dataclass(frozen=True)
class PointsByRule:
    """Points credited by one rule in the period: entries, distinct users and the sum (hidden
    when fewer than 5 people got them)."""

    reason: str
    name: str
    users: int | None
    entries: int | None
    points: int | None


@dataclass(frozen=True)
class Choice:
    """An entry of a filter selector."""

    id: int
    name: str


@dataclass(frozen=True)
class DashboardView:
    """Everything the staff dashboard shows for a filter."""

    filter: DashboardFilter
    days: list[DayActivity]
    levels: list[LevelCount]
    polls: list[PollParticipation]
    districts: list[DistrictParticipation]
    points: list[PointsByRule]
    okrugs: list[Choice]
    district_choices: list[Choice]
    poll_choices: list[Choice]


def default_filter(now: datetime) -> DashboardFilter:
    """The last 30 Moscow days up to today, the whole city, all polls."""
    today = moscow_date(now)
    return DashboardFilter(start=today - timedelta(days=DEFAULT_DAYS - 1), end=today)


def _bounds(data: DashboardFilter) -> tuple[datetime, datetime]:
    """UTC instants of the period's start and of the moment after its last day."""
    start = datetime.combine(data.start, time(), tzinfo=MOSCOW).astimezone(UTC)
    end = datetime.combine(data.end + timedelta(days=1), time(), tzinfo=MOSCOW).astimezone(UTC)
    return start, end


def moscow_day_sql(dialect: str, column: str) -> str:
    """SQL for the Moscow date of a UTC instant column, as ISO text.

    SQLite has no time zones: Moscow has kept UTC+3 all year since 26 October 2014, which is
    what the offset assumes (older instants are not dashboard material).
    """
    if dialect == "postgresql":
        return f"to_char({column} AT TIME ZONE 'Europe/Moscow', 'YYYY-MM-DD')"
    return f"date({column}, '+3 hours')"


# The home district and okrug of every user: the residence address, else the registration one.
_HOME = (
    "SELECT ua.user_id AS user_id, h.district_id AS district_id, d.okrug_id AS okrug_id "
    "FROM useraddress ua JOIN house h ON h.id = ua.house_id JOIN district d ON d.id = h.district_id "
    "WHERE ua.kind = 'residence' OR (ua.kind = 'registration' AND NOT EXISTS ("
    "SELECT 1 FROM useraddress r WHERE r.user_id = ua.user_id AND r.kind = 'residence'))"
)


def _sql(statement: str) -> TextClause:
    """A text statement whose period bounds ``:t0``/``:t1`` are bound as instants (stored format)."""
    typed = [
        bindparam(name, type_=DateTime(timezone=True)) for name in ("t0", "t1") if f":{name}" in statement
    ]
    return text(statement).bindparams(*typed)


def _place_filter(data: DashboardFilter, alias: str) -> str:
    """SQL condition on ``alias.district_id`` / ``alias.okrug_id`` for the territory filter."""
    if data.district_id is not None:
        return f" AND {alias}.district_id = :district"
    if data.okrug_id is not None:
        return f" AND {alias}.okrug_id = :okrug"
    return ""


def _people_filter(data: DashboardFilter) -> str:
    """SQL condition on ``user u``: everybody, or only residents of the chosen okrug/district."""
    place = _place_filter(data, "home")
    if not place:
        return ""
    return f" AND u.id IN (SELECT home.user_id FROM ({_HOME}) home WHERE 1 = 1{place})"


def _people_join(people: str, alias: str) -> str:
    """``JOIN user u … WHERE <people>`` for rows of ``alias``, or a bare ``WHERE`` for everybody."""
    if not people:
        return "WHERE 1 = 1"
    return f'JOIN "user" u ON u.id = {alias}.user_id WHERE 1 = 1{people}'


def _hide(values: Sequence[int], *, summed: bool = False) -> list[int | None]:
    """Hide small counts of people; ``summed``: the series adds up to a published figure, so a
    lone hidden cell takes a second one with it."""
    hidden = suppress(values, [list(range(len(values)))] if summed else [])
    return [None if h else v for v, h in zip(values, hidden, strict=True)]


def _check(data: DashboardFilter) -> None:
    days = (data.end - data.start).days + 1
    if days < 1 or days > MAX_DAYS:
        raise InvalidInput("dashboard.period_invalid", limit=MAX_DAYS)


def _days(session: Session, data: DashboardFilter, params: dict) -> list[DayActivity]:
    dialect = session.connection().dialect.name
    people = _people_filter(data)
    created = moscow_day_sql(dialect, "u.created_at")
    registrations = dict(
        session.connection()
        .execute(
            _sql(
                f'SELECT {created} AS day, COUNT(*) FROM "user" u '
                f"WHERE u.created_at >= :t0 AND u.created_at < :t1{people} GROUP BY {created}"
            ),
            params,
        )
        .all()
    )
    voted = moscow_day_sql(dialect, "b.completed_at")
    visited = moscow_day_sql(dialect, "p.created_at")
    active = dict(
        session.connection()
        .execute(
            _sql(
                "SELECT day, COUNT(DISTINCT user_id) FROM ("
                f"SELECT b.user_id AS user_id, {voted} AS day FROM ballot b "
                "WHERE b.completed_at >= :t0 AND b.completed_at < :t1 UNION "
                f"SELECT p.user_id, {visited} FROM pointentry p WHERE p.reason = 'daily_visit' "
                "AND p.created_at >= :t0 AND p.created_at < :t1) a "
                f"{_people_join(people, 'a')} GROUP BY day"
            ),
            params,
        )
        .all()
    )
    days = [data.start + timedelta(days=i) for i in range((data.end - data.start).days + 1)]
    shown_reg = _hide([registrations.get(d.isoformat(), 0) for d in days])
    shown_active = _hide([active.get(d.isoformat(), 0) for d in days])
    return [DayActivity(d, r, a) for d, r, a in zip(days, shown_reg, shown_active, strict=True)]


def _levels(session: Session, data: DashboardFilter, params: dict) -> list[LevelCount]:
    rows = (
        session.connection()
        .execute(
            text(
                "SELECT u.identity_verified_at IS NOT NULL AS verified, "
                "EXISTS (SELECT 1 FROM useraddress ua WHERE ua.user_id = u.id) AS has_address, COUNT(*) "
                f'FROM "user" u WHERE u.deactivated_at IS NULL{_people_filter(data)} '
                "GROUP BY 1, 2"
            ),
            params,
        )
        .all()
    )
    counts = dict.fromkeys(LEVEL_NAMES, 0)
    for verified, has_address, n in rows:
        counts[identification_level(has_address=bool(has_address), identity_verified=bool(verified))] += n
    shown = _hide(list(counts.values()), summed=True)
    return [LevelCount(level, LEVEL_NAMES[level], n) for level, n in zip(counts, shown, strict=True)]


def _turnout(ballots: int | None, eligible: int | None) -> float | None:
    if ballots is None or not eligible:
        return None
    return round(100 * ballots / eligible, 1)


def _participation(
    session: Session, data: DashboardFilter, params: dict, t0: datetime, t1: datetime
) -> tuple[list[PollParticipation], list[DistrictParticipation]]:
    """Per poll of the period and per district: ballots, eligible residents, turnout."""
    polls = session.exec(
        select(Poll)
        .where(Poll.published_at.is_not(None), Poll.starts_at < t1, Poll.ends_at >= t0)
        .order_by(Poll.starts_at.desc(), Poll.id.desc())
    ).all()
    if data.poll_id is not None:
        polls = [p for p in polls if p.id == data.poll_id]
    if not polls:
        return [], []
    territories = load_territories(session, polls)
    place = _place_filter(data, "home")
    # Eligible residents per home district, split by the registry check (level 3 or 2).
    eligible_rows = (
        session.connection()
        .execute(
            text(
                "SELECT home.district_id, u.identity_verified_at IS NOT NULL, COUNT(*) "
                f'FROM ({_HOME}) home JOIN "user" u ON u.id = home.user_id '
                f"WHERE u.deactivated_at IS NULL{place} GROUP BY 1, 2"
            ),
            params,
        )
        .all()
    )
    eligible_by: dict[int, dict[bool, int]] = {}
    for district_id, verified, n in eligible_rows:
        eligible_by.setdefault(district_id, {True: 0, False: 0})[bool(verified)] += n
    ids = [p.id for p in polls]
    ballot_rows = (
        session.connection()
        .execute(
            text(
                "SELECT b.poll_id, b.district_id, COUNT(*) FROM ballot b "
                f"WHERE b.poll_id IN ({', '.join(str(i) for i in ids)}){_place_filter(data, 'b')} "
                "GROUP BY 1, 2"
            ),
            params,
        )
        .all()
    )
    ballots_by: dict[int, dict[int | None, int]] = {}
    for poll_id, district_id, n in ballot_rows:
        ballots_by.setdefault(poll_id, {})[district_id] = n
    okrug_of = dict(session.exec(select(District.id, District.okrug_id)).all())

    def in_filter(district_id: int) -> bool:
        if data.district_id is not None:
            return district_id == data.district_id
        return data.okrug_id is None or okrug_of.get(district_id) == data.okrug_id

    def districts_of(poll: Poll) -> set[int]:
        territory = territories[poll.id]
        if poll.scope != "territorial":
            return set(eligible_by)
        return {
            d
            for d in set(eligible_by) | set(territory.district_ids)
            if in_filter(d) and (d in territory.district_ids or okrug_of.get(d) in territory.okrug_ids)
        }

    def eligible_in(poll: Poll, district_id: int) -> int:
        counts = eligible_by.get(district_id, {True: 0, False: 0})
        return counts[True] + (counts[False] if poll.min_level <= 2 else 0)

    per_poll = []
    district_totals: dict[int, list[int]] = {}
    for poll in polls:
        districts = districts_of(poll)
        eligible = sum(eligible_in(poll, d) for d in districts)
        cast = ballots_by.get(poll.id, {})
        ballots = sum(cast.values())
        per_poll.append((poll, ballots, eligible))
        for d in districts | {d for d in cast if d is not None}:
            totals = district_totals.setdefault(d, [0, 0])
            totals[0] += cast.get(d, 0)
            totals[1] += eligible_in(poll, d) if d in districts else 0
    poll_ballots = _hide([b for _, b, _ in per_poll])
    poll_eligible = _hide([e for _, _, e in per_poll])
    polls_view = [
        PollParticipation(p.id, p.title, b, e, _turnout(b, e))
        for (p, _, _), b, e in zip(per_poll, poll_ballots, poll_eligible, strict=True)
    ]
    names = {
        d: (name, abbrev)
        for d, name, abbrev in session.exec(
            select(District.id, District.name, Okrug.abbrev).join(Okrug, Okrug.id == District.okrug_id)
        ).all()
    }
    order = sorted((d for d, t in district_totals.items() if any(t)), key=lambda d: names.get(d, ("", ""))[0])
    d_ballots = _hide([district_totals[d][0] for d in order], summed=True)
    d_eligible = _hide([district_totals[d][1] for d in order], summed=True)
    districts_view = [
        DistrictParticipation(d, names.get(d, ("", ""))[0], names.get(d, ("", ""))[1], b, e, _turnout(b, e))
        for d, b, e in zip(order, d_ballots, d_eligible, strict=True)
    ]
    return polls_view, districts_view


def _points(session: Session, data: DashboardFilter, params: dict) -> list[PointsByRule]:
    people = _people_filter(data)
    rows = (
        session.connection()
        .execute(
            _sql(
                "SELECT p.reason, COUNT(DISTINCT p.user_id), COUNT(*), SUM(p.amount) FROM pointentry p "
                f"{_people_join(people, 'p')} AND p.amount > 0 AND p.created_at >= :t0 AND p.created_at < :t1 "
                "GROUP BY p.reason ORDER BY SUM(p.amount) DESC"
            ),
            params,
        )
        .all()
    )
    shown_users = _hide([users for _, users, _, _ in rows])
    return [
        PointsByRule(
            reason=reason,
            name=REASON_NAMES.get(reason, reason),
            users=users,
            entries=None if users is None else entries,
            points=None if users is None else int(points),
        )
        for (reason, _, entries, points), users in zip(rows, shown_users, strict=True)
    ]


def staff_dashboard(
    session: Session, *, actor_id: int | None, data: DashboardFilter | None = None, now: datetime
) -> DashboardView:
    """The dashboard for a filter (default: the last 30 days, whole city, all polls).

    Raises:
        NotAuthenticated: a guest.
        NotAllowed: not city staff.
        InvalidInput: a period that ends before it starts or is longer than a year.
    """
    require(session, actor_id, Capability.DASHBOARD)
    data = data or default_filter(now)
    _check(data)
    t0, t1 = _bounds(data)
    params = {"t0": t0, "t1": t1, "okrug": data.okrug_id, "district": data.district_id}
    polls_view, districts_view = _participation(session, data, params, t0, t1)
    okrugs = session.exec(select(Okrug.id, Okrug.name).order_by(Okrug.name)).all()
    district_query = select(District.id, District.name).order_by(District.name)
    if data.okrug_id is not None:
        district_query = district_query.where(District.okrug_id == data.okrug_id)
    poll_choices = session.exec(
        select(Poll.id, Poll.title)
        .where(Poll.published_at.is_not(None), Poll.starts_at < t1, Poll.ends_at >= t0)
        .order_by(Poll.starts_at.desc(), Poll.id.desc())
    ).all()
    return DashboardView(
        filter=data,
        days=_days(session, data, params),
        levels=_levels(session, data, params),
        polls=polls_view,
        districts=districts_view,
        points=_points(session, data, params),
        okrugs=[Choice(i, n) for i, n in okrugs],
        district_choices=[Choice(i, n) for i, n in session.exec(district_query).all()],
        poll_choices=[Choice(i, t) for i, t in poll_choices],
    )
