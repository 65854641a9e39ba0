"""``/staff/shop`` «Магазин: каталог и заказы» and ``/staff/shop/desk`` «Выдача заказов».

The catalogue page is for staff and administrators, the desk also for moderators. ``load`` shows a
page only to them; every handler calls a service that checks the actor's role again, so a resident
calling a handler by name over the websocket changes nothing. Ids that decide what is changed live
in backend-only vars: the item or category or pickup point being edited (``_item_id`` …) is set by
a handler that checks it against the service's own list, and the desk acts only on the order its
last search found (``_order_id``), never on an id sent by the browser.
"""

from datetime import date

import plotly.graph_objects as go
import reflex as rx

from ag_app.charts.shop import points_weeks_figure, top_items_figure, week_label
from ag_app.domain import numfmt
from ag_app.domain.errors import DomainError, InvalidInput, NotAllowed, NotAuthenticated
from ag_app.domain.numbers import parse_count
from ag_app.domain.shop import FULFILMENTS, ISSUED, ORDER_STATUS_NAMES, PARKING, PICKUP, RESERVED, THEATRE
from ag_app.i18n import message
from ag_app.services import shop
from ag_app.services.shop import ItemInput, ItemView, OrderView
from ag_app.state import fmt
from ag_app.state.base import FeedbackMixin, actor_of, call, form_text, holds_user_data, now
from ag_app.state.staff_common import StaffActionMixin, moscow_text

FULFILMENT_NAMES: dict[str, str] = {
    PICKUP: "Сувенир: выдача в пункте выдачи",
    "certificate": "Электронный сертификат (14 дней)",
    THEATRE: "Театр: сертификат на обмен в кассе",
    PARKING: "Парковочные баллы",
}
FULFILMENT_OPTIONS: list[tuple[str, str]] = list(FULFILMENT_NAMES.items())
STATUS_OPTIONS: list[tuple[str, str]] = [("", "Все статусы"), *ORDER_STATUS_NAMES.items()]
TABS = ("items", "categories", "points", "orders", "report")

# Longest text accepted from a form field before it reaches the service (which checks exact limits);
# a short field takes form_text's default of 300 characters.
_TEXT_LIMIT = 2000
_DESK_NUMBER_LIMIT = 40
# Prices, stock and points typed by staff: at most nine digits.
_WHOLE_MAX = 999_999_999


def _whole(value: object) -> int | None:
    """A non-negative whole number typed in a field (at most 9 digits), or None."""
    if isinstance(value, str):
        # «1 000» as typed in a field: digit-group spaces are allowed, nothing else.
        value = value.strip().replace(" ", "").replace("\xa0", "")
    try:
        return parse_count(value, high=_WHOLE_MAX)
    except InvalidInput:
        return None


def _flag(form: dict, key: str) -> bool:
    """A checkbox of a submitted form (browsers send «on» for a ticked box and nothing otherwise)."""
    return form.get(key) in ("on", "true", True, "1")


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        return None


def _yes(value: bool) -> str:
    return "да" if value else "нет"


def _item_row(item: ItemView) -> dict[str, str]:
    return {
        "id": str(item.id),
        "title": item.title,
        "category": item.category,
        "price": fmt.num(item.price),
        "stock": str(item.stock),
        "visible": _yes(item.visible),
        "shown": "1" if item.visible else "",
        "ordered": fmt.num(item.ordered),
        "extra": (
            f"спектакль {fmt.short_day(item.performance_on)}"
            if item.performance_on
            else (f"{numfmt.num(item.parking_points)} парковочных баллов" if item.parking_points else "")
        ),
    }


def _order_row(order: OrderView) -> dict[str, str]:
    return {
        "id": str(order.id),
        "number": order.number,
        "orderer": order.orderer,
        "item": order.item_title,
        "points": fmt.num(order.points),
        "status": order.status_name,
        "ordered_at": moscow_text(order.ordered_at),
        "until": moscow_text(order.reserved_until or order.valid_until),
        "closed_at": moscow_text(order.closed_at),
        "pickup": order.pickup_point,
    }


EMPTY_ITEM_FORM: dict[str, str] = {
    "category_id": "",
    "title": "",
    "price": "",
    "stock": "0",
    "description": "",
    "photo": "",
    "visible": "1",
    "open_to_all": "",
    "is_pair": "",
    "validity_note": "",
    "performance_on": "",
    "parking_points": "0",
}


@holds_user_data
class StaffShopState(StaffActionMixin, rx.State):
    """The catalogue, categories, pickup points, orders and the report of the shop (staff)."""

    loaded: bool = False
    allowed: bool = False
    tab: str = "items"
    items: list[dict[str, str]] = []
    categories: list[dict[str, str]] = []
    pickup_points: list[dict[str, str]] = []
    orders: list[dict[str, str]] = []
    status_filter: str = ""
    # Items by stock, fewest first (title, stock).
    stock_rows: list[list[str]] = []

    # The item form: its values as text and whether it edits an existing item.
    item_form: dict[str, str] = EMPTY_ITEM_FORM
    editing_item: str = ""
    # Bumped whenever the item form gets new values, so its uncontrolled inputs are re-created.
    item_form_version: int = 0
    # The item the form saves to (None: a new item); set only by ``edit_item`` from the service's list.
    _item_id: int | None = None
    # The stock the edit form was filled with: saved unchanged, the item keeps its current stock.
    _item_stock_shown: str = ""

    category_name: str = ""
    category_fulfilment: str = PICKUP
    editing_category: str = ""
    category_form_version: int = 0
    _category_id: int | None = None

    point_name: str = ""
    point_address: str = ""
    point_active: bool = True
    editing_point: str = ""
    point_form_version: int = 0
    _point_id: int | None = None

    # The order whose audit trail is shown (its number) and the trail's rows.
    events_of: str = ""
    events: list[list[str]] = []

    # Built when the report loads; None until then keeps the default state small.
    weeks_fig: go.Figure | None = None
    weeks_rows: list[list[str]] = []
    top_fig: go.Figure | None = None
    top_rows: list[list[str]] = []
    status_rows: list[list[str]] = []
    blocked_points: str = "0"

    async def _staff_items(self) -> list[ItemView]:
        return await call(shop.staff_items, actor_id=await actor_of(self), now=now())

    async def _reload_items(self) -> None:
        views = await self._staff_items()
        self.items = [_item_row(i) for i in views]
        self.stock_rows = [[i.title, str(i.stock)] for i in sorted(views, key=lambda i: (i.stock, i.id))]

    async def _reload_categories(self) -> None:
        views = await call(shop.categories)
        self.categories = [
            {
                "id": str(c.id),
                "name": c.name,
                "fulfilment": c.fulfilment,
                "fulfilment_name": FULFILMENT_NAMES.get(c.fulfilment, c.fulfilment),
            }
            for c in views
        ]

    async def _reload_points(self) -> None:
        views = await call(shop.pickup_points, actor_id=await actor_of(self))
        self.pickup_points = [
            {
                "id": str(p.id),
                "name": p.name,
                "address": p.address,
                "active": "1" if p.active else "",
                "state": "работает" if p.active else "закрыт для новых заказов",
            }
            for p in views
        ]

    async def _reload_orders(self) -> None:
        views = await call(
            shop.staff_orders, actor_id=await actor_of(self), now=now(), status=self.status_filter
        )
        self.orders = [_order_row(o) for o in views]

    async def _reload_report(self) -> None:
        report = await call(shop.shop_report, actor_id=await actor_of(self), now=now())
        self.weeks_fig = points_weeks_figure(report.weeks)
        self.weeks_rows = [[week_label(w), fmt.num(w.earned), fmt.num(w.spent)] for w in report.weeks]
        self.top_fig = top_items_figure(report.top_items)
        self.top_rows = [[i.title, fmt.num(i.orders)] for i in report.top_items]
        self.status_rows = [[name, fmt.num(count)] for name, count in report.orders_by_status.items()]
        self.blocked_points = fmt.num(report.blocked_points)

    async def _reload(self) -> None:
        """Every list and the report."""
        await self._reload_items()
        await self._reload_categories()
        await self._reload_points()
        await self._reload_orders()
        await self._reload_report()

    def _forbid(self) -> None:
        self.allowed = False
        self.items, self.categories, self.pickup_points, self.orders = [], [], [], []
        self.stock_rows, self.events, self.weeks_rows, self.top_rows, self.status_rows = [], [], [], [], []
        self.weeks_fig, self.top_fig = None, None
        self.blocked_points = "0"
        self._reset_item_form(None, EMPTY_ITEM_FORM)
        self._reset_category_form(None, "", PICKUP)
        self._reset_point_form(None, "", "", True)

    @rx.event
    async def load(self):
        """Open the page (staff and administrators only): every list and the report."""
        self.loaded = False
        self._clear_feedback()
        self.tab, self.status_filter, self.events_of, self.events = "items", "", "", []
        self._reset_item_form(None, EMPTY_ITEM_FORM)
        self._reset_category_form(None, "", PICKUP)
        self._reset_point_form(None, "", "", True)
        try:
            await self._reload()
        except (NotAllowed, NotAuthenticated):
            self._forbid()
        except DomainError as error:
            self.error = str(error)
        else:
            self.allowed = True
        self.loaded = True

    @rx.event
    def set_tab(self, value: str):
        """Switch between the page's sections."""
        if value in TABS:
            self.tab = value

    # ------------------------------------------------------------------------------------------ items

    def _reset_item_form(self, item_id: int | None, values: dict[str, str]) -> None:
        self._item_id = item_id
        self._item_stock_shown = values.get("stock", "") if item_id is not None else ""
        self.item_form = dict(values)
        self.editing_item = values.get("title", "") if item_id is not None else ""
        self.item_form_version += 1

    async def _find_item(self, item_id: object) -> ItemView | None:
        """The item with ``item_id`` in the service's staff list (None for anything else)."""
        wanted = _whole(item_id)
        if wanted is None:
            self.error = "Поощрение не найдено."
            return None
        found = next((i for i in await self._staff_items() if i.id == wanted), None)
        if found is None:
            self.error = "Поощрение не найдено."
        return found

    @rx.event
    async def new_item(self):
        """Empty the item form to create a new item."""
        self._clear_feedback()
        self._reset_item_form(None, EMPTY_ITEM_FORM)

    @rx.event
    async def edit_item(self, item_id: str):
        """Fill the item form with an existing item."""
        self._clear_feedback()
        try:
            item = await self._find_item(item_id)
        except DomainError as error:
            self.error = str(error)
            return
        if item is None:
            return
        self._reset_item_form(
            item.id,
            {
                "category_id": str(item.category_id),
                "title": item.title,
                "price": str(item.price),
                "stock": str(item.stock),
                "description": item.description,
                "photo": item.photo,
                "visible": "1" if item.visible else "",
                "open_to_all": "1" if item.open_to_all else "",
                "is_pair": "1" if item.is_pair else "",
                "validity_note": item.validity_note,
                "performance_on": item.performance_on.isoformat() if item.performance_on else "",
                "parking_points": str(item.parking_points),
            },
        )
        self.tab = "items"

    @rx.event
    async def save_item(self, form: dict):
        """Create or change the item of the form (every field checked here and by the service)."""
        self._clear_feedback()
        if not isinstance(form, dict):
            self.error = "Форма заполнена неверно."
            return
        texts = {k: form_text(form, k, _TEXT_LIMIT) for k in EMPTY_ITEM_FORM}
        if any(v is None for k, v in texts.items() if k in form):
            self.error = "Слишком длинный текст (не больше 2000 символов) или неверное значение поля."
            return
        text = {k: v or "" for k, v in texts.items()}
        category = _whole(text["category_id"])
        if category is None:
            self.error = "Выберите категорию."
            return
        price, stock = _whole(text["price"]), _whole(text["stock"])
        if price is None:
            self.error = message("shop.price_invalid")
            return
        if stock is None:
            self.error = message("shop.stock_invalid")
            return
        parking = _whole(text["parking_points"] or "0")
        if parking is None:
            self.error = message("shop.parking_invalid")
            return
        performance = _day(text["performance_on"])
        if text["performance_on"].strip() and performance is None:
            self.error = "Дата спектакля указана неверно."
            return
        unchanged_stock = self._item_id is not None and text["stock"].strip() == self._item_stock_shown
        data = ItemInput(
            category_id=category,
            title=text["title"],
            price=price,
            stock=None if unchanged_stock else stock,
            description=text["description"],
            photo=text["photo"],
            visible=_flag(form, "visible"),
            open_to_all=_flag(form, "open_to_all"),
            is_pair=_flag(form, "is_pair"),
            validity_note=text["validity_note"],
            performance_on=performance,
            parking_points=parking,
        )
        item_id = self._item_id
        saved: list[ItemView] = []

        async def action() -> None:
            saved.append(
                await call(
                    shop.save_item, actor_id=await actor_of(self), item_id=item_id, data=data, now=now()
                )
            )

        if await self._apply(action, "Поощрение сохранено."):
            self.notice = f"Поощрение «{saved[0].title}» сохранено."
            self._reset_item_form(None, EMPTY_ITEM_FORM)
        elif self.allowed:
            # Keep what was typed, so the mistake can be corrected.
            self.item_form = {k: text[k] for k in EMPTY_ITEM_FORM} | {
                "visible": "1" if data.visible else "",
                "open_to_all": "1" if data.open_to_all else "",
                "is_pair": "1" if data.is_pair else "",
            }
            self.item_form_version += 1

    async def _change_item(self, item_id: object, operation, change) -> None:
        """Run ``operation`` (set the stock, hide/show) on an item of the service's staff list;
        ``change(item)`` gives the operation's values and the notice."""
        self._clear_feedback()
        try:
            item = await self._find_item(item_id)
        except (NotAllowed, NotAuthenticated) as error:
            self._forbid()
            self.error = str(error)
            return
        except DomainError as error:
            self.error = str(error)
            return
        if item is None:
            return
        values, notice = change(item)

        async def action() -> None:
            await call(operation, actor_id=await actor_of(self), item_id=item.id, now=now(), **values)

        await self._apply(action, notice)

    @rx.event
    async def set_stock(self, form: dict):
        """«Остаток»: the new number of units of one item (its row's small form)."""
        self._clear_feedback()
        stock = _whole(form.get("stock")) if isinstance(form, dict) else None
        if stock is None:
            self.error = message("shop.stock_invalid")
            return
        await self._change_item(
            form.get("item_id"),
            shop.set_item_stock,
            lambda item: ({"stock": stock}, f"Остаток «{item.title}»: {stock}."),
        )

    @rx.event
    async def toggle_visible(self, item_id: str):
        """Hide an item from the catalogue or show it again (the opposite of what it is now)."""

        def change(item: ItemView) -> tuple[dict, str]:
            if item.visible:
                return {"visible": False}, f"«{item.title}» скрыто из каталога."
            return {"visible": True}, f"«{item.title}» снова в каталоге."

        await self._change_item(item_id, shop.set_item_visible, change)

    # ------------------------------------------------------------------------------------- categories

    def _reset_category_form(self, category_id: int | None, name: str, fulfilment: str) -> None:
        self._category_id = category_id
        self.category_name, self.category_fulfilment = name, fulfilment
        self.editing_category = name if category_id is not None else ""
        self.category_form_version += 1

    @rx.event
    def new_category(self):
        """Empty the category form to create a category."""
        self._clear_feedback()
        self._reset_category_form(None, "", PICKUP)

    @rx.event
    def edit_category(self, category_id: str):
        """Rename (or change the fulfilment of) an existing category."""
        self._clear_feedback()
        wanted = _whole(category_id)
        found = next((c for c in self.categories if c["id"] == str(wanted)), None)
        if found is None:
            self.error = message("shop.category_unknown")
            return
        self._reset_category_form(wanted, found["name"], found["fulfilment"])

    @rx.event
    async def save_category(self, form: dict):
        """Create or rename the category of the form."""
        self._clear_feedback()
        name, fulfilment = form_text(form, "name", 200), form_text(form, "fulfilment", 40)
        if name is None or fulfilment is None or fulfilment not in FULFILMENTS:
            self.error = message("shop.category_invalid")
            return
        category_id = self._category_id

        async def action() -> None:
            await call(
                shop.save_category,
                actor_id=await actor_of(self),
                category_id=category_id,
                name=name,
                fulfilment=fulfilment,
            )

        if await self._apply(action, "Категория сохранена."):
            self._reset_category_form(None, "", PICKUP)
        elif self.allowed:
            self.category_name, self.category_fulfilment = name, fulfilment
            self.category_form_version += 1

    # --------------------------------------------------------------------------------- pickup points

    def _reset_point_form(self, point_id: int | None, name: str, address: str, active: bool) -> None:
        self._point_id = point_id
        self.point_name, self.point_address, self.point_active = name, address, active
        self.editing_point = name if point_id is not None else ""
        self.point_form_version += 1

    def _point(self, point_id: object) -> dict[str, str] | None:
        wanted = _whole(point_id)
        found = next((p for p in self.pickup_points if p["id"] == str(wanted)), None)
        if found is None:
            self.error = message("shop.pickup_unknown")
        return found

    @rx.event
    def new_point(self):
        """Empty the pickup point form to add a point."""
        self._clear_feedback()
        self._reset_point_form(None, "", "", True)

    @rx.event
    def edit_point(self, point_id: str):
        """Fill the pickup point form with an existing point."""
        self._clear_feedback()
        found = self._point(point_id)
        if found is not None:
            self._reset_point_form(int(found["id"]), found["name"], found["address"], bool(found["active"]))

    async def _save_point(self, point_id: int | None, name: str, address: str, active: bool, notice: str):
        async def action() -> None:
            await call(
                shop.save_pickup_point,
                actor_id=await actor_of(self),
                point_id=point_id,
                name=name,
                address=address,
                active=active,
            )

        return await self._apply(action, notice)

    @rx.event
    async def save_point(self, form: dict):
        """Create or change the pickup point of the form."""
        self._clear_feedback()
        name, address = form_text(form, "name"), form_text(form, "address")
        if name is None or address is None:
            self.error = message("shop.pickup_invalid")
            return
        active = _flag(form, "active")
        if await self._save_point(self._point_id, name, address, active, "Пункт выдачи сохранён."):
            self._reset_point_form(None, "", "", True)
        elif self.allowed:
            self.point_name, self.point_address, self.point_active = name, address, active
            self.point_form_version += 1

    @rx.event
    async def toggle_point(self, point_id: str):
        """Close a pickup point for new orders (orders already placed stay) or open it again."""
        self._clear_feedback()
        found = self._point(point_id)
        if found is None:
            return
        active = not found["active"]
        notice = f"Пункт «{found['name']}» " + (
            "снова принимает заказы." if active else "закрыт для новых заказов."
        )
        await self._save_point(int(found["id"]), found["name"], found["address"], active, notice)
        if self._point_id == int(found["id"]):
            self._reset_point_form(None, "", "", True)

    # ----------------------------------------------------------------------------------------- orders

    @rx.event
    async def set_status_filter(self, value: str):
        """Show the newest orders of one status (or of every status)."""
        self._clear_feedback()
        if not isinstance(value, str) or (value and value not in ORDER_STATUS_NAMES):
            self.error = message("shop.status_invalid")
            return
        self.status_filter = value
        try:
            await self._reload_orders()
        except (NotAllowed, NotAuthenticated) as error:
            self._forbid()
            self.error = str(error)
        except DomainError as error:
            self.error = str(error)

    @rx.event
    async def show_events(self, order_id: str):
        """The audit trail of one of the listed orders: who changed its status, when, from → to."""
        self._clear_feedback()
        wanted = _whole(order_id)
        found = next((o for o in self.orders if o["id"] == str(wanted)), None)
        if found is None:
            self.error = message("shop.order_not_found")
            return
        try:
            events = await call(shop.order_events, actor_id=await actor_of(self), order_id=wanted)
        except (NotAllowed, NotAuthenticated) as error:
            self._forbid()
            self.error = str(error)
            return
        except DomainError as error:
            self.error = str(error)
            return
        self.events_of = found["number"]
        self.events = [[moscow_text(e.at), e.actor, e.from_status, e.to_status] for e in events]


@holds_user_data
class StaffDeskState(FeedbackMixin, rx.State):
    """The pickup desk: find a souvenir order by number and the orderer's full name, issue or cancel it."""

    loaded: bool = False
    allowed: bool = False
    # The order found (display strings); empty when nothing is found.
    order: dict[str, str] = {}
    # The action waiting for confirmation: «issue», «refuse» or "".
    pending: str = ""
    # Bumped after a successful search so the search form is cleared.
    form_version: int = 0
    # The order the buttons act on: only ever the one the last search found on the server.
    _order_id: int | None = None

    def _show(self, view: OrderView) -> None:
        self._order_id = view.id
        self.order = {
            "number": view.number,
            "item": view.item_title,
            "points": fmt.points_word(view.points),
            "status": view.status_name,
            "reserved": "1" if view.status == RESERVED else "",
            "issued": "1" if view.status == ISSUED else "",
            "pickup": f"{view.pickup_point}, {view.pickup_address}" if view.pickup_point else "—",
            "until": moscow_text(view.reserved_until) or "—",
            "orderer": view.orderer,
            "ordered_at": moscow_text(view.ordered_at),
        }

    def _forget(self) -> None:
        self._order_id = None
        self.order = {}
        self.pending = ""

    @rx.event
    async def load(self):
        """Open the desk (moderators, staff, administrators)."""
        self.loaded = False
        self._clear_feedback()
        self._forget()
        try:
            await call(shop.require_desk, actor_id=await actor_of(self))
        except (NotAllowed, NotAuthenticated):
            self.allowed = False
        else:
            self.allowed = True
        self.loaded = True

    @rx.event
    async def find(self, form: dict):
        """Find the order by «Номер заказа» and «ФИО оформителя» (both must match)."""
        self._clear_feedback()
        self._forget()
        number, full_name = form_text(form, "number", _DESK_NUMBER_LIMIT), form_text(form, "full_name")
        if not number or not full_name or not number.strip() or not full_name.strip():
            self.error = "Укажите номер заказа и ФИО оформителя."
            return
        try:
            view = await call(
                shop.desk_find, actor_id=await actor_of(self), number=number, full_name=full_name, now=now()
            )
        except (NotAllowed, NotAuthenticated) as error:
            self.allowed = False
            self.error = str(error)
            return
        except DomainError as error:
            self.error = str(error)
            return
        self._show(view)

    @rx.event
    def ask(self, action: str):
        """Ask to confirm «Выдать» (``issue``) or «Отказ при примерке» (``refuse``) of the found order."""
        self._clear_feedback()
        if action not in ("issue", "refuse") or self._order_id is None:
            self.pending = ""
            return
        self.pending = action

    @rx.event
    def cancel_confirm(self):
        """Do not issue or cancel after all."""
        self.pending = ""

    @rx.event
    async def confirm(self):
        """Issue (the acceptance act) or cancel the found order, as confirmed."""
        self._clear_feedback()
        action, order_id = self.pending, self._order_id
        self.pending = ""
        if action not in ("issue", "refuse") or order_id is None:
            return
        service = shop.desk_issue if action == "issue" else shop.desk_refuse
        try:
            view = await call(service, actor_id=await actor_of(self), order_id=order_id, now=now())
        except (NotAllowed, NotAuthenticated) as error:
            self.allowed = False
            self._forget()
            self.error = str(error)
            return
        except DomainError as error:
            self.error = str(error)
            return
        self._show(view)
        self.notice = (
            f"Заказ № {view.number} выдан: акт приёма-передачи оформлен, баллы списаны."
            if action == "issue"
            else f"Заказ № {view.number} отменён: баллы возвращены оформителю, товар — на склад."
        )

    @rx.event
    async def download_act(self):
        """Download the acceptance act (PDF) of the found order, once it is issued."""
        self._clear_feedback()
        if self._order_id is None:
            return
        try:
            pdf = await call(shop.acceptance_act, actor_id=await actor_of(self), order_id=self._order_id)
        except DomainError as error:
            self.error = str(error)
            return
        return rx.download(data=pdf, filename=f"akt-{self.order.get('number', 'zakaz')}.pdf")
