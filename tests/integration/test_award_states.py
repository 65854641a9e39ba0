"""The award pages' handlers, called as the websocket calls them (SQLite and PostgreSQL): a captain
forms a team of three and applies on «Моя команда»; the operator publishes a contest, reviews and
publishes on «Премия: конкурс»; a resident calling the operator's handlers changes nothing."""

import asyncio

import pytest
from sqlmodel import Session, select

from ag_app.models.award import AwardContest, AwardMember, AwardTeam
from ag_app.state import award as award_state
from ag_app.state import staff_award as staff_state
from ag_app.state.award import AwardState, AwardTeamState
from ag_app.state.staff_award import StaffAwardState
from tests.award_helpers import PROJECT, make_contest, person
from tests.factories import make_user
from tests.integration.tabs import browser_tab


def _run(handler, state, *args):
    result = handler.fn(state, *args)
    if asyncio.iscoroutine(result):
        asyncio.run(result)


def _tab(session, user_id, cls):
    return browser_tab(session, user_id).substates[cls.get_name()]


def _snapshot(session) -> list[str]:
    with Session(session.get_bind()) as fresh:
        return [
            repr(row)
            for table in (AwardContest, AwardTeam, AwardMember)
            for row in fresh.exec(select(table).order_by(table.id)).all()
        ]


@pytest.fixture
def clock(monkeypatch, now):
    for module in (award_state, staff_state):
        monkeypatch.setattr(module, "now", lambda: now)
    return now


FORM = {
    "year": "2027",
    "title": "Лидеры цифровой трансформации 2027",
    "description": "Конкурс",
    "opens": "01.11.2026 10:00",
    "closes": "31.12.2026 23:59",
    "tasks": "1 | Умный двор | 1 | 500000 | 300000 | 100000\n2 | Поликлиника | | 1000 | 500 | 0",
    "criteria": "1 | Актуальность | 10",
}


def test_a_captain_forms_a_team_of_three_and_applies(app_engine, session, clock):
    contest_id, _, tasks = make_contest(app_engine, session, clock)
    captain, second, third = person(session), person(session), person(session)
    page = _tab(session, captain.id, AwardTeamState)
    _run(AwardTeamState.event_handlers["load"], page)
    assert page.has_contest and page.can_create and not page.has_team
    prizes = page.tasks[0]["prizes"].replace("\xa0", " ").replace("\u202f", " ")
    assert prizes == "1 место — 500 000 ₽; 2 место — 300 000 ₽; 3 место — 100 000,50 ₽"
    _run(
        AwardTeamState.event_handlers["create_team"],
        page,
        {"name": "Digital Дружина", "task_id": str(tasks[0])},
    )
    assert (
        page.error == "" and page.has_team and page.is_captain and page.status_name == "Коллектив формируется"
    )
    for other in (second, third):
        _run(AwardTeamState.event_handlers["invite"], page, {"phone": other.phone})
        assert page.error == "", page.error
        theirs = _tab(session, other.id, AwardTeamState)
        _run(AwardTeamState.event_handlers["load"], theirs)
        assert theirs.invitations[0]["team"] == "Digital Дружина" and not theirs.can_create
        _run(AwardTeamState.event_handlers["accept"], theirs, theirs.invitations[0]["id"])
        assert theirs.error == "" and theirs.has_team and theirs.notice == "Вы вступили в коллектив."
    _run(AwardTeamState.event_handlers["load"], page)
    assert [m["role"] for m in page.members] == ["капитан", "участник", "участник"] and page.can_apply
    _run(AwardTeamState.event_handlers["submit_application"], page, {**PROJECT, "description": "коротко"})
    assert "Описание проекта" in page.error and page.status == "forming"
    _run(AwardTeamState.event_handlers["submit_application"], page, PROJECT)
    assert page.error == "" and page.status_name == "Заявка подана, ждёт рассмотрения"
    assert page.project["title"] == PROJECT["title"] and not page.can_apply
    # Leaving asks first; a forged «leave» without the question changes nothing.
    before = _snapshot(session)
    _run(AwardTeamState.event_handlers["leave"], page)
    assert page.error == "Подтвердите выход из коллектива." and _snapshot(session) == before
    _run(AwardTeamState.event_handlers["ask_leave"], page)
    _run(AwardTeamState.event_handlers["leave"], page)
    assert page.notice == "Вы вышли из коллектива." and not page.has_team


def test_a_guest_sees_the_contest_but_no_team(app_engine, session, clock):
    make_contest(app_engine, session, clock)
    public = _tab(session, None, AwardState)
    _run(AwardState.event_handlers["load"], public)
    assert public.has_contest and public.open_text == "Идёт приём заявок" and len(public.tasks) == 2
    assert not public.admitted_published
    mine = _tab(session, None, AwardTeamState)
    _run(AwardTeamState.event_handlers["load"], mine)
    assert mine.loaded and not mine.logged_in
    before = _snapshot(session)
    _run(AwardTeamState.event_handlers["create_team"], mine, {"name": "Гости", "task_id": "1"})
    assert mine.error and _snapshot(session) == before


def test_the_operator_publishes_reviews_and_publishes_the_list(app_engine, session, clock):
    staff = make_user(session, roles=("staff",))
    page = _tab(session, staff.id, StaffAwardState)
    _run(StaffAwardState.event_handlers["load"], page)
    assert page.allowed and page.creating and page.form["year"] == "2026"
    _run(
        StaffAwardState.event_handlers["save"], page, {**FORM, "tasks": "1 | | x | 1 | 1 | 1", "criteria": ""}
    )
    assert page.error.startswith("Конкурс не сохранён, ничего не изменено. Ошибок: 3.")
    _run(StaffAwardState.event_handlers["save"], page, FORM)
    assert page.error == "" and page.notice == "Конкурс опубликован." and not page.creating
    assert page.form["closes"] == "31.12.2026 23:59" and page.form["tasks"].startswith(
        "1 | Умный двор | 1 | 500000"
    )
    contest = session.exec(select(AwardContest)).one()
    session.commit()
    # Only a contest of the selector can be shown; anything else leaves the shown one in place.
    version = page.form_version
    _run(StaffAwardState.event_handlers["choose_contest"], page, str(contest.id + 1))
    assert page.error == "Конкурс не найден." and page.contest_id == str(contest.id)
    assert page.form_version == version
    # A team applies to task 1 through the services.
    captain, member = person(session), person(session)
    team_page = _tab(session, captain.id, AwardTeamState)
    _run(AwardTeamState.event_handlers["load"], team_page)
    task_1 = team_page.tasks[0]["id"]
    _run(AwardTeamState.event_handlers["create_team"], team_page, {"name": "Альфа", "task_id": task_1})
    _run(AwardTeamState.event_handlers["invite"], team_page, {"phone": member.phone})
    theirs = _tab(session, member.id, AwardTeamState)
    _run(AwardTeamState.event_handlers["load"], theirs)
    _run(AwardTeamState.event_handlers["accept"], theirs, theirs.invitations[0]["id"])
    _run(AwardTeamState.event_handlers["submit_application"], theirs, PROJECT)
    assert theirs.error == ""

    _run(StaffAwardState.event_handlers["load"], page)
    assert page.contest_id == str(contest.id)
    [row] = page.applications
    assert row["status"] == "applied" and row["size"] == "2" and "(капитан)" in row["members"]
    _run(StaffAwardState.event_handlers["filter"], page, {"task_id": "", "status": "admitted"})
    assert page.applications == []
    _run(StaffAwardState.event_handlers["filter"], page, {"task_id": task_1, "status": "applied"})
    assert len(page.applications) == 1
    _run(StaffAwardState.event_handlers["refuse"], page, {"team_id": row["id"], "reason": ""})
    assert "Причина" in page.error
    _run(StaffAwardState.event_handlers["admit"], page, row["id"])
    # The filter «applied» stays: the admitted team leaves the list.
    assert page.notice == "Коллектив допущен к конкурсу." and page.applications == []
    _run(StaffAwardState.event_handlers["filter"], page, {"task_id": "", "status": ""})
    assert page.applications[0]["status"] == "admitted"
    _run(StaffAwardState.event_handlers["publish"], page)
    assert page.admitted_published and page.notice.startswith("Список допущенных")
    public = _tab(session, None, AwardState)
    _run(AwardState.event_handlers["load"], public)
    assert [t["name"] for t in public.admitted] == ["Альфа"]
    # Excluding a person leaves one member: the team is excluded too.
    member_row = next(m for m in page.members if "Альфа" in m["label"])
    _run(
        StaffAwardState.event_handlers["exclude_member"],
        page,
        {"member_id": member_row["id"], "ground": "false_data", "note": "Ложные сведения"},
    )
    assert page.error == "" and page.applications[0]["status"] == "excluded"
    assert page.applications[0]["ground"] == "состав коллектива менее двух или более пяти человек"


def test_a_resident_calling_the_operator_handlers_changes_nothing(app_engine, session, clock):
    contest_id, _, tasks = make_contest(app_engine, session, clock)
    resident = person(session)
    page = _tab(session, resident.id, StaffAwardState)
    _run(StaffAwardState.event_handlers["load"], page)
    assert page.loaded and not page.allowed and page.applications == [] and page.form == {}
    before = _snapshot(session)
    page.contest_id = str(contest_id)
    page.applications = [{"id": "1"}]
    page.members = [{"id": "1"}]
    for name, args in (
        ("save", ({**FORM, "year": "2026"},)),
        ("admit", ("1",)),
        ("refuse", ({"team_id": "1", "reason": "Причина"},)),
        ("exclude_team", ({"team_id": "1", "ground": "rules", "note": "Нарушение"},)),
        ("exclude_member", ({"member_id": "1", "ground": "rules", "note": "Нарушение"},)),
        ("publish", ()),
    ):
        page.error = ""
        _run(StaffAwardState.event_handlers[name], page, *args)
        assert page.error, name
    assert _snapshot(session) == before
