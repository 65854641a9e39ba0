"""Rules of the house registry file: shares, ФЛС, areas, single lines and lines of one file together."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from ag_app.domain.errors import InvalidInput
from ag_app.domain.house_registry import (
    COLUMNS,
    PersonData,
    check_rows,
    format_share,
    normalize_account_number,
    normalize_name,
    normalize_property_number,
    parse_area,
    parse_birth_date,
    parse_registry_csv,
    parse_row,
    parse_share,
    same_person,
    shares_fit,
    shares_sum,
)


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("1", Fraction(1)),
        ("1/3", Fraction(1, 3)),
        (" 2 / 3 ", Fraction(2, 3)),
        ("4/4", Fraction(1)),
        ("2/4", Fraction(1, 2)),
    ],
)
def test_shares_are_read_as_exact_fractions(text, share):
    assert parse_share(text) == share


@pytest.mark.parametrize("text", ["", "0", "0/3", "4/3", "1/0", "-1/3", "1.5", "треть", "1/3/4", "0.5"])
def test_bad_shares_are_refused(text):
    with pytest.raises(InvalidInput) as refused:
        parse_share(text)
    assert refused.value.key == "house_registry.share_invalid"


def test_shares_print_as_people_write_them():
    assert [format_share(s) for s in (Fraction(1), Fraction(1, 3), Fraction(2, 4))] == ["1", "1/3", "1/2"]


@pytest.mark.parametrize(
    ("shares", "fits"),
    [
        ([Fraction(1)], True),
        ([Fraction(1, 2), Fraction(1, 2)], True),
        ([Fraction(1, 3), Fraction(2, 3)], True),
        ([Fraction(1, 3), Fraction(1, 3)], True),
        ([Fraction(1, 3), Fraction(1, 3), Fraction(1, 3)], True),
        ([Fraction(1, 2), Fraction(2, 3)], False),
        ([Fraction(1), Fraction(1, 1000)], False),
        ([], True),
    ],
)
def test_owners_shares_of_a_premise_sum_to_at_most_one(shares, fits):
    assert shares_fit(shares) is fits
    assert shares_sum(shares) == sum(shares, Fraction(0))


@pytest.mark.parametrize(("raw", "digits"), [("1234567890", "1234567890"), ("12 3456-7890", "1234567890")])
def test_account_numbers_are_ten_digits(raw, digits):
    assert normalize_account_number(raw) == digits


@pytest.mark.parametrize("raw", ["", "123456789", "12345678901", "12345678AB", "١٢٣٤٥٦٧٨٩٠", "1234567890.0"])
def test_malformed_account_numbers_are_refused(raw):
    with pytest.raises(InvalidInput) as refused:
        normalize_account_number(raw)
    assert refused.value.key == "property.account_invalid"


def test_property_numbers_keep_their_spelling_without_outer_spaces():
    assert (
        normalize_property_number("  77:01:0001001:1003-77/011/2019-2 ") == "77:01:0001001:1003-77/011/2019-2"
    )
    with pytest.raises(InvalidInput):
        normalize_property_number("   ")
    with pytest.raises(InvalidInput):
        normalize_property_number("7" * 65)


@pytest.mark.parametrize(
    ("raw", "area"), [("42.5", Decimal("42.50")), ("42,55", Decimal("42.55")), ("1 200", Decimal("1200.00"))]
)
def test_areas_are_exact_decimals(raw, area):
    assert parse_area(raw) == area


@pytest.mark.parametrize("raw", ["0", "-5", "42.555", "abc", "", "NaN", "Infinity", "1e20"])
def test_bad_areas_are_refused(raw):
    with pytest.raises(InvalidInput) as refused:
        parse_area(raw)
    assert refused.value.key == "house_registry.area_invalid"


def test_birth_dates_in_iso_or_russian_notation():
    assert parse_birth_date("1979-02-11") == parse_birth_date("11.02.1979") == date(1979, 2, 11)
    with pytest.raises(InvalidInput):
        parse_birth_date("31.02.1979")


def _line(**changes: str) -> dict[str, str]:
    values = {
        "district": "Арбат",
        "street": "улица Арбат",
        "house": "1",
        "premise": "5",
        "premise_kind": "apartment",
        "area_m2": "50.00",
        "role": "owner",
        "person_kind": "person",
        "person_ref": "P1",
        "last_name": "Орлова",
        "first_name": "Наталья",
        "patronymic": "Викторовна",
        "birth_date": "1979-02-11",
        "organisation": "",
        "share": "1/2",
        "account_number": "7700000011",
        "property_number": "77:01:1",
    }
    return values | changes


def _keys(line: dict[str, str]) -> list[str]:
    row, errors = parse_row(7, line)
    assert (row is None) == bool(errors)
    assert all(e.line == 7 for e in errors)
    return [e.key for e in errors]


@pytest.mark.parametrize(
    ("changes", "keys"),
    [
        ({}, []),
        ({"share": ""}, []),
        ({"role": "resident", "share": "", "property_number": ""}, []),
        ({"role": "resident", "share": "1/2", "property_number": ""}, ["house_registry.share_not_owner"]),
        ({"role": "resident", "share": ""}, ["house_registry.property_number_not_owner"]),
        ({"role": "tenant"}, ["house_registry.role_invalid"]),
        ({"premise_kind": "garage"}, ["house_registry.premise_kind_invalid"]),
        ({"person_kind": "robot"}, ["house_registry.person_kind_invalid"]),
        ({"area_m2": "-1"}, ["house_registry.area_invalid"]),
        ({"account_number": "123"}, ["house_registry.account_invalid"]),
        ({"account_number": ""}, []),
        ({"share": "2/1"}, ["house_registry.share_invalid"]),
        ({"last_name": ""}, ["house_registry.name_required"]),
        ({"birth_date": ""}, ["house_registry.birth_date_invalid"]),
        ({"district": "", "premise": ""}, ["house_registry.required", "house_registry.required"]),
        ({"premise": "12345678901"}, ["house_registry.too_long"]),
        (
            {"person_kind": "legal", "last_name": "", "birth_date": ""},
            ["house_registry.organisation_required"],
        ),
        (
            {
                "person_kind": "legal",
                "organisation": "ООО «Дом»",
                "role": "resident",
                "share": "",
                "property_number": "",
            },
            ["house_registry.legal_not_owner"],
        ),
        ({"person_kind": "legal", "organisation": "ООО «Дом»", "last_name": "", "birth_date": ""}, []),
    ],
)
def test_a_line_on_its_own(changes, keys):
    assert _keys(_line(**changes)) == keys


def test_a_good_line_becomes_a_row():
    row, _ = parse_row(3, _line(street="  улица   Арбат ", share="1/3", account_number="77 0000 0011"))
    assert row is not None
    assert (row.street, row.share, row.account_number, row.area_m2) == (
        "улица Арбат",
        Fraction(1, 3),
        "7700000011",
        Decimal("50.00"),
    )
    assert row.premise_key == ("арбат", "улица арбат", "1", "5")


def _rows(*lines: dict[str, str]):
    rows = []
    for n, line in enumerate(lines, start=2):
        row, errors = parse_row(n, line)
        assert not errors
        rows.append(row)
    return rows


def test_lines_of_one_file_together():
    good = _rows(_line(), _line(person_ref="P2", share="1/2"), _line(premise="6", share="1"))
    assert check_rows(good) == []

    too_much = check_rows(
        _rows(_line(), _line(person_ref="P2", share="2/3"), _line(person_ref="P3", share="1/3"))
    )
    assert [(e.line, e.key) for e in too_much] == [(3, "house_registry.shares_above_one")]
    assert "7/6" in too_much[0].text

    other_area = check_rows(_rows(_line(), _line(person_ref="P2", area_m2="51")))
    assert [(e.line, e.key) for e in other_area] == [(3, "house_registry.area_conflict")]
    assert other_area[0].text == "Строка 3: У помещения 5 площадь 51.00 м², а в строке 2 — 50.00 м²."

    twice = check_rows(_rows(_line(), _line(person_ref="p1"), _line(share="1/4")))
    assert [(e.line, e.key) for e in twice] == [(4, "house_registry.duplicate_holder")]

    # Another premise, another house or a tenant's row never counts against an owner's share.
    separate = _rows(
        _line(share="1"),
        _line(premise="6", share="1"),
        _line(house="2", share="1"),
        _line(role="social_tenant", share="", property_number=""),
    )
    assert check_rows(separate) == []

    other_kind = check_rows(_rows(_line(), _line(person_ref="P2", premise_kind="non_residential")))
    assert [e.key for e in other_kind] == ["house_registry.kind_conflict"]


def test_a_file_with_a_missing_column_names_it():
    rows, errors = parse_registry_csv("district,street\nАрбат,улица Арбат\n")
    assert rows == []
    assert [e.line for e in errors] == [1]
    assert "house, premise" in errors[0].text


def test_a_file_collects_every_error():
    header = ",".join(COLUMNS)
    good = ",".join(_line().values())
    bad = ",".join(_line(area_m2="0", account_number="1").values())
    rows, errors = parse_registry_csv(f"\ufeff{header}\n{good}\n\n{bad}\n{good},extra\n")
    assert len(rows) == 1
    assert [(e.line, e.key) for e in errors] == [
        (4, "house_registry.area_invalid"),
        (4, "house_registry.account_invalid"),
        (5, "house_registry.extra_values"),
    ]


BORN = date(1979, 2, 11)


@pytest.mark.parametrize(
    ("registry", "user", "matches"),
    [
        # every field agrees
        (("Орлова", "Наталья", "Викторовна", BORN), ("Орлова", "Наталья", "Викторовна", BORN), True),
        # letter case
        (("ОРЛОВА", "наталья", "ВикторовнА", BORN), ("Орлова", "Наталья", "Викторовна", BORN), True),
        # ё / е, either side
        (("Семёнов", "Пётр", "Фёдорович", BORN), ("Семенов", "Петр", "Федорович", BORN), True),
        (("Семенов", "Петр", "Федорович", BORN), ("Семёнов", "Пётр", "Фёдорович", BORN), True),
        # double and outer spaces
        (("  Орлова ", "Наталья", "Викторовна", BORN), ("Орлова", " Наталья  ", "Викторовна ", BORN), True),
        (("Де  Ла Круз", "Мария", "-", BORN), ("де ла круз", "Мария", "", BORN), True),
        # a patronymic «-» equals none, either side, with spaces too
        (("Орлова", "Наталья", "-", BORN), ("Орлова", "Наталья", "", BORN), True),
        (("Орлова", "Наталья", "", BORN), ("Орлова", "Наталья", "-", BORN), True),
        (("Орлова", "Наталья", " - ", BORN), ("Орлова", "Наталья", "-", BORN), True),
        (("Орлова", "Наталья", "—", BORN), ("Орлова", "Наталья", "", BORN), True),
        # …but a missing patronymic never equals a real one
        (("Орлова", "Наталья", "", BORN), ("Орлова", "Наталья", "Викторовна", BORN), False),
        (("Орлова", "Наталья", "Викторовна", BORN), ("Орлова", "Наталья", "-", BORN), False),
        # hyphenated names: spaces around the hyphen and typographic dashes do not matter
        (("Римский-Корсаков", "Андрей", "-", BORN), ("римский - корсаков", "Андрей", "", BORN), True),
        (
            ("Салтыкова\u2013Щедрина", "Анна-Мария", "Ивановна", BORN),
            ("Салтыкова-Щедрина", "Анна - Мария", "Ивановна", BORN),
            True,
        ),
        # …but a hyphen is not a space and a double name is not a single one
        (("Римский-Корсаков", "Андрей", "", BORN), ("Римский Корсаков", "Андрей", "", BORN), False),
        (("Римский-Корсаков", "Андрей", "", BORN), ("Римский", "Андрей", "", BORN), False),
        # another letter, another birth date, no birth date in the registry
        (("Орлова", "Наталия", "Викторовна", BORN), ("Орлова", "Наталья", "Викторовна", BORN), False),
        (
            ("Орлова", "Наталья", "Викторовна", date(1979, 2, 12)),
            ("Орлова", "Наталья", "Викторовна", BORN),
            False,
        ),
        (("Орлова", "Наталья", "Викторовна", None), ("Орлова", "Наталья", "Викторовна", None), False),
        # empty names never match
        (("", "", "", BORN), ("", "", "-", BORN), False),
    ],
)
def test_same_person(registry, user, matches):
    assert same_person(PersonData(*registry), PersonData(*user)) is matches


@pytest.mark.parametrize(
    ("typed", "matches"),
    [
        ("  фёдоров  пётр ИВАНОВИЧ", True),
        ("Федоров Петр Иванович", True),
        ("Фёдоров Пётр", False),
        ("Фёдоров", False),
        ("Иванович Пётр Фёдоров", False),
        ("", False),
    ],
)
def test_a_full_name_typed_at_a_desk(typed, matches):
    orderer = PersonData("Фёдоров", "Пётр", "Иванович", BORN)
    assert same_person(orderer, PersonData.from_full_name(typed), compare_birth_date=False) is matches


@pytest.mark.parametrize(
    ("typed", "matches"),
    [("Федоров Петр", True), ("федоров петр -", True), ("Фёдоров-Петр", False), ("Фёдоров", False)],
)
def test_a_full_name_typed_for_an_orderer_without_patronymic(typed, matches):
    orderer = PersonData("Фёдоров", "Пётр", "-")
    assert same_person(orderer, PersonData.from_full_name(typed), compare_birth_date=False) is matches


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("  Семёнов  ", "семенов"),
        ("Римский  —  Корсаков", "римский-корсаков"),
        ("Анна Мария", "анна мария"),
        ("-", ""),
        (" - ", ""),
        ("", ""),
    ],
)
def test_normalize_name(name, key):
    assert normalize_name(name) == key
