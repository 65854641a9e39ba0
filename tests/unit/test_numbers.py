"""The one parser of ids, page numbers and counts from outside: ASCII digits in the database's range."""

import pytest

from ag_app.domain.errors import InvalidInput
from ag_app.domain.numbers import (
    MAX_ID,
    id_or_none,
    index_or_none,
    parse_count,
    parse_id,
    parse_int,
    parse_page,
)


@pytest.mark.parametrize(
    ("raw", "value"), [("1", 1), ("007", 7), (42, 42), (str(MAX_ID), MAX_ID), (MAX_ID, MAX_ID)]
)
def test_ids_of_ascii_digits_in_range(raw, value):
    assert parse_id(raw) == value


@pytest.mark.parametrize(
    "raw",
    [
        "²",  # str.isdigit() says yes, int() says no
        "١٢",  # Arabic-Indic digits: int() would accept them
        "１２",  # fullwidth digits: int() would accept them too
        "-1",
        "+1",
        " 7",
        "7 ",
        "7\n",
        "1_000",  # int() accepts the underscore
        "1e3",
        "0x10",
        "1.5",
        "",
        "0",
        0,
        -5,
        str(MAX_ID + 1),
        MAX_ID + 1,
        "9223372036854775808",
        2**63,
        "9" * 5000,
        True,
        False,
        1.0,
        None,
        [1],
        {"id": 1},
        b"1",
    ],
)
def test_anything_else_is_refused_in_russian(raw):
    with pytest.raises(InvalidInput) as refused:
        parse_id(raw)
    assert str(refused.value) == f"Нужно целое число от 1 до {MAX_ID}, записанное только цифрами 0–9."
    assert id_or_none(raw) is None


def test_pages_counts_and_ranges():
    assert parse_page("3") == 3
    with pytest.raises(InvalidInput):
        parse_page("0")
    with pytest.raises(InvalidInput):
        parse_page("1000001")
    assert parse_count("0") == 0
    assert parse_count(12, high=12) == 12
    with pytest.raises(InvalidInput):
        parse_count("13", high=12)
    assert parse_int("1990", low=1900, high=2026) == 1990
    with pytest.raises(InvalidInput):
        parse_int("1899", low=1900, high=2026)


def test_indexes_of_a_list():
    assert index_or_none(0, 3) == 0
    assert index_or_none("2", 3) == 2
    assert index_or_none(3, 3) is None
    assert index_or_none(-1, 3) is None
    assert index_or_none(0, 0) is None
    assert index_or_none("²", 3) is None
