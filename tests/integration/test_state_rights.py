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


@pytest.mark.parametrize("who", ["guest", "forged token"])
@pytest.mark.parametrize("handler", ["opt_out", "opt_in", "choose_category", "activate"])
def test_promo_actions_refuse_without_a_session(app_engine, session, who, handler):
    """«Акция»: the citizen's actions act only for the session's user; without one nothing changes."""
    from ag_app.models import PromoCitizen
    from ag_app.services.promo import codes
    from ag_app.state.promo import PromoState
    from tests.promo_helpers import make_campaign, make_citizen, msk

    _, _, geo = make_campaign(app_engine, session)
    citizen = make_citizen(session, geo["house:Арбат"])
    codes.issue_due_codes(app_engine, now=msk((2026, 8, 31), 12))
    before = repr(session.exec(select(PromoCitizen).where(PromoCitizen.user_id == citizen.id)).one())
    session.rollback()
    tab = browser_tab(session, None)
    if who == "forged token":
        tab.substates[SessionState.get_name()].auth_token = secrets.token_urlsafe(32)
    state = tab.substates[PromoState.get_name()]
    form = {"reason": "", "category": "sport", "accept": "on", "user_id": str(citizen.id)}
    asyncio.run(PromoState.event_handlers[handler].fn(state, form))
    assert state.error == "Войдите в систему, чтобы продолжить."
    session.expire_all()
    assert repr(session.exec(select(PromoCitizen).where(PromoCitizen.user_id == citizen.id)).one()) == before
    session.rollback()
