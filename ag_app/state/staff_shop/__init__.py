"""``/staff/shop`` «Магазин: каталог и заказы» and ``/staff/shop/desk`` «Выдача заказов»: one state
per page (:mod:`catalogue`, built from the items and places mixins, and :mod:`desk`), shared rows in
:mod:`rows`."""

from ag_app.state.staff_shop.catalogue import StaffShopState
from ag_app.state.staff_shop.desk import StaffDeskState
from ag_app.state.staff_shop.rows import FULFILMENT_NAMES, FULFILMENT_OPTIONS, STATUS_OPTIONS

__all__ = ["FULFILMENT_NAMES", "FULFILMENT_OPTIONS", "STATUS_OPTIONS", "StaffDeskState", "StaffShopState"]
