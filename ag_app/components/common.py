"""The UI kit of every page (resident and staff): alerts, labelled fields, selects, sections and
panels, cards, figures, pagers, tables, the staff gate and the staff section links.

One function per element. Rendering only: every value comes from a state var; free text is rendered
as text (escaped).
"""

from collections.abc import Callable

import reflex as rx

from ag_app import i18n
from ag_app.components.layout import held
from ag_app.domain.roles import STAFF_SECTIONS
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


def feedback(error: rx.Var, notice: rx.Var | None = None, *, id_: str = "") -> rx.Component:
    """The alert region of a form or page: a polite live region that is always in the page, so what
    appears in it is announced; the refusal is a red ``role="alert"`` callout, the success message a
    green ``role="status"`` one."""
    extra = {"id": id_} if id_ else {}
    return rx.box(
        rx.cond(
            error != "",
            rx.callout(error, icon="triangle_alert", color_scheme="red", role="alert", margin_y="0.6em"),
        ),
        rx.cond(
            notice != "",
            rx.callout(notice, icon="circle_check", color_scheme="green", role="status", margin_y="0.6em"),
        )
        if notice is not None
        else rx.fragment(),
        aria_live="polite",
        **extra,
    )


def section(title: str | rx.Var, *children: rx.Component, level: str = "h2", **props) -> rx.Component:
    """A titled block of a page (``h2`` by default, so headings stay in order under the ``h1``)."""
    return rx.el.section(
        rx.heading(title, as_=level, size="5" if level == "h2" else "4", margin_bottom="0.6em"),
        *children,
        class_name="ag-section",
        **{"margin_top": "1.6em", **props},
    )


def panel(title: str | rx.Var, *children: rx.Component, **props) -> rx.Component:
    """A titled block in a thin frame (the working areas of the staff pages): a ``section`` with an
    ``h2``, padded so that text never touches the frame on a phone."""
    return section(
        title,
        *children,
        **{
            "padding": "1em",
            "border": "1px solid var(--gray-5)",
            "border_radius": "var(--radius-3)",
            "margin_top": "0",
            "margin_bottom": "1em",
            "width": "100%",
            **props,
        },
    )


def label(text: str, html_for: str | rx.Var) -> rx.Component:
    """A visible label tied to the input with id ``html_for``."""
    return rx.el.label(text, html_for=html_for, style={"fontWeight": "500", "fontSize": "0.95em"})


def field(
    text: str, control: rx.Component, html_for: str | rx.Var, hint: str | rx.Var | None = None
) -> rx.Component:
    """A label above its control (``html_for`` is the control's id), with an optional grey hint line
    under it."""
    parts = [label(text, html_for), control]
    if hint is not None and not (isinstance(hint, str) and hint == ""):
        parts.append(rx.text(hint, size="1", color_scheme="gray", as_="p"))
    return rx.flex(*parts, direction="column", spacing="1", width="100%")


def invalid_props(invalid: rx.Var | None, *, frame: bool = True) -> dict:
    """``aria-invalid`` (and, for Radix controls, a red frame) for a control the last refused save
    named (``invalid`` is a boolean var); nothing when ``invalid`` is None."""
    if invalid is None:
        return {}
    props = {"aria_invalid": rx.cond(invalid, "true", "false")}
    if frame:
        props["color_scheme"] = rx.cond(invalid, "red", "gray")
    return props


def text_input(id_: str, name: str = "", *, invalid: rx.Var | None = None, **props) -> rx.Component:
    """A full-width text input with a stable id (``name`` defaults to the id); ``invalid`` (a boolean
    var) marks it ``aria-invalid`` after a refused save."""
    return rx.input(id=id_, name=name or id_, width="100%", size="3", **{**invalid_props(invalid), **props})


# A native <select> looks like the Radix inputs and works well on phones and with screen readers.
NATIVE_SELECT_STYLE = {
    "width": "100%",
    "maxWidth": "100%",
    "minHeight": "2.5em",
    "padding": "0.55em 0.6em",
    "fontSize": "1em",
    "borderRadius": "6px",
    "border": "1px solid var(--gray-8)",
    "background": "var(--color-panel-solid)",
    "color": "var(--gray-12)",
    "&[aria-invalid='true']": {"borderColor": "var(--red-9)", "borderWidth": "2px"},
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


def static_select(
    id_: str | rx.Var,
    options: list[tuple[str, str]],
    *,
    name: str | rx.Var = "",
    value: rx.Var | str | None = None,
    on_change=None,
    **props,
) -> rx.Component:
    """A native ``<select>`` over fixed ``(value, label)`` pairs; with ``value``/``on_change`` it is
    controlled by a state var."""
    extra = {}
    if value is not None:
        extra["value"] = value
    if on_change is not None:
        extra["on_change"] = on_change
    return rx.el.select(
        *[rx.el.option(text, value=key) for key, text in options],
        id=id_,
        name=name if isinstance(name, rx.Var) or name else id_,
        style=NATIVE_SELECT_STYLE,
        **extra,
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
                    i18n.label("ui.opendata.nazad"),
                    on_click=on_prev,
                    disabled=page <= 1,
                    variant="soft",
                    id=f"{id_prefix}-prev",
                ),
                rx.text(i18n.label("ui.common.stranitsa_iz", page=page, pages=pages), size="2"),
                rx.button(
                    i18n.label("ui.opendata.vpered"),
                    on_click=on_next,
                    disabled=page >= pages,
                    variant="soft",
                    id=f"{id_prefix}-next",
                ),
                spacing="3",
                align="center",
            ),
            margin_top="0.8em",
            aria_label=i18n.label("ui.common.stranitsy"),
        ),
    )


FORBIDDEN = i18n.label("ui.common.nedostatochno_prav")
STAFF_ONLY = FORBIDDEN + i18n.message("ui.common.razdel_dostupen_sotrudnikam_goroda_voydite")


def staff_gate(
    loaded: rx.Var, allowed: rx.Var, *children: rx.Component, forbidden: str = STAFF_ONLY
) -> rx.Component:
    """Show ``children`` only to staff; others see ``forbidden`` («Недостаточно прав…») and no data
    is loaded for them."""
    return rx.cond(
        loaded,
        rx.cond(
            allowed,
            rx.fragment(*children),
            rx.callout(forbidden, icon="lock", color_scheme="red", id="forbidden"),
        ),
        rx.text(i18n.label("ui.poll.zagruzka"), color_scheme="gray"),
    )


def staff_nav() -> rx.Component:
    """Links between the staff sections: only those the visitor's capabilities open
    (:data:`ag_app.domain.roles.STAFF_SECTIONS`)."""
    return rx.el.nav(
        rx.flex(
            *[
                rx.cond(
                    held(item), rx.link(catalogue_label(item.label_key), href=item.href, id=item.element_id)
                )
                for item in STAFF_SECTIONS
            ],
            spacing="4",
            wrap="wrap",
        ),
        aria_label=catalogue_label("menu.staff_sections"),
        style={"margin_bottom": "1em"},
    )


def link_button(label: str | rx.Var, href: str | rx.Var, id: str | rx.Var, **props) -> rx.Component:
    """A link that looks like a button (one interactive element, not a button inside a link)."""
    return rx.button(rx.link(label, href=href, id=id), as_child=True, **props)


def row_table(
    headers: list[str],
    rows: rx.Var,
    row: Callable[[rx.Var], rx.Component],
    id_: str,
    *,
    caption: str,
    empty: str = "",
    empty_id: str = "",
) -> rx.Component:
    """A table of ``rows`` (``row`` renders one) under column headers, scrolling sideways on a phone
    with the scroll cue (its region named ``caption``); with ``empty``, that grey text stands
    instead while there are no rows."""
    table = table_region(
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(title) for title in headers])),
            rx.table.body(rx.foreach(rows, row)),
            id=id_,
            size="1",
        ),
        caption,
    )
    if not empty:
        return table
    props = {"id": empty_id} if empty_id else {}
    return rx.cond(rows.length() > 0, table, rx.text(empty, color_scheme="gray", **props))


def form_checkbox(id_: str, name: str, text: str, checked: rx.Var | bool) -> rx.Component:
    """A native checkbox of a submitted form, with its label: a ticked box sends «on» under ``name``,
    an unticked one nothing; ``checked`` is its initial state (the form's ``key`` re-creates it)."""
    return rx.el.label(
        rx.el.input(type="checkbox", id=id_, name=name, default_checked=checked),
        " " + text,
        html_for=id_,
        style={"display": "flex", "gap": "0.4em", "alignItems": "center"},
    )
