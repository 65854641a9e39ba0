"""The receipt contest's demo data (``ag-app seed``): the seller registry, this month's general and
«АЗС» contests with the demo resident near the top, last month's published contest with claimed and
unclaimed prizes; ratings equal to a recount; a second run changes nothing."""

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from ag_app.db import transaction
from ag_app.domain.contest import period_bounds
from ag_app.models import ContestParticipant, ContestPrize, Receipt, Seller, User
from ag_app.seed import seed_demo
from ag_app.seed.contest import DEMO_PARTICIPANT_PHONE
from ag_app.services.contest import ranking
from ag_app.services.contest.contests import contests_of_period
from ag_app.services.contest.finalise import final_results
from ag_app.services.contest.scoring import recount_contest
from tests.integration.test_contest_bench import _rating

_INN_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)


def _inn_valid(inn: str) -> bool:
    digits = [int(d) for d in inn]
    return (
        len(digits) == 10
        and sum(d * w for d, w in zip(digits[:9], _INN_WEIGHTS, strict=True)) % 11 % 10 == digits[9]
    )


@pytest.fixture
def city(engine, now):
    with transaction(engine) as session:
        seed_demo(session, now=now, residents=300, ballots=500, polls=4)
    return engine


def test_demo_contest_has_sellers_contests_and_the_demo_resident_near_the_top(city, now):
    with Session(city) as session:
        sellers = session.exec(select(Seller)).all()
        assert len(sellers) == 200 and sum(seller.category == "fuel" for seller in sellers) == 20
        assert all(_inn_valid(seller.inn) for seller in sellers)
        assert {seller.region for seller in sellers} == {"77", "50"}
        assert any(seller.name.startswith("АЗС «Лукойл»") for seller in sellers)

        general, fuel = contests_of_period(session, "2026-11")
        assert general.general and (fuel.categories, fuel.prizes) == ("fuel", "3000,2000,1000")
        demo = session.exec(
            select(ContestParticipant.id)
            .join(User, User.id == ContestParticipant.user_id)
            .where(User.phone == DEMO_PARTICIPANT_PHONE)
        ).one()
        own = ranking.own_position(session, general.id, demo)
        assert own.place <= 3 and own.total > 200
        assert ranking.own_position(session, fuel.id, demo).place <= 5
        start = period_bounds(2026, 11)[0]
        first, last, count = session.exec(
            select(func.min(Receipt.purchased_at), func.max(Receipt.purchased_at), func.count()).where(
                Receipt.period == "2026-11"
            )
        ).one()
        # Spread over the month so far (20 days): from its first days to the last hours.
        assert count > 2000
        assert (first.replace(tzinfo=None) - start.replace(tzinfo=None)).days < 2
        assert (now.replace(tzinfo=None) - last.replace(tzinfo=None)).days < 1

        (published,) = contests_of_period(session, "2026-10")
        seal, winners = final_results(session, contest_id=published.id)
        assert published.status == "final" and seal.rows == ranking.participants(session, published.id)
        assert [winner.prize for winner in winners] == [2000, 1500, 1000, 500, 300]
        prizes = session.exec(select(ContestPrize).where(ContestPrize.contest_id == published.id)).all()
        assert sorted(prize.status for prize in prizes) == ["awarded"] * 3 + ["claimed"] * 2
        # The demo resident holds one of last month's prizes, not claimed yet.
        assert [prize.status for prize in prizes if prize.participant_id == demo] == ["awarded"]


def test_demo_ratings_equal_a_recount_and_a_second_seed_changes_nothing(city, now):
    with Session(city) as session:
        contests = contests_of_period(session, "2026-11")
        built = {contest.id: _rating(session, contest.id) for contest in contests}
        receipts = session.exec(select(func.count()).select_from(Receipt)).one()
    with transaction(city) as session:
        assert not seed_demo(session, now=now, residents=300, ballots=500, polls=4).created
    with transaction(city) as session:
        for contest in contests:
            recount_contest(session, session.get(type(contest), contest.id))
    with Session(city) as session:
        assert {contest.id: _rating(session, contest.id) for contest in contests} == built
        assert session.exec(select(func.count()).select_from(Receipt)).one() == receipts
