"""The background jobs: one list, each job in its own transactions and its own ``try``.

Every minute the app's lifespan task (:func:`run_jobs_periodically`, also ``ag-app jobs run``)
runs :data:`JOBS` in order. A job that raises is logged with its name and a scrubbed error (never
personal data) and recorded in ``JobRun``; the later jobs still run, and the failed one is tried
again at the next run. Several backend workers may run the loop at once: every job is idempotent
or claims its rows (``SKIP LOCKED``), and the status rows are written by an atomic upsert.
"""

import asyncio
import logging
import re
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError, StatementError
from sqlmodel import Session, select

from ag_app.db import get_engine, read_transaction, transaction
from ag_app.domain.clock import moscow_month, previous_month
from ag_app.domain.contest import period_label, period_of
from ag_app.domain.errors import DomainError
from ag_app.models import BadgeRun, JobRun
from ag_app.models.jobs import JOB_ERROR_LENGTH
from ag_app.services.access import Capability, require
from ag_app.services.award.payouts import expire_payouts
from ag_app.services.contest.contests import contests_of_period, ensure_general
from ag_app.services.house_polls.publishing import publish_finished_results
from ag_app.services.meetings.protocol import make_due_protocols
from ag_app.services.notifications import deliver_queued_emails
from ag_app.services.opendata.seal import seal_closed_polls
from ag_app.services.points import award_monthly_badges
from ag_app.services.promo.codes import issue_due_codes
from ag_app.services.promo.draws import annul_unactivated, due_draws
from ag_app.services.promo.votes import sync_poll_votes
from ag_app.services.shop import expire_reservations
from ag_app.services.tally import tally_job

log = logging.getLogger(__name__)

EMAIL_BATCH = 100

# The stop signal of the run in this thread (set when the loop is cancelled at shutdown).
_run_context = threading.local()


def stopping() -> bool:
    """Whether the run in this thread has been asked to stop (jobs with many batches check it
    between two batches, so a shutdown does not wait for a long backlog)."""
    stop = getattr(_run_context, "stop", None)
    return stop is not None and stop.is_set()


@dataclass(frozen=True)
class Job:
    """A background job: ``run(now, engine)`` does what is due and returns how many things it handled."""

    # Stable id: the ``JobRun`` key and what ``ag-app jobs status`` prints.
    name: str
    # What staff see, e.g. «Отправка писем».
    title: str
    # The count in the ``ag-app jobs run`` summary, e.g. «писем отправлено».
    done_label: str
    run: Callable[[datetime, Engine], int]


def _award_badges(now: datetime, engine: Engine) -> int:
    """At the start of a Moscow month, the previous month's badges (once: a month with a BadgeRun is done)."""
    month = previous_month(moscow_month(now))
    with transaction(engine) as session:
        if session.get(BadgeRun, month) is not None:
            return 0
        return award_monthly_badges(session, month=month, now=now)


def _send_emails(now: datetime, engine: Engine) -> int:
    """Queued e-mails through SMTP, in batches until a batch is not full."""
    sent = 0
    while True:
        batch = deliver_queued_emails(now=now, engine=engine, limit=EMAIL_BATCH)
        sent += batch
        if batch < EMAIL_BATCH or stopping():
            return sent


def _seal_open_data(now: datetime, engine: Engine) -> int:
    return seal_closed_polls(engine, now)


def _tally_ballots(now: datetime, engine: Engine) -> int:
    return tally_job(engine)


def _publish_house_polls(now: datetime, engine: Engine) -> int:
    with transaction(engine) as session:
        return publish_finished_results(session, now=now)


def _make_protocols(now: datetime, engine: Engine) -> int:
    return make_due_protocols(engine, now=now)


def _expire_orders(now: datetime, engine: Engine) -> int:
    return expire_reservations(now=now, engine=engine)


def _open_contest_month(now: datetime, engine: Engine) -> int:
    """The Moscow month's general receipt contest exists from its first minute (1 when made now)."""
    year, month = period_of(now)
    with read_transaction(engine) as session:
        if contests_of_period(session, period_label(year, month)):
            return 0
    with transaction(engine) as session:
        ensure_general(session, year, month, now)
    return 1


def _promo_codes(now: datetime, engine: Engine) -> int:
    return issue_due_codes(engine, now=now, stop=stopping)


def _promo_poll_votes(now: datetime, engine: Engine) -> int:
    return sync_poll_votes(engine, now=now)


def _promo_draws(now: datetime, engine: Engine) -> int:
    return due_draws(engine, now=now, stop=stopping)


def _promo_annul(now: datetime, engine: Engine) -> int:
    return annul_unactivated(engine, now=now)


# The award contest: payouts whose data did not come in 30 days are not paid («Положение» 4.5).
def _award_payouts(now: datetime, engine: Engine) -> int:
    return expire_payouts(engine, now=now)


# Every background job, in the order of a run.
JOBS: tuple[Job, ...] = (
    Job("badges", "Знаки активности за прошедший месяц", "знаков активности вручено", _award_badges),
    Job("emails", "Отправка писем", "писем отправлено", _send_emails),
    Job(
        "opendata_seals",
        "Опечатывание открытых данных завершённых голосований",
        "голосований опечатано",
        _seal_open_data,
    ),
    Job("tally", "Учёт бюллетеней в статистике", "бюллетеней учтено в статистике", _tally_ballots),
    Job(
        "house_poll_results",
        "Публикация итогов опросов «Электронного дома»",
        "итогов опросов «Электронного дома» опубликовано",
        _publish_house_polls,
    ),
    Job(
        "meeting_protocols",
        "Протоколы собраний собственников",
        "протоколов собраний собственников составлено",
        _make_protocols,
    ),
    Job(
        "shop_expiry",
        "Аннулирование невыкупленных заказов магазина",
        "просроченных заказов аннулировано",
        _expire_orders,
    ),
    Job(
        "contest_month",
        "Общий конкурс чеков нового месяца",
        "конкурсов чеков открыто",
        _open_contest_month,
    ),
    Job("promo_codes", "Рассылка кодов участников акции", "кодов акции отправлено", _promo_codes),
    Job(
        "promo_votes",
        "Факты голосования для акции из голосований платформы",
        "фактов голосования учтено",
        _promo_poll_votes,
    ),
    Job("promo_draws", "Розыгрыши призов акции", "розыгрышей проведено", _promo_draws),
    Job(
        "promo_annul",
        "Аннулирование неактивированных выигрышных кодов",
        "выигрышных кодов аннулировано",
        _promo_annul,
    ),
    Job(
        "award_payouts",
        "Премия: выплаты без данных после срока — «не выплачивается»",
        "выплат премии отмечено «не выплачивается»",
        _award_payouts,
    ),
)


@dataclass(frozen=True)
class JobOutcome:
    """What one job did in one run: a count, or the (scrubbed) error that stopped it."""

    name: str
    title: str
    done_label: str
    done: int
    # Empty when the job succeeded.
    error: str

    @property
    def ok(self) -> bool:
        return not self.error


@dataclass(frozen=True)
class JobsReport:
    """What one run of the jobs did, job by job in :data:`JOBS` order."""

    outcomes: tuple[JobOutcome, ...]

    def done(self, name: str) -> int:
        """How many things job ``name`` handled in this run (0 if it failed)."""
        return next(o.done for o in self.outcomes if o.name == name)

    @property
    def failed(self) -> list[JobOutcome]:
        return [o for o in self.outcomes if not o.ok]


# ---------------------------------------------------------------------------------------------
# Errors without personal data

_EMAIL = re.compile(r"[^\s@'\"<>(),;]+@[^\s@'\"<>(),;]+")
# Phone numbers, passports, SNILS, card numbers: runs of five or more digits, separators allowed.
_LONG_NUMBER = re.compile(r"\+?\d(?:[\s\-()]?\d){4,}")
# Quoted values other than plain ASCII identifiers (constraint, table and column names stay).
_QUOTED = re.compile(r"'(?![A-Za-z0-9_.]*')[^']*'|\"(?![A-Za-z0-9_.]*\")[^\"]*\"")
_HIDDEN = "…"


def describe_error(exc: BaseException) -> str:
    """``Type: first line of the message`` shortened to fit ``JobRun.last_error``.

    The rule: no personal data. A database error gives only the driver's first line (never the SQL
    or its parameters), a domain error its message key; e-mail addresses, numbers of five or more
    digits and quoted values other than identifiers are replaced by «…».
    """
    name = type(exc).__name__
    if isinstance(exc, DomainError):
        text = exc.key
    elif isinstance(exc, StatementError) and exc.orig is not None:
        name = f"{name} ({type(exc.orig).__name__})"
        text = str(exc.orig)
    else:
        text = str(exc)
    text = text.strip().splitlines()[0] if text.strip() else ""
    text = _QUOTED.sub(_HIDDEN, _LONG_NUMBER.sub(_HIDDEN, _EMAIL.sub(_HIDDEN, text)))
    summary = f"{name}: {text}" if text else name
    if len(summary) > JOB_ERROR_LENGTH:
        summary = summary[: JOB_ERROR_LENGTH - 1] + _HIDDEN
    return summary


def _frames(exc: BaseException) -> str:
    """Where it failed: file, line and code of each frame, without the message (values stay out)."""
    return "".join(traceback.format_tb(exc.__traceback__)).rstrip()


# ---------------------------------------------------------------------------------------------
# Status rows


def _upsert(engine: Engine, name: str, values: dict[str, Any], counters: dict[str, int]) -> None:
    """Create or update the job's row in one statement (``INSERT … ON CONFLICT DO UPDATE``), so
    workers recording the same job at once neither fail nor lose a counter increment."""
    table = JobRun.__table__
    insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
    row = {"name": name, "last_done": 0, "last_error": "", "runs": 0, "failures": 0, **values, **counters}
    statement = insert(table).values(**row)
    changes = {**values, **{column: table.c[column] + step for column, step in counters.items()}}
    statement = statement.on_conflict_do_update(index_elements=[table.c.name], set_=changes)
    with transaction(engine) as session:
        session.execute(statement)


def _record(engine: Engine, name: str, values: dict[str, Any], counters: dict[str, int]) -> None:
    """Write a status row; a database that refuses is logged, never allowed to stop the jobs."""
    try:
        _upsert(engine, name, values, counters)
    except SQLAlchemyError as exc:
        log.error("Could not record the status of background job %s: %s", name, describe_error(exc))


def run_job(job: Job, now: datetime, engine: Engine) -> JobOutcome:
    """Run one job in its own ``try`` and record its start and its success or error."""
    clock = time.monotonic()
    _record(engine, job.name, {"last_started_at": now}, {})
    try:
        done = int(job.run(now, engine) or 0)
    except Exception as exc:  # any failure of one job must leave the others running
        error = describe_error(exc)
        log.error("Background job %s failed: %s\n%s", job.name, error, _frames(exc))
        finished = now + timedelta(seconds=time.monotonic() - clock)
        _record(
            engine,
            job.name,
            {"last_finished_at": finished, "last_error_at": finished, "last_error": error},
            {"runs": 1, "failures": 1},
        )
        return JobOutcome(job.name, job.title, job.done_label, 0, error)
    finished = now + timedelta(seconds=time.monotonic() - clock)
    _record(
        engine,
        job.name,
        {"last_finished_at": finished, "last_success_at": finished, "last_done": done},
        {"runs": 1},
    )
    return JobOutcome(job.name, job.title, job.done_label, done, "")


def run_jobs(
    now: datetime,
    *,
    engine: Engine | None = None,
    jobs: Sequence[Job] = JOBS,
    stop: threading.Event | None = None,
) -> JobsReport:
    """Run every job once, in order, each on its own; ``stop`` (set at shutdown) ends the run
    between two jobs."""
    engine = engine or get_engine()
    outcomes = []
    _run_context.stop = stop
    try:
        for job in jobs:
            if stopping():
                break
            outcomes.append(run_job(job, now, engine))
    finally:
        _run_context.stop = None
    return JobsReport(tuple(outcomes))


async def run_jobs_periodically(
    interval: float = 60.0, *, engine: Engine | None = None, jobs: Sequence[Job] = JOBS
) -> None:
    """Run the jobs every ``interval`` seconds until cancelled (a lifespan task of the web app).

    Each run happens in a worker thread so the event loop stays free. The loop survives every
    exception; only cancellation ends it, at once: the thread then stops after its current job
    (the e-mail job after its current batch, see :func:`stopping`).
    """
    stop = threading.Event()
    try:
        while True:
            try:
                await asyncio.to_thread(run_jobs, datetime.now(UTC), engine=engine, jobs=jobs, stop=stop)
            except Exception as exc:  # the loop must outlive any failure
                log.error("Background jobs run failed: %s\n%s", describe_error(exc), _frames(exc))
            await asyncio.sleep(interval)
    finally:
        stop.set()


# ---------------------------------------------------------------------------------------------
# Status for the CLI and the staff page


@dataclass(frozen=True)
class JobStatus:
    """A job's last start, success and error as recorded (None: never)."""

    name: str
    title: str
    last_started_at: datetime | None
    last_success_at: datetime | None
    last_done: int
    last_error_at: datetime | None
    last_error: str
    runs: int
    failures: int

    @property
    def failing(self) -> bool:
        """The latest finished run failed."""
        return self.last_error_at is not None and (
            self.last_success_at is None or self.last_error_at >= self.last_success_at
        )


def job_statuses(session: Session) -> list[JobStatus]:
    """Every job of :data:`JOBS` with its recorded status (a job that never ran has no times)."""
    rows = {row.name: row for row in session.exec(select(JobRun)).all()}
    statuses = []
    for job in JOBS:
        row = rows.get(job.name) or JobRun(name=job.name)
        statuses.append(
            JobStatus(
                name=job.name,
                title=job.title,
                last_started_at=row.last_started_at,
                last_success_at=row.last_success_at,
                last_done=row.last_done,
                last_error_at=row.last_error_at,
                last_error=row.last_error,
                runs=row.runs,
                failures=row.failures,
            )
        )
    return statuses


def staff_job_statuses(session: Session, *, actor_id: int | None) -> list[JobStatus]:
    """The job statuses for staff and administrators only (the «Фоновые задачи» page)."""
    require(session, actor_id, Capability.JOBS)
    return job_statuses(session)
