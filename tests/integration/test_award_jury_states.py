"""The pages «Комиссия» and «Премия: комиссия» re-check everything on the server: handlers called by
name with a member's or a stranger's session show only what the services allow — another member's
sheet never reaches a member who has not submitted theirs — and a refused change writes nothing."""

import asyncio
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from ag_app.db import transaction
from ag_app.models import AwardJuror, AwardScore, AwardSheet, AwardStanding, AwardTieVote
from ag_app.services.award import commission, scoring
from ag_app.state.award_jury import AwardJuryState
from ag_app.state.staff_award_commission import StaffAwardCommissionState
from tests.award_fixtures import HELD_ON, make_contest, make_person, make_team
from tests.integration.tabs import browser_tab

NOW_TEXT = HELD_ON.isoformat()
HELD_ON_INSTANT = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def _run(handler, state, *args):
    result = handler.fn(state, *args)
    if asyncio.iscoroutine(result):
        asyncio.run(result)


def _jury(session: Session, user_id: int | None) -> AwardJuryState:
    return browser_tab(session, user_id).substates[AwardJuryState.get_name()]


def _staff(session: Session, user_id: int | None) -> StaffAwardCommissionState:
    return browser_tab(session, user_id).substates[StaffAwardCommissionState.get_name()]


def _count(session: Session, table) -> int:
    session.expire_all()
    n = len(session.exec(select(table)).all())
    session.commit()
    return n


@pytest.fixture
def panel(app_engine, session):
    """A contest with one task and two admitted teams; a commission of four, two in the task's group."""
    contest = make_contest(session, tasks=1, maxima=(10, 5))
    task = contest.tasks[0]
    teams = [make_team(session, contest, task, name="Alpha"), make_team(session, contest, task, name="Beta")]
    operator = make_person(session, "Операторова", roles=("staff",)).id
    people = {
        name: make_person(session, name) for name in ("Председателев", "Заместителев", "Членов", "Экспертов")
    }
    jurors = {}
    with transaction(app_engine) as s:
        for name, role in zip(people, ("chair", "deputy", "member", "member"), strict=True):
            jurors[name] = commission.add_juror(
                s, actor_id=operator, contest_id=contest.id, phone=people[name].phone, role=role
            )
        for name in ("Членов", "Экспертов"):
            commission.assign(s, actor_id=operator, juror_id=jurors[name], task_id=task)
    return {
        "engine": app_engine,
        "contest": contest,
        "task": task,
        "teams": teams,
        "operator": operator,
        "users": {name: user.id for name, user in people.items()},
        "jurors": jurors,
        "criteria": list(contest.criteria),
    }


def test_a_member_scores_and_sees_others_only_after_submitting(panel, session):
    alpha = panel["teams"][0]
    first, second = panel["criteria"]
    member = _jury(session, panel["users"]["Членов"])
    _run(AwardJuryState.load, member)
    assert member.allowed and [p["team"] for p in member.projects] == ["Alpha", "Beta"]
    _run(AwardJuryState.open_sheet, member, str(alpha))
    assert [c["max"] for c in member.criteria] == ["10", "5"]
    # A score above the maximum: the Russian refusal, nothing written.
    _run(AwardJuryState.save_sheet, member, {f"score_{first}": "11", f"score_{second}": "1", "comment": ""})
    assert "от 0 до 10" in member.error and _count(session, AwardSheet) == 0
    _run(AwardJuryState.save_sheet, member, {f"score_{first}": "²", "comment": ""})
    assert "целое число" in member.error and _count(session, AwardSheet) == 0
    _run(
        AwardJuryState.save_sheet,
        member,
        {f"score_{first}": "9", f"score_{second}": "4", "comment": "Секретный отзыв", "final": "on"},
    )
    assert member.notice == "Анкета отправлена." and member.sheet["submitted"] == "1"

    other = _jury(session, panel["users"]["Экспертов"])
    _run(AwardJuryState.load, other)
    _run(AwardJuryState.open_sheet, other, str(alpha))
    _run(
        AwardJuryState.save_sheet,
        other,
        {f"score_{first}": "3", f"score_{second}": "", "comment": "мой черновик"},
    )
    assert other.notice == "Черновик анкеты сохранён." and other.others == []
    # Nothing of the first member's sheet is anywhere in the second member's page state.
    assert "Секретный отзыв" not in repr(other.dict())
    _run(
        AwardJuryState.save_sheet,
        other,
        {f"score_{first}": "3", f"score_{second}": "2", "comment": "", "final": "on"},
    )
    assert [(o["juror"].split()[0], o["total"], o["comment"]) for o in other.others] == [
        ("Членов", "13", "Секретный отзыв")
    ]
    # A member outside the task's group opening the sheet by name gets the refusal, no project data.
    outsider = _jury(session, panel["users"]["Заместителев"])
    _run(AwardJuryState.load, outsider)
    _run(AwardJuryState.open_sheet, outsider, str(alpha))
    assert "экспертной группы" in outsider.error and outsider.sheet == {}


def test_a_stranger_gets_nothing_and_changes_nothing(panel, session):
    stranger = make_person(session, "Посторонний").id
    page = _jury(session, stranger)
    _run(AwardJuryState.load, page)
    assert page.loaded and not page.allowed and page.projects == []
    _run(AwardJuryState.open_sheet, page, str(panel["teams"][0]))
    assert "не входите в состав комиссии" in page.error and page.sheet == {}
    _run(AwardJuryState.declare_recusal, page, {"team_id": str(panel["teams"][0]), "note": "Попытка"})
    assert page.error
    staff_page = _staff(session, stranger)
    _run(StaffAwardCommissionState.load, staff_page)
    assert not staff_page.allowed and staff_page.jurors == []
    staff_page.contest_id = str(panel["contest"].id)
    _run(StaffAwardCommissionState.add_juror, staff_page, {"phone": "+79161234567", "role": "member"})
    assert "Недостаточно прав" in staff_page.error
    assert _count(session, AwardJuror) == 4


def test_the_operator_forms_records_computes_and_members_vote(panel, session):
    alpha, beta = panel["teams"]
    page = _staff(session, panel["operator"])
    _run(StaffAwardCommissionState.load, page)
    assert page.allowed and [j["name"].split()[0] for j in page.jurors] == [
        "Председателев",
        "Заместителев",
        "Членов",
        "Экспертов",
    ]
    newcomer = make_person(session, "Новиков")
    _run(StaffAwardCommissionState.add_juror, page, {"phone": newcomer.phone, "role": "chair"})
    assert "уже есть председатель комиссии" in page.error
    _run(StaffAwardCommissionState.add_juror, page, {"phone": newcomer.phone, "role": "member"})
    assert page.notice == "Член комиссии добавлен." and len(page.jurors) == 5
    # A sitting of 2 of 5: no quorum — «Подвести итоги» is refused with the reason.
    jurors = panel["jurors"]
    few = {
        "held_on": NOW_TEXT,
        "form": "remote",
        f"present_{jurors['Членов']}": "on",
        f"present_{jurors['Экспертов']}": "on",
    }
    _run(StaffAwardCommissionState.save_sitting, page, few)
    assert page.notice == "Заседание записано." and "кворума нет" in page.sittings[0]["quorum"]
    _run(StaffAwardCommissionState.compute, page, str(panel["task"]))
    assert "присутствуют 2 из 5" in page.error and _count(session, AwardStanding) == 0
    # The chair joins: 3 of 5; the missing sheets are listed, computing is refused.
    _run(StaffAwardCommissionState.save_sitting, page, {**few, f"present_{jurors['Председателев']}": "on"})
    assert page.sittings[0]["quorum"].startswith("3 из 5: заседание правомочно")
    assert "Членов Иван Иванович — «Alpha»" in page.sitting_tasks[0]["missing"]
    _run(StaffAwardCommissionState.compute, page, str(panel["task"]))
    assert "не заполнено анкет — 4" in page.error
    with transaction(panel["engine"]) as s:
        for name in ("Членов", "Экспертов"):
            for team in (alpha, beta):
                scoring.save_sheet(
                    s,
                    actor_id=panel["users"][name],
                    team_id=team,
                    scores={c: 5 for c in panel["criteria"]},
                    comment="",
                    submit=True,
                    now=HELD_ON_INSTANT,
                )
    _run(StaffAwardCommissionState.choose_sitting, page, page.sitting_id)
    assert page.sitting_tasks[0]["can_compute"] == "1"
    _run(StaffAwardCommissionState.compute, page, str(panel["task"]))
    assert page.notice == "Итоги по задаче подведены."
    assert [s["place"] for s in page.standings] == ["—", "—"] and page.rounds[0][
        "outcome"
    ] == "идёт голосование"
    # The members vote on the page; an absent member's vote is refused.
    absent = _jury(session, panel["users"]["Заместителев"])
    _run(AwardJuryState.load, absent)
    round_id = absent.rounds[0]["id"]
    assert absent.rounds[0]["can_vote"] == "" and "не отмечены присутствующим" in absent.rounds[0]["reason"]
    _run(AwardJuryState.vote, absent, round_id, str(alpha))
    assert "не отмечены присутствующим" in absent.error and _count(session, AwardTieVote) == 0
    for name, team in (("Председателев", beta), ("Членов", alpha), ("Экспертов", beta)):
        voter = _jury(session, panel["users"][name])
        _run(AwardJuryState.load, voter)
        _run(AwardJuryState.vote, voter, round_id, str(team))
        assert voter.notice == "Ваш голос учтён.", voter.error
    _run(StaffAwardCommissionState.load, page)
    _run(StaffAwardCommissionState.choose_sitting, page, page.sittings[0]["id"])
    assert [(s["team"], s["place"]) for s in page.standings] == [
        ("Beta", "1-е место"),
        ("Alpha", "2-е место"),
    ]
    assert page.rounds[0]["outcome"] == "решение: «Beta»"
    assert _count(session, AwardScore) == 8
