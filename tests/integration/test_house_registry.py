"""The house registry import: a valid file, re-imports that update in place, refused files, rights."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from ag_app.db import transaction
from ag_app.domain.errors import NotAllowed, NotAuthenticated
from ag_app.domain.house_registry import COLUMNS, RegistryFileInvalid
from ag_app.models import House, Premise, PremiseHolder, PremiseLink, Street
from ag_app.seed.geo import DATA_DIR
from ag_app.services.house_registry import import_house_registry
from tests.factories import T0, make_geo, make_user

SAMPLE = (DATA_DIR / "houses_sample.csv").read_text(encoding="utf-8")
HEADER, *LINES = SAMPLE.splitlines()


def csv_of(lines: list[str]) -> str:
    return "\n".join([HEADER, *lines]) + "\n"


def run_import(engine, text: str, actor_id: int | None):
    with transaction(engine) as session:
        return import_house_registry(session, actor_id=actor_id, text=text)


def snapshot(engine) -> tuple:
    """Everything an import may change."""
    with Session(engine) as session:
        return (
            session.exec(
                select(Premise.id, Premise.house_id, Premise.number, Premise.kind, Premise.area_m2)
            ).all(),
            session.exec(
                select(
                    PremiseHolder.id,
                    PremiseHolder.premise_id,
                    PremiseHolder.person_ref,
                    PremiseHolder.role,
                    PremiseHolder.last_name,
                    PremiseHolder.share_numerator,
                    PremiseHolder.share_denominator,
                    PremiseHolder.account_number,
                )
            ).all(),
            session.exec(select(PremiseLink.id, PremiseLink.holder_id)).all(),
            session.exec(select(func.count()).select_from(House)).one(),
            session.exec(select(func.count()).select_from(Street)).one(),
        )


@pytest.fixture
def admin(engine, session):
    make_geo(session)
    return make_user(session, roles=("admin",)).id


def holder(session: Session, person_ref: str, role: str = "owner") -> PremiseHolder:
    return session.exec(
        select(PremiseHolder).where(PremiseHolder.person_ref == person_ref, PremiseHolder.role == role)
    ).one()


def test_sample_file_creates_houses_premises_and_holders(engine, admin):
    summary = run_import(engine, SAMPLE, admin)

    assert (summary.rows, summary.houses, summary.houses_created, summary.streets_created) == (15, 3, 1, 1)
    assert (summary.premises_created, summary.holders_created) == (10, 15)
    assert summary.holders_removed == summary.premises_updated == summary.holders_updated == 0
    with Session(engine) as session:
        street = session.exec(select(Street).where(Street.name == "Новая Басманная улица")).one()
        house = session.exec(select(House).where(House.street_id == street.id)).one()
        assert (house.number, house.status) == ("10", "registry")
        belova = holder(session, "R-0005")
        premise = session.get(Premise, belova.premise_id)
        assert (premise.number, premise.kind, Decimal(premise.area_m2)) == (
            "3",
            "apartment",
            Decimal("78.05"),
        )
        assert (belova.share_numerator, belova.share_denominator) == (1, 3)
        assert belova.birth_date == date(1958, 6, 30)
        assert belova.property_number == "77:01:0001001:1003-77/011/2019-2"
        shop = holder(session, "R-0009")
        assert (shop.person_kind, shop.organisation, shop.account_number) == (
            "legal",
            "ООО «Арбатская аптека»",
            "7700000091",
        )
        assert session.get(Premise, shop.premise_id).kind == "non_residential"
        tenant = holder(session, "R-0007", "social_tenant")
        assert (tenant.share_numerator, tenant.share_denominator, tenant.property_number) == (1, 1, "")
        # One person holding two premises of a house is two rows with the same person_ref.
        assert len(session.exec(select(PremiseHolder).where(PremiseHolder.person_ref == "R-0013")).all()) == 2


def test_reimporting_the_same_file_changes_nothing(engine, admin):
    run_import(engine, SAMPLE, admin)
    before = snapshot(engine)

    summary = run_import(engine, SAMPLE, admin)

    assert snapshot(engine) == before
    assert (summary.premises_created, summary.premises_updated, summary.premises_unchanged) == (0, 0, 10)
    assert (summary.holders_created, summary.holders_updated, summary.holders_unchanged) == (0, 0, 15)
    assert (summary.houses_created, summary.streets_created, summary.holders_removed) == (0, 0, 0)


def test_reimport_updates_in_place_and_removes_holders_missing_from_the_file(engine, admin, session):
    run_import(engine, SAMPLE, admin)
    user = make_user(session)
    with Session(engine) as s:
        kept, dropped = holder(s, "R-0001"), holder(s, "R-0002", "resident")
        apartment_id = kept.premise_id
    session.add(PremiseLink(holder_id=kept.id, user_id=user.id, method="account_number", linked_at=T0))
    session.add(PremiseLink(holder_id=dropped.id, user_id=user.id, method="account_number", linked_at=T0))
    session.commit()
    lines = [
        line.replace("42.50", "42.70").replace("Орлова,Наталья", "Орлова-Седова,Наталья")
        for line in LINES
        if "R-0002" not in line
    ]
    lines.append(
        "Арбат,улица Арбат,1,1,apartment,42.70,resident,person,R-0020,Орлов,Пётр,Андреевич,2006-01-15,,,,"
    )

    summary = run_import(engine, csv_of(lines), admin)

    assert (summary.premises_created, summary.premises_updated, summary.premises_unchanged) == (0, 1, 9)
    assert (summary.holders_created, summary.holders_updated, summary.holders_removed) == (1, 1, 1)
    assert summary.links_removed == 1
    with Session(engine) as s:
        owner = holder(s, "R-0001")
        assert (owner.id, owner.premise_id, owner.last_name) == (kept.id, apartment_id, "Орлова-Седова")
        assert Decimal(s.get(Premise, apartment_id).area_m2) == Decimal("42.70")
        assert s.get(PremiseHolder, dropped.id) is None
        assert s.exec(select(PremiseLink.holder_id).where(PremiseLink.user_id == user.id)).all() == [kept.id]
        newcomer = holder(s, "R-0020", "resident")
        assert newcomer.premise_id == apartment_id
        # Premises of houses absent from a file are left alone.
        assert s.exec(select(func.count()).select_from(Premise)).one() == 10


def test_a_partial_file_leaves_other_premises_alone(engine, admin):
    run_import(engine, SAMPLE, admin)
    before = snapshot(engine)
    only_ramenki = [line for line in LINES if line.startswith("Раменки")]

    summary = run_import(engine, csv_of(only_ramenki), admin)

    assert (summary.houses, summary.premises_unchanged, summary.holders_unchanged) == (1, 2, 3)
    assert snapshot(engine) == before


def _replace(line_no: int, old: str, new: str) -> str:
    """The sample with ``old`` replaced by ``new`` on data line ``line_no`` (2 = the first data line)."""
    lines = list(LINES)
    assert old in lines[line_no - 2]
    lines[line_no - 2] = lines[line_no - 2].replace(old, new, 1)
    return csv_of(lines)


BAD_FILES = [
    pytest.param(
        SAMPLE.replace(",share,", ",", 1),
        1,
        "нет столбцов: share",
        id="missing-column",
    ),
    pytest.param(_replace(6, "78.05", "-78.05"), 6, "Площадь «-78.05»", id="negative-area"),
    pytest.param(_replace(2, "42.50", "0"), 2, "Площадь «0»", id="zero-area"),
    pytest.param(_replace(3, "7700000012", "77000012"), 3, "ФЛС «77000012»", id="short-account"),
    pytest.param(_replace(3, "7700000012", "77000000AB"), 3, "ровно 10 цифр", id="letters-in-account"),
    pytest.param(
        _replace(11, "Басманный", "Атлантида"), 11, "Район «Атлантида» не найден", id="unknown-district"
    ),
    pytest.param(_replace(4, ",1/2,", ",1/0,"), 4, "Доля «1/0»", id="bad-share"),
    pytest.param(_replace(4, ",1/2,", ",3/2,"), 4, "Доля «3/2»", id="share-above-one"),
    pytest.param(_replace(5, ",1/2,", ",2/3,"), 5, "в сумме дают 7/6", id="shares-sum-above-one"),
    pytest.param(_replace(3, "42.50", "44.50"), 3, "в строке 2 — 42.50", id="two-areas"),
    pytest.param(csv_of([*LINES, LINES[0]]), 17, "уже указан в строке 2", id="duplicate-holder"),
    pytest.param(_replace(2, "1979-02-11", "11/02/1979"), 2, "Дата рождения", id="bad-birth-date"),
    pytest.param(_replace(2, ",owner,", ",landlord,"), 2, "Роль «landlord»", id="unknown-role"),
    pytest.param(
        _replace(3, ",resident,person,", ",resident,legal,"), 3, "только собственником", id="legal-resident"
    ),
    pytest.param(HEADER + "\n", 2, "нет ни одной строки", id="no-rows"),
]


@pytest.mark.parametrize(("text", "line", "reason"), BAD_FILES)
def test_a_bad_file_is_refused_with_its_line_and_changes_nothing(engine, admin, text, line, reason):
    run_import(engine, SAMPLE.replace("Орлова", "Орлова-Старая"), admin)
    before = snapshot(engine)

    with pytest.raises(RegistryFileInvalid) as refused:
        run_import(engine, text, admin)

    assert any(e.startswith(f"Строка {line}:") and reason in e for e in refused.value.errors), (
        refused.value.errors
    )
    assert "Реестр домов не загружен" in str(refused.value)
    assert snapshot(engine) == before


def test_every_error_of_a_file_is_reported(engine, admin):
    text = _replace(2, "42.50", "-1").replace("7700000021", "12345").replace("Раменки,улица", "Марс,улица")

    with pytest.raises(RegistryFileInvalid) as refused:
        run_import(engine, text, admin)

    lines = [e.split(":", 1)[0] for e in refused.value.errors]
    assert lines == ["Строка 2", "Строка 4", "Строка 14", "Строка 15", "Строка 16"]
    assert refused.value.total == 5
    assert snapshot(engine) == ([], [], [], 3, 3)


def test_only_administrators_import(engine, admin, session):
    staff = make_user(session, roles=("staff",)).id
    resident = make_user(session).id
    for actor, error in ((None, NotAuthenticated), (resident, NotAllowed), (staff, NotAllowed)):
        with pytest.raises(error):
            run_import(engine, SAMPLE, actor)
    assert snapshot(engine) == ([], [], [], 3, 3)


def test_columns_may_come_in_any_order_with_semicolons(engine, admin):
    order = list(reversed(COLUMNS))
    rows = [dict(zip(COLUMNS, line.split(","), strict=False)) for line in LINES[:2]]
    text = ";".join(order).upper() + "\n" + "\n".join(";".join(r.get(c, "") for c in order) for r in rows)

    summary = run_import(engine, text, admin)

    assert (summary.premises_created, summary.holders_created) == (1, 2)


def test_the_command_line_imports_and_lists_every_refused_line(engine, admin, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from ag_app.cli import app

    monkeypatch.setattr("ag_app.db.get_engine", lambda: engine)
    good, bad = tmp_path / "houses.csv", tmp_path / "bad.csv"
    good.write_text(SAMPLE, encoding="utf-8")
    bad.write_text(_replace(2, "42.50", "-1").replace("7700000021", "12345"), encoding="utf-8")
    runner = CliRunner()

    refused = runner.invoke(app, ["import-houses", str(bad)])
    assert refused.exit_code == 1
    assert "Реестр домов не загружен, ошибок в файле: 2." in refused.output
    assert "Строка 2: Площадь «-1»" in refused.output and "Строка 4: ФЛС «12345»" in refused.output
    assert snapshot(engine) == ([], [], [], 3, 3)

    result = runner.invoke(app, ["import-houses", str(good)])
    assert result.exit_code == 0
    assert "строк 15, домов 3 (новых 1); помещений новых 10" in result.output
    assert runner.invoke(app, ["import-houses", str(tmp_path / "missing.csv")]).exit_code == 2


def test_concurrent_imports_never_duplicate_rows(engine, admin):
    from concurrent.futures import ThreadPoolExecutor

    from ag_app.domain.errors import Conflict

    def attempt(_n: int) -> str:
        try:
            run_import(engine, SAMPLE, admin)
        except Conflict:
            return "conflict"
        return "imported"

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(attempt, range(4)))

    assert "imported" in outcomes
    premises, holders, _links, houses, streets = snapshot(engine)
    assert (len(premises), len(holders), houses, streets) == (10, 15, 3 + 1, 3 + 1)
