"""Profile rules: names, dates, e-mail, address cooldown, profile blocks."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ag_app.domain.errors import InvalidInput
from ag_app.domain.profile import (
    can_change_address,
    check_apartment,
    check_birth_date,
    check_children,
    check_gender,
    check_house_number,
    check_marital_status,
    child_year_range,
    clean_email,
    clean_name,
    completed_blocks,
    is_full_profile,
    next_address_change_on,
)

TODAY = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Иванова", "Иванова"),
        ("  Петров-Водкин ", "Петров-Водкин"),
        ("Анна   Мария", "Анна Мария"),
        ("Smith", "Smith"),
        ("Фёдор", "Фёдор"),
    ],
)
def test_valid_names_are_trimmed(typed, stored):
    assert clean_name(typed, field="Имя") == stored


@pytest.mark.parametrize(
    "typed",
    [
        "<script>alert(1)</script>",
        "Robert'); DROP TABLE user;--",
        "Иван1",
        "-",
        "Иван--Петров",
        "-Иван",
        "O'Brien",
        "Иван_Петров",
    ],
)
def test_names_with_other_characters_are_refused(typed):
    with pytest.raises(InvalidInput) as err:
        clean_name(typed, field="Имя")
    assert err.value.key == "profile.name_invalid"
    assert "«Имя»" in str(err.value)


def test_required_and_length():
    with pytest.raises(InvalidInput, match="фамилию и имя"):
        clean_name("   ", field="Фамилия")
    with pytest.raises(InvalidInput) as err:
        clean_name("Я" * 101, field="Фамилия")
    assert err.value.key == "profile.field_too_long"
    assert clean_name("Я" * 100, field="Фамилия") == "Я" * 100


@pytest.mark.parametrize(("typed", "stored"), [("-", "-"), ("", ""), ("Иванович", "Иванович")])
def test_patronymic_may_be_dash_or_empty(typed, stored):
    assert clean_name(typed, field="Отчество", required=False, dash_allowed=True) == stored


@pytest.mark.parametrize(("gender", "ok"), [("male", True), ("female", True), ("", True), ("other", False)])
def test_gender(gender, ok):
    if ok:
        assert check_gender(gender) == gender
    else:
        with pytest.raises(InvalidInput):
            check_gender(gender)


@pytest.mark.parametrize(
    ("birth", "ok"),
    [
        (date(2012, 11, 20), True),  # 14 today
        (date(2012, 11, 21), False),  # 14 tomorrow
        (date(1905, 11, 21), True),  # 120 (121 tomorrow)
        (date(1905, 11, 20), False),  # 121 today
        (date(2027, 1, 1), False),  # future
        (None, True),
    ],
)
def test_birth_date_gives_age_14_to_120(birth, ok):
    if ok:
        assert check_birth_date(birth, TODAY) == birth
    else:
        with pytest.raises(InvalidInput) as err:
            check_birth_date(birth, TODAY)
        assert err.value.key == "profile.birth_date_invalid"


@pytest.mark.parametrize(("status", "ok"), [("married", True), ("single", True), ("", False), ("any", False)])
def test_marital_status(status, ok):
    if ok:
        assert check_marital_status(status) == status
    else:
        with pytest.raises(InvalidInput):
            check_marital_status(status)


@pytest.mark.parametrize(
    ("years", "result"),
    [
        ([2020, 2015], [2015, 2020]),
        ([], []),
        ([2026], [2026]),
        ([1926], [1926]),
        ([2027], None),
        ([1925], None),
        ([2000] * 21, None),
    ],
)
def test_children_years(years, result):
    if result is not None:
        assert check_children(years, TODAY) == result
    else:
        with pytest.raises(InvalidInput):
            check_children(years, TODAY)


def test_child_year_range_message():
    assert child_year_range(TODAY) == (1926, 2026)
    with pytest.raises(InvalidInput, match="между 1926 и 2026"):
        check_children([2030], TODAY)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ivan@example.com", "ivan@example.com"),
        ("  Ivan.Petrov+ag@Mail.RU ", "ivan.petrov+ag@mail.ru"),
        ("ivan@почта.рф", "ivan@почта.рф"),
        ("ivan@sub-domain.example.org", "ivan@sub-domain.example.org"),
    ],
)
def test_valid_email(typed, stored):
    assert clean_email(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "ivan",
        "ivan@",
        "@example.com",
        "ivan@example",
        "ivan@@example.com",
        "<script>@x.ru",
        "a b@example.com",
        "ivan@-example.com",
        "x" * 65 + "@example.com",
    ],
)
def test_invalid_email(typed):
    with pytest.raises(InvalidInput) as err:
        clean_email(typed)
    assert err.value.key == "profile.email_invalid"


@pytest.mark.parametrize(
    ("changed", "next_on"),
    [
        (date(2026, 11, 20), date(2027, 2, 20)),
        (date(2026, 11, 30), date(2027, 2, 28)),
        (date(2027, 11, 30), date(2028, 2, 29)),
        (date(2026, 12, 31), date(2027, 3, 31)),
        (date(2026, 10, 31), date(2027, 1, 31)),
        (date(2026, 5, 31), date(2026, 8, 31)),
    ],
)
def test_address_changes_once_per_three_months(changed, next_on):
    assert next_address_change_on(changed) == next_on
    assert not can_change_address(changed, next_on - timedelta(days=1))
    assert can_change_address(changed, next_on)


def test_first_address_is_always_allowed():
    assert can_change_address(None, TODAY)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_cooldown_is_about_three_months(changed):
    assert 89 <= (next_address_change_on(changed) - changed).days <= 92


@pytest.mark.parametrize(
    ("apartment", "required", "result"),
    [
        ("12", True, "12"),
        (" 12а ", False, "12а"),
        ("", False, ""),
        ("", True, "address.apartment_required"),
        ("12; DROP", False, "address.apartment_invalid"),
        ("1" * 11, False, "address.apartment_invalid"),
    ],
)
def test_apartment(apartment, required, result):
    if result.startswith("address."):
        with pytest.raises(InvalidInput) as err:
            check_apartment(apartment, required=required)
        assert err.value.key == result
    else:
        assert check_apartment(apartment, required=required) == result


@pytest.mark.parametrize(
    ("number", "ok"),
    [("12", True), ("12к2", True), ("7/1 стр. 3", True), ("", False), ("дом", False), ("<b>1</b>", False)],
)
def test_house_number(number, ok):
    if ok:
        assert check_house_number(number) == number
    else:
        with pytest.raises(InvalidInput):
            check_house_number(number)


PERSONAL = {"last_name": "Иванов", "first_name": "Иван", "gender": "male", "birth_date": date(1985, 5, 17)}


@pytest.mark.parametrize(
    ("changes", "blocks"),
    [
        ({}, {"personal"}),
        ({"gender": ""}, set()),
        ({"birth_date": None}, set()),
        ({"first_name": ""}, set()),
        ({"family_filled": True}, {"personal", "family"}),
        ({"family_filled": True, "email_confirmed": True}, {"personal", "family", "email"}),
        ({"last_name": "", "email_confirmed": True}, {"email"}),
    ],
)
def test_completed_blocks(changes, blocks):
    fields = {**PERSONAL, "family_filled": False, "email_confirmed": False, **changes}
    assert completed_blocks(**fields) == blocks


@pytest.mark.parametrize(
    ("blocks", "has_address", "full"),
    [
        ({"personal", "family", "email"}, True, True),
        ({"personal", "family", "email"}, False, False),
        ({"personal", "family"}, True, False),
        (set(), True, False),
    ],
)
def test_full_profile(blocks, has_address, full):
    assert is_full_profile(blocks, has_address=has_address) is full
