"""The «Категории» and «Пункты выдачи» tabs of ``/staff/shop``: category and pickup point forms.

The category or point being edited (``_category_id``, ``_point_id``) is a backend-only var set from
the page's own list, never an id sent by the browser.
"""

import reflex as rx

from ag_app.domain.shop import FULFILMENTS, PICKUP
from ag_app.i18n import label, message
from ag_app.services import shop
from ag_app.state.base import actor_of, call, form_text
from ag_app.state.staff_common import StaffActionMixin
from ag_app.state.staff_shop.rows import FULFILMENT_NAMES, flag, whole


class ShopPlacesMixin(StaffActionMixin, mixin=True):
    """Categories and pickup points of the staff shop page; the page's state defines ``allowed``."""

    categories: list[dict[str, str]] = []
    pickup_points: list[dict[str, str]] = []

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
                "state": label("shop.page_point_open" if p.active else "shop.page_point_closed"),
            }
            for p in views
        ]

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
        wanted = whole(category_id)
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

        if await self._apply(action, message("shop.page_category_saved")):
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
        wanted = whole(point_id)
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
        active = flag(form, "active")
        if await self._save_point(self._point_id, name, address, active, message("shop.page_point_saved")):
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
        notice = message(
            "shop.page_point_reopened" if active else "shop.page_point_closed_notice", name=found["name"]
        )
        await self._save_point(int(found["id"]), found["name"], found["address"], active, notice)
        if self._point_id == int(found["id"]):
            self._reset_point_form(None, "", "", True)
