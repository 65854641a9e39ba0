"""The statistics panel: selectors, Plotly charts, their table alternatives and CSV links."""

import plotly.graph_objects as go
import reflex as rx

from ag_app import i18n
from ag_app.components.common import NATIVE_SELECT_STYLE, label, table_region
from ag_app.state.stats import CHOICES, NOTE
from ag_app.state.stats import StatsState as S

CELL = {"padding": "0.3em 0.6em", "borderBottom": "1px solid var(--gray-6)", "textAlign": "right"}
CELL_HEAD = {**CELL, "textAlign": "left", "fontWeight": "600"}
# Dark blue on white (contrast above 9:1) in every link state.
LINK = {
    "color": "#0b3d6e",
    "textDecoration": "underline",
    "display": "inline-flex",
    "gap": "0.3em",
    "alignItems": "center",
    "marginTop": "0.4em",
    "&:hover, &:focus, &:active, &:visited": {"color": "#0b3d6e"},
}


def data_table(caption: rx.Var | str, header: rx.Var, rows: rx.Var, id_: str) -> rx.Component:
    """An accessible table (caption, column headers, row headers) that scrolls sideways with a cue.

    Every row of ``rows`` is shown: the table is the full alternative of its chart, which may show
    only the largest categories.
    """
    return table_region(
        rx.el.table(
            rx.el.caption(caption, style={"textAlign": "left", "fontWeight": "600", "padding": "0.4em 0"}),
            rx.el.thead(rx.el.tr(rx.foreach(header, lambda h: rx.el.th(h, scope="col", style=CELL_HEAD)))),
            rx.el.tbody(
                rx.foreach(
                    rows,
                    lambda row: rx.el.tr(
                        rx.el.th(row[0], scope="row", style=CELL_HEAD),
                        rx.foreach(row[1:], lambda cell: rx.el.td(cell, style=CELL)),
                    ),
                )
            ),
            id=id_,
            style={"borderCollapse": "collapse", "fontSize": "0.9em", "minWidth": "100%"},
        ),
        caption,
    )


def chart(figure: rx.Var, description: str, id_: str) -> rx.Component:
    """A Plotly chart in a ``figure`` whose caption points to the table with the same numbers.

    ``figure`` is None until the page's handler has built it (small default state); the chart is
    drawn once it is there.
    """
    return rx.el.figure(
        rx.cond(
            figure,
            rx.plotly(
                data=figure.to(go.Figure),
                locale="ru",
                config={"displaylogo": False, "responsive": True},
                width="100%",
            ),
        ),
        rx.el.figcaption(description, style={"fontSize": "0.85em", "color": "var(--gray-11)"}),
        id=id_,
        style={"margin": "0.8em 0 0", "width": "100%"},
    )


def csv_link(href: rx.Var, text: str, id_: str) -> rx.Component:
    """«Скачать CSV» of an aggregate (a backend download: the link bypasses the client router)."""
    return rx.link(
        rx.icon("download", size=16, aria_hidden="true"),
        text,
        href=href,
        reload_document=True,
        id=id_,
        style=LINK,
    )


def _select(id_: str, text: str, options: rx.Component | list, value: rx.Var, on_change) -> rx.Component:
    """A labelled native select."""
    children = options if isinstance(options, list) else [options]
    return rx.flex(
        label(text, id_),
        rx.el.select(*children, id=id_, value=value, on_change=on_change, style=NATIVE_SELECT_STYLE),
        direction="column",
        spacing="1",
        width="100%",
    )


def stats_panel(level: str = "h2", with_poll_selector: bool = False) -> rx.Component:
    """Turnout over time and answers by the chosen breakdown, each with a table and a CSV link.

    ``level`` is the heading level of the panel's two parts.
    """
    selectors = []
    if with_poll_selector:
        selectors.append(
            _select(
                "stats-poll",
                i18n.label("ui.common.golosovanie"),
                rx.foreach(S.polls, lambda p: rx.el.option(p["title"], value=p["id"])),
                S.selected_poll,
                S.select_poll,
            )
        )
    selectors += [
        _select(
            "stats-dimension",
            i18n.label("ui.stats.razrez"),
            [rx.el.option(c["name"], value=c["id"]) for c in CHOICES],
            S.dimension,
            S.select_dimension,
        ),
        _select(
            "stats-question",
            i18n.label("ui.common.vopros"),
            rx.foreach(S.questions, lambda q: rx.el.option(q["text"], value=q["id"])),
            S.question,
            S.select_question,
        ),
    ]
    return rx.box(
        rx.grid(
            *selectors, columns=rx.breakpoints(initial="1", md=str(len(selectors))), spacing="3", width="100%"
        ),
        rx.text(S.total_text, as_="p", size="2", margin_top="0.6em", id="stats-total"),
        rx.text(NOTE, as_="p", size="2", color_scheme="gray"),
        rx.heading(i18n.label("ui.stats.yavka_po_dnyam"), as_=level, size="4", margin_top="1em"),
        chart(
            S.turnout_fig,
            i18n.message("ui.stats.chislo_byulleteney_po_dnyam_golosovaniya"),
            "chart-turnout",
        ),
        data_table(
            i18n.label("ui.stats.yavka_po_dnyam_chislo_byulleteney"),
            S.turnout_header,
            S.turnout_rows,
            "table-turnout",
        ),
        csv_link(S.turnout_csv, i18n.label("ui.stats.skachat_csv_yavka_po_dnyam"), "csv-turnout"),
        rx.heading(
            i18n.label("ui.stats.otvety_po_razrezu"),
            S.dimension_name,
            "»",
            as_=level,
            size="4",
            margin_top="1.4em",
        ),
        chart(
            S.ballots_fig, i18n.message("ui.stats.chislo_byulleteney_po_vybrannomu_razrezu"), "chart-ballots"
        ),
        chart(
            S.answers_fig,
            i18n.message("ui.stats.otvety_na_vybrannyy_vopros_po"),
            "chart-answers",
        ),
        data_table(S.table_caption, S.table_header, S.table_rows, "table-breakdown"),
        csv_link(S.table_csv, i18n.label("ui.stats.skachat_csv_vse_voprosy_po"), "csv-breakdown"),
        id="stats-panel",
    )
