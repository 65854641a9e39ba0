"""Statistics aggregates: the fold equals a recount under concurrency, pending ballots count live,
visibility of a poll's statistics, suppression in the API and the CSV download."""

import csv
import io
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from ag_app.db import transaction
from ag_app.domain.errors import DomainError
from ag_app.domain.stats import DIMENSIONS, day_key, hour_key
from ag_app.models import Ballot, BallotAnswer, PollStat, User
from ag_app.services import ballots, polls
from ag_app.services.jobs import run_jobs
from ag_app.services.polls import AnswerInput
from ag_app.services.stats import poll_stats
from ag_app.services.tally import poll_cells, tally_job, tally_pending
from tests.factories import make_geo, make_user, open_session
from tests.integration.poll_helpers import DAY, first_options, make_poll, question_ids

BIRTHS = [date(2005, 3, 1), date(1999, 7, 7), date(1990, 1, 1), date(1980, 2, 29), date(1960, 6, 6), None]


def _voters(session: Session, geo: dict[str, int], n: int) -> list[int]:
    """``n`` residents with varied age, gender, district and number region."""
    houses = [geo["house:Арбат"], geo["house:Басманный"], geo["house:Раменки"], None]
    ids = []
    for i in range(n):
        user = make_user(
            session,
            birth_date=BIRTHS[i % len(BIRTHS)],
            house_id=houses[i % len(houses)],
            phone_region="moscow" if i % 3 else "other",
        )
        user.gender = ("male", "female", "")[i % 3]
        session.add(user)
        session.commit()
        ids.append(user.id)
    return ids


def _answers(questions, i: int) -> list[AnswerInput]:
    """A valid ballot that varies with ``i`` (one or two options in the multiple-choice question)."""
    q1, q2, q3 = questions
    picks = [[q2.options[i % 3].id], [q2.options[0].id, q2.options[2].id]][i % 2]
    return [
        AnswerInput(q1.id, [q1.options[i % 3].id]),
        AnswerInput(q2.id, picks),
        AnswerInput(q3.id, [q3.options[i % 2].id]),
    ]


def _vote(engine, user_id: int, poll_id: int, answers, when) -> None:
    with transaction(engine) as s:
        ballots.complete_ballot(s, actor_id=user_id, poll_id=poll_id, answers=answers, now=when)


def _recount(engine, poll_id: int) -> Counter:
    """Every statistics cell counted from the ballots in Python: {(dimension, key, option): n}."""
    cells: Counter = Counter()
    with Session(engine) as s:
        rows = s.exec(select(Ballot).where(Ballot.poll_id == poll_id)).all()
        chosen: dict[int, list[int]] = {}
        for ballot_id, option_id in s.exec(
            select(BallotAnswer.ballot_id, BallotAnswer.option_id)
            .join(Ballot, Ballot.id == BallotAnswer.ballot_id)
            .where(Ballot.poll_id == poll_id)
        ).all():
            chosen.setdefault(ballot_id, []).append(option_id)
    for b in rows:
        keys = {
            "all": "",
            "age": b.age_band,
            "gender": b.gender,
            "okrug": str(b.okrug_id or ""),
            "district": str(b.district_id or ""),
            "hour": hour_key(b.completed_at),
            "day": day_key(b.completed_at),
            "region": b.number_region,
        }
        for dim, key in keys.items():
            for option_id in [0, *chosen.get(b.id, [])]:
                cells[(dim, key, option_id)] += 1
    return cells


def _stored(engine, poll_id: int) -> Counter:
    with Session(engine) as s:
        rows = s.exec(select(PollStat).where(PollStat.poll_id == poll_id)).all()
    return Counter({(r.dimension, r.key, r.option_id): r.count for r in rows if r.count})


def _live(engine, poll_id: int) -> Counter:
    with Session(engine) as s:
        per_dim = poll_cells(s, poll_id, DIMENSIONS)
    return Counter({(d, k, o): n for d, c in per_dim.items() for (k, o), n in c.items() if n})


def _untallied(engine) -> int:
    with Session(engine) as s:
        return len(s.exec(select(Ballot.id).where(Ballot.tallied == False)).all())  # noqa: E712


def _setup(engine, session, now, voters: int):
    geo = make_geo(session)
    staff = make_user(session, roles=("staff",))
    poll_id = make_poll(engine, staff.id, now)
    questions = question_ids(engine, staff.id, poll_id, now)
    return staff.id, poll_id, questions, _voters(session, geo, voters)


def test_aggregates_equal_a_recount_after_concurrent_ballots_and_folds(engine, session, now):
    staff_id, poll_id, questions, voters = _setup(engine, session, now, 40)
    # Voting times cross Moscow midnight (21:00 UTC) and UTC midnight.
    start = now.replace(hour=19)
    done = threading.Event()

    def vote(i: int) -> None:
        _vote(engine, voters[i], poll_id, _answers(questions, i), start + timedelta(minutes=9 * i))

    def fold() -> int:
        folded = 0
        while not done.is_set():
            with transaction(engine) as s:
                folded += tally_pending(s, limit=3)
        return folded

    with ThreadPoolExecutor(max_workers=6) as pool:
        folders = [pool.submit(fold) for _ in range(2)]
        list(pool.map(vote, range(len(voters))))
        done.set()
        partial = sum(f.result() for f in folders)
    folded = tally_job(engine)

    assert partial + folded == len(voters)
    assert _untallied(engine) == 0
    recount = _recount(engine, poll_id)
    assert _stored(engine, poll_id) == recount
    assert recount[("all", "", 0)] == 40
    # The ballots spread over two Moscow days and several hours.
    assert len([k for k in recount if k[0] == "day" and k[2] == 0]) == 2


def test_pending_ballots_are_counted_live_between_folds(engine, session, now):
    staff_id, poll_id, questions, voters = _setup(engine, session, now, 12)
    for i in range(8):
        _vote(engine, voters[i], poll_id, _answers(questions, i), now + timedelta(minutes=40 * i))
    with transaction(engine) as s:
        assert tally_pending(s, poll_id=poll_id, limit=5) == 5
    for i in range(8, 12):
        _vote(engine, voters[i], poll_id, _answers(questions, i), now + timedelta(minutes=40 * i))

    assert _untallied(engine) == 7
    recount = _recount(engine, poll_id)
    assert _live(engine, poll_id) == recount
    assert _stored(engine, poll_id)[("all", "", 0)] == 5

    tally_job(engine)
    assert _live(engine, poll_id) == recount == _stored(engine, poll_id)


def test_two_concurrent_folds_never_count_a_ballot_twice(engine, session, now):
    staff_id, poll_id, questions, voters = _setup(engine, session, now, 30)
    for i, voter in enumerate(voters):
        _vote(engine, voter, poll_id, _answers(questions, i), now + timedelta(minutes=i))
    barrier = threading.Barrier(2)

    def fold() -> int:
        barrier.wait()
        total = 0
        while True:
            with transaction(engine) as s:
                n = tally_pending(s, limit=4)
            if n == 0:
                return total
            total += n

    with ThreadPoolExecutor(max_workers=2) as pool:
        counts = list(pool.map(lambda _: fold(), range(2)))

    assert sum(counts) == 30
    assert _stored(engine, poll_id) == _recount(engine, poll_id)


def _publish_results(engine, staff_id: int, poll_id: int, now) -> None:
    with transaction(engine) as s:
        polls.close_poll(s, actor_id=staff_id, poll_id=poll_id, now=now)
        polls.publish_results(s, actor_id=staff_id, poll_id=poll_id, now=now)


def _voted_poll(engine, session, now, n: int):
    staff_id, poll_id, questions, voters = _setup(engine, session, now, n)
    for i, voter in enumerate(voters):
        _vote(engine, voter, poll_id, _answers(questions, i), now + timedelta(minutes=5 * i))
    return staff_id, poll_id, questions, voters


def test_statistics_are_visible_only_with_published_results(engine, session, now, client, clock):
    staff_id, poll_id, _, voters = _voted_poll(engine, session, now, 6)
    staff_token = open_session(session, staff_id, now)
    voter_token = open_session(session, voters[0], now)
    url = f"/api/v1/polls/{poll_id}/stats?by=age"

    guest = client.get(url)
    resident = client.get(url, headers={"Authorization": f"Bearer {voter_token}"})
    staff = client.get(url, headers={"Authorization": f"Bearer {staff_token}"})
    assert (guest.status_code, resident.status_code, staff.status_code) == (404, 404, 200)
    assert resident.json()["detail"] == "Итоги ещё не опубликованы."
    assert staff.json()["total"] == 6

    _publish_results(engine, staff_id, poll_id, now + DAY)
    clock["now"] = now + DAY
    published = client.get(url)
    assert published.status_code == 200
    assert published.json()["poll_title"] == "Благоустройство парка «Дружба»"
    assert client.get("/api/v1/polls/999999/stats?by=age").status_code == 404


def test_unknown_breakdown_is_refused_in_russian(engine, session, now, client):
    staff_id, poll_id, _, _ = _voted_poll(engine, session, now, 1)
    _publish_results(engine, staff_id, poll_id, now + DAY)

    response = client.get(f"/api/v1/polls/{poll_id}/stats?by=phone")

    assert response.status_code == 422
    assert response.json()["detail"].startswith("Неизвестный разрез статистики")


def test_small_cells_are_suppressed_in_json_and_csv(engine, session, now, client):
    staff = make_user(session, roles=("staff",))
    poll_id = make_poll(engine, staff.id, now)
    questions = question_ids(engine, staff.id, poll_id, now)
    # 12 voters aged 25–34, 9 aged 35–44, 3 aged 55–64; everybody answers «Да», «Каток», «Весной»
    # except that 2 of the youngest answer «Нет» and 5 of them «Осенью».
    births = [date(1996, 1, 1)] * 12 + [date(1986, 1, 1)] * 9 + [date(1966, 1, 1)] * 3
    for i, birth in enumerate(births):
        voter = make_user(session, birth_date=birth)
        answers = first_options(questions)
        if i < 2:
            answers[0] = AnswerInput(questions[0].id, [questions[0].options[1].id])
        if 7 <= i < 12:
            answers[2] = AnswerInput(questions[2].id, [questions[2].options[1].id])
        _vote(engine, voter.id, poll_id, answers, now + timedelta(minutes=i))
    _publish_results(engine, staff.id, poll_id, now + DAY)
    tally_job(engine)

    body = client.get(f"/api/v1/polls/{poll_id}/stats?by=age").json()

    assert body["total"] == 24
    rows = dict(zip(body["labels"], body["ballots"], strict=True))
    # 55–64 (3) is hidden, and so is the next smallest band, 35–44 (9): else 3 = 24 − 12 − 9.
    assert rows == {"25–34": 12, "35–44": None, "55–64": None}
    yes, no, unsure = body["questions"][0]["options"]
    assert (yes["total"], no["total"]) == (22, 2)
    # «Да» of 35–44 (9) is hidden with the 3 of 55–64 (else 3 = 22 − 10 − 9); «Нет» and
    # «Затрудняюсь ответить» (2, 0, 0 and zeros) are small everywhere.
    assert yes["counts"] == [10, None, None]
    assert no["counts"] == unsure["counts"] == [None, None, None]
    # «Весной»: 7 of 25–34 is hidden with the 3 of 55–64, and then «Осенью» 5 of 25–34 with it
    # (else 5 = 12 − 7).
    spring, autumn = body["questions"][2]["options"]
    assert spring["counts"][0] is None and autumn["counts"][0] is None

    response = client.get(f"/api/v1/polls/{poll_id}/stats?by=age&format=csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert table[0][:3] == ["Возраст", "Бюллетени", "Вопрос 1: Да"]
    assert table[1][:5] == ["25–34", "12", "10", "<5", "<5"]
    assert table[3][:3] == ["55–64", "<5", "<5"]
    assert not {"0", "1", "2", "3", "4"} & {cell for row in table[1:] for cell in row}


def test_a_fold_of_all_polls_keeps_each_polls_cells_apart(engine, session, now):
    staff_id, poll_a, questions, voters = _setup(engine, session, now, 6)
    poll_b = make_poll(engine, staff_id, now)
    questions_b = question_ids(engine, staff_id, poll_b, now)
    for i, voter in enumerate(voters):
        _vote(engine, voter, poll_a, _answers(questions, i), now)
        if i % 2:
            _vote(engine, voter, poll_b, _answers(questions_b, i), now)

    assert tally_job(engine) == 9
    assert _stored(engine, poll_a) == _recount(engine, poll_a)
    assert _stored(engine, poll_b) == _recount(engine, poll_b)
    assert _stored(engine, poll_b)[("all", "", 0)] == 3


def test_service_refuses_a_deactivated_staff_member(engine, session, now):
    staff_id, poll_id, _, _ = _voted_poll(engine, session, now, 1)
    with Session(engine) as s:
        staff = s.get(User, staff_id)
        staff.deactivated_at = now
        s.add(staff)
        s.commit()

    with transaction(engine) as s, pytest.raises(DomainError) as refused:
        poll_stats(s, actor_id=staff_id, poll_id=poll_id, by="age", now=now)
    assert refused.value.key == "auth.deactivated"


def test_the_periodic_jobs_fold_new_ballots(engine, session, now):
    _, poll_id, _, _ = _voted_poll(engine, session, now, 7)

    report = run_jobs(now, engine=engine)

    assert report.done("tally") == 7
    assert _untallied(engine) == 0
    assert _stored(engine, poll_id) == _recount(engine, poll_id)
    assert run_jobs(now, engine=engine).done("tally") == 0
