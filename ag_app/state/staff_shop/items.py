"""The «Поощрения» tab of ``/staff/shop``: the items, their form, stock and visibility.

The item being edited (``_item_id``) is a backend-only var set by ``edit_item`` from the service's own
staff list, never an id sent by the browser.
"""

import reflex as rx

from ag_app.domain.errors import DomainError, FormProblems, InvalidInput, NotAllowed, NotAuthenticated
from ag_app.i18n import message
from ag_app.services import shop
from ag_app.services.shop import ItemInput, ItemView
from ag_app.state.base import actor_of, call, form_text, now
from ag_app.state.staff_common import StaffActionMixin
from ag_app.state.staff_shop.rows import EMPTY_ITEM_FORM, TEXT_LIMIT, day, flag, item_row, whole


class ShopItemsMixin(StaffActionMixin, mixin=True):
    """The items of the staff shop page; the page's state defines ``allowed``, ``tab`` and ``_forbid``."""

    items: list[dict[str, str]] = []
    # Items by stock, fewest first (title, stock).
    stock_rows: list[list[str]] = []
    # The item form: its values as text and whether it edits an existing item.
    item_form: dict[str, str] = EMPTY_ITEM_FORM
    editing_item: str = ""
    # Bumped whenever the item form gets new values, so its uncontrolled inputs are re-created.
    item_form_version: int = 0
    # The item form's fields the last refused save named, marked aria-invalid («title», «price» …).
    item_invalid_fields: list[str] = []
    # The item the form saves to (None: a new item); set only by ``edit_item`` from the service's list.
    _item_id: int | None = None
    # The stock the edit form was filled with: saved unchanged, the item keeps its current stock.
    _item_stock_shown: str = ""

    async def _staff_items(self) -> list[ItemView]:
        return await call(shop.staff_items, actor_id=await actor_of(self), now=now())

    async def _reload_items(self) -> None:
        views = await self._staff_items()
        self.items = [item_row(i) for i in views]
        self.stock_rows = [[i.title, str(i.stock)] for i in sorted(views, key=lambda i: (i.stock, i.id))]

    def _reset_item_form(self, item_id: int | None, values: dict[str, str]) -> None:
        self.item_invalid_fields = []
        self._item_id = item_id
        self._item_stock_shown = values.get("stock", "") if item_id is not None else ""
        self.item_form = dict(values)
        self.editing_item = values.get("title", "") if item_id is not None else ""
        self.item_form_version += 1

    async def _find_item(self, item_id: object) -> ItemView | None:
        """The item with ``item_id`` in the service's staff list (None for anything else)."""
        wanted = whole(item_id)
        if wanted is None:
            self.error = message("shop.item_not_found")
            return None
        found = next((i for i in await self._staff_items() if i.id == wanted), None)
        if found is None:
            self.error = message("shop.item_not_found")
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
            self.error = message("shop.page_form_invalid")
            return
        texts = {k: form_text(form, k, TEXT_LIMIT) for k in EMPTY_ITEM_FORM}
        # Fields the form itself cannot read; the service lists them with its own refusals.
        prior: dict[str, DomainError] = {
            k: InvalidInput("shop.page_field_too_long", limit=TEXT_LIMIT)
            for k, v in texts.items()
            if v is None and k in form
        }
        text = {k: v or "" for k, v in texts.items()}
        category = whole(text["category_id"])
        if category is None:
            prior.setdefault("category_id", InvalidInput("shop.page_category_required"))
        price, stock = whole(text["price"]), whole(text["stock"])
        if price is None:
            prior.setdefault("price", InvalidInput("shop.price_invalid"))
        if stock is None:
            prior.setdefault("stock", InvalidInput("shop.stock_invalid"))
        parking = whole(text["parking_points"] or "0")
        if parking is None:
            prior.setdefault("parking_points", InvalidInput("shop.parking_invalid"))
        performance = day(text["performance_on"])
        if text["performance_on"].strip() and performance is None:
            prior.setdefault("performance_on", InvalidInput("shop.page_performance_invalid"))
        unchanged_stock = self._item_id is not None and text["stock"].strip() == self._item_stock_shown
        data = ItemInput(
            category_id=category or 0,
            title=text["title"],
            price=price or 0,
            stock=None if unchanged_stock else (stock or 0),
            description=text["description"],
            photo=text["photo"],
            visible=flag(form, "visible"),
            open_to_all=flag(form, "open_to_all"),
            is_pair=flag(form, "is_pair"),
            validity_note=text["validity_note"],
            performance_on=performance,
            parking_points=parking or 0,
        )
        item_id = self._item_id
        saved: list[ItemView] = []

        async def action() -> None:
            try:
                saved.append(
                    await call(
                        shop.save_item,
                        actor_id=await actor_of(self),
                        item_id=item_id,
                        data=data,
                        now=now(),
                        prior=prior,
                    )
                )
            except FormProblems as error:
                self.item_invalid_fields = list(error.problems)
                raise

        self.item_invalid_fields = []
        if await self._apply(action):
            self.notice = message("shop.page_item_saved", title=saved[0].title)
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
        stock = whole(form.get("stock")) if isinstance(form, dict) else None
        if stock is None:
            self.error = message("shop.stock_invalid")
            return
        await self._change_item(
            form.get("item_id"),
            shop.set_item_stock,
            lambda item: ({"stock": stock}, message("shop.page_stock_set", title=item.title, stock=stock)),
        )

    @rx.event
    async def toggle_visible(self, item_id: str):
        """Hide an item from the catalogue or show it again (the opposite of what it is now)."""

        def change(item: ItemView) -> tuple[dict, str]:
            if item.visible:
                return {"visible": False}, message("shop.page_item_hidden", title=item.title)
            return {"visible": True}, message("shop.page_item_shown", title=item.title)

        await self._change_item(item_id, shop.set_item_visible, change)
