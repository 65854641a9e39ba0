"""Administrators record users acting for a house's management company or HOA."""

import pytest
from sqlmodel import Session, select

from ag_app.db import transaction
from ag_app.domain.errors import Conflict, DomainError, InvalidInput, NotAllowed, NotAuthenticated, NotFound
from ag_app.models import House, HouseOrganisation
from ag_app.services import holdings
from ag_app.services.house_registry import (
    list_house_organisations,
    record_house_organisation,
    remove_house_organisation,
)
from tests.factories import make_geo, make_user


def call(engine, fn, **kwargs):
    with transaction(engine) as session:
        return fn(session, **kwargs)


@pytest.fixture
def setup(engine, session):
    ids = make_geo(session)
    admin = make_user(session, roles=("admin",)).id
    manager = make_user(session, phone="+79250001122")
    return ids, admin, manager


def records(engine) -> list[tuple[int, int, str, str]]:
    with Session(engine) as s:
        return s.exec(
            select(
                HouseOrganisation.house_id,
                HouseOrganisation.user_id,
                HouseOrganisation.role,
                HouseOrganisation.name,
            )
        ).all()


def test_an_administrator_records_a_management_company(engine, setup, now):
    ids, admin, manager = setup
    house = ids["house:Арбат"]

    view = call(
        engine,
        record_house_organisation,
        actor_id=admin,
        house_id=house,
        phone="8 (925) 000-11-22",
        role="management_company",
        name="  ГБУ «Жилищник района   Арбат» ",
        now=now,
    )

    assert (view.address, view.role_name, view.name) == (
        "улица Арбат, д. 1",
        "управляющая организация",
        "ГБУ «Жилищник района Арбат»",
    )
    assert records(engine) == [(house, manager.id, "management_company", "ГБУ «Жилищник района Арбат»")]
    with Session(engine) as s:
        assert holdings.organisation_roles(s, manager.id, house) == {"management_company"}
    listed = call(engine, list_house_organisations, actor_id=admin)
    assert [(o.id, o.name) for o in listed] == [(view.id, "ГБУ «Жилищник района Арбат»")]

    call(engine, remove_house_organisation, actor_id=admin, organisation_id=view.id)
    assert records(engine) == []
    with pytest.raises(NotFound):
        call(engine, remove_house_organisation, actor_id=admin, organisation_id=view.id)


@pytest.mark.parametrize(
    ("changes", "error", "key"),
    [
        ({"role": "owner"}, InvalidInput, "house_org.role_invalid"),
        ({"name": "   "}, InvalidInput, "house_org.name_required"),
        ({"name": "Я" * 301}, InvalidInput, "house_org.name_too_long"),
        ({"phone": "+79250009999"}, NotFound, "house_org.user_unknown"),
        ({"phone": "12345"}, DomainError, "phone.invalid"),
        ({"house_id": 999_999}, NotFound, "houses.not_found"),
    ],
)
def test_bad_records_are_refused_and_change_nothing(engine, setup, now, changes, error, key):
    ids, admin, _manager = setup
    data = {"house_id": ids["house:Арбат"], "phone": "+79250001122", "role": "hoa", "name": "ТСЖ «Арбат 1»"}

    with pytest.raises(error) as refused:
        call(engine, record_house_organisation, actor_id=admin, now=now, **(data | changes))

    assert refused.value.key == key
    assert records(engine) == []


def test_a_pending_house_cannot_get_an_organisation(engine, setup, session, now):
    ids, admin, _manager = setup
    pending = House(
        street_id=session.get(House, ids["house:Арбат"]).street_id,
        district_id=ids["Арбат"],
        number="99",
        status="pending",
    )
    session.add(pending)
    session.commit()
    with pytest.raises(NotFound):
        call(
            engine,
            record_house_organisation,
            actor_id=admin,
            house_id=pending.id,
            phone="+79250001122",
            role="hoa",
            name="ТСЖ",
            now=now,
        )


def test_the_same_record_twice_is_refused(engine, setup, now):
    ids, admin, _manager = setup
    data = {"house_id": ids["house:Арбат"], "phone": "+79250001122", "role": "hoa", "name": "ТСЖ «Арбат 1»"}
    call(engine, record_house_organisation, actor_id=admin, now=now, **data)

    with pytest.raises(Conflict):
        call(engine, record_house_organisation, actor_id=admin, now=now, **(data | {"name": "Другое"}))

    assert len(records(engine)) == 1
    # Another role of the same user in the same house is a record of its own.
    call(
        engine, record_house_organisation, actor_id=admin, now=now, **(data | {"role": "management_company"})
    )
    assert len(records(engine)) == 2


def test_only_administrators_record_list_and_remove(engine, setup, session, now):
    ids, admin, _manager = setup
    staff = make_user(session, roles=("staff",)).id
    resident = make_user(session).id
    data = {"house_id": ids["house:Арбат"], "phone": "+79250001122", "role": "hoa", "name": "ТСЖ «Арбат 1»"}
    view = call(engine, record_house_organisation, actor_id=admin, now=now, **data)
    for actor, error in ((None, NotAuthenticated), (resident, NotAllowed), (staff, NotAllowed)):
        with pytest.raises(error):
            call(
                engine,
                record_house_organisation,
                actor_id=actor,
                now=now,
                **(data | {"role": "management_company"}),
            )
        with pytest.raises(error):
            call(engine, list_house_organisations, actor_id=actor)
        with pytest.raises(error):
            call(engine, remove_house_organisation, actor_id=actor, organisation_id=view.id)
    assert len(records(engine)) == 1
