"""Races of the commission on SQLite and PostgreSQL: every member voting at once closes the round
exactly once, a member pressing «vote» five times at once votes once, and two «Подвести итоги» at
once compute the task once."""

from sqlmodel import select

from ag_app.db import transaction
from ag_app.domain.errors import Conflict
from ag_app.models import AwardStanding, AwardTieRound, AwardTieVote
from ag_app.services.award import results, ties
from tests.integration.test_award_jury import NOW, Commission, _tied
from tests.racing import race, unexpected


def _rows(session, table):
    session.expire_all()
    rows = session.exec(select(table)).all()
    session.commit()
    return rows


def _cast(engine, user_id, round_id, team_id):
    def job():
        with transaction(engine) as s:
            return ties.cast_vote(s, actor_id=user_id, round_id=round_id, team_id=team_id, now=NOW)

    return job


def test_everyone_voting_at_once_closes_the_round_once(engine, session):
    c = Commission(engine, session, members=8)
    task = c.contest.tasks[0]
    c.group(task, "Членов1")
    a, b = _tied(c, task, [4, 4])
    names = list(c.users)
    sitting = c.sitting(*names)
    c.op(results.compute, sitting_id=sitting, task_id=task, now=NOW)
    round_id = c.open_round(task).id
    # 5 : 3 for «T0».
    picks = [a, a, a, a, a, b, b, b]
    outcomes = race([_cast(engine, c.users[n], round_id, t) for n, t in zip(names, picks, strict=True)])
    assert unexpected(outcomes) == []
    assert all(o == task for o in outcomes)
    assert len(_rows(session, AwardTieVote)) == 8
    rounds = _rows(session, AwardTieRound)
    assert [(r.round, r.closed_at is not None, r.decided_team_id) for r in rounds] == [(1, True, a)]
    assert c.places(task) == {a: 1, b: 2}


def test_one_member_voting_five_times_at_once_votes_once(engine, session):
    c = Commission(engine, session, members=4)
    task = c.contest.tasks[0]
    c.group(task, "Членов1")
    a, _b = _tied(c, task, [4, 4])
    sitting = c.sitting(*c.users)
    c.op(results.compute, sitting_id=sitting, task_id=task, now=NOW)
    round_id = c.open_round(task).id
    outcomes = race([_cast(engine, c.users["Членов1"], round_id, a) for _ in range(5)])
    assert unexpected(outcomes) == []
    assert sum(1 for o in outcomes if o == task) == 1
    assert all(isinstance(o, Conflict) for o in outcomes if o != task)
    assert len(_rows(session, AwardTieVote)) == 1


def test_two_computations_at_once_compute_once(engine, session):
    c = Commission(engine, session, members=4)
    task = c.contest.tasks[0]
    c.group(task, "Членов1")
    _tied(c, task, [9, 4, 4])
    sitting = c.sitting(*c.users)

    def job():
        with transaction(engine) as s:
            results.compute(s, actor_id=c.operator, sitting_id=sitting, task_id=task, now=NOW)
            return "computed"

    outcomes = race([job, job])
    assert unexpected(outcomes) == []
    assert outcomes.count("computed") == 1
    assert len(_rows(session, AwardStanding)) == 3
    assert [(r.place, r.round) for r in _rows(session, AwardTieRound)] == [(2, 1)]
