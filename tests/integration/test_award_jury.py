"""The commission of the award contest over the use cases, on SQLite and PostgreSQL: forming it,
score sheets and their hidden-until-submitted rule, conflicts of interest, computing a task's results
at a sitting (quorum, missing sheets) and the open tie votes with the chair's casting vote."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from sqlmodel import Session, select

from ag_app.db import transaction
from ag_app.domain.errors import Conflict, DomainError, InvalidInput, NotAllowed, NotFound
from ag_app.models import AwardRecusal, AwardScore, AwardSheet, AwardStanding, AwardTask, AwardTieRound
from ag_app.services.award import commission, results, scoring, ties
from tests.award_fixtures import HELD_ON, make_contest, make_person, make_team

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def run(engine, fn, **kwargs):
    """One use case in its own write transaction, as the pages and the API run it."""
    with transaction(engine) as s:
        return fn(s, **kwargs)


class Commission:
    """A contest with its operator and a commission formed through the use cases."""

    def __init__(self, engine, session: Session, *, members: int = 4, tasks: int = 1, maxima=(10, 5)):
        self.engine, self.session = engine, session
        self.contest = make_contest(session, tasks=tasks, maxima=maxima)
        self.operator = make_person(session, "Операторова", roles=("staff",)).id
        self.users = {}
        self.jurors = {}
        names = ["Председателев", "Заместителев"] + [f"Членов{i}" for i in range(1, members - 1)]
        for index, name in enumerate(names):
            user = make_person(session, name)
            role = "chair" if index == 0 else ("deputy" if index == 1 else "member")
            self.users[name] = user.id
            self.jurors[name] = self.op(
                commission.add_juror, contest_id=self.contest.id, phone=user.phone, role=role
            )

    def op(self, fn, **kwargs):
        return run(self.engine, fn, actor_id=self.operator, **kwargs)

    def as_(self, name, fn, **kwargs):
        return run(self.engine, fn, actor_id=self.users[name], **kwargs)

    def group(self, task_id, *names):
        for name in names:
            self.op(commission.assign, juror_id=self.jurors[name], task_id=task_id)

    def sitting(self, *present):
        return self.op(
            commission.create_sitting,
            contest_id=self.contest.id,
            held_on=HELD_ON,
            form="in_person",
            present=[self.jurors[n] for n in present],
            now=NOW,
        )

    def scores(self, total: int) -> dict[int, int]:
        """Scores adding up to ``total`` within the criteria's maxima."""
        out = {}
        for cid, maximum in self.contest.criteria.items():
            out[cid] = min(maximum, total)
            total -= out[cid]
        assert total == 0
        return out

    def submit(self, name, team_id, total, comment=""):
        self.as_(
            name,
            scoring.save_sheet,
            team_id=team_id,
            scores=self.scores(total),
            comment=comment,
            submit=True,
            now=NOW,
        )

    def places(self, task_id) -> dict[int, int | None]:
        self.session.expire_all()
        rows = self.session.exec(select(AwardStanding).where(AwardStanding.task_id == task_id)).all()
        self.session.commit()
        return {r.team_id: r.place for r in rows}

    def open_round(self, task_id) -> SimpleNamespace | None:
        """The task's open round as plain values (read and let go: SQLite has one writer)."""
        self.session.expire_all()
        found = self.session.exec(
            select(AwardTieRound).where(AwardTieRound.task_id == task_id, AwardTieRound.closed_at.is_(None))
        ).first()
        plain = None if found is None else SimpleNamespace(**found.model_dump())
        self.session.commit()
        return plain

    def vote(self, name, round_id, team_id):
        self.as_(name, ties.cast_vote, round_id=round_id, team_id=team_id, now=NOW)


def _count(session: Session, table) -> int:
    session.expire_all()
    n = len(session.exec(select(table)).all())
    session.commit()
    return n


# --- forming the commission ---------------------------------------------------------------------


def test_commission_roles_groups_and_removal(engine, session):
    c = Commission(engine, session, members=4)
    task = c.contest.tasks[0]
    other = make_person(session, "Второйпредседатель")
    with pytest.raises(Conflict, match="уже есть председатель комиссии"):
        c.op(commission.add_juror, contest_id=c.contest.id, phone=other.phone, role="chair")
    member_phone = session.get(type(other), c.users["Членов1"]).phone
    session.commit()
    with pytest.raises(Conflict, match="уже входит в состав"):
        c.op(commission.add_juror, contest_id=c.contest.id, phone=member_phone, role="member")
    with pytest.raises(NotFound, match="не зарегистрирован"):
        c.op(commission.add_juror, contest_id=c.contest.id, phone="+7 999 000-00-01", role="member")
    with pytest.raises(DomainError, match="мобильный номер"):
        c.op(commission.add_juror, contest_id=c.contest.id, phone="12", role="member")
    # A resident is not the operator; a juror is not either.
    with pytest.raises(NotAllowed):
        c.as_(
            "Председателев", commission.add_juror, contest_id=c.contest.id, phone=other.phone, role="member"
        )
    c.group(task, "Членов1", "Членов2")
    view = run(engine, commission.commission_view, actor_id=c.operator, contest_id=c.contest.id)
    assert [j.role for j in view.jurors] == ["chair", "deputy", "member", "member"]
    assert view.jurors[1].role_name == "член комиссии, к которому переходят полномочия председателя"
    assert {j.name.split()[0]: j.task_ids for j in view.jurors}["Членов1"] == (task,)
    team = make_team(session, c.contest, task)
    c.submit("Членов1", team, 12)
    with pytest.raises(Conflict, match="исключить его из состава нельзя"):
        c.op(commission.remove_juror, juror_id=c.jurors["Членов1"])
    with pytest.raises(Conflict, match="вывести его из экспертной группы нельзя"):
        c.op(commission.unassign, juror_id=c.jurors["Членов1"], task_id=task)
    c.op(commission.remove_juror, juror_id=c.jurors["Членов2"])
    view = run(engine, commission.commission_view, actor_id=c.operator, contest_id=c.contest.id)
    assert len(view.jurors) == 3 and not view.jurors[2].removable


def test_sitting_attendance_quorum_and_chair_holder(engine, session):
    c = Commission(engine, session, members=5)
    sitting = c.sitting("Заместителев", "Членов1")
    view = run(engine, commission.commission_view, actor_id=c.operator, contest_id=c.contest.id)
    row = view.sittings[0]
    assert (row.members, len(row.present_ids), row.valid) == (5, 2, False)
    assert row.chair_holder_name.startswith("Заместителев") and row.form_name == "очная"
    c.op(
        commission.update_sitting,
        sitting_id=sitting,
        held_on=HELD_ON,
        form="remote",
        present=[c.jurors[n] for n in ("Председателев", "Заместителев", "Членов1")],
        now=NOW,
    )
    row = run(engine, commission.commission_view, actor_id=c.operator, contest_id=c.contest.id).sittings[0]
    assert row.valid and row.chair_holder_name.startswith("Председателев") and row.form_name == "заочная"
    stranger = make_contest(session)
    foreign = make_person(session, "Чужой")
    other_juror = run(
        engine,
        commission.add_juror,
        actor_id=c.operator,
        contest_id=stranger.id,
        phone=foreign.phone,
        role="member",
    )
    with pytest.raises(InvalidInput, match="только члены комиссии этого конкурса"):
        c.op(
            commission.update_sitting,
            sitting_id=sitting,
            held_on=HELD_ON,
            form="remote",
            present=[other_juror],
            now=NOW,
        )


# --- score sheets -------------------------------------------------------------------------------


def test_bad_sheets_are_refused_and_nothing_changes(engine, session):
    c = Commission(engine, session, members=4, tasks=2)
    first, second = c.contest.tasks
    c.group(first, "Членов1")
    team = make_team(session, c.contest, first)
    elsewhere = make_team(session, c.contest, second)
    refused = make_team(session, c.contest, first, status="refused")
    crit = list(c.contest.criteria)
    with pytest.raises(InvalidInput, match="от 0 до 10"):
        c.as_(
            "Членов1",
            scoring.save_sheet,
            team_id=team,
            scores={crit[0]: 11},
            comment="",
            submit=False,
            now=NOW,
        )
    with pytest.raises(InvalidInput, match="от 0 до 5"):
        c.as_(
            "Членов1",
            scoring.save_sheet,
            team_id=team,
            scores={crit[0]: 3, crit[1]: -1},
            comment="",
            submit=True,
            now=NOW,
        )
    with pytest.raises(NotAllowed, match="не относится к задачам вашей экспертной группы"):
        c.as_(
            "Членов1",
            scoring.save_sheet,
            team_id=elsewhere,
            scores={crit[0]: 1},
            comment="",
            submit=False,
            now=NOW,
        )
    with pytest.raises(NotFound):
        c.as_(
            "Членов1",
            scoring.save_sheet,
            team_id=refused,
            scores={crit[0]: 1},
            comment="",
            submit=False,
            now=NOW,
        )
    with pytest.raises(NotAllowed, match="не входите в состав комиссии"):
        run(
            engine,
            scoring.save_sheet,
            actor_id=c.operator,
            team_id=team,
            scores={crit[0]: 1},
            comment="",
            submit=False,
            now=NOW,
        )
    with pytest.raises(InvalidInput, match="каждому критерию"):
        c.as_(
            "Членов1", scoring.save_sheet, team_id=team, scores={crit[0]: 3}, comment="", submit=True, now=NOW
        )
    with pytest.raises(InvalidInput, match="не больше 2000"):
        c.as_(
            "Членов1",
            scoring.save_sheet,
            team_id=team,
            scores={crit[0]: 3},
            comment="я" * 2001,
            submit=False,
            now=NOW,
        )
    assert _count(session, AwardSheet) == 0 and _count(session, AwardScore) == 0
    # A partial draft is kept; submitting completes it and makes it final.
    c.as_(
        "Членов1",
        scoring.save_sheet,
        team_id=team,
        scores={crit[0]: 7},
        comment="черновик",
        submit=False,
        now=NOW,
    )
    view = c.as_("Членов1", scoring.sheet_view, team_id=team)
    assert view.scores == {crit[0]: 7} and view.status == "draft" and view.editable
    assert [(k.name, k.max_score) for k in view.criteria] == [("Критерий 1", 10), ("Критерий 2", 5)]
    c.as_(
        "Членов1",
        scoring.save_sheet,
        team_id=team,
        scores={crit[0]: 7, crit[1]: 5},
        comment="Сильный прототип",
        submit=True,
        now=NOW,
    )
    with pytest.raises(Conflict, match="уже отправлена"):
        c.as_(
            "Членов1",
            scoring.save_sheet,
            team_id=team,
            scores={crit[0]: 1, crit[1]: 1},
            comment="",
            submit=True,
            now=NOW,
        )
    tasks = c.as_("Членов1", scoring.my_tasks, contest_id=c.contest.id)
    assert [(t.id, [(p.team_id, p.status_name) for p in t.projects]) for t in tasks] == [
        (first, [(team, "отправлена")])
    ]


def test_other_sheets_stay_hidden_until_the_member_submits(engine, session):
    c = Commission(engine, session, members=4)
    task = c.contest.tasks[0]
    c.group(task, "Членов1", "Членов2", "Председателев")
    team = make_team(session, c.contest, task)
    c.submit("Членов1", team, 9, comment="Хорошая архитектура")
    for name in ("Членов2", "Председателев"):
        with pytest.raises(NotAllowed, match="после того, как вы отправите свою анкету"):
            c.as_(name, scoring.other_sheets, team_id=team)
    # A draft is not enough.
    c.as_(
        "Членов2",
        scoring.save_sheet,
        team_id=team,
        scores={next(iter(c.contest.criteria)): 2},
        comment="",
        submit=False,
        now=NOW,
    )
    with pytest.raises(NotAllowed):
        c.as_("Членов2", scoring.other_sheets, team_id=team)
    # Nobody outside the task's group sees them, submitted or not.
    with pytest.raises(NotAllowed):
        c.as_("Заместителев", scoring.other_sheets, team_id=team)
    c.submit("Членов2", team, 14)
    shown = c.as_("Членов2", scoring.other_sheets, team_id=team)
    assert [(s.juror_name.split()[0], s.total, s.comment) for s in shown] == [
        ("Членов1", 9, "Хорошая архитектура")
    ]
    assert shown[0].scores == (("Критерий 1", 9, 10), ("Критерий 2", 0, 5))
    # The first member now sees the second's sheet, never their own in the list.
    assert [s.total for s in c.as_("Членов1", scoring.other_sheets, team_id=team)] == [14]


def test_conflict_of_interest_removes_the_member_from_the_task(engine, session):
    c = Commission(engine, session, members=4)
    task = c.contest.tasks[0]
    c.group(task, "Членов1", "Членов2")
    a, b = make_team(session, c.contest, task), make_team(session, c.contest, task)
    crit = next(iter(c.contest.criteria))
    c.as_("Членов1", scoring.save_sheet, team_id=b, scores={crit: 3}, comment="", submit=False, now=NOW)
    with pytest.raises(InvalidInput, match="от 3 до 500"):
        c.as_("Членов1", scoring.declare_recusal, team_id=a, note="", now=NOW)
    c.as_("Членов1", scoring.declare_recusal, team_id=a, note="Родственник в составе коллектива", now=NOW)
    assert _count(session, AwardSheet) == 0 and _count(session, AwardRecusal) == 1
    with pytest.raises(NotAllowed, match="конфликте интересов"):
        c.as_("Членов1", scoring.save_sheet, team_id=b, scores={crit: 3}, comment="", submit=False, now=NOW)
    assert {
        p.status for t in c.as_("Членов1", scoring.my_tasks, contest_id=c.contest.id) for p in t.projects
    } == {"recused"}
    with pytest.raises(Conflict, match="уже заявили"):
        c.as_("Членов1", scoring.declare_recusal, team_id=a, note="Ещё раз", now=NOW)
    c.submit("Членов2", a, 5)
    with pytest.raises(Conflict, match="заявить о конфликте интересов поздно"):
        c.as_("Членов2", scoring.declare_recusal, team_id=b, note="Знакомый", now=NOW)
    # The recused member owes no sheet: the other member's sheets are enough.
    c.submit("Членов2", b, 4)
    sitting = c.sitting("Председателев", "Членов1", "Членов2")
    c.op(results.compute, sitting_id=sitting, task_id=task, now=NOW)
    assert c.places(task) == {a: 1, b: 2}


# --- computing the results ----------------------------------------------------------------------


def test_compute_needs_quorum_rights_and_every_sheet(engine, session):
    c = Commission(engine, session, members=5)
    task = c.contest.tasks[0]
    c.group(task, "Членов1", "Членов2", "Членов3")
    a = make_team(session, c.contest, task, name="Alpha")
    b = make_team(session, c.contest, task, name="Бета")
    c.submit("Членов1", a, 10)
    c.submit("Членов1", b, 8)
    c.submit("Членов2", a, 3)
    few = c.sitting("Председателев", "Членов1")
    with pytest.raises(Conflict, match="присутствуют 2 из 5"):
        c.op(results.compute, sitting_id=few, task_id=task, now=NOW)
    full = c.sitting("Председателев", "Членов1", "Членов2", "Членов3")
    with pytest.raises(Conflict) as refused:
        c.op(results.compute, sitting_id=full, task_id=task, now=NOW)
    text = str(refused.value)
    assert "не заполнено анкет — 3" in text
    assert "Членов2 Иван Иванович — «Бета»" in text
    assert "Членов3 Иван Иванович — «Alpha»" in text and "Членов3 Иван Иванович — «Бета»" in text
    tasks = run(engine, results.sitting_tasks, actor_id=c.operator, sitting_id=full)
    assert [(m.juror_name.split()[0], m.team_name) for m in tasks[0].missing] == [
        ("Членов2", "Бета"),
        ("Членов3", "Alpha"),
        ("Членов3", "Бета"),
    ]
    assert not tasks[0].can_compute
    c.submit("Членов2", b, 3)
    c.submit("Членов3", a, 1)
    c.submit("Членов3", b, 1)
    # A member who does not hold the chair's powers may not compute; the chair present may.
    with pytest.raises(NotAllowed, match="председательствующий"):
        c.as_("Членов1", results.compute, sitting_id=full, task_id=task, now=NOW)
    with pytest.raises(NotAllowed):
        c.as_("Заместителев", results.compute, sitting_id=full, task_id=task, now=NOW)
    assert _count(session, AwardStanding) == 0
    c.as_("Председателев", results.compute, sitting_id=full, task_id=task, now=NOW)
    view = run(engine, results.task_results, actor_id=c.operator, task_id=task)
    assert [(r.team_name, r.total, r.place) for r in view.standings] == [("Alpha", 14, 1), ("Бета", 12, 2)]
    assert view.settled and view.decided_sitting_id == full
    # Fewer teams than prizes: two places only; the sheets are locked now.
    with pytest.raises(Conflict, match="уже подведены"):
        c.as_("Членов1", scoring.declare_recusal, team_id=a, note="Поздно заявлено", now=NOW)
    with pytest.raises(Conflict, match="уже подведены"):
        c.op(results.compute, sitting_id=full, task_id=task, now=NOW)


def test_an_absent_members_partial_sheets_do_not_count(engine, session):
    c = Commission(engine, session, members=4)
    task = c.contest.tasks[0]
    c.group(task, "Членов1", "Членов2")
    a, b = make_team(session, c.contest, task), make_team(session, c.contest, task)
    c.submit("Членов1", a, 5)
    c.submit("Членов1", b, 6)
    c.submit("Членов2", a, 15)  # absent at the sitting, and no sheet for b
    sitting = c.sitting("Председателев", "Членов1")
    c.op(results.compute, sitting_id=sitting, task_id=task, now=NOW)
    assert c.places(task) == {b: 1, a: 2}


# --- tie votes ----------------------------------------------------------------------------------


def _tied(c: "Commission", task: int, totals: list[int], names=("Членов1",)) -> list[int]:
    teams = [
        make_team(session=c.session, contest=c.contest, task_id=task, name=f"T{i}")
        for i in range(len(totals))
    ]
    for name in names:
        for team, total in zip(teams, totals, strict=True):
            c.submit(name, team, total)
    return teams


def test_a_tie_of_two_is_settled_by_the_chairs_casting_vote(engine, session):
    c = Commission(engine, session, members=5)
    task = c.contest.tasks[0]
    c.group(task, "Членов1")
    a, b, d = _tied(c, task, [9, 9, 4])
    make_person(session, "Посторонний")
    c.as_("Членов3", scoring.declare_recusal, team_id=d, note="Работает в команде T2", now=NOW)
    sitting = c.sitting("Председателев", "Заместителев", "Членов1", "Членов2", "Членов3")
    c.op(results.compute, sitting_id=sitting, task_id=task, now=NOW)
    assert c.places(task) == {a: None, b: None, d: 3}
    first = c.open_round(task)
    assert (first.place, first.round, first.teams) == (1, 1, f"{a},{b}")
    # Refusals: a team outside the tie, a recused member, a second vote; nothing is recorded.
    with pytest.raises(InvalidInput, match="равные баллы"):
        c.vote("Председателев", first.id, d)
    with pytest.raises(NotAllowed, match="конфликте интересов"):
        c.vote("Членов3", first.id, a)
    c.vote("Председателев", first.id, b)
    with pytest.raises(Conflict, match="уже проголосовали"):
        c.vote("Председателев", first.id, a)
    c.vote("Заместителев", first.id, a)
    c.vote("Членов1", first.id, a)
    view = run(engine, results.task_results, actor_id=c.operator, task_id=task)
    assert [(v.juror_name.split()[0], v.team_name) for v in view.rounds[0].votes] == [
        ("Председателев", "T1"),
        ("Заместителев", "T0"),
        ("Членов1", "T0"),
    ]
    assert view.rounds[0].waiting == ("Членов2 Иван Иванович",) and not view.settled
    c.vote("Членов2", first.id, b)
    # 2 : 2 — the chair's vote decides; place 2 follows without a vote.
    assert c.places(task) == {b: 1, a: 2, d: 3}
    assert c.open_round(task) is None
    view = run(engine, results.task_results, actor_id=c.operator, task_id=task)
    assert view.settled and view.rounds[0].decided_team_name == "T1"


def test_absent_member_cannot_vote_and_the_deputy_holds_the_chairs_powers(engine, session):
    c = Commission(engine, session, members=6)
    task = c.contest.tasks[0]
    c.group(task, "Членов1")
    a, b = _tied(c, task, [7, 7])
    sitting = c.sitting("Заместителев", "Членов1", "Членов2", "Членов3")
    # The chair is absent: they neither compute nor vote; the deputy does.
    with pytest.raises(NotAllowed):
        c.as_("Председателев", results.compute, sitting_id=sitting, task_id=task, now=NOW)
    c.as_("Заместителев", results.compute, sitting_id=sitting, task_id=task, now=NOW)
    round_ = c.open_round(task)
    with pytest.raises(NotAllowed, match="не отмечены присутствующим"):
        c.vote("Председателев", round_.id, a)
    c.vote("Заместителев", round_.id, b)
    c.vote("Членов1", round_.id, a)
    c.vote("Членов2", round_.id, a)
    c.vote("Членов3", round_.id, b)
    assert c.places(task) == {b: 1, a: 2}


def test_an_undecided_round_is_voted_again(engine, session):
    c = Commission(engine, session, members=4)
    task = c.contest.tasks[0]
    c.group(task, "Членов1")
    a, b = _tied(c, task, [6, 6])
    # Neither the chair nor the deputy is present (2 of 4 is a quorum): a 1 : 1 has no casting vote.
    sitting = c.sitting("Членов1", "Членов2")
    c.op(results.compute, sitting_id=sitting, task_id=task, now=NOW)
    first = c.open_round(task)
    with pytest.raises(NotAllowed, match="не отмечены присутствующим"):
        c.vote("Председателев", first.id, a)
    c.vote("Членов1", first.id, a)
    c.vote("Членов2", first.id, b)
    second = c.open_round(task)
    assert (second.place, second.round, second.teams) == (1, 2, first.teams)
    assert c.places(task) == {a: None, b: None}
    with pytest.raises(Conflict, match="уже завершено"):
        c.vote("Членов1", first.id, a)
    c.vote("Членов1", second.id, b)
    c.vote("Членов2", second.id, b)
    assert c.places(task) == {b: 1, a: 2}
    rounds = run(engine, results.task_results, actor_id=c.operator, task_id=task).rounds
    assert [(r.round, r.closed, r.decided_team_name) for r in rounds] == [(1, True, ""), (2, True, "T1")]


def test_a_recused_chair_cannot_vote_and_a_majority_decides(engine, session):
    c = Commission(engine, session, members=4)
    task = c.contest.tasks[0]
    c.group(task, "Членов1")
    a, b = _tied(c, task, [6, 6])
    c.as_("Председателев", scoring.declare_recusal, team_id=a, note="Консультировал коллектив", now=NOW)
    sitting = c.sitting("Председателев", "Заместителев", "Членов1", "Членов2")
    c.op(results.compute, sitting_id=sitting, task_id=task, now=NOW)
    first = c.open_round(task)
    with pytest.raises(NotAllowed, match="конфликте интересов"):
        c.vote("Председателев", first.id, a)
    c.vote("Заместителев", first.id, b)
    c.vote("Членов1", first.id, a)
    c.vote("Членов2", first.id, b)
    # 2 : 1 of the 3 voters is a majority.
    assert c.places(task) == {b: 1, a: 2}


def test_the_deputy_casts_for_a_recused_chair(engine, session):
    c = Commission(engine, session, members=5)
    task = c.contest.tasks[0]
    c.group(task, "Членов1")
    a, b = _tied(c, task, [6, 6])
    c.as_("Председателев", scoring.declare_recusal, team_id=a, note="Консультировал коллектив", now=NOW)
    sitting = c.sitting("Председателев", "Заместителев", "Членов1", "Членов2", "Членов3")
    c.op(results.compute, sitting_id=sitting, task_id=task, now=NOW)
    first = c.open_round(task)
    for name, team in (("Заместителев", a), ("Членов1", b), ("Членов2", a), ("Членов3", b)):
        c.vote(name, first.id, team)
    # 2 : 2 — the chair takes no part in the task, so the deputy's vote decides.
    assert c.places(task) == {a: 1, b: 2}


def test_a_tie_of_three_takes_a_round_per_place(engine, session):
    c = Commission(engine, session, members=4)
    task = c.contest.tasks[0]
    c.group(task, "Членов1")
    a, b, d, e = _tied(c, task, [8, 8, 8, 2])
    sitting = c.sitting("Председателев", "Заместителев", "Членов1", "Членов2")
    c.op(results.compute, sitting_id=sitting, task_id=task, now=NOW)
    assert c.places(task) == {a: None, b: None, d: None, e: None}
    first = c.open_round(task)
    assert first.teams == f"{a},{b},{d}"
    # 2 : 1 : 1 of 4 — no majority and no shared lead: vote again.
    for name, team in (("Председателев", d), ("Заместителев", a), ("Членов1", a), ("Членов2", b)):
        c.vote(name, first.id, team)
    again = c.open_round(task)
    assert (again.place, again.round) == (1, 2)
    for name, team in (("Председателев", a), ("Заместителев", a), ("Членов1", a), ("Членов2", b)):
        c.vote(name, again.id, team)
    second = c.open_round(task)
    assert (second.place, second.round, second.teams) == (2, 1, f"{b},{d}")
    assert c.places(task) == {a: 1, b: None, d: None, e: None}
    for name, team in (("Председателев", d), ("Заместителев", b), ("Членов1", d), ("Членов2", b)):
        c.vote(name, second.id, team)
    assert c.places(task) == {a: 1, d: 2, b: 3, e: None}
    assert c.open_round(task) is None
    assert run(engine, results.task_results, actor_id=c.operator, task_id=task).settled
    # My open rounds are empty now; approving is another part, but the sitting's changes stay guarded.
    assert c.as_("Членов1", ties.my_rounds, contest_id=c.contest.id) == []


def test_attendance_cannot_drop_a_voter_or_the_quorum_after_results(engine, session):
    c = Commission(engine, session, members=4)
    task = c.contest.tasks[0]
    c.group(task, "Членов1")
    a, b = _tied(c, task, [3, 3])
    sitting = c.sitting("Председателев", "Заместителев", "Членов1")
    c.op(results.compute, sitting_id=sitting, task_id=task, now=NOW)
    round_ = c.open_round(task)
    c.vote("Членов1", round_.id, a)
    keep = [c.jurors[n] for n in ("Председателев", "Заместителев")]
    with pytest.raises(Conflict, match="уже проголосовавший"):
        c.op(
            commission.update_sitting,
            sitting_id=sitting,
            held_on=HELD_ON,
            form="in_person",
            present=keep,
            now=NOW,
        )
    with pytest.raises(Conflict, match="меньше половины"):
        c.op(
            commission.update_sitting,
            sitting_id=sitting,
            held_on=HELD_ON,
            form="in_person",
            present=[c.jurors["Членов1"]],
            now=NOW,
        )
    # The deputy leaves: the two remaining voters have voted 1 : 1 … after the chair votes.
    c.vote("Председателев", round_.id, b)
    c.op(
        commission.update_sitting,
        sitting_id=sitting,
        held_on=HELD_ON,
        form="in_person",
        present=[c.jurors["Председателев"], c.jurors["Членов1"]],
        now=NOW,
    )
    # Two voters left, both voted: 1 : 1 and the chair's vote decides.
    assert c.places(task) == {b: 1, a: 2}
    session.expire_all()
    assert session.get(AwardTask, task).decided_sitting_id == sitting


def test_fewer_teams_than_prizes_award_fewer_places(engine, session):
    c = Commission(engine, session, members=2, tasks=2)
    single, pair = c.contest.tasks
    c.group(single, "Председателев")
    c.group(pair, "Председателев")
    (alone,) = _tied(c, single, [3], names=("Председателев",))
    make_team(session, c.contest, single, name="Withdrawn", status="withdrawn")
    first, second = (make_team(session, c.contest, pair, name=n) for n in ("Один", "Два"))
    c.submit("Председателев", first, 1)
    c.submit("Председателев", second, 2)
    # 1 of 2 present is a quorum (at least 50 %).
    sitting = c.sitting("Председателев")
    c.op(results.compute, sitting_id=sitting, task_id=single, now=NOW)
    c.op(results.compute, sitting_id=sitting, task_id=pair, now=NOW)
    assert c.places(single) == {alone: 1}
    assert c.places(pair) == {second: 1, first: 2}
    for task in (single, pair):
        view = run(engine, results.task_results, actor_id=c.operator, task_id=task)
        assert view.settled and view.rounds == ()
