"""``/staff/shop/desk`` «Выдача заказов» (moderators, staff, administrators): find a souvenir order
by number and the orderer's full name, issue or cancel it.

The desk acts only on the order its last search found (``_order_id``), never on an id sent by the
browser; every service checks the actor's role again.
"""

import reflex as rx

from ag_app.domain.errors import DomainError, NotAllowed, NotAuthenticated
from ag_app.domain.shop import ISSUED, RESERVED
from ag_app.i18n import message
from ag_app.services import shop
from ag_app.services.shop import OrderView
from ag_app.state import fmt
from ag_app.state.base import FeedbackMixin, actor_of, call, form_text, holds_user_data, now
from ag_app.state.staff_common import moscow_text
from ag_app.state.staff_shop.rows import DESK_NUMBER_LIMIT


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
        number, full_name = form_text(form, "number", DESK_NUMBER_LIMIT), form_text(form, "full_name")
        if not number or not full_name or not number.strip() or not full_name.strip():
            self.error = message("shop.page_desk_required")
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
            message("shop.page_desk_issued", number=view.number)
            if action == "issue"
            else message("shop.page_desk_refused", number=view.number)
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
