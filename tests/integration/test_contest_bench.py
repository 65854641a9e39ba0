"""The contest bench runs end to end at a tiny size, and its bulk-built rating equals a full recount."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, update
from sqlmodel import Session, select

from ag_app.bench.contest import populate, run
from ag_app.db import transaction
from ag_app.domain.contest import period_of
from ag_app.models import (
    Contest,
    ContestEntry,
    ContestHourTally,
    ContestPointsTally,
    Disqualification,
    Receipt,
)
from ag_app.services.contest import bulk
from ag_app.services.contest.rating import hour_of
from ag_app.services.contest.scoring import recount_contest
from tests.conftest import PG_URL

DATABASES = [pytest.param(None, id="sqlite")]
if PG_URL:
    DATABASES.append(pytest.param(PG_URL, id="pg", marks=pytest.mark.pg))

FIELDS = {
    "name", "n", "ops_per_s", "p50_ms", "p99_ms", "floor_ops_per_s", "ratio", "peak_rss_mb", "db",
    "own_place_p50_ms", "own_place_p99_ms", "top100_p50_ms", "top100_p99_ms", "rerank_s", "finalise_s",
}  # fmt: skip


@pytest.mark.parametrize("db_url", DATABASES)
def test_bench_saves_receipts_through_the_services_and_reports_the_figures(db_url):
    data = run(300, 900, db_url, measure=50, own_lookups=30, top_reads=20)

    assert set(data) >= FIELDS
    assert (data["name"], data["n"], data["participants"], data["receipts"]) == ("contest", 50, 300, 900)
    assert data["db"] == ("sqlite" if db_url is None else "postgresql")
    # Every measured receipt was accepted: fresh fiscal numbers, nobody near a review threshold.
    assert data["outcomes"] == {"accepted": 50}
    assert data["entries"] == 300 and data["verified_sample"] == 300
    assert data["ops_per_s"] > 0 and data["floor_ops_per_s"] > data["ops_per_s"]
    assert abs(data["ratio"] - data["ops_per_s"] / data["floor_ops_per_s"]) < 0.01
    assert 0 < data["p50_ms"] <= data["p99_ms"]
    assert data["own_place_p50_ms"] <= data["own_place_p99_ms"]
    assert data["top100_p50_ms"] <= data["top100_p99_ms"]
    # The leader left the rating: the runner-up leads, and the sealed file lists everyone else.
    old_leader, new_leader = data["rerank_leaders"]
    assert old_leader != new_leader and data["rerank_s"] > 0
    assert data["finalise_rows"] == 299 and len(data["finalise_sha256"]) == 64


def _rating(session: Session, contest_id: int) -> tuple[list, list, list]:
    entries = sorted(
        (e.participant_id, e.points, e.reached_at, e.reached_hour, e.last_receipt_at, e.registered_at)
        for e in session.exec(select(ContestEntry).where(ContestEntry.contest_id == contest_id))
    )
    points = sorted(
        (t.points, t.n)
        for t in session.exec(select(ContestPointsTally).where(ContestPointsTally.contest_id == contest_id))
        if t.n
    )
    hours = sorted(
        (t.points, t.hour, t.n)
        for t in session.exec(select(ContestHourTally).where(ContestHourTally.contest_id == contest_id))
        if t.n
    )
    return entries, points, hours


def test_bulk_rating_equals_a_full_recount(engine):
    now = datetime.now(UTC).replace(microsecond=0)
    made = populate(engine, 400, 1500, random.Random(7), now)
    period = f"{period_of(now)[0]:04d}-{period_of(now)[1]:02d}"
    fuel_fn = next(seller["fn"] for seller in made.sellers if seller["category"] == "fuel")
    first, second, third = made.participant_ids[:3]
    with transaction(engine) as session:
        # A fuel contest alongside the general one; receipts on review, rejected, of an unknown
        # drive, with fractions of a second; a disqualified participant.
        fuel = Contest(period=period, title="АЗС", categories="fuel", prizes="3000,2000,1000", created_at=now)
        session.add(fuel)
        session.add(
            Disqualification(period=period, participant_id=third, reason="x", decided_by=1, decided_at=now)
        )
        connection = session.connection()
        connection.execute(
            update(Receipt).where(Receipt.id % 7 == 0).values(status="review", counted_at=None)
        )
        connection.execute(
            update(Receipt).where(Receipt.id % 11 == 0).values(status="rejected", counted_at=None)
        )
        late = now + timedelta(microseconds=250_000)
        connection.execute(
            insert(Receipt),
            [
                {"participant_id": first, "period": period, "fn": "9999999999999999", "fd": "1", "fp": "1",
                 "purchased_at": late, "amount_kopecks": 100, "saved_at": late, "status": "accepted",
                 "points": 1, "counted_at": late},
                {"participant_id": second, "period": period, "fn": fuel_fn, "fd": "99999999", "fp": "2",
                 "purchased_at": late, "amount_kopecks": 100, "saved_at": late, "status": "accepted",
                 "points": 10, "counted_at": late},
            ],
        )  # fmt: skip
        session.flush()
        fuel_id = fuel.id

    built = {}
    with transaction(engine) as session:
        for contest_id in (made.contest_id, fuel_id):
            bulk.build_rating(session, session.get(Contest, contest_id))
    with Session(engine) as session:
        for contest_id in (made.contest_id, fuel_id):
            built[contest_id] = _rating(session, contest_id)

    with transaction(engine) as session:
        for contest_id in (made.contest_id, fuel_id):
            recount_contest(session, session.get(Contest, contest_id))
    with Session(engine) as session:
        for contest_id in (made.contest_id, fuel_id):
            assert built[contest_id] == _rating(session, contest_id)

    general, fuel_rating = built[made.contest_id][0], built[fuel_id][0]
    numbers = {row[0] for row in general}
    assert first in numbers and second in numbers and third not in numbers
    assert 300 < len(general) < 400 and 0 < len(fuel_rating) < len(general)
    # The reached hour is the bucket of the reached moment, fractions of a second and all.
    assert all(row[3] == hour_of(row[2]) for row in general)
    assert next(row[2] for row in general if row[0] == first).microsecond == 250_000


def test_receipts_saved_at_once_keep_the_rating_equal_to_a_recount(engine, session, now):
    """The hot path under races: one receipt from 12 accounts at once counts once, one account's
    12 receipts at once all count, and the rating equals a full recount afterwards."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from ag_app.models import ReceiptFlag
    from tests.factories import make_user
    from tests.integration.contest_helpers import FUEL_FN, add_sellers, qr, submit

    add_sellers(session)
    users = [make_user(session) for _ in range(12)]
    shared = qr(now - timedelta(hours=3), fn=FUEL_FN)
    own = [qr(now - timedelta(hours=2, minutes=7 * i)) for i in range(12)]
    barrier = Barrier(12)

    def post(job):
        user_id, receipt = job
        barrier.wait()
        return submit(engine, user_id, receipt, now)

    with ThreadPoolExecutor(12) as pool:
        shared_results = list(pool.map(post, [(user.id, shared) for user in users]))
    with ThreadPoolExecutor(12) as pool:
        own_results = list(pool.map(post, [(users[0].id, receipt) for receipt in own]))

    assert sum(result.receipt is not None for result in shared_results) == 1
    assert sum(result.refused is not None for result in shared_results) == 11
    assert all(result.receipt.status == "accepted" for result in own_results)
    with Session(engine) as reader:
        assert len(reader.exec(select(ReceiptFlag).where(ReceiptFlag.kind == "duplicate")).all()) == 11
        contest_id = reader.exec(select(Contest.id).where(Contest.general)).one()
        before = _rating(reader, contest_id)
    with transaction(engine) as writer:
        recount_contest(writer, writer.get(Contest, contest_id))
    with Session(engine) as reader:
        assert _rating(reader, contest_id) == before
    # The fuel receipt's 10 points once, and the 12 ordinary receipts of the first account.
    assert sum(entry[1] for entry in before[0]) == 22


def test_pages_of_the_rating_follow_the_rank_rule(engine):
    """top_rows reads only entries with the points of the page's last row or more: every page, ties
    across its edges included, is the slice of the full rating by the rule."""
    from ag_app.domain.clock import as_utc
    from ag_app.domain.contest import Standing, rank
    from ag_app.services.contest import ranking

    made = populate(engine, 500, 1200, random.Random(3), datetime.now(UTC).replace(microsecond=0))
    with Session(engine) as session:
        entries = session.exec(select(ContestEntry).where(ContestEntry.contest_id == made.contest_id)).all()
        standings = [
            Standing(
                e.participant_id,
                e.points,
                as_utc(e.reached_at),
                as_utc(e.last_receipt_at),
                as_utc(e.registered_at),
            )
            for e in entries
        ]
        order = [standing.participant_id for standing in rank(standings)]
        for offset, limit in [(0, 100), (0, 1), (37, 50), (100, 100), (450, 100), (499, 10), (600, 10)]:
            rows = ranking.top_rows(session, made.contest_id, offset=offset, limit=limit)
            assert [row.number for row in rows] == order[offset : offset + limit]
            assert [row.place for row in rows] == list(range(offset + 1, offset + 1 + len(rows)))


def test_own_position_of_every_participant_follows_the_rank_rule(engine):
    """Ties at every level of the rule (points, reached hour, reached moment, last receipt,
    registration): each participant's place, the two rows above and below, the points to the next
    place and the total equal the full rating by the rule."""
    from ag_app.domain.contest import Standing, points_to_next_place, rank, rank_key
    from ag_app.services.contest import ranking, rating

    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    made = populate(engine, 300, 300, random.Random(11), now)
    rnd = random.Random(5)
    moments = [now - timedelta(hours=h, minutes=m) for h in (0, 1, 5) for m in (0, 10)]
    standings = {
        pid: Standing(
            pid,
            rnd.choice([1, 2, 2, 3, 5, 5, 5, 8, 40]),
            rnd.choice(moments),
            rnd.choice(moments[:2]),
            rnd.choice(moments[:2]),
        )
        for pid in made.participant_ids
    }
    with transaction(engine) as session:
        rating.clear_rating(session, made.contest_id)
        for pid, standing in standings.items():
            rating.set_standings(session, pid, {made.contest_id: standing})
    order = rank(standings.values())
    points = [standing.points for standing in order]
    keys = [rank_key(standing) for standing in order]
    for level in range(1, 5):  # neighbours equal on the first `level` parts of the rule
        assert any(a[:level] == b[:level] for a, b in zip(keys, keys[1:], strict=False))
    with Session(engine) as session:
        for index, standing in enumerate(order):
            own = ranking.own_position(session, made.contest_id, standing.participant_id)
            assert own is not None
            assert own.place == index + 1 and own.total == len(order) and own.points == standing.points
            first = max(0, index - 2)
            window = order[first : index + 3]
            assert [row.number for row in own.rows] == [s.participant_id for s in window]
            assert [row.place for row in own.rows] == list(range(first + 1, first + 1 + len(window)))
            assert [row.points for row in own.rows] == [s.points for s in window]
            expected = points_to_next_place(standing.points, points[index - 1]) if index else None
            assert own.to_next == expected
        assert ranking.own_position(session, made.contest_id, max(standings) + 1000) is None
