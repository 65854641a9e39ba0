"""Building blocks of the owners' meeting pages (rendering only)."""

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
