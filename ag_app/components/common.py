"""Small building blocks shared by the resident pages: alerts, labelled fields, sections, cards,
captioned tables.

Rendering only: every value comes from a state var; free text is rendered as text (escaped).
"""

from collections.abc import Callable

import reflex as rx

from ag_app.i18n import label as catalogue_label

CELL = {"textAlign": "left", "padding": "0.35em 0.6em", "borderBottom": "1px solid var(--gray-5)"}
_HEAD = {**CELL, "fontWeight": "600", "whiteSpace": "nowrap"}


# The cue of a table wider than its box. The region scrolls sideways; CSS scroll shadows (drawn only
# when there is something to scroll to, on the side where it is) mark the cut edge, and the hint
# «Прокрутите таблицу вправо →» shows while more columns wait on the right: where the browser
# reports its scroll state (container queries on scroll-state), exactly then; elsewhere on screens
# narrower than 768 px. A Radix table's own scroll box is opened up so this region does the scrolling.
_COVER = "var(--color-background, #fff)"
_SHADOW = "rgba(0, 0, 0, 0.22)"
TABLE_REGION_STYLE = {
    "overflowX": "auto",
    "maxWidth": "100%",
    "containerType": "scroll-state",
    "background": (
        f"linear-gradient(to right, {_COVER} 30%, transparent) left center / 40px 100% no-repeat local, "
        f"linear-gradient(to left, {_COVER} 30%, transparent) right center / 40px 100% no-repeat local, "
        f"radial-gradient(farthest-side at 0 50%, {_SHADOW}, transparent) left center / 16px 100% no-repeat scroll, "
        f"radial-gradient(farthest-side at 100% 50%, {_SHADOW}, transparent) right center / 16px 100% no-repeat scroll"
    ),
    "&:focus-visible": {"outline": "2px solid var(--accent-9)", "outlineOffset": "2px"},
    "& .rt-TableRoot, & .rt-ScrollAreaRoot, & .rt-ScrollAreaViewport": {"overflow": "visible !important"},
    "& .rt-ScrollAreaScrollbar": {"display": "none"},
    "& .rt-TableRootTable, & .rt-TableCell, & .rt-TableColumnHeaderCell, & .rt-TableRowHeaderCell": {
        "background": "transparent"
    },
    "& .ag-table-hint": {
        "display": "none",
        "position": "sticky",
        "left": "0",
        "width": "max-content",
        "maxWidth": "100%",
        "margin": "0 0 0.3em",
        "fontSize": "0.85em",
        "color": "var(--gray-11)",
    },
    "@supports not (container-type: scroll-state)": {
        "@media (max-width: 767px)": {"& .ag-table-hint": {"display": "block"}}
    },
    "@container scroll-state(scrollable: right)": {"& .ag-table-hint": {"display": "block"}},
}


def table_region(table: rx.Component, caption: rx.Var | str, *, id_: str = "", **props) -> rx.Component:
    """Any data table in a sideways-scrolling region: no column is ever hidden on a phone.

    The region takes keyboard focus (arrow keys scroll it), is named by the table's caption
    (``role="region"``), and shows the scroll cue described above when the table is wider.
    """
    extra = {"id": id_} if id_ else {}
    return rx.box(
        rx.el.p(catalogue_label("table.scroll_hint"), class_name="ag-table-hint", aria_hidden="true"),
        table,
        tab_index=0,
        role="region",
        aria_label=caption,
        class_name="ag-table-region",
        style=TABLE_REGION_STYLE,
        **{"margin_y": "0.6em", **extra, **props},
    )


def scroll_table(
    caption: str, header: list[str], rows: rx.Var, row: Callable[[rx.Var], rx.Component], *, id_: str
) -> rx.Component:
    """A captioned table in a region that scrolls sideways on a phone and takes keyboard focus."""
    return table_region(
        rx.el.table(
            rx.el.caption(caption, style={"textAlign": "left", "fontWeight": "600", "padding": "0.3em 0"}),
            rx.el.thead(rx.el.tr(*[rx.el.th(h, scope="col", style=_HEAD) for h in header])),
            rx.el.tbody(rx.foreach(rows, row)),
            id=id_,
            style={"borderCollapse": "collapse", "fontSize": "0.9em", "minWidth": "100%"},
        ),
        caption,
    )


def feedback(error: rx.Var, notice: rx.Var) -> rx.Component:
    """The alert region: the refusal message (``role="alert"``) and the success message."""
    return rx.box(
        rx.cond(
            error != "",
            rx.callout(error, icon="triangle_alert", color_scheme="red", role="alert", margin_y="0.6em"),
        ),
        rx.cond(
            notice != "",
            rx.callout(notice, icon="circle_check", color_scheme="green", role="status", margin_y="0.6em"),
        ),
        aria_live="polite",
    )


def section(title: str, *children: rx.Component, level: str = "h2", **props) -> rx.Component:
    """A titled block of a page (``h2`` by default, so headings stay in order under the ``h1``)."""
    return rx.el.section(
        rx.heading(title, as_=level, size="5" if level == "h2" else "4", margin_bottom="0.5em"),
        *children,
        **{"margin_top": "1.6em", **props},
    )


def label(text: str, html_for: str) -> rx.Component:
    """A visible label tied to the input with id ``html_for``."""
    return rx.el.label(text, html_for=html_for, style={"fontWeight": "500", "fontSize": "0.95em"})


def field(text: str, control: rx.Component, html_for: str, hint: str | rx.Var | None = None) -> rx.Component:
    """A labelled form control, with an optional hint line under it."""
    parts = [label(text, html_for), control]
    if hint is not None:
        parts.append(rx.text(hint, size="1", color_scheme="gray", as_="p"))
    return rx.flex(*parts, direction="column", spacing="1", width="100%")


def text_input(id_: str, name: str = "", **props) -> rx.Component:
    """A full-width text input with a stable id (``name`` defaults to the id)."""
    return rx.input(id=id_, name=name or id_, width="100%", size="3", **props)


NATIVE_SELECT_STYLE = {
    "width": "100%",
    "padding": "0.55em 0.6em",
    "fontSize": "1em",
    "borderRadius": "6px",
    "border": "1px solid var(--gray-8)",
    "background": "var(--color-panel-solid)",
    "color": "var(--gray-12)",
}


def native_select(
    id_: str,
    items: rx.Var,
    *,
    placeholder: str,
    value: rx.Var | str | None = None,
    on_change=None,
    name: str = "",
    value_key: str = "id",
    label_key: str = "name",
    **props,
) -> rx.Component:
    """A native ``<select>`` (best on phones and for screen readers) over a list of dicts."""
    extra = {}
    if value is not None:
        extra["value"] = value
    if on_change is not None:
        extra["on_change"] = on_change
    return rx.el.select(
        rx.el.option(placeholder, value=""),
        rx.foreach(items, lambda item: rx.el.option(item[label_key], value=item[value_key])),
        id=id_,
        name=name or id_,
        style=NATIVE_SELECT_STYLE,
        **extra,
        **props,
    )


def static_select(id_: str, options: list[tuple[str, str]], *, name: str = "", **props) -> rx.Component:
    """A native ``<select>`` over fixed ``(value, label)`` pairs."""
    return rx.el.select(
        *[rx.el.option(text, value=value) for value, text in options],
        id=id_,
        name=name or id_,
        style=NATIVE_SELECT_STYLE,
        **props,
    )


def submit(text: str, id_: str, **props) -> rx.Component:
    """The submit button of a form."""
    return rx.button(text, type="submit", id=id_, size="3", **props)


def card(*children: rx.Component, **props) -> rx.Component:
    """A bordered card."""
    return rx.card(*children, width="100%", **props)


def stat(value: rx.Var, caption: str, id_: str = "") -> rx.Component:
    """A big figure with its caption (headline numbers, balances)."""
    extra = {"id": id_} if id_ else {}
    return rx.card(
        rx.text(value, size="7", weight="bold", as_="p", **extra),
        rx.text(caption, size="2", color_scheme="gray", as_="p"),
        width="100%",
    )


def empty(text: str) -> rx.Component:
    """The «nothing here yet» line."""
    return rx.text(text, color_scheme="gray", as_="p", margin_y="0.6em")


def pager(page: rx.Var, pages: rx.Var, on_prev, on_next, id_prefix: str) -> rx.Component:
    """«Назад / страница N из M / Вперёд» controls (hidden when there is one page)."""
    return rx.cond(
        pages > 1,
        rx.el.nav(
            rx.flex(
                rx.button(
                    "← Назад", on_click=on_prev, disabled=page <= 1, variant="soft", id=f"{id_prefix}-prev"
                ),
                rx.text(f"Страница {page} из {pages}", size="2"),
                rx.button(
                    "Вперёд →",
                    on_click=on_next,
                    disabled=page >= pages,
                    variant="soft",
                    id=f"{id_prefix}-next",
                ),
                spacing="3",
                align="center",
            ),
            margin_top="0.8em",
            aria_label="Страницы",
        ),
    )
