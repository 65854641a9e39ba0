"""SPEC §11 receipt contest rules: the receipt QR, periods in Moscow time, points, review, rating."""

import functools
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ag_app.domain.clock import MOSCOW
from ag_app.domain.contest import (
    GENERAL_PRIZES,
    OPERATIONS,
    QR_MAX_LENGTH,
    Conditions,
    CountedReceipt,
    ReceiptQR,
    ReviewRules,
    Standing,
    in_contest_period,
    mask_email,
    parse_inn,
    parse_period,
    parse_receipt_fields,
    parse_receipt_qr,
    period_bounds,
    period_ended,
    period_label,
    period_of,
    points_to_next_place,
    prize_for,
    rank,
    rank_key,
    receipt_points,
    refuse_operation,
    refuse_out_of_period,
    review_reason,
    short_name,
    standing_of,
    time_left_text,
)
from ag_app.domain.errors import InvalidInput
from ag_app.i18n import message


def msk(*parts: int) -> datetime:
    """An aware Moscow instant."""
    return datetime(*parts, tzinfo=MOSCOW)


def utc(*parts: int) -> datetime:
    """An aware UTC instant."""
    return datetime(*parts, tzinfo=UTC)


def refused(call, *args) -> InvalidInput:
    """The InvalidInput a call raises (the test fails if it raises nothing)."""
    with pytest.raises(InvalidInput) as caught:
        call(*args)
    return caught.value


def assert_message(error: InvalidInput, key: str, **params: object) -> None:
    """The error is the catalogue's Russian message ``key`` with these parameters."""
    assert error.key == key
    assert error.params == params
    assert str(error) == message(key, **params)


# ------------------------------------------------------------------------------------ receipt QR

FN = "9289000100346220"
CANONICAL = "t=20261207T1830&s=1234.50&fn=9289000100346220&i=48853&fp=1449125340&n=1"
RECEIPT = ReceiptQR(
    purchased_at=msk(2026, 12, 7, 18, 30),
    amount_kopecks=123450,
    fn=FN,
    fd="48853",
    fp="1449125340",
    operation=1,
)
FIELDS = {"t": "20261207T1830", "s": "1234.50", "fn": FN, "i": "48853", "fp": "1449125340", "n": "1"}


def qr_with(**values: str | None) -> str:
    """The canonical QR string with some fields changed (None drops a field)."""
    fields = {**FIELDS, **values}
    return "&".join(f"{name}={value}" for name, value in fields.items() if value is not None)


def test_the_canonical_example_is_read_field_by_field():
    receipt = parse_receipt_qr(CANONICAL)
    assert receipt == RECEIPT
    assert receipt.purchased_at.utcoffset() == timedelta(hours=3)
    assert receipt.purchased_at.tzinfo == MOSCOW
    assert receipt.purchased_at == utc(2026, 12, 7, 15, 30)
    assert receipt.key == (FN, "48853", "1449125340")


PADDING = "&x=" + "0" * (QR_MAX_LENGTH - len(CANONICAL) - 3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(CANONICAL, RECEIPT, id="canonical"),
        pytest.param(
            "n=1&fp=1449125340&i=48853&fn=9289000100346220&s=1234.50&t=20261207T1830",
            RECEIPT,
            id="reversed-order",
        ),
        pytest.param(
            "fp=1449125340&t=20261207T1830&n=1&fn=9289000100346220&s=1234.50&i=48853",
            RECEIPT,
            id="shuffled-order",
        ),
        pytest.param(
            qr_with(t="20261207T183015"),
            replace(RECEIPT, purchased_at=msk(2026, 12, 7, 18, 30, 15)),
            id="with-seconds",
        ),
        pytest.param(qr_with(t="20261207T183000"), RECEIPT, id="zero-seconds"),
        pytest.param(
            qr_with(t="2026-12-07T18:30:15"),
            replace(RECEIPT, purchased_at=msk(2026, 12, 7, 18, 30, 15)),
            id="iso-time",
        ),
        pytest.param(qr_with(t="2026-12-07 18:30"), RECEIPT, id="iso-time-space"),
        pytest.param(qr_with(s="1234"), replace(RECEIPT, amount_kopecks=123400), id="sum-whole-roubles"),
        pytest.param(qr_with(s="1234.5"), RECEIPT, id="sum-one-decimal"),
        pytest.param(qr_with(s="1234,50"), RECEIPT, id="sum-decimal-comma"),
        pytest.param(qr_with(s="1234,5"), RECEIPT, id="sum-comma-one-decimal"),
        pytest.param(qr_with(s="0.01"), replace(RECEIPT, amount_kopecks=1), id="sum-one-kopeck"),
        pytest.param(qr_with(s="9999999.99"), replace(RECEIPT, amount_kopecks=999_999_999), id="sum-largest"),
        pytest.param("https://check.example.ru/receipt?" + CANONICAL, RECEIPT, id="whole-url"),
        pytest.param("https://example.ru/a?b=c?" + CANONICAL, RECEIPT, id="url-last-question-mark"),
        pytest.param(CANONICAL + "&foo=bar&utm_source=app&lonely", RECEIPT, id="unknown-fields-ignored"),
        pytest.param("x=1&" + CANONICAL + "&=5&&", RECEIPT, id="junk-parts-ignored"),
        pytest.param(
            "T=20261207T1830&S=1234.50&FN=9289000100346220&I=48853&FP=1449125340&N=1",
            RECEIPT,
            id="upper-case-keys",
        ),
        pytest.param(
            "Fn=9289000100346220&T=20261207T1830&s=1234.50&i=48853&fP=1449125340&n=1",
            RECEIPT,
            id="mixed-case",
        ),
        pytest.param("  \n" + CANONICAL + " \t\r\n", RECEIPT, id="surrounding-whitespace"),
        pytest.param(
            "t= 20261207T1830 & s=1234.50 & fn=9289000100346220 & i=48853 & fp=1449125340 & n=1",
            RECEIPT,
            id="spaces-around-fields",
        ),
        pytest.param(qr_with(i="0000048853"), RECEIPT, id="leading-zeros-same-key"),
        pytest.param(qr_with(fp="0000001234"), replace(RECEIPT, fp="1234"), id="zero-padded-fp"),
        pytest.param(
            qr_with(i="1", fp="4294967295"), replace(RECEIPT, fd="1", fp="4294967295"), id="fd-fp-bounds"
        ),
        pytest.param(qr_with(n="2"), replace(RECEIPT, operation=2), id="refund-still-parses"),
        pytest.param(qr_with(n="4"), replace(RECEIPT, operation=4), id="expense-refund-still-parses"),
        pytest.param(CANONICAL + PADDING, RECEIPT, id="exactly-the-longest"),
    ],
)
def test_parse_receipt_qr_reads(text, expected):
    receipt = parse_receipt_qr(text)
    assert receipt == expected
    assert receipt.purchased_at.tzinfo == MOSCOW


def test_leading_zeros_do_not_make_a_second_receipt():
    """«i=048853» is the same fiscal document as «i=48853»: the dedup key is canonical."""
    padded = parse_receipt_qr(qr_with(i="0048853"))
    assert padded.key == RECEIPT.key
    assert padded.qr() == RECEIPT.qr()


ARABIC = "١٢٣"  # Arabic-Indic digits: str.isdigit() says yes, a fiscal number says no


def _missing(name: str):
    return pytest.param(
        qr_with(**{name: None}), "contest.qr_field_missing", {"field": name}, id=f"missing-{name}"
    )


def _bad(field: str, value: str, key: str, name: str):
    return pytest.param(qr_with(**{field: value}), key, {}, id=name)


@pytest.mark.parametrize(
    ("text", "key", "params"),
    [
        pytest.param("", "contest.qr_empty", {}, id="empty"),
        pytest.param("  \n\t ", "contest.qr_empty", {}, id="blank"),
        pytest.param(None, "contest.qr_empty", {}, id="not-text"),
        pytest.param(
            CANONICAL + PADDING + "0", "contest.qr_too_long", {"limit": QR_MAX_LENGTH}, id="too-long"
        ),
        pytest.param("x" * 10_000, "contest.qr_too_long", {"limit": QR_MAX_LENGTH}, id="far-too-long"),
        pytest.param("просто текст", "contest.qr_field_missing", {"field": "t"}, id="no-fields-at-all"),
        *[_missing(name) for name in ("t", "s", "fn", "i", "fp", "n")],
        pytest.param(qr_with(s=""), "contest.qr_field_missing", {"field": "s"}, id="empty-value"),
        pytest.param(qr_with(fp="  "), "contest.qr_field_missing", {"field": "fp"}, id="blank-value"),
        pytest.param(CANONICAL + "&s=1.00", "contest.qr_field_repeated", {"field": "s"}, id="repeated-s"),
        pytest.param(
            CANONICAL + "&T=20261207T1831",
            "contest.qr_field_repeated",
            {"field": "t"},
            id="repeated-t-other-case",
        ),
        pytest.param(
            CANONICAL + "&n=1", "contest.qr_field_repeated", {"field": "n"}, id="repeated-same-value"
        ),
        _bad("t", "20261307T1830", "contest.qr_time_invalid", "month-13"),
        _bad("t", "20261200T1830", "contest.qr_time_invalid", "day-0"),
        _bad("t", "20270230T1830", "contest.qr_time_invalid", "feb-30"),
        _bad("t", "20270229T1830", "contest.qr_time_invalid", "feb-29-not-leap"),
        _bad("t", "20261207T2500", "contest.qr_time_invalid", "hour-25"),
        _bad("t", "20261207T2400", "contest.qr_time_invalid", "hour-24"),
        _bad("t", "20261207T1860", "contest.qr_time_invalid", "minute-60"),
        _bad("t", "20261207T183060", "contest.qr_time_invalid", "second-60"),
        _bad("t", "20261207T18305", "contest.qr_time_invalid", "odd-digits"),
        _bad("t", "2026127T1830", "contest.qr_time_invalid", "short-date"),
        _bad("t", "20261207 1830", "contest.qr_time_invalid", "no-T"),
        _bad("t", "ABCDEFGHTIJKL", "contest.qr_time_invalid", "letters"),
        _bad("t", "20261207T1830Z", "contest.qr_time_invalid", "trailing-zone"),
        _bad("t", "07.12.2026 18:30", "contest.qr_time_invalid", "russian-date"),
        _bad("t", "٢٠٢٦١٢٠٧T١٨٣٠", "contest.qr_time_invalid", "time-arabic-digits"),
        _bad("t", "00010101T0000", "contest.qr_time_invalid", "year-1"),
        _bad("t", "09991231T2359", "contest.qr_time_invalid", "year-999"),
        _bad("s", "-1234.50", "contest.qr_sum_invalid", "sum-negative"),
        _bad("s", "1234.505", "contest.qr_sum_invalid", "sum-three-decimals"),
        _bad("s", "12345678", "contest.qr_sum_invalid", "sum-8-digits"),
        _bad("s", "12345678.00", "contest.qr_sum_invalid", "sum-8-digits-kopecks"),
        _bad("s", "1 234.50", "contest.qr_sum_invalid", "sum-space-separator"),
        _bad("s", "1,234.50", "contest.qr_sum_invalid", "sum-thousands-comma"),
        _bad("s", "1e3", "contest.qr_sum_invalid", "sum-exponent"),
        _bad("s", "1234.", "contest.qr_sum_invalid", "sum-dangling-point"),
        _bad("s", ".50", "contest.qr_sum_invalid", "sum-no-roubles"),
        _bad("s", "сто", "contest.qr_sum_invalid", "sum-words"),
        _bad("s", ARABIC, "contest.qr_sum_invalid", "sum-arabic-digits"),
        _bad("s", "0", "contest.qr_sum_zero", "sum-zero"),
        _bad("s", "0.00", "contest.qr_sum_zero", "sum-zero-kopecks"),
        _bad("s", "000,0", "contest.qr_sum_zero", "sum-zero-comma"),
        _bad("fn", FN[:-1], "contest.qr_fn_invalid", "fn-15-digits"),
        _bad("fn", FN + "0", "contest.qr_fn_invalid", "fn-17-digits"),
        _bad("fn", FN[:-1] + "A", "contest.qr_fn_invalid", "fn-letter"),
        _bad("fn", "٩٢٨٩٠٠٠١٠٠٣٤٦٢٢٠", "contest.qr_fn_invalid", "fn-arabic-digits"),
        _bad("fn", "9289-0001-0034-6220", "contest.qr_fn_invalid", "fn-dashes"),
        _bad("i", "0", "contest.qr_fd_invalid", "fd-zero"),
        _bad("i", "0000", "contest.qr_fd_invalid", "fd-zeros"),
        _bad("i", "4294967296", "contest.qr_fd_invalid", "fd-over-uint32"),
        _bad("i", "99999999999", "contest.qr_fd_invalid", "fd-11-digits"),
        _bad("i", "-5", "contest.qr_fd_invalid", "fd-negative"),
        _bad("i", "48853a", "contest.qr_fd_invalid", "fd-letter"),
        _bad("i", ARABIC, "contest.qr_fd_invalid", "fd-arabic-digits"),
        _bad("fp", "0", "contest.qr_fp_invalid", "fp-zero"),
        _bad("fp", "4294967296", "contest.qr_fp_invalid", "fp-over-uint32"),
        _bad("fp", "1449125340.0", "contest.qr_fp_invalid", "fp-decimal"),
        _bad("fp", ARABIC, "contest.qr_fp_invalid", "fp-arabic-digits"),
        _bad("n", "0", "contest.qr_n_invalid", "n-zero"),
        _bad("n", "5", "contest.qr_n_invalid", "n-five"),
        _bad("n", "-1", "contest.qr_n_invalid", "n-negative"),
        _bad("n", "1.0", "contest.qr_n_invalid", "n-decimal"),
        _bad("n", "продажа", "contest.qr_n_invalid", "n-word"),
        _bad("n", "١", "contest.qr_n_invalid", "n-arabic-digit"),
    ],
)
def test_parse_receipt_qr_refuses(text, key, params):
    assert_message(refused(parse_receipt_qr, text), key, **params)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param(FIELDS, RECEIPT, id="strings"),
        pytest.param({**FIELDS, "i": 48853, "fp": 1449125340, "n": 1}, RECEIPT, id="json-integers"),
        pytest.param({**FIELDS, "s": 1234}, replace(RECEIPT, amount_kopecks=123400), id="integer-sum"),
        pytest.param({**FIELDS, "t": "2026-12-07T18:30"}, RECEIPT, id="form-time"),
        pytest.param({**FIELDS, "extra": "ignored"}, RECEIPT, id="extra-key"),
    ],
)
def test_parse_receipt_fields_reads(fields, expected):
    assert parse_receipt_fields(fields) == expected


@pytest.mark.parametrize(
    ("fields", "key", "params"),
    [
        pytest.param({}, "contest.qr_field_missing", {"field": "t"}, id="nothing"),
        pytest.param({**FIELDS, "n": True}, "contest.qr_field_missing", {"field": "n"}, id="boolean"),
        pytest.param({**FIELDS, "i": None}, "contest.qr_field_missing", {"field": "i"}, id="null"),
        pytest.param({**FIELDS, "fp": ["1"]}, "contest.qr_field_missing", {"field": "fp"}, id="list"),
        pytest.param({**FIELDS, "i": 0}, "contest.qr_fd_invalid", {}, id="integer-zero"),
        pytest.param({**FIELDS, "fn": int(FN[:-1])}, "contest.qr_fn_invalid", {}, id="fn-as-short-integer"),
    ],
)
def test_parse_receipt_fields_refuses(fields, key, params):
    assert_message(refused(parse_receipt_fields, fields), key, **params)


def test_the_qr_string_is_written_in_moscow_time_whatever_the_zone_of_the_instant():
    in_utc = replace(RECEIPT, purchased_at=utc(2026, 12, 31, 21, 5, 7), amount_kopecks=5)
    assert in_utc.qr() == "t=20270101T000507&s=0.05&fn=9289000100346220&i=48853&fp=1449125340&n=1"
    assert parse_receipt_qr(in_utc.qr()) == in_utc


# Valid receipts: 2000-2099 (Moscow), one kopeck to 9 999 999,99 ₽, any fiscal drive, fd/fp in 1..2^32-1.
receipts = st.builds(
    ReceiptQR,
    purchased_at=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31, 23, 59, 59)
    ).map(lambda moment: moment.replace(microsecond=0, tzinfo=MOSCOW)),
    amount_kopecks=st.integers(1, 999_999_999),
    fn=st.text("0123456789", min_size=16, max_size=16),
    fd=st.integers(1, 2**32 - 1).map(str),
    fp=st.integers(1, 2**32 - 1).map(str),
    operation=st.sampled_from(sorted(OPERATIONS)),
)


@given(receipts)
def test_qr_round_trips(receipt):
    assert parse_receipt_qr(receipt.qr()) == receipt


@given(receipts, st.randoms(use_true_random=False), st.sampled_from(["", "https://ofd.example.ru/check?"]))
def test_qr_round_trips_in_any_field_order_and_case(receipt, rnd, prefix):
    parts = receipt.qr().split("&")
    rnd.shuffle(parts)
    parts = [part.upper() if rnd.random() < 0.5 else part for part in parts]
    assert parse_receipt_qr(prefix + "&".join(parts)) == receipt


# ------------------------------------------------------------------------------------- operation


@pytest.mark.parametrize(
    ("operation", "name"),
    [
        pytest.param(2, "возврат прихода", id="sale-refund"),
        pytest.param(3, "расход", id="expense"),
        pytest.param(4, "возврат расхода", id="expense-refund"),
        pytest.param(7, "7", id="unknown-code"),
    ],
)
def test_only_a_sale_takes_part(operation, name):
    error = refused(refuse_operation, operation)
    assert_message(error, "contest.not_a_sale", operation=name)
    assert f"«{name}»" in str(error)
    assert str(error).startswith("В конкурсе участвуют только чеки продажи")


def test_a_sale_passes():
    assert refuse_operation(1) is None
    assert refuse_operation(parse_receipt_qr(CANONICAL).operation) is None


# --------------------------------------------------------------------------------------- periods

# 00:00:00 on 1 December 2026 in Moscow is 21:00:00 on 30 November in UTC.
DEC_START = utc(2026, 11, 30, 21, 0, 0)


@pytest.mark.parametrize(
    ("purchased_at", "saved_at", "period", "counts"),
    [
        pytest.param(
            msk(2026, 12, 1, 0, 0, 0), msk(2026, 12, 1, 0, 0, 0), (2026, 12), True, id="first-second"
        ),
        pytest.param(DEC_START, DEC_START, (2026, 12), True, id="first-second-in-utc"),
        pytest.param(
            msk(2026, 11, 30, 23, 59, 59),
            msk(2026, 11, 30, 23, 59, 59),
            (2026, 11),
            True,
            id="november-last-second",
        ),
        pytest.param(
            msk(2026, 11, 30, 23, 59, 59),
            msk(2026, 11, 30, 23, 59, 59),
            (2026, 12),
            False,
            id="not-yet-december",
        ),
        pytest.param(
            utc(2026, 11, 30, 20, 59, 59),
            utc(2026, 11, 30, 20, 59, 59),
            (2026, 12),
            False,
            id="not-yet-december-utc",
        ),
        pytest.param(
            utc(2026, 11, 30, 21, 30),
            utc(2026, 11, 30, 22, 0),
            (2026, 11),
            False,
            id="utc-november-is-moscow-december",
        ),
        pytest.param(
            msk(2026, 11, 30, 23, 59, 59),
            msk(2026, 12, 1, 0, 0, 1),
            (2026, 12),
            False,
            id="bought-in-november-saved-in-december",
        ),
        pytest.param(
            msk(2026, 11, 30, 23, 59, 59),
            msk(2026, 12, 1, 0, 0, 1),
            (2026, 11),
            False,
            id="saved-in-the-next-month",
        ),
        pytest.param(
            msk(2026, 12, 31, 23, 59, 59),
            msk(2026, 12, 31, 23, 59, 59),
            (2026, 12),
            True,
            id="december-last-second",
        ),
        pytest.param(
            msk(2027, 1, 1, 0, 0, 0), msk(2027, 1, 1, 0, 0, 0), (2027, 1), True, id="new-year-first-second"
        ),
        pytest.param(
            msk(2027, 1, 1, 0, 0, 0), msk(2027, 1, 1, 0, 0, 0), (2026, 12), False, id="new-year-not-december"
        ),
        pytest.param(msk(2027, 1, 1, 0, 0, 0), msk(2027, 1, 1, 0, 0, 0), (2026, 1), False, id="year-matters"),
        pytest.param(
            msk(2026, 12, 31, 23, 30),
            msk(2027, 1, 1, 0, 5),
            (2027, 1),
            False,
            id="new-year-eve-saved-in-january",
        ),
        pytest.param(
            msk(2026, 12, 31, 23, 30), msk(2027, 1, 1, 0, 5), (2026, 12), False, id="new-year-eve-saved-late"
        ),
        pytest.param(
            msk(2026, 12, 10, 12, 0), msk(2026, 12, 10, 11, 59), (2026, 12), False, id="bought-after-saving"
        ),
        pytest.param(
            msk(2026, 12, 10, 12, 0), msk(2026, 12, 10, 12, 0), (2026, 12), True, id="bought-as-saved"
        ),
        pytest.param(
            msk(2026, 12, 1, 9, 0), msk(2026, 12, 31, 23, 0), (2026, 12), True, id="saved-at-month-end"
        ),
        pytest.param(
            datetime(2026, 11, 30, 21, 0),
            datetime(2026, 11, 30, 21, 0),
            (2026, 12),
            True,
            id="naive-taken-as-utc",
        ),
        pytest.param(
            datetime(2026, 11, 30, 20, 59, 59),
            DEC_START,
            (2026, 12),
            False,
            id="naive-november-aware-december",
        ),
        pytest.param(
            datetime(2026, 12, 1, 9, 0),
            msk(2026, 12, 1, 12, 0),
            (2026, 12),
            True,
            id="naive-utc-equals-aware-moscow",
        ),
        pytest.param(
            datetime(2026, 12, 1, 9, 0, 1),
            msk(2026, 12, 1, 12, 0),
            (2026, 12),
            False,
            id="naive-one-second-later",
        ),
        pytest.param(
            msk(2028, 2, 29, 23, 59, 59),
            msk(2028, 2, 29, 23, 59, 59),
            (2028, 2),
            True,
            id="leap-day-last-second",
        ),
        pytest.param(
            msk(2028, 2, 29, 12, 0), msk(2028, 3, 1, 0, 0), (2028, 2), False, id="leap-day-saved-in-march"
        ),
        pytest.param(msk(2028, 3, 1, 0, 0), msk(2028, 3, 1, 0, 0), (2028, 2), False, id="leap-year-march"),
        pytest.param(msk(2027, 2, 28, 23, 59), msk(2027, 2, 28, 23, 59), (2027, 2), True, id="february-28"),
    ],
)
def test_in_contest_period(purchased_at, saved_at, period, counts):
    assert in_contest_period(purchased_at, saved_at, *period) is counts


@pytest.mark.parametrize(
    ("purchased_at", "saved_at", "key"),
    [
        pytest.param(msk(2026, 12, 7, 18, 30), msk(2026, 12, 7, 18, 31), None, id="same-day"),
        pytest.param(msk(2026, 12, 7, 18, 30), msk(2026, 12, 7, 18, 30), None, id="same-instant"),
        pytest.param(msk(2026, 12, 1, 0, 0), msk(2026, 12, 31, 23, 59, 59), None, id="whole-month"),
        pytest.param(
            utc(2026, 11, 30, 21, 30), utc(2026, 12, 1, 10, 0), None, id="utc-months-differ-moscow-same"
        ),
        pytest.param(datetime(2026, 11, 30, 21, 30), msk(2026, 12, 1, 13, 0), None, id="naive-utc"),
        pytest.param(msk(2028, 2, 1, 0, 0), msk(2028, 2, 29, 23, 59, 59), None, id="leap-february"),
        pytest.param(
            msk(2026, 12, 7, 18, 31), msk(2026, 12, 7, 18, 30), "contest.receipt_future", id="future"
        ),
        pytest.param(
            msk(2027, 1, 7, 18, 0), msk(2026, 12, 7, 18, 0), "contest.receipt_future", id="next-month"
        ),
        pytest.param(
            msk(2026, 11, 30, 23, 59, 59),
            msk(2026, 12, 1, 0, 0),
            "contest.receipt_other_month",
            id="last-month",
        ),
        pytest.param(
            utc(2026, 12, 31, 20, 30),
            utc(2026, 12, 31, 21, 30),
            "contest.receipt_other_month",
            id="utc-same-moscow-next",
        ),
        pytest.param(
            msk(2026, 12, 31, 23, 59, 59),
            msk(2027, 1, 1, 0, 0),
            "contest.receipt_other_month",
            id="year-change",
        ),
        pytest.param(
            msk(2025, 12, 10, 12, 0),
            msk(2026, 12, 10, 12, 0),
            "contest.receipt_other_month",
            id="same-month-last-year",
        ),
        pytest.param(
            msk(2028, 2, 29, 23, 0),
            msk(2028, 3, 1, 0, 0, 1),
            "contest.receipt_other_month",
            id="leap-day-to-march",
        ),
    ],
)
def test_refuse_out_of_period(purchased_at, saved_at, key):
    if key is None:
        assert refuse_out_of_period(purchased_at, saved_at) is None
    else:
        assert_message(refused(refuse_out_of_period, purchased_at, saved_at), key)


instants = st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2098, 12, 31)).map(
    lambda moment: moment.replace(tzinfo=UTC)
)


@given(instants, st.integers(-40 * 86400, 40 * 86400))
def test_a_receipt_refused_for_its_period_is_exactly_one_that_does_not_count_in_the_saving_month(
    saved_at, shift
):
    purchased_at = saved_at - timedelta(seconds=shift)
    try:
        refuse_out_of_period(purchased_at, saved_at)
    except InvalidInput:
        accepted = False
    else:
        accepted = True
    assert accepted is in_contest_period(purchased_at, saved_at, *period_of(saved_at))


@pytest.mark.parametrize(
    ("moment", "period"),
    [
        pytest.param(DEC_START, (2026, 12), id="december-first-second-utc"),
        pytest.param(DEC_START - timedelta(seconds=1), (2026, 11), id="november-last-second-utc"),
        pytest.param(utc(2026, 12, 31, 21, 0), (2027, 1), id="new-year-utc"),
        pytest.param(datetime(2026, 12, 31, 20, 59, 59), (2026, 12), id="naive-as-utc"),
        pytest.param(msk(2028, 2, 29, 23, 59, 59), (2028, 2), id="leap-day"),
    ],
)
def test_period_of_is_the_moscow_month(moment, period):
    assert period_of(moment) == period


@pytest.mark.parametrize(
    ("raw", "period"),
    [
        pytest.param("2026-12", (2026, 12), id="december"),
        pytest.param("2027-01", (2027, 1), id="january"),
        pytest.param(" 2028-02\n", (2028, 2), id="whitespace"),
        pytest.param("2000-01", (2000, 1), id="earliest"),
    ],
)
def test_parse_period_reads(raw, period):
    assert parse_period(raw) == period
    assert period_label(*period) == raw.strip()


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("", id="empty"),
        pytest.param(None, id="not-text"),
        pytest.param("2026-13", id="month-13"),
        pytest.param("2026-00", id="month-0"),
        pytest.param("2026-1", id="one-digit-month"),
        pytest.param("26-12", id="two-digit-year"),
        pytest.param("1999-12", id="before-2000"),
        pytest.param("9999-12", id="no-next-month"),
        pytest.param("2026/12", id="slash"),
        pytest.param("2026-12-01", id="a-date"),
        pytest.param("12-2026", id="reversed"),
        pytest.param("декабрь", id="word"),
    ],
)
def test_parse_period_refuses(raw):
    assert_message(refused(parse_period, raw), "contest.period_invalid")


@pytest.mark.parametrize(
    ("period", "bounds"),
    [
        pytest.param((2026, 12), (DEC_START, utc(2026, 12, 31, 21, 0)), id="december"),
        pytest.param((2027, 1), (utc(2026, 12, 31, 21, 0), utc(2027, 1, 31, 21, 0)), id="january"),
        pytest.param((2028, 2), (utc(2028, 1, 31, 21, 0), utc(2028, 2, 29, 21, 0)), id="leap-february"),
        pytest.param((2027, 2), (utc(2027, 1, 31, 21, 0), utc(2027, 2, 28, 21, 0)), id="february"),
    ],
)
def test_period_bounds_are_moscow_midnights_in_utc(period, bounds):
    start, end = period_bounds(*period)
    assert (start, end) == bounds
    assert start.tzinfo is UTC and end.tzinfo is UTC
    assert period_of(start) == period
    assert period_of(end - timedelta(microseconds=1)) == period
    assert period_of(end) != period


@pytest.mark.parametrize(
    ("now", "ended"),
    [
        pytest.param(msk(2026, 12, 31, 23, 59, 59), False, id="last-second"),
        pytest.param(msk(2027, 1, 1, 0, 0, 0), True, id="new-year"),
        pytest.param(utc(2026, 12, 31, 20, 59, 59), False, id="last-second-utc"),
        pytest.param(utc(2026, 12, 31, 21, 0, 0), True, id="new-year-utc"),
        pytest.param(datetime(2026, 12, 31, 21, 0, 0), True, id="naive-utc"),
        pytest.param(msk(2026, 11, 15, 12, 0), False, id="before-it-began"),
        pytest.param(msk(2027, 6, 1, 12, 0), True, id="long-after"),
    ],
)
def test_period_ended(now, ended):
    assert period_ended(2026, 12, now) is ended


@pytest.mark.parametrize(
    ("now", "text"),
    [
        pytest.param(msk(2026, 12, 30, 19, 0), "До конца месяца: 1 день 5 часов", id="1-day"),
        pytest.param(msk(2026, 12, 29, 22, 0), "До конца месяца: 2 дня 2 часа", id="2-days"),
        pytest.param(msk(2026, 12, 27, 20, 0), "До конца месяца: 4 дня 4 часа", id="4-days"),
        pytest.param(msk(2026, 12, 26, 3, 0), "До конца месяца: 5 дней 21 час", id="5-days"),
        pytest.param(msk(2026, 12, 20, 13, 0), "До конца месяца: 11 дней 11 часов", id="11-days"),
        pytest.param(msk(2026, 12, 17, 10, 0), "До конца месяца: 14 дней 14 часов", id="14-days"),
        pytest.param(msk(2026, 12, 18, 11, 0), "До конца месяца: 13 дней 13 часов", id="13-days"),
        pytest.param(msk(2026, 12, 10, 23, 0), "До конца месяца: 21 день 1 час", id="21-days"),
        pytest.param(msk(2026, 12, 9, 1, 0), "До конца месяца: 22 дня 23 часа", id="22-days"),
        pytest.param(msk(2026, 12, 1, 0, 30), "До конца месяца: 30 дней 23 часа", id="30-days"),
        pytest.param(msk(2026, 12, 31, 12, 0), "До конца месяца: 12 часов 0 минут", id="last-day-noon"),
        pytest.param(msk(2026, 12, 31, 21, 57, 30), "До конца месяца: 2 часа 2 минуты", id="2-hours"),
        pytest.param(msk(2026, 12, 31, 22, 55), "До конца месяца: 1 час 5 минут", id="1-hour"),
        pytest.param(msk(2026, 12, 31, 23, 39), "До конца месяца: 21 минута", id="21-minutes"),
        pytest.param(msk(2026, 12, 31, 23, 38), "До конца месяца: 22 минуты", id="22-minutes"),
        pytest.param(msk(2026, 12, 31, 23, 49), "До конца месяца: 11 минут", id="11-minutes"),
        pytest.param(msk(2026, 12, 31, 23, 46), "До конца месяца: 14 минут", id="14-minutes"),
        pytest.param(msk(2026, 12, 31, 23, 59), "До конца месяца: 1 минута", id="1-minute"),
        pytest.param(utc(2026, 12, 31, 20, 58), "До конца месяца: 2 минуты", id="utc-now"),
        pytest.param(msk(2027, 1, 1, 0, 0), "Период завершён", id="ended"),
        pytest.param(msk(2027, 3, 1, 0, 0), "Период завершён", id="long-ended"),
    ],
)
def test_time_left_text_december(now, text):
    assert time_left_text(2026, 12, now) == text


@pytest.mark.parametrize(
    ("period", "now", "text"),
    [
        pytest.param(
            (2028, 2), msk(2028, 2, 28, 12, 0), "До конца месяца: 1 день 12 часов", id="leap-february"
        ),
        pytest.param((2027, 2), msk(2027, 2, 28, 12, 0), "До конца месяца: 12 часов 0 минут", id="february"),
        pytest.param((2026, 11), DEC_START, "Период завершён", id="november-over-at-moscow-midnight"),
        pytest.param(
            (2026, 11),
            DEC_START - timedelta(minutes=1),
            "До конца месяца: 1 минута",
            id="november-last-minute",
        ),
    ],
)
def test_time_left_text_other_months(period, now, text):
    assert time_left_text(*period, now) == text


# ---------------------------------------------------------------------------------------- points


@pytest.mark.parametrize(
    ("category", "points"),
    [
        pytest.param("fuel", 10, id="fuel-station"),
        pytest.param("grocery", 1, id="grocery"),
        pytest.param("other", 1, id="other"),
        pytest.param(None, 1, id="unknown-seller"),
        pytest.param("FUEL", 1, id="category-codes-are-exact"),
    ],
)
def test_receipt_points(category, points):
    assert receipt_points(category) == points


SELLER = {"category": "fuel", "region": "77", "inn": "7707083893", "okrug": 3}


@pytest.mark.parametrize(
    ("conditions", "receipt", "counts"),
    [
        pytest.param(Conditions(), SELLER, True, id="general"),
        pytest.param(Conditions(), {**SELLER, "category": None, "okrug": None}, True, id="general-unknown"),
        pytest.param(Conditions(categories=frozenset({"fuel"})), SELLER, True, id="category-match"),
        pytest.param(
            Conditions(categories=frozenset({"fuel"})),
            {**SELLER, "category": "cafe"},
            False,
            id="category-other",
        ),
        pytest.param(
            Conditions(categories=frozenset({"fuel"})),
            {**SELLER, "category": None},
            False,
            id="category-unknown",
        ),
        pytest.param(Conditions(regions=frozenset({"77", "50"})), SELLER, True, id="region-match"),
        pytest.param(Conditions(regions=frozenset({"50"})), SELLER, False, id="region-other"),
        pytest.param(Conditions(partner_inns=frozenset({"7707083893"})), SELLER, True, id="partner-match"),
        pytest.param(Conditions(partner_inns=frozenset({"500100732259"})), SELLER, False, id="partner-other"),
        pytest.param(Conditions(okrugs=frozenset({3, 4})), SELLER, True, id="okrug-match"),
        pytest.param(Conditions(okrugs=frozenset({4})), SELLER, False, id="okrug-other"),
        pytest.param(
            Conditions(okrugs=frozenset({3})), {**SELLER, "okrug": None}, False, id="okrug-no-address"
        ),
        pytest.param(
            Conditions(categories=frozenset({"fuel"}), regions=frozenset({"77"})),
            SELLER,
            True,
            id="two-axes-match",
        ),
        pytest.param(
            Conditions(categories=frozenset({"fuel"}), regions=frozenset({"50"})),
            SELLER,
            False,
            id="two-axes-one-fails",
        ),
        pytest.param(
            Conditions(
                categories=frozenset({"fuel", "cafe"}),
                regions=frozenset({"77"}),
                partner_inns=frozenset({"7707083893"}),
                okrugs=frozenset({3}),
            ),
            SELLER,
            True,
            id="all-axes-match",
        ),
        pytest.param(
            Conditions(
                categories=frozenset({"fuel"}),
                regions=frozenset({"77"}),
                partner_inns=frozenset({"7707083893"}),
                okrugs=frozenset({5}),
            ),
            SELLER,
            False,
            id="all-axes-but-okrug",
        ),
    ],
)
def test_conditions_counts(conditions, receipt, counts):
    assert conditions.counts(**receipt) is counts


@pytest.mark.parametrize(
    ("conditions", "general"),
    [
        pytest.param(Conditions(), True, id="none"),
        pytest.param(Conditions(categories=frozenset({"fuel"})), False, id="category"),
        pytest.param(Conditions(regions=frozenset({"77"})), False, id="region"),
        pytest.param(Conditions(partner_inns=frozenset({"7707083893"})), False, id="partner"),
        pytest.param(Conditions(okrugs=frozenset({1})), False, id="okrug"),
    ],
)
def test_conditions_general(conditions, general):
    assert conditions.general is general


@pytest.mark.parametrize(
    ("raw", "inn"),
    [
        pytest.param("7707083893", "7707083893", id="company"),
        pytest.param("500100732259", "500100732259", id="entrepreneur"),
        pytest.param(" 7707083893\n", "7707083893", id="whitespace"),
    ],
)
def test_parse_inn_reads(raw, inn):
    assert parse_inn(raw) == inn


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("", id="empty"),
        pytest.param(None, id="not-text"),
        pytest.param("770708389", id="9-digits"),
        pytest.param("77070838931", id="11-digits"),
        pytest.param("5001007322591", id="13-digits"),
        pytest.param("77070838A3", id="letter"),
        pytest.param("7707 083893", id="inner-space"),
        pytest.param("١٢٣٤٥٦٧٨٩٠", id="arabic-digits"),
    ],
)
def test_parse_inn_refuses(raw):
    assert_message(refused(parse_inn, raw), "contest.inn_invalid")


# ---------------------------------------------------------------------------------------- review

DEFAULT = ReviewRules()
STRICT = ReviewRules(daily_limit=10, split_count=3, split_minutes=5)


@pytest.mark.parametrize(
    ("rules", "same_day", "same_drive_window", "reason"),
    [
        pytest.param(DEFAULT, 0, 0, None, id="first-receipt"),
        pytest.param(DEFAULT, 49, 0, None, id="50th-of-the-day"),
        pytest.param(DEFAULT, 50, 0, "daily", id="51st-of-the-day"),
        pytest.param(DEFAULT, 120, 0, "daily", id="far-over-the-day"),
        pytest.param(DEFAULT, 0, 3, None, id="4th-from-one-drive"),
        pytest.param(DEFAULT, 0, 4, "split", id="5th-from-one-drive"),
        pytest.param(DEFAULT, 49, 3, None, id="both-just-under"),
        pytest.param(DEFAULT, 50, 4, "daily", id="daily-named-first"),
        pytest.param(STRICT, 9, 1, None, id="custom-under"),
        pytest.param(STRICT, 10, 0, "daily", id="custom-daily"),
        pytest.param(STRICT, 0, 2, "split", id="custom-split"),
        pytest.param(ReviewRules(split_count=1), 0, 0, "split", id="review-everything"),
    ],
)
def test_review_reason(rules, same_day, same_drive_window, reason):
    assert review_reason(rules, same_day=same_day, same_drive_window=same_drive_window) == reason


def test_default_review_rules():
    assert (DEFAULT.daily_limit, DEFAULT.split_count, DEFAULT.split_minutes) == (50, 5, 10)


# ---------------------------------------------------------------------------------------- rating

T0 = utc(2026, 12, 1, 9, 0)
HOUR = timedelta(hours=1)


def standing(pid: int, points: int = 10, reached: int = 5, last: int = 4, registered: int = -100) -> Standing:
    """A standing whose times are whole hours after T0."""
    return Standing(
        participant_id=pid,
        points=points,
        reached_at=T0 + reached * HOUR,
        last_receipt_at=T0 + last * HOUR,
        registered_at=T0 + registered * HOUR,
    )


@pytest.mark.parametrize(
    ("standings", "order"),
    [
        pytest.param(
            [
                standing(1, points=5, reached=1, last=1, registered=-900),
                standing(2, points=6, reached=9, last=9),
            ],
            [2, 1],
            id="points",
        ),
        pytest.param(
            [standing(1, reached=6, last=1, registered=-900), standing(2, reached=5, last=5, registered=-1)],
            [2, 1],
            id="reached-at",
        ),
        pytest.param(
            [standing(1, last=4, registered=-900), standing(2, last=3, registered=-1)],
            [2, 1],
            id="last-receipt-at",
        ),
        pytest.param(
            [standing(1, registered=-100), standing(2, registered=-200)],
            [2, 1],
            id="registered-at",
        ),
        pytest.param([standing(2), standing(1)], [1, 2], id="participant-id"),
        pytest.param(
            [
                standing(7, points=3),
                standing(6, points=10, reached=5, last=4, registered=-100),
                standing(5, points=10, reached=5, last=4, registered=-101),
                standing(4, points=10, reached=5, last=3),
                standing(3, points=10, reached=4, last=4),
                standing(2, points=11, reached=20, last=20, registered=0),
                standing(8, points=10, reached=5, last=4, registered=-100),
            ],
            [2, 3, 4, 5, 6, 8, 7],
            id="every-level-at-once",
        ),
        pytest.param(
            [
                Standing(1, 10, datetime(2026, 12, 5, 12, 0), T0, T0),  # naive: 12:00 UTC
                Standing(2, 10, msk(2026, 12, 5, 14, 30), T0, T0),  # 11:30 UTC
            ],
            [2, 1],
            id="naive-is-utc-later",
        ),
        pytest.param(
            [
                Standing(1, 10, datetime(2026, 12, 5, 11, 0), T0, T0),  # naive: 11:00 UTC
                Standing(2, 10, msk(2026, 12, 5, 14, 30), T0, T0),  # 11:30 UTC
            ],
            [1, 2],
            id="naive-is-utc-earlier",
        ),
        pytest.param(
            [
                Standing(1, 10, T0, datetime(2026, 12, 1, 8, 0), T0),
                Standing(2, 10, T0, msk(2026, 12, 1, 10, 0), T0),  # 07:00 UTC
            ],
            [2, 1],
            id="mixed-last-receipt",
        ),
        pytest.param(
            [
                Standing(2, 10, T0, T0, msk(2026, 1, 1, 3, 0)),  # the same instant as the naive one
                Standing(1, 10, T0, T0, datetime(2026, 1, 1, 0, 0)),
            ],
            [1, 2],
            id="mixed-equal-instants-fall-to-id",
        ),
        pytest.param([], [], id="nobody"),
    ],
)
def test_rank(standings, order):
    assert [row.participant_id for row in rank(standings)] == order
    assert [row.participant_id for row in rank(reversed(standings))] == order


# Few distinct values so that ties happen at every level; each instant is written as naive UTC,
# aware UTC or aware Moscow at random.
_MOMENTS = [T0 + k * 37 * timedelta(minutes=1) for k in range(4)]
moments = st.tuples(st.sampled_from(_MOMENTS), st.sampled_from(["naive", "utc", "moscow"])).map(
    lambda pair: {
        "naive": pair[0].replace(tzinfo=None),
        "utc": pair[0],
        "moscow": pair[0].astimezone(MOSCOW),
    }[pair[1]]
)
standings_strategy = st.builds(
    Standing,
    participant_id=st.integers(1, 10_000),
    points=st.integers(0, 3),
    reached_at=moments,
    last_receipt_at=moments,
    registered_at=moments,
)
tables = st.lists(standings_strategy, max_size=30, unique_by=lambda row: row.participant_id)


def _instant(moment: datetime) -> float:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def _spec_compare(a: Standing, b: Standing) -> int:
    """SPEC §11.4 written out level by level: negative when ``a`` ranks higher."""
    levels = [
        (b.points, a.points),
        (_instant(a.reached_at), _instant(b.reached_at)),
        (_instant(a.last_receipt_at), _instant(b.last_receipt_at)),
        (_instant(a.registered_at), _instant(b.registered_at)),
        (a.participant_id, b.participant_id),
    ]
    for left, right in levels:
        if left != right:
            return -1 if left < right else 1
    return 0


@given(standings_strategy, standings_strategy)
def test_rank_is_a_total_order(a, b):
    assume(a.participant_id != b.participant_id)
    a_first, b_first = rank_key(a) < rank_key(b), rank_key(b) < rank_key(a)
    assert a_first != b_first
    assert rank([a, b]) == rank([b, a]) == ([a, b] if a_first else [b, a])


@given(standings_strategy, standings_strategy, standings_strategy)
def test_rank_is_transitive(a, b, c):
    assume(len({a.participant_id, b.participant_id, c.participant_id}) == 3)
    if rank_key(a) < rank_key(b) and rank_key(b) < rank_key(c):
        assert rank_key(a) < rank_key(c)
        assert rank([c, a, b]) == [a, b, c]


@given(tables)
def test_rank_follows_the_spec_level_by_level(table):
    assert rank(table) == sorted(table, key=functools.cmp_to_key(_spec_compare))


@given(tables, st.randoms(use_true_random=False))
def test_rank_does_not_depend_on_input_order(table, rnd):
    shuffled = list(table)
    rnd.shuffle(shuffled)
    assert rank(shuffled) == rank(table)


@given(tables)
def test_rank_is_idempotent_permutation(table):
    ranked = rank(table)
    assert rank(ranked) == ranked
    assert sorted(ranked, key=lambda row: row.participant_id) == sorted(
        table, key=lambda row: row.participant_id
    )
    assert len(ranked) == len(table)
    assert [row.points for row in ranked] == sorted((row.points for row in table), reverse=True)


# -------------------------------------------------------------------------------------- standings

REGISTERED = msk(2026, 11, 3, 10, 0)


def test_standing_of_sums_points_and_takes_the_latest_times():
    receipts = [
        CountedReceipt(points=1, counted_at=utc(2026, 12, 2, 10, 0), purchased_at=utc(2026, 12, 2, 9, 0)),
        # Bought last but saved (counted) before the next one.
        CountedReceipt(points=10, counted_at=utc(2026, 12, 3, 8, 0), purchased_at=utc(2026, 12, 3, 7, 0)),
        # An older purchase re-scored later: it moved the total last.
        CountedReceipt(points=1, counted_at=utc(2026, 12, 5, 12, 0), purchased_at=utc(2026, 12, 1, 18, 0)),
    ]
    assert standing_of(42, REGISTERED, receipts) == Standing(
        participant_id=42,
        points=12,
        reached_at=utc(2026, 12, 5, 12, 0),
        last_receipt_at=utc(2026, 12, 3, 7, 0),
        registered_at=utc(2026, 11, 3, 7, 0),
    )


def test_standing_of_reads_naive_times_as_utc_and_returns_utc():
    result = standing_of(
        7, datetime(2026, 11, 1, 0, 0), [CountedReceipt(10, datetime(2026, 12, 1, 5), msk(2026, 12, 1, 7, 0))]
    )
    assert result == Standing(7, 10, utc(2026, 12, 1, 5), utc(2026, 12, 1, 4), utc(2026, 11, 1))
    assert all(
        moment.tzinfo is UTC for moment in (result.reached_at, result.last_receipt_at, result.registered_at)
    )


def test_standing_of_nothing_is_none():
    assert standing_of(1, REGISTERED, []) is None
    assert standing_of(1, REGISTERED, iter(())) is None


counted_receipts = st.builds(
    CountedReceipt,
    points=st.sampled_from([1, 10]),
    counted_at=moments,
    purchased_at=moments,
)


def _fold(participant_id: int, registered_at: datetime, receipts: list[CountedReceipt]) -> Standing | None:
    """The standing updated one accepted receipt at a time, in the order they started counting."""
    current = None
    for receipt in sorted(receipts, key=lambda row: _instant(row.counted_at)):
        counted_at = datetime.fromtimestamp(_instant(receipt.counted_at), UTC)
        purchased_at = datetime.fromtimestamp(_instant(receipt.purchased_at), UTC)
        if current is None:
            current = Standing(
                participant_id,
                receipt.points,
                counted_at,
                purchased_at,
                datetime.fromtimestamp(_instant(registered_at), UTC),
            )
        else:
            current = replace(
                current,
                points=current.points + receipt.points,
                reached_at=counted_at,
                last_receipt_at=max(current.last_receipt_at, purchased_at),
            )
    return current


@given(st.lists(counted_receipts, max_size=20), moments, st.randoms(use_true_random=False))
def test_standing_of_equals_the_incremental_fold(receipts, registered_at, rnd):
    shuffled = list(receipts)
    rnd.shuffle(shuffled)
    assert standing_of(9, registered_at, shuffled) == _fold(9, registered_at, receipts)


# ------------------------------------------------------------------------------- places and prizes


@pytest.mark.parametrize(
    ("mine", "above", "needed"),
    [
        pytest.param(10, 15, 6, id="behind"),
        pytest.param(10, 10, 1, id="tied-they-reached-it-first"),
        pytest.param(0, 1, 2, id="from-zero"),
        pytest.param(10, 11, 2, id="one-behind"),
        pytest.param(12, 10, 1, id="stale-above"),
    ],
)
def test_points_to_next_place(mine, above, needed):
    assert points_to_next_place(mine, above) == needed


@pytest.mark.parametrize(
    ("first", "last", "shown"),
    [
        pytest.param("Анна", "Смирнова", "Анна С.", id="full"),
        pytest.param("Анна", "смирнова", "Анна С.", id="lower-case-last-name"),
        pytest.param("  Анна ", "  Смирнова", "Анна С.", id="whitespace"),
        pytest.param("Анна", "", "Анна", id="no-last-name"),
        pytest.param("Анна", "   ", "Анна", id="blank-last-name"),
        pytest.param("", "Смирнова", "Участник", id="no-first-name"),
        pytest.param("  ", "Смирнова", "Участник", id="blank-first-name"),
        pytest.param("", "", "Участник", id="nothing"),
        pytest.param("Jean", "de la Fontaine", "Jean D.", id="latin"),
        pytest.param("Ёжик", "ёлкин", "Ёжик Ё.", id="yo"),
    ],
)
def test_short_name(first, last, shown):
    assert short_name(first, last) == shown


@pytest.mark.parametrize(
    ("email", "masked"),
    [
        pytest.param("anna@mail.ru", "a***@mail.ru", id="ordinary"),
        pytest.param("  anna.smirnova@yandex.ru ", "a***@yandex.ru", id="whitespace"),
        pytest.param("a@mail.ru", "a***@mail.ru", id="one-letter-mailbox"),
        pytest.param("", "", id="empty"),
        pytest.param("anna.mail.ru", "", id="no-at"),
        pytest.param("@mail.ru", "", id="no-mailbox"),
        pytest.param("anna@", "", id="no-domain"),
    ],
)
def test_mask_email(email, masked):
    assert mask_email(email) == masked


@pytest.mark.parametrize(
    ("place", "prize"),
    [
        pytest.param(1, 2000, id="first"),
        pytest.param(2, 1500, id="second"),
        pytest.param(3, 1000, id="third"),
        pytest.param(4, 500, id="fourth"),
        pytest.param(5, 300, id="fifth"),
        pytest.param(6, 0, id="sixth"),
        pytest.param(1000, 0, id="far"),
        pytest.param(0, 0, id="zero"),
        pytest.param(-1, 0, id="negative-not-from-the-end"),
    ],
)
def test_prize_for_general_contest(place, prize):
    assert prize_for(place, GENERAL_PRIZES) == prize


def test_prize_for_a_parallel_contest_table():
    assert [prize_for(place, (700, 300)) for place in range(0, 4)] == [0, 700, 300, 0]
    assert prize_for(1, ()) == 0


def test_general_prizes_are_the_spec_table():
    assert GENERAL_PRIZES == (2000, 1500, 1000, 500, 300)


@settings(max_examples=50)
@given(st.integers(1, 20))
def test_a_lower_place_never_wins_more(place):
    assert prize_for(place, GENERAL_PRIZES) >= prize_for(place + 1, GENERAL_PRIZES)


def test_a_big_table_with_many_ties_ranks_the_same_way_every_time():
    """Even a big table with many full ties ranks the same way every time."""
    rows = [standing(pid, points=pid % 3, reached=pid % 2, last=0, registered=0) for pid in range(1, 501)]
    expected = rank(rows)
    for seed in range(5):
        shuffled = list(rows)
        random.Random(seed).shuffle(shuffled)
        assert rank(shuffled) == expected
    assert [row.participant_id for row in expected[:4]] == [2, 8, 14, 20]
