"""The rating of a contest, its writes: entries and their counters.

Every change of a participant's standing goes through :func:`set_standings` (or, for one more
counted receipt, its hot-path form :func:`count_receipt`), which writes the entry and moves the
two counters (participants per points value; per points value and hour reached) in the same
transaction. The reads — places, the top and a participant's neighbours — are in
:mod:`ag_app.services.contest.ranking`.

Counter rows are always updated in ascending key order, so concurrent transactions on
PostgreSQL lock them in the same order and cannot deadlock.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy import ARRAY, DateTime, Integer, Select, any_, bindparam, exists, func
from sqlalchemy import select as core_select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, delete, select

from ag_app.db import HotStatement
from ag_app.domain.clock import as_utc
from ag_app.domain.contest import CountedReceipt, Standing, with_receipt
from ag_app.models import ContestEntry, ContestHourTally, ContestPointsTally, ContestResult


def hour_of(moment: datetime) -> int:
    """Whole hours since the epoch (the counter bucket of a reached moment)."""
    return int(as_utc(moment).timestamp()) // 3600


def _insert(session: Session):
    return postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def standing_of_entry(entry: ContestEntry | ContestResult) -> Standing:
    """The standing an entry (or a row of a final rating) stores."""
    return Standing(
        participant_id=entry.participant_id,
        points=entry.points,
        reached_at=as_utc(entry.reached_at),
        last_receipt_at=as_utc(entry.last_receipt_at),
        registered_at=as_utc(entry.registered_at),
    )


def entries_of(session: Session, participant_id: int, contest_ids: Iterable[int]) -> dict[int, ContestEntry]:
    """The participant's entries in these contests, locked for update on PostgreSQL."""
    ids = list(contest_ids)
    if not ids:
        return {}
    rows = session.exec(
        select(ContestEntry)
        .where(ContestEntry.participant_id == participant_id, col(ContestEntry.contest_id).in_(ids))
        .with_for_update()
    ).all()
    return {entry.contest_id: entry for entry in rows}


def standings_of(session: Session, participant_id: int, contest_ids: Iterable[int]) -> dict[int, Standing]:
    """The participant's current standings in these contests (absent where they have none)."""
    return {
        cid: standing_of_entry(entry)
        for cid, entry in entries_of(session, participant_id, contest_ids).items()
    }


def set_standings(session: Session, participant_id: int, standings: Mapping[int, Standing | None]) -> None:
    """Write the participant's standing per contest (None removes them) and move the counters."""
    existing = entries_of(session, participant_id, standings)
    points_delta: dict[tuple[int, int], int] = defaultdict(int)
    hour_delta: dict[tuple[int, int, int], int] = defaultdict(int)
    for contest_id, new in standings.items():
        old = existing.get(contest_id)
        if old is not None:
            if new is not None and standing_of_entry(old) == new:
                continue
            points_delta[(contest_id, old.points)] -= 1
            hour_delta[(contest_id, old.points, old.reached_hour)] -= 1
        if new is None:
            if old is not None:
                session.delete(old)
            continue
        hour = hour_of(new.reached_at)
        points_delta[(contest_id, new.points)] += 1
        hour_delta[(contest_id, new.points, hour)] += 1
        entry = old or ContestEntry(contest_id=contest_id, participant_id=participant_id)
        entry.points, entry.reached_at, entry.reached_hour = new.points, new.reached_at, hour
        entry.last_receipt_at, entry.registered_at = new.last_receipt_at, new.registered_at
        session.add(entry)
    session.flush()
    _move_counters(session, points_delta, hour_delta)


def _upserts(insert) -> tuple[HotStatement, HotStatement, HotStatement]:
    """(entry, points counter, hour counter) upserts in one dialect's spelling: an entry is written
    whole; a counter row gets ``n`` added (or is inserted with it)."""
    entry_columns = ("contest_id", "participant_id", "points", "reached_at", "reached_hour")
    entry_columns += ("last_receipt_at", "registered_at")
    entry = insert(ContestEntry).values({column: bindparam(column) for column in entry_columns})
    entry = entry.on_conflict_do_update(
        index_elements=["contest_id", "participant_id"],
        set_={column: entry.excluded[column] for column in entry_columns[2:]},
    )
    points = insert(ContestPointsTally).values(
        contest_id=bindparam("contest_id"), points=bindparam("points"), n=bindparam("n")
    )
    points = points.on_conflict_do_update(
        index_elements=["contest_id", "points"], set_={"n": ContestPointsTally.n + points.excluded.n}
    )
    hours = insert(ContestHourTally).values(
        contest_id=bindparam("contest_id"),
        points=bindparam("points"),
        hour=bindparam("hour"),
        n=bindparam("n"),
    )
    hours = hours.on_conflict_do_update(
        index_elements=["contest_id", "points", "hour"], set_={"n": ContestHourTally.n + hours.excluded.n}
    )
    return HotStatement(entry), HotStatement(points), HotStatement(hours)


# Hot-path statements by dialect, built once (see ``db.HotStatement``).
_UPSERTS = {"sqlite": _upserts(sqlite_insert), "postgresql": _upserts(postgresql_insert)}


# One entry of the participant, locked for update on PostgreSQL.
_ENTRY = HotStatement(
    core_select(
        ContestEntry.points,
        ContestEntry.reached_at,
        ContestEntry.reached_hour,
        ContestEntry.last_receipt_at,
        ContestEntry.registered_at,
    )
    .where(
        ContestEntry.contest_id == bindparam("p_contest"),
        ContestEntry.participant_id == bindparam("p_participant"),
    )
    .with_for_update()
)


def _move_counters(
    session: Session,
    points_delta: Mapping[tuple[int, int], int],
    hour_delta: Mapping[tuple[int, int, int], int],
) -> None:
    """Add the steps to both counters, rows in ascending key order."""
    connection = session.connection()
    _, points_upsert, hours_upsert = _UPSERTS[connection.dialect.name]
    points_rows = [
        {"contest_id": contest_id, "points": points, "n": step}
        for (contest_id, points), step in sorted(points_delta.items())
        if step
    ]
    if points_rows:
        points_upsert.many(connection, points_rows)
    hour_rows = [
        {"contest_id": contest_id, "points": points, "hour": hour, "n": step}
        for (contest_id, points, hour), step in sorted(hour_delta.items())
        if step
    ]
    if hour_rows:
        hours_upsert.many(connection, hour_rows)


def _receipt_steps(
    participant_id: int,
    registered_at: datetime,
    contest_ids: Iterable[int],
    receipt: CountedReceipt,
    stored: Mapping[int, tuple],
) -> tuple[list[dict], dict[tuple[int, int], int], dict[tuple[int, int, int], int]]:
    """The entries (ascending contest id) and counter steps of one more counted receipt, given the
    stored entries by contest id (rows of points, reached_at, reached_hour, last_receipt_at,
    registered_at)."""
    points_delta: dict[tuple[int, int], int] = defaultdict(int)
    hour_delta: dict[tuple[int, int, int], int] = defaultdict(int)
    rows = []
    for contest_id in sorted(contest_ids):
        old = stored.get(contest_id)
        current = None
        if old is not None:
            current = Standing(
                participant_id=participant_id,
                points=old.points,
                reached_at=as_utc(old.reached_at),
                last_receipt_at=as_utc(old.last_receipt_at),
                registered_at=as_utc(old.registered_at),
            )
            points_delta[(contest_id, old.points)] -= 1
            hour_delta[(contest_id, old.points, old.reached_hour)] -= 1
        new = with_receipt(current, participant_id, registered_at, receipt)
        hour = hour_of(new.reached_at)
        points_delta[(contest_id, new.points)] += 1
        hour_delta[(contest_id, new.points, hour)] += 1
        rows.append(
            {
                "contest_id": contest_id,
                "participant_id": participant_id,
                "points": new.points,
                "reached_at": new.reached_at,
                "reached_hour": hour,
                "last_receipt_at": new.last_receipt_at,
                "registered_at": new.registered_at,
            }
        )
    return rows, points_delta, hour_delta


def count_receipt(
    session: Session,
    participant_id: int,
    registered_at: datetime,
    contest_ids: Iterable[int],
    receipt: CountedReceipt,
) -> None:
    """One more receipt counts for the participant in these contests (the hot path of saving one).

    Each entry becomes :func:`with_receipt` of the one stored (an upsert, no ORM objects) and the
    counters move, as :func:`set_standings` would do with those standings.
    """
    connection = session.connection()
    ids = sorted(contest_ids)
    stored = {}
    for contest_id in ids:
        found = _ENTRY.rows(connection, {"p_contest": contest_id, "p_participant": participant_id})
        if found:
            stored[contest_id] = found[0]
    rows, points_delta, hour_delta = _receipt_steps(participant_id, registered_at, ids, receipt, stored)
    if rows:
        _UPSERTS[connection.dialect.name][0].many(connection, rows)
    _move_counters(session, points_delta, hour_delta)


# PostgreSQL: the participant's entries in several contests, locked for update, in one read.
_ENTRIES_PG = HotStatement(
    core_select(
        ContestEntry.contest_id,
        ContestEntry.points,
        ContestEntry.reached_at,
        ContestEntry.reached_hour,
        ContestEntry.last_receipt_at,
        ContestEntry.registered_at,
    )
    .where(
        ContestEntry.participant_id == bindparam("p_participant"),
        ContestEntry.contest_id == any_(bindparam("p_contests", type_=ARRAY(Integer))),
    )
    .order_by(ContestEntry.contest_id)
    .with_for_update()
)


def _unnest(name: str, **columns) -> object:
    """``unnest(:a, :b, …) AS name(a, b, …)`` of array parameters ``{name}_{column}``."""
    return (
        func.unnest(*(bindparam(f"{name}_{column}", type_=ARRAY(kind)) for column, kind in columns.items()))
        .table_valued(*columns)
        .render_derived(name=name)
    )


def _counted_receipt_statement(receipt_insert) -> Select:
    """``WITH ins AS (INSERT receipt … ON CONFLICT DO NOTHING RETURNING id), entries, points, hours
    SELECT id FROM ins`` — see :func:`insert_counted_receipt`.

    The entries are written only when the receipt row was inserted; each later CTE waits for the
    whole previous one (a count over its RETURNING rows), so rows are locked as elsewhere:
    entries, then points counter rows, then hour counter rows, each in ascending key order.
    """
    ins = receipt_insert.cte("ins")
    moment = DateTime(timezone=True)
    e_src = _unnest(
        "e",
        contest_id=Integer,
        points=Integer,
        reached_at=moment,
        reached_hour=Integer,
        last_receipt_at=moment,
        registered_at=moment,
    )
    entry_columns = ["contest_id", "points", "reached_at", "reached_hour", "last_receipt_at", "registered_at"]
    entry = postgresql_insert(ContestEntry).from_select(
        [*entry_columns, "participant_id"],
        core_select(*(e_src.c[column] for column in entry_columns), bindparam("e_participant", type_=Integer))
        .where(exists(core_select(ins.c.id)))
        .order_by(e_src.c.contest_id),
    )
    entry = entry.on_conflict_do_update(
        index_elements=["contest_id", "participant_id"],
        set_={column: entry.excluded[column] for column in entry_columns[1:]},
    )
    entries = entry.returning(ContestEntry.contest_id).cte("entries")
    p_src = _unnest("p", contest_id=Integer, points=Integer, n=Integer)
    points = postgresql_insert(ContestPointsTally).from_select(
        ["contest_id", "points", "n"],
        core_select(p_src.c.contest_id, p_src.c.points, p_src.c.n)
        .where(core_select(func.count()).select_from(entries).scalar_subquery() > 0)
        .order_by(p_src.c.contest_id, p_src.c.points),
    )
    points = points.on_conflict_do_update(
        index_elements=["contest_id", "points"], set_={"n": ContestPointsTally.n + points.excluded.n}
    )
    points_cte = points.returning(ContestPointsTally.contest_id).cte("points_moved")
    h_src = _unnest("h", contest_id=Integer, points=Integer, hour=Integer, n=Integer)
    hours = postgresql_insert(ContestHourTally).from_select(
        ["contest_id", "points", "hour", "n"],
        core_select(h_src.c.contest_id, h_src.c.points, h_src.c.hour, h_src.c.n)
        .where(
            exists(core_select(entries.c.contest_id)),
            core_select(func.count()).select_from(points_cte).scalar_subquery() >= 0,
        )
        .order_by(h_src.c.contest_id, h_src.c.points, h_src.c.hour),
    )
    hours = hours.on_conflict_do_update(
        index_elements=["contest_id", "points", "hour"], set_={"n": ContestHourTally.n + hours.excluded.n}
    )
    hours_cte = hours.returning(ContestHourTally.contest_id).cte("hours_moved")
    return core_select(ins.c.id).add_cte(hours_cte)


def counted_receipt_writer(receipt_insert) -> HotStatement:
    """The one PostgreSQL statement of :func:`insert_counted_receipt` around this receipt INSERT
    (``ON CONFLICT DO NOTHING RETURNING id``, parameters not named like a column)."""
    return HotStatement(_counted_receipt_statement(receipt_insert))


def insert_counted_receipt(
    session: Session,
    writer: HotStatement,
    receipt_params: dict,
    participant_id: int,
    registered_at: datetime,
    contest_ids: Iterable[int],
    receipt: CountedReceipt,
) -> int | None:
    """PostgreSQL: insert the receipt and count it in these contests in one statement (two round
    trips with the locking read of the entries); the new receipt's id, or None — nothing written —
    when another upload saved it first.

    The same writes as the receipt INSERT followed by :func:`count_receipt`.
    """
    connection = session.connection()
    ids = sorted(contest_ids)
    stored = {
        row.contest_id: row
        for row in _ENTRIES_PG.rows(connection, {"p_participant": participant_id, "p_contests": ids})
    }
    rows, points_delta, hour_delta = _receipt_steps(participant_id, registered_at, ids, receipt, stored)
    params = dict(receipt_params)
    params["e_participant"] = participant_id
    for column in ("contest_id", "points", "reached_at", "reached_hour", "last_receipt_at", "registered_at"):
        params[f"e_{column}"] = [row[column] for row in rows]
    points_steps = [(key, step) for key, step in sorted(points_delta.items()) if step]
    params["p_contest_id"] = [key[0] for key, _ in points_steps]
    params["p_points"] = [key[1] for key, _ in points_steps]
    params["p_n"] = [step for _, step in points_steps]
    hour_steps = [(key, step) for key, step in sorted(hour_delta.items()) if step]
    params["h_contest_id"] = [key[0] for key, _ in hour_steps]
    params["h_points"] = [key[1] for key, _ in hour_steps]
    params["h_hour"] = [key[2] for key, _ in hour_steps]
    params["h_n"] = [step for _, step in hour_steps]
    inserted = writer.rows(connection, params)
    return inserted[0].id if inserted else None


def clear_rating(session: Session, contest_id: int) -> None:
    """Remove every entry and counter of a contest (before a full recount)."""
    for table in (ContestEntry, ContestPointsTally, ContestHourTally):
        session.exec(delete(table).where(table.contest_id == contest_id))
