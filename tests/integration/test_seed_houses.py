"""The demo house registry: ~30 houses of every size, co-owners, tenants, companies, linked demo residents."""

from collections import defaultdict
from fractions import Fraction

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from ag_app.db import transaction
from ag_app.domain.house_registry import parse_registry_csv
from ag_app.models import Premise, PremiseHolder, PremiseLink, User, UserAddress
from ag_app.seed import seed_demo
from ag_app.seed.geo import DATA_DIR
from ag_app.seed.houses import NEIGHBOURS, seed_houses
from ag_app.seed.people import DEMO_RESIDENTS, load_citizens
from ag_app.services.holdings import verified_holdings


@pytest.fixture
def city(engine, now):
    with transaction(engine) as session:
        seed_demo(session, now=now, residents=200, ballots=500, polls=6)
    return engine


def test_about_thirty_houses_of_every_size(city):
    with Session(city) as session:
        sizes = dict(
            session.execute(
                select(Premise.house_id, func.count())
                .where(Premise.kind == "apartment")
                .group_by(Premise.house_id)
            ).all()
        )
        assert 28 <= len(sizes) <= 32
        assert min(sizes.values()) <= 24 and max(sizes.values()) == 500
        non_residential = (
            session.execute(
                select(PremiseHolder.organisation)
                .join(Premise, Premise.id == PremiseHolder.premise_id)
                .where(Premise.kind == "non_residential")
            )
            .scalars()
            .all()
        )
        assert non_residential and all(name.startswith(("ООО", "АО", "ИП")) for name in non_residential)
        areas = session.execute(select(Premise.area_m2)).scalars().all()
        assert all(a > 0 and a == round(a, 2) for a in areas)


def test_holders_have_accounts_shares_and_property_numbers(city):
    with Session(city) as session:
        holders = session.exec(select(PremiseHolder)).scalars().all()
        assert all(len(h.account_number) == 10 and h.account_number.isdigit() for h in holders)
        owners = [h for h in holders if h.role == "owner"]
        assert all(h.property_number for h in owners if h.person_kind == "person")
        assert all(not h.property_number for h in holders if h.role != "owner")
        shares: dict[int, Fraction] = defaultdict(Fraction)
        for h in owners:
            shares[h.premise_id] += Fraction(h.share_numerator, h.share_denominator)
        assert all(total == 1 for total in shares.values())
        co_owned = defaultdict(int)
        for h in owners:
            if h.share_denominator > 1:
                co_owned[h.house_id] += 1
        assert max(co_owned.values()) >= 6
        kinds = {(h.role, h.share_numerator, h.share_denominator) for h in owners}
        assert {("owner", 1, 2), ("owner", 1, 3), ("owner", 2, 3)} <= kinds
        assert any(h.role == "social_tenant" for h in holders)
        assert sum(h.role == "resident" for h in holders) > len(holders) / 4


def test_demo_residents_and_neighbours_are_linked_owners(city):
    phones = [d.phone for d in DEMO_RESIDENTS] + [n.phone for n in NEIGHBOURS]
    with Session(city) as session:
        houses = {}
        for phone in phones:
            user = session.execute(select(User).where(User.phone == phone)).scalar_one()
            assert user.identity_verified_at is not None
            home = session.execute(
                select(UserAddress).where(UserAddress.user_id == user.id, UserAddress.kind == "registration")
            ).scalar_one()
            owned = [h for h in verified_holdings(session, user.id) if h.role == "owner"]
            assert [(h.house_id, h.premise_number) for h in owned] == [(home.house_id, home.apartment)], phone
            houses[phone] = home.house_id
        assert len({houses[n.phone] for n in NEIGHBOURS} | {houses["+79161234567"]}) == 1
        petrov = session.execute(select(User.id).where(User.phone == "+79161234567")).scalar_one()
        (apartment,) = [h for h in verified_holdings(session, petrov) if h.role == "owner"]
        assert apartment.share == Fraction(1, 2)
        co_owners = (
            session.execute(
                select(PremiseHolder.person_ref).where(
                    PremiseHolder.premise_id == apartment.premise_id, PremiseHolder.role == "owner"
                )
            )
            .scalars()
            .all()
        )
        assert len(co_owners) == 2


def test_people_of_the_citizen_registry_without_account_hold_premises(city):
    with Session(city) as session:
        for last_name, role, account in (
            ("Васильев", "owner", "7701002020"),
            ("Новикова", "social_tenant", "7703003333"),
        ):
            citizen = next(c for c in load_citizens() if c.last_name == last_name)
            rows = (
                session.execute(
                    select(PremiseHolder).where(
                        PremiseHolder.last_name == citizen.last_name,
                        PremiseHolder.first_name == citizen.first_name,
                        PremiseHolder.birth_date == citizen.birth_date,
                    )
                )
                .scalars()
                .all()
            )
            assert {r.role for r in rows} == {role, "resident"}
            assert {r.account_number for r in rows} == {account}
            linked = session.execute(
                select(PremiseLink).where(PremiseLink.holder_id.in_([r.id for r in rows]))
            )
            assert linked.first() is None


def test_a_second_run_changes_nothing(city, now):
    def counts():
        with Session(city) as session:
            return [
                session.execute(select(func.count()).select_from(t)).scalar_one()
                for t in (Premise, PremiseHolder, PremiseLink, User)
            ]

    before = counts()
    with transaction(city) as session:
        assert not seed_houses(session, now=now, seed=2026).created
    assert counts() == before


def test_the_sample_file_is_valid():
    rows, errors = parse_registry_csv((DATA_DIR / "houses_sample.csv").read_text(encoding="utf-8"))
    assert errors == [] and len(rows) == 15
