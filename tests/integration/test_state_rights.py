"""Event handlers re-check rights on the server: a resident calling staff handlers by name (as any
websocket client can) changes nothing and gets the Russian refusal."""

import asyncio
import secrets
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, func, select

from ag_app.models import Poll, PollDecision
from ag_app.state.base import SessionState
from ag_app.state.staff_polls import StaffDecisionsState, StaffPollsState
from tests.factories import make_user
from tests.integration.poll_helpers import make_poll
from tests.integration.tabs import browser_tab


def _published_at(session: Session, poll_id: int):
    """The poll's publication time as stored now (read in a transaction of its own)."""
    session.expire_all()
    published_at = session.get(Poll, poll_id).published_at
    session.rollback()
    return published_at


@pytest.mark.parametrize("who", ["resident", "guest", "forged token"])
def test_staff_handlers_refuse_non_staff(app_engine, session, now, who):
    staff = make_user(session, roles=("staff",))
    draft = make_poll(app_engine, staff.id, now, publish=False)
    resident = make_user(session)
    tab = browser_tab(session, resident.id if who == "resident" else None)
    if who == "forged token":
        tab.substates[SessionState.get_name()].auth_token = secrets.token_urlsafe(32)
    polls_state = tab.substates[StaffPollsState.get_name()]

    asyncio.run(StaffPollsState.publish.fn(polls_state, str(draft)))
    assert polls_state.error in (
        "Недостаточно прав для этого действия.",
        "Войдите в систему, чтобы продолжить.",
    )
    assert _published_at(session, draft) is None

    decisions = tab.substates[StaffDecisionsState.get_name()]
    decisions.pid = draft
    decisions.new_text = "Решение, которого не было"
    asyncio.run(StaffDecisionsState.add_decision.fn(decisions))
    assert decisions.error
    assert session.exec(select(func.count()).select_from(PollDecision)).one() == 0


def test_staff_handler_works_for_staff(app_engine, session, now):
    staff = make_user(session, roles=("staff",))
    # The handler publishes at the real clock, so the poll must still be ahead of it.
    draft = make_poll(app_engine, staff.id, datetime.now(UTC), publish=False)
    tab = browser_tab(session, staff.id)
    polls_state = tab.substates[StaffPollsState.get_name()]
    asyncio.run(StaffPollsState.publish.fn(polls_state, str(draft)))
    assert polls_state.error == ""
    assert _published_at(session, draft) is not None
