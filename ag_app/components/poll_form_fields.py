"""The fields of the staff poll form and its question editor: text inputs marked when the last
refused save named them, icon buttons, ordered questions with their ordered options.

Element ids: ``add-question``, ``question-<i>-text|kind|max``, ``question-<i>-up|down``,
``remove-question-<i>``, ``option-<i>-<j>-text|own|exclusive``, ``option-<i>-<j>-up|down``,
``remove-option-<i>-<j>``, ``add-option-<i>``, ``add-hard-<i>``, ``add-nointerest-<i>``, ``add-own-<i>``
(``<i>``/``<j>`` count from 0).
"""

import reflex as rx

from ag_app import i18n
from ag_app.components.common import field, panel, static_select
from ag_app.state.staff_poll_form import StaffPollFormState as S

KINDS = [
    ("single", i18n.label("ui.poll_form_fields.odin_variant")),
    ("multiple", i18n.label("ui.common.neskolko_variantov")),
]


def invalid(name: str | rx.Var) -> rx.Var:
    """«true» for a field the last refused save named (screen readers announce it; styles mark it)."""
    return rx.cond(S.invalid_fields.contains(name), "true", "false")


def text_input(id: str | rx.Var, value: rx.Var, on_change, **props) -> rx.Component:
    name = None
    if isinstance(id, str) and id.startswith("poll-"):
        name = "image_url" if id == "poll-image" else id[len("poll-") :].replace("-", "_")
    if name is not None:
        props.setdefault("aria_invalid", invalid(name))
        props.setdefault("color_scheme", rx.cond(S.invalid_fields.contains(name), "red", "gray"))
    return rx.input(id=id, value=value, on_change=on_change, width="100%", **props)


def icon_button(icon: str, label: rx.Var | str, id: rx.Var | str, on_click, disabled=False) -> rx.Component:
    """A small grey icon button named by ``label`` (read by screen readers, shown as a tooltip)."""
    return rx.icon_button(
        rx.icon(icon, size=16),
        aria_label=label,
        title=label,
        id=id,
        on_click=on_click,
        variant="soft",
        color_scheme="gray",
        size="2",
        type="button",
        disabled=disabled,
    )


def _option(q_index: rx.Var, option: rx.Var, o_index: rx.Var, count: rx.Var) -> rx.Component:
    prefix = "option-" + q_index.to_string() + "-" + o_index.to_string()
    number = (o_index + 1).to_string()
    return rx.flex(
        rx.flex(
            rx.el.label(
                i18n.label("ui.common.variant") + number,
                html_for=prefix + "-text",
                style={"white_space": "nowrap"},
            ),
            text_input(prefix + "-text", option["text"], lambda v: S.set_option_text(q_index, o_index, v)),
            align="center",
            spacing="2",
            flex="1 1 16em",
        ),
        rx.flex(
            rx.checkbox(
                i18n.label("ui.common.svoi_variant"),
                id=prefix + "-own",
                checked=option["own"] != "",
                on_change=lambda v: S.set_option_flag(q_index, o_index, "own", v),
            ),
            rx.checkbox(
                i18n.label("ui.poll_form_fields.isklyuchayushchiy"),
                id=prefix + "-exclusive",
                checked=option["exclusive"] != "",
                on_change=lambda v: S.set_option_flag(q_index, o_index, "exclusive", v),
            ),
            icon_button(
                "arrow-up",
                i18n.label("ui.poll_form_fields.podnyat_variant") + number,
                prefix + "-up",
                S.move_option(q_index, o_index, -1),
                o_index == 0,
            ),
            icon_button(
                "arrow-down",
                i18n.label("ui.poll_form_fields.opustit_variant") + number,
                prefix + "-down",
                S.move_option(q_index, o_index, 1),
                o_index == count - 1,
            ),
            icon_button(
                "trash-2",
                i18n.label("ui.common.udalit_variant") + number,
                "remove-option-" + q_index.to_string() + "-" + o_index.to_string(),
                S.remove_option(q_index, o_index),
            ),
            align="center",
            spacing="3",
            wrap="wrap",
        ),
        spacing="2",
        wrap="wrap",
        align="center",
        padding="0.3em 0",
    )


def _question(question: rx.Var, index: rx.Var) -> rx.Component:
    i = index.to_string()
    number = (index + 1).to_string()
    opts = S.options[index]
    return rx.box(
        rx.flex(
            rx.heading(i18n.label("ui.meetings.vopros") + number, as_="h3", size="4"),
            rx.flex(
                icon_button(
                    "arrow-up",
                    i18n.label("ui.poll_form_fields.podnyat_vopros") + number,
                    "question-" + i + "-up",
                    S.move_question(index, -1),
                    index == 0,
                ),
                icon_button(
                    "arrow-down",
                    i18n.label("ui.poll_form_fields.opustit_vopros") + number,
                    "question-" + i + "-down",
                    S.move_question(index, 1),
                    index == S.questions.length() - 1,
                ),
                rx.button(
                    i18n.label("ui.common.udalit_vopros"),
                    id="remove-question-" + i,
                    aria_label=i18n.label("ui.meetings.udalit_vopros") + number,
                    on_click=S.remove_question(index),
                    variant="soft",
                    color_scheme="gray",
                    type="button",
                ),
                spacing="2",
            ),
            justify="between",
            align="center",
            wrap="wrap",
            spacing="2",
        ),
        rx.flex(
            field(
                i18n.label("ui.poll_form_fields.tekst_voprosa"),
                rx.text_area(
                    id="question-" + i + "-text",
                    value=question["text"],
                    on_change=lambda v: S.set_question(index, "text", v),
                    rows="2",
                ),
                "question-" + i + "-text",
            ),
            rx.flex(
                field(
                    i18n.label("ui.poll_form_fields.tip_otveta"),
                    static_select(
                        "question-" + i + "-kind",
                        KINDS,
                        value=question["kind"],
                        on_change=lambda v: S.set_question(index, "kind", v),
                    ),
                    "question-" + i + "-kind",
                ),
                rx.cond(
                    question["kind"] == "multiple",
                    field(
                        i18n.label("ui.poll_form_fields.ne_bolshe_variantov"),
                        text_input(
                            "question-" + i + "-max",
                            question["max_choices"],
                            lambda v: S.set_question(index, "max_choices", v),
                            type="number",
                            min=1,
                        ),
                        "question-" + i + "-max",
                    ),
                ),
                spacing="3",
                wrap="wrap",
                direction=rx.breakpoints(initial="column", sm="row"),
            ),
            rx.heading(
                i18n.label("ui.poll_form_fields.varianty_otveta"), as_="h4", size="3", margin_top="0.4em"
            ),
            rx.text(
                i18n.message("ui.poll_form_fields.svoy_variant_pole_dlya_otveta"),
                size="1",
                color_scheme="gray",
            ),
            rx.foreach(opts, lambda option, j: _option(index, option, j, opts.length())),
            rx.flex(
                rx.button(
                    rx.icon("plus"),
                    i18n.label("ui.polls.variant"),
                    id="add-option-" + i,
                    on_click=S.add_option(index),
                    variant="soft",
                    type="button",
                ),
                rx.button(
                    i18n.label("ui.poll_form_fields.zatrudnyayus_otvetit"),
                    id="add-hard-" + i,
                    on_click=S.add_preset(index, "hard"),
                    variant="outline",
                    type="button",
                ),
                rx.button(
                    i18n.label("ui.poll_form_fields.mne_ne_interesno"),
                    id="add-nointerest-" + i,
                    on_click=S.add_preset(index, "nointerest"),
                    variant="outline",
                    type="button",
                ),
                rx.button(
                    i18n.label("ui.poll_form_fields.svoy_variant"),
                    id="add-own-" + i,
                    on_click=S.add_preset(index, "own"),
                    variant="outline",
                    type="button",
                ),
                spacing="2",
                wrap="wrap",
            ),
            direction="column",
            spacing="2",
            margin_top="0.4em",
        ),
        padding="0.8em 0",
        border_bottom="1px solid var(--gray-5)",
        # A question named by the last refused save gets a red bar at its side.
        border_left=rx.cond(
            S.invalid_fields.contains("question-" + number), "4px solid var(--red-9)", "4px solid transparent"
        ),
        padding_left="0.6em",
        data_invalid=invalid("question-" + number),
    )


def questions_section() -> rx.Component:
    """«Вопросы»: every question in order and the button adding one."""
    return panel(
        i18n.label("ui.poll_form_fields.voprosy"),
        rx.foreach(S.questions, _question),
        rx.button(
            rx.icon("plus"),
            i18n.label("ui.meetings.dobavit_vopros"),
            id="add-question",
            on_click=S.add_question,
            type="button",
            margin_top="0.8em",
        ),
    )
