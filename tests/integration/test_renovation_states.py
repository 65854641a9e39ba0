"""House-vote handlers re-check rights on the server: a resident calling staff or moderator handlers
by name changes nothing; a resident's vote through the page state shows the check code once."""

import asyncio
from datetime import UTC, datetime

from reflex.istate.data import RouterData
from reflex.route import get_route_args
from reflex.state import State
from sqlmodel import Session, func, select

from ag_app.models import RenovationBallot, RenovationCampaign
from ag_app.state.renovation import RenovationResultState, ResidentRenovationState
from ag_app.state.staff_renovation import StaffRenovationState
from tests.factories import make_geo, make_user
from tests.integration.renovation_helpers import make_house, make_voter, open_vote, vote
from tests.integration.tabs import browser_tab


def _count(engine, model) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(model)).one()


def test_resident_calling_staff_handlers_changes_nothing(app_engine, session):
    real_now = datetime.now(UTC)
    geo = make_geo(session)
    staff = make_user(session, roles=("staff",))
    house = make_house(session, geo["Арбат"], 2)
    campaign = open_vote(app_engine, staff.id, [house.id], real_now)
    voter, holder = make_voter(session, house.apartments["1"])
    holder.last_name = "Петров"  # no automatic match: the vote waits for a moderator
    session.add(holder)
    session.commit()
    resident_tab = browser_tab(session, voter.id)
    mine = resident_tab.substates[ResidentRenovationState.get_name()]
    asyncio.run(ResidentRenovationState.cast.fn(mine, str(campaign), str(house.apartments["1"]), "for"))
    assert mine.error == "" and mine.new_code == "" and "на проверке" in mine.notice
    pending = _count(app_engine, RenovationBallot)

    desk = resident_tab.substates[StaffRenovationState.get_name()]
    form = {
        "title": "Захват",
        "question": "?",
        "starts_at": "2026-12-01T10:00",
        "ends_at": "2027-12-01T10:00",
    }
    desk.chosen_houses = [str(house.id)]
    asyncio.run(StaffRenovationState.open_campaign.fn(desk, form))
    assert desk.error == "Недостаточно прав для этого действия."
    with Session(app_engine) as s:
        ballot_id = s.exec(select(RenovationBallot.id)).one()
    asyncio.run(StaffRenovationState.verify.fn(desk, str(ballot_id)))
    assert desk.error == "Недостаточно прав для этого действия."
    asyncio.run(StaffRenovationState.reject.fn(desk, {"ballot_id": str(ballot_id), "reason": "нет"}))
    desk.entry_campaign = str(campaign)
    asyncio.run(StaffRenovationState.enter_paper_vote.fn(desk, str(holder.id), "against"))
    assert desk.error == "Недостаточно прав для этого действия."
    asyncio.run(StaffRenovationState.load.fn(desk))
    assert (desk.is_staff, desk.is_moderator, desk.queue) == (False, False, [])

    assert _count(app_engine, RenovationCampaign) == 1
    assert _count(app_engine, RenovationBallot) == pending == 1
    with Session(app_engine) as s:
        assert s.get(RenovationBallot, ballot_id).status == "pending"


def test_owner_votes_through_the_page_state_and_sees_the_code(app_engine, session):
    real_now = datetime.now(UTC)
    geo = make_geo(session)
    staff = make_user(session, roles=("staff",))
    house = make_house(session, geo["Арбат"], 2)
    campaign = open_vote(app_engine, staff.id, [house.id], real_now)
    voter, _ = make_voter(session, house.apartments["2"])
    tab = browser_tab(session, voter.id)
    mine = tab.substates[ResidentRenovationState.get_name()]

    asyncio.run(ResidentRenovationState.load.fn(mine))
    assert [a.apartment for a in mine.cards[0].apartments] == ["2"]
    asyncio.run(ResidentRenovationState.cast.fn(mine, str(campaign), str(house.apartments["2"]), "against"))

    assert mine.error == ""
    assert len(mine.new_code.replace(" ", "")) == 12
    apartment = mine.cards[0].apartments[0]
    assert (apartment.voted, apartment.choice, apartment.status_text) == ("1", "Против", "учтён")
    assert mine.new_code.endswith(apartment.code_tail)
    asyncio.run(ResidentRenovationState.cast.fn(mine, str(campaign), str(house.apartments["2"]), "for"))
    assert mine.error == "Вы уже проголосовали за эту квартиру."


def _result_tab(campaign: int, house: int) -> RenovationResultState:
    """The result page's state of a guest's tab opened at ``/renovation/<campaign>/<house>``."""
    State.setup_dynamic_args(get_route_args("/renovation/[campaign_id]/[house_id]"))
    page = State(_reflex_internal_init=True).substates[RenovationResultState.get_name()]
    path = f"/renovation/{campaign}/{house}"
    page.router = RouterData.from_router_data(
        {
            "pathname": path,
            "asPath": path,
            "query": {"campaign_id": str(campaign), "house_id": str(house)},
            "headers": {},
            "ip": "",
        }
    )
    return page


def test_the_result_page_of_a_running_vote_says_preliminary(app_engine, session):
    real_now = datetime.now(UTC)
    geo = make_geo(session)
    staff = make_user(session, roles=("staff",))
    house = make_house(session, geo["Арбат"], 60)
    campaign = open_vote(app_engine, staff.id, [house.id], real_now)
    voter, _ = make_voter(session, house.apartments["1"])
    vote(app_engine, voter.id, campaign, house.apartments["1"], "for", real_now)

    page = _result_tab(campaign, house.id)
    asyncio.run(RenovationResultState.load.fn(page))

    assert page.error == "" and page.found
    assert page.preliminary and page.ends
    assert (page.decided, page.included) == (False, False)
    assert page.decision.startswith("Итоги предварительные")
    assert "включён" not in page.decision
