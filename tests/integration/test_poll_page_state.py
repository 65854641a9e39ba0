"""What the poll page (``/polls/[poll_id]``) offers a guest depending on the poll's state
(issue 17: a closed poll still invited guests to «Войдите, чтобы проголосовать»)."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from ag_app.db import transaction
from ag_app.services import polls
from ag_app.state.poll import PollState
from tests.factories import make_geo, make_user
from tests.integration.poll_helpers import DAY, make_poll
from tests.integration.tabs import browser_tab


def open_page(session, user_id: int | None, poll_id: int, monkeypatch) -> PollState:
    """The poll page's state after its on-load handler ran, as a tab of ``user_id`` (None: a guest)."""
    monkeypatch.setattr(PollState, "_poll_id", lambda self: poll_id)
    page = browser_tab(session, user_id).substates[PollState.get_name()]

    async def drive() -> None:
        async for _ in PollState.load.fn(page):
            pass

    asyncio.run(drive())
    return page


@pytest.fixture
def staff_id(session) -> int:
    staff = make_user(session, roles=("staff",))
    session.commit()
    return staff.id


def test_a_guest_is_invited_to_log_in_only_while_the_poll_is_open(app_engine, session, staff_id, monkeypatch):
    real_now = datetime.now(UTC)
    poll_id = make_poll(app_engine, staff_id, real_now)
    page = open_page(session, None, poll_id, monkeypatch)
    assert page.found and not page.can_vote
    assert page.invite_login is True


@pytest.mark.parametrize("results", [False, True])
def test_a_closed_poll_shows_its_state_not_a_login_invitation(
    app_engine, session, staff_id, monkeypatch, results
):
    real_now = datetime.now(UTC)
    poll_id = make_poll(app_engine, staff_id, real_now - 10 * DAY, ends_at=real_now - timedelta(hours=1))
    if results:
        with transaction(app_engine) as s:
            polls.publish_results(s, actor_id=staff_id, poll_id=poll_id, now=real_now)
    page = open_page(session, None, poll_id, monkeypatch)

    assert page.found and not page.can_vote
    assert page.invite_login is False
    assert page.cannot_vote_reason.startswith("Голосование завершено")
    assert page.state_name == polls.STATE_NAMES["results" if results else "closed"]
    # The results link shows exactly when the results are out.
    assert page.results_final is results
    assert page.has_results is results


def test_a_poll_not_yet_started_shows_when_it_starts(app_engine, session, staff_id, monkeypatch):
    real_now = datetime.now(UTC)
    poll_id = make_poll(app_engine, staff_id, real_now + 2 * DAY)
    page = open_page(session, None, poll_id, monkeypatch)
    assert page.invite_login is False
    assert page.cannot_vote_reason.startswith("Голосование ещё не началось")


@pytest.mark.parametrize("who", ["guest", "resident elsewhere"])
def test_a_district_poll_from_a_share_link_tells_outsiders_who_may_vote(
    app_engine, session, staff_id, monkeypatch, who
):
    geo = make_geo(session)
    outsider = make_user(session, house_id=geo["house:Басманный"]).id if who != "guest" else None
    session.commit()
    real_now = datetime.now(UTC)
    poll_id = make_poll(app_engine, staff_id, real_now, scope="territorial", district_ids=[geo["Арбат"]])

    page = open_page(session, outsider, poll_id, monkeypatch)

    assert page.error == ""  # no longer «Голосование не найдено»
    assert page.outsider and not page.found
    assert page.title == "Благоустройство парка «Дружба»"
    assert page.who_may_vote == "Голосуют жители района Арбат."
    assert page.state_name == polls.STATE_NAMES["active"]
    # Nothing to vote with: no questions reach the outsider's page.
    assert not page.can_vote and page.total == 0 and page.q_options == []
    assert page.invite_login is (who == "guest")


def test_a_resident_of_the_district_sees_the_whole_poll(app_engine, session, staff_id, monkeypatch):
    geo = make_geo(session)
    resident = make_user(session, house_id=geo["house:Арбат"]).id
    session.commit()
    poll_id = make_poll(
        app_engine, staff_id, datetime.now(UTC), scope="territorial", district_ids=[geo["Арбат"]]
    )
    page = open_page(session, resident, poll_id, monkeypatch)
    assert page.found and not page.outsider
    assert page.total == 3


def test_a_draft_or_missing_poll_stays_not_found(app_engine, session, staff_id, monkeypatch):
    geo = make_geo(session)
    session.commit()
    draft = make_poll(
        app_engine,
        staff_id,
        datetime.now(UTC),
        publish=False,
        scope="territorial",
        district_ids=[geo["Арбат"]],
    )
    for poll_id in (draft, draft + 1000):
        page = open_page(session, None, poll_id, monkeypatch)
        assert not page.outsider and not page.found
        assert page.error == "Голосование не найдено."
