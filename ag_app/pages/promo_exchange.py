"""«Обменять баллы»: the campaign's partner catalogue in prize points and «Мои обмены» (rendering only)."""

import reflex as rx

from ag_app.components.common import (
    CELL,
    empty,
    feedback,
    scroll_table,
    section,
    stat,
)
from ag_app.components.layout import page_layout
from ag_app.i18n import label, message
from ag_app.pages.promo import NOWRAP, scroll_cue
from ag_app.state.base import SessionState
from ag_app.state.promo_exchange import PromoExchangeState


def _exchange_facts() -> rx.Component:
    E = PromoExchangeState
    return rx.box(
        rx.text(
            label("ui.promo_exchange.prizovye_bally_aktsii"),
            rx.text.strong(E.title),
            label("ui.promo_exchange.1_ball_1_otdel_nyi"),
            E.period,
            label("ui.promo_exchange.pooshchreniia_ispol_zuiutsia_do"),
            E.use_until,
            message("ui.promo_exchange.vremia_moskovskoe"),
            as_="p",
            id="exchange-period",
        ),
        rx.cond(
            E.logged_in,
            rx.grid(
                stat(E.balance, label("ui.promo_exchange.prizovye_bally_na_schete"), "exchange-balance"),
                rx.cond(
                    E.discount != "",
                    stat(
                        E.discount,
                        message("ui.promo_exchange.skidka_v_kategorii_odin_raz"),
                        "exchange-discount",
                    ),
                ),
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="3",
                margin_y="0.8em",
            ),
            rx.callout(
                rx.text(
                    message("ui.promo_exchange.voidite_chtoby_obmeniat_prizovye_bally"),
                    rx.link(label("ui.contest.voiti"), href="/login", id="exchange-login"),
                ),
                icon="info",
                color_scheme="gray",
                id="exchange-guest",
                margin_y="0.8em",
            ),
        ),
        rx.cond(
            E.discount_categories != "",
            rx.text(
                label("ui.promo_exchange.skidka_deistvuet_na_pooshchreniia_kategorii"),
                E.discount_categories,
                as_="p",
                id="exchange-gift-categories",
            ),
        ),
        rx.cond(
            E.discount_needs_activation,
            rx.callout(
                rx.text(
                    label("ui.promo_exchange.chtoby_vospol_zovat_sia_skidkoi"),
                    rx.link(message("ui.promo_exchange.aktsiia"), href="/promo"),
                    message("ui.promo_exchange.eshche_raz"),
                ),
                icon="info",
                color_scheme="amber",
                id="exchange-activate-again",
            ),
        ),
        rx.cond(
            E.problem != "",
            rx.callout(E.problem, icon="info", color_scheme="gray", id="exchange-problem", margin_y="0.6em"),
        ),
    )


def _exchange_filter() -> rx.Component:
    E = PromoExchangeState
    return rx.cond(
        E.discount_categories != "",
        rx.el.nav(
            rx.flex(
                rx.button(
                    label("ui.promo_exchange.vse_pooshchreniia"),
                    on_click=E.show_gifts(False),
                    variant=rx.cond(E.gifts_only, "soft", "solid"),
                    aria_pressed=rx.cond(E.gifts_only, "false", "true"),
                    id="exchange-all",
                ),
                rx.button(
                    label("ui.promo_exchange.podarki_po_skidke"),
                    on_click=E.show_gifts(True),
                    variant=rx.cond(E.gifts_only, "solid", "soft"),
                    aria_pressed=rx.cond(E.gifts_only, "true", "false"),
                    id="exchange-gifts",
                ),
                spacing="2",
                wrap="wrap",
            ),
            aria_label=label("ui.promo_exchange.kakie_pooshchreniia_pokazat"),
            margin_y="0.6em",
        ),
    )


def _exchange_confirm(row: rx.Var) -> rx.Component:
    E = PromoExchangeState
    return rx.flex(
        rx.text(
            label("ui.promo_exchange.obmeniat_na"),
            E.chosen_title,
            label("ui.promo_exchange.za"),
            E.chosen_pay,
            "?",
            as_="p",
            weight="medium",
        ),
        rx.flex(
            rx.button(
                label("ui.promo_exchange.podtverdit_obmen"),
                on_click=E.confirm,
                id="exchange-confirm-" + row["id"],
            ),
            rx.button(
                label("ui.common.otmena"), on_click=E.cancel_choice, variant="soft", color_scheme="gray"
            ),
            spacing="2",
            wrap="wrap",
        ),
        direction="column",
        spacing="2",
        role="group",
        aria_label=label("ui.promo_exchange.podtverzhdenie_obmena"),
    )


def _exchange_item(row: rx.Var) -> rx.Component:
    E = PromoExchangeState
    problem_id = "exchange-problem-" + row["id"]
    return rx.card(
        rx.flex(
            rx.text(row["category"], size="1", color_scheme="gray", as_="p"),
            rx.heading(row["title"], as_="h3", size="3"),
            rx.cond(
                row["discount"] != "",
                rx.box(
                    rx.text(label("ui.promo_exchange.tsena"), rx.el.s(row["price"]), as_="p", size="2"),
                    rx.text(label("ui.promo_exchange.skidka_pokryvaet"), row["discount"], as_="p", size="2"),
                    rx.text(
                        label("ui.promo_exchange.k_oplate"), row["pay"], as_="p", weight="bold", size="4"
                    ),
                ),
                rx.text(row["pay"], as_="p", weight="bold", size="4"),
            ),
            rx.text(row["stock"], size="2", as_="p", color_scheme="gray"),
            rx.cond(row["validity"] != "", rx.text(row["validity"], size="2", as_="p", color_scheme="gray")),
            rx.cond(row["description"] != "", rx.text(row["description"], size="2", as_="p")),
            rx.spacer(),
            rx.cond(
                E.chosen == row["id"],
                _exchange_confirm(row),
                rx.cond(
                    row["can_order"] == "1",
                    rx.button(
                        label("ui.promo_exchange.obmeniat"),
                        on_click=E.choose(row["id"]),
                        id="exchange-" + row["id"],
                        aria_label=label("ui.promo_exchange.obmeniat_bally_na") + row["title"],
                        width="100%",
                    ),
                    rx.flex(
                        rx.text(row["problem"], size="2", as_="p", id=problem_id),
                        rx.button(
                            label("ui.promo_exchange.obmeniat"),
                            disabled=True,
                            id="exchange-" + row["id"],
                            aria_describedby=problem_id,
                            width="100%",
                        ),
                        direction="column",
                        spacing="2",
                    ),
                ),
            ),
            direction="column",
            spacing="2",
            height="100%",
        ),
        id="exchange-item-" + row["id"],
    )


def _exchange_order(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["number"], style=NOWRAP),
        rx.el.td(row["title"], rx.text(row["category"], size="1", color_scheme="gray"), style=CELL),
        rx.el.td(
            row["points"],
            rx.cond(
                row["discount"] != "", rx.text(label("ui.promo_exchange.skidka"), row["discount"], size="1")
            ),
            style=NOWRAP,
        ),
        rx.el.td(row["status"], style=CELL),
        rx.el.td(
            rx.cond(
                row["code"] != "",
                rx.code(
                    row["code"], color_scheme="gray", high_contrast=True, style={"wordBreak": "break-all"}
                ),
            ),
            rx.cond(
                row["parking"] != "", rx.text(row["parking"], label("ui.promo_exchange.parkovochnykh_ballov"))
            ),
            style=CELL,
        ),
        rx.el.td(row["until"], style=CELL),
        rx.el.td(row["ordered"], style=CELL),
        id="exchange-order-" + row["id"],
    )


def exchange_page() -> rx.Component:
    E = PromoExchangeState
    return page_layout(
        label("ui.common.obmeniat_bally"),
        rx.link(label("ui.promo_exchange.aktsiia_2"), href="/promo", id="exchange-back"),
        feedback(E.error, E.notice),
        rx.cond(
            E.loaded,
            rx.cond(
                E.has_campaign,
                rx.box(
                    _exchange_facts(),
                    section(
                        label("ui.promo_exchange.katalog_partnerov"),
                        _exchange_filter(),
                        rx.cond(
                            E.items.length() > 0,
                            rx.grid(
                                rx.foreach(E.items, _exchange_item),
                                columns=rx.breakpoints(initial="1", sm="2", md="3"),
                                spacing="3",
                            ),
                            empty(message("ui.promo_exchange.v_kataloge_partnerov_poka_net")),
                        ),
                        id="exchange-catalogue",
                    ),
                    rx.cond(
                        E.logged_in,
                        section(
                            label("ui.promo_exchange.moi_obmeny"),
                            rx.cond(
                                E.orders.length() > 0,
                                rx.box(
                                    scroll_cue(),
                                    scroll_table(
                                        label("ui.promo_exchange.moi_obmeny_prizovykh_ballov"),
                                        [
                                            label("ui.promo_exchange.zakaza"),
                                            label("ui.promo_exchange.pooshchrenie"),
                                            label("ui.promo_exchange.spisano"),
                                            label("ui.common.status_2"),
                                            label("ui.promo_exchange.kod"),
                                            label("ui.shop.deistvuet_do"),
                                            label("ui.common.oformlen"),
                                        ],
                                        E.orders,
                                        _exchange_order,
                                        id_="exchange-orders",
                                    ),
                                ),
                                empty(message("ui.promo_exchange.obmenov_poka_net")),
                            ),
                        ),
                    ),
                ),
                empty(message("promo.page_no_campaign")),
            ),
        ),
    )


PAGES = [
    (
        "/promo/exchange",
        exchange_page,
        label("ui.common.obmeniat_bally"),
        [SessionState.refresh, PromoExchangeState.load],
    ),
]
