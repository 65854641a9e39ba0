"""Twenty concurrent presses by one citizen change the state once, on SQLite and PostgreSQL.

Each racer runs in its own thread and transaction; a transient database error (deadlock,
serialization failure) counts as a failure here, not as something to retry.
"""

import pytest
from sqlmodel import select

from ag_app.db import transaction
from ag_app.domain.promo import parse_votes
from ag_app.models import PromoCitizen
from ag_app.services.promo import citizen, codes, draws, votes
from tests.promo_helpers import make_campaign, make_citizen, msk
from tests.racing import race, unexpected

RACERS = 20


def _job(engine, fn, **kwargs):
    def job():
        with transaction(engine) as s:
            return fn(s, **kwargs) or "ok"

    return job


def _outcomes(results):
    assert unexpected(results) == []
    return sum(1 for r in results if r == "ok")


def _row(session, user_id) -> PromoCitizen:
    row = session.exec(
        select(PromoCitizen).where(PromoCitizen.user_id == user_id).execution_options(populate_existing=True)
    ).one()
    session.commit()
    return row


@pytest.fixture
def setup(engine, session):
    campaign_id, staff_id, geo = make_campaign(engine, session, window_prizes=("5000x1",) * 3)
    person = make_citizen(session, geo["house:Арбат"], full=True)
    codes.issue_due_codes(engine, now=msk((2026, 8, 31), 12))
    return campaign_id, staff_id, person


def test_twenty_opt_outs_change_the_state_once(engine, session, setup):
    campaign_id, _, person = setup
    now = msk((2026, 9, 5), 12)
    results = race(
        [
            _job(
                engine, citizen.opt_out, actor_id=person.id, campaign_id=campaign_id, reason=f"r{i}", now=now
            )
            for i in range(RACERS)
        ]
    )
    assert _outcomes(results) == 1
    row = _row(session, person.id)
    assert row.opted_out_at is not None and row.opt_out_reason.startswith("r")
    results = race(
        [
            _job(
                engine,
                citizen.opt_in,
                actor_id=person.id,
                campaign_id=campaign_id,
                accept_rules=True,
                now=now,
            )
            for _ in range(RACERS)
        ]
    )
    assert _outcomes(results) == 1
    assert _row(session, person.id).opted_out_at is None


def test_twenty_category_registrations_keep_one_category(engine, session, setup):
    campaign_id, _, person = setup
    now = msk((2026, 9, 1), 12)
    categories = ["sport", "travel", "home"]
    results = race(
        [
            _job(
                engine,
                citizen.choose_category,
                actor_id=person.id,
                campaign_id=campaign_id,
                category=categories[i % 3],
                now=now,
            )
            for i in range(RACERS)
        ]
    )
    assert _outcomes(results) == 1
    assert _row(session, person.id).category in categories


def test_twenty_activations_credit_the_prize_once(engine, session, setup):
    campaign_id, staff_id, person = setup
    with transaction(engine) as s:
        votes.import_votes(
            s,
            actor_id=staff_id,
            campaign_id=campaign_id,
            now=msk((2026, 9, 6), 13),
            rows=parse_votes(
                f"person;voted_at;channel;first_online\n{person.snils};2026-09-06 12:00;online;yes\n"
            ),
        )
    draws.due_draws(engine, now=msk((2026, 9, 7), 9, 30))
    assert _row(session, person.id).main_prize == 5000
    now = msk((2026, 9, 7), 10, 30)
    results = race(
        [
            _job(
                engine,
                citizen.activate,
                actor_id=person.id,
                campaign_id=campaign_id,
                accept_rules=True,
                now=now,
            )
            for _ in range(RACERS)
        ]
    )
    assert _outcomes(results) == 1
    assert _row(session, person.id).prize_points == 5000


def test_several_workers_run_a_draw_once(engine, session, setup):
    campaign_id, staff_id, person = setup
    with transaction(engine) as s:
        votes.import_votes(
            s,
            actor_id=staff_id,
            campaign_id=campaign_id,
            now=msk((2026, 9, 6), 13),
            rows=parse_votes(
                f"person;voted_at;channel;first_online\n{person.snils};2026-09-06 12:00;online;no\n"
            ),
        )
    results = race([lambda: draws.due_draws(engine, now=msk((2026, 9, 7), 9, 30)) for _ in range(4)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(results) == 4  # the main draw and three category draws of window 0, each once
    from ag_app.models import OutboxMessage

    sms = session.exec(select(OutboxMessage).where(OutboxMessage.recipient == person.phone)).all()
    session.commit()
    assert sum("победитель" in m.body for m in sms) == 1
