"""``/staff/shop`` «Магазин: каталог и заказы» (staff): the tabs of the shop's catalogue and orders."""

import reflex as rx

from ag_app.components.common import feedback, staff_gate, staff_nav
from ag_app.components.layout import page_layout
from ag_app.i18n import label
from ag_app.pages.staff_shop.items import items_tab
from ag_app.pages.staff_shop.orders import orders_tab, report_tab
from ag_app.pages.staff_shop.places import categories_tab, points_tab
from ag_app.state.staff_shop import StaffShopState as S


def shop_page() -> rx.Component:
    """``/staff/shop``."""
    return page_layout(
        label("ui.catalogue.magazin_katalog_i_zakazy"),
        staff_gate(
            S.loaded,
            S.allowed,
            staff_nav(),
            rx.link(
                label("ui.catalogue.vydacha_zakazov_v_punkte_vydachi"),
                href="/staff/shop/desk",
                id="link-desk",
            ),
            feedback(S.error, S.notice, id_="shop-feedback"),
            rx.tabs.root(
                rx.tabs.list(
                    rx.tabs.trigger(label("ui.common.pooshchreniya"), value="items", id="tab-items"),
                    rx.tabs.trigger(label("ui.common.kategorii"), value="categories", id="tab-categories"),
                    rx.tabs.trigger(label("ui.common.punkty_vydachi"), value="points", id="tab-points"),
                    rx.tabs.trigger(label("ui.common.zakazy"), value="orders", id="tab-orders"),
                    rx.tabs.trigger(label("ui.catalogue.otchet"), value="report", id="tab-report"),
                    wrap="wrap",
                ),
                rx.tabs.content(items_tab(), value="items", padding_top="1em"),
                rx.tabs.content(categories_tab(), value="categories", padding_top="1em"),
                rx.tabs.content(points_tab(), value="points", padding_top="1em"),
                rx.tabs.content(orders_tab(), value="orders", padding_top="1em"),
                rx.tabs.content(report_tab(), value="report", padding_top="1em"),
                value=S.tab,
                on_change=S.set_tab,
                margin_top="1em",
            ),
        ),
    )
