"""The app on PostgreSQL + Redis with two backend workers: a login and a vote still work, because the
state lives in Redis and identity in the database, not in one worker's memory."""

import os
import subprocess

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import fresh_pg_database, start_app, stop_app
from tests.e2e.flows import answer_all_questions, log_in, open_city_poll_with_questionnaire

RESIDENT = "+79161234568"

pytestmark = pytest.mark.cluster


@pytest.fixture(scope="module")
def pg_app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pg_app")
    running = start_app(
        tmp,
        database_url=fresh_pg_database("ag_e2e_multiworker"),
        workers=2,
        redis_url=os.environ["AG_TEST_REDIS_URL"],
    )
    yield running
    stop_app(running.process)


def test_login_and_vote_with_two_workers(browser: Browser, pg_app):
    workers = subprocess.run(["pgrep", "-P", str(pg_app.process.pid)], capture_output=True, text=True).stdout
    assert len(workers.split()) >= 2, "the app is not running two backend workers"
    context = browser.new_context(locale="ru-RU")
    page = context.new_page()
    log_in(page, pg_app, RESIDENT)
    # Several page loads open new websocket connections that land on either worker.
    for _ in range(3):
        page.goto(f"{pg_app.url}/profile")
        expect(page.get_by_text("Уникальный идентификатор")).to_be_visible()
    open_city_poll_with_questionnaire(page, pg_app)
    answer_all_questions(page)
    expect(page.locator("#vote-success")).to_be_visible()
    page.reload()
    expect(page.locator("#cannot-vote")).to_contain_text("уже проголосовали")
    context.close()
