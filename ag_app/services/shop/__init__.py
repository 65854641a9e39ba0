"""«Магазин поощрений» (SPEC §9): the catalogue, orders, the pickup desk, the reservation expiry job
and the shop's administration — one module per job; this package names the use cases and views
other contexts call (``from ag_app.services import shop; shop.place_order(...)``).
"""

from ag_app.services.shop.catalogue import (
    catalogue,
)
from ag_app.services.shop.desk import (
    acceptance_act,
    desk_find,
    desk_issue,
    desk_refuse,
    require_desk,
)
from ag_app.services.shop.expiry import (
    expire_reservations,
)
from ag_app.services.shop.orders import (
    cancel_order,
    my_order,
    my_orders,
    place_order,
)
from ag_app.services.shop.staff import (
    ItemInput,
    categories,
    order_events,
    pickup_points,
    save_category,
    save_item,
    save_pickup_point,
    set_item_stock,
    set_item_visible,
    shop_report,
    staff_items,
    staff_orders,
)
from ag_app.services.shop.views import (
    SORTS,
    CatalogueView,
    CategoryView,
    EventView,
    ItemOrders,
    ItemView,
    OrderView,
    PickupPointView,
    ShopReport,
    WeekPoints,
)
from ag_app.services.shop.wallets import (
    CIVIC,
    Charge,
    CivicWallet,
    Wallet,
)

__all__ = [
    "CIVIC",
    "CatalogueView",
    "CategoryView",
    "Charge",
    "CivicWallet",
    "EventView",
    "ItemInput",
    "ItemOrders",
    "ItemView",
    "OrderView",
    "PickupPointView",
    "SORTS",
    "ShopReport",
    "Wallet",
    "WeekPoints",
    "acceptance_act",
    "cancel_order",
    "catalogue",
    "categories",
    "desk_find",
    "desk_issue",
    "desk_refuse",
    "expire_reservations",
    "my_order",
    "my_orders",
    "order_events",
    "pickup_points",
    "place_order",
    "require_desk",
    "save_category",
    "save_item",
    "save_pickup_point",
    "set_item_stock",
    "set_item_visible",
    "shop_report",
    "staff_items",
    "staff_orders",
]
