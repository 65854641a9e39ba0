"""The staff dashboard: refused to residents and guests, exact numbers on a hand-made city."""

import asyncio
from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session

from ag_app import db
from ag_app.db import transaction
from ag_app.domain.errors import InvalidInput
from ag_app.models import Ballot, PointEntry, User, UserAddress
from ag_app.services.dashboard import DashboardFilter, staff_dashboard
from ag_app.state.staff_dashboard import StaffDashboardState
from tests.factories import make_geo, make_user, open_session
from tests.integration.poll_helpers import make_poll
from tests.integration.tabs import browser_tab

D1 = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
D2 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
PERIOD = DashboardFilter(start=date(2026, 11, 19), end=date(2026, 11, 20))


def _resident(
    session: Session,
    *,
    house_id: int | None,
    created: datetime,
    verified: bool = False,
    kind: str = "residence",
) -> User:
    user = make_user(session, house_id=house_id if kind == "residence" else None)
    user.created_at = created
    if verified:
        user.identity_verified_at = created
    session.add(user)
    if kind == "registration":
        session.add(UserAddress(user_id=user.id, kind="registration", house_id=house_id, changed_at=created))
    session.commit()
    return user


@pytest.fixture
def city(engine, session, now):
    """6 residents of Арбат (2 verified, registered on 19.11), 5 of Раменки (registration address)
    and 2 without an address (registered on 20.11); 5 + 5 of them voted in one city poll on 20.11;
    3 people of Арбат recorded a daily visit on 19.11."""
    geo = make_geo(session)
    staff = make_user(session, roles=("staff",))
    arbat = [_resident(session, house_id=geo["house:Арбат"], created=D1, verified=i < 2) for i in range(6)]
    ramenki = [
        _resident(session, house_id=geo["house:Раменки"], created=D2, kind="registration") for _ in range(5)
    ]
    for _ in range(2):
        _resident(session, house_id=None, created=D2)
    poll_id = make_poll(engine, staff.id, now)
    voters = [(u, "Арбат", "ЦАО") for u in arbat[:5]] + [(u, "Раменки", "ЗАО") for u in ramenki]
    for i, (user, district, okrug) in enumerate(voters):
        session.add(
            Ballot(
                poll_id=poll_id,
                user_id=user.id,
                completed_at=D2,
                number_region="moscow",
                receipt=f"TEST-{i:04d}",
                district_id=geo[district],
                okrug_id=geo[okrug],
            )
        )
        session.add(
            PointEntry(user_id=user.id, amount=20, reason="poll", ref=f"poll:{poll_id}", created_at=D2)
        )
    for user in arbat[:3]:
        session.add(
            PointEntry(user_id=user.id, amount=3, reason="daily_visit", ref="2026-11-19", created_at=D1)
        )
    session.commit()
    return {"staff": staff, "resident": arbat[0], "poll_id": poll_id, "geo": geo}


def _view(engine, actor_id, data, now):
    with transaction(engine) as s:
        return staff_dashboard(s, actor_id=actor_id, data=data, now=now)


def test_dashboard_numbers_on_a_small_city(engine, city, now):
    view = _view(engine, city["staff"].id, PERIOD, now)

    # 6 registrations on 19.11; 7 on 20.11 (5 of Раменки and 2 without an address).
    assert [(d.day.isoformat(), d.registrations) for d in view.days] == [("2026-11-19", 6), ("2026-11-20", 7)]
    # Active: 3 visitors on 19.11 (hidden: fewer than 5), 10 voters on 20.11.
    assert [d.active for d in view.days] == [None, 10]
    # Levels: 3 simple (2 without address + the staff member) are hidden, and with them the 2 full
    # ones (else 2 = 14 accounts − 3 − 9); the 9 standard accounts are shown.
    assert [(lvl.level, lvl.users) for lvl in view.levels] == [(1, None), (2, 9), (3, None)]
    (poll,) = view.polls
    assert (poll.poll_id, poll.ballots, poll.eligible, poll.turnout) == (city["poll_id"], 10, 11, 90.9)
    assert [(d.district, d.okrug, d.ballots, d.eligible, d.turnout) for d in view.districts] == [
        ("Арбат", "ЦАО", 5, 6, 83.3),
        ("Раменки", "ЗАО", 5, 5, 100.0),
    ]
    by_rule = {p.reason: p for p in view.points}
    assert (by_rule["poll"].users, by_rule["poll"].entries, by_rule["poll"].points) == (10, 10, 200)
    assert (by_rule["daily_visit"].users, by_rule["daily_visit"].points) == (None, None)
    assert by_rule["poll"].name == "Участие в голосованиях"


def test_dashboard_filters_by_okrug_and_poll(engine, city, now):
    # A poll held in Арбат only must not bring Арбат into the western okrug's figures.
    make_poll(engine, city["staff"].id, now, scope="territorial", district_ids=[city["geo"]["Арбат"]])
    whole_west = DashboardFilter(start=PERIOD.start, end=PERIOD.end, okrug_id=city["geo"]["ЗАО"])
    assert [d.district for d in _view(engine, city["staff"].id, whole_west, now).districts] == ["Раменки"]
    west = DashboardFilter(
        start=PERIOD.start, end=PERIOD.end, okrug_id=city["geo"]["ЗАО"], poll_id=city["poll_id"]
    )

    view = _view(engine, city["staff"].id, west, now)

    assert [(d.district, d.ballots, d.eligible, d.turnout) for d in view.districts] == [
        ("Раменки", 5, 5, 100.0)
    ]
    assert [(p.ballots, p.eligible) for p in view.polls] == [(5, 5)]
    assert [d.registrations for d in view.days] == [None, 5]
    assert [c.name for c in view.district_choices] == ["Раменки"]


def test_a_poll_for_verified_residents_counts_only_them_as_eligible(engine, session, city, now):
    level3 = make_poll(engine, city["staff"].id, now, min_level=3)
    view = _view(engine, city["staff"].id, DashboardFilter(PERIOD.start, PERIOD.end, poll_id=level3), now)
    (poll,) = view.polls
    # Only the 2 verified residents are eligible: hidden (fewer than 5), and no ballots yet.
    assert (poll.ballots, poll.eligible, poll.turnout) == (None, None, None)


def test_a_too_long_period_is_refused(engine, city, now):
    with pytest.raises(InvalidInput):
        _view(engine, city["staff"].id, DashboardFilter(date(2024, 1, 1), date(2026, 1, 1)), now)


def test_dashboard_is_refused_to_residents_and_guests(session, city, client, now):
    resident = open_session(session, city["resident"].id, now)
    staff = open_session(session, city["staff"].id, now)

    guest_answer = client.get("/api/v1/staff/dashboard")
    resident_answer = client.get("/api/v1/staff/dashboard", headers={"Authorization": f"Bearer {resident}"})
    staff_answer = client.get(
        "/api/v1/staff/dashboard?start=2026-11-19&end=2026-11-20",
        headers={"Authorization": f"Bearer {staff}"},
    )

    assert guest_answer.status_code == 401
    assert resident_answer.status_code == 403
    assert resident_answer.json()["detail"] == "Недостаточно прав для этого действия."
    assert staff_answer.status_code == 200
    assert staff_answer.json()["polls"][0]["ballots"] == 10


@pytest.mark.parametrize("who", ["resident", "guest"])
def test_dashboard_handlers_show_nothing_to_non_staff(engine, session, city, now, monkeypatch, who):
    """The page's handlers can be called over the websocket by anyone: the service refuses them."""
    monkeypatch.setattr(db, "get_engine", lambda: engine)
    tab = browser_tab(session, city["resident"].id if who == "resident" else None)
    state = tab.substates[StaffDashboardState.get_name()]

    asyncio.run(StaffDashboardState.apply.fn(state, {"start": "2026-11-19", "end": "2026-11-20"}))

    assert state.allowed is False
    assert state.polls_rows == [] and state.levels_rows == [] and state.activity_rows == []


def test_dashboard_handler_works_for_staff(engine, session, city, now, monkeypatch):
    monkeypatch.setattr(db, "get_engine", lambda: engine)
    tab = browser_tab(session, city["staff"].id)
    state = tab.substates[StaffDashboardState.get_name()]

    asyncio.run(StaffDashboardState.apply.fn(state, {"start": "2026-11-19", "end": "2026-11-20"}))

    assert state.allowed is True
    assert state.levels_rows == [["1 — упрощённый", "<5"], ["2 — стандартный", "9"], ["3 — полный", "<5"]]
    assert state.polls_rows[0][1:] == ["10", "11", "90,9\u00a0%"]
