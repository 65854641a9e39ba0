"""Faults of the running app, started as the README says (``ag-app serve``), under ballot load through
the REST API: a backend worker killed with SIGKILL is replaced while the app keeps serving, SIGTERM
stops everything within 10 s, and every ballot the API acknowledged (201) is in the database with
its points credit, while no ballot was half written."""

import contextlib
import http.client
import json
import logging
import os
import signal
import sqlite3
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import DateTime, bindparam, create_engine, text

from tests.e2e.conftest import (
    RunningApp,
    backend_workers,
    fresh_pg_database,
    start_app,
    stop_app,
    terminate_app,
)

log = logging.getLogger(__name__)
STAFF_PHONE = "+79990000001"
STOP_LIMIT_S = 10.0
# The SQLite test starts an app of its own: it runs after the tests of the session's app (conftest).
STARTS_OWN_APP = True


@dataclass(frozen=True)
class Voter:
    user_id: int
    phone: str
    token: str


@dataclass
class BallotLoad:
    """Residents completing ballots through ``POST /api/v1/polls/{id}/ballot`` from several threads.

    Each thread takes the next (voter, poll) pair, sends the ballot and pauses ``pace`` seconds (a
    resident reading the next poll). A 201 answer is an acknowledged ballot; a connection broken by a
    dying worker is retried, so the retry may answer 409 when the first attempt was committed.
    """

    app: RunningApp
    items: list[tuple[Voter, int, dict]]
    threads: int = 6
    pace: float = 0.3
    acknowledged: list[tuple[int, int, int, int]] = field(default_factory=list)
    outcomes: Counter = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stop: threading.Event = field(default_factory=threading.Event)
    _next: int = 0
    _workers: list[threading.Thread] = field(default_factory=list)

    def start(self) -> None:
        self._workers = [threading.Thread(target=self._run, daemon=True) for _ in range(self.threads)]
        for worker in self._workers:
            worker.start()

    def stop(self) -> None:
        self._stop.set()
        for worker in self._workers:
            worker.join(timeout=40)

    @property
    def remaining(self) -> int:
        with self._lock:
            return len(self.items) - self._next

    def wait_for(self, count: int, timeout: float) -> None:
        """Wait until ``count`` ballots were acknowledged."""
        deadline = time.monotonic() + timeout
        while len(self.acknowledged) < count:
            assert time.monotonic() < deadline, f"only {len(self.acknowledged)} ballots: {self.outcomes}"
            time.sleep(0.1)

    def _take(self) -> tuple[Voter, int, dict] | None:
        with self._lock:
            if self._next >= len(self.items):
                return None
            self._next += 1
            return self.items[self._next - 1]

    def _run(self) -> None:
        address = urlsplit(self.app.url)
        conn = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
        while not self._stop.is_set() and (item := self._take()) is not None:
            voter, poll_id, body = item
            for _attempt in range(20):
                if self._stop.is_set():
                    break
                try:
                    conn.request(
                        "POST",
                        f"/api/v1/polls/{poll_id}/ballot",
                        body=json.dumps(body),
                        headers={
                            "Content-Type": "application/json",
                            "Authorization": f"Bearer {voter.token}",
                        },
                    )
                    response = conn.getresponse()
                    raw = response.read()
                except (OSError, http.client.HTTPException) as exc:
                    with self._lock:
                        self.outcomes[type(exc).__name__] += 1
                    conn.close()
                    conn = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
                    time.sleep(0.2)
                    continue
                with self._lock:
                    self.outcomes[response.status] += 1
                    if response.status == 201:
                        outcome = json.loads(raw)
                        self.acknowledged.append(
                            (voter.user_id, poll_id, outcome["ballot_id"], outcome["points_credited"])
                        )
                break
            time.sleep(self.pace)
        conn.close()


def _log_in(app: RunningApp, phone: str) -> str:
    app.api("/auth/code", method="POST", body={"phone": phone})
    answer = app.api("/auth/session", method="POST", body={"phone": phone, "code": app.sms_code(phone)})
    return answer["token"]


def _ballot(poll: dict) -> dict:
    """Answers to every question: the first ordinary option (neither «Свой вариант» nor exclusive)."""
    answers = []
    for question in poll["questions"]:
        plain = [o for o in question["options"] if not o["is_own_text"] and not o["is_exclusive"]]
        answers.append(
            {"question_id": question["id"], "option_ids": [(plain or question["options"])[0]["id"]]}
        )
    return {"answers": answers}


def _new_polls(app: RunningApp, count: int) -> None:
    """Staff create and publish ``count`` city polls open now, 3 questions and 10 points each."""
    token = _log_in(app, STAFF_PHONE)
    now = datetime.now(UTC)
    for number in range(1, count + 1):
        body = {
            "title": f"Нагрузочное голосование № {number}",
            "starts_at": (now - timedelta(hours=1)).isoformat(),
            "ends_at": (now + timedelta(days=2)).isoformat(),
            "points": 10,
            "questions": [
                {
                    "text": f"Вопрос {q}",
                    "kind": "single",
                    "options": [{"text": "Да"}, {"text": "Нет"}, {"text": "Не знаю"}],
                }
                for q in range(1, 4)
            ],
        }
        poll_id = app.api("/staff/polls", method="POST", body=body, token=token)["id"]
        app.api(f"/staff/polls/{poll_id}/publish", method="POST", token=token)


def _voters(app: RunningApp, count: int) -> list[Voter]:
    """``count`` seeded residents without staff roles, logged in with codes from the demo outbox."""
    engine = create_engine(app.env["AG_DATABASE_URL"])
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT u.id, u.phone FROM \"user\" u WHERE u.phone_region = 'moscow' "
                "AND NOT EXISTS (SELECT 1 FROM userrole r WHERE r.user_id = u.id) "
                "AND EXISTS (SELECT 1 FROM useraddress a WHERE a.user_id = u.id) ORDER BY u.id LIMIT :n"
            ),
            {"n": count},
        ).all()
    engine.dispose()
    assert len(rows) == count
    return [Voter(user_id, phone, _log_in(app, phone)) for user_id, phone in rows]


def _ballot_load(app: RunningApp, *, voters: int, new_polls: int, threads: int, pace: float) -> BallotLoad:
    _new_polls(app, new_polls)
    people = _voters(app, voters)
    polls = [app.api(f"/polls/{p['id']}") for p in app.api("/polls?status=active")]
    items = [(voter, poll["id"], _ballot(poll)) for poll in polls for voter in people]
    return BallotLoad(app, items, threads=threads, pace=pace)


def _check_database(database_url: str, load: BallotLoad, since: datetime) -> None:
    """Every acknowledged ballot is stored with its points credit; no ballot lacks its answers or
    its credit (a transaction cut by a kill left nothing behind)."""
    engine = create_engine(database_url)
    with engine.connect() as conn:
        stored = {
            ballot_id: (poll_id, user_id)
            for ballot_id, poll_id, user_id in conn.execute(text("SELECT id, poll_id, user_id FROM ballot"))
        }
        credits = {
            (user_id, ref): amount
            for user_id, ref, amount in conn.execute(
                text("SELECT user_id, ref, amount FROM pointentry WHERE reason = 'poll'")
            )
        }
        recent = conn.execute(
            text(
                "SELECT b.id, b.user_id, b.poll_id, p.points, "
                "(SELECT count(*) FROM ballotanswer a WHERE a.ballot_id = b.id) "
                "FROM ballot b JOIN poll p ON p.id = b.poll_id WHERE b.completed_at >= :since"
            ).bindparams(bindparam("since", type_=DateTime(timezone=True))),
            {"since": since},
        ).all()
    engine.dispose()
    missing = [a for a in load.acknowledged if stored.get(a[2]) != (a[1], a[0])]
    assert not missing, f"{len(missing)} of {len(load.acknowledged)} acknowledged ballots are not stored"
    uncredited = [a for a in load.acknowledged if a[3] and credits.get((a[0], f"poll:{a[1]}")) != a[3]]
    assert not uncredited, f"{len(uncredited)} acknowledged ballots lack their points credit"
    assert len(recent) >= len(load.acknowledged)
    half_written = [r for r in recent if r[4] == 0 or (r[3] and (r[1], f"poll:{r[2]}") not in credits)]
    assert not half_written, f"ballots without answers or credit: {half_written[:5]}"


@pytest.fixture(scope="module")
def cluster_app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("worker_faults")
    running = start_app(
        tmp,
        database_url=fresh_pg_database("ag_e2e_worker_faults"),
        workers=2,
        redis_url=os.environ["AG_TEST_REDIS_URL"],
        seed=("--residents", "300", "--ballots", "0"),
    )
    yield running
    stop_app(running.process)


@pytest.mark.cluster
def test_a_killed_worker_is_replaced_and_no_acknowledged_ballot_is_lost(cluster_app):
    app = cluster_app
    workers = backend_workers(app.process)
    assert len(workers) == 2, "the app is not running two backend workers"
    load = _ballot_load(app, voters=16, new_polls=20, threads=6, pace=0.3)
    assert len(load.items) >= 300
    since = datetime.now(UTC) - timedelta(seconds=5)
    load.start()
    try:
        load.wait_for(40, timeout=120)
        victim = workers[0]
        os.kill(victim, signal.SIGKILL)
        killed_at = time.monotonic()
        before_kill = len(load.acknowledged)

        # granian forks a new worker in the dead one's place; ballots keep being acknowledged.
        deadline = time.monotonic() + 30
        while True:
            current = backend_workers(app.process)
            if len(current) == 2 and victim not in current:
                respawn_s = time.monotonic() - killed_at
                break
            assert time.monotonic() < deadline, f"no new worker: {current} ({app.log.read_text()[-2000:]})"
            time.sleep(0.2)
        load.wait_for(before_kill + 60, timeout=90)
        for _ in range(10):
            assert app.api("/stats/summary")["citizens"] > 0
        assert load.remaining > 0, "the load ended before SIGTERM: nothing was in flight"

        seconds = terminate_app(app.process)
    finally:
        load.stop()
    log.info(
        "worker kill: %s",
        json.dumps(
            {
                "ballots_acknowledged": len(load.acknowledged),
                "before_kill": before_kill,
                "respawn_s": round(respawn_s, 2),
                "stop_s": round(seconds, 2),
                "left_unsent": load.remaining,
                "outcomes": {str(k): v for k, v in load.outcomes.items()},
            }
        ),
    )
    assert seconds <= STOP_LIMIT_S, f"the app needed {seconds:.1f} s to stop after SIGTERM"
    _check_database(app.env["AG_DATABASE_URL"], load, since)
    assert load.outcomes[201] == len(load.acknowledged)
    assert not [status for status in load.outcomes if isinstance(status, int) and status >= 500], (
        load.outcomes
    )


def test_sigterm_stops_a_sqlite_app_within_10_s_while_writers_wait(tmp_path):
    """One worker on SQLite: ballots wait for the write lock (held by a long transaction of another
    process) when SIGTERM arrives; the app is gone within 10 s and what it acknowledged is stored."""
    database = tmp_path / "faults.db"
    app = start_app(
        tmp_path, database_url=f"sqlite:///{database}", seed=("--residents", "300", "--ballots", "0")
    )
    try:
        load = _ballot_load(app, voters=6, new_polls=6, threads=4, pace=0.1)
        since = datetime.now(UTC) - timedelta(seconds=5)
        load.start()
        holder = sqlite3.connect(database, isolation_level=None, timeout=30)
        try:
            load.wait_for(10, timeout=60)
            holder.execute("BEGIN IMMEDIATE")
            time.sleep(2)  # the writers now sit in SQLite's busy wait
            assert load.remaining > 0
            seconds = terminate_app(app.process)
        finally:
            with contextlib.suppress(sqlite3.Error):
                holder.execute("ROLLBACK")
            holder.close()
            load.stop()
        log.info("SQLite stop: %.2f s, %s", seconds, dict(load.outcomes))
        assert seconds <= STOP_LIMIT_S, f"the app needed {seconds:.1f} s to stop after SIGTERM"
        _check_database(app.env["AG_DATABASE_URL"], load, since)
    finally:
        stop_app(app.process)
