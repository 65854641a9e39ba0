"""«Обратная связь» (SPEC §4.3): the resident's form and tickets, and the staff queue."""

import reflex as rx

from ag_app.components.common import (
    card,
    empty,
    feedback,
    field,
    invalid_props,
    section,
    staff_gate,
    staff_nav,
    static_select,
    submit,
)
from ag_app.components.layout import page_layout
from ag_app.domain.feedback import ANSWER_MAX, TEXT_MAX, TEXT_MIN
from ag_app.i18n import label, message
from ag_app.state.base import SessionState
from ag_app.state.feedback import (
    ORDER_OPTIONS,
    STATUS_OPTIONS,
    TOPIC_OPTIONS,
    FeedbackState,
    StaffFeedbackState,
)


def _status_badge(row: rx.Var) -> rx.Component:
    return rx.badge(
        row.status_label,
        color_scheme=rx.match(row.status, ("new", "blue"), ("answered", "green"), "gray"),
        variant="soft",
        id="fb-status-" + row.id,
    )


def _answer(row: rx.Var) -> rx.Component:
    return rx.cond(
        row.answer != "",
        rx.box(
            rx.text(
                label("ui.feedback.otvet_ot"),
                row.answered,
                label("ui.feedback.msk"),
                weight="medium",
                size="2",
                as_="p",
            ),
            rx.text(row.answer, as_="p", white_space="pre-wrap", id="fb-answer-text-" + row.id),
            padding="0.6em 0.8em",
            margin_top="0.6em",
            border_left="3px solid var(--green-9)",
            background="var(--gray-2)",
        ),
    )


def _facts(row: rx.Var) -> rx.Component:
    return rx.flex(
        _status_badge(row),
        rx.text(label("ui.common.tema"), row.topic, size="2"),
        rx.text(label("ui.feedback.podano"), row.created, message("ui.common.msk"), size="2"),
        spacing="3",
        wrap="wrap",
        align="center",
    )


# ----------------------------------------------------------------------------------------------
# /feedback


def _form() -> rx.Component:
    S = FeedbackState
    return section(
        label("ui.feedback.novoe_obrashchenie"),
        rx.form(
            rx.flex(
                field(
                    label("ui.feedback.tema_obrashcheniia"),
                    static_select(
                        "fb-topic",
                        [("", label("ui.feedback.vyberite_temu")), *TOPIC_OPTIONS],
                        name="topic",
                        **invalid_props(S.invalid_fields.contains("topic"), frame=False),
                    ),
                    "fb-topic",
                ),
                field(
                    label("ui.feedback.tekst_obrashcheniia"),
                    rx.text_area(
                        id="fb-text",
                        name="text",
                        rows="6",
                        max_length=TEXT_MAX,
                        width="100%",
                        size="3",
                        **invalid_props(S.invalid_fields.contains("text")),
                    ),
                    "fb-text",
                    hint=message("ui.feedback.ot_do_simvolov", TEXT_MIN=TEXT_MIN, TEXT_MAX=TEXT_MAX),
                ),
                submit(label("ui.feedback.otpravit_obrashchenie"), "fb-submit"),
                direction="column",
                spacing="3",
                align="start",
            ),
            on_submit=S.submit,
            reset_on_submit=False,
            key=S.form_key.to_string(),
        ),
    )


def _ticket(row: rx.Var) -> rx.Component:
    S = FeedbackState
    return card(
        rx.heading(label("ui.feedback.obrashchenie"), row.number, as_="h3", size="4", margin_bottom="0.3em"),
        _facts(row),
        rx.text(row.text, as_="p", white_space="pre-wrap", margin_top="0.5em"),
        _answer(row),
        rx.cond(
            row.status != "closed",
            rx.button(
                label("ui.feedback.zakryt_obrashchenie_2"),
                on_click=S.close(row.id),
                variant="soft",
                color_scheme="gray",
                margin_top="0.8em",
                id="fb-close-" + row.id,
                aria_label=label("ui.feedback.zakryt_obrashchenie") + row.number,
            ),
        ),
        id="fb-ticket-" + row.id,
    )


def feedback_page() -> rx.Component:
    S = FeedbackState
    return page_layout(
        label("ui.feedback.obratnaia_sviaz"),
        rx.text(
            message("ui.feedback.zadaite_vopros_ili_soobshchite_o"),
            as_="p",
        ),
        feedback(S.error, S.notice),
        rx.cond(
            S.filed_number != "",
            rx.callout(
                rx.text(
                    label("ui.feedback.obrashchenie"),
                    rx.text.strong(S.filed_number, id="fb-filed-number"),
                    message("ui.feedback.zaregistrirovano_otvet_poiavitsia_zdes_i"),
                ),
                icon="circle_check",
                color_scheme="green",
                role="status",
                id="fb-filed",
                margin_y="0.6em",
            ),
        ),
        _form(),
        section(
            label("ui.feedback.moi_obrashcheniia"),
            rx.cond(
                S.loaded & (S.tickets.length() == 0),
                empty(message("ui.feedback.obrashchenii_poka_net")),
            ),
            rx.flex(rx.foreach(S.tickets, _ticket), direction="column", spacing="3", id="fb-tickets"),
        ),
    )


# ----------------------------------------------------------------------------------------------
# /staff/feedback


def _filters() -> rx.Component:
    T = StaffFeedbackState
    return rx.flex(
        field(
            label("ui.common.status_2"),
            static_select("fb-filter-status", STATUS_OPTIONS, value=T.status, on_change=T.set_status),
            "fb-filter-status",
        ),
        field(
            label("ui.feedback.poriadok"),
            static_select("fb-filter-order", ORDER_OPTIONS, value=T.order, on_change=T.set_order),
            "fb-filter-order",
        ),
        spacing="4",
        wrap="wrap",
        margin_bottom="1em",
    )


def _answer_form(row: rx.Var) -> rx.Component:
    T = StaffFeedbackState
    return rx.form(
        rx.el.input(type="hidden", name="ticket_id", value=row.id),
        field(
            rx.cond(
                row.answer != "",
                message("ui.feedback.novyi_otvet_zamenit_prezhnii"),
                label("ui.feedback.otvet"),
            ),
            rx.text_area(
                id="fb-answer-" + row.id, name="answer", rows="4", max_length=ANSWER_MAX, width="100%"
            ),
            "fb-answer-" + row.id,
        ),
        rx.flex(
            rx.button(label("ui.feedback.otvetit"), type="submit", id="fb-answer-submit-" + row.id),
            rx.button(
                label("ui.feedback.zakryt_obrashchenie_2"),
                type="button",
                on_click=T.close(row.id),
                variant="soft",
                color_scheme="gray",
                id="fb-staff-close-" + row.id,
                aria_label=label("ui.feedback.zakryt_obrashchenie") + row.number,
            ),
            spacing="3",
            margin_top="0.6em",
        ),
        on_submit=T.answer,
        reset_on_submit=True,
        margin_top="0.8em",
    )


def _queue_item(row: rx.Var) -> rx.Component:
    return card(
        rx.heading(label("ui.feedback.obrashchenie"), row.number, as_="h2", size="4", margin_bottom="0.3em"),
        _facts(row),
        rx.text(row.text, as_="p", white_space="pre-wrap", margin_top="0.5em"),
        _answer(row),
        rx.cond(row.status != "closed", _answer_form(row)),
        id="fb-queue-" + row.id,
    )


def staff_feedback_page() -> rx.Component:
    T = StaffFeedbackState
    return page_layout(
        label("menu.staff_feedback"),
        staff_gate(
            T.loaded,
            T.allowed,
            staff_nav(),
            feedback(T.error, T.notice),
            _filters(),
            rx.cond(
                T.queue.length() > 0,
                rx.flex(rx.foreach(T.queue, _queue_item), direction="column", spacing="3", id="fb-queue"),
                empty(message("ui.feedback.obrashchenii_net")),
            ),
        ),
    )


PAGES = [
    (
        "/feedback",
        feedback_page,
        label("ui.feedback.obratnaia_sviaz"),
        [SessionState.refresh, FeedbackState.load],
    ),
    (
        "/staff/feedback",
        staff_feedback_page,
        label("ui.feedback.obrashcheniia_grazhdan_kabinet_sotrudnika"),
        [SessionState.refresh, StaffFeedbackState.load],
    ),
]
