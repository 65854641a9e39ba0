"""``/house/polls/new``: the application form (a poll of 1–10 questions or an informing)."""

import reflex as rx

from ag_app.components.common import card, feedback, field, native_select, static_select
from ag_app.components.form_marks import marked, named
from ag_app.components.layout import page_layout
from ag_app.domain.house_polls import AUDIENCES
from ag_app.i18n import label, message
from ag_app.pages.house_polls.nav import house_links, login_hint
from ag_app.state.house_polls.form import HousePollFormState


def _marked(*names: str | rx.Var) -> dict[str, rx.Var]:
    return marked(HousePollFormState.invalid_fields, *names)


def _bad(*names: str | rx.Var) -> rx.Var:
    return named(HousePollFormState.invalid_fields, *names)


def _form_option(index: rx.Var, text: rx.Var, option: rx.Var) -> rx.Component:
    S = HousePollFormState
    option_id = "hp-q" + index.to_string() + "-o" + option.to_string()
    return rx.flex(
        rx.el.label(
            label("ui.common.variant"),
            (option + 1).to_string(),
            html_for=option_id,
            style={"minWidth": "6em"},
        ),
        rx.input(
            id=option_id,
            value=text,
            on_change=lambda value: S.set_option(index, option, value),
            width="100%",
            **_marked("question-" + (index + 1).to_string()),
        ),
        rx.button(
            label("ui.common.udalit"),
            on_click=S.remove_option(index, option),
            variant="soft",
            color_scheme="gray",
            type="button",
            aria_label=label("ui.common.udalit_variant") + (option + 1).to_string(),
        ),
        spacing="2",
        align="center",
    )


def _form_question(question: rx.Var, index: rx.Var) -> rx.Component:
    S = HousePollFormState
    number = (index + 1).to_string()
    text_id = "hp-q" + index.to_string() + "-text"
    kind_id = "hp-q" + index.to_string() + "-kind"
    return card(
        rx.heading(label("ui.meetings.vopros"), number, as_="h3", size="3"),
        rx.flex(
            rx.el.label(
                label("ui.meetings.tekst_voprosa"), number, html_for=text_id, style={"fontWeight": "500"}
            ),
            rx.input(
                id=text_id,
                value=question["text"],
                on_change=lambda value: S.set_question_text(index, value),
                width="100%",
                **_marked("question-" + number, "questions"),
            ),
            rx.el.label(
                label("ui.form.tip_otveta_na_vopros"), number, html_for=kind_id, style={"fontWeight": "500"}
            ),
            static_select(
                kind_id,
                [
                    ("single", label("ui.form.odin_variant_otveta")),
                    ("multiple", label("ui.common.neskolko_variantov")),
                ],
                value=question["kind"],
                on_change=lambda value: S.set_question_kind(index, value),
            ),
            rx.foreach(S.options[index], lambda text, option: _form_option(index, text, option)),
            rx.flex(
                rx.button(
                    label("ui.form.dobavit_variant"),
                    on_click=S.add_option(index),
                    variant="soft",
                    type="button",
                    id="hp-q" + index.to_string() + "-add-option",
                ),
                rx.button(
                    label("ui.common.udalit_vopros"),
                    on_click=S.remove_question(index),
                    variant="soft",
                    color_scheme="red",
                    type="button",
                ),
                spacing="2",
            ),
            direction="column",
            spacing="2",
        ),
    )


def _audience_box(key: str, name: str) -> rx.Component:
    S = HousePollFormState
    return rx.checkbox(
        name,
        id=f"hp-audience-{key}",
        checked=S.audience.contains(key),
        on_change=lambda checked: S.toggle_audience(key, checked),
    )


def _application_form() -> rx.Component:
    S = HousePollFormState
    return rx.flex(
        field(
            label("ui.renovation.dom"),
            native_select(
                "hp-house",
                S.houses,
                placeholder=label("house_poll.page_house_required"),
                value=S.house_id,
                on_change=S.set_house,
                aria_invalid=rx.cond(_bad("house"), "true", "false"),
            ),
            "hp-house",
        ),
        field(
            label("ui.form.tip_zayavki"),
            static_select(
                "hp-kind",
                [
                    ("poll", message("ui.form.opros_1_10_voprosov")),
                    ("informing", message("ui.form.informirovanie_otsenka_nravitsya_ne_nravitsya")),
                ],
                value=S.kind,
                on_change=S.set_kind,
                aria_invalid=rx.cond(_bad("kind"), "true", "false"),
            ),
            "hp-kind",
        ),
        field(
            label("ui.form.zagolovok"),
            rx.input(id="hp-title", value=S.title, on_change=S.set_title, width="100%", **_marked("title")),
            "hp-title",
        ),
        field(
            rx.cond(
                S.kind == "informing",
                label("ui.form.tekst_informirovaniya"),
                message("ui.form.vstuplenie_neobyazatelno"),
            ),
            rx.text_area(
                id="hp-message",
                value=S.message_text,
                on_change=S.set_message,
                rows="4",
                width="100%",
                **_marked("message"),
            ),
            "hp-message",
        ),
        rx.el.fieldset(
            rx.el.legend(label("ui.contest.uchastniki"), style={"fontWeight": "500"}),
            rx.flex(
                *[_audience_box(key, name) for key, name in AUDIENCES.items()],
                direction="column",
                spacing="2",
            ),
            id="hp-audience",
            aria_invalid=rx.cond(_bad("audience"), "true", "false"),
            style={
                "border": "none",
                "padding": "0 0 0 0.6em",
                "boxShadow": rx.cond(_bad("audience"), "inset 4px 0 0 var(--red-9)", "none"),
            },
        ),
        rx.flex(
            field(
                message("ui.renovation.nachalo_msk"),
                rx.input(
                    id="hp-starts",
                    type="datetime-local",
                    value=S.starts,
                    on_change=S.set_starts,
                    **_marked("starts", "period"),
                ),
                "hp-starts",
            ),
            field(
                message("ui.renovation.okonchanie_msk"),
                rx.input(
                    id="hp-ends",
                    type="datetime-local",
                    value=S.ends,
                    on_change=S.set_ends,
                    **_marked("ends", "period"),
                ),
                "hp-ends",
            ),
            spacing="4",
            wrap="wrap",
        ),
        rx.cond(
            S.kind == "poll",
            rx.flex(
                rx.foreach(S.questions, _form_question),
                rx.cond(
                    S.can_add_question,
                    rx.button(
                        label("ui.meetings.dobavit_vopros"),
                        on_click=S.add_question,
                        variant="soft",
                        type="button",
                        id="hp-add-question",
                    ),
                    rx.text(
                        message("ui.form.v_oprose_mozhet_byt_ne"), size="2", color_scheme="gray", as_="p"
                    ),
                ),
                direction="column",
                spacing="3",
            ),
        ),
        feedback(S.error, S.notice),
        rx.button(label("ui.form.otpravit_na_moderatsiyu"), on_click=S.submit, size="3", id="hp-file"),
        direction="column",
        spacing="4",
        max_width="720px",
    )


def new_page() -> rx.Component:
    """``/house/polls/new``."""
    S = HousePollFormState
    return page_layout(
        label("ui.form.zayavka_na_opros_ili_informirovanie"),
        house_links(),
        login_hint(S.logged_in),
        rx.cond(
            S.loaded & S.logged_in,
            rx.cond(
                S.houses.length() > 0,
                _application_form(),
                rx.callout(
                    message("ui.form.podat_zayavku_mogut_sobstvennik_pomeshcheniya"),
                    icon="info",
                    color_scheme="amber",
                    id="hp-not-initiator",
                ),
            ),
        ),
    )
