"""The layout shared by the staff pages that edit one record chosen from a list (a contest of the
award, a promo campaign): the selector with its «Новый …» button, and form fields prefilled from the
state's ``form`` dict (uncontrolled inputs, re-created when the form's ``key`` changes).

Rendering only: every value comes from a state var.
"""

import reflex as rx

from ag_app.components.common import NATIVE_SELECT_STYLE, field, native_select, panel

INPUT_STYLE = {**NATIVE_SELECT_STYLE, "width": "100%"}


def record_choice(
    title: str,
    *,
    select_id: str,
    select_label: str,
    items: rx.Var,
    placeholder: str,
    value: rx.Var,
    on_change,
    new_label: str,
    new_id: str,
    on_new,
) -> rx.Component:
    """«Показать …»: a native select over ``items`` ({"id", "title"}; shown once there is one) and
    the «Новый …» button; the empty choice (``placeholder``) also starts a new record."""
    return panel(
        title,
        rx.flex(
            rx.cond(
                items.length() > 0,
                rx.flex(
                    rx.el.label(select_label, html_for=select_id, style={"fontWeight": "500"}),
                    native_select(
                        select_id,
                        items,
                        placeholder=placeholder,
                        value=value,
                        on_change=on_change,
                        label_key="title",
                    ),
                    direction="column",
                    spacing="1",
                    flex_grow="1",
                ),
            ),
            rx.button(
                rx.icon("plus", aria_hidden="true"),
                new_label,
                type="button",
                variant="outline",
                on_click=on_new,
                id=new_id,
            ),
            spacing="3",
            align="end",
            wrap="wrap",
        ),
    )


def form_input(form: rx.Var, id_: str, name: str, label: str, hint: str = "", **props) -> rx.Component:
    """A labelled one-line input named ``name``, prefilled with ``form[name]``."""
    return field(
        label,
        rx.el.input(id=id_, name=name, default_value=form[name], style=INPUT_STYLE, **props),
        id_,
        hint,
    )


def form_textarea(
    form: rx.Var, id_: str, name: str, label: str, hint: str = "", rows: str = "4"
) -> rx.Component:
    """A labelled text area named ``name``, prefilled with ``form[name]``."""
    return field(
        label,
        rx.el.textarea(id=id_, name=name, default_value=form[name], rows=rows, style=INPUT_STYLE),
        id_,
        hint,
    )
