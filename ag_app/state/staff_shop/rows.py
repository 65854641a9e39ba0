"""Shared rows, limits and form parsing of the staff shop pages (catalogue and desk)."""

from datetime import date

from ag_app.domain.errors import InvalidInput
from ag_app.domain.numbers import parse_count
from ag_app.domain.shop import CERTIFICATE, ORDER_STATUS_NAMES, PARKING, PICKUP, THEATRE
from ag_app.i18n import label, message
from ag_app.services.shop import ItemView, OrderView
from ag_app.state import fmt
from ag_app.state.staff_common import moscow_text

FULFILMENT_NAMES: dict[str, str] = {
    PICKUP: label("shop.page_fulfilment_pickup"),
    CERTIFICATE: label("shop.page_fulfilment_certificate"),
    THEATRE: label("shop.page_fulfilment_theatre"),
    PARKING: label("shop.page_fulfilment_parking"),
}
FULFILMENT_OPTIONS: list[tuple[str, str]] = list(FULFILMENT_NAMES.items())
STATUS_OPTIONS: list[tuple[str, str]] = [("", label("shop.page_all_statuses")), *ORDER_STATUS_NAMES.items()]
TABS = ("items", "categories", "points", "orders", "report")

# Longest text accepted from a form field before it reaches the service (which checks exact limits);
# a short field takes form_text's default of 300 characters.
TEXT_LIMIT = 2000
DESK_NUMBER_LIMIT = 40
# Prices, stock and points typed by staff: at most nine digits.
WHOLE_MAX = 999_999_999


def whole(value: object) -> int | None:
    """A non-negative whole number typed in a field (at most 9 digits), or None."""
    if isinstance(value, str):
        # «1 000» as typed in a field: digit-group spaces are allowed, nothing else.
        value = value.strip().replace(" ", "").replace("\xa0", "")
    try:
        return parse_count(value, high=WHOLE_MAX)
    except InvalidInput:
        return None


def flag(form: dict, key: str) -> bool:
    """A checkbox of a submitted form (browsers send «on» for a ticked box and nothing otherwise)."""
    return form.get(key) in ("on", "true", True, "1")


def day(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        return None


def yes(value: bool) -> str:
    return label("shop.page_yes" if value else "shop.page_no")


def item_row(item: ItemView) -> dict[str, str]:
    return {
        "id": str(item.id),
        "title": item.title,
        "category": item.category,
        "price": fmt.num(item.price),
        "stock": str(item.stock),
        "visible": yes(item.visible),
        "shown": "1" if item.visible else "",
        "ordered": fmt.num(item.ordered),
        "extra": (
            message("shop.page_performance", day=fmt.short_day(item.performance_on)).removesuffix(".")
            if item.performance_on
            else (
                message("shop.page_parking_points", count=fmt.num(item.parking_points)).removesuffix(".")
                if item.parking_points
                else ""
            )
        ),
    }


def order_row(order: OrderView) -> dict[str, str]:
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
