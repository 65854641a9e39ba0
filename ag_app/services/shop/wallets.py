"""Where an order's price is paid from: the civic points balance or a promo campaign's prize points."""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import bindparam
from sqlmodel import Session, select

from ag_app.domain import numfmt
from ag_app.domain.errors import DomainError, NotFound
from ag_app.domain.shop import (
    PICKUP,
    OrderFacts,
    Problem,
)
from ag_app.models import (
    User,
)
from ag_app.services import ledger
from ag_app.services.shop.views import OrderView, _error, _raise

_AVAILABLE = select(User.points_available).where(User.id == bindparam("p_user"))


@dataclass(frozen=True)
class Charge:
    """What an order pays: ``points`` from the wallet, ``discount`` covered by a one-time discount."""

    points: int
    discount: int = 0


class Wallet(Protocol):
    """Where an order is paid from: civic points (SPEC §9) or a campaign's prize points (SPEC §10.9).

    The ordering engine is one; a wallet says which catalogue it buys from (``campaign_id``, None
    for the civic shop), what an item costs, how its balance enters the order rules, how the price
    is paid (one conditional UPDATE, so concurrent orders never overspend) and how long a
    certificate lasts.
    """

    # Stored in ``ShopOrder.wallet``.
    name: str
    campaign_id: int | None
    # Whether souvenirs (points blocked until pickup) can be paid from it.
    allows_pickup: bool

    def quote(self, price: int, promo_category: str) -> Charge:
        """What an item of ``price`` in a category with ``promo_category`` would cost now."""
        ...

    def adjust(self, facts: OrderFacts, charge: Charge) -> OrderFacts:
        """The shop's order facts with this wallet's balance, price and status rule."""
        ...

    def refusal(self, problem: Problem) -> DomainError:
        """The error a refusal of the order rules becomes."""
        ...

    def foreign_item(self) -> DomainError:
        """The error for an item outside this wallet's catalogue."""
        ...

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
        """Pay the order (``charge`` as quoted); returns what was paid or raises, nothing paid."""
        ...

    def valid_until(self, fulfilment: str, default: datetime | None) -> datetime | None:
        """How long the certificate of an order lasts (``default``: the shop's rule)."""
        ...

    def confirmation(self, order: OrderView) -> tuple[str, str]:
        """The subject and first line of the confirmation e-mail."""
        ...


@dataclass(frozen=True)
class CivicWallet:
    """Civic points (SPEC §9): souvenirs block them until pickup, everything else is paid at once."""

    name: str = "points"
    campaign_id: int | None = None
    allows_pickup: bool = True

    def quote(self, price: int, promo_category: str) -> Charge:
        return Charge(price)

    def adjust(self, facts: OrderFacts, charge: Charge) -> OrderFacts:
        return facts

    def refusal(self, problem: Problem) -> DomainError:
        return _error(problem)

    def foreign_item(self) -> DomainError:
        return NotFound("shop.item_not_found")

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
        if fulfilment == PICKUP:
            paid = ledger.block(session, user_id=user_id, amount=charge.points)
        else:
            paid = ledger.debit(
                session,
                user_id=user_id,
                amount=charge.points,
                reason="shop",
                ref=f"order:{order_id}",
                description=f"Заказ № {number}: {title}"[:300],
                now=now,
                from_blocked=False,
            )
        if not paid:
            available = session.connection().execute(_AVAILABLE, {"p_user": user_id}).scalar_one()
            _raise(Problem("shop.points_short", {"price": charge.points, "available": available}))
        return charge

    def valid_until(self, fulfilment: str, default: datetime | None) -> datetime | None:
        return default

    def confirmation(self, order: OrderView) -> tuple[str, str]:
        return (
            f"Заказ № {order.number} в магазине поощрений",
            f"Заказ № {order.number}: «{order.item_title}», {numfmt.num(order.points)} баллов.",
        )


CIVIC = CivicWallet()
