"""Payout data of a prize-winner (issue 16, «Положение о конкурсе» 4.2.1): every number by its control digits."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ag_app.domain.award import FormProblems
from ag_app.domain.award_payout import (
    FIELDS,
    PayoutData,
    account_key_valid,
    account_valid,
    bik_valid,
    check_payout,
    corr_account_valid,
    inn_valid,
    luhn_valid,
    mir_card_valid,
)
from ag_app.domain.errors import InvalidInput
from ag_app.domain.identity import snils_checksum

TODAY = date(2026, 12, 20)
BIK = "044525225"


def inn_digit(digits: str, weights: tuple[int, ...]) -> str:
    """A control digit of an INN, computed independently of the module (weighted sum mod 11 mod 10)."""
    return str(sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 % 10)


def personal_inn(first_ten: str) -> str:
    """A 12-digit INN of a person with both control digits computed."""
    eleven = first_ten + inn_digit(first_ten, (7, 2, 4, 10, 3, 5, 9, 4, 6, 8))
    return eleven + inn_digit(eleven, (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8))


def legal_inn(first_nine: str) -> str:
    """A 10-digit INN of an organisation with its control digit computed."""
    return first_nine + inn_digit(first_nine, (2, 4, 10, 3, 5, 9, 4, 6, 8))


def with_key(prefix3: str, account: str) -> str:
    """The 20-digit ``account`` with its 9th digit (the key) set so that the Bank of Russia check holds."""
    for key in "0123456789":
        candidate = account[:8] + key + account[9:]
        digits = prefix3 + candidate
        if sum(int(d) * (7, 1, 3)[i % 3] for i, d in enumerate(digits)) % 10 == 0:
            return candidate
    raise AssertionError("no key digit fits")


def luhn(prefix: str, length: int) -> str:
    """A card number of ``length`` digits starting with ``prefix`` whose last digit is the Luhn check digit."""
    body = prefix.ljust(length - 1, "7")
    total = 0
    for index, char in enumerate(reversed(body)):
        digit = int(char) * (1 if index % 2 else 2)
        total += digit - 9 if digit > 9 else digit
    return body + str((10 - total % 10) % 10)


def snils(first_nine: str) -> str:
    return first_nine + f"{snils_checksum(first_nine):02d}"


PERSON_INN = personal_inn("7712345678")
BANK_INN = legal_inn("770708389")
ACCOUNT = with_key(BIK[-3:], "40817810000001234567")
CORR = with_key("0" + BIK[4:6], "30101810000000000225")
CARD = luhn("2202", 16)
SNILS = snils("112233445")

GOOD = {
    "full_name": "  Иванова   Мария Петровна ",
    "birth_date": "1990-05-17",
    "phone": "8 (916) 123-45-67",
    "passport_series": "45 06",
    "passport_number": "123456",
    "passport_issued_by": "ГУ МВД России по г. Москве",
    "passport_issued_on": "2010-06-01",
    "registration_address": "г. Москва, ул. Тверская, д. 1, кв. 2",
    "inn": PERSON_INN[:4] + " " + PERSON_INN[4:],
    "snils": f"{SNILS[:3]}-{SNILS[3:6]}-{SNILS[6:9]} {SNILS[9:]}",
    "card_number": " ".join(CARD[i : i + 4] for i in range(0, 16, 4)),
    "account": ACCOUNT,
    "bank_name": "ПАО Сбербанк",
    "bank_bik": BIK,
    "bank_inn": BANK_INN,
    "bank_kpp": "773601001",
    "bank_corr_account": CORR,
}


def test_real_bank_details_pass_the_checks():
    # Sberbank's published details: INN 7707083893, BIK 044525225, correspondent account 30101810400000000225.
    assert inn_valid("7707083893")
    assert corr_account_valid("30101810400000000225", "044525225")
    assert not corr_account_valid("30101810500000000225", "044525225")
    assert BANK_INN == "7707083893"
    assert CORR == "30101810400000000225"


def test_a_valid_application_is_normalised():
    data = check_payout(GOOD, TODAY)
    assert data.full_name == "Иванова Мария Петровна"
    assert data.birth_date == date(1990, 5, 17)
    assert data.phone == "+79161234567"
    assert (data.passport_series, data.passport_number) == ("4506", "123456")
    assert data.passport_issued_on == date(2010, 6, 1)
    assert data.inn == PERSON_INN and len(data.inn) == 12
    assert data.snils == SNILS
    assert data.card_number == CARD and data.card_number.startswith("2202")
    assert (data.account, data.bank_bik, data.bank_inn, data.bank_corr_account) == (
        ACCOUNT,
        BIK,
        BANK_INN,
        CORR,
    )
    assert data.bank_kpp == "773601001"


def test_personal_data_never_shows_in_repr_or_messages():
    data = check_payout(GOOD, TODAY)
    assert CARD not in repr(data) and PERSON_INN not in repr(data) and "Иванова" not in repr(data)
    broken = {**GOOD, "card_number": CARD[:-1] + str((int(CARD[-1]) + 1) % 10), "inn": PERSON_INN[:-1] + "0"}
    with pytest.raises(FormProblems) as error:
        check_payout(broken, TODAY)
    assert CARD[:12] not in str(error.value) and PERSON_INN[:10] not in str(error.value)


def bump(value: str, index: int = -1) -> str:
    """``value`` with one digit changed (a typo)."""
    digits = list(value)
    digits[index] = str((int(digits[index]) + 1) % 10)
    return "".join(digits)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("full_name", "Я"),
        ("full_name", "   "),
        ("birth_date", "17.05.1990"),
        ("birth_date", "2026-12-21"),
        ("phone", "+7 495 123-45-67"),
        ("phone", "не скажу"),
        ("passport_series", "450"),
        ("passport_series", "45a6"),
        ("passport_number", "12345"),
        ("passport_number", "1234567"),
        ("passport_issued_by", "ОВ"),
        ("passport_issued_on", "2026-12-21"),
        ("passport_issued_on", "1989-01-01"),
        ("passport_issued_on", "вчера"),
        ("registration_address", "Москва"),
        ("inn", bump(PERSON_INN)),
        ("inn", bump(PERSON_INN, -2)),
        ("inn", BANK_INN),
        ("inn", "12345678901"),
        ("snils", bump(SNILS)),
        ("snils", SNILS[:-1]),
        ("card_number", bump(CARD)),
        ("card_number", luhn("4276", 16)),
        ("card_number", luhn("2205", 16)),
        ("card_number", luhn("2200", 15)),
        ("card_number", luhn("2200", 20)),
        ("account", bump(ACCOUNT)),
        ("account", ACCOUNT[:-1]),
        ("bank_name", "Б"),
        ("bank_inn", bump(BANK_INN)),
        ("bank_inn", PERSON_INN),
        ("bank_kpp", "77360100"),
        ("bank_kpp", "7736-01-00Я"),
        ("bank_corr_account", bump(CORR)),
        ("bank_corr_account", with_key("0" + BIK[4:6], "40101810000000000225")),
        ("bank_corr_account", CORR + "0"),
    ],
)
def test_each_bad_field_is_named(field, value):
    with pytest.raises(FormProblems) as error:
        check_payout({**GOOD, field: value}, TODAY)
    assert isinstance(error.value, InvalidInput)
    assert error.value.key == "award.payout_problems"
    assert set(error.value.problems) == {field}


def test_a_bik_of_another_bank_breaks_the_account_keys():
    other_bik = "044525974"
    assert bik_valid(other_bik)
    with pytest.raises(FormProblems) as error:
        check_payout({**GOOD, "bank_bik": other_bik}, TODAY)
    assert set(error.value.problems) == {"account", "bank_corr_account"}


def test_a_bad_bik_is_named_alone():
    with pytest.raises(FormProblems) as error:
        check_payout({**GOOD, "bank_bik": "034525225"}, TODAY)
    assert set(error.value.problems) == {"bank_bik"}


def test_every_problem_is_listed_at_once():
    with pytest.raises(FormProblems) as error:
        check_payout({}, TODAY)
    assert set(error.value.problems) == set(FIELDS)
    assert f"Ошибок: {len(FIELDS)}" in str(error.value)
    assert "Серия паспорта — 4 цифры." in str(error.value)


def test_kpp_letters_are_upper_cased_and_a_dashed_card_accepted():
    data = check_payout(
        {**GOOD, "bank_kpp": "7736ab001", "card_number": "-".join([CARD[:8], CARD[8:]])}, TODAY
    )
    assert data.bank_kpp == "7736AB001"
    assert data.card_number == CARD


@pytest.mark.parametrize(
    ("number", "ok"), [("79927398713", True), ("79927398710", False), ("", False), ("12a4", False)]
)
def test_luhn(number, ok):
    assert luhn_valid(number) is ok


@settings(max_examples=200, deadline=None)
@given(
    prefix=st.sampled_from(["2200", "2201", "2202", "2203", "2204"]),
    length=st.integers(16, 19),
    rest=st.text("0123456789", min_size=12, max_size=12),
)
def test_every_mir_card_with_its_check_digit_is_valid_and_one_typo_breaks_it(prefix, length, rest):
    card = luhn(prefix + rest, length)
    assert mir_card_valid(card)
    for index in range(4, length):
        assert not mir_card_valid(bump(card, index))


@settings(max_examples=200, deadline=None)
@given(first=st.text("0123456789", min_size=10, max_size=10), index=st.integers(0, 11))
def test_personal_inn_checks_catch_a_single_typo(first, index):
    inn = personal_inn(first)
    assert inn_valid(inn)
    assert not inn_valid(bump(inn, index))


@settings(max_examples=200, deadline=None)
@given(
    bik_tail=st.text("0123456789", min_size=7, max_size=7),
    body=st.text("0123456789", min_size=20, max_size=20),
    index=st.integers(0, 19),
)
def test_account_keys_catch_a_single_typo(bik_tail, body, index):
    bik = "04" + bik_tail
    account = with_key(bik[-3:], body)
    assert account_valid(account, bik)
    assert not account_valid(bump(account, index), bik)
    assert account_key_valid(bik[-3:], account)
    assert not account_key_valid(bik[-3:], account[:-1])


def test_payout_data_is_frozen():
    data = check_payout(GOOD, TODAY)
    assert isinstance(data, PayoutData)
    with pytest.raises(AttributeError):
        data.card_number = "0"  # type: ignore[misc]
