"""SMS codes: 6 digits, 5 minutes, 5 wrong attempts, 3 codes per rolling hour."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ag_app.domain.errors import TooManyRequests
from ag_app.domain.otp import (
    Verdict,
    attempts_left,
    check_code_request,
    code_expires_at,
    is_code_format,
    judge_attempt,
    new_code,
    next_code_allowed_at,
)

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)  # 12:00 in Moscow


def minutes_ago(*values: int) -> list[datetime]:
    return [NOW - timedelta(minutes=v) for v in values]


@given(st.integers())
def test_new_code_is_six_digits(seed):
    code = new_code(random.Random(seed))
    assert len(code) == 6 and code.isdigit() and is_code_format(code)


def test_codes_differ_between_draws():
    rng = random.Random(7)
    assert len({new_code(rng) for _ in range(50)}) > 45


@pytest.mark.parametrize(
    ("code", "ok"),
    [
        ("123456", True),
        ("000000", True),
        ("12345", False),
        ("1234567", False),
        ("12a456", False),
        ("", False),
        ("١٢٣٤٥٦", False),
    ],
)
def test_code_format(code, ok):
    assert is_code_format(code) is ok


def test_code_lives_five_minutes():
    assert code_expires_at(NOW) == NOW + timedelta(minutes=5)


@pytest.mark.parametrize(
    ("sent", "allowed_at"),
    [
        ([], None),
        (minutes_ago(10), None),
        (minutes_ago(50, 10), None),
        (minutes_ago(50, 30, 10), NOW + timedelta(minutes=10)),
        (minutes_ago(59, 50, 30, 10), NOW + timedelta(minutes=10)),  # when only 2 remain in the hour
        (minutes_ago(60, 30, 10), None),  # exactly an hour ago has left the window
        (minutes_ago(120, 90, 70), None),
    ],
)
def test_three_codes_per_rolling_hour(sent, allowed_at):
    assert next_code_allowed_at(sent, NOW) == allowed_at


def test_fourth_code_names_moscow_time_when_possible():
    with pytest.raises(TooManyRequests) as err:
        check_code_request(minutes_ago(50, 30, 10), NOW)
    assert "12:10 по московскому времени" in str(err.value)
    assert err.value.status_code == 429


def test_time_is_rounded_up_and_dated_on_another_day():
    late = datetime(2026, 11, 20, 20, 30, 30, tzinfo=UTC)  # 23:30:30 Moscow
    sent = [late - timedelta(minutes=m) for m in (30, 20, 10)]  # first at 23:00:30 Moscow
    with pytest.raises(TooManyRequests) as err:
        check_code_request(sent, late)
    assert "21.11.2026 00:01 по московскому времени" in str(err.value)


def test_three_codes_are_fine():
    check_code_request(minutes_ago(50, 30), NOW)


@pytest.mark.parametrize(
    ("matches", "failed", "expires_in", "used", "verdict"),
    [
        (True, 0, 5, False, Verdict.OK),
        (True, 4, 1, False, Verdict.OK),
        (False, 0, 5, False, Verdict.WRONG),
        (False, 4, 5, False, Verdict.WRONG),
        (True, 5, 5, False, Verdict.EXHAUSTED),  # the 6th attempt is refused even with the right code
        (False, 5, 5, False, Verdict.EXHAUSTED),
        (True, 0, 0, False, Verdict.EXPIRED),
        (True, 0, -1, False, Verdict.EXPIRED),
        (False, 0, -1, False, Verdict.EXPIRED),
        (True, 0, 5, True, Verdict.USED),
    ],
)
def test_judge_attempt(matches, failed, expires_in, used, verdict):
    expires_at = NOW + timedelta(minutes=expires_in)
    assert (
        judge_attempt(matches=matches, failed_attempts=failed, expires_at=expires_at, used=used, now=NOW)
        is verdict
    )


@pytest.mark.parametrize(("failed", "left"), [(0, 5), (1, 4), (4, 1), (5, 0), (9, 0)])
def test_attempts_left(failed, left):
    assert attempts_left(failed) == left
