"""«Обменять баллы» (``/promo/exchange``): the campaign's partner catalogue in prize points, the
exchange through the shop's ordering engine and «Мои обмены». The identity comes from the server-side
session and the campaign from the backend var the page was loaded with; the services re-check every rule.
"""

import reflex as rx

from ag_app.domain.errors import DomainError
from ag_app.domain.numbers import id_or_none
from ag_app.domain.shop import PARKING
from ag_app.i18n import label, message
from ag_app.services.promo import exchange as promo_exchange
from ag_app.services.promo.page import ExchangePage, exchange_page
from ag_app.services.promo.texts import last_minute
from ag_app.services.shop import ItemView, OrderView
from ag_app.state import fmt
from ag_app.state.base import FeedbackMixin, actor_of, call, holds_user_data, now
from ag_app.state.promo import prize_points, wanted_campaign


def exchange_item_row(item: ItemView) -> dict[str, str]:
    """One partner reward as a card: full price, the part the category discount covers, what is paid."""
    return {
        "id": str(item.id),
        "title": item.title,
        "category": item.category,
        "description": item.description,
        "validity": item.validity_note,
        "price": prize_points(item.price),
        "discount": prize_points(item.discount) if item.discount else "",
        "pay": prize_points(item.price - item.discount),
        "stock": label("ui.common.net_v_nalichii")
        if item.stock <= 0
        else message("ui.common.v_nalichii_sht", stock=fmt.num(item.stock)),
        "can_order": "1" if item.can_order else "",
        "problem": item.problem,
        "gift": "1" if item.discount else "",
    }


def _exchange_until(order: OrderView) -> str:
    if order.fulfilment == PARKING:
        return ""
    return (
        message("ui.promo_exchange.msk", valid_until=fmt.when(order.valid_until)) if order.valid_until else ""
    )


def exchange_order_row(order: OrderView) -> dict[str, str]:
    """One row of «Мои обмены»: the code and its validity are the reward itself."""
    return {
        "id": str(order.id),
        "number": order.number,
        "title": order.item_title,
        "category": order.category,
        "points": prize_points(order.points),
        "discount": prize_points(order.discount) if order.discount else "",
        "status": order.status_name,
        "ordered": fmt.when(order.ordered_at),
        "code": order.certificate_code,
        "until": _exchange_until(order),
        "parking": fmt.num(order.parking_points) if order.fulfilment == PARKING else "",
    }


def exchange_notice(order: OrderView) -> str:
    """What the citizen is told after an exchange: the order, what was paid and the reward."""
    text = message(
        "promo.page_exchanged", number=order.number, title=order.item_title, points=prize_points(order.points)
    )
    if order.fulfilment == PARKING:
        return text + " " + message("promo.page_exchange_parking", points=fmt.num(order.parking_points))
    if order.certificate_code:
        text += " " + message("promo.page_exchange_code", code=order.certificate_code)
        if order.valid_until:
            text += " " + message("promo.page_exchange_until", until=fmt.when(order.valid_until))
    return text


@holds_user_data
class PromoExchangeState(FeedbackMixin, rx.State):
    """``/promo/exchange``: the campaign's partner catalogue in prize points, the exchange and «Мои обмены».

    ``?gift=1`` («Выбрать подарок») shows the rewards the category discount applies to first.
    """

    loaded: bool = False
    has_campaign: bool = False
    logged_in: bool = False
    title: str = ""
    # «с 10:00 07.09.2026 до 23:59 14.12.2026».
    period: str = ""
    use_until: str = ""
    balance: str = ""
    discount: str = ""
    # The partner categories the discount applies to («Спорт»).
    discount_categories: str = ""
    # The discount waits for a second «Активировать код» on /promo.
    discount_needs_activation: bool = False
    # Why the viewer cannot exchange now ("" when they can).
    problem: str = ""
    # Only the rewards the discount applies to («Выбрать подарок»).
    gifts_only: bool = False
    # See :func:`exchange_item_row`.
    items: list[dict[str, str]] = []
    # See :func:`exchange_order_row`.
    orders: list[dict[str, str]] = []
    # The reward whose exchange waits for «Подтвердить обмен» (its id also kept server-side).
    chosen: str = ""
    chosen_title: str = ""
    chosen_pay: str = ""
    _chosen_id: int = 0
    _cid: int = 0

    def _fill(self, page: ExchangePage, logged_in: bool) -> None:
        view = page.catalogue
        self.logged_in = logged_in
        self.has_campaign = view is not None
        self.loaded = True
        if view is None:
            self._cid, self.items, self.orders = 0, [], []
            return
        self._cid, self.title = view.campaign_id, view.title
        self.period = label(
            "ui.promo_exchange.s_do",
            exchange_starts_at=fmt.when(view.exchange_starts_at),
            exchange_ends_at=last_minute(view.exchange_ends_at),
        )
        self.use_until = last_minute(view.use_ends_at)
        self.balance = prize_points(view.prize_points)
        self.discount = prize_points(view.discount_left) if view.discount_left else ""
        self.discount_categories = ", ".join(view.discount_categories)
        self.discount_needs_activation = view.discount_needs_activation
        self.problem = view.problem if logged_in else ""
        items = [exchange_item_row(i) for i in view.items]
        if self.gifts_only:
            items = [i for i in items if i["gift"] or i["category"] in view.discount_categories]
        self.items = items
        self.orders = [exchange_order_row(o) for o in page.orders]

    def _forget_choice(self) -> None:
        self.chosen = self.chosen_title = self.chosen_pay = ""
        self._chosen_id = 0

    async def _read(self) -> bool:
        actor = await actor_of(self)
        try:
            page = await call(exchange_page, actor_id=actor, now=now(), campaign_id=self._cid or None)
        except DomainError as error:
            self.error, self.loaded = str(error), True
            return False
        self._fill(page, actor is not None)
        return True

    @rx.event
    async def load(self):
        """Open the catalogue of the current campaign (guests see it with «Войдите…»)."""
        self._clear_feedback()
        self._forget_choice()
        wanted = wanted_campaign(self)
        if wanted == 0:
            self.error, self.loaded = message("promo.campaign_not_found"), True
            return
        self._cid = wanted or 0
        self.gifts_only = self.router.url.query_parameters.get("gift", "") == "1"
        await self._read()

    @rx.event
    async def show_gifts(self, only: bool):
        """Switch between all rewards and those the category discount applies to."""
        self._clear_feedback()
        self._forget_choice()
        self.gifts_only = only
        await self._read()

    @rx.event
    async def choose(self, item_id: str):
        """«Обменять»: ask to confirm the exchange of a reward shown on the page."""
        self._clear_feedback()
        self._forget_choice()
        wanted = id_or_none(item_id)
        row = next((i for i in self.items if i["id"] == str(wanted)), None) if wanted else None
        if row is None:
            self.error = message("promo.exchange_item_foreign")
            return
        if not row["can_order"]:
            self.error = row["problem"]
            return
        self.chosen, self.chosen_title, self.chosen_pay = row["id"], row["title"], row["pay"]
        self._chosen_id = wanted

    @rx.event
    def cancel_choice(self):
        """«Отмена» of the confirmation."""
        self._forget_choice()

    @rx.event
    async def confirm(self):
        """«Подтвердить обмен» of the reward chosen on this page (the service re-checks everything)."""
        self._clear_feedback()
        item_id, campaign_id = self._chosen_id, self._cid
        self._forget_choice()
        actor = await actor_of(self)
        if actor is None:
            self.error = message("auth.required")
            return
        if not item_id or not campaign_id:
            self.error = message("promo.exchange_item_foreign")
            return
        try:
            order = await call(
                promo_exchange.exchange, actor_id=actor, campaign_id=campaign_id, item_id=item_id, now=now()
            )
        except DomainError as error:
            self.error = str(error)
            await self._read()
            return
        await self._read()
        self.notice = exchange_notice(order)
