"""The live contest rating with two backend workers on PostgreSQL + Redis: viewers of ``/contest``
whose sockets sit on different workers all see a receipt posted through the REST API (the mobile
channel) move the table within 2 seconds, and a moderator's rejection on whichever worker serves
the moderator move it back within 2 seconds.

Which worker holds a viewer's socket is read from Reflex's socket records in Redis (the record of
the page's client token names the instance that accepted the socket); viewers are opened until two
of them sit on different workers.
"""

import os
import pickle
import subprocess
import time
import urllib.error
from datetime import UTC, date, datetime, timedelta

import pytest
import redis
from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from ag_app.db import make_engine, transaction
from ag_app.domain.clock import MOSCOW
from ag_app.domain.contest import period_bounds, period_of
from ag_app.models import User
from tests.e2e.conftest import RunningApp, fresh_pg_database, start_app, stop_app
from tests.e2e.flows import log_in
from tests.e2e.test_contest import _total, _total_text, _within

pytestmark = pytest.mark.cluster

FIRST = "+79035551601"
SECOND = "+79035551602"
MODERATOR = "+79990000002"
DRIVE = "9960440399990002"
# Most viewers opened while looking for sockets on two different workers.
MOST_VIEWERS = 10


@pytest.fixture(scope="module")
def pg_app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pg_contest")
    running = start_app(
        tmp,
        database_url=fresh_pg_database("ag_e2e_contest_cluster"),
        workers=2,
        redis_url=os.environ["AG_TEST_REDIS_URL"],
        seed=("--residents", "50", "--ballots", "300"),
    )
    yield running
    stop_app(running.process)


def _api_resident(app: RunningApp, phone: str, first_name: str) -> str:
    """Register through the REST API (as the mobile app does) and give the account a name and an
    adult's birth date, as the profile form would; returns the bearer token."""
    app.api("/auth/code", method="POST", body={"phone": phone})
    answer = app.api(
        "/auth/session",
        method="POST",
        body={"phone": phone, "code": app.sms_code(phone), "accept_terms": True},
    )
    engine = make_engine(app.env["AG_DATABASE_URL"])
    try:
        with transaction(engine) as s:
            user = s.exec(select(User).where(User.phone == phone)).one()
            user.first_name, user.last_name = first_name, "Кластерова"
            user.birth_date = date(1985, 5, 5)
            s.add(user)
    finally:
        engine.dispose()
    return answer["token"]


def _qr(fd: int) -> str:
    """A sale two minutes ago (inside the current Moscow month)."""
    moment = datetime.now(UTC)
    bought = max(moment - timedelta(minutes=2), period_bounds(*period_of(moment))[0])
    return f"t={bought.astimezone(MOSCOW):%Y%m%dT%H%M%S}&s=99.90&fn={DRIVE}&i={fd}&fp={800000 + fd}&n=1"


def _socket_instance(client: redis.Redis, viewer: Page) -> str:
    """The backend instance (worker) holding the socket of the viewer's page."""
    token = viewer.evaluate("window.sessionStorage.getItem('token')")
    raw = client.get(f"token_manager_socket_record_{token}")
    assert raw is not None, f"no socket record in Redis for the client token {token!r}"
    return pickle.loads(raw).instance_id  # noqa: S301 - written by the app under test


def test_viewers_on_both_workers_see_an_api_receipt_and_a_rejection_move_the_table(
    browser: Browser, pg_app: RunningApp
):
    workers = subprocess.run(["pgrep", "-P", str(pg_app.process.pid)], capture_output=True, text=True).stdout
    assert len(workers.split()) >= 2, "the app is not running two backend workers"
    stamp = int(datetime.now(UTC).timestamp()) % 100_000
    first = _api_resident(pg_app, FIRST, "Инна")
    # The month's first receipt opens the general contest (viewers need its rating to watch).
    saved = pg_app.api("/contest/receipts", method="POST", body={"qr": _qr(stamp * 10 + 1)}, token=first)
    assert (saved["status"], saved["points"]) == ("accepted", 1)
    first_receipt = saved["id"]
    second = _api_resident(pg_app, SECOND, "Глеб")

    client = redis.Redis.from_url(os.environ["AG_TEST_REDIS_URL"])
    contexts = []
    viewers: list[Page] = []
    instances: set[str] = set()
    try:
        while len(instances) < 2 and len(viewers) < MOST_VIEWERS:
            contexts.append(browser.new_context(locale="ru-RU"))
            viewer = contexts[-1].new_page()
            viewer.goto(f"{pg_app.url}/contest")
            expect(viewer.locator("#contest-top")).to_be_visible(timeout=30_000)
            expect(viewer.locator("#contest-total")).to_be_visible()
            viewers.append(viewer)
            instances.add(_socket_instance(client, viewer))
        assert len(instances) == 2, f"{len(viewers)} viewers' sockets all sit on one worker"
        before = _total(viewers[0])
        for viewer in viewers:
            expect(viewer.locator("#contest-total")).to_have_text(_total_text(before))

        # A new participant's receipt through the REST API, answered by either worker.
        started = time.monotonic()
        saved = pg_app.api("/contest/receipts", method="POST", body={"qr": _qr(stamp * 10 + 2)}, token=second)
        assert (saved["status"], saved["points"]) == ("accepted", 1)
        for viewer in viewers:
            expect(viewer.locator("#contest-total")).to_have_text(
                _total_text(before + 1), timeout=_within(started)
            )

        # The first resident's receipt again, from the second account: 409, and flagged.
        with pytest.raises(urllib.error.HTTPError) as refused:
            pg_app.api("/contest/receipts", method="POST", body={"qr": _qr(stamp * 10 + 1)}, token=second)
        assert refused.value.code == 409
        contexts.append(browser.new_context(locale="ru-RU"))
        moderator = contexts[-1].new_page()
        log_in(moderator, pg_app, MODERATOR)
        moderator.goto(f"{pg_app.url}/staff/contest")
        flagged = moderator.locator("#fraud-queue tbody tr").filter(
            has_text=f"Чек № {first_receipt} (принят)"
        )
        expect(flagged).to_have_count(1, timeout=30_000)
        flagged.get_by_label("Причина: Отклонить").fill("Чек загружен с двух аккаунтов")
        clicked = time.monotonic()
        flagged.get_by_role("button", name="Отклонить").click()
        # The first resident's only receipt leaves every viewer's table within 2 s of the click.
        for viewer in viewers:
            expect(viewer.locator("#contest-total")).to_have_text(
                _total_text(before), timeout=_within(clicked)
            )
        expect(moderator.get_by_text("Чек отклонён.")).to_be_visible()
    finally:
        client.close()
        for context in contexts:
            context.close()
