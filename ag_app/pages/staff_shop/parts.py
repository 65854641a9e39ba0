"""Pieces shared by the tabs of ``/staff/shop``: the small row buttons and the forms' save/cancel row."""

import reflex as rx

from ag_app.i18n import label

# Props of the small buttons in a table row: grey, so their text keeps a 4.5:1 contrast when hovered.
ROW_BUTTON = {"size": "1", "variant": "soft", "color_scheme": "gray", "type": "button"}


def row_actions(
    name: rx.Var,
    *,
    on_edit,
    edit_id: rx.Var,
    on_toggle,
    toggle_id: rx.Var,
    on: rx.Var,
    on_text: str,
    off_text: str,
) -> rx.Component:
    """«Изменить» and a toggle of one table row (``on_text`` while ``on``, else ``off_text``), each
    named after the row (``name``) for screen readers."""
    return rx.flex(
        rx.button(
            label("ui.common.izmenit"),
            **ROW_BUTTON,
            on_click=on_edit,
            id=edit_id,
            aria_label=label("ui.common.izmenit_2") + name,
        ),
        rx.button(
            rx.cond(on, on_text, off_text),
            **ROW_BUTTON,
            on_click=on_toggle,
            id=toggle_id,
            aria_label=rx.cond(on, on_text + ": ", off_text + ": ") + name,
        ),
        spacing="1",
        wrap="wrap",
    )


def save_or_cancel(
    save_text: str, save_id: str, editing: rx.Var, cancel_text: str, on_cancel, cancel_id: str = ""
) -> rx.Component:
    """The submit button of a form and, while an existing record is edited, the button leaving it."""
    extra = {"id": cancel_id} if cancel_id else {}
    return rx.flex(
        rx.button(save_text, type="submit", id=save_id),
        rx.cond(
            editing,
            rx.button(
                cancel_text, type="button", variant="soft", color_scheme="gray", on_click=on_cancel, **extra
            ),
        ),
        spacing="3",
        wrap="wrap",
    )
