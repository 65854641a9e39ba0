"""``/staff/shop/desk`` «Выдача заказов» (moderators and staff): find a souvenir order, issue or cancel it."""

import reflex as rx

from ag_app.components.common import FORBIDDEN, feedback, field, panel, text_input
from ag_app.components.layout import page_layout
from ag_app.i18n import label, message
from ag_app.state.staff_shop import StaffDeskState as D


def _fact(term: str, value: rx.Var, id_: str) -> rx.Component:
    return rx.fragment(
        rx.el.dt(term, style={"fontWeight": "600"}),
        rx.el.dd(value, id=id_, style={"margin": "0 0 0.5em 0"}),
    )


def _desk_order() -> rx.Component:
    o = D.order
    return rx.cond(
        o.contains("number"),
        panel(
            label("ui.shop.zakaz") + o["number"],
            rx.el.dl(
                _fact(label("ui.promo_exchange.pooshchrenie"), o["item"], "desk-item"),
                _fact(label("ui.common.status_2"), o["status"], "desk-status"),
                _fact(label("ui.shop.punkt_vydachi"), o["pickup"], "desk-pickup"),
                _fact(message("ui.desk.zabronirovan_do_vremya_moskovskoe"), o["until"], "desk-until"),
                _fact(label("ui.common.oformitel"), o["orderer"], "desk-orderer"),
                _fact(label("ui.shop.stoimost"), o["points"], "desk-points"),
            ),
            rx.cond(
                o["issued"] == "1",
                rx.button(
                    message("ui.desk.skachat_akt_priema_peredachi_pdf"),
                    on_click=D.download_act,
                    id="desk-act",
                    type="button",
                    variant="outline",
                    margin_bottom="0.8em",
                ),
            ),
            rx.cond(
                D.pending == "",
                rx.flex(
                    rx.button(
                        message("ui.desk.vydat_akt_priema_peredachi"),
                        on_click=D.ask("issue"),
                        id="desk-issue",
                        type="button",
                    ),
                    rx.button(
                        label("ui.desk.otkaz_pri_primerke_otmenit_zakaz"),
                        on_click=D.ask("refuse"),
                        id="desk-refuse",
                        type="button",
                        variant="soft",
                        color_scheme="gray",
                    ),
                    spacing="3",
                    wrap="wrap",
                ),
                rx.box(
                    rx.text(
                        rx.cond(
                            D.pending == "issue",
                            label("ui.desk.vydat_zakaz")
                            + o["number"]
                            + message("ui.desk.posle_vydachi_otmena_i_vozvrat"),
                            label("ui.shop.otmenit_zakaz")
                            + o["number"]
                            + message("ui.desk.bally_vernutsya_oformitelyu_tovar_na"),
                        ),
                        as_="p",
                        weight="medium",
                        margin_bottom="0.6em",
                    ),
                    rx.flex(
                        rx.button(
                            rx.cond(
                                D.pending == "issue",
                                label("ui.desk.da_vydat"),
                                label("ui.desk.da_otmenit_zakaz"),
                            ),
                            on_click=D.confirm,
                            id="desk-confirm-yes",
                            type="button",
                        ),
                        rx.button(
                            label("ui.desk.net_vernutsya"),
                            on_click=D.cancel_confirm,
                            id="desk-confirm-no",
                            type="button",
                            variant="soft",
                            color_scheme="gray",
                        ),
                        spacing="3",
                    ),
                    id="desk-confirm",
                    role="group",
                    aria_label=label("ui.desk.podtverzhdenie"),
                    padding="0.8em",
                    border="1px solid var(--gray-7)",
                    border_radius="var(--radius-3)",
                ),
            ),
            id="desk-order",
        ),
    )


def desk_page() -> rx.Component:
    """``/staff/shop/desk``."""
    return page_layout(
        label("menu.staff_shop_desk"),
        rx.cond(
            D.loaded,
            rx.cond(
                D.allowed,
                rx.box(
                    rx.text(
                        message("ui.desk.naydite_suvenir_po_nomeru_zakaza"),
                        as_="p",
                        size="2",
                        margin_bottom="0.8em",
                    ),
                    rx.form(
                        rx.flex(
                            field(
                                label("ui.desk.nomer_zakaza"),
                                text_input("desk-number", name="number", max_length=40),
                                "desk-number",
                            ),
                            field(
                                label("ui.desk.fio_oformitelya"),
                                text_input("desk-name", name="full_name", max_length=300),
                                "desk-name",
                                message("ui.desk.familiya_imya_i_otchestvo_kak"),
                            ),
                            rx.button(label("ui.desk.nayti_zakaz"), type="submit", id="desk-find"),
                            direction="column",
                            spacing="3",
                            align="start",
                            max_width="32em",
                        ),
                        on_submit=D.find,
                        reset_on_submit=False,
                        aria_label=label("ui.desk.poisk_zakaza"),
                    ),
                    feedback(D.error, D.notice, id_="desk-feedback"),
                    _desk_order(),
                ),
                rx.callout(
                    FORBIDDEN + message("ui.desk.vydacha_zakazov_dostupna_moderatoram_i"),
                    icon="lock",
                    color_scheme="red",
                    id="forbidden",
                ),
            ),
            rx.text(label("ui.poll.zagruzka"), color_scheme="gray"),
        ),
    )
