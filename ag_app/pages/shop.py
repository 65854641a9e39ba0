"""«Магазин поощрений» for residents: the catalogue, «История заказов» and the order/certificate page."""

import reflex as rx

from ag_app import i18n
from ag_app.components.common import empty, feedback, field, label, stat, static_select
from ag_app.components.layout import page_layout
from ag_app.pages.shop_order import order_dialog
from ag_app.state.base import SessionState
from ag_app.state.shop import SORT_OPTIONS, ShopOrdersState, ShopOrderState, ShopState

# ------------------------------------------------------------------------------------------- catalogue


def _balances() -> rx.Component:
    return rx.cond(
        ShopState.logged_in,
        rx.grid(
            stat(ShopState.available, i18n.label("ui.common.dostupno_ballov"), "shop-available"),
            stat(
                ShopState.blocked, i18n.message("ui.common.zablokirovano_zakazy_v_obrabotke"), "shop-blocked"
            ),
            rx.flex(
                rx.link(i18n.label("ui.common.istoriia_zakazov"), href="/shop/orders", id="shop-orders-link"),
                rx.link(i18n.label("ui.common.moi_bally"), href="/points", id="shop-points-link"),
                direction="column",
                spacing="2",
                justify="center",
            ),
            columns=rx.breakpoints(initial="1", sm="3"),
            spacing="3",
            width="100%",
        ),
        rx.callout.root(
            rx.callout.icon(rx.icon("info")),
            rx.callout.text(
                i18n.message("ui.shop.voidite_chtoby_zakazat_pooshchrenie"),
                rx.link(i18n.label("ui.contest.voiti"), href="/login", id="shop-login"),
            ),
            color_scheme="gray",
            id="shop-guest",
        ),
    )


def _tab(row: rx.Var) -> rx.Component:
    chosen = ShopState.category == row["slug"]
    return rx.button(
        row["name"],
        on_click=ShopState.set_category(row["slug"]),
        variant=rx.cond(chosen, "solid", "soft"),
        aria_pressed=rx.cond(chosen, "true", "false"),
        id="shop-cat-" + rx.cond(row["slug"] == "", "all", row["slug"]),
        size="2",
    )


def _filters() -> rx.Component:
    return rx.box(
        rx.el.nav(
            rx.flex(rx.foreach(ShopState.categories, _tab), spacing="2", wrap="wrap"),
            aria_label=i18n.label("ui.shop.kategorii_pooshchrenii"),
        ),
        rx.flex(
            rx.box(
                field(
                    i18n.label("ui.shop.sortirovka"),
                    static_select(
                        "shop-sort", SORT_OPTIONS, value=ShopState.sort, on_change=ShopState.set_sort
                    ),
                    "shop-sort",
                ),
                max_width="280px",
                width="100%",
            ),
            rx.cond(
                ShopState.logged_in,
                rx.flex(
                    rx.switch(
                        id="shop-orderable",
                        checked=ShopState.orderable_only,
                        on_change=ShopState.set_orderable,
                    ),
                    label(i18n.label("ui.shop.tol_ko_dostupnye_mne"), "shop-orderable"),
                    spacing="2",
                    align="center",
                ),
            ),
            spacing="4",
            align="end",
            wrap="wrap",
            margin_top="1em",
        ),
        margin_top="1.2em",
    )


def _mark(text: rx.Var, color: str) -> rx.Component:
    return rx.cond(text != "", rx.badge(text, color_scheme=color, variant="soft", high_contrast=True))


def _item(row: rx.Var) -> rx.Component:
    problem_id = "shop-problem-" + row["id"]
    return rx.card(
        rx.flex(
            rx.cond(
                row["photo"] != "",
                rx.image(
                    src=row["photo"],
                    alt=row["title"],
                    width="100%",
                    height="150px",
                    object_fit="contain",
                ),
            ),
            rx.text(row["category"], size="1", color_scheme="gray", as_="p"),
            rx.heading(row["title"], as_="h2", size="3"),
            rx.flex(
                _mark(row["open_to_all"], "green"),
                _mark(row["pair"], "blue"),
                spacing="2",
                wrap="wrap",
            ),
            rx.text(row["price"], weight="bold", size="4", as_="p", class_name="shop-price"),
            rx.text(
                row["stock"],
                size="2",
                as_="p",
                color_scheme=rx.cond(row["in_stock"] == "1", "gray", "red"),
                class_name="shop-stock",
            ),
            rx.cond(row["performance"] != "", rx.text(row["performance"], size="2", as_="p")),
            rx.cond(row["validity"] != "", rx.text(row["validity"], size="2", as_="p", color_scheme="gray")),
            rx.cond(row["description"] != "", rx.text(row["description"], size="2", as_="p")),
            rx.spacer(),
            rx.cond(
                row["can_order"] == "1",
                rx.button(
                    i18n.label("ui.shop.zakazat"),
                    on_click=ShopState.open_order(row["id"]),
                    id="order-" + row["id"],
                    aria_label=i18n.label("ui.shop.zakazat_2") + row["title"],
                    width="100%",
                    variant="outline",
                ),
                rx.flex(
                    rx.text(row["problem"], size="2", as_="p", id=problem_id, class_name="shop-problem"),
                    rx.button(
                        i18n.label("ui.shop.zakazat"),
                        disabled=True,
                        id="order-" + row["id"],
                        aria_describedby=problem_id,
                        width="100%",
                    ),
                    direction="column",
                    spacing="2",
                ),
            ),
            direction="column",
            spacing="2",
            height="100%",
        ),
        id="shop-item-" + row["id"],
        class_name="shop-item",
    )


def shop_page() -> rx.Component:
    return page_layout(
        i18n.label("ui.common.magazin_pooshchrenii"),
        _balances(),
        _filters(),
        feedback(ShopState.error, ShopState.notice),
        rx.cond(
            ShopState.loaded,
            rx.cond(
                ShopState.items.length() > 0,
                rx.grid(
                    rx.foreach(ShopState.items, _item),
                    columns=rx.breakpoints(initial="1", sm="2", md="3"),
                    spacing="4",
                    width="100%",
                    margin_top="1.2em",
                    id="shop-items",
                ),
                empty(i18n.message("ui.shop.pooshchrenii_po_vybrannym_usloviiam_net")),
            ),
            rx.text(i18n.label("ui.poll.zagruzka"), as_="p"),
        ),
        order_dialog(),
    )


# ------------------------------------------------------------------------------------- order history


def _fact(caption: str, value: rx.Var, **props) -> rx.Component:
    return rx.cond(value != "", rx.text(rx.text.strong(caption + ": "), value, size="2", as_="p", **props))


def _cancel_dialog(row: rx.Var) -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button(
                i18n.label("ui.shop.otmenit_zakaz_2"),
                id="cancel-" + row["number"],
                color_scheme="red",
                variant="soft",
                size="2",
                aria_label=i18n.label("ui.shop.otmenit_zakaz") + row["number"],
            )
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title(i18n.label("ui.shop.otmenit_zakaz") + row["number"] + "?"),
            rx.alert_dialog.description(
                "«"
                + row["title"]
                + i18n.label("ui.shop.bron_snimaetsia")
                + row["points"]
                + i18n.message("ui.shop.snova_stanut_dostupny")
            ),
            rx.flex(
                rx.alert_dialog.cancel(
                    rx.button(i18n.label("ui.shop.ne_otmeniat"), variant="soft", color_scheme="gray")
                ),
                rx.alert_dialog.action(
                    rx.button(
                        i18n.label("ui.shop.otmenit_zakaz_2"),
                        id="confirm-cancel-" + row["number"],
                        color_scheme="red",
                        on_click=ShopOrdersState.cancel(row["id"]),
                    )
                ),
                spacing="3",
                justify="end",
                margin_top="1em",
            ),
        ),
    )


def _order(row: rx.Var) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.heading(i18n.label("ui.shop.zakaz") + row["number"], as_="h2", size="3"),
            rx.badge(row["status"], variant="soft", high_contrast=True, class_name="order-status"),
            spacing="3",
            align="center",
            wrap="wrap",
        ),
        rx.text(row["title"], as_="p", weight="medium", margin_top="0.3em"),
        _fact(i18n.label("ui.common.kategoriia"), row["category"]),
        _fact(i18n.label("ui.shop.stoimost"), row["points"]),
        _fact(i18n.label("ui.common.oformlen"), row["ordered"]),
        rx.cond(row["until"] != "", _fact(row["until_label"], row["until"])),
        _fact(i18n.label("ui.shop.zakryt"), row["closed"]),
        _fact(i18n.label("ui.shop.punkt_vydachi"), row["pickup"]),
        _fact(i18n.label("ui.shop.v_podarok"), row["gift_to"]),
        rx.flex(
            rx.cond(row["can_cancel"] == "1", _cancel_dialog(row)),
            rx.cond(
                row["certificate"] == "1",
                rx.link(
                    i18n.label("ui.shop.sertifikat_zakaza") + row["number"],
                    href="/shop/orders/" + row["number"],
                    id="certificate-" + row["number"],
                ),
            ),
            spacing="4",
            align="center",
            margin_top="0.6em",
        ),
        id="order-" + row["number"],
        class_name="shop-order",
        width="100%",
    )


def orders_page() -> rx.Component:
    return page_layout(
        i18n.label("ui.common.istoriia_zakazov"),
        rx.flex(
            rx.link(i18n.label("ui.common.magazin_pooshchrenii"), href="/shop", id="orders-shop-link"),
            rx.link(i18n.label("ui.common.moi_bally"), href="/points", id="orders-points-link"),
            spacing="4",
        ),
        feedback(ShopOrdersState.error, ShopOrdersState.notice),
        rx.cond(
            ShopOrdersState.loaded & (ShopOrdersState.orders.length() == 0),
            empty(i18n.message("ui.shop.zakazov_poka_net")),
        ),
        rx.flex(
            rx.foreach(ShopOrdersState.orders, _order),
            direction="column",
            spacing="3",
            margin_top="1em",
            id="shop-orders",
        ),
    )


# ----------------------------------------------------------------------------------- one order page


def _certificate() -> rx.Component:
    S = ShopOrderState
    return rx.card(
        rx.flex(
            rx.box(
                rx.text(S.title, as_="p", weight="bold", size="4"),
                _fact(i18n.label("ui.common.kategoriia"), S.category),
                _fact(i18n.label("ui.common.status_2"), S.status, id="order-status"),
                _fact(i18n.label("ui.shop.stoimost"), S.points),
                _fact(i18n.label("ui.common.oformlen"), S.ordered),
                rx.cond(S.until != "", _fact(S.until_label, S.until, id="order-until")),
                _fact(i18n.label("ui.shop.data_spektaklia"), S.performance),
                _fact(i18n.label("ui.shop.punkt_vydachi"), S.pickup),
                _fact(i18n.label("ui.shop.v_podarok"), S.gift_to, id="order-gift-to"),
                rx.cond(S.pair, rx.text(i18n.label("ui.shop.na_dvoikh"), size="2", as_="p")),
                rx.cond(
                    S.parking != "",
                    rx.text(
                        S.parking + i18n.message("ui.shop.parkovochnykh_ballov_zachisleny_na_schet_2"),
                        as_="p",
                    ),
                ),
                rx.cond(
                    S.code != "",
                    rx.box(
                        rx.text(i18n.label("ui.shop.kod_sertifikata_2"), size="2", as_="p", margin_top="1em"),
                        rx.text(
                            S.code,
                            as_="p",
                            size="8",
                            weight="bold",
                            font_family="monospace",
                            letter_spacing="0.08em",
                            id="certificate-code",
                        ),
                        rx.text(
                            i18n.message("ui.shop.pred_iavite_kod_ili_qr"),
                            size="2",
                            as_="p",
                            color_scheme="gray",
                        ),
                    ),
                ),
                flex="1",
                min_width="240px",
            ),
            rx.cond(
                S.qr != "",
                rx.image(
                    src=S.qr,
                    alt=i18n.label("ui.shop.qr_kod_sertifikata") + S.code,
                    width="220px",
                    height="220px",
                    id="certificate-qr",
                ),
            ),
            spacing="5",
            wrap="wrap",
            align="start",
        ),
        width="100%",
    )


def order_page() -> rx.Component:
    S = ShopOrderState
    return page_layout(
        rx.cond(S.found, i18n.label("ui.shop.zakaz") + S.number, i18n.label("ui.shop.zakaz_2")),
        rx.link(i18n.label("ui.shop.istoriia_zakazov"), href="/shop/orders", id="order-back"),
        feedback(S.error, S.notice),
        rx.cond(S.found, rx.box(_certificate(), margin_top="1em")),
        rx.cond(~S.loaded, rx.text(i18n.label("ui.poll.zagruzka"), as_="p")),
    )


PAGES = [
    (
        "/shop",
        shop_page,
        i18n.label("ui.common.magazin_pooshchrenii"),
        [SessionState.refresh, ShopState.load],
    ),
    (
        "/shop/orders",
        orders_page,
        i18n.label("ui.common.istoriia_zakazov"),
        [SessionState.refresh, ShopOrdersState.load],
    ),
    (
        "/shop/orders/[number]",
        order_page,
        i18n.label("ui.shop.zakaz_2"),
        [SessionState.refresh, ShopOrderState.load],
    ),
]
