"""Racing completions: one ballot and one points credit per user and poll, on SQLite and PostgreSQL."""

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlmodel import Session, func, select

from ag_app.db import transaction
from ag_app.domain.errors import Conflict
from ag_app.models import Ballot, BallotAnswer, PointEntry, Poll, User
from ag_app.services import ballots
from tests.factories import make_user
from tests.integration.poll_helpers import first_options, make_poll, question_ids

RACERS = 50


def _race(engine, jobs, now):
    """Run ``complete_ballot`` for every (user, poll, answers) job at once, each in its own transaction."""
    barrier = threading.Barrier(len(jobs))

    def run(job):
        user_id, poll_id, answers = job
        barrier.wait()
        try:
            with transaction(engine) as s:
                return ballots.complete_ballot(s, actor_id=user_id, poll_id=poll_id, answers=answers, now=now)
        except Conflict as exc:
            return exc

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


def test_fifty_concurrent_completions_by_one_user_count_once(engine, session, now):
    staff = make_user(session, roles=("staff",))
    voter = make_user(session)
    poll_id = make_poll(engine, staff.id, now)
    answers = first_options(question_ids(engine, staff.id, poll_id, now))

    outcomes = _race(engine, [(voter.id, poll_id, answers)] * RACERS, now)

    successes = [o for o in outcomes if not isinstance(o, Conflict)]
    assert len(successes) == 1
    assert all(o.key == "poll.already_voted" for o in outcomes if isinstance(o, Conflict))
    assert successes[0].points_credited == 20
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(Ballot)).one() == 1
        assert s.exec(select(func.count()).select_from(BallotAnswer)).one() == len(answers)
        assert (
            s.exec(select(func.count()).select_from(PointEntry).where(PointEntry.user_id == voter.id)).one()
            == 1
        )
        user = s.get(User, voter.id)
        assert (user.points_available, user.points_lifetime) == (20, 20)
        assert s.get(Poll, poll_id).ballots_count == 1


def test_concurrent_voters_are_all_counted(engine, session, now):
    staff = make_user(session, roles=("staff",))
    voters = [make_user(session) for _ in range(20)]
    poll_id = make_poll(engine, staff.id, now)
    answers = first_options(question_ids(engine, staff.id, poll_id, now))

    outcomes = _race(engine, [(v.id, poll_id, answers) for v in voters], now)

    assert not any(isinstance(o, Conflict) for o in outcomes)
    with Session(engine) as s:
        assert s.get(Poll, poll_id).ballots_count == 20
        assert s.exec(select(func.count()).select_from(Ballot)).one() == 20
        assert s.exec(select(func.sum(User.points_available))).one() == 20 * 20
