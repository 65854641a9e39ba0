"""``ag-app bench stats``: serving a poll's statistics from the folded aggregates vs a full scan.

Setup: ``n`` ballots of one poll (three questions, about 3.5 answers per ballot) with varied voter
facts — age band, gender, 12 okrugs × 10 districts, number region, completion times over two
weeks — bulk-loaded (PostgreSQL ``COPY``, SQLite ``executemany``), not through the service.
Measured:

- the fold (:func:`ag_app.services.tally.tally_job`): ``fold_rows_per_s`` ballots per second;
- serving every breakdown of the poll (:func:`ag_app.services.stats.poll_stats_all`, exactly as
  the page and the API read it): ``served_ms`` p50 / ``served_p99_ms`` over repeats, and again
  with 1 000 freshly added ballots still pending (``served_pending_ms``);
- the same-run floor: the same aggregates by a full-scan GROUP BY over ballot ⨝ ballotanswer of
  the poll (``full_scan_ms``);
- memory: ``peak_rss_generate_mb`` is the peak while generating the data (rows built in Python),
  ``peak_rss_fold_serve_mb`` the peak from then on (folding, serving, the full scan).

In the JSON, ``ops_per_s`` counts ballots summarised per second by one served reading (``n`` /
``served_ms``) and ``floor_ops_per_s`` the same for the full scan, so ``ratio`` = full scan time /
served time: how many times faster the aggregates are.
"""

import gc
import logging
import random
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, insert, text
from sqlmodel import Session, select

from ag_app.bench.ballots import _make_poll, _make_users
from ag_app.bench.common import (
    peak_rss_mb,
    percentile,
    process_peak_rss_mb,
    reset_peak_rss,
    result,
    scratch_database,
)
from ag_app.db import transaction
from ag_app.domain.demographics import AGE_BANDS
from ag_app.domain.stats import BREAKDOWNS, DIMENSIONS
from ag_app.models import Ballot, BallotAnswer, District, Okrug
from ag_app.services import stats
from ag_app.services.tally import grouped_sql, tally_job

log = logging.getLogger(__name__)

BATCH = 50_000
PENDING = 1_000
REPEATS = 20
SCAN_REPEATS = 3
AGES = [label for label, _ in AGE_BANDS] + [""]


def _make_geo(engine: Engine) -> list[tuple[int, int]]:
    """12 okrugs of 10 districts; returns (okrug_id, district_id) pairs."""
    places = []
    with transaction(engine) as session:
        for o in range(12):
            okrug = Okrug(name=f"Округ {o + 1}", abbrev=f"О{o + 1}")
            session.add(okrug)
            session.flush()
            for d in range(10):
                district = District(okrug_id=okrug.id, name=f"Район {o + 1}-{d + 1}")
                session.add(district)
                session.flush()
                places.append((okrug.id, district.id))
    return places


def _rows(
    rng: random.Random,
    ids: range,
    users: list[int],
    poll_id: int,
    options: list[list[int]],
    places: list[tuple[int, int]],
    start: datetime,
) -> tuple[list[dict], list[dict]]:
    """Ballot and answer rows for ballot ids ``ids`` (one user each)."""
    q1, q2, q3 = options
    ballots, answers = [], []
    for ballot_id in ids:
        okrug_id, district_id = rng.choice(places)
        known = rng.random() > 0.05
        ballots.append(
            {
                "id": ballot_id,
                "poll_id": poll_id,
                "user_id": users[ballot_id - 1],
                "completed_at": start + timedelta(seconds=rng.randrange(14 * 24 * 3600)),
                "number_region": "moscow" if rng.random() < 0.8 else "other",
                "receipt": f"{ballot_id:016d}",
                "age_band": rng.choice(AGES),
                "gender": rng.choice(("male", "female", "")),
                "okrug_id": okrug_id if known else None,
                "district_id": district_id if known else None,
                "tallied": False,
            }
        )
        chosen = [rng.choice(q1), *rng.sample(q2, rng.randint(1, 2)), rng.choice(q3)]
        answers.extend(
            {"ballot_id": ballot_id, "question_id": 0, "option_id": o, "own_text": ""} for o in chosen
        )
    return ballots, answers


def _load(engine: Engine, ballots: list[dict], answers: list[dict], question_of: dict[int, int]) -> None:
    """Bulk-load rows: PostgreSQL COPY, SQLite executemany; one transaction."""
    for row in answers:
        row["question_id"] = question_of[row["option_id"]]
    with transaction(engine) as session:
        connection = session.connection()
        if engine.dialect.name != "postgresql":
            connection.execute(insert(Ballot), ballots)
            connection.execute(insert(BallotAnswer), answers)
            return
        cursor = connection.connection.dbapi_connection.cursor()
        for table, rows in (("ballot", ballots), ("ballotanswer", answers)):
            columns = list(rows[0])
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([row[c] for c in columns])


def _serve(engine: Engine, staff_id: int, poll_id: int, now: datetime) -> list[float]:
    """Milliseconds of each of :data:`REPEATS` readings of every breakdown."""
    times = []
    for _ in range(REPEATS):
        with transaction(engine) as session:
            t0 = time.perf_counter()
            views = stats.poll_stats_all(session, actor_id=staff_id, poll_id=poll_id, now=now)
            times.append((time.perf_counter() - t0) * 1000)
    if len(views) != len(BREAKDOWNS):
        raise RuntimeError("not every breakdown was served")
    return times


def _full_scan(engine: Engine, poll_id: int) -> tuple[list[float], int]:
    """Milliseconds of the same aggregates counted from all ballots of the poll, and its ballots."""
    ctes, selects = grouped_sql(engine.dialect.name, "b.poll_id = :poll", DIMENSIONS)
    statement = text(f"{ctes} {selects}")
    times, total = [], 0
    for _ in range(SCAN_REPEATS):
        with Session(engine) as session:
            t0 = time.perf_counter()
            rows = session.connection().execute(statement, {"poll": poll_id}).all()
            times.append((time.perf_counter() - t0) * 1000)
        total = sum(n for _, dim, _, option, n in rows if dim == "all" and option == 0)
    return times, total


def run(n: int, db_url: str | None = None, *, seed: int = 42) -> dict:
    """Run the bench for ``n`` ballots on a scratch database (``db_url``: a SQLite file or PG server)."""
    now = datetime.now(UTC).replace(microsecond=0)
    rng = random.Random(seed)
    with scratch_database(db_url, label="stats") as engine:
        setup_started = time.perf_counter()
        staff_id, users = _make_users(engine, n + PENDING, now)
        poll_id, questions = _make_poll(engine, staff_id, now)
        places = _make_geo(engine)
        options = [[o.id for o in q.options] for q in questions]
        question_of = {o.id: q.id for q in questions for o in q.options}
        start = now - timedelta(days=14)
        for first in range(1, n + 1, BATCH):
            ballots, answers = _rows(
                rng, range(first, min(n, first + BATCH - 1) + 1), users, poll_id, options, places, start
            )
            _load(engine, ballots, answers, question_of)
        if engine.dialect.name == "postgresql":
            with engine.begin() as conn:
                conn.execute(text("SELECT setval('ballot_id_seq', (SELECT MAX(id) FROM ballot))"))
                conn.execute(text("ANALYZE"))
        setup_seconds = time.perf_counter() - setup_started
        peak_rss_generate = peak_rss_mb()
        gc.collect()
        reset_peak_rss()
        log.info("Данные созданы за %.1f с: %s бюллетеней", setup_seconds, n)

        t0 = time.perf_counter()
        folded = tally_job(engine)
        fold_seconds = time.perf_counter() - t0
        served = _serve(engine, staff_id, poll_id, now)

        ballots, answers = _rows(rng, range(n + 1, n + PENDING + 1), users, poll_id, options, places, start)
        _load(engine, ballots, answers, question_of)
        served_pending = _serve(engine, staff_id, poll_id, now)
        scans, total = _full_scan(engine, poll_id)
        with Session(engine) as session:
            pending = len(session.exec(select(Ballot.id).where(Ballot.tallied == False)).all())  # noqa: E712
        if folded != n or total != n + PENDING or pending != PENDING:
            raise RuntimeError(f"folded {folded}, counted {total}, pending {pending} of {n} + {PENDING}")
        dialect = engine.dialect.name
        peak_rss_fold_serve = process_peak_rss_mb()
    served_p50 = percentile(served, 50)
    scan_p50 = percentile(scans, 50)
    data = result(
        name="stats",
        n=n,
        seconds=served_p50 / 1000,
        latencies_ms=served,
        floor_seconds=scan_p50 / 1000,
        db=dialect,
        served_ms=round(served_p50, 2),
        served_p99_ms=round(percentile(served, 99), 2),
        served_pending_ms=round(percentile(served_pending, 50), 2),
        served_pending_p99_ms=round(percentile(served_pending, 99), 2),
        full_scan_ms=round(scan_p50, 2),
        fold_rows_per_s=round(n / fold_seconds, 1),
        fold_s=round(fold_seconds, 2),
        setup_s=round(setup_seconds, 1),
        peak_rss_generate_mb=peak_rss_generate,
        peak_rss_fold_serve_mb=peak_rss_fold_serve,
    )
    return data
