"""The rating of a contest, its reads: participants, places, the top and a participant's neighbours.

A place is 1 + those with more points (a sum over the points counter) + those with as many
points who reached them in an earlier hour (a sum over the hour counter) + those in the same
hour ahead by the tie-break (an index range inside one hour); the counters are kept by
:mod:`ag_app.services.contest.rating`.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Integer, bindparam, func, literal_column, tuple_, union_all
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from ag_app.db import HotStatement
from ag_app.domain.clock import as_utc
from ag_app.domain.contest import Standing, points_to_next_place, short_name
from ag_app.models import ContestEntry, ContestHourTally, ContestParticipant, ContestPointsTally, User
from ag_app.services.contest.rating import hour_of

# How many rows the public rating shows, and the neighbours around one's own row.
TOP = 100


NEIGHBOURS = 2


def participants(session: Session, contest_id: int) -> int:
    """How many participants the rating has."""
    total = session.exec(
        select(func.coalesce(func.sum(ContestPointsTally.n), 0)).where(
            ContestPointsTally.contest_id == contest_id
        )
    ).one()
    return int(total)


def place_of(session: Session, contest_id: int, standing: Standing) -> int:
    """1 + the participants ahead of ``standing`` by the rating rule."""
    points, hour = standing.points, hour_of(standing.reached_at)
    more_points = session.exec(
        select(func.coalesce(func.sum(ContestPointsTally.n), 0)).where(
            ContestPointsTally.contest_id == contest_id, ContestPointsTally.points > points
        )
    ).one()
    earlier_hours = session.exec(
        select(func.coalesce(func.sum(ContestHourTally.n), 0)).where(
            ContestHourTally.contest_id == contest_id,
            ContestHourTally.points == points,
            ContestHourTally.hour < hour,
        )
    ).one()
    same_hour = session.exec(
        select(func.count()).where(
            ContestEntry.contest_id == contest_id,
            ContestEntry.points == points,
            ContestEntry.reached_hour == hour,
            _tie_key() < _tie_values(standing),
        )
    ).one()
    return 1 + int(more_points) + int(earlier_hours) + int(same_hour)


def _tie_key():
    return tuple_(
        ContestEntry.reached_at,
        ContestEntry.last_receipt_at,
        ContestEntry.registered_at,
        ContestEntry.participant_id,
    )


def _tie_values(standing: Standing):
    return tuple_(
        as_utc(standing.reached_at),
        as_utc(standing.last_receipt_at),
        as_utc(standing.registered_at),
        standing.participant_id,
    )


@dataclass(frozen=True)
class RatingRow:
    """A public row of the rating: no account id, phone, e-mail or full name."""

    place: int
    name: str
    number: int
    points: int

    def as_dict(self) -> dict:
        return {"place": self.place, "name": self.name, "number": self.number, "points": self.points}


def _rank_order():
    return (
        ContestEntry.points.desc(),
        ContestEntry.reached_hour,
        ContestEntry.reached_at,
        ContestEntry.last_receipt_at,
        ContestEntry.registered_at,
        ContestEntry.participant_id,
    )


_ROW_COLUMNS = (ContestEntry.participant_id, ContestEntry.points, User.first_name, User.last_name)


def _public_rows(rows: Iterable, first_place: int) -> list[RatingRow]:
    return [
        RatingRow(place=first_place + i, name=short_name(first, last), number=number, points=points)
        for i, (number, points, first, last) in enumerate(rows)
    ]


def _joined(statement):
    return statement.join(ContestParticipant, ContestParticipant.id == ContestEntry.participant_id).join(
        User, User.id == ContestParticipant.user_id
    )


def _lowest_points_of_top(session: Session, contest_id: int, rows: int) -> int | None:
    """The lowest points value among the first ``rows`` rows of the rating (None: it has fewer),
    read from the points counter, most points first."""
    seen = 0
    for points, n in session.exec(
        select(ContestPointsTally.points, ContestPointsTally.n)
        .where(ContestPointsTally.contest_id == contest_id, ContestPointsTally.n > 0)
        .order_by(col(ContestPointsTally.points).desc())
    ):
        seen += n
        if seen >= rows:
            return points
    return None


def top_rows(session: Session, contest_id: int, *, offset: int = 0, limit: int = TOP) -> list[RatingRow]:
    """Rows ``offset+1 … offset+limit`` of the rating.

    Only entries with at least the points of the last wanted row are read and sorted: the index
    serves ``points`` descending but the tie-break ascending, so without that bound the database
    sorts (PostgreSQL even in parallel workers) far more of the rating than it returns.
    """
    statement = _joined(select(*_ROW_COLUMNS)).where(ContestEntry.contest_id == contest_id)
    lowest = _lowest_points_of_top(session, contest_id, offset + limit)
    if lowest is not None:
        statement = statement.where(ContestEntry.points >= lowest)
    rows = session.exec(statement.order_by(*_rank_order()).offset(offset).limit(limit)).all()
    return _public_rows(rows, offset + 1)


@dataclass(frozen=True)
class OwnPosition:
    """A participant's own place with the rows around it and the points to climb one place."""

    place: int
    points: int
    number: int
    total: int
    to_next: int | None  # None for the leader
    rows: list[RatingRow]  # up to two above, the own row, up to two below


def _param(name: str, column):
    """A bind parameter typed like ``column`` (datetimes stored the dialect's way)."""
    return bindparam(name, type_=column.type)


def _mine():
    """The own standing as parameters, in the order of ``reached_hour`` and the tie key."""
    return tuple_(
        _param("o_hour", ContestEntry.__table__.c.reached_hour),
        _param("o_reached_at", ContestEntry.__table__.c.reached_at),
        _param("o_last_receipt_at", ContestEntry.__table__.c.last_receipt_at),
        _param("o_registered_at", ContestEntry.__table__.c.registered_at),
        _param("o_participant", ContestEntry.__table__.c.participant_id),
    )


def _group_branch(tag: int, points, *, own: bool, after: bool):
    """One branch of the neighbours statement: up to two rows of one points value (a parameter or
    a scalar subquery) right after (or before) the own row in rating order — or, without ``own``,
    the first (or last) of that value — tagged, with their sort key columns, wrapped in
    ``SELECT * FROM (…)`` so SQLite accepts the branch's ORDER BY … LIMIT."""
    key = tuple_(ContestEntry.reached_hour, *_tie_key().clauses)
    statement = _joined(
        core_select(literal_column(str(tag), Integer).label("tag"), *_ROW_COLUMNS, *key.clauses)
    ).where(ContestEntry.contest_id == bindparam("o_contest", type_=Integer), ContestEntry.points == points)
    if own:
        statement = statement.where(key > _mine() if after else key < _mine())
    columns = list(key.clauses)
    order = columns if after else [column.desc() for column in columns]
    return core_select(statement.order_by(*order).limit(NEIGHBOURS).subquery())


def _sum(column, *where):
    return core_select(func.coalesce(func.sum(column), 0)).where(*where).scalar_subquery()


def _own_statements() -> tuple[HotStatement, HotStatement, HotStatement]:
    """(own entry with its name; place counts, total; neighbours) of :func:`own_position`."""
    contest = bindparam("o_contest", type_=Integer)
    points = bindparam("o_points", type_=Integer)
    hour = bindparam("o_hour", type_=Integer)
    entry = _joined(
        core_select(
            ContestEntry.points,
            ContestEntry.reached_at,
            ContestEntry.last_receipt_at,
            ContestEntry.registered_at,
            User.first_name,
            User.last_name,
        )
    ).where(ContestEntry.contest_id == contest, ContestEntry.participant_id == bindparam("o_participant"))
    tally = ContestPointsTally
    held = (tally.contest_id == contest, tally.n > 0)
    higher = core_select(func.min(tally.points)).where(*held, tally.points > points).scalar_subquery()
    lower = core_select(func.max(tally.points)).where(*held, tally.points < points).scalar_subquery()
    counts = core_select(
        _sum(tally.n, tally.contest_id == contest, tally.points > points),
        _sum(
            ContestHourTally.n,
            ContestHourTally.contest_id == contest,
            ContestHourTally.points == points,
            ContestHourTally.hour < hour,
        ),
        core_select(func.count())
        .select_from(ContestEntry)
        .where(
            ContestEntry.contest_id == contest,
            ContestEntry.points == points,
            ContestEntry.reached_hour == hour,
            _tie_key() < tuple_(*_mine().clauses[1:]),
        )
        .scalar_subquery(),
        _sum(tally.n, tally.contest_id == contest),
    )
    neighbours = union_all(
        _group_branch(0, points, own=True, after=False),
        _group_branch(1, higher, own=False, after=False),
        _group_branch(2, points, own=True, after=True),
        _group_branch(3, lower, own=False, after=True),
    )
    return HotStatement(entry), HotStatement(counts), HotStatement(neighbours)


_OWN_ENTRY, _OWN_COUNTS, _OWN_NEIGHBOURS = _own_statements()


def own_position(session: Session, contest_id: int, participant_id: int) -> OwnPosition | None:
    """Where the participant stands (None when they have no counted receipt in this contest).

    Three round trips of statements built once: the entry with its name; the place's counts and
    the total as one row of scalar subqueries; the neighbours of all four groups (own points
    before and after, the next points values above and below, found by scalar subqueries) as one
    UNION ALL.
    """
    connection = session.connection()
    params = {"o_contest": contest_id, "o_participant": participant_id}
    found = _OWN_ENTRY.rows(connection, params)
    if not found:
        return None
    own = found[0]
    points = own.points
    params.update(
        o_points=points,
        o_hour=hour_of(own.reached_at),
        o_reached_at=as_utc(own.reached_at),
        o_last_receipt_at=as_utc(own.last_receipt_at),
        o_registered_at=as_utc(own.registered_at),
    )
    more_points, earlier_hours, same_hour, total = _OWN_COUNTS.rows(connection, params)[0]
    place = 1 + int(more_points) + int(earlier_hours) + int(same_hour)
    groups: dict[int, list] = defaultdict(list)
    for row in _OWN_NEIGHBOURS.rows(connection, params):
        groups[row[0]].append(row)
    for tag, rows_of_group in groups.items():
        rows_of_group.sort(key=lambda row: tuple(row[5:]), reverse=tag in (0, 1))
    above = [row[1:5] for row in (groups[0] + groups[1])[:NEIGHBOURS]]
    below = [row[1:5] for row in (groups[2] + groups[3])[:NEIGHBOURS]]
    rows = (
        _public_rows(reversed(above), place - len(above))
        + _public_rows([(participant_id, points, own.first_name, own.last_name)], place)
        + _public_rows(below, place + 1)
    )
    to_next = points_to_next_place(points, above[0][1]) if above else None
    return OwnPosition(
        place=place,
        points=points,
        number=participant_id,
        total=int(total),
        to_next=to_next,
        rows=rows,
    )
