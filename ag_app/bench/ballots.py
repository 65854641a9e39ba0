"""``ag-app bench ballots``: complete ballots through the service layer vs a plain batched INSERT.

Setup: ``n`` residents and one published city poll of three questions (single choice with an
exclusive option, multiple choice with «Свой вариант», single choice). Measured: ``n`` ballots
completed one after another through :func:`ag_app.services.ballots.complete_ballot`, each in its
own transaction (lock, eligibility, validation, ballot + answers, points credit, counter). The
floor inserts the same ballot, answer and ledger rows into a second empty copy with batched
``executemany`` — what the database itself needs to store them.

Intermediate results are not counted per ballot (``with_results=False``: a GROUP BY over all
ballots per ballot would make the run quadratic); the time to count the results of all ``n``
ballots once is reported as ``results_ms``. ``--workers N`` completes ballots from N processes at
once (each ballot still one transaction), as N backend workers would. On PostgreSQL the writes of a
ballot are one statement. Extra keys: ``statements_per_ballot`` (SQL statements sent per completed
ballot, BEGIN and COMMIT aside), ``workers``, ``setup_s``, ``elapsed_s``.
"""

import logging
import multiprocessing
import random
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, event, insert
from sqlmodel import Session, select

from ag_app.bench.common import dialect_of, result, scratch_database
from ag_app.db import HotStatement, make_engine, transaction
from ag_app.domain.polls import AnswerInput
from ag_app.domain.receipts import receipt_code
from ag_app.models import Ballot, BallotAnswer, PointEntry, User, UserRole
from ag_app.services import ballots, polls
from ag_app.services.polls import OptionInput, PollInput, QuestionInput
from ag_app.settings import get_settings

log = logging.getLogger(__name__)

# Users inserted per executemany call while generating data.
BATCH = 5000
# Ballots per task handed to a worker process.
CHUNK = 200
POINTS = 20
TITLE = "Бенчмарк: благоустройство парка"


def _make_users(engine: Engine, n: int, now: datetime) -> tuple[int, list[int]]:
    """Insert a staff user and ``n`` residents (two thirds with Moscow numbers); returns their ids."""
    with transaction(engine) as session:
        staff = User(uid="benchstaff", phone="+79000000000", created_at=now, terms_accepted_at=now)
        session.add(staff)
        session.flush()
        session.add(UserRole(user_id=staff.id, role="staff"))
        for start in range(0, n, BATCH):
            rows = [
                {
                    "uid": f"bench{i:010d}",
                    "phone": f"+7916{i:07d}",
                    "phone_region": "other" if i % 3 == 0 else "moscow",
                    "created_at": now,
                    "terms_accepted_at": now,
                }
                for i in range(start, min(n, start + BATCH))
            ]
            session.exec(insert(User), params=rows)
        staff_id = staff.id
    with Session(engine) as session:
        ids = session.exec(select(User.id).where(User.id != staff_id).order_by(User.id)).all()
    return staff_id, list(ids)


def _make_poll(engine: Engine, staff_id: int, now: datetime) -> tuple[int, list[polls.QuestionView]]:
    data = PollInput(
        title=TITLE,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=30),
        points=POINTS,
        questions=[
            QuestionInput(
                text="Нужно ли благоустройство?",
                options=[
                    OptionInput("Да"),
                    OptionInput("Нет"),
                    OptionInput("Затрудняюсь ответить", is_exclusive=True),
                ],
            ),
            QuestionInput(
                text="Что добавить?",
                kind="multiple",
                max_choices=2,
                options=[
                    OptionInput("Каток"),
                    OptionInput("Площадку"),
                    OptionInput("Фонтан"),
                    OptionInput("Свой вариант", is_own_text=True),
                ],
            ),
            QuestionInput(text="Когда начинать?", options=[OptionInput("Весной"), OptionInput("Осенью")]),
        ],
    )
    with transaction(engine) as session:
        poll_id = polls.create_poll(session, actor_id=staff_id, data=data, now=now)
        polls.publish_poll(session, actor_id=staff_id, poll_id=poll_id, now=now)
        questions = polls.get_poll(session, actor_id=staff_id, poll_id=poll_id, now=now).questions
    return poll_id, questions


def _ballot(rng: random.Random, questions: list[polls.QuestionView]) -> list[AnswerInput]:
    """A random valid ballot for the bench poll."""
    q1, q2, q3 = questions
    second = rng.sample([o.id for o in q2.options[:4]], rng.randint(1, 2))
    own_id = q2.options[3].id
    return [
        AnswerInput(q1.id, [rng.choice(q1.options).id]),
        AnswerInput(q2.id, second, "Велодорожку" if own_id in second else ""),
        AnswerInput(q3.id, [rng.choice(q3.options).id]),
    ]


def _complete_chunk(
    engine: Engine, poll_id: int, jobs: list[tuple[int, list[AnswerInput]]], now: datetime
) -> tuple[list[float], int]:
    """Complete each (user, answers) job in its own transaction.

    Returns each ballot's latency in ms and the number of SQL statements sent (BEGIN/COMMIT aside).
    """
    statements = [0]

    def count(*_args: object) -> None:
        statements[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    hot_before = HotStatement.executions
    latencies = []
    for user_id, answers in jobs:
        t0 = time.perf_counter()
        with transaction(engine) as session:
            ballots.complete_ballot(
                session, actor_id=user_id, poll_id=poll_id, answers=answers, now=now, with_results=False
            )
        latencies.append((time.perf_counter() - t0) * 1000)
    event.remove(engine, "before_cursor_execute", count)
    return latencies, statements[0] + HotStatement.executions - hot_before


# The engine of a bench worker process, made once per process from the URL.
_worker_engine: Engine | None = None


def _start_worker(url: str) -> None:
    global _worker_engine
    _worker_engine = make_engine(url)


def _worker_ready() -> bool:
    with _worker_engine.connect():
        return True


def _worker_chunk(
    poll_id: int, jobs: list[tuple[int, list[AnswerInput]]], now: datetime
) -> tuple[list[float], int]:
    return _complete_chunk(_worker_engine, poll_id, jobs, now)


def _complete_all(
    engine: Engine, poll_id: int, jobs: list[tuple[int, list[AnswerInput]]], now: datetime, workers: int = 1
) -> tuple[float, list[float], int]:
    """Complete every job; returns the wall time, each ballot's latency in ms and the statements sent.

    With ``workers`` > 1 the jobs are shared out to that many processes, as the application's
    backend workers are processes; they are started and connected before the clock starts.
    """
    if workers <= 1:
        started = time.perf_counter()
        latencies, statements = _complete_chunk(engine, poll_id, jobs, now)
        return time.perf_counter() - started, latencies, statements
    url = engine.url.render_as_string(hide_password=False)
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(url,)) as pool:
        for ready in [pool.submit(_worker_ready) for _ in range(workers * 2)]:
            ready.result()
        chunks = [jobs[i : i + CHUNK] for i in range(0, len(jobs), CHUNK)]
        started = time.perf_counter()
        results = [pool.submit(_worker_chunk, poll_id, chunk, now) for chunk in chunks]
        outcomes = [done.result() for done in results]
        seconds = time.perf_counter() - started
    return seconds, [ms for latencies, _ in outcomes for ms in latencies], sum(n for _, n in outcomes)


def _floor(db_url: str | None, n: int, seed: int, now: datetime) -> float:
    """Insert the same ballots, answers and ledger rows with batched executemany into an empty copy.

    Returns the seconds the inserts took (one transaction per batch of ``BATCH`` ballots).
    """
    copy_url = None if db_url is None or dialect_of(db_url) == "sqlite" else db_url
    with scratch_database(copy_url, label="floor") as engine:
        staff_id, users = _make_users(engine, n, now)
        poll_id, questions = _make_poll(engine, staff_id, now)
        own_options = {o.id for q in questions for o in q.options if o.is_own_text}
        rng = random.Random(seed)
        secret = get_settings().require_secret().encode()
        batches = []
        for start in range(0, n, BATCH):
            ballot_rows, answer_rows, ledger_rows = [], [], []
            for ballot_id, user_id in enumerate(users[start : start + BATCH], start=start + 1):
                ballot_rows.append(
                    {
                        "id": ballot_id,
                        "poll_id": poll_id,
                        "user_id": user_id,
                        "completed_at": now,
                        "number_region": "other" if (ballot_id - 1) % 3 == 0 else "moscow",
                        "receipt": receipt_code(secret, poll_id, user_id),
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
                ledger_rows.append(
                    {
                        "user_id": user_id,
                        "amount": POINTS,
                        "reason": "poll",
                        "ref": f"poll:{poll_id}",
                        "description": f"Голосование «{TITLE}»",
                        "created_at": now,
                    }
                )
            batches.append((ballot_rows, answer_rows, ledger_rows))
        started = time.perf_counter()
        for ballot_rows, answer_rows, ledger_rows in batches:
            with transaction(engine) as session:
                connection = session.connection()
                connection.execute(insert(Ballot), ballot_rows)
                connection.execute(insert(BallotAnswer), answer_rows)
                connection.execute(insert(PointEntry), ledger_rows)
        return time.perf_counter() - started


def run(n: int, db_url: str | None = None, *, workers: int = 1, seed: int = 42) -> dict:
    """Run the bench for ``n`` ballots on a scratch database (``db_url`` names a SQLite file or PG server).

    ``workers`` > 1 completes ballots from that many processes at once (each ballot is still one
    transaction), as several backend workers would.
    """
    now = datetime.now(UTC).replace(microsecond=0)
    with scratch_database(db_url, label="ballots") as engine:
        setup_started = time.perf_counter()
        staff_id, users = _make_users(engine, n, now)
        poll_id, questions = _make_poll(engine, staff_id, now)
        rng = random.Random(seed)
        plans = [_ballot(rng, questions) for _ in users]
        setup_seconds = time.perf_counter() - setup_started
        log.info("Данные созданы за %.1f с; голосование %s, участников %s", setup_seconds, poll_id, n)

        seconds, latencies, statements = _complete_all(
            engine, poll_id, list(zip(users, plans, strict=True)), now, workers
        )

        with transaction(engine) as session:
            t0 = time.perf_counter()
            totals = polls.poll_results(session, actor_id=staff_id, poll_id=poll_id, now=now)
            results_ms = (time.perf_counter() - t0) * 1000
        if totals.ballots != n:
            raise RuntimeError(f"counted {totals.ballots} ballots instead of {n}")
        dialect = engine.dialect.name
    floor_seconds = _floor(db_url, n, seed, now)
    return result(
        name="ballots",
        n=n,
        seconds=seconds,
        latencies_ms=latencies,
        floor_seconds=floor_seconds,
        db=dialect,
        statements_per_ballot=round(statements / n, 2),
        results_ms=round(results_ms, 1),
        workers=workers,
        setup_s=round(setup_seconds, 1),
        elapsed_s=round(seconds, 2),
    )
