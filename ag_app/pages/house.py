"""«Электронный дом» → «Мой дом» (``/house``): the user's houses, confirmed premises and the link form.

Each house is a card of its own (``#house-<id>``): the place where the house's polls, meetings and
votes are listed as those features arrive.
"""

import reflex as rx

from ag_app import i18n
from ag_app.components.common import (
    card,
    empty,
    feedback,
    field,
    section,
    static_select,
    submit,
    table_region,
    text_input,
)
from ag_app.components.layout import page_layout
from ag_app.state.base import SessionState
from ag_app.state.house import METHOD_OPTIONS, HouseState

S = HouseState


def _holding_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row.premise),
        rx.table.cell(row.kind),
        rx.table.cell(row.area),
        rx.table.cell(row.share),
        rx.table.cell(row.role),
        rx.table.cell(row.method),
        rx.table.cell(
            rx.button(
                i18n.label("ui.house.otmenit_podtverzhdenie"),
                on_click=S.unlink(row.holder_id),
                variant="soft",
                color_scheme="gray",
                size="1",
                aria_label=i18n.label("ui.house.otmenit_podtverzhdenie_2") + row.premise,
            )
        ),
        class_name="holding",
    )


def _house(house: rx.Var) -> rx.Component:
    return card(
        rx.heading(house.address, as_="h3", size="4"),
        rx.text(house.place, size="2", color_scheme="gray", as_="p"),
        rx.cond(house.from_profile != "", rx.text(house.from_profile, size="2", as_="p")),
        rx.cond(
            house.holdings.length() > 0,
            table_region(
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            *[
                                rx.table.column_header_cell(title)
                                for title in (
                                    i18n.label("ui.house.pomeshchenie_2"),
                                    i18n.label("ui.house.vid"),
                                    i18n.label("ui.house.ploshchad"),
                                    i18n.label("ui.common.dolia"),
                                    i18n.label("ui.common.rol"),
                                    i18n.label("ui.house.podtverzhdeno_po"),
                                    "",
                                )
                            ]
                        )
                    ),
                    rx.table.body(rx.foreach(house.holdings, _holding_row)),
                    size="1",
                    width="100%",
                ),
                i18n.label("ui.house.podtverzhdennye_pomeshcheniya") + house.address,
            ),
            rx.text(
                i18n.message("ui.house.pomeshcheniia_v_etom_dome_ne"),
                size="2",
                color_scheme="gray",
                as_="p",
            ),
        ),
        id="house-" + house.house_id.to_string(),
        class_name="my-house",
        margin_top="0.8em",
    )


def _link_form() -> rx.Component:
    return section(
        i18n.label("ui.house.podtverdit_pomeshchenie"),
        rx.text(
            i18n.message("ui.house.sobstvenniki_i_nanimateli_podtverzhdaiut_pomeshc"),
            size="2",
            as_="p",
        ),
        rx.cond(
            S.identity_verified,
            rx.form(
                rx.flex(
                    field(
                        i18n.label("ui.house.chto_vy_vvodite"),
                        static_select(
                            "premise_method",
                            METHOD_OPTIONS,
                            value=S.method,
                            on_change=S.set_method,
                        ),
                        "premise_method",
                    ),
                    field(
                        rx.cond(
                            S.method == "account_number",
                            i18n.label("ui.house.fls"),
                            i18n.label("ui.house.nomer_registratsii_prava"),
                        ),
                        text_input("premise_number", auto_complete="off", required=True),
                        "premise_number",
                    ),
                    submit(i18n.label("ui.house.podtverdit_pomeshchenie"), "link-premise"),
                    direction="column",
                    spacing="3",
                    align="start",
                    max_width="32em",
                ),
                on_submit=S.link,
                reset_on_submit=False,
                key=S.version.to_string() + "-link",
            ),
            rx.callout(
                rx.text(
                    i18n.message("ui.house.podtverdit_pomeshchenie_mozhno_tol_ko"),
                    rx.link(i18n.label("ui.house.podtverdite_pasport_i_snils_v"), href="/profile"),
                    ".",
                ),
                icon="info",
                id="level-required",
            ),
        ),
    )


# The parts of «Электронный дом», each a page of its own.
_SECTIONS = (
    (i18n.label("ui.house.oprosy_i_informirovanie"), "/house/polls", "house-nav-polls"),
    (i18n.label("ui.common.sobraniia_sobstvennikov"), "/house/meetings", "house-nav-meetings"),
    (i18n.label("ui.common.golosovanie_po_domu"), "/house/renovation", "house-nav-renovation"),
    (i18n.label("ui.house.itogi_golosovaniia_po_adresu"), "/renovation", "house-nav-lookup"),
)


def _sections() -> rx.Component:
    return rx.el.nav(
        rx.flex(
            *(rx.link(label, href=href, id=id_, weight="medium") for label, href, id_ in _SECTIONS),
            spacing="4",
            wrap="wrap",
        ),
        aria_label=i18n.message("ui.house.razdely_elektronnogo_doma"),
        margin_bottom="1em",
    )


def house_page() -> rx.Component:
    """``/house``."""
    return page_layout(
        i18n.label("ui.house.elektronnyi_dom_moi_dom"),
        _sections(),
        feedback(S.error, S.notice),
        rx.cond(
            S.loaded,
            rx.cond(
                S.logged_in,
                rx.fragment(
                    rx.text(
                        i18n.message("ui.house.zdes_vashi_doma_podtverzhdennye_pomeshcheniia"),
                        as_="p",
                    ),
                    _link_form(),
                    section(
                        i18n.label("ui.house.moi_doma"),
                        rx.cond(
                            S.houses.length() > 0,
                            rx.box(rx.foreach(S.houses, _house), id="my-houses"),
                            empty(i18n.message("ui.house.poka_net_ni_odnogo_doma")),
                        ),
                    ),
                ),
                rx.callout(
                    rx.text(
                        i18n.message("ui.house.elektronnyi_dom_oprosy_sobraniia_sobstvennikov"),
                        rx.link(i18n.label("ui.poll.voidite"), href="/login"),
                        i18n.message("ui.house.chtoby_uvidet_svoi_dom"),
                    ),
                    icon="log_in",
                    id="house-login",
                ),
            ),
            rx.text(i18n.label("ui.poll.zagruzka"), color_scheme="gray"),
        ),
    )


PAGES = [
    ("/house", house_page, i18n.label("ui.house.elektronnyi_dom_moi_dom"), [SessionState.refresh, S.load])
]
