"""The award contest's demo (``ag-app seed``): the 2026 contest replayed through its use cases — teams
of two to five, the third task full, one team withdrawn and one refused, a commission of nine with a
conflict of interest, the first task decided by the chair's casting vote and approved with its protocol
and payouts, the second task still being scored by the demo jury member; a second run changes nothing."""

import hashlib
from collections import Counter

import pytest
from sqlmodel import Session, col, select

from ag_app.db import transaction
from ag_app.models import (
    AwardContest,
    AwardJuror,
    AwardMember,
    AwardPayout,
    AwardRecusal,
    AwardSitting,
    AwardTask,
    AwardTeam,
    AwardTieRound,
    AwardTieVote,
    User,
)
from ag_app.seed import seed_demo
from ag_app.seed.award import CAPTAIN_PHONE, CHAIR_PHONE, JUROR_PHONE, YEAR, seed_award
from ag_app.services.award.published import contest_results
from ag_app.services.award.scoring import my_tasks


@pytest.fixture
def city(engine, now):
    with transaction(engine) as session:
        seed_demo(session, now=now, residents=300, ballots=500, polls=4)
    return engine


def _user_id(session: Session, phone: str) -> int:
    return session.exec(select(User.id).where(User.phone == phone)).one()


def test_the_demo_contest_is_decided_for_the_first_task_and_scored_for_the_second(city, now):
    with Session(city) as session:
        contest = session.exec(select(AwardContest).where(AwardContest.year == YEAR)).one()
        assert contest.admitted_published_at is not None
        teams = session.exec(select(AwardTeam).where(AwardTeam.contest_id == contest.id)).all()
        statuses = Counter(t.status for t in teams)
        assert statuses["withdrawn"] == 1 and statuses["refused"] == 1 and statuses["admitted"] >= 14
        sizes = Counter(
            session.exec(
                select(AwardMember.team_id).where(
                    AwardMember.status == "member", AwardMember.contest_id == contest.id
                )
            ).all()
        )
        admitted = [t for t in teams if t.status == "admitted"]
        assert all(2 <= sizes[t.id] <= 5 for t in admitted)
        assert {sizes[t.id] for t in admitted} >= {2, 3, 4}
        assert len(session.exec(select(AwardJuror).where(AwardJuror.contest_id == contest.id)).all()) == 9
        assert len(session.exec(select(AwardRecusal)).all()) == 1

        # The first task: the demo captain's team won a tie decided by the chair's vote (3 to 3).
        results = contest_results(session, contest_id=contest.id)
        first = next(t for t in results.tasks if t.number == 1)
        assert [p.place for p in first.places] == [1, 2, 3]
        captain_team = session.exec(
            select(AwardMember.team_id).where(AwardMember.user_id == _user_id(session, CAPTAIN_PHONE))
        ).one()
        winner = session.get(AwardTeam, captain_team)
        assert first.places[0].team == winner.name
        tie = session.exec(select(AwardTieRound)).one()
        assert tie.place == 1 and tie.decided_team_id == winner.id and tie.closed_at is not None
        votes = session.exec(select(AwardTieVote).where(AwardTieVote.round_id == tie.id)).all()
        assert sorted(Counter(v.team_id for v in votes).values()) == [3, 3]
        chair = session.exec(
            select(AwardJuror).where(AwardJuror.user_id == _user_id(session, CHAIR_PHONE))
        ).one()
        assert next(v.team_id for v in votes if v.juror_id == chair.id) == winner.id

        # Its protocol is stored with its SHA-256; the prizes are split to the kopeck between the members.
        sitting = session.exec(select(AwardSitting)).one()
        assert sitting.approved_at is not None
        assert hashlib.sha256(sitting.protocol_pdf).hexdigest() == sitting.protocol_sha256
        task_one = session.exec(
            select(AwardTask).where(AwardTask.contest_id == contest.id, AwardTask.number == 1)
        ).one()
        paid = Counter()
        for payout in session.exec(select(AwardPayout).where(AwardPayout.task_id == task_one.id)).all():
            paid[payout.place] += payout.amount
        assert paid == {1: task_one.prize_1, 2: task_one.prize_2, 3: task_one.prize_3}

        # The second task is being scored: the demo jury member has every sheet still to fill.
        tasks = my_tasks(session, actor_id=_user_id(session, JUROR_PHONE), contest_id=contest.id)
        second = next(t for t in tasks if t.number == 2)
        assert not second.decided and second.projects
        assert all(p.status != "submitted" for p in second.projects)
        assert session.exec(
            select(AwardTask.id).where(col(AwardTask.decided_sitting_id).is_not(None))
        ).all() == [task_one.id]
        # The third task is full.
        third = session.exec(
            select(AwardTask).where(AwardTask.contest_id == contest.id, AwardTask.number == 3)
        ).one()
        assert (
            sum(1 for t in teams if t.task_id == third.id and t.status in ("applied", "admitted"))
            == third.team_cap
        )

    with transaction(city) as session:
        assert seed_award(session, now=now) is False
