"""The live meter of an owners' meeting with two backend workers on PostgreSQL + Redis: watchers
whose sockets may sit on the other worker see the count move when an owner votes."""

import os
import subprocess

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import fresh_pg_database, start_app, stop_app
from tests.e2e.flows import log_in
from tests.e2e.test_meetings import arrange_house

OWNER_PHONE = "+79165550102"
WATCHERS = 3

pytestmark = pytest.mark.cluster


@pytest.fixture(scope="module")
def pg_app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pg_meetings")
    running = start_app(
        tmp,
        database_url=fresh_pg_database("ag_e2e_meetings_cluster"),
        workers=2,
        redis_url=os.environ["AG_TEST_REDIS_URL"],
    )
    yield running
    stop_app(running.process)


def test_watchers_on_any_worker_see_the_meter_move(browser: Browser, pg_app):
    workers = subprocess.run(["pgrep", "-P", str(pg_app.process.pid)], capture_output=True, text=True).stdout
    assert len(workers.split()) >= 2, "the app is not running two backend workers"
    house = arrange_house(pg_app.env["AG_DATABASE_URL"], OWNER_PHONE)
    url = f"{pg_app.url}/house/meetings/{house['active']}"
    contexts = [browser.new_context(locale="ru-RU") for _ in range(WATCHERS + 1)]
    try:
        watchers = [context.new_page() for context in contexts[:WATCHERS]]
        for watcher in watchers:
            watcher.goto(url)
            expect(watcher.locator("#meter-collected")).to_contain_text(
                "0,00\xa0м² из 250,75\xa0м²", timeout=30_000
            )
        owner = contexts[-1].new_page()
        log_in(owner, pg_app, OWNER_PHONE)
        owner.goto(url)
        expect(owner.locator("#send-decisions")).to_be_visible(timeout=30_000)
        owner.get_by_role("radio", name="Против").nth(1).click()
        owner.locator("#send-decisions").click()
        expect(owner.get_by_text("Решения учтены по вопросам: 1.")).to_be_visible()
        for watcher in watchers:
            expect(watcher.locator("#meter-collected")).to_contain_text(
                "50,25\xa0м² из 250,75\xa0м²", timeout=5_000
            )
            expect(watcher.locator("#meter-needed-2")).to_contain_text("Для принятия не хватает «За»: 167,17")
    finally:
        for context in contexts:
            context.close()
