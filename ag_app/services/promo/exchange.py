"""«Обменять баллы» (SPEC §10.6, §10.8, §10.9): a campaign's partner catalogue paid in prize points.

Orders go through the shop's ordering engine (:func:`ag_app.services.shop.place_order`) with a
:class:`PromoWallet`: the price is paid from ``PromoCitizen.prize_points`` — a balance of its own,
never civic points — by one conditional UPDATE (``… WHERE prize_points >= :pay AND discount_left >=
:disc AND activated …``), so concurrent orders of one citizen can neither spend twice nor go below
zero (CHECK constraints back it). A category draw's discount covers the first order in its category
and is then used up whole.
"""

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import bindparam, update
from sqlmodel import Session, col, select

from ag_app.db import reads
from ag_app.domain import numfmt
from ag_app.domain.clock import MOSCOW, as_utc
from ag_app.domain.errors import Conflict, DomainError, InvalidInput, NotAllowed, NotAuthenticated, NotFound
from ag_app.domain.promo import CATEGORIES
from ag_app.domain.promo_exchange import (
    PARTNER_FULFILMENTS,
    ExchangeFacts,
    discount_applies,
    discounted_price,
    exchange_problem,
    partner_valid_until,
)
from ag_app.domain.shop import OrderFacts, Problem
from ag_app.models import PromoCampaign, PromoCitizen, ShopCategory, ShopItem, User
from ag_app.services import shop
from ag_app.services.access import Capability, active_user, require
from ag_app.services.shop import CIVIC, CategoryView, Charge, ItemView, OrderView

log = logging.getLogger(__name__)

WALLET = "promo"
_PROBLEM_ERRORS: dict[str, type[DomainError]] = {
    "promo.exchange_not_participant": NotAllowed,
    "promo.exchange_not_activated": NotAllowed,
    "promo.exchange_level": NotAllowed,
}
# The same row is re-read at most this many times when a concurrent order changed it meanwhile.
_PAY_ATTEMPTS = 3


def _moscow(moment: datetime) -> str:
    return as_utc(moment).astimezone(MOSCOW).strftime("%d.%m.%Y %H:%M")


def _error(problem: Problem) -> DomainError:
    params = {k: _moscow(v) if isinstance(v, datetime) else v for k, v in problem.params.items()}
    return _PROBLEM_ERRORS.get(problem.key, Conflict)(problem.key, **params)


# ---------------------------------------------------------------------------------------------- wallet

_CITIZEN, _PAY, _DISC = bindparam("p_citizen"), bindparam("p_pay"), bindparam("p_disc")
_SPEND_FILTER = (
    PromoCitizen.id == _CITIZEN,
    PromoCitizen.prize_points >= _PAY,
    PromoCitizen.discount_left >= _DISC,
    col(PromoCitizen.activated_at).is_not(None),
    col(PromoCitizen.annulled_at).is_(None),
)
_SPEND_VALUES = {
    "prize_points": PromoCitizen.prize_points - _PAY,
    "discount_left": PromoCitizen.discount_left - _DISC,
}
# Built once: without the discount, and with it (its second activation must have happened).
_SPEND = update(PromoCitizen).where(*_SPEND_FILTER).values(_SPEND_VALUES)
_SPEND_DISCOUNT = (
    update(PromoCitizen)
    .where(*_SPEND_FILTER, col(PromoCitizen.category_activated_at).is_not(None))
    .values(_SPEND_VALUES)
)
_BALANCE = select(
    PromoCitizen.prize_points,
    PromoCitizen.discount_left,
    PromoCitizen.activated_at,
    PromoCitizen.annulled_at,
    PromoCitizen.category_activated_at,
).where(PromoCitizen.id == _CITIZEN)


@dataclass(frozen=True)
class PromoWallet:
    """A citizen's prize points in one campaign, as read at the start of the order (see :class:`shop.Wallet`)."""

    citizen_id: int
    campaign_id: int | None
    balance: int
    discount_left: int
    # The category the discount is for and whether it was activated («Активировать код» again).
    category: str
    discount_active: bool
    use_ends_at: datetime
    name: str = WALLET
    allows_pickup: bool = False

    def quote(self, price: int, promo_category: str) -> Charge:
        if self.discount_active and discount_applies(
            discount_left=self.discount_left, citizen_category=self.category, item_category=promo_category
        ):
            pay, covered = discounted_price(price, self.discount_left)
            return Charge(pay, covered)
        return Charge(price)

    def adjust(self, facts: OrderFacts, charge: Charge) -> OrderFacts:
        # Winning replaces the status «Активный гражданин»; the price is what is left to pay.
        return replace(facts, has_status=True, available_points=self.balance, price=charge.points)

    def refusal(self, problem: Problem) -> DomainError:
        if problem.key == "shop.points_short":
            return CIVIC.refusal(Problem("promo.exchange_points_short", problem.params))
        return CIVIC.refusal(problem)

    def foreign_item(self) -> DomainError:
        return NotFound("promo.exchange_item_foreign")

    def pay(
        self,
        session: Session,
        *,
        user_id: int,
        order_id: int,
        number: str,
        title: str,
        price: int,
        promo_category: str,
        charge: Charge,
        fulfilment: str,
        now: datetime,
    ) -> Charge:
        """One conditional UPDATE of the citizen's row; when it moves nothing the row is read again
        (a concurrent order may have used the discount or the points) and the price re-quoted."""
        conn = session.connection()
        wallet = self
        for _ in range(_PAY_ATTEMPTS):
            statement = _SPEND_DISCOUNT if charge.discount else _SPEND
            # The discount goes whole: what it does not cover is lost with it.
            whole = wallet.discount_left if charge.discount else 0
            params = {"p_citizen": self.citizen_id, "p_pay": charge.points, "p_disc": whole}
            if conn.execute(statement, params).rowcount == 1:
                return charge
            row = conn.execute(_BALANCE, {"p_citizen": self.citizen_id}).one()
            if row.annulled_at is not None:
                raise _error(Problem("promo.exchange_annulled"))
            if row.activated_at is None:
                raise _error(Problem("promo.exchange_not_activated"))
            fresh = replace(
                wallet,
                balance=row.prize_points,
                discount_left=row.discount_left,
                discount_active=row.category_activated_at is not None,
            )
            again = fresh.quote(price, promo_category)
            if again == charge and fresh.discount_left == wallet.discount_left:
                break
            wallet, charge = fresh, again
            if charge.points > wallet.balance:
                break
        available = conn.execute(_BALANCE, {"p_citizen": self.citizen_id}).one().prize_points
        raise self.refusal(Problem("shop.points_short", {"price": charge.points, "available": available}))

    def valid_until(self, fulfilment: str, default: datetime | None) -> datetime | None:
        return partner_valid_until(fulfilment, default, as_utc(self.use_ends_at))

    def confirmation(self, order: OrderView) -> tuple[str, str]:
        first = f"Заказ № {order.number}: «{order.item_title}», {numfmt.num(order.points)} призовых баллов"
        if order.discount:
            first += f" (скидка по категории: {order.discount})"
        return f"Заказ № {order.number} в каталоге партнёров акции", first + "."


def _wallet(campaign: PromoCampaign, citizen: PromoCitizen | None) -> PromoWallet:
    return PromoWallet(
        citizen_id=citizen.id if citizen else 0,
        campaign_id=campaign.id,
        balance=citizen.prize_points if citizen else 0,
        discount_left=citizen.discount_left if citizen else 0,
        category=citizen.category if citizen else "",
        discount_active=bool(citizen and citizen.category_activated_at),
        use_ends_at=campaign.use_ends_at,
    )


# ---------------------------------------------------------------------------------------------- citizen


def _campaign(session: Session, campaign_id: int) -> PromoCampaign:
    campaign = session.get(PromoCampaign, campaign_id)
    if campaign is None:
        raise NotFound("promo.exchange_campaign_unknown")
    return campaign


def _citizen(session: Session, campaign_id: int, user_id: int) -> PromoCitizen | None:
    return session.exec(
        select(PromoCitizen).where(PromoCitizen.campaign_id == campaign_id, PromoCitizen.user_id == user_id)
    ).first()


def _problem(
    user: User, campaign: PromoCampaign, citizen: PromoCitizen | None, now: datetime
) -> Problem | None:
    return exchange_problem(
        ExchangeFacts(
            winner=citizen is not None
            and (citizen.main_prize > 0 or citizen.extra_prize > 0 or citizen.category_prize > 0),
            activated=citizen is not None and citizen.activated_at is not None,
            annulled=citizen is not None and citizen.annulled_at is not None,
            identity_verified=user.identity_verified_at is not None,
            now=now,
            starts_at=as_utc(campaign.exchange_starts_at),
            ends_at=as_utc(campaign.exchange_ends_at),
        )
    )


@dataclass(frozen=True)
class PartnerCatalogueView:
    """The campaign's partner catalogue as the viewer sees it, prices in prize points."""

    campaign_id: int
    title: str
    categories: list[CategoryView]
    items: list[ItemView]
    prize_points: int
    discount_left: int
    # Names of the partner categories the discount applies to (empty without a discount).
    discount_categories: list[str]
    # The discount waits for a second «Активировать код».
    discount_needs_activation: bool
    exchange_starts_at: datetime
    exchange_ends_at: datetime
    use_ends_at: datetime
    # Why the viewer cannot exchange now (empty when they can).
    problem: str

    @property
    def can_exchange(self) -> bool:
        return not self.problem


@reads
def partner_catalogue(
    session: Session, *, actor_id: int | None, campaign_id: int, now: datetime
) -> PartnerCatalogueView:
    """The campaign's partner categories and items priced for the viewer, their prize-point balance and
    remaining discount; every item says why it cannot be exchanged now (guests see it too)."""
    campaign = _campaign(session, campaign_id)
    user = active_user(session, actor_id) if actor_id is not None else None
    citizen = _citizen(session, campaign.id, user.id) if user else None
    wallet = _wallet(campaign, citizen)
    view = shop.catalogue(session, actor_id=actor_id, now=now, wallet=wallet)
    if user is None:
        problem = str(NotAuthenticated("auth.required"))
    else:
        refused = _problem(user, campaign, citizen, now)
        problem = "" if refused is None else str(_error(refused))
    items = view.items
    if problem:
        items = [replace(i, can_order=False, problem=problem) for i in items]
    discount_left = citizen.discount_left if citizen else 0
    return PartnerCatalogueView(
        campaign_id=campaign.id,
        title=campaign.title,
        categories=view.categories,
        items=items,
        prize_points=citizen.prize_points if citizen else 0,
        discount_left=discount_left,
        discount_categories=[
            c.name
            for c in view.categories
            if discount_applies(
                discount_left=discount_left,
                citizen_category=citizen.category if citizen else "",
                item_category=c.promo_category,
            )
        ],
        discount_needs_activation=bool(discount_left and citizen and citizen.category_activated_at is None),
        exchange_starts_at=as_utc(campaign.exchange_starts_at),
        exchange_ends_at=as_utc(campaign.exchange_ends_at),
        use_ends_at=as_utc(campaign.use_ends_at),
        problem=problem,
    )


def exchange(
    session: Session,
    *,
    actor_id: int | None,
    campaign_id: int,
    item_id: int,
    now: datetime,
    pickup_point_id: int | None = None,
) -> OrderView:
    """«Обменять баллы»: order one partner reward paid in prize points (after the discount, if any).

    Refused, nothing changed: a guest or deactivated profile, no prize in this campaign, outside the
    exchange period, an annulled or not activated code, a level 1–2 account, an item outside this
    campaign's partner catalogue, a discount not activated again, too few prize points — and every
    rule of the shop (stock, profile).
    """
    user = active_user(session, actor_id)
    campaign = _campaign(session, campaign_id)
    citizen = _citizen(session, campaign.id, user.id)
    refused = _problem(user, campaign, citizen, now)
    if refused is not None:
        raise _error(refused)
    item_category = session.exec(
        select(ShopCategory.promo_category)
        .join(ShopItem, col(ShopItem.category_id) == ShopCategory.id)
        .where(ShopItem.id == item_id)
    ).first()
    if (
        item_category is not None
        and citizen.category_activated_at is None
        and discount_applies(
            discount_left=citizen.discount_left,
            citizen_category=citizen.category,
            item_category=item_category,
        )
    ):
        raise NotAllowed("promo.exchange_category_not_activated")
    order = shop.place_order(
        session,
        actor_id=user.id,
        item_id=item_id,
        now=now,
        pickup_point_id=pickup_point_id,
        wallet=_wallet(campaign, citizen),
    )
    log.info("promo exchange: campaign %s order %s", campaign.id, order.id)
    return order


@reads
def my_exchanges(
    session: Session, *, actor_id: int | None, campaign_id: int, now: datetime
) -> list[OrderView]:
    """The actor's orders in the campaign's partner catalogue, newest first."""
    active_user(session, actor_id)
    campaign = _campaign(session, campaign_id)
    return shop.my_orders(session, actor_id=actor_id, now=now, campaign_id=campaign.id)


# ------------------------------------------------------------------------------------------------ staff


def save_partner_category(
    session: Session,
    *,
    actor_id: int | None,
    campaign_id: int,
    category_id: int | None,
    name: str,
    fulfilment: str,
    promo_category: str = "",
) -> CategoryView:
    """Create or change a category of the campaign's partner catalogue (staff).

    Its rewards are paid at once (certificates and promo codes, theatres, parking); ``promo_category``
    is the category draw whose discount applies here, or "" for none. Items are added with the
    shop's item admin (:func:`shop.save_item`).
    """
    require(session, actor_id, Capability.PROMO_MANAGE)
    campaign = _campaign(session, campaign_id)
    if fulfilment not in PARTNER_FULFILMENTS:
        raise InvalidInput("promo.partner_pickup")
    if promo_category and promo_category not in CATEGORIES:
        raise InvalidInput("promo.partner_category_invalid")
    if category_id is not None:
        existing = session.get(ShopCategory, category_id)
        if existing is None:
            raise NotFound("shop.category_unknown")
        if existing.campaign_id != campaign.id:
            raise NotFound("promo.partner_category_foreign")
    saved = shop.save_category(
        session, actor_id=actor_id, category_id=category_id, name=name, fulfilment=fulfilment
    )
    category = session.get(ShopCategory, saved.id)
    category.campaign_id, category.promo_category = campaign.id, promo_category
    session.add(category)
    session.flush()
    return replace(saved, campaign_id=campaign.id, promo_category=promo_category)


def partner_categories(session: Session, *, actor_id: int | None, campaign_id: int) -> list[CategoryView]:
    """The categories of the campaign's partner catalogue in their order (staff)."""
    require(session, actor_id, Capability.PROMO_MANAGE)
    campaign = _campaign(session, campaign_id)
    return [c for c in shop.categories(session) if c.campaign_id == campaign.id]
