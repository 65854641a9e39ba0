"""The meeting handlers re-check rights on the server: a resident calling the staff handlers by name
(as any websocket client can) neither enables a house nor enters a paper decision, and a
non-owner's vote through the page state is refused with the Russian reason."""

import asyncio
from datetime import UTC, datetime

from sqlmodel import Session, func, select

from ag_app.models import MeetingDecision, MeetingHouse
from ag_app.state.meetings import MeetingPageState
from ag_app.state.staff_meetings import StaffMeetingsState
from tests.factories import make_geo, make_user
from tests.integration.tabs import browser_tab
from tests.meeting_helpers import active_meeting, enable, make_owner, make_registry


def _count(session: Session, model) -> int:
    session.expire_all()
    value = session.exec(select(func.count()).select_from(model)).one()
    session.rollback()
    return value


def test_staff_meeting_handlers_refuse_a_resident(app_engine, session):
    real_now = datetime.now(UTC)
    ids = make_geo(session)
    house_id = ids["house:Арбат"]
    registry = make_registry(session, house_id, [("1", "50", [("A", 1, 1)])])
    make_registry(session, ids["house:Раменки"], [("1", "40", [("Z", 1, 1)])])
    staff = make_user(session, roles=("staff",))
    enable(session, house_id, staff.id)
    owner = make_owner(session, registry, "A")
    meeting_id = active_meeting(session, house_id=house_id, initiator_id=owner.id, now=real_now).id

    state = browser_tab(session, owner.id).substates[StaffMeetingsState.get_name()]
    state.enable_house_id, state.enable_reference = str(ids["house:Раменки"]), "МЖИ 5"
    asyncio.run(StaffMeetingsState.enable.fn(state))
    assert state.enable_error == "Недостаточно прав для этого действия."
    assert _count(session, MeetingHouse) == 1

    state.chosen_meeting, state.premise, state.person_ref, state.scan = str(meeting_id), "1", "A", "ab" * 32
    state.agenda = [{"id": "1", "number": "1", "text": "", "paper": "for"}]
    asyncio.run(StaffMeetingsState.enter_paper.fn(state))
    assert state.paper_error == "Недостаточно прав для этого действия."
    asyncio.run(StaffMeetingsState.export.fn(state))
    assert state.paper_error == "Недостаточно прав для этого действия."
    assert _count(session, MeetingDecision) == 0


def test_a_non_owner_cannot_vote_through_the_page_state(app_engine, session):
    real_now = datetime.now(UTC)
    ids = make_geo(session)
    house_id = ids["house:Арбат"]
    registry = make_registry(session, house_id, [("1", "50", [("A", 1, 1)])])
    staff = make_user(session, roles=("staff",))
    enable(session, house_id, staff.id)
    owner = make_owner(session, registry, "A")
    meeting = active_meeting(session, house_id=house_id, initiator_id=owner.id, now=real_now)
    stranger = make_user(session)

    page = browser_tab(session, stranger.id).substates[MeetingPageState.get_name()]
    page.mid = meeting.id
    page.agenda = [
        {"id": "1", "number": "1", "text": "", "topic": "", "threshold": "", "mine": "", "picked": ""}
    ]
    page.picked = {"1": "for"}
    asyncio.run(MeetingPageState.send.fn(page))
    assert page.error.startswith("Голосовать могут только собственники")
    assert _count(session, MeetingDecision) == 0
