"""Saving receipts: points, duplicates, periods, review rules and the rating they move (SPEC §11)."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from ag_app.domain.errors import Conflict, InvalidInput, NotAllowed
from ag_app.models import ReceiptFlag
from ag_app.services.contest import ranking
from ag_app.services.contest.contests import contests_of_period
from tests.factories import make_user
from tests.integration.contest_helpers import FUEL_FN, add_sellers, qr, submit


def _general(session):
    return contests_of_period(session, "2026-11")[0]


def test_receipts_earn_points_and_move_the_rating(engine, session, now):
    add_sellers(session)
    anna, boris = make_user(session), make_user(session)
    assert submit(engine, anna.id, qr(now - timedelta(hours=2)), now).receipt.points == 1
    result = submit(engine, boris.id, qr(now - timedelta(hours=1), fn=FUEL_FN), now + timedelta(minutes=1))
    assert result.receipt.points == 10 and result.receipt.status_name == "принят"
    submit(engine, anna.id, qr(now - timedelta(minutes=30)), now + timedelta(minutes=2))

    contest = _general(session)
    rows = ranking.top_rows(session, contest.id)
    assert [(row.place, row.points) for row in rows] == [(1, 10), (2, 2)]
    assert rows[0].name == "Иван И."
    own = ranking.own_position(session, contest.id, rows[1].number)
    assert (own.place, own.points, own.to_next, own.total) == (2, 2, 9, 2)
    assert [row.place for row in own.rows] == [1, 2]


def test_same_receipt_counts_once_and_flags_the_other_account(engine, session, now):
    add_sellers(session)
    anna, boris = make_user(session), make_user(session)
    receipt = qr(now - timedelta(hours=1))
    assert submit(engine, anna.id, receipt, now).receipt is not None
    with pytest.raises(Conflict, match="Этот чек уже сохранён"):
        submit(engine, anna.id, receipt, now)
    refused = submit(engine, boris.id, receipt, now)
    assert refused.receipt is None and refused.refused.status_code == 409
    flags = session.exec(select(ReceiptFlag)).all()
    assert [flag.kind for flag in flags] == ["duplicate"]
    assert ranking.participants(session, _general(session).id) == 1


@pytest.mark.parametrize(
    ("shift", "n", "message"),
    [
        (timedelta(hours=1), 1, "ещё не наступило"),
        (-timedelta(days=25), 1, "только в месяце покупки"),
        (-timedelta(hours=1), 2, "возврат прихода"),
    ],
    ids=["future", "previous-month", "refund"],
)
def test_receipts_that_cannot_count_are_refused_with_the_reason(engine, session, now, shift, n, message):
    user = make_user(session)
    with pytest.raises(InvalidInput, match=message):
        submit(engine, user.id, qr(now + shift, n=n), now)


@pytest.mark.parametrize(
    ("roles", "birth", "message"),
    [
        (("moderator",), date(1980, 1, 1), "Сотрудники"),
        ((), None, "дату рождения"),
        ((), date(2010, 1, 1), "совершеннолетние"),
    ],
    ids=["staff", "no-birth-date", "minor"],
)
def test_only_adult_residents_take_part(engine, session, now, roles, birth, message):
    user = make_user(session, roles=roles, birth_date=birth)
    with pytest.raises(NotAllowed, match=message):
        submit(engine, user.id, qr(now - timedelta(hours=1)), now)


def test_split_purchases_go_to_review_and_do_not_count(engine, session, now):
    add_sellers(session)
    user = make_user(session)
    statuses = [
        submit(engine, user.id, qr(now - timedelta(minutes=30 - i)), now).receipt.status for i in range(6)
    ]
    assert statuses == ["accepted"] * 4 + ["review"] * 2
    own = ranking.own_position(session, _general(session).id, 1)
    assert own.points == 4


def test_the_months_general_contest_opens_with_the_jobs(engine, session, now):
    from ag_app.services.jobs import JOBS

    job = next(job for job in JOBS if job.name == "contest_month")
    assert job.run(now, engine) == 1
    assert job.run(now, engine) == 0
    contests = contests_of_period(session, "2026-11")
    assert [(c.title, c.general, c.prizes) for c in contests] == [
        ("Конкурс чеков — ноябрь 2026", True, "2000,1500,1000,500,300")
    ]
