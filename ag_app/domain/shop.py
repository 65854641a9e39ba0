"""SPEC §9 rewards shop rules: categories, who may order, deadlines, refunds and certificate codes."""

import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from ag_app.domain.clock import MOSCOW, moscow_date
from ag_app.i18n import status

# How an order of a category is fulfilled.
PICKUP = "pickup"  # a souvenir reserved at a pickup point
CERTIFICATE = "certificate"  # an e-certificate valid 14 days
THEATRE = "theatre"  # a certificate exchanged at the box office up to 7 days before the performance
PARKING = "parking"  # parking points credited to the parking account of the same phone
FULFILMENTS = (PICKUP, CERTIFICATE, THEATRE, PARKING)


@dataclass(frozen=True)
class CategoryRule:
    """A built-in category of SPEC §9.1: its slug, Russian name and fulfilment."""

    slug: str
    name: str
    fulfilment: str


CATEGORIES = (
    CategoryRule("souvenirs", "Сувениры", PICKUP),
    CategoryRule("parks", "Парки", CERTIFICATE),
    CategoryRule("museums", "Музеи", CERTIFICATE),
    CategoryRule("theatres", "Театры", THEATRE),
    CategoryRule("transport", "Транспорт", CERTIFICATE),
    CategoryRule("parking", "Парковки", PARKING),
)

# Order statuses and their Russian names.
RESERVED, ISSUED, CANCELLED, EXPIRED, CERTIFIED, CREDITED = (
    "reserved",
    "issued",
    "cancelled",
    "expired",
    "certificate",
    "credited",
)
ORDER_STATUS_NAMES = {
    s: status("order", s, heading=True) for s in (RESERVED, ISSUED, CANCELLED, EXPIRED, CERTIFIED, CREDITED)
}

RESERVATION_DAYS = 14
PICKUP_CLOSES_AT = time(20, 0)
CERTIFICATE_VALIDITY = timedelta(days=14)
THEATRE_EXCHANGE_DAYS_BEFORE = 7
OPEN_TO_ALL_MARK = "Доступно для заказа всем пользователям"
GIFT_NAME_LIMIT = 100

# Certificate codes: 12 characters without look-alikes (0/O, 1/I/L), shown in groups of four.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_CODE_RE = re.compile(rf"^[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}$")


@dataclass(frozen=True)
class Problem:
    """Why something is refused: a message key of :mod:`ag_app.i18n` and its parameters."""

    key: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class OrderFacts:
    """What decides whether a user may order an item now."""

    visible: bool
    open_to_all: bool
    has_status: bool
    has_full_name: bool
    has_email: bool
    available_points: int
    price: int
    stock: int
    # Theatres: the last Moscow day a certificate can still be exchanged (None: not a theatre).
    exchange_deadline: date | None = None
    today: date | None = None


def has_full_name(last_name: str, first_name: str, patronymic: str) -> bool:
    """ФИО is complete when all three fields are filled («-» counts for a missing patronymic)."""
    return all(part.strip() for part in (last_name, first_name, patronymic))


def order_problem(facts: OrderFacts) -> Problem | None:
    """The first reason (SPEC §9.2) the order is refused, or None when it may be placed.

    A hidden item, then the status «Активный гражданин» (unless the item is open to all), the full
    name and e-mail, enough available points, stock, and for theatres a performance still far enough.
    """
    if not facts.visible:
        return Problem("shop.item_hidden")
    if not facts.has_status and not facts.open_to_all:
        return Problem("shop.status_required")
    if not facts.has_full_name or not facts.has_email:
        return Problem("shop.profile_incomplete")
    if facts.available_points < facts.price:
        return Problem("shop.points_short", {"price": facts.price, "available": facts.available_points})
    if facts.stock <= 0:
        return Problem("shop.out_of_stock")
    if (
        facts.exchange_deadline is not None
        and facts.today is not None
        and facts.today > facts.exchange_deadline
    ):
        return Problem("shop.performance_too_soon")
    return None


def reservation_deadline(ordered_at: datetime) -> datetime:
    """A souvenir is reserved for 14 days: until 20:00 Moscow time of the 14th day after the order."""
    last_day = moscow_date(ordered_at) + timedelta(days=RESERVATION_DAYS)
    return datetime.combine(last_day, PICKUP_CLOSES_AT, tzinfo=MOSCOW).astimezone(UTC)


def certificate_valid_until(ordered_at: datetime) -> datetime:
    """Parks, museums and transport certificates are valid 14 days from the order."""
    return ordered_at.astimezone(UTC) + CERTIFICATE_VALIDITY


def theatre_exchange_deadline(performance_on: date) -> date:
    """The last Moscow day a theatre certificate can be exchanged: 7 days before the performance."""
    return performance_on - timedelta(days=THEATRE_EXCHANGE_DAYS_BEFORE)


def initial_status(fulfilment: str) -> str:
    """The status an order starts in: souvenirs are reserved, certificates issued, parking credited."""
    return {PICKUP: RESERVED, CERTIFICATE: CERTIFIED, THEATRE: CERTIFIED, PARKING: CREDITED}[fulfilment]


def cancel_problem(
    fulfilment: str, status: str, reserved_until: datetime | None, now: datetime
) -> Problem | None:
    """Why an order cannot be cancelled, or None.

    Only a reserved souvenir can be cancelled, and only before its reservation ends; orders outside
    «Сувениры» are final (no refund), an issued order can be neither cancelled nor returned.
    """
    if fulfilment != PICKUP:
        return Problem("shop.not_refundable")
    if status == ISSUED:
        return Problem("shop.order_issued")
    if status == CANCELLED:
        return Problem("shop.order_cancelled")
    if status == EXPIRED:
        return Problem("shop.order_expired")
    if reserved_until is None or now >= reserved_until:
        return Problem("shop.reservation_over")
    return None


def issue_problem(
    fulfilment: str, status: str, reserved_until: datetime | None, now: datetime
) -> Problem | None:
    """Why staff cannot hand an order out (or cancel it at the desk), or None: only a live reservation."""
    if fulfilment != PICKUP:
        return Problem("shop.not_pickup")
    return cancel_problem(fulfilment, status, reserved_until, now)


def is_expired(status: str, reserved_until: datetime | None, now: datetime) -> bool:
    """A reservation not picked up by its deadline is annulled and its points are lost."""
    return status == RESERVED and reserved_until is not None and now >= reserved_until


def new_certificate_code(choice=secrets.choice) -> str:
    """A random certificate code such as ``7KQM-2XHV-P9DT`` (31¹² ≈ 7.9·10¹⁷ possibilities)."""
    raw = "".join(choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def is_certificate_code(code: str) -> bool:
    """Whether ``code`` has the certificate code format."""
    return bool(_CODE_RE.match(code))


def order_number(order_id: int) -> str:
    """The order number told at the pickup point: the order id in eight digits."""
    return f"{order_id:08d}"


def normalize_order_number(raw: str) -> str:
    """The order number as typed at the desk, spaces and dashes dropped."""
    return re.sub(r"[\s-]", "", raw)
