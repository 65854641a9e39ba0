"""SNILS checksum, passport formats, registry name comparison, identification levels."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ag_app.domain.errors import InvalidInput
from ag_app.domain.identity import (
    format_snils,
    identification_level,
    is_valid_snils,
    level_name,
    name_key,
    normalize_passport,
    normalize_snils,
    snils_checksum,
)


@pytest.mark.parametrize(
    ("first_nine", "checksum"),
    [
        ("112233445", 95),  # sum 95 < 100: the sum itself
        ("100233077", 69),
        ("115105248", 0),  # sum 100 → 00
        ("064011404", 0),  # sum 101 → 00
        ("945807302", 33),  # sum 235 → 235 mod 101 = 33
        ("820981233", 0),  # sum 201 → mod 101 = 100 → 00
        ("000000000", 0),
    ],
)
def test_snils_checksum(first_nine, checksum):
    assert snils_checksum(first_nine) == checksum


@pytest.mark.parametrize(
    ("typed", "ok"),
    [
        ("11223344595", True),
        ("112-233-445 95", True),
        ("11223344594", False),  # wrong control number
        ("1122334459", False),
        ("112233445950", False),
        ("1122334459a", False),
        ("", False),
        ("'; DROP TABLE citizenrecord;--", False),
    ],
)
def test_normalize_snils(typed, ok):
    if ok:
        assert normalize_snils(typed) == "11223344595"
    else:
        with pytest.raises(InvalidInput) as err:
            normalize_snils(typed)
        assert err.value.key == "identity.snils_invalid"


@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.integers(min_value=0, max_value=99))
def test_snils_valid_exactly_with_its_checksum(first_nine, control):
    assert 0 <= snils_checksum(first_nine) <= 99
    assert is_valid_snils(f"{first_nine}{control:02d}") is (control == snils_checksum(first_nine))


def test_format_snils():
    assert format_snils("11223344595") == "112-233-445 95"


@pytest.mark.parametrize(
    ("series", "number", "expected"),
    [
        ("4506", "123456", ("4506", "123456")),
        ("45 06", "123 456", ("4506", "123456")),
        ("450", "123456", None),
        ("4506", "12345", None),
        ("45О6", "123456", None),  # Cyrillic «О»
        ("", "", None),
    ],
)
def test_normalize_passport(series, number, expected):
    if expected:
        assert normalize_passport(series, number) == expected
    else:
        with pytest.raises(InvalidInput) as err:
            normalize_passport(series, number)
        assert err.value.key == "identity.passport_invalid"


@pytest.mark.parametrize(
    ("a", "b"), [("Фёдоров", "ФЕДОРОВ"), (" Анна  Мария ", "анна мария"), ("Семёнова", "семенова")]
)
def test_name_key_ignores_case_yo_and_spaces(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    ("has_address", "verified", "level", "name"),
    [
        (False, False, 1, "упрощённый"),
        (True, False, 2, "стандартный"),
        (True, True, 3, "полный"),
        (False, True, 3, "полный"),
    ],
)
def test_identification_level(has_address, verified, level, name):
    assert identification_level(has_address=has_address, identity_verified=verified) == level
    assert level_name(level) == name
