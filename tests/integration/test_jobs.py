"""Background jobs run each on its own: a failing job is recorded with its (scrubbed) error while the
later jobs still run; it is tried again at the next run; the loop outlives every exception and
stops at once when cancelled; ``ag-app jobs status`` and the staff page show both the last success
and the last error; only staff see the page."""

import asyncio
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from ag_app import cli, db
from ag_app.db import transaction
from ag_app.models import Ballot, JobRun
from ag_app.services import ballots, jobs
from ag_app.services.jobs import Job, describe_error, job_statuses, run_job, run_jobs, run_jobs_periodically
from ag_app.state.staff_jobs import StaffJobsState
from tests.factories import make_geo, make_user
from tests.integration.poll_helpers import first_options, make_poll, question_ids
from tests.integration.tabs import browser_tab

# What a broken PDF library might say: an e-mail address and a phone number must never be stored.
LEAKY = "cannot embed font for ivan.petrov@example.ru, call +7 916 123-45-67 or 'Иванов Иван'"


def _voted_poll(engine, session, now, voters: int) -> int:
    """A published city poll with ``voters`` completed ballots, not yet tallied."""
    geo = make_geo(session)
    staff = make_user(session, roles=("staff",))
    poll_id = make_poll(engine, staff.id, now)
    answers = first_options(question_ids(engine, staff.id, poll_id, now))
    for _ in range(voters):
        voter = make_user(session, house_id=geo["house:Арбат"])
        with transaction(engine) as s:
            ballots.complete_ballot(s, actor_id=voter.id, poll_id=poll_id, answers=answers, now=now)
    return poll_id


def _untallied(engine) -> int:
    with Session(engine) as s:
        return len(s.exec(select(Ballot.id).where(Ballot.tallied == False)).all())  # noqa: E712


def _statuses(engine) -> dict[str, jobs.JobStatus]:
    with Session(engine) as s:
        return {status.name: status for status in job_statuses(s)}


def _broken_badges(*args, **kwargs):
    raise ValueError(LEAKY)


def test_a_failing_job_is_recorded_and_the_later_jobs_still_run(engine, session, now, monkeypatch, caplog):
    _voted_poll(engine, session, now, 3)
    monkeypatch.setattr(jobs, "award_monthly_badges", _broken_badges)
    # The first of the month: the badges job (first in the list) has work to do and fails.
    first_of_month = now.replace(day=1)

    report = run_jobs(first_of_month, engine=engine)

    assert [o.name for o in report.failed] == ["badges"]
    assert report.done("tally") == 3 and _untallied(engine) == 0
    assert [o.name for o in report.outcomes] == [job.name for job in jobs.JOBS]
    status = _statuses(engine)
    badges = status["badges"]
    assert badges.failing and badges.last_success_at is None and badges.last_error_at is not None
    assert badges.last_error == "ValueError: cannot embed font for …, call … or …"
    assert (badges.runs, badges.failures) == (1, 1)
    tally = status["tally"]
    assert not tally.failing and tally.last_success_at is not None and tally.last_done == 3
    assert all(status[name].last_success_at is not None for name in status if name != "badges")
    # The log names the job and where it failed, without the personal data of the message.
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Background job badges failed: ValueError" in logged and "_award_badges" in logged
    assert "example.ru" not in logged and "123-45-67" not in logged and "Иванов" not in logged

    # Next minute the library works again: the job is retried and succeeds; the old error stays visible.
    monkeypatch.undo()
    again = run_jobs(first_of_month + timedelta(minutes=1), engine=engine)
    assert again.failed == []
    badges = _statuses(engine)["badges"]
    assert not badges.failing
    assert badges.last_success_at > badges.last_error_at
    assert badges.last_error.startswith("ValueError: cannot embed font")
    assert (badges.runs, badges.failures) == (2, 1)


def test_status_command_and_run_command_show_the_failure(engine, session, now, monkeypatch):
    monkeypatch.setattr(db, "get_engine", lambda: engine)
    monkeypatch.setattr(jobs, "get_engine", lambda: engine)
    monkeypatch.setattr(jobs, "award_monthly_badges", _broken_badges)
    _voted_poll(engine, session, now, 2)
    runner = CliRunner()

    never = runner.invoke(cli.app, ["jobs", "status"])
    assert never.exit_code == 0
    assert "Отправка писем (emails): не запускалась" in never.output

    ran = runner.invoke(cli.app, ["jobs", "run"])
    assert ran.exit_code == 1
    assert "бюллетеней учтено в статистике: 2" in ran.output
    assert "Задача «Знаки активности за прошедший месяц» (badges) не выполнена: ValueError" in ran.output

    table = runner.invoke(cli.app, ["jobs", "status"])
    assert table.exit_code == 1
    assert "Знаки активности за прошедший месяц (badges): ОШИБКА" in table.output
    assert "Учёт бюллетеней в статистике (tally): работает" in table.output
    assert "ValueError: cannot embed font for …" in table.output

    as_json = runner.invoke(cli.app, ["jobs", "status", "--json"])
    rows = {row["name"]: row for row in json.loads(as_json.stdout)}
    assert rows["badges"]["failing"] and rows["badges"]["last_success_at"] is None
    assert rows["badges"]["last_error"].startswith("ValueError: cannot embed font")
    assert rows["tally"]["last_done"] == 2 and rows["tally"]["last_error_at"] is None
    assert rows["tally"]["last_success_at"].endswith("+00:00")

    monkeypatch.undo()
    monkeypatch.setattr(db, "get_engine", lambda: engine)
    monkeypatch.setattr(jobs, "get_engine", lambda: engine)
    assert runner.invoke(cli.app, ["jobs", "run"]).exit_code == 0
    assert runner.invoke(cli.app, ["jobs", "status"]).exit_code == 0


def test_the_loop_survives_exceptions_and_retries_every_interval(engine):
    calls = {"flaky": 0, "steady": 0, "runs": 0}
    enough = threading.Event()

    def flaky(now, engine) -> int:
        calls["flaky"] += 1
        if calls["flaky"] <= 2:
            raise ValueError("protocol PDF failed")
        return 1

    def steady(now, engine) -> int:
        calls["steady"] += 1
        if calls["steady"] >= 4:
            enough.set()
        return 0

    probe = [Job("probe_flaky", "Проба", "сделано", flaky), Job("probe_steady", "Проба", "сделано", steady)]
    real_run_jobs = jobs.run_jobs

    def sometimes_broken(*args, **kwargs):
        # The whole run blows up once (e.g. the database is unreachable): the loop must go on.
        calls["runs"] += 1
        if calls["runs"] == 2:
            raise RuntimeError("run failed")
        return real_run_jobs(*args, **kwargs)

    async def run_for_a_while() -> asyncio.Task:
        task = asyncio.create_task(run_jobs_periodically(0.01, engine=engine, jobs=probe))
        for _ in range(500):
            await asyncio.sleep(0.01)
            if enough.is_set():
                break
        alive = not task.done()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(task, timeout=1)
        assert alive
        return task

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(jobs, "run_jobs", sometimes_broken)
        task = asyncio.run(run_for_a_while())

    assert task.cancelled()
    assert calls["steady"] >= 4 and calls["flaky"] >= 4 and calls["runs"] >= 5
    with Session(engine) as s:
        flaky_row = s.get(JobRun, "probe_flaky")
        steady_row = s.get(JobRun, "probe_steady")
    assert flaky_row.failures == 2 and flaky_row.runs == calls["flaky"]
    assert flaky_row.last_success_at >= flaky_row.last_error_at
    assert steady_row.failures == 0 and steady_row.runs == calls["steady"]


def test_a_cancelled_loop_stops_its_thread_after_the_current_job(engine):
    started = threading.Event()
    ran: list[str] = []

    def batches(now, engine) -> int:
        # A job with a long backlog: it checks the stop signal between two batches.
        started.set()
        for batch in range(500):
            if jobs.stopping():
                ran.append(f"stopped after {batch} batches")
                return batch
            time.sleep(0.01)
        ran.append("ran to the end")
        return 500

    def later(now, engine) -> int:
        ran.append("later")
        return 0

    probe = [Job("probe_batches", "Проба", "сделано", batches), Job("probe_later", "Проба", "сделано", later)]

    async def cancel_mid_run() -> None:
        task = asyncio.create_task(run_jobs_periodically(60, engine=engine, jobs=probe))
        while not started.is_set():
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(task, timeout=1)  # the task ends at once, not after the job

    clock = time.monotonic()
    asyncio.run(cancel_mid_run())  # also waits for the worker thread to finish
    assert time.monotonic() - clock < 3
    assert len(ran) == 1 and ran[0].startswith("stopped after")
    with Session(engine) as s:
        assert s.get(JobRun, "probe_batches").runs == 1
        assert s.get(JobRun, "probe_later") is None


def test_concurrent_status_writes_lose_no_run(engine, now):
    """Workers running the loop at once upsert the same status row: no error, no lost increment."""
    fails = Job("probe_fails", "Проба", "сделано", _broken_badges)
    works = Job("probe_works", "Проба", "сделано", lambda now, engine: 1)
    barrier = threading.Barrier(4)

    def worker(n: int) -> list[bool]:
        barrier.wait()
        return [run_job(fails if (n + i) % 2 else works, now, engine).ok for i in range(10)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = [ok for oks in pool.map(worker, range(4)) for ok in oks]

    with Session(engine) as s:
        failed, worked = s.get(JobRun, "probe_fails"), s.get(JobRun, "probe_works")
    assert results.count(True) == worked.runs == 20 and worked.failures == 0 and worked.last_done == 1
    assert results.count(False) == failed.runs == failed.failures == 20


def test_errors_are_described_without_personal_data():
    assert describe_error(ValueError(LEAKY)) == "ValueError: cannot embed font for …, call … or …"
    assert describe_error(KeyError("snils 112-233-445 95")) == "KeyError: …"
    assert describe_error(RuntimeError()) == "RuntimeError"
    described = describe_error(
        OSError(
            'duplicate key value violates unique constraint "uq_badge"\nDETAIL: Key (phone)=(+79161234567)'
        )
    )
    assert described == 'OSError: duplicate key value violates unique constraint "uq_badge"'
    assert len(describe_error(ValueError("x" * 1000))) == 300


@pytest.mark.parametrize("who", ["resident", "guest"])
def test_the_staff_page_refuses_non_staff(app_engine, session, now, who):
    resident = make_user(session)
    run_jobs(now, engine=app_engine)
    page = browser_tab(session, resident.id if who == "resident" else None).substates[
        StaffJobsState.get_name()
    ]
    asyncio.run(StaffJobsState.load.fn(page))
    assert page.loaded and not page.allowed and page.rows == []
    asyncio.run(StaffJobsState.refresh.fn(page))
    assert not page.allowed and page.rows == []


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_the_staff_page_lists_last_success_and_last_error(app_engine, session, now, monkeypatch, role):
    monkeypatch.setattr(jobs, "award_monthly_badges", _broken_badges)
    run_jobs(now.replace(day=1), engine=app_engine)
    user = make_user(session, roles=(role,))
    page = browser_tab(session, user.id).substates[StaffJobsState.get_name()]

    asyncio.run(StaffJobsState.load.fn(page))

    assert page.allowed and page.failing == 1
    rows = {row[0]: row for row in page.rows}
    assert list(rows) == [job.title for job in jobs.JOBS]
    badges = rows["Знаки активности за прошедший месяц"]
    # 1 November 2026, 12:00 Moscow time (09:00 UTC).
    assert badges[1:6] == ["Ошибка", "—", "—", "1 ноября 2026, 12:00", badges[5]]
    assert badges[5] == "ValueError: cannot embed font for …, call … or …"
    emails = rows["Отправка писем"]
    assert emails[1:6] == ["Работает", "1 ноября 2026, 12:00", "0", "—", "—"]
    assert emails[6] == "1 / 0"
