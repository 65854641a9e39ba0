"""One-time SMS codes (SPEC §1.1): format, lifetime, wrong-attempt, per-phone and per-client limits."""

import ipaddress
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
# Codes one client address (IPv4 address, IPv6 /64 network) may get in any rolling hour, whatever the
# phones: nobody can make the platform send unlimited SMS to fresh numbers.
MAX_CODES_PER_CLIENT = 10
# A flood: this many codes from one client address within a day bans it until a day after the
# oldest of them.
CLIENT_BAN_CODES = 30
CLIENT_BAN_WINDOW = timedelta(hours=24)

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


def client_network(address: str) -> str:
    """The unit a client is counted by: an IPv4 address, or the /64 network of an IPv6 address
    (one subscriber gets a whole /64); an IPv4-mapped IPv6 address counts as its IPv4 address.
    Something that is not an address (a test client's name) counts as itself; empty stays empty."""
    text = (address or "").strip()
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return text.lower()[:100]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)


def is_exempt_client(address: str, exempt: str) -> bool:
    """Whether ``address`` is in ``exempt``, a comma-separated list of addresses or networks
    (``AG_OTP_EXEMPT_CLIENTS``: empty in production; ``make run`` and the tests list loopback for
    local load tests). A malformed entry exempts nothing."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for entry in (exempt or "").split(","):
        try:
            if entry.strip() and ip in ipaddress.ip_network(entry.strip(), strict=False):
                return True
        except ValueError:
            continue
    return False


def forwarded_client(peer: str, forwarded_for: str, trusted_proxy_hops: int) -> str:
    """The client's address: the peer of the connection, or — behind ``trusted_proxy_hops`` reverse
    proxies that append to ``X-Forwarded-For`` — the address the outermost trusted proxy saw.

    With no trusted proxies the header is ignored (a client could write anything into it).
    """
    if trusted_proxy_hops <= 0:
        return peer
    hops = [part.strip() for part in (forwarded_for or "").split(",") if part.strip()]
    return hops[-trusted_proxy_hops] if len(hops) >= trusted_proxy_hops else peer


def next_client_code_allowed_at(sent: Iterable[datetime], now: datetime) -> datetime | None:
    """When the client may get another code, or None if it may get one now.

    Two rolling windows over the codes the client got (any phones): at most
    :data:`MAX_CODES_PER_CLIENT` per hour, and a flood of :data:`CLIENT_BAN_CODES` within
    :data:`CLIENT_BAN_WINDOW` bans the client until that window has passed the oldest of them.
    """
    moment = as_utc(now)
    day = sorted(as_utc(t) for t in sent if as_utc(t) > moment - CLIENT_BAN_WINDOW)
    if len(day) >= CLIENT_BAN_CODES:
        return day[-CLIENT_BAN_CODES] + CLIENT_BAN_WINDOW
    hour = [t for t in day if t > moment - CODE_WINDOW]
    if len(hour) >= MAX_CODES_PER_CLIENT:
        return hour[-MAX_CODES_PER_CLIENT] + CODE_WINDOW
    return None


def check_client_code_request(sent: Iterable[datetime], now: datetime) -> None:
    """Refuse a code to a client over its limit with ``TooManyRequests`` naming when it may ask again."""
    allowed_at = next_client_code_allowed_at(sent, now)
    if allowed_at is not None:
        raise TooManyRequests("otp.client_rate_limited", at=format_moscow_time(allowed_at, now))


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
