"""Points rules of SPEC §3: amounts, caps, the status threshold, promo codes and the monthly badge.

Poll completion points (20 city-wide / 5 territorial by default) are a setting of each poll and live
with the polls, not here.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from ag_app.domain.clock import as_utc
from ag_app.i18n import statuses

# Lifetime credited points that grant the permanent status «Активный гражданин».
ACTIVE_CITIZEN_THRESHOLD = 1000
ACTIVE_CITIZEN_STATUS = "Активный гражданин"

# Credits of SPEC §3.2.
PROFILE_BLOCK_POINTS = 10
PROFILE_FULL_POINTS = 20
DAILY_VISIT_POINTS = 3
INVITATION_POINTS = 5
SHARE_POINTS = 5

# A friend must register within this time after the invitation.
INVITATION_WINDOW = timedelta(days=30)
# Paid invitations per inviter per Moscow calendar month.
INVITATIONS_PAID_PER_MONTH = 10
# Invitations (SMS to friends) one user may send per Moscow day: an anti-spam limit of the SMS gateway.
INVITATIONS_SENT_PER_DAY = 20

# Social networks a poll can be shared in, with their Russian names.
SHARE_NETWORKS: dict[str, str] = {
    "vk": "ВКонтакте",
    "ok": "Одноклассники",
    "telegram": "Telegram",
    "max": "MAX",
}
SHARES_PAID_PER_NETWORK_PER_MONTH = 1
SHARES_PAID_PER_MONTH = 4

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_MONTH_NAMES = (
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)


def status_name(lifetime: int) -> str:
    """The status shown for ``lifetime`` credited points: «Активный гражданин» from 1000 on, else "".

    Lifetime points only ever grow (debits never reduce them), so the status is permanent.
    """
    return ACTIVE_CITIZEN_STATUS if lifetime >= ACTIVE_CITIZEN_THRESHOLD else ""


def points_to_status(lifetime: int) -> int:
    """How many more points must be credited for the status «Активный гражданин» (0 once reached)."""
    return max(ACTIVE_CITIZEN_THRESHOLD - lifetime, 0)


def invitation_deadline(invited_at: datetime) -> datetime:
    """The instant an invitation stops paying: 30 days (720 hours) after it was sent."""
    return as_utc(invited_at) + INVITATION_WINDOW


def invitation_payable(invited_at: datetime, registered_at: datetime, paid_this_month: int) -> bool:
    """Whether a friend's registration pays the inviter 5 points.

    It pays when the friend registered no earlier than the invitation and strictly before
    ``invited_at + 30 days``, and the inviter has been paid for fewer than 10 invitations in the Moscow
    calendar month of the registration (``paid_this_month`` counts those).
    """
    registered = as_utc(registered_at)
    return (
        as_utc(invited_at) <= registered < invitation_deadline(invited_at)
        and paid_this_month < INVITATIONS_PAID_PER_MONTH
    )


def invitation_state(invited_at: datetime, *, accepted: bool, paid: bool, now: datetime) -> str:
    """The state of an invitation in «Мои баллы».

    «paid» — the friend registered and 5 points were credited; «unpaid» — registered, but the monthly cap
    was reached; «expired» — 30 days passed without a registration; «pending» — still waiting.
    """
    if accepted:
        return "paid" if paid else "unpaid"
    return "expired" if as_utc(now) >= invitation_deadline(invited_at) else "pending"


INVITATION_STATE_NAMES: dict[str, str] = statuses("invitation", heading=True)


def share_payable(network: str, month_shares_by_network: Mapping[str, int]) -> bool:
    """Whether a share in ``network`` pays 5 points.

    ``month_shares_by_network`` counts the user's already PAID shares of the current Moscow month per
    network. A share pays when the network is a known one, no share in that network was paid this month
    (one per network per month) and fewer than 4 shares were paid this month in total.
    """
    if network not in SHARE_NETWORKS:
        return False
    return (
        month_shares_by_network.get(network, 0) < SHARES_PAID_PER_NETWORK_PER_MONTH
        and sum(month_shares_by_network.values()) < SHARES_PAID_PER_MONTH
    )


@dataclass(frozen=True)
class PromoFacts:
    """What is known about a promo code when someone redeems it."""

    # None: no use limit.
    max_uses: int | None
    uses: int
    # None: never expires.
    expires_at: datetime | None


def normalize_promo_code(code: str) -> str:
    """Promo codes are case-insensitive: the canonical form is trimmed and upper-case."""
    return code.strip().upper()


def promo_problem(promo: PromoFacts | None, *, now: datetime, used_by_user: bool) -> str | None:
    """Why a promo code cannot be redeemed (an i18n key), or None when it can.

    In this order: an unknown code («promo.unknown»); a code this user already redeemed — once per user
    per code («promo.used»); a code past its expiry instant («promo.expired»); a code whose total use
    limit is reached («promo.exhausted»).
    """
    if promo is None:
        return "promo.unknown"
    if used_by_user:
        return "promo.used"
    if promo.expires_at is not None and as_utc(now) >= as_utc(promo.expires_at):
        return "promo.expired"
    if promo.max_uses is not None and promo.uses >= promo.max_uses:
        return "promo.exhausted"
    return None


def badge_winners(
    city_polls_closed_in_month: set[int], completed_by_user: Mapping[int, set[int]]
) -> set[int]:
    """Users who earn the monthly «Знак активности».

    A user earns it when they completed EVERY city-wide poll that closed during the month; when no
    city-wide poll closed that month, nobody earns it. ``completed_by_user`` maps a user id to the ids
    of the polls that user completed (other polls in it are ignored).
    """
    if not city_polls_closed_in_month:
        return set()
    return {
        user_id for user_id, completed in completed_by_user.items() if city_polls_closed_in_month <= completed
    }


def is_month(text: str) -> bool:
    """Whether ``text`` is a month written ``YYYY-MM`` (month 01–12)."""
    return _MONTH.match(text) is not None


def month_title(month: str) -> str:
    """A month ``YYYY-MM`` as Russian words, e.g. «ноябрь 2026»."""
    year, mon = month.split("-")
    return f"{_MONTH_NAMES[int(mon) - 1]} {year}"
