"""Small building blocks of the staff pages: labelled fields, native selects, alerts, the role gate."""

from collections.abc import Callable

import reflex as rx

from ag_app.components.common import table_region

FORBIDDEN = "Недостаточно прав"

# A native <select> looks like the Radix inputs and works well on phones and with screen readers.
_SELECT_STYLE = {
    "padding": "0.35em 0.5em",
    "border": "1px solid var(--gray-7)",
    "border_radius": "var(--radius-2)",
    "background": "var(--color-background)",
    "font_size": "1em",
    "min_height": "2.25em",
    "max_width": "100%",
}


def field(label: str, control: rx.Component, html_for: str | rx.Var, hint: str = "") -> rx.Component:
    """A label above its control (``html_for`` is the control's id) with an optional hint."""
    return rx.flex(
        rx.el.label(label, html_for=html_for, style={"font_weight": "500"}),
        control,
        rx.text(hint, size="1", color_scheme="gray") if hint else rx.fragment(),
        direction="column",
        spacing="1",
        width="100%",
    )


def native_select(
    choices: list[tuple[str, str]], value: rx.Var | str, on_change, id: str | rx.Var, **props
) -> rx.Component:
    """A native ``<select>`` with fixed ``(value, label)`` choices."""
    return rx.el.select(
        *[rx.el.option(label, value=key) for key, label in choices],
        value=value,
        on_change=on_change,
        id=id,
        style=_SELECT_STYLE,
        **props,
    )


def alert_region(error: rx.Var, notice: rx.Var | None = None, id: str = "form-errors") -> rx.Component:
    """A live region: the error (red) or a success notice (green) appears here and is announced."""
    return rx.box(
        rx.cond(error != "", rx.callout(error, icon="triangle_alert", color_scheme="red")),
        rx.cond(notice != "", rx.callout(notice, icon="check", color_scheme="green"))
        if notice is not None
        else rx.fragment(),
        role="alert",
        id=id,
        margin_bottom="1em",
    )


STAFF_ONLY = FORBIDDEN + ": раздел доступен сотрудникам города. Войдите под учётной записью сотрудника."


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
            rx.callout(
                forbidden,
                icon="lock",
                color_scheme="red",
                id="forbidden",
            ),
        ),
        rx.text("Загрузка…", color_scheme="gray"),
    )


def section(title: str, *children: rx.Component, **props) -> rx.Component:
    """A titled block of a page (``h2``)."""
    return rx.box(
        rx.heading(title, as_="h2", size="5", margin_bottom="0.5em"),
        *children,
        padding="1em",
        border="1px solid var(--gray-5)",
        border_radius="var(--radius-3)",
        margin_bottom="1em",
        width="100%",
        **props,
    )


def staff_nav() -> rx.Component:
    """Links between the staff sections."""
    return rx.el.nav(
        rx.flex(
            rx.link("Все голосования", href="/staff/polls", id="nav-staff-polls"),
            rx.link("Новое голосование", href="/staff/polls/new", id="nav-staff-new-poll"),
            rx.link("Реестры (импорт CSV)", href="/staff/registry", id="nav-staff-registry"),
            rx.link("Голосования по домам", href="/staff/renovation", id="nav-staff-renovation-desk"),
            rx.link("Реестр домов", href="/staff/houses", id="nav-staff-houses"),
            rx.link("Обращения граждан", href="/staff/feedback", id="nav-staff-feedback-desk"),
            rx.link("Фоновые задачи", href="/staff/jobs", id="nav-staff-jobs"),
            spacing="4",
            wrap="wrap",
        ),
        aria_label="Разделы кабинета сотрудника",
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
