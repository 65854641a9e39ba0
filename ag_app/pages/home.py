"""Home page: headline figures, open city-wide polls, published results."""

import reflex as rx

from ag_app.components.common import empty, feedback, section
from ag_app.components.layout import page_layout
from ag_app.components.news import news_item
from ag_app.components.polls import poll_grid
from ag_app.i18n import label, message
from ag_app.state.base import SessionState
from ag_app.state.home import HomeState as S


def _figure(row: rx.Var) -> rx.Component:
    return rx.card(
        rx.text(row["value"], size="7", weight="bold", as_="p", id=row["id"]),
        rx.text(
            row["caption"],
            size=rx.breakpoints(initial="1", sm="2"),
            color_scheme="gray",
            as_="p",
            style={"hyphens": "auto"},
        ),
        width="100%",
    )


def index() -> rx.Component:
    return page_layout(
        label("ui.home.aktivnyi_grazhdanin"),
        rx.text(
            message("ui.home.golosuite_po_voprosam_razvitiia_goroda"),
            as_="p",
            size="4",
        ),
        feedback(S.error, S.notice),
        rx.el.section(
            rx.heading(
                label("ui.home.proekt_v_tsifrakh"), as_="h2", size="5", class_name="ag-visually-hidden"
            ),
            rx.grid(
                rx.foreach(S.figures, _figure),
                columns=rx.breakpoints(initial="2", md="4"),
                spacing="3",
                width="100%",
            ),
            margin_top="1.2em",
            id="headline",
        ),
        section(
            label("ui.home.otkrytye_gorodskie_golosovaniia"),
            rx.cond(
                S.loaded & (S.polls.length() == 0),
                empty(message("ui.home.seichas_net_otkrytykh_gorodskikh_golosovanii")),
            ),
            poll_grid(S.polls, "h3"),
            rx.link(
                label("ui.home.vse_golosovaniia"), href="/polls", margin_top="0.8em", display="inline-block"
            ),
            id="home-polls",
        ),
        section(
            label("ui.home.itogi_golosovanii"),
            rx.cond(
                S.loaded & (S.results.length() == 0), empty(message("ui.home.itogi_poka_ne_opublikovany"))
            ),
            rx.flex(rx.foreach(S.results, lambda row: news_item(row, "h3")), direction="column", spacing="3"),
            rx.link(label("ui.home.vse_novosti"), href="/news", margin_top="0.8em", display="inline-block"),
            id="home-results",
        ),
    )


PAGES = [("/", index, label("ui.home.glavnaia"), [SessionState.refresh, S.load])]
