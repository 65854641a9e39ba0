"""Prize-point exchange rules (SPEC §10.6, §10.8, §10.9): who may exchange now and what an item costs.

Prize points (1 point = 1 ₽) are a campaign's own balance, spent in its partner catalogue through
the shop's ordering engine. A category draw's win is a one-time discount: it covers the price of
the first order in its category, and whatever it does not cover is lost with it (whole or 0).
"""

from dataclasses import dataclass
from datetime import datetime

from ag_app.domain.shop import CERTIFICATE, PARKING, THEATRE, Problem

# Partner rewards are paid at once: promo codes and certificates, theatre certificates, parking
# points. A souvenir reserved for pickup would block prize points, which have no blocked balance.
PARTNER_FULFILMENTS = (CERTIFICATE, THEATRE, PARKING)


@dataclass(frozen=True)
class ExchangeFacts:
    """What decides whether a citizen may exchange prize points now."""

    # A PromoCitizen row with a main, extra or category prize.
    winner: bool
    activated: bool
    annulled: bool
    # Identification level 3 (identity document verified against the registry).
    identity_verified: bool
    now: datetime
    starts_at: datetime
    ends_at: datetime


def exchange_problem(facts: ExchangeFacts) -> Problem | None:
    """The first reason an exchange is refused, or None.

    Only winners; only inside [exchange start, exchange end); an annulled code never; the code must
    be activated; and only with a full (level 3) account.
    """
    if not facts.winner:
        return Problem("promo.exchange_not_participant")
    if facts.now < facts.starts_at:
        return Problem("promo.exchange_not_started", {"at": facts.starts_at})
    if facts.now >= facts.ends_at:
        return Problem("promo.exchange_over", {"at": facts.ends_at})
    if facts.annulled:
        return Problem("promo.exchange_annulled")
    if not facts.activated:
        return Problem("promo.exchange_not_activated")
    if not facts.identity_verified:
        return Problem("promo.exchange_level")
    return None


def discount_applies(*, discount_left: int, citizen_category: str, item_category: str) -> bool:
    """Whether the citizen's unused discount is for the category of this item."""
    return discount_left > 0 and citizen_category != "" and item_category == citizen_category


def discounted_price(price: int, discount_left: int) -> tuple[int, int]:
    """(what is paid in prize points, the part of the price the discount covers): max(0, price − discount)."""
    covered = min(price, discount_left)
    return price - covered, covered


def partner_valid_until(fulfilment: str, default: datetime | None, use_ends_at: datetime) -> datetime | None:
    """A partner certificate or promo code is valid until the campaign's use deadline; a theatre
    certificate until its box-office deadline too, whichever comes first."""
    if fulfilment == PARKING:
        return None
    if fulfilment == THEATRE and default is not None:
        return min(default, use_ends_at)
    return use_ends_at
