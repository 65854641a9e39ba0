"""«Мои баллы»: balance, status, badges, ledger, promo code, invitations."""

import reflex as rx

from ag_app.components.common import empty, feedback, field, pager, section, submit, table_region, text_input
from ag_app.components.layout import page_layout
from ag_app.i18n import label, message
from ag_app.state.base import SessionState
from ag_app.state.points import PointsState as S


def _feedback(key: str) -> rx.Component:
    return rx.cond(S.feedback_for == key, feedback(S.error, S.notice))


def _figure(value: rx.Var, caption: str, id_: str) -> rx.Component:
    return rx.card(
        rx.text(value, size="7", weight="bold", as_="p", id=id_),
        rx.text(caption, size="2", color_scheme="gray", as_="p"),
        width="100%",
    )


def _balance() -> rx.Component:
    return rx.box(
        rx.grid(
            _figure(S.available, label("ui.common.dostupno_ballov"), "points-available"),
            _figure(S.blocked, message("ui.common.zablokirovano_zakazy_v_obrabotke"), "points-blocked"),
            _figure(S.lifetime, label("ui.points.nachisleno_za_vse_vremia"), "points-lifetime"),
            columns=rx.breakpoints(initial="1", sm="3"),
            spacing="3",
            width="100%",
        ),
        rx.callout(
            S.status_text,
            icon=rx.cond(S.is_active_citizen, "award", "info"),
            color_scheme=rx.cond(S.is_active_citizen, "green", "gray"),
            margin_top="1em",
            id="points-status",
        ),
        rx.flex(
            rx.link(label("ui.common.magazin_pooshchrenii"), href="/shop", id="points-shop-link"),
            rx.link(label("ui.common.istoriia_zakazov"), href="/shop/orders", id="points-orders-link"),
            spacing="4",
            wrap="wrap",
            margin_top="0.8em",
        ),
    )


def _badges() -> rx.Component:
    return section(
        label("ui.points.znaki_aktivnosti"),
        rx.text(
            message("ui.points.znak_prisvaivaetsia_v_nachale_mesiatsa"),
            size="2",
            color_scheme="gray",
            as_="p",
        ),
        rx.cond(
            S.badges.length() > 0,
            rx.flex(
                rx.foreach(S.badges, lambda b: rx.badge(b, size="2", color_scheme="amber")),
                spacing="2",
                wrap="wrap",
                margin_top="0.5em",
                id="badges",
            ),
            empty(message("ui.points.znakov_poka_net")),
        ),
    )


def _entry(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["date"], white_space="nowrap"),
        rx.table.cell(row["description"]),
        rx.table.cell(
            rx.text(
                row["amount"], weight="bold", color_scheme=rx.cond(row["sign"] == "plus", "green", "red")
            ),
            text_align="right",
            white_space="nowrap",
        ),
    )


def _ledger() -> rx.Component:
    return section(
        label("ui.points.istoriia_nachislenii_i_spisanii"),
        rx.cond(
            S.entries.length() > 0,
            rx.box(
                table_region(
                    rx.table.root(
                        rx.table.header(
                            rx.table.row(
                                rx.table.column_header_cell(label("ui.points.data")),
                                rx.table.column_header_cell(label("ui.points.operatsiia")),
                                rx.table.column_header_cell(label("ui.common.bally"), text_align="right"),
                            )
                        ),
                        rx.table.body(rx.foreach(S.entries, _entry)),
                        width="100%",
                        id="ledger",
                    ),
                    label("ui.points.istoriia_nachislenii_i_spisanii"),
                ),
                pager(S.page, S.pages, S.prev_page, S.next_page, "ledger"),
            ),
            empty(message("ui.points.operatsii_poka_net")),
        ),
    )


def _promo() -> rx.Component:
    return section(
        label("ui.points.promokod"),
        rx.form(
            rx.flex(
                field(
                    label("ui.points.promokod"),
                    text_input("promo", auto_complete="off", max_length=40),
                    "promo",
                ),
                submit(label("ui.points.primenit"), "redeem-promo"),
                spacing="3",
                align="end",
                wrap="wrap",
            ),
            _feedback("promo"),
            on_submit=S.redeem,
            reset_on_submit=False,
            max_width="560px",
        ),
    )


def _invitation(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["phone"], white_space="nowrap"),
        rx.table.cell(row["sent"]),
        rx.table.cell(row["expires"]),
        rx.table.cell(row["state"]),
    )


def _invite() -> rx.Component:
    return section(
        label("ui.points.priglasit_druga"),
        rx.text(
            message("ui.points.za_kazhdogo_druga_kotoryi_zaregistriruetsia"),
            size="2",
            as_="p",
        ),
        rx.flex(
            field(
                label("ui.points.vasha_ssylka_dlia_priglasheniia"),
                rx.input(value=S.referral_link, read_only=True, id="referral-link", width="100%", size="3"),
                "referral-link",
            ),
            rx.button(
                label("ui.points.skopirovat"),
                on_click=S.copy_link,
                variant="soft",
                size="3",
                id="copy-referral",
            ),
            spacing="3",
            align="end",
            wrap="wrap",
            margin_y="0.8em",
        ),
        rx.form(
            rx.flex(
                field(
                    label("ui.points.telefon_druga"),
                    text_input(
                        "friend_phone", type="tel", placeholder="+7 9XX XXX-XX-XX", auto_complete="off"
                    ),
                    "friend_phone",
                ),
                submit(label("ui.common.priglasit"), "invite"),
                spacing="3",
                align="end",
                wrap="wrap",
            ),
            _feedback("invite"),
            on_submit=S.invite,
            reset_on_submit=False,
            max_width="560px",
        ),
        rx.heading(label("ui.points.moi_priglasheniia"), as_="h3", size="3", margin_top="1.2em"),
        rx.cond(
            S.invitations.length() > 0,
            table_region(
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            rx.table.column_header_cell(label("ui.common.telefon")),
                            rx.table.column_header_cell(label("ui.points.otpravleno")),
                            rx.table.column_header_cell(label("ui.shop.deistvuet_do")),
                            rx.table.column_header_cell(label("ui.common.sostoianie")),
                        )
                    ),
                    rx.table.body(rx.foreach(S.invitations, _invitation)),
                    width="100%",
                    id="invitations",
                ),
                label("ui.points.moi_priglasheniia"),
            ),
            empty(message("ui.points.vy_eshche_nikogo_ne_priglasili")),
        ),
    )


def points_page() -> rx.Component:
    return page_layout(
        label("menu.points"),
        _feedback("page"),
        rx.cond(
            S.loaded,
            rx.box(_balance(), _badges(), _ledger(), _promo(), _invite()),
            rx.text(label("ui.poll.zagruzka"), as_="p"),
        ),
    )


PAGES = [("/points", points_page, label("menu.points"), [SessionState.refresh, S.load])]
