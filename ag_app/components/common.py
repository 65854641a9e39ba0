"""Small building blocks shared by the resident pages: alerts, labelled fields, sections, cards,
captioned tables.

Rendering only: every value comes from a state var; free text is rendered as text (escaped).
"""

from collections.abc import Callable

import reflex as rx

CELL = {"textAlign": "left", "padding": "0.35em 0.6em", "borderBottom": "1px solid var(--gray-5)"}
_HEAD = {**CELL, "fontWeight": "600", "whiteSpace": "nowrap"}


def scroll_table(
    caption: str, header: list[str], rows: rx.Var, row: Callable[[rx.Var], rx.Component], *, id_: str
) -> rx.Component:
    """A captioned table in a region that scrolls sideways on a phone and takes keyboard focus."""
    return rx.box(
        rx.el.table(
            rx.el.caption(caption, style={"textAlign": "left", "fontWeight": "600", "padding": "0.3em 0"}),
            rx.el.thead(rx.el.tr(*[rx.el.th(h, scope="col", style=_HEAD) for h in header])),
            rx.el.tbody(rx.foreach(rows, row)),
            id=id_,
            style={"borderCollapse": "collapse", "fontSize": "0.9em", "minWidth": "100%"},
        ),
        overflow_x="auto",
        tab_index=0,
        role="region",
        aria_label=caption,
        margin_y="0.6em",
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


def form_checkbox(id_: str, name: str, text: str, checked: rx.Var | bool) -> rx.Component:
    """A native checkbox of a submitted form, with its label: a ticked box sends «on» under ``name``,
    an unticked one nothing; ``checked`` is its initial state (the form's ``key`` re-creates it)."""
    return rx.el.label(
        rx.el.input(type="checkbox", id=id_, name=name, default_checked=checked),
        " " + text,
        html_for=id_,
        style={"display": "flex", "gap": "0.4em", "alignItems": "center"},
    )
