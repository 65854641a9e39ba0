"""``/staff/shop`` «Магазин: каталог и заказы» (staff and administrators): the items, categories and
pickup points (mixins), the orders with their audit trail and the report.

``load`` shows the page only to staff; every handler calls a service that checks the actor's role
again, so a resident calling a handler by name over the websocket changes nothing.
"""

import plotly.graph_objects as go
import reflex as rx

from ag_app.charts.shop import points_weeks_figure, top_items_figure, week_label
from ag_app.domain.errors import DomainError, NotAllowed, NotAuthenticated
from ag_app.domain.shop import ORDER_STATUS_NAMES, PICKUP
from ag_app.i18n import message
from ag_app.services import shop
from ag_app.state import fmt
from ag_app.state.base import actor_of, call, holds_user_data, now
from ag_app.state.staff_common import StaffActionMixin, moscow_text
from ag_app.state.staff_shop.items import ShopItemsMixin
from ag_app.state.staff_shop.places import ShopPlacesMixin
from ag_app.state.staff_shop.rows import EMPTY_ITEM_FORM, TABS, order_row, whole


@holds_user_data
class StaffShopState(ShopItemsMixin, ShopPlacesMixin, StaffActionMixin, rx.State):
    """The catalogue, categories, pickup points, orders and the report of the shop (staff)."""

    loaded: bool = False
    allowed: bool = False
    tab: str = "items"
    orders: list[dict[str, str]] = []
    status_filter: str = ""

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

    async def _reload_orders(self) -> None:
        views = await call(
            shop.staff_orders, actor_id=await actor_of(self), now=now(), status=self.status_filter
        )
        self.orders = [order_row(o) for o in views]

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
        wanted = whole(order_id)
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
