"""«Обратная связь» (SPEC §4.3): the resident's form and tickets, and the staff queue."""

import reflex as rx

from ag_app.components.common import (
    card,
    empty,
    feedback,
    field,
    section,
    staff_gate,
    staff_nav,
    static_select,
    submit,
)
from ag_app.components.layout import page_layout
from ag_app.domain.feedback import ANSWER_MAX, TEXT_MAX, TEXT_MIN
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
            rx.text("Ответ от ", row.answered, " (мск):", weight="medium", size="2", as_="p"),
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
        rx.text("Тема: ", row.topic, size="2"),
        rx.text("Подано: ", row.created, " (мск)", size="2"),
        spacing="3",
        wrap="wrap",
        align="center",
    )


# ----------------------------------------------------------------------------------------------
# /feedback


def _form() -> rx.Component:
    S = FeedbackState
    return section(
        "Новое обращение",
        rx.form(
            rx.flex(
                field(
                    "Тема обращения",
                    static_select("fb-topic", [("", "Выберите тему"), *TOPIC_OPTIONS], name="topic"),
                    "fb-topic",
                ),
                field(
                    "Текст обращения",
                    rx.text_area(
                        id="fb-text", name="text", rows="6", max_length=TEXT_MAX, width="100%", size="3"
                    ),
                    "fb-text",
                    hint=f"От {TEXT_MIN} до {TEXT_MAX} символов.",
                ),
                submit("Отправить обращение", "fb-submit"),
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
        rx.heading("Обращение № ", row.number, as_="h3", size="4", margin_bottom="0.3em"),
        _facts(row),
        rx.text(row.text, as_="p", white_space="pre-wrap", margin_top="0.5em"),
        _answer(row),
        rx.cond(
            row.status != "closed",
            rx.button(
                "Закрыть обращение",
                on_click=S.close(row.id),
                variant="soft",
                color_scheme="gray",
                margin_top="0.8em",
                id="fb-close-" + row.id,
                aria_label="Закрыть обращение № " + row.number,
            ),
        ),
        id="fb-ticket-" + row.id,
    )


def feedback_page() -> rx.Component:
    S = FeedbackState
    return page_layout(
        "Обратная связь",
        rx.text(
            "Задайте вопрос или сообщите о проблеме. Обращению присваивается номер; "
            "ответ сотрудника появится на этой странице и в уведомлениях.",
            as_="p",
        ),
        feedback(S.error, S.notice),
        rx.cond(
            S.filed_number != "",
            rx.callout(
                rx.text(
                    "Обращение № ",
                    rx.text.strong(S.filed_number, id="fb-filed-number"),
                    " зарегистрировано. Ответ появится здесь и в уведомлениях.",
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
            "Мои обращения",
            rx.cond(
                S.loaded & (S.tickets.length() == 0),
                empty("Обращений пока нет."),
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
            "Статус",
            static_select("fb-filter-status", STATUS_OPTIONS, value=T.status, on_change=T.set_status),
            "fb-filter-status",
        ),
        field(
            "Порядок",
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
            rx.cond(row.answer != "", "Новый ответ (заменит прежний)", "Ответ"),
            rx.text_area(
                id="fb-answer-" + row.id, name="answer", rows="4", max_length=ANSWER_MAX, width="100%"
            ),
            "fb-answer-" + row.id,
        ),
        rx.flex(
            rx.button("Ответить", type="submit", id="fb-answer-submit-" + row.id),
            rx.button(
                "Закрыть обращение",
                type="button",
                on_click=T.close(row.id),
                variant="soft",
                color_scheme="gray",
                id="fb-staff-close-" + row.id,
                aria_label="Закрыть обращение № " + row.number,
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
        rx.heading("Обращение № ", row.number, as_="h2", size="4", margin_bottom="0.3em"),
        _facts(row),
        rx.text(row.text, as_="p", white_space="pre-wrap", margin_top="0.5em"),
        _answer(row),
        rx.cond(row.status != "closed", _answer_form(row)),
        id="fb-queue-" + row.id,
    )


def staff_feedback_page() -> rx.Component:
    T = StaffFeedbackState
    return page_layout(
        "Обращения граждан",
        staff_gate(
            T.loaded,
            T.allowed,
            staff_nav(),
            feedback(T.error, T.notice),
            _filters(),
            rx.cond(
                T.queue.length() > 0,
                rx.flex(rx.foreach(T.queue, _queue_item), direction="column", spacing="3", id="fb-queue"),
                empty("Обращений нет."),
            ),
        ),
    )


PAGES = [
    ("/feedback", feedback_page, "Обратная связь", [SessionState.refresh, FeedbackState.load]),
    (
        "/staff/feedback",
        staff_feedback_page,
        "Обращения граждан — кабинет сотрудника",
        [SessionState.refresh, StaffFeedbackState.load],
    ),
]
