"""``ag-app bench export``: stream a closed poll's open data as CSV and XLSX vs the database's own dump.

Setup: ``n`` residents and one city poll of three questions with ``n`` ballots spread over ten
days (bulk INSERT, not through the service), then closed. Measured:

- ``seal_s``: sealing the poll (the whole chain, totals, checkpoints) in one transaction;
- CSV and XLSX: each format is streamed in a subprocess of its own (so that its peak RSS is its
  own): rows/s and the subprocess's peak RSS (``*_base_rss_mb`` is the same process after imports,
  before the first row);
- the floor: the database's own bulk dump of the same rows (ballot columns joined with their
  answers, in receipt order) — ``sqlite3 -csv`` on SQLite (Python's csv module over a raw cursor
  when the CLI is missing), ``COPY (SELECT …) TO STDOUT WITH CSV`` on PostgreSQL;
- ``page_ms_middle`` / ``page_ms_end``: one page of 50 rows of the open-data table in the middle
  and at the end, and ``receipt_ms``: one receipt lookup (median of 5 each).

``ops_per_s`` is CSV rows/s and ``ratio`` is CSV rows/s over the floor's rows/s (1 = as fast as
the database's own dump); ``csv_ratio`` is the CSV time over the floor time (the goal is ≤ 3).
"""

import json
import logging
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, insert, update
from sqlmodel import select

from ag_app.bench.ballots import _ballot, _make_poll, _make_users
from ag_app.bench.common import process_peak_rss_mb, result, scratch_database
from ag_app.db import make_engine, transaction
from ag_app.domain.receipts import receipt_code
from ag_app.models import Ballot, BallotAnswer, District, Okrug, Poll
from ag_app.services import opendata

log = logging.getLogger(__name__)

BATCH = 10_000
SPREAD = timedelta(days=10)
_URL_ENV = "AG_BENCH_EXPORT_URL"
# The floor's query: the same ballots and answers, in receipt order.
FLOOR_SQL = (
    "SELECT b.receipt, b.completed_at, b.age_band, b.gender, b.okrug_id, b.district_id, b.number_region, "
    "a.question_id, a.option_id FROM ballot b JOIN ballotanswer a ON a.ballot_id = b.id "
    "WHERE b.poll_id = {poll} ORDER BY b.receipt, a.option_id"
)


def _make_geo(engine: Engine) -> list[tuple[int, int]]:
    """Two okrugs with two districts each; returns (okrug id, district id) pairs."""
    places = []
    with transaction(engine) as session:
        for number, abbrev in enumerate(("ЦАО", "ЗАО"), start=1):
            okrug = Okrug(name=f"Округ {number}", abbrev=abbrev)
            session.add(okrug)
            session.flush()
            for name in (f"Район {number}-1", f"Район {number}-2"):
                district = District(okrug_id=okrug.id, name=name)
                session.add(district)
                session.flush()
                places.append((okrug.id, district.id))
    return places


def _make_ballots(engine: Engine, n: int, now: datetime, seed: int) -> int:
    """``n`` ballots (with answers) of one poll, inserted in batches; the poll is then closed."""
    staff_id, users = _make_users(engine, n, now)
    poll_id, questions = _make_poll(engine, staff_id, now)
    places = _make_geo(engine)
    own_options = {o.id for q in questions for o in q.options if o.is_own_text}
    rng = random.Random(seed)
    starts = now - SPREAD - timedelta(hours=1)
    bands = ["", "18–24", "25–34", "35–44", "45–54", "55–64", "65+"]
    for start in range(0, n, BATCH):
        ballot_rows, answer_rows = [], []
        for ballot_id, user_id in enumerate(users[start : start + BATCH], start=start + 1):
            okrug_id, district_id = rng.choice([*places, (None, None)])
            ballot_rows.append(
                {
                    "id": ballot_id,
                    "poll_id": poll_id,
                    "user_id": user_id,
                    "completed_at": starts + timedelta(seconds=rng.randrange(int(SPREAD.total_seconds()))),
                    "number_region": "other" if ballot_id % 3 == 0 else "moscow",
                    "receipt": receipt_code(b"bench-secret", poll_id, user_id),
                    "age_band": rng.choice(bands),
                    "gender": rng.choice(["male", "female", ""]),
                    "okrug_id": okrug_id,
                    "district_id": district_id,
                    "tallied": True,
                }
            )
            answer_rows.extend(
                {
                    "ballot_id": ballot_id,
                    "question_id": answer.question_id,
                    "option_id": option_id,
                    "own_text": answer.own_text if option_id in own_options else "",
                }
                for answer in _ballot(rng, questions)
                for option_id in answer.option_ids
            )
        with transaction(engine) as session:
            connection = session.connection()
            connection.execute(insert(Ballot), ballot_rows)
            connection.execute(insert(BallotAnswer), answer_rows)
    with transaction(engine) as session:
        session.exec(
            update(Poll)
            .where(Poll.id == poll_id)
            .values(starts_at=starts, ends_at=now - timedelta(minutes=1), ballots_count=n)
        )
    return poll_id


def _floor(engine: Engine, poll_id: int) -> float:
    """Seconds the database's own CSV dump of the same rows takes (written to /dev/null)."""
    query = FLOOR_SQL.format(poll=int(poll_id))
    if engine.dialect.name == "postgresql":
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            started = time.perf_counter()
            with cursor.copy(f"COPY ({query}) TO STDOUT WITH CSV") as copy, open(os.devnull, "wb") as sink:
                for data in copy:
                    sink.write(data)
            return time.perf_counter() - started
        finally:
            raw.close()
    path = engine.url.database
    cli = shutil.which("sqlite3")
    started = time.perf_counter()
    if cli:
        with open(os.devnull, "wb") as sink:
            subprocess.run([cli, "-csv", "-readonly", path, query], stdout=sink, check=True)
        return time.perf_counter() - started
    import csv
    import sqlite3

    with sqlite3.connect(path) as conn, open(os.devnull, "w", encoding="utf-8") as sink:
        csv.writer(sink).writerows(conn.execute(query))
    return time.perf_counter() - started


def stream_one(url: str, poll_id: int, fmt: str) -> dict:
    """Stream one format to nowhere; seconds, bytes and this process's peak RSS (run in a subprocess)."""
    engine = make_engine(url)
    base = process_peak_rss_mb()
    chunks = opendata.csv_chunks(engine, poll_id) if fmt == "csv" else opendata.xlsx_chunks(engine, poll_id)
    started = time.perf_counter()
    size = sum(len(chunk) for chunk in chunks)
    seconds = time.perf_counter() - started
    engine.dispose()
    return {"seconds": seconds, "bytes": size, "peak_rss_mb": process_peak_rss_mb(), "base_rss_mb": base}


def _stream_in_subprocess(url: str, poll_id: int, fmt: str) -> dict:
    env = {**os.environ, _URL_ENV: url}
    done = subprocess.run(
        [sys.executable, "-m", "ag_app.bench.export", str(poll_id), fmt],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _median_ms(action, times: int = 5) -> float:
    timings = []
    for _ in range(times):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(timings), 2)


def run(n: int, db_url: str | None = None, *, seed: int = 42) -> dict:
    """Run the bench for ``n`` ballots on a scratch database (``db_url`` names a SQLite file or PG server)."""
    now = datetime.now(UTC).replace(microsecond=0)
    with scratch_database(db_url, label="export") as engine:
        setup_started = time.perf_counter()
        poll_id = _make_ballots(engine, n, now, seed)
        setup_seconds = time.perf_counter() - setup_started
        log.info("Данные созданы за %.1f с; голосование %s, бюллетеней %s", setup_seconds, poll_id, n)
        started = time.perf_counter()
        with transaction(engine) as session:
            seal = opendata.seal_poll(session, poll_id=poll_id, now=now)
        seal_seconds = time.perf_counter() - started
        url = engine.url.render_as_string(hide_password=False)
        csv_run = _stream_in_subprocess(url, poll_id, "csv")
        xlsx_run = _stream_in_subprocess(url, poll_id, "xlsx")
        floor_seconds = _floor(engine, poll_id)
        pages = max(1, -(-seal.rows // opendata.PAGE_SIZE))

        def page(number: int):
            def action():
                with transaction(engine) as session:
                    opendata.open_data_page(session, poll_id=poll_id, page=number, now=now)

            return action

        with transaction(engine) as session:
            receipt = session.exec(select(Ballot.receipt).where(Ballot.poll_id == poll_id).limit(1)).one()

        def lookup():
            with transaction(engine) as session:
                opendata.find_receipt(session, poll_id=poll_id, code=receipt, now=now)

        page_middle = _median_ms(page((pages + 1) // 2))
        page_end = _median_ms(page(pages))
        receipt_ms = _median_ms(lookup)
        dialect = engine.dialect.name
    return result(
        name="export",
        n=n,
        seconds=csv_run["seconds"],
        latencies_ms=[page_middle, page_end],
        floor_seconds=floor_seconds,
        db=dialect,
        csv_rows_per_s=round(n / csv_run["seconds"], 1),
        xlsx_rows_per_s=round(n / xlsx_run["seconds"], 1),
        floor_rows_per_s=round(n / floor_seconds, 1),
        csv_ratio=round(csv_run["seconds"] / floor_seconds, 2),
        csv_peak_rss_mb=csv_run["peak_rss_mb"],
        csv_base_rss_mb=csv_run["base_rss_mb"],
        xlsx_peak_rss_mb=xlsx_run["peak_rss_mb"],
        xlsx_base_rss_mb=xlsx_run["base_rss_mb"],
        csv_mb=round(csv_run["bytes"] / 2**20, 1),
        xlsx_mb=round(xlsx_run["bytes"] / 2**20, 1),
        page_ms_middle=page_middle,
        page_ms_end=page_end,
        receipt_ms=receipt_ms,
        seal_s=round(seal_seconds, 2),
        setup_s=round(setup_seconds, 1),
        final_hash=seal.final_hash,
    )


if __name__ == "__main__":  # the subprocess of one format: prints its JSON line
    sys.stdout.write(json.dumps(stream_one(os.environ[_URL_ENV], int(sys.argv[1]), sys.argv[2])) + "\n")
