"""«Магазин поощрений» for residents: the catalogue with ordering, «История заказов» and the order
(certificate) page.

Every handler argument may come from any websocket client: ids are accepted as short digit strings
only, choices only from the lists the page was given, and the item to order is the one the
resident opened the dialog for (kept server-side). The services decide everything else.
"""

import re
from datetime import timedelta

import reflex as rx

from ag_app import i18n
from ag_app.domain.errors import DomainError, NotFound
from ag_app.domain.numbers import id_or_none
from ag_app.domain.shop import GIFT_NAME_LIMIT, OPEN_TO_ALL_MARK, PARKING, PICKUP, THEATRE
from ag_app.i18n import message
from ag_app.services import qr, shop
from ag_app.services.shop import ItemView, OrderView
from ag_app.state import fmt
from ag_app.state.base import FeedbackMixin, UserPageMixin, actor_of, call, holds_user_data, now, to_login

SORT_OPTIONS = list(shop.SORTS.items())
# A photo path under assets/ (e.g. «shop/mug.svg»); anything else is not shown.
_PHOTO_RE = re.compile(r"^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*\.(svg|png|jpg|jpeg|webp)$")


def _digits(value: object, limit: int) -> str | None:
    """``value`` when it is a non-empty string of at most ``limit`` ASCII digits, else None."""
    if not isinstance(value, str) or not value or len(value) > limit:
        return None
    return value if value.isascii() and value.isdigit() else None


def _last_day(moment) -> str:
    """The Moscow day before the instant ``moment`` (a «до 00:00» deadline shown as «включительно»)."""
    return fmt.day(moment - timedelta(seconds=1)) if moment else ""


def _until(order: OrderView) -> tuple[str, str]:
    """(label, value) of the order's deadline: reservation end or certificate validity."""
    if order.fulfilment == PICKUP and order.reserved_until:
        return i18n.label("ui.shop.zabronirovan_do"), i18n.message(
            "ui.shop.vremia_moskovskoe", reserved_until=fmt.when(order.reserved_until)
        )
    if order.fulfilment == THEATRE and order.valid_until:
        return i18n.label("ui.shop.obmeniat_na_bilet_do"), i18n.label(
            "ui.shop.vkliuchitel_no", valid_until=_last_day(order.valid_until)
        )
    if order.valid_until:
        return i18n.label("ui.shop.deistvuet_do"), i18n.message(
            "ui.shop.vremia_moskovskoe_2", valid_until=fmt.when(order.valid_until)
        )
    return "", ""


def _next_steps(order: OrderView) -> str:
    """What happens after the order was placed (shown in the order dialog)."""
    if order.fulfilment == PICKUP:
        return i18n.message(
            "ui.shop.zakaz_zabronirovan_do_vremia_moskovskoe",
            reserved_until=fmt.when(order.reserved_until),
            pickup_point=order.pickup_point,
            pickup_address=order.pickup_address,
        )
    if order.fulfilment == PARKING:
        return i18n.message(
            "ui.shop.parkovochnykh_ballov_zachisleny_na_schet", parking_points=fmt.num(order.parking_points)
        )
    label, value = _until(order)
    gift = i18n.message("ui.shop.sertifikat_v_podarok", gift_to=order.gift_to) if order.gift_to else ""
    return i18n.label(
        "ui.shop.kod_sertifikata",
        certificate_code=order.certificate_code,
        label=label,
        value=value,
        gift=gift,
    )


def _item_row(item: ItemView) -> dict[str, str]:
    photo = item.photo if _PHOTO_RE.match(item.photo or "") else ""
    return {
        "id": str(item.id),
        "title": item.title,
        "category": item.category,
        "fulfilment": item.fulfilment,
        "description": item.description,
        "price": fmt.points_word(item.price),
        "stock": i18n.label("ui.common.net_v_nalichii")
        if item.stock <= 0
        else i18n.message("ui.common.v_nalichii_sht", stock=fmt.num(item.stock)),
        "in_stock": "1" if item.stock > 0 else "",
        "photo": f"/{photo}" if photo else "",
        "open_to_all": OPEN_TO_ALL_MARK if item.open_to_all else "",
        "pair": i18n.label("ui.shop.na_dvoikh") if item.is_pair else "",
        "validity": item.validity_note,
        "performance": i18n.label("ui.shop.spektakl", performance_on=fmt.day(item.performance_on))
        if item.performance_on
        else "",
        "can_order": "1" if item.can_order else "",
        "problem": item.problem,
    }


@holds_user_data
class ShopState(FeedbackMixin, rx.State):
    """``/shop``: the catalogue as the visitor sees it (guests too), and the order dialog."""

    loaded: bool = False
    logged_in: bool = False
    available: str = "0"
    blocked: str = "0"
    # Category filter: "" (all) or a category slug; tabs: slug, name.
    category: str = ""
    categories: list[dict[str, str]] = []
    sort: str = "popular"
    orderable_only: bool = False
    # Item cards (see ``_item_row``).
    items: list[dict[str, str]] = []
    # Active pickup points: id, name («name — address»).
    pickup_points: list[dict[str, str]] = []
    # The order dialog: which item, its kind, and the result once ordered.
    dialog_open: bool = False
    order_item_id: str = ""
    order_title: str = ""
    order_price: str = ""
    order_fulfilment: str = ""
    order_error: str = ""
    order_number: str = ""
    order_next: str = ""
    order_has_page: bool = False

    async def _fill(self) -> None:
        actor = await actor_of(self)
        view = await call(
            shop.catalogue,
            actor_id=actor,
            now=now(),
            category=self.category,
            sort=self.sort,
            orderable_only=self.orderable_only and actor is not None,
        )
        self.logged_in = actor is not None
        self.available, self.blocked = fmt.num(view.available), fmt.num(view.blocked)
        self.categories = [{"slug": "", "name": i18n.label("ui.common.vse")}] + [
            {"slug": c.slug, "name": c.name} for c in view.categories
        ]
        self.items = [_item_row(i) for i in view.items]
        self.pickup_points = [
            {"id": str(p.id), "name": f"{p.name} — {p.address}"} for p in view.pickup_points
        ]
        self.loaded = True

    async def _refill(self) -> None:
        try:
            await self._fill()
        except DomainError as error:
            self.error = str(error)

    @rx.event
    async def load(self):
        """Open the catalogue (guests see it too, with «Войдите, чтобы заказать поощрение.»)."""
        self._clear_feedback()
        self._close_dialog()
        await self._refill()

    @rx.event
    async def set_category(self, slug: str):
        """Show one category ("" = all); only the categories on the page are accepted."""
        self._clear_feedback()
        if not isinstance(slug, str) or slug not in {c["slug"] for c in self.categories}:
            self.error = message("shop.category_unknown")
            return
        self.category = slug
        await self._refill()

    @rx.event
    async def set_sort(self, value: str):
        """Change the order of the cards."""
        self._clear_feedback()
        if not isinstance(value, str) or value not in shop.SORTS:
            self.error = message("shop.sort_invalid")
            return
        self.sort = value
        await self._refill()

    @rx.event
    async def set_orderable(self, checked: bool):
        """«Только доступные мне»: keep the items the resident can order right now."""
        self._clear_feedback()
        if not isinstance(checked, bool):
            return
        self.orderable_only = checked
        await self._refill()

    def _close_dialog(self) -> None:
        self.dialog_open = False
        self.order_item_id = self.order_title = self.order_price = self.order_fulfilment = ""
        self.order_error = self.order_number = self.order_next = ""
        self.order_has_page = False

    @rx.event
    async def open_order(self, item_id: str):
        """«Заказать»: open the order dialog for an item the resident can order."""
        self._clear_feedback()
        self._close_dialog()
        wanted = id_or_none(item_id)
        row = next((i for i in self.items if i["id"] == str(wanted)), None) if wanted else None
        if row is None:
            self.error = message("shop.item_not_found")
            return
        if await actor_of(self) is None:
            self.error = message("shop.login_required")
            return
        if not row["can_order"]:
            self.error = row["problem"]
            return
        self.order_item_id, self.order_title = row["id"], row["title"]
        self.order_price, self.order_fulfilment = row["price"], row["fulfilment"]
        self.dialog_open = True

    @rx.event
    def dialog_changed(self, is_open: bool):
        """The dialog was dismissed (Escape, outside click, «Закрыть»); it never opens this way."""
        if is_open is False:
            self._close_dialog()

    @rx.event
    def close_order(self):
        """«Закрыть» in the dialog."""
        self._close_dialog()

    @rx.event
    async def place(self, form: dict):
        """Place the order of the item opened in the dialog (pickup point for souvenirs, optional gift
        recipient for certificates)."""
        self.order_error = ""
        actor = await actor_of(self)
        if actor is None:
            self.order_error = message("shop.login_required")
            return
        item_id = id_or_none(self.order_item_id)
        if item_id is None or self.order_number:
            self.order_error = message("shop.item_not_found")
            return
        form = form if isinstance(form, dict) else {}
        pickup_raw = form.get("pickup", "")
        pickup_id = None
        if self.order_fulfilment == PICKUP:
            if pickup_raw in ("", None):
                self.order_error = message("shop.pickup_required")
                return
            pickup_id = id_or_none(pickup_raw)
            if pickup_id is None:
                self.order_error = message("shop.pickup_unknown")
                return
        gift = form.get("gift_to", "")
        gift = gift[: GIFT_NAME_LIMIT * 2] if isinstance(gift, str) else ""
        if self.order_fulfilment in (PICKUP, PARKING):
            gift = ""
        try:
            order = await call(
                shop.place_order,
                actor_id=actor,
                item_id=item_id,
                pickup_point_id=pickup_id,
                gift_to=gift,
                now=now(),
            )
        except DomainError as error:
            self.order_error = str(error)
            return
        self.order_number = order.number
        self.order_next = _next_steps(order)
        self.order_has_page = bool(order.certificate_code)
        self.notice = i18n.message("ui.shop.zakaz_oformlen", number=order.number, item_title=order.item_title)
        await self._refill()


def _order_row(order: OrderView) -> dict[str, str]:
    label, value = _until(order)
    pickup = f"{order.pickup_point}, {order.pickup_address}" if order.pickup_point else ""
    return {
        "id": str(order.id),
        "number": order.number,
        "title": order.item_title,
        "category": order.category,
        "status": order.status_name,
        "points": fmt.points_word(order.points),
        "ordered": fmt.when(order.ordered_at),
        "until_label": label,
        "until": value if order.status in ("reserved", "certificate") else "",
        "closed": fmt.when(order.closed_at),
        "pickup": pickup,
        "gift_to": order.gift_to,
        "can_cancel": "1" if order.can_cancel else "",
        "certificate": "1" if order.certificate_code else "",
    }


@holds_user_data
class ShopOrdersState(UserPageMixin, rx.State):
    """``/shop/orders``: «История заказов»; guests are sent to the login page."""

    loaded: bool = False
    # Rows: see ``_order_row``.
    orders: list[dict[str, str]] = []

    async def _fill(self, actor: int) -> None:
        self.orders = [_order_row(o) for o in await call(shop.my_orders, actor_id=actor, now=now())]
        self.loaded = True

    @rx.event
    async def load(self):
        """Open the order history; guests go to the login page."""
        return await self._open()

    @rx.event
    async def cancel(self, order_id: str):
        """«Отменить заказ» (after the confirmation): a reserved souvenir, before its reservation ends."""
        self._clear_feedback()
        actor = await actor_of(self)
        wanted = id_or_none(order_id)
        if wanted is None:
            self.error = message("shop.order_not_found")
            return
        try:
            order = await call(shop.cancel_order, actor_id=actor, order_id=wanted, now=now())
            await self._fill(actor)
        except DomainError as error:
            self.error = str(error)
            return
        self.notice = i18n.message(
            "ui.shop.zakaz_otmenen_snova_dostupny_dlia",
            number=order.number,
            points=fmt.points_word(order.points),
        )


@holds_user_data
class ShopOrderState(FeedbackMixin, rx.State):
    """``/shop/orders/[number]``: one of the resident's orders; a certificate with its code and QR code."""

    loaded: bool = False
    found: bool = False
    number: str = ""
    title: str = ""
    category: str = ""
    status: str = ""
    points: str = ""
    ordered: str = ""
    until_label: str = ""
    until: str = ""
    pickup: str = ""
    code: str = ""
    gift_to: str = ""
    pair: bool = False
    performance: str = ""
    parking: str = ""
    # The certificate code's QR code as an SVG data URI ("" without a code).
    qr: str = ""

    @rx.event
    async def load(self):
        """Open the order in the URL; anybody else's (or a malformed number) is «Заказ не найден.»."""
        self._clear_feedback()
        self.reset()
        actor = await actor_of(self)
        if actor is None:
            return to_login(self)
        wanted = _digits(str(self.router.page.params.get("number", "")), 20)
        try:
            if wanted is None:
                raise NotFound("shop.order_not_found")
            order = await call(shop.my_order, actor_id=actor, number=wanted, now=now())
        except DomainError as error:
            self.error, self.loaded = str(error), True
            return
        label, value = _until(order)
        self.number, self.title, self.category = order.number, order.item_title, order.category
        self.status, self.points, self.ordered = (
            order.status_name,
            fmt.points_word(order.points),
            fmt.when(order.ordered_at),
        )
        self.until_label, self.until = label, value
        self.pickup = f"{order.pickup_point}, {order.pickup_address}" if order.pickup_point else ""
        self.code, self.gift_to, self.pair = order.certificate_code, order.gift_to, order.is_pair
        self.performance = fmt.day(order.performance_on) if order.performance_on else ""
        self.parking = fmt.num(order.parking_points) if order.parking_points else ""
        self.qr = qr.svg_data_uri(order.certificate_code)
        self.found = self.loaded = True
