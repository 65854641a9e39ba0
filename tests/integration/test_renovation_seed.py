"""The demo house votes: different outcomes, an open vote for the demo resident, idempotent, skipped
without a house registry."""

import logging
from datetime import UTC, datetime

from sqlmodel import Session, func, select

from ag_app.db import transaction
from ag_app.models import HousePoll, Premise, RenovationBallot, RenovationCampaign
from ag_app.seed import seed_demo
from ag_app.seed.renovation import FINISHED_TITLE, OPEN_TITLE, RESIDENT_PHONE, STAFF_PHONE, seed_renovation
from ag_app.services import renovation
from tests.factories import make_geo, make_user
from tests.integration.renovation_helpers import add_holder, link, make_house


def _registry(session):
    geo = make_geo(session)
    make_user(session, phone=STAFF_PHONE, roles=("staff",))
    resident = make_user(session, phone=RESIDENT_PHONE)
    houses = [make_house(session, geo["Арбат"], 40) for _ in range(4)] + [
        make_house(session, geo["Раменки"], 30)
    ]
    for house in houses:
        for number, premise_id in house.apartments.items():
            add_holder(session, premise_id, role="social_tenant" if number.endswith("7") else "owner")
    home = houses[-1]
    own = add_holder(session, home.apartments["12"], person_ref="RESIDENT")
    link(session, resident.id, own.id)
    return houses, home, resident


def test_demo_votes_give_every_outcome_and_an_open_vote_for_the_demo_resident(engine, session, now):
    houses, home, resident = _registry(session)

    with transaction(engine) as s:
        assert seed_renovation(s, now=now) is True
    with transaction(engine) as s:
        assert seed_renovation(s, now=now) is False

    with Session(engine) as s:
        finished = s.exec(select(RenovationCampaign).where(RenovationCampaign.title == FINISHED_TITLE)).one()
        results = [
            renovation.house_result(s, campaign_id=finished.id, house_id=h.id, now=now) for h in houses[:3]
        ]
        ballots = s.exec(select(func.count()).select_from(RenovationBallot)).one()
        mine = renovation.resident_campaigns(s, actor_id=resident.id, now=now)
    assert [(r.included_by_vote, r.included, r.decision_source) for r in results] == [
        (True, True, "vote"),
        (False, False, "vote"),
        (True, False, "meeting"),
    ]
    assert all(r.voted > 0 for r in results)
    assert [(m.campaign.title, m.campaign.state, m.house_id) for m in mine] == [(OPEN_TITLE, "open", home.id)]
    assert [a.apartment for a in mine[0].apartments] == ["12"]
    with transaction(engine) as s:
        assert seed_renovation(s, now=now) is False
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(RenovationBallot)).one() == ballots
        assert s.exec(select(func.count()).select_from(RenovationCampaign)).one() == 2


def test_no_premises_no_demo_votes(engine, session, now):
    make_geo(session)
    make_user(session, phone=STAFF_PHONE, roles=("staff",))
    with transaction(engine) as s:
        assert seed_renovation(s, now=now) is False
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(RenovationCampaign)).one() == 0


def test_the_demo_city_loads_while_the_next_years_calendar_is_missing(engine, caplog):
    """28 December 2027: the deadlines of the demo house votes and polls reach 2028, whose production
    calendar is not loaded — those two parts are skipped with a warning, the rest of the city loads."""
    late = datetime(2027, 12, 28, 9, 0, tzinfo=UTC)
    with caplog.at_level(logging.WARNING, logger="ag_app.seed.run"), transaction(engine) as s:
        report = seed_demo(s, now=late, residents=100, ballots=300, polls=4)

    assert report.created
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(RenovationCampaign)).one() == 0
        assert s.exec(select(func.count()).select_from(RenovationBallot)).one() == 0
        assert s.exec(select(func.count()).select_from(HousePoll)).one() == 0
        assert s.exec(select(func.count()).select_from(Premise)).one() > 0
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(w.startswith("Голосования по домам: демо-данные не созданы.") for w in warnings)
    assert any("Производственный календарь на 2028 год ещё не загружен" in w for w in warnings)
