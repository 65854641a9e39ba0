"""Building blocks of the «Электронный дом» house poll pages: results bars and the notes list."""

import reflex as rx

from ag_app.components.common import table_region
from ag_app.i18n import label


def _result_option(row: rx.Var) -> rx.Component:
    return rx.box(
        rx.flex(
            rx.text(row.text, size="2"),
            rx.text(row.percent, " (", row.count, ")", size="2", weight="medium"),
            justify="between",
            gap="2",
        ),
        rx.box(
            rx.box(width=row.width, height="100%", background="var(--accent-9)", border_radius="4px"),
            height="10px",
            background="var(--gray-4)",
            border_radius="4px",
            aria_hidden="true",
        ),
        margin_bottom="0.5em",
    )


def _result_question(row: rx.Var) -> rx.Component:
    return rx.box(
        rx.heading(row.text, as_="h3", size="3", margin_bottom="0.4em"),
        rx.foreach(row.options, _result_option),
        margin_bottom="1em",
    )


def results_block(rows: rx.Var, caption: rx.Var, id_: str) -> rx.Component:
    """Results: the participants line, then each question's options with bars."""
    return rx.box(
        rx.text(caption, as_="p", size="2", color_scheme="gray", margin_bottom="0.6em"),
        rx.foreach(rows, _result_question),
        id=id_,
    )


def notes_table(notes: rx.Var, id_: str) -> rx.Component:
    """The apartments and comments participants left for the initiator (no names, by design)."""
    return table_region(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell(label("ui.renovation.kvartira"), scope="col"),
                    rx.table.column_header_cell(label("ui.award_jury.kommentarii"), scope="col"),
                )
            ),
            rx.table.body(
                rx.foreach(
                    notes,
                    lambda note: rx.table.row(
                        rx.table.cell(note.apartment),
                        rx.table.cell(rx.text(note.comment, white_space="pre-wrap")),
                    ),
                )
            ),
            id=id_,
            width="100%",
        ),
        label("ui.common.kvartiry_i_kommentarii_uchastnikov"),
    )
