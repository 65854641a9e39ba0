"""«Электронный дом» house polls and informings: the resident's list and poll page, the application
form, the initiator's applications and the moderators' queue."""

import reflex as rx

from ag_app.components.common import card, empty, feedback, field, native_select, section, static_select
from ag_app.components.house_polls import notes_table, results_block
from ag_app.components.layout import page_layout
from ag_app.domain.house_polls import AUDIENCES, REFUSAL_REASONS
from ag_app.state.base import SessionState
from ag_app.state.house_polls import (
    APARTMENT_LIMIT,
    COMMENT_LIMIT,
    HouseModerationState,
    HousePollFormState,
    HousePollsState,
    HousePollState,
    MyHousePollsState,
)


def _house_links() -> rx.Component:
    return rx.flex(
        rx.link("Опросы моего дома", href="/house/polls", id="house-polls-link"),
        rx.link("Подать заявку", href="/house/polls/new", id="house-polls-new-link"),
        rx.link("Мои заявки", href="/house/polls/mine", id="house-polls-mine-link"),
        spacing="4",
        wrap="wrap",
        margin_bottom="1em",
        as_="nav",
        aria_label="Опросы «Электронного дома»",
    )


def _login_hint(logged_in: rx.Var) -> rx.Component:
    return rx.cond(
        ~logged_in,
        rx.text(rx.link("Войдите", href="/login"), ", чтобы увидеть опросы своего дома.", as_="p"),
    )


# ----------------------------------------------------------------------------------------------
# /house/polls


def _poll_card(row: rx.Var) -> rx.Component:
    return card(
        rx.flex(
            rx.badge(row["kind_name"], variant="soft", color_scheme="gray"),
            rx.badge(row["status_name"], variant="soft", color_scheme="blue"),
            rx.cond(
                row["participated"] != "", rx.badge("Вы участвовали", variant="soft", color_scheme="green")
            ),
            spacing="2",
            wrap="wrap",
        ),
        rx.heading(
            rx.link(row["title"], href="/house/polls/" + row["id"], id="house-poll-" + row["id"]),
            as_="h3",
            size="4",
            margin_y="0.4em",
        ),
        rx.text(row["address"], as_="p", size="2"),
        rx.text(row["period"], as_="p", size="2", color_scheme="gray"),
    )


def polls_page() -> rx.Component:
    S = HousePollsState
    return page_layout(
        "Опросы и информирования дома",
        _house_links(),
        feedback(S.error, S.notice),
        _login_hint(S.logged_in),
        rx.cond(
            S.loaded & S.logged_in,
            rx.box(
                section(
                    "Открытые",
                    rx.cond(
                        S.current.length() > 0,
                        rx.flex(rx.foreach(S.current, _poll_card), direction="column", spacing="3"),
                        empty("Сейчас для вашего дома нет открытых опросов и информирований."),
                    ),
                    id="house-polls-current",
                ),
                section(
                    "Прошедшие",
                    rx.cond(
                        S.past.length() > 0,
                        rx.flex(rx.foreach(S.past, _poll_card), direction="column", spacing="3"),
                        empty("Завершённых опросов пока нет."),
                    ),
                    id="house-polls-past",
                ),
            ),
        ),
    )


# ----------------------------------------------------------------------------------------------
# /house/polls/[poll_id]


def _option_input(question: rx.Var, option: rx.Var) -> rx.Component:
    S = HousePollState
    return rx.el.label(
        rx.flex(
            rx.cond(
                question.multiple,
                rx.el.input(
                    type="checkbox",
                    id="hp-option-" + option.id,
                    checked=S.chosen.contains(option.key),
                    on_change=lambda checked: S.toggle(question.id, option.id, checked),
                ),
                rx.el.input(
                    type="radio",
                    name="hp-question-" + question.id,
                    id="hp-option-" + option.id,
                    checked=S.chosen.contains(option.key),
                    on_change=S.choose(question.id, option.id),
                ),
            ),
            rx.text(option.text),
            spacing="2",
            align="center",
        ),
        style={"cursor": "pointer"},
    )


def _question(question: rx.Var) -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(
            question.number,
            ". ",
            question.text,
            rx.cond(question.multiple, " (можно выбрать несколько)", ""),
            style={"fontWeight": "600", "marginBottom": "0.4em"},
        ),
        rx.flex(
            rx.foreach(question.options, lambda o: _option_input(question, o)),
            direction="column",
            spacing="2",
        ),
        style={"border": "none", "padding": "0", "margin": "0 0 1em 0"},
    )


def _rating() -> rx.Component:
    S = HousePollState
    return rx.el.fieldset(
        rx.el.legend("Ваша оценка сообщения", style={"fontWeight": "600", "marginBottom": "0.4em"}),
        rx.flex(
            *[
                rx.el.label(
                    rx.flex(
                        rx.el.input(
                            type="radio",
                            name="hp-rating",
                            id=f"hp-rating-{value}",
                            checked=S.rating == value,
                            on_change=S.set_rating(value),
                        ),
                        rx.text(text),
                        spacing="2",
                        align="center",
                    ),
                    style={"cursor": "pointer"},
                )
                for value, text in (("like", "Нравится"), ("dislike", "Не нравится"))
            ],
            spacing="5",
        ),
        style={"border": "none", "padding": "0", "margin": "0 0 1em 0"},
    )


def _participation() -> rx.Component:
    S = HousePollState
    return card(
        rx.cond(S.kind == "poll", rx.foreach(S.questions, _question), _rating()),
        rx.text(
            "Участие анонимно: инициатор видит только ответы, а также номер квартиры и комментарий, "
            "если вы их укажете.",
            as_="p",
            size="2",
            color_scheme="gray",
            margin_bottom="0.6em",
        ),
        field(
            "Номер квартиры (необязательно)",
            rx.input(
                id="hp-apartment",
                value=S.apartment,
                on_change=S.set_apartment,
                max_length=APARTMENT_LIMIT,
                width="10em",
            ),
            "hp-apartment",
        ),
        field(
            "Комментарий для инициатора (необязательно)",
            rx.text_area(
                id="hp-comment", value=S.comment, on_change=S.set_comment, max_length=COMMENT_LIMIT, rows="3"
            ),
            "hp-comment",
        ),
        rx.button("Отправить", on_click=S.submit, size="3", id="hp-submit", margin_top="0.8em"),
        id="hp-participation",
    )


def _poll_view() -> rx.Component:
    S = HousePollState
    return rx.box(
        rx.flex(
            rx.badge(S.kind_name, variant="soft", color_scheme="gray"),
            rx.badge(S.status_name, variant="soft", color_scheme="blue"),
            spacing="2",
        ),
        rx.text("Дом: ", S.address, as_="p", size="2", margin_top="0.5em"),
        rx.text("Участники: ", S.audience, as_="p", size="2"),
        rx.text("Сроки: ", S.period, as_="p", size="2"),
        rx.cond(
            S.message_text != "", rx.text(S.message_text, as_="p", white_space="pre-wrap", margin_top="0.8em")
        ),
        feedback(S.error, S.notice),
        section(
            "Участие",
            rx.cond(
                S.can_participate,
                _participation(),
                rx.callout(S.cannot_reason, icon="info", color_scheme="amber", id="hp-cannot"),
            ),
        ),
        rx.cond(
            S.has_results,
            section(
                rx.cond(S.results_final, "Итоги", "Промежуточные результаты"),
                results_block(S.results, S.participants_text, "hp-results"),
            ),
        ),
    )


def poll_page() -> rx.Component:
    S = HousePollState
    return page_layout(
        rx.cond(S.found, S.title, "Опрос дома"),
        _house_links(),
        rx.cond(
            S.found,
            _poll_view(),
            rx.cond(S.loaded, feedback(S.error, ""), rx.text("Загрузка…", as_="p")),
        ),
    )


# ----------------------------------------------------------------------------------------------
# /house/polls/new


def _form_option(index: rx.Var, text: rx.Var, option: rx.Var) -> rx.Component:
    S = HousePollFormState
    option_id = "hp-q" + index.to_string() + "-o" + option.to_string()
    return rx.flex(
        rx.el.label(
            "Вариант ",
            (option + 1).to_string(),
            html_for=option_id,
            style={"minWidth": "6em"},
        ),
        rx.input(
            id=option_id,
            value=text,
            on_change=lambda value: S.set_option(index, option, value),
            width="100%",
        ),
        rx.button(
            "Удалить",
            on_click=S.remove_option(index, option),
            variant="soft",
            color_scheme="gray",
            type="button",
            aria_label="Удалить вариант " + (option + 1).to_string(),
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
        rx.heading("Вопрос ", number, as_="h3", size="3"),
        rx.flex(
            rx.el.label("Текст вопроса ", number, html_for=text_id, style={"fontWeight": "500"}),
            rx.input(
                id=text_id,
                value=question["text"],
                on_change=lambda value: S.set_question_text(index, value),
                width="100%",
            ),
            rx.el.label("Тип ответа на вопрос ", number, html_for=kind_id, style={"fontWeight": "500"}),
            static_select(
                kind_id,
                [("single", "Один вариант ответа"), ("multiple", "Несколько вариантов")],
                value=question["kind"],
                on_change=lambda value: S.set_question_kind(index, value),
            ),
            rx.foreach(S.options[index], lambda text, option: _form_option(index, text, option)),
            rx.flex(
                rx.button(
                    "Добавить вариант",
                    on_click=S.add_option(index),
                    variant="soft",
                    type="button",
                    id="hp-q" + index.to_string() + "-add-option",
                ),
                rx.button(
                    "Удалить вопрос",
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
            "Дом",
            native_select(
                "hp-house", S.houses, placeholder="Выберите дом", value=S.house_id, on_change=S.set_house
            ),
            "hp-house",
        ),
        field(
            "Тип заявки",
            static_select(
                "hp-kind",
                [
                    ("poll", "Опрос (1–10 вопросов)"),
                    ("informing", "Информирование (оценка «Нравится» / «Не нравится»)"),
                ],
                value=S.kind,
                on_change=S.set_kind,
            ),
            "hp-kind",
        ),
        field(
            "Заголовок",
            rx.input(id="hp-title", value=S.title, on_change=S.set_title, width="100%"),
            "hp-title",
        ),
        field(
            rx.cond(S.kind == "informing", "Текст информирования", "Вступление (необязательно)"),
            rx.text_area(
                id="hp-message", value=S.message_text, on_change=S.set_message, rows="4", width="100%"
            ),
            "hp-message",
        ),
        rx.el.fieldset(
            rx.el.legend("Участники", style={"fontWeight": "500"}),
            rx.flex(
                *[_audience_box(key, name) for key, name in AUDIENCES.items()],
                direction="column",
                spacing="2",
            ),
            style={"border": "none", "padding": "0"},
        ),
        rx.flex(
            field(
                "Начало (мск)",
                rx.input(id="hp-starts", type="datetime-local", value=S.starts, on_change=S.set_starts),
                "hp-starts",
            ),
            field(
                "Окончание (мск)",
                rx.input(id="hp-ends", type="datetime-local", value=S.ends, on_change=S.set_ends),
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
                        "Добавить вопрос",
                        on_click=S.add_question,
                        variant="soft",
                        type="button",
                        id="hp-add-question",
                    ),
                    rx.text(
                        "В опросе может быть не больше 10 вопросов.", size="2", color_scheme="gray", as_="p"
                    ),
                ),
                direction="column",
                spacing="3",
            ),
        ),
        feedback(S.error, S.notice),
        rx.button("Отправить на модерацию", on_click=S.submit, size="3", id="hp-file"),
        direction="column",
        spacing="4",
        max_width="720px",
    )


def new_page() -> rx.Component:
    S = HousePollFormState
    return page_layout(
        "Заявка на опрос или информирование",
        _house_links(),
        _login_hint(S.logged_in),
        rx.cond(
            S.loaded & S.logged_in,
            rx.cond(
                S.houses.length() > 0,
                _application_form(),
                rx.callout(
                    "Подать заявку могут собственник помещения (подтвердите помещение по ФЛС или номеру "
                    "собственности), житель, зарегистрированный в доме, управляющая организация или ТСЖ.",
                    icon="info",
                    color_scheme="amber",
                    id="hp-not-initiator",
                ),
            ),
        ),
    )


# ----------------------------------------------------------------------------------------------
# /house/polls/mine


def _application(row: rx.Var) -> rx.Component:
    return card(
        rx.flex(
            rx.badge(row.kind_name, variant="soft", color_scheme="gray"),
            rx.badge(
                row.status_name,
                variant="soft",
                color_scheme=rx.cond(
                    row.status == "refused", "red", rx.cond(row.status == "moderation", "amber", "green")
                ),
            ),
            spacing="2",
        ),
        rx.heading(row.title, as_="h2", size="4", margin_y="0.4em"),
        rx.text(row.address, as_="p", size="2"),
        rx.text("Сроки: ", row.period, as_="p", size="2"),
        rx.text("Подана: ", row.filed, as_="p", size="2", color_scheme="gray"),
        rx.cond(
            row.status == "moderation",
            rx.text("Решение модератора — до ", row.due, " (мск)", as_="p", size="2"),
        ),
        rx.cond(
            row.reasons.length() > 0,
            rx.box(
                rx.text("Причины отказа:", as_="p", weight="medium", margin_top="0.5em"),
                rx.el.ul(rx.foreach(row.reasons, lambda reason: rx.el.li(reason))),
            ),
        ),
        rx.cond(
            row.approved,
            rx.box(
                rx.heading("Результаты", as_="h3", size="3", margin_top="0.8em"),
                results_block(row.results, row.participants, "hp-mine-results-" + row.id),
                rx.heading("Квартиры и комментарии участников", as_="h3", size="3", margin_top="0.8em"),
                rx.cond(
                    row.notes.length() > 0,
                    notes_table(row.notes, "hp-mine-notes-" + row.id),
                    empty("Участники пока не оставили номеров квартир и комментариев."),
                ),
                rx.text(
                    "Кто именно принял участие, не раскрывается никому.",
                    as_="p",
                    size="1",
                    color_scheme="gray",
                    margin_top="0.4em",
                ),
            ),
        ),
        id="hp-application-" + row.id,
    )


def mine_page() -> rx.Component:
    S = MyHousePollsState
    return page_layout(
        "Мои заявки",
        _house_links(),
        feedback(S.error, S.notice),
        _login_hint(S.logged_in),
        rx.cond(
            S.loaded & S.logged_in,
            rx.cond(
                S.applications.length() > 0,
                rx.flex(rx.foreach(S.applications, _application), direction="column", spacing="3"),
                empty("Вы ещё не подавали заявок."),
            ),
        ),
    )


# ----------------------------------------------------------------------------------------------
# /staff/house-polls


def _reason_box(row: rx.Var, key: str, text: str) -> rx.Component:
    S = HouseModerationState
    return rx.checkbox(
        text,
        id="hp-reason-" + row.id + f"-{key}",
        checked=S.ticked.contains(row.id + f":{key}"),
        on_change=lambda checked: S.toggle_reason(row.id, key, checked),
        size="1",
    )


def _queue_item(row: rx.Var) -> rx.Component:
    S = HouseModerationState
    return card(
        rx.flex(
            rx.badge(row.kind_name, variant="soft", color_scheme="gray"),
            rx.cond(row.overdue, rx.badge("Срок истёк", color_scheme="red", variant="solid")),
            spacing="2",
        ),
        rx.heading(row.title, as_="h2", size="4", margin_y="0.4em"),
        rx.text("Дом: ", row.address, as_="p", size="2"),
        rx.text("Инициатор: ", row.initiator, as_="p", size="2"),
        rx.text("Участники: ", row.audience, as_="p", size="2"),
        rx.text("Сроки: ", row.period, as_="p", size="2"),
        rx.text("Подана: ", row.filed, " (мск)", as_="p", size="2"),
        rx.text(rx.text.strong("Решить до: ", row.due, " (мск)"), as_="p", size="2", id="hp-due-" + row.id),
        rx.cond(row.calendar_note != "", rx.text(row.calendar_note, as_="p", size="1", color_scheme="amber")),
        rx.cond(row.message != "", rx.text(row.message, as_="p", white_space="pre-wrap", margin_top="0.5em")),
        rx.el.ol(
            rx.foreach(
                row.questions,
                lambda q: rx.el.li(
                    rx.text(q.text, rx.cond(q.multiple, " (несколько вариантов)", ""), weight="medium"),
                    rx.el.ul(rx.foreach(q.options, lambda o: rx.el.li(o.text))),
                ),
            ),
        ),
        rx.el.fieldset(
            rx.el.legend("Причины отказа", style={"fontWeight": "500"}),
            rx.flex(
                *[_reason_box(row, key, text) for key, text in REFUSAL_REASONS.items()],
                direction="column",
                spacing="2",
            ),
            style={"border": "none", "padding": "0", "marginTop": "0.6em"},
        ),
        rx.flex(
            rx.button(
                "Одобрить", on_click=S.approve(row.id), id="hp-approve-" + row.id, color_scheme="green"
            ),
            rx.button(
                "Отклонить",
                on_click=S.refuse(row.id),
                id="hp-refuse-" + row.id,
                color_scheme="red",
                variant="soft",
            ),
            spacing="3",
            margin_top="0.8em",
        ),
        id="hp-queue-" + row.id,
    )


def moderation_page() -> rx.Component:
    S = HouseModerationState
    return page_layout(
        "Модерация опросов «Электронного дома»",
        feedback(S.error, S.notice),
        rx.cond(
            S.loaded,
            rx.cond(
                S.allowed,
                rx.cond(
                    S.queue.length() > 0,
                    rx.flex(rx.foreach(S.queue, _queue_item), direction="column", spacing="3", id="hp-queue"),
                    empty("Заявок на модерации нет."),
                ),
                rx.callout("Недостаточно прав для этого действия.", icon="lock", color_scheme="red"),
            ),
            rx.text("Загрузка…", as_="p"),
        ),
    )


PAGES = [
    ("/house/polls", polls_page, "Опросы дома", [SessionState.refresh, HousePollsState.load]),
    ("/house/polls/new", new_page, "Заявка на опрос", [SessionState.refresh, HousePollFormState.load]),
    ("/house/polls/mine", mine_page, "Мои заявки", [SessionState.refresh, MyHousePollsState.load]),
    ("/house/polls/[poll_id]", poll_page, "Опрос дома", [SessionState.refresh, HousePollState.load]),
    (
        "/staff/house-polls",
        moderation_page,
        "Модерация опросов дома",
        [SessionState.refresh, HouseModerationState.load],
    ),
]
