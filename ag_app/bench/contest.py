"""``ag-app bench contest``: the receipt contest at city scale through the service layer.

Setup (each step timed): ``participants`` adult residents (birth dates, registrations spread over
years) with their participant numbers, a registry of about 200 sellers (one in ten a fuel
station) and ``receipts`` accepted receipts of the current Moscow month spread over the month so
far, inserted in batches of 20 000 rows — the rate of that batched INSERT is the floor. The general
contest's rating (entries and both counters) is then built in bulk by
:func:`ag_app.services.contest.bulk.build_rating` and checked on a sample of participants against
:func:`ag_app.services.contest.scoring.standings_from_receipts`.

Measured:

- ``measure`` receipts saved one after another through
  :func:`ag_app.services.contest.receipts.submit_receipt`, each in its own transaction (checks,
  dedup insert, review rules, entry and counters), by random participants with fresh fiscal
  numbers → ``ops_per_s``, ``p50_ms``, ``p99_ms``; ``ratio`` to the floor;
- a participant's own place with neighbours (:func:`ranking.own_position`) for ``own_lookups``
  random participants → ``own_place_p50_ms`` / ``own_place_p99_ms``; the top 100
  (:func:`ranking.top_rows`) read ``top_reads`` times → ``top100_p50_ms`` / ``top100_p99_ms``;
- the leader disqualified by a moderator (:func:`moderation.disqualify`, one transaction) and
  the seconds until the top shows the new leader → ``rerank_s``;
- the contest finalised after its month (:func:`finalise.finalise_contest`: the rating frozen
  into result rows, the CSV sealed with its SHA-256, the prizes given, winners notified) →
  ``finalise_s``;
- peak RSS of the process.
"""

import logging
import multiprocessing
import random
import time
from array import array
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, event, insert, text
from sqlmodel import Session, col, select

from ag_app.bench.common import percentile, process_peak_rss_mb, reset_peak_rss, result, scratch_database
from ag_app.db import HotStatement, make_engine, read_transaction, transaction
from ag_app.domain.clock import MOSCOW
from ag_app.domain.contest import ReceiptQR, parse_period, period_bounds, period_label, period_of
from ag_app.domain.errors import DomainError
from ag_app.models import (
    Contest,
    ContestEntry,
    ContestParticipant,
    Receipt,
    Seller,
    User,
    UserRole,
)
from ag_app.seed.contest import FIRST_NAMES, LAST_NAMES, plan_receipts, plan_sellers, receipt_counts
from ag_app.services.contest import bulk, finalise, moderation, ranking, rating, receipts
from ag_app.services.contest.contests import ensure_general
from ag_app.services.contest.scoring import ACCEPTED, standings_from_receipts

log = logging.getLogger(__name__)

BATCH = 20_000
# Receipts per task handed to a worker process.
CHUNK = 500
SELLERS = 200
# Participants whose bulk-built entry is compared with the recount from their receipts.
VERIFY_SAMPLE = 300
# The longest the re-rank may take before the bench gives up waiting for it.
RERANK_TIMEOUT_S = 30.0


def _make_people(engine: Engine, n: int, rng: random.Random, now: datetime) -> tuple[array, array, int, int]:
    """``n`` adult residents and their participant numbers, a staff user and a moderator; returns
    the participant ids, their user ids (same order) and the staff user's and moderator's ids."""
    with transaction(engine) as session:
        connection = session.connection()
        for start in range(0, n, BATCH):
            rows = []
            for i in range(start, min(n, start + BATCH)):
                created = now - timedelta(days=40 + rng.random() * 6 * 365)
                rows.append(
                    {
                        "uid": f"contest{i:010d}",
                        "phone": f"+7925{i:07d}",
                        "phone_region": "moscow",
                        "created_at": created,
                        "terms_accepted_at": created,
                        "first_name": rng.choice(FIRST_NAMES),
                        "last_name": rng.choice(LAST_NAMES),
                        "birth_date": date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28)),
                    }
                )
            connection.execute(insert(User), rows)
        connection.execute(
            insert(ContestParticipant).from_select(
                ["user_id", "registered_at"], select(User.id, User.created_at).order_by(User.id)
            )
        )
        staff = User(uid="conteststaff", phone="+79990009999", created_at=now, terms_accepted_at=now)
        moderator = User(uid="contestmoderator", phone="+79990009998", created_at=now, terms_accepted_at=now)
        session.add_all([staff, moderator])
        session.flush()
        session.add_all(
            [UserRole(user_id=staff.id, role="staff"), UserRole(user_id=moderator.id, role="moderator")]
        )
        staff_id, moderator_id = staff.id, moderator.id
    participant_ids, user_ids = array("q"), array("q")
    with Session(engine) as session:
        for participant_id, user_id in session.exec(
            select(ContestParticipant.id, ContestParticipant.user_id).order_by(ContestParticipant.id)
        ):
            participant_ids.append(participant_id)
            user_ids.append(user_id)
    return participant_ids, user_ids, staff_id, moderator_id


def _insert_receipts(
    engine: Engine,
    rng: random.Random,
    participant_ids: array,
    n: int,
    sellers: list[dict],
    *,
    period: str,
    start: datetime,
    now: datetime,
) -> float:
    """Insert ``n`` accepted receipts in batches; returns the seconds the INSERTs took (the floor)."""
    counts = receipt_counts(rng, len(participant_ids), n)
    seconds = 0.0
    for batch in plan_receipts(
        rng, participant_ids, counts, sellers, period=period, start=start, now=now, batch=BATCH
    ):
        t0 = time.perf_counter()
        with transaction(engine) as session:
            session.connection().execute(insert(Receipt), batch)
        seconds += time.perf_counter() - t0
    return seconds


def _analyze(engine: Engine) -> None:
    """Refresh PostgreSQL's planner statistics after the bulk load (autovacuum would, later)."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE"))


def verify_sample(engine: Engine, contest_id: int, participant_ids: list[int]) -> int:
    """Compare each participant's entry with the standing recounted from their receipts.

    Returns how many were compared; raises RuntimeError on the first difference.
    """
    with Session(engine) as session:
        contest = session.get(Contest, contest_id)
        for participant_id in participant_ids:
            participant = session.get(ContestParticipant, participant_id)
            counted = list(
                session.exec(
                    select(Receipt, Seller)
                    .join(Seller, col(Seller.fn) == Receipt.fn, isouter=True)
                    .where(
                        Receipt.participant_id == participant_id,
                        Receipt.period == contest.period,
                        Receipt.status == ACCEPTED,
                    )
                ).all()
            )
            expected = standings_from_receipts([contest], participant, counted, None)[contest_id]
            entry = session.exec(
                select(ContestEntry).where(
                    ContestEntry.contest_id == contest_id, ContestEntry.participant_id == participant_id
                )
            ).first()
            actual = (
                None
                if entry is None
                else rating.standings_of(session, participant_id, [contest_id])[contest_id]
            )
            if actual != expected or (
                entry is not None and entry.reached_hour != rating.hour_of(expected.reached_at)
            ):
                raise RuntimeError(
                    f"bulk rating differs for participant {participant_id}: {actual} != {expected}"
                )
    return len(participant_ids)


def _plan_jobs(
    rng: random.Random,
    user_ids: array,
    sellers: list[dict],
    n: int,
    *,
    start: datetime,
    until: datetime,
    first_fd: int,
) -> list[tuple[int, ReceiptQR]]:
    """``n`` (user, receipt) pairs: random participants, fresh fiscal numbers, purchases spread over
    the month so far (so nobody comes near a review threshold)."""
    span = max((until - start).total_seconds() - 1, 1.0)
    fuel = [seller["fn"] for seller in sellers if seller["category"] == "fuel"]
    other = [seller["fn"] for seller in sellers if seller["category"] != "fuel"]
    jobs = []
    for k in range(n):
        fn = rng.choice(fuel) if rng.random() < 0.1 else rng.choice(other)
        bought = (start + timedelta(seconds=int(rng.random() * span))).astimezone(MOSCOW)
        qr = ReceiptQR(
            purchased_at=bought,
            amount_kopecks=rng.randrange(3_000, 300_000),
            fn=fn,
            fd=str(first_fd + k),
            fp=str(rng.randrange(10**8, 4 * 10**9)),
            operation=1,
        )
        jobs.append((user_ids[rng.randrange(len(user_ids))], qr))
    return jobs


def _save_chunk(engine: Engine, jobs: list[tuple[int, ReceiptQR]]) -> tuple[list[float], Counter, int, float]:
    """Save each receipt in its own transaction through the service.

    Returns each receipt's latency in ms, the outcomes by status, the SQL statements sent and the
    CPU seconds this process spent.
    """
    statements = [0]

    def count(*_args: object) -> None:
        statements[0] += 1

    outcomes: Counter = Counter()
    latencies = []
    event.listen(engine, "before_cursor_execute", count)
    hot_before = HotStatement.executions
    cpu_started = time.process_time()
    try:
        for user_id, qr in jobs:
            t0 = time.perf_counter()
            try:
                with transaction(engine) as session:
                    saved = receipts.submit_receipt(
                        session, actor_id=user_id, qr=qr, channel="api", now=datetime.now(UTC)
                    )
                outcomes[saved.receipt.status if saved.receipt else "refused"] += 1
            except DomainError as refusal:
                outcomes[refusal.key] += 1
            latencies.append((time.perf_counter() - t0) * 1000)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    cpu = time.process_time() - cpu_started
    return latencies, outcomes, statements[0] + HotStatement.executions - hot_before, cpu


# The engine of a bench worker process, made once per process from the URL.
_worker_engine: Engine | None = None


def _start_worker(url: str) -> None:
    global _worker_engine
    _worker_engine = make_engine(url)


def _worker_ready() -> bool:
    with _worker_engine.connect():
        return True


def _worker_chunk(jobs: list[tuple[int, ReceiptQR]]) -> tuple[list[float], Counter, int, float]:
    return _save_chunk(_worker_engine, jobs)


def _measure_receipts(
    engine: Engine, jobs: list[tuple[int, ReceiptQR]], workers: int = 1
) -> tuple[float, list[float], Counter, int, float]:
    """Save every receipt; returns the wall time, the latencies in ms, the outcomes, the SQL
    statements sent and the CPU seconds of the saving processes.

    With ``workers`` > 1 the receipts are shared out to that many processes, as the application's
    backend workers are processes; they are started and connected before the clock starts.
    """
    if workers <= 1:
        started = time.perf_counter()
        latencies, outcomes, statements, cpu = _save_chunk(engine, jobs)
        return time.perf_counter() - started, latencies, outcomes, statements, cpu
    url = engine.url.render_as_string(hide_password=False)
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(url,)) as pool:
        for ready in [pool.submit(_worker_ready) for _ in range(workers * 2)]:
            ready.result()
        chunks = [jobs[i : i + CHUNK] for i in range(0, len(jobs), CHUNK)]
        started = time.perf_counter()
        done = [future.result() for future in [pool.submit(_worker_chunk, chunk) for chunk in chunks]]
        seconds = time.perf_counter() - started
    outcomes: Counter = Counter()
    for _, part, _, _ in done:
        outcomes.update(part)
    return (
        seconds,
        [ms for latencies, _, _, _ in done for ms in latencies],
        outcomes,
        sum(statements for _, _, statements, _ in done),
        sum(cpu for _, _, _, cpu in done),
    )


def _timed_reads(engine: Engine, calls) -> list[float]:
    """Run each call in its own read transaction; returns the latencies in ms."""
    latencies = []
    for call in calls:
        t0 = time.perf_counter()
        with read_transaction(engine) as session:
            call(session)
        latencies.append((time.perf_counter() - t0) * 1000)
    return latencies


def _rerank(engine: Engine, contest: Contest, moderator_id: int, now: datetime) -> tuple[float, int, int]:
    """Disqualify the leader (every contest of the period re-ranks) and wait until the top shows
    the new leader; returns the seconds, the old and the new leader's numbers."""
    with read_transaction(engine) as session:
        leader = ranking.top_rows(session, contest.id, limit=1)[0].number
    started = time.perf_counter()
    with transaction(engine) as session:
        moderation.disqualify(
            session,
            actor_id=moderator_id,
            participant_id=leader,
            period=contest.period,
            reason="Бенчмарк: дробление покупок",
            now=now,
        )
    while time.perf_counter() - started < RERANK_TIMEOUT_S:
        with read_transaction(engine) as session:
            top = ranking.top_rows(session, contest.id, limit=1)
        if top and top[0].number != leader:
            return time.perf_counter() - started, leader, top[0].number
    raise RuntimeError("the new leader did not appear in time")


def _finalise(engine: Engine, contest: Contest, staff_id: int) -> tuple[float, finalise.SealView]:
    """Finalise the contest as staff right after its month; returns the seconds and the seal."""
    after = period_bounds(*parse_period(contest.period))[1] + timedelta(minutes=1)
    started = time.perf_counter()
    with transaction(engine) as session:
        seal = finalise.finalise_contest(session, actor_id=staff_id, contest_id=contest.id, now=after)
    return time.perf_counter() - started, seal


@dataclass
class Populated:
    """What :func:`populate` generated: ids in participant order and the seconds of each step."""

    contest_id: int
    participant_ids: array
    user_ids: array
    sellers: list[dict]
    floor_seconds: float
    staff_id: int
    moderator_id: int
    steps: dict[str, float] = field(default_factory=dict)


def populate(
    engine: Engine, participants: int, receipt_count: int, rng: random.Random, now: datetime
) -> Populated:
    """Generate people, sellers and the month's receipts in bulk, then build the general rating."""
    year, month = period_of(now)
    period = period_label(year, month)
    month_start = period_bounds(year, month)[0]
    steps: dict[str, float] = {}
    t0 = time.perf_counter()
    participant_ids, user_ids, staff_id, moderator_id = _make_people(engine, participants, rng, now)
    sellers = plan_sellers(rng, now, SELLERS)
    with transaction(engine) as session:
        session.connection().execute(insert(Seller), sellers)
        contest_id = ensure_general(session, year, month, now).id
    steps["people_s"] = time.perf_counter() - t0
    log.info("Участники: %s за %.1f с", participants, steps["people_s"])

    t0 = time.perf_counter()
    floor_seconds = _insert_receipts(
        engine, rng, participant_ids, receipt_count, sellers, period=period, start=month_start, now=now
    )
    steps["receipts_s"] = time.perf_counter() - t0
    log.info("Чеки: %s за %.1f с (из них INSERT %.1f с)", receipt_count, steps["receipts_s"], floor_seconds)

    t0 = time.perf_counter()
    with transaction(engine) as session:
        entries = bulk.build_rating(session, session.get(Contest, contest_id))
    steps["build_s"] = time.perf_counter() - t0
    _analyze(engine)
    log.info("Рейтинг построен: %s участников за %.1f с", entries, steps["build_s"])
    return Populated(
        contest_id, participant_ids, user_ids, sellers, floor_seconds, staff_id, moderator_id, steps
    )


def run(
    participants: int,
    receipt_count: int,
    db_url: str | None = None,
    *,
    measure: int = 20_000,
    own_lookups: int = 2_000,
    top_reads: int = 500,
    workers: int = 1,
    seed: int = 42,
) -> dict:
    """Run the bench on a scratch database (``db_url`` names a new SQLite file or a PostgreSQL server).

    ``workers`` > 1 saves the measured receipts from that many processes at once (each receipt
    still one transaction), as several backend workers would.
    """
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    month_start = period_bounds(*period_of(now))[0]
    with scratch_database(db_url, label="contest") as engine:
        dialect = engine.dialect.name
        made = populate(engine, participants, receipt_count, rng, now)
        contest_id, participant_ids, user_ids, sellers = (
            made.contest_id,
            made.participant_ids,
            made.user_ids,
            made.sellers,
        )
        floor_seconds, steps = made.floor_seconds, made.steps
        with Session(engine) as session:
            entries = ranking.participants(session, contest_id)

        t0 = time.perf_counter()
        sample = rng.sample(list(participant_ids), min(VERIFY_SAMPLE, len(participant_ids)))
        verified = verify_sample(engine, contest_id, sample)
        steps["verify_s"] = time.perf_counter() - t0

        jobs = _plan_jobs(
            rng, user_ids, sellers, measure, start=month_start, until=now, first_fd=receipt_count + 1
        )
        seconds, latencies, outcomes, statements, cpu_seconds = _measure_receipts(engine, jobs, workers)
        log.info("Через сервис: %s чеков за %.1f с (%s)", measure, seconds, dict(outcomes))

        lookups = [participant_ids[rng.randrange(len(participant_ids))] for _ in range(own_lookups)]
        own_ms = _timed_reads(
            engine,
            [lambda session, pid=pid: ranking.own_position(session, contest_id, pid) for pid in lookups],
        )
        top_ms = _timed_reads(
            engine, [lambda session: ranking.top_rows(session, contest_id, limit=ranking.TOP)] * top_reads
        )
        with Session(engine) as session:
            contest = session.get(Contest, contest_id)
        rerank_s, old_leader, new_leader = _rerank(engine, contest, made.moderator_id, datetime.now(UTC))
        peak_before = process_peak_rss_mb()
        reset_peak_rss()
        finalise_s, seal = _finalise(engine, contest, made.staff_id)
        finalise_rss = process_peak_rss_mb()
        with Session(engine) as session:
            remaining = ranking.participants(session, contest_id)
        if seal.rows != remaining or remaining != entries - 1:
            raise RuntimeError(f"the final rating has {seal.rows} rows, the rating {remaining} of {entries}")

    # The floor inserted ``receipt_count`` receipts; scaled to the ``measure`` of the service run.
    data_out = result(
        name="contest",
        n=measure,
        seconds=seconds,
        latencies_ms=latencies,
        floor_seconds=floor_seconds * measure / receipt_count,
        db=dialect,
        participants=participants,
        receipts=receipt_count,
        entries=entries,
        verified_sample=verified,
        outcomes=dict(outcomes),
        statements_per_receipt=round(statements / max(measure, 1), 2),
        workers=workers,
        # CPU of the saving processes per receipt: the figure least moved by other load on the machine.
        cpu_ms_per_receipt=round(cpu_seconds * 1000 / max(measure, 1), 3),
        own_place_p50_ms=round(percentile(own_ms, 50), 3),
        own_place_p99_ms=round(percentile(own_ms, 99), 3),
        top100_p50_ms=round(percentile(top_ms, 50), 3),
        top100_p99_ms=round(percentile(top_ms, 99), 3),
        rerank_s=round(rerank_s, 3),
        rerank_leaders=[old_leader, new_leader],
        finalise_s=round(finalise_s, 2),
        finalise_rows=seal.rows,
        finalise_sha256=seal.sha256,
        finalise_peak_rss_mb=finalise_rss,
        **{key: round(value, 1) for key, value in steps.items()},
        elapsed_s=round(seconds, 2),
    )
    data_out["peak_rss_mb"] = max(peak_before, finalise_rss)
    return data_out
