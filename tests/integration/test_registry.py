"""Address registry lists, the citizen registry import and the numbering plan."""

import pytest
from sqlmodel import Session, select

from ag_app.db import transaction
from ag_app.domain.errors import InvalidInput, NotAllowed, NotAuthenticated
from ag_app.models import CitizenRecord, House, NumberingRange
from ag_app.services import registry
from tests.factories import make_geo, make_user

CITIZENS = """last_name,first_name,patronymic,birth_date,passport_series,passport_number,snils
Фёдорова,Анна,Сергеевна,1985-05-17,4506,123456,112-233-445 95
Петров,Пётр,,1970-01-02,4507,654321,10023307769
"""
NUMBERING = """code,range_from,range_to,region,operator
916,0,9999999,г. Москва и Московская область,МТС
903,0,4999999,г. Москва,Билайн
903,5000000,9999999,Тверская обл.,Билайн
"""


def call(engine, fn, **kwargs):
    with transaction(engine) as s:
        return fn(s, **kwargs)


def citizens(engine) -> dict[str, CitizenRecord]:
    with Session(engine) as s:
        return {r.snils: r for r in s.exec(select(CitizenRecord)).all()}


def test_import_citizens_and_update_by_snils(engine):
    assert call(engine, registry.import_citizens_csv, actor_id=None, operator=True, text=CITIZENS) == 2
    records = citizens(engine)
    assert set(records) == {"11223344595", "10023307769"}
    assert records["11223344595"].passport_series == "4506"
    changed = CITIZENS.replace("4506,123456", "4510,111111")
    assert call(engine, registry.import_citizens_csv, actor_id=None, operator=True, text=changed) == 2
    records = citizens(engine)
    assert len(records) == 2
    assert (records["11223344595"].passport_series, records["11223344595"].passport_number) == (
        "4510",
        "111111",
    )


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        (CITIZENS + "Иванов,Иван,Иванович,1980-01-01,4506,123456,112-233-445 94\n", 4, "СНИЛС"),
        (CITIZENS + "Иванов,Иван,Иванович,01.01.1980,4506,123456,10023307769\n", 4, "ГГГГ-ММ-ДД"),
        (CITIZENS + "Иванов,Иван,Иванович,1980-01-01,45,123456,10023307769\n", 4, "серия паспорта"),
        (CITIZENS + ",Иван,Иванович,1980-01-01,4506,123456,10023307769\n", 4, "фамилия"),
        (CITIZENS + "Иванов,Иван,Иванович,1980-01-01,4506,123456,10023307769\n", 4, "уже встречался"),
        ("last_name,first_name\nИванов,Иван\n", 1, "нет столбцов"),
        (CITIZENS.splitlines()[0] + "\n", 2, "нет данных"),
    ],
)
def test_bad_citizen_file_names_the_line_and_imports_nothing(engine, text, line, reason):
    with pytest.raises(InvalidInput) as err:
        call(engine, registry.import_citizens_csv, actor_id=None, operator=True, text=text)
    assert f"строка {line}:" in str(err.value)
    assert reason in str(err.value)
    assert citizens(engine) == {}


def test_only_staff_import(engine, session):
    resident = make_user(session)
    staff = make_user(session, roles=("staff",))
    with pytest.raises(NotAllowed):
        call(engine, registry.import_citizens_csv, actor_id=resident.id, text=CITIZENS)
    with pytest.raises(NotAllowed):
        call(engine, registry.import_numbering_csv, actor_id=resident.id, text=NUMBERING)
    with pytest.raises(NotAuthenticated):
        call(engine, registry.import_citizens_csv, actor_id=None, text=CITIZENS)
    assert call(engine, registry.import_citizens_csv, actor_id=staff.id, text=CITIZENS) == 2


def test_numbering_plan_decides_moscow_numbers(engine):
    assert call(engine, registry.import_numbering_csv, actor_id=None, operator=True, text=NUMBERING) == 3
    with transaction(engine) as s:
        assert registry.number_region(s, phone="+79161234567") == "moscow"
        assert registry.number_region(s, phone="+79034999999") == "moscow"
        assert registry.number_region(s, phone="+79035000000") == "other"
        assert registry.number_region(s, phone="+79991234567") == "other"  # not in the plan


def test_numbering_reimport_replaces_the_table_and_accepts_semicolons(engine):
    call(engine, registry.import_numbering_csv, actor_id=None, operator=True, text=NUMBERING)
    text = "code;range_from;range_to;region;operator\n916;0;9999999;Санкт-Петербург;МТС\n"
    assert call(engine, registry.import_numbering_csv, actor_id=None, operator=True, text=text) == 1
    with Session(engine) as s:
        assert len(s.exec(select(NumberingRange)).all()) == 1
    with transaction(engine) as s:
        assert registry.number_region(s, phone="+79161234567") == "other"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("916,500,100,г. Москва,МТС", "начало не больше конца"),
        ("91,0,100,г. Москва,МТС", "код — 3 цифры"),
        ("916,x,100,г. Москва,МТС", "числами"),
        ("916,0,100,,МТС", "регион"),
    ],
)
def test_bad_numbering_row_keeps_the_old_plan(engine, row, reason):
    call(engine, registry.import_numbering_csv, actor_id=None, operator=True, text=NUMBERING)
    with pytest.raises(InvalidInput) as err:
        call(engine, registry.import_numbering_csv, actor_id=None, operator=True, text=NUMBERING + row + "\n")
    assert "строка 5:" in str(err.value) and reason in str(err.value)
    with Session(engine) as s:
        assert len(s.exec(select(NumberingRange)).all()) == 3


def test_address_lists(engine, session):
    geo = make_geo(session)
    street_id = session.get(House, geo["house:Арбат"]).street_id
    for number, status in (("10", "registry"), ("2", "registry"), ("10к1", "registry"), ("3", "pending")):
        session.add(House(street_id=street_id, district_id=geo["Арбат"], number=number, status=status))
    session.commit()
    with transaction(engine) as s:
        okrugs = registry.list_okrugs(s)
        assert [o.abbrev for o in okrugs] == ["ЦАО", "ЗАО"]
        assert [d.name for d in registry.list_districts(s)] == ["Арбат", "Басманный", "Раменки"]
        central = registry.list_districts(s, okrug_id=geo["ЦАО"])
        assert [(d.name, d.okrug) for d in central] == [
            ("Арбат", "Центральный административный округ"),
            ("Басманный", "Центральный административный округ"),
        ]
        assert registry.list_streets(s, district_id=geo["Арбат"]) == [
            registry.StreetView(id=street_id, name="улица Арбат")
        ]
        houses = registry.list_houses(s, street_id=street_id)
        assert [h.number for h in houses] == ["1", "2", "10", "10к1"]
        assert houses[0].text == "улица Арбат, д. 1"
        assert registry.list_houses(s, street_id=999_999) == []


def test_cli_imports_files(engine, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from ag_app.cli import app

    monkeypatch.setattr("ag_app.db.get_engine", lambda: engine)
    good, bad = tmp_path / "citizens.csv", tmp_path / "bad.csv"
    good.write_text(CITIZENS, encoding="utf-8")
    bad.write_text(CITIZENS + "Иванов,Иван,,1980-01-01,4506,123456,1\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["import-citizens", str(good)])
    assert (result.exit_code, result.output.strip()) == (0, "Загружено записей: 2")
    result = runner.invoke(app, ["import-citizens", str(bad)])
    assert result.exit_code == 1 and "строка 4" in result.output
    numbering = tmp_path / "numbering.csv"
    numbering.write_text(NUMBERING, encoding="utf-8")
    assert runner.invoke(app, ["import-numbering", str(numbering)]).exit_code == 0
    assert runner.invoke(app, ["import-numbering", str(tmp_path / "missing.csv")]).exit_code == 2
    assert len(citizens(engine)) == 2
