"""Teams and applications of the award contest on SQLite and PostgreSQL: every bad input of issue 16
that concerns teams is refused with its Russian message and changes nothing."""

from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from ag_app.domain.errors import Conflict, DomainError, InvalidInput, NotAllowed, NotFound
from ag_app.models import Notification
from ag_app.models.award import AwardMember, AwardTeam
from ag_app.services.award import cabinet, teams
from tests.award_helpers import PROJECT, apply, make_contest, make_team, person, run


def _rows(session) -> list[str]:
    """Every team and membership row, to show that a refusal changed nothing."""
    with Session(session.get_bind()) as fresh:
        return sorted(map(repr, fresh.exec(select(AwardTeam)).all())) + sorted(
            map(repr, fresh.exec(select(AwardMember)).all())
        )


def _read(session, statement) -> list:
    """Rows read in a session of their own (the test's session keeps no transaction open)."""
    with Session(session.get_bind(), expire_on_commit=False) as fresh:
        return list(fresh.exec(statement).all())


def _team(session, team_id) -> AwardTeam:
    return _read(session, select(AwardTeam).where(AwardTeam.id == team_id))[0]


def _refused(engine, session, error_type, text, fn, **kwargs) -> DomainError:
    before = _rows(session)
    with pytest.raises(error_type) as caught:
        run(engine, fn, **kwargs)
    assert text in str(caught.value), str(caught.value)
    assert _rows(session) == before
    return caught.value


@pytest.fixture
def contest(engine, session, now):
    return make_contest(engine, session, now)


def test_a_team_of_three_forms_and_applies(engine, session, now, contest):
    contest_id, _, tasks = contest
    team_id, members = make_team(engine, session, contest_id, tasks[0], now)
    view = run(engine, cabinet.my_view, actor_id=members[1].id, contest_id=contest_id, now=now)
    assert view.team.size == 3 and view.can_apply and not view.can_create
    assert [m.captain for m in view.team.members] == [True, False, False]
    apply(engine, team_id, members[2].id, now)
    view = run(engine, cabinet.my_view, actor_id=members[0].id, contest_id=contest_id, now=now)
    assert view.team.status == "applied" and view.team.status_name == "Заявка подана, ждёт рассмотрения"
    assert view.team.project_title == PROJECT["title"] and not view.can_apply and not view.can_invite


def test_a_minor_and_an_unnamed_profile_cannot_create_a_team(engine, session, now, contest):
    contest_id, _, tasks = contest
    minor = person(session, birth_date=date(2008, 11, 21))  # 18 only tomorrow (Moscow)
    _refused(
        engine,
        session,
        NotAllowed,
        "только совершеннолетние",
        teams.create_team,
        actor_id=minor.id,
        contest_id=contest_id,
        name="Юниоры",
        task_id=tasks[0],
        now=now,
    )
    unnamed = person(session, named=False)
    _refused(
        engine,
        session,
        NotAllowed,
        "фамилию и имя",
        teams.create_team,
        actor_id=unnamed.id,
        contest_id=contest_id,
        name="Безымянные",
        task_id=tasks[0],
        now=now,
    )
    adult = person(session, birth_date=date(2008, 11, 20))  # 18 today
    assert run(
        engine,
        teams.create_team,
        actor_id=adult.id,
        contest_id=contest_id,
        name="Ровно 18",
        task_id=tasks[0],
        now=now,
    )


def test_a_minor_cannot_accept_an_invitation(engine, session, now, contest):
    contest_id, _, tasks = contest
    team_id, members = make_team(engine, session, contest_id, tasks[0], now, size=1)
    minor = person(session, birth_date=date(2010, 1, 1))
    invitation = run(
        engine, teams.invite, actor_id=members[0].id, team_id=team_id, phone=minor.phone, now=now
    )
    _refused(
        engine,
        session,
        NotAllowed,
        "только совершеннолетние",
        teams.accept,
        actor_id=minor.id,
        invitation_id=invitation,
        now=now,
    )


def test_a_duplicate_name_is_refused_case_insensitively(engine, session, now, contest):
    contest_id, _, tasks = contest
    make_team(engine, session, contest_id, tasks[0], now, size=1, name="Digital Leaders")
    other = person(session)
    _refused(
        engine,
        session,
        Conflict,
        "уже есть в конкурсе",
        teams.create_team,
        actor_id=other.id,
        contest_id=contest_id,
        name="  DIGITAL   leaders ",
        task_id=tasks[1],
        now=now,
    )


def test_a_person_cannot_be_invited_to_two_teams_at_once(engine, session, now, contest):
    contest_id, _, tasks = contest
    first, a = make_team(engine, session, contest_id, tasks[0], now, size=1, name="Первые")
    second, b = make_team(engine, session, contest_id, tasks[1], now, size=1, name="Вторые")
    invitee = person(session)
    run(engine, teams.invite, actor_id=a[0].id, team_id=first, phone=invitee.phone, now=now)
    _refused(
        engine,
        session,
        Conflict,
        "уже приглашён",
        teams.invite,
        actor_id=b[0].id,
        team_id=second,
        phone=invitee.phone,
        now=now,
    )
    # A member of one team cannot create another either.
    _refused(
        engine,
        session,
        Conflict,
        "один человек — один коллектив",
        teams.create_team,
        actor_id=invitee.id,
        contest_id=contest_id,
        name="Третьи",
        task_id=tasks[0],
        now=now,
    )
    # The invitee was told in their notification centre.
    titles = _read(session, select(Notification.title).where(Notification.user_id == invitee.id))
    assert titles == ["Приглашение в коллектив «Первые»"]


def test_declining_frees_the_invitee(engine, session, now, contest):
    contest_id, _, tasks = contest
    first, a = make_team(engine, session, contest_id, tasks[0], now, size=1, name="Первые")
    second, b = make_team(engine, session, contest_id, tasks[1], now, size=1, name="Вторые")
    invitee = person(session)
    invitation = run(engine, teams.invite, actor_id=a[0].id, team_id=first, phone=invitee.phone, now=now)
    run(engine, teams.decline, actor_id=invitee.id, invitation_id=invitation, now=now)
    _refused(
        engine,
        session,
        NotFound,
        "уже ответили",
        teams.accept,
        actor_id=invitee.id,
        invitation_id=invitation,
        now=now,
    )
    again = run(engine, teams.invite, actor_id=b[0].id, team_id=second, phone=invitee.phone, now=now)
    run(engine, teams.accept, actor_id=invitee.id, invitation_id=again, now=now)
    assert (
        run(engine, cabinet.my_view, actor_id=invitee.id, contest_id=contest_id, now=now).team.name
        == "Вторые"
    )


def test_invitations_refuse_unknown_phones_and_outsiders(engine, session, now, contest):
    contest_id, _, tasks = contest
    team_id, members = make_team(engine, session, contest_id, tasks[0], now, size=1)
    _refused(
        engine,
        session,
        NotFound,
        "не зарегистрирован",
        teams.invite,
        actor_id=members[0].id,
        team_id=team_id,
        phone="+7 999 111-22-33",
        now=now,
    )
    _refused(
        engine,
        session,
        InvalidInput,
        "российский мобильный",
        teams.invite,
        actor_id=members[0].id,
        team_id=team_id,
        phone="12345",
        now=now,
    )
    _refused(
        engine,
        session,
        Conflict,
        "самого себя",
        teams.invite,
        actor_id=members[0].id,
        team_id=team_id,
        phone=members[0].phone,
        now=now,
    )
    outsider, target = person(session), person(session)
    _refused(
        engine,
        session,
        NotAllowed,
        "только участник",
        teams.invite,
        actor_id=outsider.id,
        team_id=team_id,
        phone=target.phone,
        now=now,
    )
    _refused(
        engine,
        session,
        NotAllowed,
        "только участник",
        teams.leave,
        actor_id=outsider.id,
        team_id=team_id,
        now=now,
    )
    _refused(
        engine,
        session,
        NotAllowed,
        "только участник",
        teams.submit_application,
        actor_id=outsider.id,
        team_id=team_id,
        now=now,
        **PROJECT,
    )
    # Someone else's invitation cannot be answered.
    invitation = run(
        engine, teams.invite, actor_id=members[0].id, team_id=team_id, phone=target.phone, now=now
    )
    _refused(
        engine,
        session,
        NotFound,
        "Приглашение не найдено",
        teams.accept,
        actor_id=outsider.id,
        invitation_id=invitation,
        now=now,
    )


def test_a_sixth_member_is_refused(engine, session, now, contest):
    contest_id, _, tasks = contest
    team_id, members = make_team(engine, session, contest_id, tasks[0], now, size=4)
    late = [person(session) for _ in range(2)]
    invitations = [
        run(engine, teams.invite, actor_id=members[0].id, team_id=team_id, phone=p.phone, now=now)
        for p in late
    ]
    run(engine, teams.accept, actor_id=late[0].id, invitation_id=invitations[0], now=now)
    _refused(
        engine,
        session,
        Conflict,
        "уже 5 участников",
        teams.accept,
        actor_id=late[1].id,
        invitation_id=invitations[1],
        now=now,
    )
    view = run(engine, cabinet.my_view, actor_id=members[0].id, contest_id=contest_id, now=now)
    assert view.team.size == 5 and not view.can_invite


def test_a_team_solves_one_task(engine, session, now, contest):
    contest_id, _, tasks = contest
    team_id, members = make_team(engine, session, contest_id, tasks[0], now, size=2)
    run(engine, teams.change_task, actor_id=members[1].id, team_id=team_id, task_id=tasks[1], now=now)
    apply(engine, team_id, members[0].id, now)
    _refused(
        engine,
        session,
        Conflict,
        "только до подачи заявки",
        teams.change_task,
        actor_id=members[0].id,
        team_id=team_id,
        task_id=tasks[0],
        now=now,
    )
    _refused(
        engine,
        session,
        Conflict,
        "уже подана",
        teams.submit_application,
        actor_id=members[0].id,
        team_id=team_id,
        now=now,
        **PROJECT,
    )


def test_applications_only_in_the_period_and_with_two_to_five(engine, session, now, contest):
    contest_id, _, tasks = contest
    team_id, members = make_team(engine, session, contest_id, tasks[0], now, size=1)
    _refused(
        engine,
        session,
        InvalidInput,
        "от 2 до 5 человек",
        teams.submit_application,
        actor_id=members[0].id,
        team_id=team_id,
        now=now,
        **PROJECT,
    )
    other = person(session)
    invitation = run(
        engine, teams.invite, actor_id=members[0].id, team_id=team_id, phone=other.phone, now=now
    )
    run(engine, teams.accept, actor_id=other.id, invitation_id=invitation, now=now)
    after = now + timedelta(days=11)  # 1 December 2026, 12:00 Moscow: the period ended at 00:00
    _refused(
        engine,
        session,
        Conflict,
        "Приём заявок окончен",
        teams.submit_application,
        actor_id=members[0].id,
        team_id=team_id,
        now=after,
        **PROJECT,
    )
    before = now - timedelta(days=60)
    _refused(
        engine,
        session,
        Conflict,
        "ещё не начался",
        teams.submit_application,
        actor_id=members[0].id,
        team_id=team_id,
        now=before,
        **PROJECT,
    )
    bad = {**PROJECT, "prototype_url": "ftp://x", "description": "коротко"}
    error = _refused(
        engine,
        session,
        InvalidInput,
        "Ошибок: 2",
        teams.submit_application,
        actor_id=members[0].id,
        team_id=team_id,
        now=now,
        **bad,
    )
    assert set(error.problems) == {"prototype_url", "description"}
    view = run(engine, cabinet.my_view, actor_id=members[0].id, contest_id=contest_id, now=after)
    assert not view.can_apply and "Приём заявок окончен." in view.notes


def test_a_full_task_says_so(engine, session, now, contest):
    contest_id, _, tasks = contest  # task 2 takes at most 2 teams
    for name in ("Альфа", "Бета"):
        team_id, members = make_team(engine, session, contest_id, tasks[1], now, size=2, name=name)
        apply(engine, team_id, members[0].id, now)
    team_id, members = make_team(engine, session, contest_id, tasks[1], now, size=2, name="Гамма")
    _refused(
        engine,
        session,
        Conflict,
        "Задача заполнена",
        teams.submit_application,
        actor_id=members[0].id,
        team_id=team_id,
        now=now,
        **PROJECT,
    )
    view = run(engine, cabinet.my_view, actor_id=members[0].id, contest_id=contest_id, now=now)
    assert not view.can_apply and any("Задача заполнена" in note for note in view.notes)
    # Another task is free.
    run(engine, teams.change_task, actor_id=members[0].id, team_id=team_id, task_id=tasks[0], now=now)
    apply(engine, team_id, members[1].id, now)


def test_a_team_left_with_one_member_loses_its_application(engine, session, now, contest):
    contest_id, _, tasks = contest
    team_id, members = make_team(engine, session, contest_id, tasks[0], now, size=2)
    pending = person(session)
    apply(engine, team_id, members[0].id, now)
    session.add(
        AwardMember(
            contest_id=contest_id, team_id=team_id, user_id=pending.id, status="invited", invited_at=now
        )
    )
    session.commit()
    run(engine, teams.leave, actor_id=members[0].id, team_id=team_id, now=now)  # the captain leaves
    team = _team(session, team_id)
    assert team.status == "withdrawn" and team.captain_id == members[1].id
    view = run(engine, cabinet.my_view, actor_id=members[1].id, contest_id=contest_id, now=now)
    assert view.team.status_name == "Заявка отозвана" and "один участник" in view.team.review_note
    assert view.team.captain and view.can_leave and not view.can_apply
    told = _read(session, select(Notification).where(Notification.user_id == members[1].id))
    assert "Вы остались одни в коллективе «Команда А»" in [n.title for n in told]
    # The pending invitation was cancelled: that person may join another team.
    assert _read(session, select(AwardMember.status).where(AwardMember.user_id == pending.id)) == ["declined"]
    # The one who left is free to form a new team.
    assert run(
        engine,
        teams.create_team,
        actor_id=members[0].id,
        contest_id=contest_id,
        name="Новые",
        task_id=tasks[0],
        now=now,
    )


def test_the_captaincy_passes_to_the_earliest_member(engine, session, now, contest):
    contest_id, _, tasks = contest
    team_id, members = make_team(engine, session, contest_id, tasks[0], now, size=3)
    apply(engine, team_id, members[0].id, now)
    run(engine, teams.leave, actor_id=members[0].id, team_id=team_id, now=now)
    team = _team(session, team_id)
    assert team.status == "applied" and team.captain_id == members[1].id
