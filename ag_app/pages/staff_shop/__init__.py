"""``/staff/shop`` «Магазин: каталог и заказы» (staff) and ``/staff/shop/desk`` «Выдача заказов» (desk)."""

from ag_app.i18n import label
from ag_app.pages.staff_shop.catalogue import shop_page
from ag_app.pages.staff_shop.desk import desk_page
from ag_app.state.base import SessionState
from ag_app.state.staff_shop import StaffDeskState as D
from ag_app.state.staff_shop import StaffShopState as S

PAGES = [
    (
        "/staff/shop",
        shop_page,
        label("ui.shop.magazin_katalog_i_zakazy_kabinet"),
        [SessionState.refresh, S.load],
    ),
    (
        "/staff/shop/desk",
        desk_page,
        label("ui.shop.vydacha_zakazov_kabinet_sotrudnika"),
        [SessionState.refresh, D.load],
    ),
]
