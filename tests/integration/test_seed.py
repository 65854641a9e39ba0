"""The demo city (``ag-app seed``): real registry, eligible voters, consistent points, idempotent, deterministic."""

from collections import defaultdict

import pytest
from sqlalchemy import func, select
from sqlmodel import Session, SQLModel

from ag_app.db import make_engine, transaction
from ag_app.domain.clock import as_utc
from ag_app.domain.identity import is_valid_snils
from ag_app.domain.points import ACTIVE_CITIZEN_THRESHOLD
from ag_app.domain.polls import Audience, Place, Voter, why_cannot_vote
from ag_app.models import (
    Ballot,
    BallotAnswer,
    Child,
    CitizenRecord,
    District,
    House,
    NewsItem,
    Okrug,
    Option,
    PointEntry,
    Poll,
    PollDecision,
    PollTerritory,
    Question,
    Street,
    User,
    UserAddress,
    UserRole,
)
from ag_app.seed import DEMO_LOGINS, seed_demo
from ag_app.seed.award import JURORS
from ag_app.seed.geo import KIND_POSELENIE, load_districts
from ag_app.seed.houses import NEIGHBOURS
from ag_app.seed.people import load_citizens
from ag_app.services.registry import number_region

SMALL = {"residents": 300, "ballots": 3000}


def _seed(engine, now):
    with transaction(engine) as session:
        return seed_demo(session, now=now, **SMALL)


def _snapshot(engine) -> dict[str, int]:
    """Row count of every table plus a few sums that would move if anything were rewritten."""
    with Session(engine) as session:
        counts = {
            table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in SQLModel.metadata.sorted_tables
        }
        counts["sum:points"] = session.execute(select(func.sum(User.points_available))).scalar_one()
        counts["sum:ballots_count"] = session.execute(select(func.sum(Poll.ballots_count))).scalar_one()
        counts["max:ballot_id"] = session.execute(select(func.max(Ballot.id))).scalar_one()
    return counts


@pytest.fixture
def city(engine, now):
    report = _seed(engine, now)
    assert report.created
    return engine


def test_second_run_changes_nothing(city, now):
    before = _snapshot(city)
    # The residents, the demo logins, the neighbours of the house demo and the award commission.
    assert before["user"] == 300 + len(DEMO_LOGINS) + len(NEIGHBOURS) + len(JURORS)
    assert before["ballot"] > 2500

    again = _seed(city, now)

    assert not again.created
    assert _snapshot(city) == before


def test_registry_has_the_real_okrugs_and_districts(city):
    with Session(city) as session:
        okrugs = {o.abbrev: o for o in session.exec(select(Okrug)).scalars()}
        districts = session.exec(select(District)).scalars().all()
        assert sorted(okrugs) == sorted(
            ["ЦАО", "САО", "СВАО", "ВАО", "ЮВАО", "ЮАО", "ЮЗАО", "ЗАО", "СЗАО", "ЗелАО", "НАО", "ТАО"]
        )
        assert okrugs["НАО"].name == "Новомосковский административный округ"
        assert okrugs["ЗелАО"].name == "Зеленоградский административный округ"
        okrug_of = {d.name: next(a for a, o in okrugs.items() if o.id == d.okrug_id) for d in districts}
        per_okrug = defaultdict(int)
        for abbrev in okrug_of.values():
            per_okrug[abbrev] += 1
        raiony = {k: v for k, v in per_okrug.items() if k not in ("НАО", "ТАО")}
        assert raiony == {
            "ЦАО": 10,
            "САО": 16,
            "СВАО": 17,
            "ВАО": 16,
            "ЮВАО": 12,
            "ЮАО": 16,
            "ЮЗАО": 12,
            "ЗАО": 13,
            "СЗАО": 8,
            "ЗелАО": 5,
        }
        assert sum(raiony.values()) == 125
        poseleniya = [d.name for d in load_districts() if d.kind == KIND_POSELENIE]
        assert per_okrug["НАО"] + per_okrug["ТАО"] == len(poseleniya) > 0
        assert okrug_of["Арбат"] == "ЦАО"
        assert okrug_of["Раменки"] == "ЗАО"
        assert okrug_of["Крюково"] == "ЗелАО"
        assert okrug_of["Хамовники"] == "ЦАО"
        assert okrug_of["Сосенское"] == "НАО"
        assert okrug_of["Троицк"] == "ТАО"

        streets = session.execute(select(Street.district_id, func.count()).group_by(Street.district_id)).all()
        assert len(streets) == len(districts)
        assert all(2 <= n <= 3 for _d, n in streets)
        houses = session.execute(select(House.street_id, func.count()).group_by(House.street_id)).all()
        assert all(5 <= n <= 10 for _s, n in houses)


def test_every_ballot_is_cast_by_an_eligible_resident_in_the_voting_window(city):
    with Session(city) as session:
        okrug_of = dict(session.execute(select(District.id, District.okrug_id)).all())
        district_of = dict(session.execute(select(House.id, House.district_id)).all())
        home: dict[int, list[Place]] = defaultdict(list)
        work: dict[int, Place] = {}
        for user_id, kind, house_id in session.execute(
            select(UserAddress.user_id, UserAddress.kind, UserAddress.house_id)
        ).all():
            place = Place(district_of[house_id], okrug_of[district_of[house_id]])
            if kind in ("registration", "residence"):
                home[user_id].append(place)
            elif kind == "work":
                work[user_id] = place
        children: dict[int, list[int]] = defaultdict(list)
        for user_id, year in session.execute(select(Child.user_id, Child.birth_year)).all():
            children[user_id].append(year)
        users = {u.id: u for u in session.exec(select(User)).scalars()}
        staff = set(session.execute(select(UserRole.user_id)).scalars())
        territory: dict[int, tuple[set[int], set[int]]] = defaultdict(lambda: (set(), set()))
        for poll_id, okrug_id, district_id in session.execute(
            select(PollTerritory.poll_id, PollTerritory.okrug_id, PollTerritory.district_id)
        ).all():
            territory[poll_id][0 if okrug_id else 1].add(okrug_id or district_id)
        polls = {p.id: p for p in session.exec(select(Poll)).scalars()}
        ballots = session.exec(select(Ballot)).scalars().all()

        checked = defaultdict(int)
        for ballot in ballots:
            poll, user = polls[ballot.poll_id], users[ballot.user_id]
            okrugs, districts = territory[poll.id]
            audience = Audience(
                starts_at=poll.starts_at,
                ends_at=poll.ends_at,
                published_at=poll.published_at,
                scope=poll.scope,
                okrug_ids=frozenset(okrugs),
                district_ids=frozenset(districts),
                include_work_address=poll.include_work_address,
                min_level=poll.min_level,
                children_age_min=poll.children_age_min,
                children_age_max=poll.children_age_max,
            )
            voter = Voter(
                level=3 if user.identity_verified_at else 2 if home[user.id] or user.id in work else 1,
                home=tuple(home[user.id]),
                work=work.get(user.id),
                child_birth_years=tuple(children[user.id]),
            )
            assert why_cannot_vote(audience, voter, now=ballot.completed_at) is None, (poll.title, user.phone)
            assert as_utc(user.created_at) < as_utc(ballot.completed_at)
            assert as_utc(poll.published_at) <= as_utc(ballot.completed_at)
            assert user.id not in staff
            assert ballot.number_region == user.phone_region
            checked[poll.id] += 1
        assert {p.id: p.ballots_count for p in polls.values() if p.ballots_count} == dict(checked)
        # Territorial and children's polls were voted in, so the checks above covered them.
        assert any(checked[p.id] for p in polls.values() if p.scope == "territorial")
        assert any(checked[p.id] for p in polls.values() if p.children_age_min is not None)


def test_ballot_answers_respect_the_questions(city):
    with Session(city) as session:
        question_of = dict(session.execute(select(Option.id, Option.question_id)).all())
        questions = {q.id: q for q in session.exec(select(Question)).scalars()}
        exclusive = set(session.execute(select(Option.id).where(Option.is_exclusive)).scalars())
        per_ballot: dict[tuple[int, int], list[int]] = defaultdict(list)
        for answer in session.exec(select(BallotAnswer)).scalars():
            assert question_of[answer.option_id] == answer.question_id
            per_ballot[(answer.ballot_id, answer.question_id)].append(answer.option_id)
            assert len(answer.own_text) <= 500
        for (_ballot, question_id), chosen in per_ballot.items():
            question = questions[question_id]
            assert len(chosen) == len(set(chosen))
            assert 1 <= len(chosen) <= (1 if question.kind == "single" else question.max_choices)
            assert len(chosen) == 1 or not exclusive & set(chosen)
        poll_of_question = {q.id: q.poll_id for q in questions.values()}
        ballot_poll = dict(session.execute(select(Ballot.id, Ballot.poll_id)).all())
        answered = defaultdict(set)
        for ballot_id, question_id in per_ballot:
            assert poll_of_question[question_id] == ballot_poll[ballot_id]
            answered[ballot_id].add(question_id)
        questions_of_poll = defaultdict(set)
        for q in questions.values():
            questions_of_poll[q.poll_id].add(q.id)
        assert all(answered[b] == questions_of_poll[p] for b, p in ballot_poll.items())


def test_balances_are_the_sum_of_the_ledger(city):
    with Session(city) as session:
        sums = {
            user_id: (total, lifetime)
            for user_id, total, lifetime in session.execute(
                select(
                    PointEntry.user_id,
                    func.sum(PointEntry.amount),
                    func.sum(PointEntry.amount).filter(PointEntry.amount > 0),
                ).group_by(PointEntry.user_id)
            ).all()
        }
        for user in session.exec(select(User)).scalars():
            total, lifetime = sums.get(user.id, (0, 0))
            # Points blocked by demo shop reservations are still the user's: the ledger has no row for them yet.
            held = user.points_available + user.points_blocked
            assert (held, user.points_lifetime) == (total, lifetime or 0), user.phone
            assert (user.active_citizen_since is not None) == (
                user.points_lifetime >= ACTIVE_CITIZEN_THRESHOLD
            )
        poll_points = dict(session.execute(select(Poll.id, Poll.points)).all())
        poll_rows = session.execute(
            select(PointEntry.user_id, PointEntry.ref, PointEntry.amount).where(PointEntry.reason == "poll")
        ).all()
        ballots = {(f"poll:{p}", u) for p, u in session.execute(select(Ballot.poll_id, Ballot.user_id)).all()}
        assert {(ref, user_id) for user_id, ref, _a in poll_rows} == ballots
        assert all(amount == poll_points[int(ref[5:])] for _u, ref, amount in poll_rows)
        reasons = set(session.execute(select(PointEntry.reason).distinct()).scalars())
        assert {"poll", "profile_block", "daily_visit"} <= reasons


def test_demo_users_can_log_in_with_full_identification(city):
    with Session(city) as session:
        records = {c.snils: c for c in session.exec(select(CitizenRecord)).scalars()}
        for login in DEMO_LOGINS:
            user = session.exec(select(User).where(User.phone == login.phone)).scalars().one()
            roles = set(session.execute(select(UserRole.role).where(UserRole.user_id == user.id)).scalars())
            if login.role != "resident":
                assert roles == {login.role}
                continue
            assert not roles
            assert user.identity_verified_at is not None
            assert is_valid_snils(user.snils)
            record = records[user.snils]
            assert (record.last_name, record.first_name, record.patronymic, record.birth_date) == (
                user.last_name,
                user.first_name,
                user.patronymic,
                user.birth_date,
            )
            assert (record.passport_series, record.passport_number) == (
                user.passport_series,
                user.passport_number,
            )
            kinds = set(
                session.execute(select(UserAddress.kind).where(UserAddress.user_id == user.id)).scalars()
            )
            assert {"registration", "residence"} <= kinds
        # A registry record with no account yet, for reaching level 3 live.
        smirnova = [c for c in load_citizens() if c.last_name == "Смирнова"]
        assert smirnova and smirnova[0].snils in records
        assert session.exec(select(User).where(User.snils == smirnova[0].snils)).first() is None
        assert all(is_valid_snils(c.snils) for c in records.values())
        verified = session.execute(select(User.snils).where(User.identity_verified_at.is_not(None))).scalars()
        assert all(snils in records for snils in verified)


def test_phone_regions_follow_the_numbering_plan(city):
    with Session(city) as session:
        users = session.exec(select(User)).scalars().all()
        for user in users:
            assert user.phone_region == number_region(session, phone=user.phone), user.phone
        moscow = sum(u.phone_region == "moscow" for u in users)
        assert 0.75 < moscow / len(users) < 0.95


def test_polls_cover_every_state_and_feature(city, now):
    with Session(city) as session:
        polls = session.exec(select(Poll)).scalars().all()
        assert len(polls) == 40
        questions = session.execute(select(Question.poll_id, func.count()).group_by(Question.poll_id)).all()
        assert {p for p, n in questions if n >= 1} == {p.id for p in polls}
        options = session.execute(select(Option.question_id, func.count()).group_by(Option.question_id)).all()
        assert len(options) == session.execute(select(func.count()).select_from(Question)).scalar_one()
        assert all(n >= 2 for _q, n in options)
        assert session.exec(select(Option).where(Option.is_own_text, Option.text == "Свой вариант")).first()
        assert session.exec(
            select(Option).where(Option.is_exclusive, Option.text == "Затрудняюсь ответить")
        ).first()
        assert session.exec(
            select(Question).where(Question.kind == "multiple", Question.max_choices > 1)
        ).first()

        active = [p for p in polls if p.published_at and as_utc(p.starts_at) <= now < as_utc(p.ends_at)]
        scheduled = [p for p in polls if p.published_at and now < as_utc(p.starts_at)]
        closed = [p for p in polls if p.published_at and as_utc(p.ends_at) <= now]
        assert len(active) >= 3 and len(scheduled) >= 2 and len(closed) > len(polls) / 2
        assert any(p.scope == "city" for p in active) and any(p.scope == "territorial" for p in active)
        assert any(p.children_age_min == 7 and p.children_age_max == 17 for p in active)
        assert any(p.hide_intermediate for p in active)
        published = [p for p in closed if p.results_published_at]
        assert len(published) > len(closed) / 2
        assert all(as_utc(p.results_published_at) <= now for p in published)
        statuses = set(session.execute(select(PollDecision.status)).scalars())
        assert statuses == {"adopted", "implemented"}
        news_polls = set(
            session.execute(
                # City polls' results (house polls' results news carry no city poll).
                select(NewsItem.poll_id).where(NewsItem.kind == "results", NewsItem.poll_id.is_not(None))
            ).scalars()
        )
        assert news_polls == {p.id for p in published}


def test_same_parameters_give_the_same_city(tmp_path, now):
    dumps = []
    for name in ("a", "b"):
        engine = make_engine(f"sqlite:///{tmp_path / name}.db")
        SQLModel.metadata.create_all(engine)
        with transaction(engine) as session:
            seed_demo(session, now=now, residents=100, ballots=800, polls=12)
        with Session(engine) as session:
            dumps.append(
                (
                    session.execute(
                        select(User.uid, User.phone, User.last_name, User.points_available)
                    ).all(),
                    session.execute(select(Ballot.poll_id, Ballot.user_id, Ballot.completed_at)).all(),
                    session.execute(select(BallotAnswer.option_id, BallotAnswer.own_text)).all(),
                    session.execute(select(Poll.title, Poll.starts_at)).all(),
                )
            )
        engine.dispose()
    assert dumps[0] == dumps[1]
