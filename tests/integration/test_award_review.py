"""The operator's side of the award contest on SQLite and PostgreSQL: publishing and editing a
contest, reviewing applications, publishing the admitted teams, exclusions, rights; and the race of
twenty acceptances into a team with one free place."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from ag_app.db import transaction
from ag_app.domain.errors import Conflict, InvalidInput, NotAllowed
from ag_app.models.award import AwardJuror, AwardMember, AwardSheet, AwardTeam
from ag_app.services.award import cabinet, contests, public, review, teams
from ag_app.services.award.contests import ContestLocked, ContestProblems, CriterionSpec, TaskSpec
from tests.award_helpers import apply, config, make_contest, make_team, person, run
from tests.racing import race, unexpected


def _read(session, statement) -> list:
    with Session(session.get_bind(), expire_on_commit=False) as fresh:
        return list(fresh.exec(statement).all())


def _team(session, team_id) -> AwardTeam:
    return _read(session, select(AwardTeam).where(AwardTeam.id == team_id))[0]


@pytest.fixture
def contest(engine, session, now):
    return make_contest(engine, session, now)


def test_twenty_acceptances_into_one_free_place_let_exactly_one_in(engine, session, now, contest):
    contest_id, _, tasks = contest
    team_id, members = make_team(engine, session, contest_id, tasks[0], now, size=4)
    invitees = [person(session) for _ in range(20)]
    invitations = [
        run(engine, teams.invite, actor_id=members[0].id, team_id=team_id, phone=p.phone, now=now)
        for p in invitees
    ]

    def job(user_id, invitation_id):
        def accept():
            with transaction(engine) as s:
                teams.accept(s, actor_id=user_id, invitation_id=invitation_id, now=now)
            return "ok"

        return accept

    results = race([job(p.id, i) for p, i in zip(invitees, invitations, strict=True)])
    assert unexpected(results) == []
    assert results.count("ok") == 1
    assert all("уже 5 участников" in str(r) for r in results if r != "ok")
    statuses = _read(session, select(AwardMember.status).where(AwardMember.team_id == team_id))
    assert statuses.count("member") == 5 and statuses.count("invited") == 19


def test_the_operator_admits_refuses_and_publishes(engine, session, now, contest):
    contest_id, staff_id, tasks = contest
    first, a = make_team(engine, session, contest_id, tasks[0], now, name="Альфа")
    second, b = make_team(engine, session, contest_id, tasks[1], now, name="Бета")
    apply(engine, first, a[0].id, now)
    apply(engine, second, b[0].id, now)
    rows = run(engine, review.applications, actor_id=staff_id, contest_id=contest_id, status="applied")
    assert [(r.name, r.size) for r in rows] == [("Альфа", 3), ("Бета", 3)]
    assert rows[0].members[0].name == "Иванов Иван Иванович" and rows[0].members[0].captain
    with pytest.raises(InvalidInput, match="Причина"):
        run(engine, review.refuse, actor_id=staff_id, team_id=second, reason=" ", now=now)
    run(engine, review.admit, actor_id=staff_id, team_id=first, now=now)
    run(engine, review.refuse, actor_id=staff_id, team_id=second, reason="Проект не по задаче", now=now)
    with pytest.raises(Conflict, match="только поданную"):
        run(engine, review.admit, actor_id=staff_id, team_id=second, now=now)
    view = run(engine, cabinet.my_view, actor_id=b[1].id, contest_id=contest_id, now=now)
    assert view.team.status_name == "В допуске отказано" and view.team.review_note == "Проект не по задаче"
    assert [
        r.name
        for r in run(engine, review.applications, actor_id=staff_id, contest_id=contest_id, task_id=tasks[0])
    ] == ["Альфа"]
    # Before publication the public view lists no team.
    shown = run(engine, public.public_view, contest_id=contest_id, now=now)
    assert not shown.admitted_published and shown.admitted == ()
    run(engine, review.publish_admitted, actor_id=staff_id, contest_id=contest_id, now=now)
    shown = run(engine, public.public_view, contest_id=contest_id, now=now)
    assert [(t.name, t.task_number, t.project_title) for t in shown.admitted] == [
        ("Альфа", 1, "Цифровой двор")
    ]
    with pytest.raises(Conflict, match="уже опубликован"):
        run(engine, review.publish_admitted, actor_id=staff_id, contest_id=contest_id, now=now)


def test_excluding_a_person_can_exclude_the_team(engine, session, now, contest):
    contest_id, staff_id, tasks = contest
    team_id, members = make_team(engine, session, contest_id, tasks[0], now, size=2)
    apply(engine, team_id, members[0].id, now)
    run(engine, review.admit, actor_id=staff_id, team_id=team_id, now=now)
    rows = run(engine, review.applications, actor_id=staff_id, contest_id=contest_id)
    second = [m for m in rows[0].members if not m.captain][0]
    with pytest.raises(InvalidInput, match="основание"):
        run(
            engine,
            review.exclude_member,
            actor_id=staff_id,
            member_id=second.id,
            ground="bad",
            note="Ложные данные",
            now=now,
        )
    run(
        engine,
        review.exclude_member,
        actor_id=staff_id,
        member_id=second.id,
        ground="false_data",
        note="Ложные сведения о месте работы",
        now=now,
    )
    team = _team(session, team_id)
    assert team.status == "excluded" and team.exclusion_ground == "team_size"
    view = run(engine, cabinet.my_view, actor_id=members[0].id, contest_id=contest_id, now=now)
    assert view.team.status_name == "Коллектив исключён из конкурса"
    assert view.team.exclusion_text == "состав коллектива менее двух или более пяти человек"
    mine = run(engine, cabinet.my_view, actor_id=members[1].id, contest_id=contest_id, now=now)
    assert mine.team is None and "заведомо ложные сведения" in mine.my_exclusion


def test_excluding_a_team(engine, session, now, contest):
    contest_id, staff_id, tasks = contest
    team_id, members = make_team(engine, session, contest_id, tasks[0], now, size=3)
    apply(engine, team_id, members[0].id, now)
    run(
        engine,
        review.exclude_team,
        actor_id=staff_id,
        team_id=team_id,
        ground="commercial",
        note="Готовый продукт",
        now=now,
    )
    view = run(engine, cabinet.my_view, actor_id=members[2].id, contest_id=contest_id, now=now)
    assert view.team.status == "excluded" and view.team.review_note == "Готовый продукт"
    with pytest.raises(Conflict, match="уже выбыл"):
        run(
            engine,
            review.exclude_team,
            actor_id=staff_id,
            team_id=team_id,
            ground="rules",
            note="Ещё раз",
            now=now,
        )


def test_a_resident_cannot_call_the_operator_use_cases(engine, session, now, contest):
    contest_id, _, tasks = contest
    team_id, members = make_team(engine, session, contest_id, tasks[0], now, size=2)
    apply(engine, team_id, members[0].id, now)
    resident = members[0].id
    before = _read(session, select(AwardTeam))
    for fn, kwargs in (
        (review.admit, {"team_id": team_id}),
        (review.refuse, {"team_id": team_id, "reason": "Причина отказа"}),
        (review.exclude_team, {"team_id": team_id, "ground": "rules", "note": "Нарушение"}),
        (review.publish_admitted, {"contest_id": contest_id}),
        (contests.create_contest, {"config": config(2030)}),
        (contests.update_contest, {"contest_id": contest_id, "config": config()}),
    ):
        with pytest.raises(NotAllowed, match="Недостаточно прав|прав"):
            run(engine, fn, actor_id=resident, now=now, **kwargs)
    with pytest.raises(NotAllowed):
        run(engine, review.applications, actor_id=resident, contest_id=contest_id)
    assert [repr(t) for t in _read(session, select(AwardTeam))] == [repr(t) for t in before]


def test_a_contest_lists_every_problem_and_the_year_once(engine, session, now, contest):
    _, staff_id, _ = contest
    bad = config(
        2027,
        title=" ",
        apply_opens_at=now,
        apply_closes_at=now - timedelta(days=1),
        tasks=(TaskSpec(1, "", team_cap=0),),
        criteria=(CriterionSpec(1, "Критерий", 0),),
    )
    with pytest.raises(ContestProblems) as caught:
        run(engine, contests.create_contest, actor_id=staff_id, config=bad, now=now)
    assert len(caught.value.problems) == 5, caught.value.problems
    with pytest.raises(Conflict, match="2026 года уже есть"):
        run(engine, contests.create_contest, actor_id=staff_id, config=config(2026), now=now)
    assert [c.year for c in _read(session, select(contests.AwardContest))] == [2026]


def test_editing_refuses_what_teams_and_sheets_committed(engine, session, now, contest):
    contest_id, staff_id, tasks = contest
    for name in ("Альфа", "Бета"):
        team_id, members = make_team(engine, session, contest_id, tasks[1], now, size=2, name=name)
        apply(engine, team_id, members[0].id, now)
    make_team(engine, session, contest_id, tasks[0], now, size=1, name="Гамма")
    # Task 1 has a forming team, task 2 two applications: neither may go, task 2's cap not below 2.
    changed = config(caps=(None,), title="Новое название")
    with pytest.raises(ContestLocked) as caught:
        run(
            engine, contests.update_contest, actor_id=staff_id, contest_id=contest_id, config=changed, now=now
        )
    assert "Задачу 2 нельзя удалить" in str(caught.value)
    lowered = config(caps=(None, 1))
    with pytest.raises(ContestLocked, match="не может быть меньше"):
        run(
            engine, contests.update_contest, actor_id=staff_id, contest_id=contest_id, config=lowered, now=now
        )
    # Adding a task, raising a cap and renaming are fine; criteria too while nobody has scored.
    fine = config(caps=(None, 3, 4), title="Новое название")
    run(engine, contests.update_contest, actor_id=staff_id, contest_id=contest_id, config=fine, now=now)
    shown = run(engine, public.public_view, contest_id=contest_id, now=now)
    assert shown.title == "Новое название" and [t.team_cap for t in shown.tasks] == [None, 3, 4]
    assert shown.tasks[1].teams == 2 and shown.tasks[0].prize_3 == 10_000_050
    # Once a sheet exists, criteria are fixed.
    juror_user = person(session)
    with Session(engine) as s:
        juror = AwardJuror(contest_id=contest_id, user_id=juror_user.id)
        s.add(juror)
        s.flush()
        team = s.exec(select(AwardTeam).where(AwardTeam.name == "Альфа")).one()
        s.add(AwardSheet(juror_id=juror.id, team_id=team.id, task_id=team.task_id, updated_at=now))
        s.commit()
    other = config(caps=(None, 3, 4), title="Новое название", criteria=(CriterionSpec(1, "Иное", 7),))
    with pytest.raises(ContestLocked, match="Критерии нельзя изменить"):
        run(engine, contests.update_contest, actor_id=staff_id, contest_id=contest_id, config=other, now=now)
    run(engine, contests.update_contest, actor_id=staff_id, contest_id=contest_id, config=fine, now=now)


def test_the_public_view_has_no_person(engine, session, now, contest):
    contest_id, staff_id, tasks = contest
    team_id, members = make_team(engine, session, contest_id, tasks[0], now, size=2)
    apply(engine, team_id, members[0].id, now)
    run(engine, review.admit, actor_id=staff_id, team_id=team_id, now=now)
    run(engine, review.publish_admitted, actor_id=staff_id, contest_id=contest_id, now=now)
    text = repr(run(engine, public.public_view, contest_id=contest_id, now=now))
    assert "Команда А" in text
    for member in members:
        assert member.phone not in text and member.last_name not in text and member.first_name not in text
    items = run(engine, public.contest_items, now=now)
    assert [(i.year, i.apply_open) for i in items] == [(2026, True)]
