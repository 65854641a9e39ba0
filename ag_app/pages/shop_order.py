"""The order dialog of the rewards shop: the order form (quantity, pickup point, parking number) and its result."""

import reflex as rx

from ag_app import i18n
from ag_app.components.common import field, native_select
from ag_app.domain.shop import GIFT_NAME_LIMIT
from ag_app.state.shop import ShopState


def _order_form() -> rx.Component:
    return rx.form(
        rx.cond(
            ShopState.order_fulfilment == "pickup",
            field(
                i18n.message("ui.shop.punkt_vydachi_obiazatel_no"),
                native_select(
                    "order-pickup",
                    ShopState.pickup_points,
                    placeholder=i18n.label("shop.pickup_required"),
                    name="pickup",
                    required=True,
                ),
                "order-pickup",
                hint=i18n.message("ui.shop.zakaz_broniruetsia_na_14_dnei"),
            ),
        ),
        rx.cond(
            (ShopState.order_fulfilment == "certificate") | (ShopState.order_fulfilment == "theatre"),
            field(
                i18n.message("ui.shop.v_podarok_imia_poluchatelia"),
                rx.input(
                    id="order-gift",
                    name="gift_to",
                    max_length=GIFT_NAME_LIMIT,
                    width="100%",
                    size="3",
                    auto_complete="off",
                ),
                "order-gift",
                hint=i18n.message("ui.shop.neobiazatel_no_sertifikatom_mozhet_vospol"),
            ),
        ),
        rx.cond(
            ShopState.order_error != "",
            rx.callout(
                ShopState.order_error,
                icon="triangle_alert",
                color_scheme="red",
                role="alert",
                margin_top="0.8em",
                id="order-error",
            ),
        ),
        rx.flex(
            rx.button(
                i18n.label("ui.common.otmena"),
                type="button",
                variant="soft",
                color_scheme="gray",
                on_click=ShopState.close_order,
            ),
            rx.button(i18n.label("ui.shop.podtverdit_zakaz"), type="submit", id="order-confirm"),
            spacing="3",
            justify="end",
            margin_top="1em",
        ),
        on_submit=ShopState.place,
        reset_on_submit=False,
    )


def _order_result() -> rx.Component:
    return rx.box(
        rx.callout(
            i18n.label("ui.shop.zakaz") + ShopState.order_number + i18n.message("ui.shop.oformlen"),
            icon="circle_check",
            color_scheme="green",
            role="status",
            id="order-number",
        ),
        rx.text(ShopState.order_next, as_="p", margin_top="0.8em", id="order-next"),
        rx.flex(
            rx.cond(
                ShopState.order_has_page,
                rx.link(
                    i18n.label("ui.shop.otkryt_sertifikat"),
                    href="/shop/orders/" + ShopState.order_number,
                    id="order-certificate-link",
                ),
            ),
            rx.link(i18n.label("ui.common.istoriia_zakazov"), href="/shop/orders", id="order-history-link"),
            spacing="4",
            margin_top="0.8em",
        ),
        rx.flex(
            rx.button(i18n.label("ui.shop.zakryt_2"), on_click=ShopState.close_order, id="order-close"),
            justify="end",
            margin_top="1em",
        ),
    )


def order_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(i18n.label("ui.shop.zakaz_3") + ShopState.order_title),
            rx.dialog.description(
                rx.cond(
                    ShopState.order_number == "",
                    i18n.label("ui.shop.stoimost_2") + ShopState.order_price + ".",
                    i18n.message("ui.shop.nomer_zakaza_i_chto_dal"),
                )
            ),
            rx.box(
                rx.cond(ShopState.order_number == "", _order_form(), _order_result()),
                margin_top="1em",
            ),
            max_width="520px",
            id="order-dialog",
        ),
        open=ShopState.dialog_open,
        on_open_change=ShopState.dialog_changed,
    )
