"""Issue 17: the meeting and renovation forms refused as a whole list every problem, mark the
fields and save nothing; a corrected form goes through and forgets the marks."""

import asyncio
from datetime import UTC, datetime

from sqlmodel import Session, func, select

from ag_app.i18n import message
from ag_app.models import Meeting, MeetingDecision, MeetingHouse, RenovationCampaign
from ag_app.state.meetings import MeetingFormState
from ag_app.state.staff_common import moscow_input
from ag_app.state.staff_meetings import StaffMeetingsState
from ag_app.state.staff_renovation import StaffRenovationState
from tests.factories import make_geo, make_user
from tests.integration.renovation_helpers import make_house
from tests.integration.tabs import browser_tab
from tests.meeting_helpers import DAY, active_meeting, enable, make_owner, make_registry


def _count(session: Session, model) -> int:
    session.expire_all()
    value = session.exec(select(func.count()).select_from(model)).one()
    session.rollback()
    return value


def test_the_meeting_form_lists_every_problem_and_files_once_corrected(app_engine, session):
    real_now = datetime.now(UTC)
    ids = make_geo(session)
    house_id = ids["house:Арбат"]
    registry = make_registry(session, house_id, [("1", "50", [("A", 1, 1)])])
    enable(session, house_id, make_user(session, roles=("staff",)).id)
    owner = make_owner(session, registry, "A")
    form = browser_tab(session, owner.id).substates[MeetingFormState.get_name()]
    form.house_id, form.starts, form.ends, form.address = str(house_id), "", "", " "
    form.items = [{"text": "", "topic": "organisational", "threshold": ""}]
    asyncio.run(MeetingFormState.submit.fn(form))
    assert set(form.invalid_fields) == {"period", "question-1", "address"}
    assert "Ошибок: 3." in form.error
    for key in ("meeting.date_invalid", "meeting.address_required"):
        assert message(key) in form.error
    assert _count(session, Meeting) == 0

    form.starts, form.ends = moscow_input(real_now + 2 * DAY), moscow_input(real_now + DAY)
    form.address = "ул. Арбат, д. 1"
    asyncio.run(MeetingFormState.submit.fn(form))
    assert set(form.invalid_fields) == {"starts", "ends", "question-1"}
    assert _count(session, Meeting) == 0

    form.starts, form.ends = moscow_input(real_now + 12 * DAY), moscow_input(real_now + 20 * DAY)
    form.items = [{"text": "Избрать председателя.", "topic": "organisational", "threshold": ""}]
    asyncio.run(MeetingFormState.submit.fn(form))
    assert (form.error, form.invalid_fields) == ("", [])
    assert _count(session, Meeting) == 1


def test_the_enabling_form_names_the_house_and_the_reference_at_once(app_engine, session):
    ids = make_geo(session)
    make_registry(session, ids["house:Арбат"], [("1", "50", [("A", 1, 1)])])
    staff = make_user(session, roles=("staff",))
    state = browser_tab(session, staff.id).substates[StaffMeetingsState.get_name()]
    state.enable_house_id, state.enable_reference = "", "  "
    asyncio.run(StaffMeetingsState.enable.fn(state))
    assert set(state.enable_invalid) == {"house", "reference"}
    assert message("meeting.house_required") in state.enable_error
    assert message("meeting.inspection_required") in state.enable_error
    assert _count(session, MeetingHouse) == 0

    state.enable_house_id, state.enable_reference = str(ids["house:Арбат"]), "МЖИ № 5"
    asyncio.run(StaffMeetingsState.enable.fn(state))
    assert (state.enable_error, state.enable_invalid) == ("", [])
    assert _count(session, MeetingHouse) == 1


def test_the_renovation_vote_form_lists_every_problem_and_opens_once_corrected(app_engine, session):
    real_now = datetime.now(UTC)
    geo = make_geo(session)
    house = make_house(session, geo["Арбат"], 2)
    staff = make_user(session, roles=("staff",))
    desk = browser_tab(session, staff.id).substates[StaffRenovationState.get_name()]
    blank = {"title": " ", "question": "", "starts_at": "", "ends_at": ""}
    asyncio.run(StaffRenovationState.open_campaign.fn(desk, blank))
    assert set(desk.invalid_fields) == {"title", "question", "period", "houses"}
    for key in ("renovation.title_required", "renovation.question_required", "renovation.houses_required"):
        assert message(key) in desk.error
    assert "Ошибок: 4." in desk.error
    assert _count(session, RenovationCampaign) == 0

    desk.chosen_houses = [str(house.id), str(geo["house:Раменки"])]  # Раменки has no apartments
    backwards = {
        "title": "Реновация",
        "question": "Включить дом в программу?",
        "starts_at": moscow_input(real_now + 2 * DAY),
        "ends_at": moscow_input(real_now + DAY),
    }
    asyncio.run(StaffRenovationState.open_campaign.fn(desk, backwards))
    assert set(desk.invalid_fields) == {"ends", "houses"}
    assert f"Дом № {geo['house:Раменки']} не найден" in desk.error
    assert _count(session, RenovationCampaign) == 0

    desk.chosen_houses = [str(house.id)]
    asyncio.run(
        StaffRenovationState.open_campaign.fn(
            desk, {**backwards, "ends_at": moscow_input(real_now + 9 * DAY)}
        )
    )
    assert (desk.error, desk.invalid_fields) == ("", [])
    assert desk.notice == message("ui.renovation.golosovanie_otkryto")
    assert _count(session, RenovationCampaign) == 1


def test_the_paper_decision_form_names_every_bad_field(app_engine, session):
    ids = make_geo(session)
    house_id = ids["house:Арбат"]
    registry = make_registry(session, house_id, [("1", "50", [("A", 1, 1)])])
    staff = make_user(session, roles=("staff",))
    enable(session, house_id, staff.id)
    owner = make_owner(session, registry, "A")
    meeting_id = active_meeting(session, house_id=house_id, initiator_id=owner.id, now=datetime.now(UTC)).id
    state = browser_tab(session, staff.id).substates[StaffMeetingsState.get_name()]
    state.chosen_meeting, state.premise, state.person_ref, state.scan = str(meeting_id), "99", "A", "123"
    state.agenda = []
    asyncio.run(StaffMeetingsState.enter_paper.fn(state))
    assert set(state.paper_invalid) == {"scan", "owner", "choices"}
    assert message("meeting.scan_hash_invalid") in state.paper_error
    assert message("meeting.choices_required") in state.paper_error
    assert _count(session, MeetingDecision) == 0
