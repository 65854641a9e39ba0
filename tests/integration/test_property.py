"""Property verification by ФЛС or property number, «Мой дом», and the holdings every house feature reads."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from ag_app.db import transaction
from ag_app.domain.errors import Conflict, InvalidInput, NotAllowed, NotAuthenticated, NotFound
from ag_app.models import HouseOrganisation, PremiseHolder, PremiseLink, UserAddress
from ag_app.seed.geo import DATA_DIR
from ag_app.services import holdings, property
from ag_app.services.house_registry import import_house_registry
from tests.factories import T0, make_geo, make_user

SAMPLE = (DATA_DIR / "houses_sample.csv").read_text(encoding="utf-8")
# People of the sample file.
BELOV = ("Белов", "Станислав", "Олегович", date(1958, 6, 30))
BELOVA = ("Белова", "Дарья", "Станиславовна", date(1990, 10, 5))
MIRONOVA = ("Миронова", "Алла", "-", date(1975, 1, 28))
FOMIN = ("Фомин", "Аркадий", "Семенович", date(1950, 3, 3))
TIKHONOVA = ("Тихонова", "Елена", "Борисовна", date(1987, 5, 2))


def call(engine, fn, **kwargs):
    with transaction(engine) as session:
        return fn(session, **kwargs)


@pytest.fixture
def geo(engine, session):
    ids = make_geo(session)
    admin = make_user(session, roles=("admin",))
    call(engine, import_house_registry, actor_id=admin.id, text=SAMPLE)
    return ids


def person(session: Session, data: tuple[str, str, str, date], *, verified: bool = True) -> int:
    """A user whose profile carries ``data`` (level 3 when ``verified``)."""
    user = make_user(session)
    user.last_name, user.first_name, user.patronymic, user.birth_date = data
    user.identity_verified_at = T0 if verified else None
    session.add(user)
    session.commit()
    return user.id


def links(engine, user_id: int) -> list[tuple[int, str]]:
    with Session(engine) as session:
        return session.exec(
            select(PremiseLink.holder_id, PremiseLink.method).where(PremiseLink.user_id == user_id)
        ).all()


def all_links(engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(PremiseLink)).one()


def test_an_owner_links_an_apartment_by_account_number(engine, geo, session, now):
    user = person(session, BELOV)

    linked = call(
        engine, property.link_premise, actor_id=user, method="account_number", number="77 0000 0031", now=now
    )

    assert [(h.premise_number, h.role_name, h.share, h.area_m2) for h in linked] == [
        ("3", "собственник", "1/3", Decimal("78.05"))
    ]
    assert [method for _h, method in links(engine, user)] == ["account_number"]
    with Session(engine) as s:
        (held,) = holdings.verified_holdings(s, user)
        assert (held.house_id, held.premise_kind, held.share, held.area_m2) == (
            geo["house:Арбат"],
            "apartment",
            Fraction(1, 3),
            Decimal("78.05"),
        )


def test_an_owner_links_by_property_number_and_case_of_names_does_not_matter(engine, geo, session, now):
    user = person(session, ("БЕЛОВА", "дарья", "Станиславовна", BELOVA[3]))

    linked = call(
        engine,
        property.link_premise,
        actor_id=user,
        method="property_number",
        number=" 77:01:0001001:1003-77/011/2019-3 ",
        now=now,
    )

    assert [(h.premise_number, h.share) for h in linked] == [("3", "2/3")]
    assert links(engine, user)[0][1] == "property_number"


def test_a_missing_patronymic_and_yo_compare_as_people_expect(engine, geo, session, now):
    mironova, fomin = person(session, ("Миронова", "Алла", "", MIRONOVA[3])), person(session, FOMIN)

    call(
        engine,
        property.link_premise,
        actor_id=mironova,
        method="account_number",
        number="7700000102",
        now=now,
    )
    linked = call(
        engine, property.link_premise, actor_id=fomin, method="account_number", number="7700000041", now=now
    )

    assert [(h.role, h.share) for h in linked] == [("social_tenant", "")]
    assert len(links(engine, mironova)) == 1


def test_one_person_links_each_premise_and_sees_them_in_my_house(engine, geo, session, now):
    user = person(session, TIKHONOVA)
    session.add(
        UserAddress(user_id=user, kind="registration", house_id=geo["house:Басманный"], changed_at=T0)
    )
    session.commit()
    for number in ("7700000201", "7700000203"):
        call(engine, property.link_premise, actor_id=user, method="account_number", number=number, now=now)

    view = call(engine, property.my_houses, actor_id=user)

    assert view.identity_verified
    ramenki, basmanny = view.houses
    assert (ramenki.address, ramenki.district, ramenki.okrug) == ("улица Раменки, д. 1", "Раменки", "ЗАО")
    assert [(h.premise_number, h.share, h.area_m2) for h in ramenki.holdings] == [
        ("1", "1", Decimal("38.90")),
        ("2", "1/4", Decimal("72.10")),
    ]
    assert (basmanny.holdings, basmanny.address_kinds) == ([], ["адрес регистрации"])


@pytest.mark.parametrize(
    ("method", "number", "error", "key"),
    [
        ("account_number", "12345", InvalidInput, "property.account_invalid"),
        ("account_number", "77000000311", InvalidInput, "property.account_invalid"),
        ("account_number", "77000000ab", InvalidInput, "property.account_invalid"),
        ("property_number", "   ", InvalidInput, "property.number_required"),
        ("passport", "7700000031", InvalidInput, "property.method_invalid"),
        ("account_number", "7799999999", NotFound, "property.not_found"),
        ("property_number", "77:01:0001001:9999-77/011/2019-2", NotFound, "property.not_found"),
        # Another owner's number of the same apartment, and a company's premise.
        ("account_number", "7700000032", NotAllowed, "property.data_mismatch"),
        ("account_number", "7700000091", NotAllowed, "property.data_mismatch"),
    ],
)
def test_refusals_change_nothing(engine, geo, session, now, method, number, error, key):
    user = person(session, BELOV)

    with pytest.raises(error) as refused:
        call(engine, property.link_premise, actor_id=user, method=method, number=number, now=now)

    assert refused.value.key == key
    assert all_links(engine) == 0


@pytest.mark.parametrize(
    "data",
    [
        (*BELOV[:3], date(1958, 6, 29)),
        ("Белов", "Станислав", "Олегович-", BELOV[3]),
        ("Белов", "Станислав", "", BELOV[3]),
        ("Белых", "Станислав", "Олегович", BELOV[3]),
    ],
)
def test_different_personal_data_is_refused_without_revealing_the_registry(engine, geo, session, now, data):
    user = person(session, data)

    with pytest.raises(NotAllowed) as refused:
        call(
            engine,
            property.link_premise,
            actor_id=user,
            method="account_number",
            number="7700000031",
            now=now,
        )

    assert refused.value.key == "property.data_mismatch"
    text = str(refused.value)
    assert "Белов" not in text and "1958" not in text and "78" not in text
    assert all_links(engine) == 0


def test_guests_and_users_below_level_three_are_refused(engine, geo, session, now):
    unverified = person(session, BELOV, verified=False)
    with pytest.raises(NotAuthenticated):
        call(
            engine,
            property.link_premise,
            actor_id=None,
            method="account_number",
            number="7700000031",
            now=now,
        )
    with pytest.raises(NotAllowed) as refused:
        call(
            engine,
            property.link_premise,
            actor_id=unverified,
            method="account_number",
            number="7700000031",
            now=now,
        )
    assert refused.value.key == "property.level_required"
    assert all_links(engine) == 0
    assert not call(engine, property.my_houses, actor_id=unverified).identity_verified


def test_linking_twice_says_so_and_changes_nothing(engine, geo, session, now):
    user = person(session, BELOV)
    call(engine, property.link_premise, actor_id=user, method="account_number", number="7700000031", now=now)
    before = links(engine, user)

    with pytest.raises(Conflict) as refused:
        call(
            engine,
            property.link_premise,
            actor_id=user,
            method="property_number",
            number="77:01:0001001:1003-77/011/2019-2",
            now=now,
        )

    assert refused.value.key == "property.already_linked"
    assert links(engine, user) == before


def test_unlinking_removes_only_the_users_own_link(engine, geo, session, now):
    owner, other = person(session, BELOV), person(session, BELOVA)
    (held,) = call(
        engine, property.link_premise, actor_id=owner, method="account_number", number="7700000031", now=now
    )

    with pytest.raises(NotFound):
        call(engine, property.unlink_premise, actor_id=other, holder_id=held.holder_id)
    assert len(links(engine, owner)) == 1

    call(engine, property.unlink_premise, actor_id=owner, holder_id=held.holder_id)

    assert links(engine, owner) == []
    with pytest.raises(NotFound):
        call(engine, property.unlink_premise, actor_id=owner, holder_id=held.holder_id)
    with Session(engine) as s:
        assert s.get(PremiseHolder, held.holder_id) is not None
    # Linking again works after unlinking.
    call(engine, property.link_premise, actor_id=owner, method="account_number", number="7700000031", now=now)
    assert len(links(engine, owner)) == 1


def test_holdings_and_roles_in_a_house(engine, geo, session, now):
    arbat, ramenki = geo["house:Арбат"], geo["house:Раменки"]
    owner = person(session, BELOV)
    tenant = person(session, FOMIN)
    neighbour = person(session, TIKHONOVA)
    call(engine, property.link_premise, actor_id=owner, method="account_number", number="7700000031", now=now)
    call(
        engine, property.link_premise, actor_id=tenant, method="account_number", number="7700000041", now=now
    )
    call(
        engine,
        property.link_premise,
        actor_id=neighbour,
        method="account_number",
        number="7700000203",
        now=now,
    )
    session.add(UserAddress(user_id=tenant, kind="registration", house_id=arbat, changed_at=T0))
    session.add(UserAddress(user_id=neighbour, kind="residence", house_id=arbat, changed_at=T0))
    session.add(
        HouseOrganisation(house_id=arbat, user_id=neighbour, role="hoa", name="ТСЖ «Арбат, 1»", created_at=T0)
    )
    session.commit()

    with Session(engine) as s:
        assert [(h.premise_number, h.role) for h in holdings.verified_holdings(s, owner, arbat)] == [
            ("3", "owner")
        ]
        assert holdings.verified_holdings(s, owner, ramenki) == []
        assert [(h.house_id, h.share) for h in holdings.verified_holdings(s, neighbour)] == [
            (ramenki, Fraction(1, 4))
        ]
        assert holdings.roles_in_house(s, owner, arbat) == {"owner"}
        assert holdings.roles_in_house(s, tenant, arbat) == {"social_tenant", "resident"}
        # A profile address makes a resident of the house, never an owner of its premises.
        assert holdings.roles_in_house(s, neighbour, arbat) == {"resident"}
        assert holdings.roles_in_house(s, neighbour, ramenki) == {"owner"}
        assert holdings.organisation_roles(s, neighbour, arbat) == {"hoa"}
        assert holdings.organisation_roles(s, neighbour, ramenki) == frozenset()
        assert holdings.organisation_roles(s, owner, arbat) == frozenset()
    # A re-import that drops a holder drops the holding, and the other links keep working.
    text = "\n".join(line for line in SAMPLE.splitlines() if "R-0005" not in line) + "\n"
    with transaction(engine) as s:
        import_house_registry(s, actor_id=None, text=text, operator=True)
    with Session(engine) as s:
        assert holdings.verified_holdings(s, owner) == []
        assert holdings.roles_in_house(s, owner, arbat) == frozenset()
        assert [h.role for h in holdings.verified_holdings(s, tenant)] == ["social_tenant"]


def test_concurrent_links_of_one_row_make_one_link(engine, geo, session, now):
    from concurrent.futures import ThreadPoolExecutor

    user = person(session, BELOV)

    def attempt(_n: int) -> str:
        try:
            call(
                engine,
                property.link_premise,
                actor_id=user,
                method="account_number",
                number="7700000031",
                now=now,
            )
        except Conflict:
            return "conflict"
        return "linked"

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = sorted(pool.map(attempt, range(12)))

    assert outcomes == ["conflict"] * 11 + ["linked"]
    assert len(links(engine, user)) == 1
