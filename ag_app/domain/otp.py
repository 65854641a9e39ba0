"""One-time SMS codes (SPEC §1.1): format, lifetime, wrong-attempt and per-hour limits."""

import random
import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import Enum

from ag_app.domain.clock import MOSCOW, as_utc
from ag_app.domain.errors import TooManyRequests

CODE_LENGTH = 6
# A code is valid this long after it was sent.
CODE_TTL = timedelta(minutes=5)
# Wrong entries allowed per code; the next attempt is refused even with the right code.
MAX_WRONG_ATTEMPTS = 5
# Codes one phone may receive in any rolling hour.
MAX_CODES_PER_WINDOW = 3
CODE_WINDOW = timedelta(hours=1)

_CODE = re.compile(rf"^[0-9]{{{CODE_LENGTH}}}$")


class Verdict(Enum):
    """The outcome of checking an entered code against the stored one."""

    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    EXHAUSTED = "exhausted"
    USED = "used"


def new_code(rng: random.Random) -> str:
    """A code of 6 random digits (leading zeros allowed)."""
    return "".join(str(rng.randrange(10)) for _ in range(CODE_LENGTH))


def is_code_format(code: str) -> bool:
    """Whether ``code`` is exactly 6 digits."""
    return bool(_CODE.match(code or ""))


def code_expires_at(sent_at: datetime) -> datetime:
    """A code sent at ``sent_at`` is valid until 5 minutes later."""
    return as_utc(sent_at) + CODE_TTL


def next_code_allowed_at(sent: Iterable[datetime], now: datetime) -> datetime | None:
    """When the phone may get another code, or None if it may get one now.

    At most 3 codes per phone in any rolling hour: with 3 codes sent in the hour before ``now``,
    the next is possible one hour after the oldest of them.
    """
    window = sorted(as_utc(t) for t in sent if as_utc(t) > as_utc(now) - CODE_WINDOW)
    if len(window) < MAX_CODES_PER_WINDOW:
        return None
    return window[-MAX_CODES_PER_WINDOW] + CODE_WINDOW


def format_moscow_time(moment: datetime, now: datetime) -> str:
    """``HH:MM`` Moscow time (rounded up to the minute), with the date when it is not today."""
    local = as_utc(moment).astimezone(MOSCOW)
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + timedelta(minutes=1)
    today = as_utc(now).astimezone(MOSCOW).date()
    text = local.strftime("%H:%M")
    if local.date() != today:
        text = f"{local.strftime('%d.%m.%Y')} {text}"
    return f"{text} по московскому времени"


def check_code_request(sent: Iterable[datetime], now: datetime) -> None:
    """Refuse a 4th code within an hour with ``TooManyRequests`` naming when a new code is possible."""
    allowed_at = next_code_allowed_at(sent, now)
    if allowed_at is not None:
        raise TooManyRequests("otp.rate_limited", at=format_moscow_time(allowed_at, now))


def judge_attempt(
    *, matches: bool, failed_attempts: int, expires_at: datetime, used: bool, now: datetime
) -> Verdict:
    """Decide an attempt to log in with a code.

    In order: a code already used never works again; after 5 wrong attempts the code is dead (even the
    right code is refused); an expired code is refused; then the code must match.
    """
    if used:
        return Verdict.USED
    if failed_attempts >= MAX_WRONG_ATTEMPTS:
        return Verdict.EXHAUSTED
    if as_utc(now) >= as_utc(expires_at):
        return Verdict.EXPIRED
    return Verdict.OK if matches else Verdict.WRONG


def attempts_left(failed_attempts: int) -> int:
    """Wrong attempts still allowed after ``failed_attempts`` wrong ones."""
    return max(0, MAX_WRONG_ATTEMPTS - failed_attempts)
