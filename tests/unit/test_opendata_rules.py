"""Receipt codes (SPEC §5.2) and the hash chain of the published array (SPEC §5.3)."""

import hashlib
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ag_app.domain.opendata import (
    GENESIS,
    REASON_COLUMNS,
    REASON_EXTRA,
    REASON_FINAL,
    REASON_HASH,
    REASON_HEADER,
    REASON_MISSING,
    REASON_NUMBER,
    REASON_PREV,
    REASON_TOTALS,
    chain,
    empty_totals,
    header,
    hour_text,
    row_hash,
    same_totals,
    verify_rows,
)
from ag_app.domain.receipts import ALPHABET, normalize_receipt, receipt_code

SECRET = b"test-secret"
HEADING = header(["Нужен ли парк?", "Что добавить?"])


# ----------------------------------------------------------------------------------------------
# Receipt codes


def test_receipt_code_is_stable_for_a_user_and_poll():
    assert receipt_code(SECRET, 7, 42) == receipt_code(SECRET, 7, 42)


def test_receipt_codes_differ_across_polls_users_and_secrets():
    codes = {receipt_code(SECRET, poll, user) for poll in range(1, 40) for user in range(1, 40)}
    assert len(codes) == 39 * 39
    assert receipt_code(SECRET, 1, 1) != receipt_code(b"other-secret", 1, 1)


def test_receipt_code_shape():
    code = receipt_code(SECRET, 3, 5)
    groups = code.split("-")
    assert [len(g) for g in groups] == [4, 4, 4, 4]
    assert all(ch in ALPHABET for ch in "".join(groups))


@pytest.mark.parametrize(
    ("pasted", "expected"),
    [
        ("K7QF-2MXA-9PRT-HC4D", "K7QF-2MXA-9PRT-HC4D"),
        ("k7qf-2mxa-9prt-hc4d", "K7QF-2MXA-9PRT-HC4D"),
        ("  k7qf 2mxa 9prt hc4d ", "K7QF-2MXA-9PRT-HC4D"),
        ("K7QF2MXA9PRTHC4D", "K7QF-2MXA-9PRT-HC4D"),
        ("O0IL-0000-0000-0000", "0011-0000-0000-0000"),
        ("", None),
        ("K7QF-2MXA-9PRT", None),
        ("K7QF-2MXA-9PRT-HC4D-1234", None),
        ("K7QF-2MXA-9PRT-HC4U", None),
        ("ЖЖЖЖ-2MXA-9PRT-HC4D", None),
        ("'; DROP TABLE ballot; --", None),
    ],
)
def test_normalize_receipt(pasted, expected):
    assert normalize_receipt(pasted) == expected


@given(st.integers(1, 10**6), st.integers(1, 10**6))
def test_every_receipt_code_normalizes_to_itself(poll_id, user_id):
    code = receipt_code(SECRET, poll_id, user_id)
    assert normalize_receipt(code.lower().replace("-", " ")) == code


# ----------------------------------------------------------------------------------------------
# Row fields


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2026, 11, 20, 9, 0, tzinfo=UTC), "2026-11-20 12:00"),
        (datetime(2026, 11, 20, 9, 59, 59, tzinfo=UTC), "2026-11-20 12:00"),
        (datetime(2026, 11, 20, 21, 30), "2026-11-21 00:00"),
    ],
)
def test_hour_text_is_the_moscow_hour(moment, text):
    assert hour_text(moment) == text


def test_row_hash_formula():
    fields = ["1", "AAAA-BBBB-CCCC-DDDD", "2026-11-20 12:00"]
    expected = hashlib.sha256(f"{GENESIS}\n1\x1fAAAA-BBBB-CCCC-DDDD\x1f2026-11-20 12:00".encode()).hexdigest()
    assert row_hash(GENESIS, fields) == expected


def test_header_order():
    assert HEADING[0] == "№"
    assert HEADING[8:10] == ("Вопрос 1. Нужен ли парк?", "Вопрос 2. Что добавить?")
    assert HEADING[-2:] == ("Хеш предыдущей строки", "Хеш строки")


# ----------------------------------------------------------------------------------------------
# Verification


def make_rows(n: int, seed: int = 0) -> list[tuple[str, ...]]:
    """A valid chain of ``n`` rows under :data:`HEADING`."""
    options = ["Да", "Нет", "Затрудняюсь ответить"]
    visible = [
        (
            str(i),
            receipt_code(SECRET, seed, i),
            "2026-11-20 12:00",
            "25–34",
            "женский",
            "ЦАО",
            "Арбат",
            "московский",
            options[(i + seed) % 3],
            "Каток | Фонтан" if i % 2 else "Свой вариант",
        )
        for i in range(1, n + 1)
    ]
    return list(chain(visible))


def test_valid_chain_passes_and_recounts():
    rows = make_rows(5)
    report = verify_rows(HEADING, rows, expect_hash=rows[-1][-1], expect_rows=5)
    assert report.ok
    assert report.rows == 5
    assert report.final_hash == rows[-1][-1]
    assert report.totals == {
        "ballots": 5,
        "questions": {
            "Вопрос 1. Нужен ли парк?": {"Нет": 2, "Затрудняюсь ответить": 2, "Да": 1},
            "Вопрос 2. Что добавить?": {"Каток": 3, "Фонтан": 3, "Свой вариант": 2},
        },
    }


def test_empty_chain_has_the_genesis_hash():
    report = verify_rows(HEADING, [], expect_hash=GENESIS, expect_rows=0)
    assert report.ok
    assert report.final_hash == GENESIS


def test_totals_compare_zero_options_as_missing():
    expected = empty_totals({"Вопрос 1. Нужен ли парк?": ["Да", "Нет"]}).as_dict()
    assert same_totals({"ballots": 0, "questions": {"Вопрос 1. Нужен ли парк?": {}}}, expected)
    assert not same_totals({"ballots": 1, "questions": {"Вопрос 1. Нужен ли парк?": {"Да": 1}}}, expected)


def test_totals_disagreeing_fail():
    rows = make_rows(3)
    wrong = {"ballots": 3, "questions": {"Вопрос 1. Нужен ли парк?": {"Да": 3}}}
    report = verify_rows(HEADING, rows, expect_hash=rows[-1][-1], expect_totals=wrong)
    assert (report.ok, report.reason) == (False, REASON_TOTALS)


def test_wrong_header_fails():
    report = verify_rows(("№", "Имя"), make_rows(2))
    assert (report.ok, report.reason) == (False, REASON_HEADER)


def test_short_row_fails_at_that_row():
    rows = make_rows(4)
    rows[2] = rows[2][:-1]
    report = verify_rows(HEADING, rows)
    assert (report.first_bad_row, report.reason) == (3, REASON_COLUMNS)


@pytest.mark.parametrize(
    ("column", "reason"),
    [(0, REASON_NUMBER), (1, REASON_HASH), (8, REASON_HASH), (10, REASON_PREV), (11, REASON_HASH)],
)
def test_edited_cell_is_named(column, reason):
    rows = [list(r) for r in make_rows(6)]
    rows[3][column] = rows[3][column] + "x"
    report = verify_rows(HEADING, rows, expect_hash=rows[-1][-1])
    assert (report.ok, report.first_bad_row, report.reason) == (False, 4, reason)


def test_last_row_removed_is_found_by_the_final_hash():
    rows = make_rows(4)
    report = verify_rows(HEADING, rows[:-1], expect_hash=rows[-1][-1], expect_rows=4)
    assert (report.first_bad_row, report.reason) == (4, REASON_MISSING)
    without_count = verify_rows(HEADING, rows[:-1], expect_hash=rows[-1][-1])
    assert (without_count.ok, without_count.reason) == (False, REASON_FINAL)


def test_forged_row_appended_is_found_by_the_final_hash():
    rows = make_rows(4)
    forged = list(chain([("5", *rows[0][1:10])], prev_hash=rows[-1][-1]))
    report = verify_rows(HEADING, rows + forged, expect_hash=rows[-1][-1])
    assert (report.first_bad_row, report.reason) == (5, REASON_EXTRA)


@st.composite
def tampered(draw):
    """A random chain after one tampering: (rows, published rows, published final hash, rows where
    the tampering must be reported)."""
    n = draw(st.integers(2, 12))
    rows = [list(r) for r in make_rows(n, seed=draw(st.integers(0, 1000)))]
    final = rows[-1][-1]
    kind = draw(st.sampled_from(["edit", "delete", "insert", "swap"]))
    if kind == "edit":
        k = draw(st.integers(1, n))
        column = draw(st.integers(0, len(HEADING) - 1))
        old = rows[k - 1][column]
        rows[k - 1][column] = draw(st.text(max_size=5).filter(lambda t: t != old))
        return rows, n, final, {k}
    if kind == "delete":
        k = draw(st.integers(1, n))
        del rows[k - 1]
        return rows, n, final, {k}
    if kind == "swap":
        i = draw(st.integers(1, n - 1))
        j = draw(st.integers(i + 1, n))
        rows[i - 1], rows[j - 1] = rows[j - 1], rows[i - 1]
        return rows, n, final, {i}
    k = draw(st.integers(1, n + 1))
    copied = list(rows[draw(st.integers(0, n - 1))])
    if draw(st.booleans()):
        # A forged row that fits perfectly at its position: the chain breaks right after it.
        prev = GENESIS if k == 1 else rows[k - 2][-1]
        copied = list(next(chain([(str(k), *copied[1:10])], prev_hash=prev)))
    rows.insert(k - 1, copied)
    return rows, n, final, {k, k + 1}


@settings(max_examples=400)
@given(tampered())
def test_any_single_tampering_is_detected_at_the_right_row(case):
    rows, n, final, where = case
    report = verify_rows(HEADING, rows, expect_hash=final, expect_rows=n)
    assert not report.ok
    assert report.first_bad_row in where
