"""``/staff/shop`` «Магазин: каталог и заказы» (staff) and ``/staff/shop/desk`` «Выдача заказов» (desk)."""

from ag_app.pages.staff_shop.catalogue import shop_page
from ag_app.pages.staff_shop.desk import desk_page
from ag_app.state.base import SessionState
from ag_app.state.staff_shop import StaffDeskState as D
from ag_app.state.staff_shop import StaffShopState as S

PAGES = [
    (
        "/staff/shop",
        shop_page,
        "Магазин: каталог и заказы — кабинет сотрудника",
        [SessionState.refresh, S.load],
    ),
    ("/staff/shop/desk", desk_page, "Выдача заказов — кабинет сотрудника", [SessionState.refresh, D.load]),
]
