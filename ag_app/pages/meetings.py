"""Owners' meetings for residents: ``/house/meetings``, ``/house/meetings/new`` and the meeting page
``/house/meetings/[meeting_id]`` with the agenda, the vote, the live meter and the protocol."""

import reflex as rx

from ag_app.components.common import (
    CELL,
    card,
    empty,
    feedback,
    field,
    scroll_table,
    section,
    static_select,
    text_input,
)
from ag_app.components.layout import page_layout
from ag_app.state.base import SessionState
from ag_app.state.meetings import (
    THRESHOLD_CHOICES,
    TOPIC_CHOICES,
    MeetingFormState,
    MeetingListState,
    MeetingMeterState,
)
from ag_app.state.meetings import MeetingPageState as S

CHOICE_LABELS = [("for", "За"), ("against", "Против"), ("abstain", "Воздержался")]


# ----------------------------------------------------------------------------------------------
# /house/meetings


def _meeting_card(row: rx.Var) -> rx.Component:
    return card(
        rx.heading(rx.link(row["address"], href="/house/meetings/" + row["id"]), as_="h2", size="4"),
        rx.flex(
            rx.badge(row["state"], variant="soft", color_scheme="blue"),
            rx.text(row["period"], size="2"),
            spacing="3",
            wrap="wrap",
            align="center",
            margin_top="0.4em",
        ),
        rx.text(row["questions"], size="2", color_scheme="gray", as_="p"),
    )


def list_page() -> rx.Component:
    """``/house/meetings``."""
    L = MeetingListState
    return page_layout(
        "Собрания собственников",
        rx.cond(
            L.loaded,
            rx.cond(
                L.logged_in,
                rx.box(
                    rx.cond(
                        L.can_file,
                        rx.link("Подать заявку на собрание", href="/house/meetings/new", id="file-meeting"),
                    ),
                    rx.cond(
                        L.rows.length() > 0,
                        rx.flex(
                            rx.foreach(L.rows, _meeting_card),
                            direction="column",
                            spacing="3",
                            margin_top="1em",
                        ),
                        empty(
                            "Собраний в ваших домах пока нет. Подтвердите право собственности в профиле, "
                            "чтобы видеть собрания своего дома."
                        ),
                    ),
                ),
                rx.text(
                    rx.link("Войдите", href="/login"),
                    ", чтобы увидеть собрания собственников своего дома.",
                    as_="p",
                ),
            ),
            rx.text("Загрузка…", color_scheme="gray"),
        ),
    )


# ----------------------------------------------------------------------------------------------
# /house/meetings/new


def _agenda_item(item: rx.Var, index: rx.Var) -> rx.Component:
    F = MeetingFormState
    number = (index + 1).to_string()
    return card(
        rx.heading("Вопрос " + number, as_="h3", size="3"),
        rx.flex(
            rx.el.label(
                "Текст вопроса " + number, html_for="item-text-" + number, style={"fontWeight": "500"}
            ),
            rx.text_area(
                id="item-text-" + number,
                value=item["text"],
                on_change=lambda v: F.set_item(index, "text", v),
                rows="3",
                width="100%",
            ),
            rx.el.label(
                "Тема вопроса " + number, html_for="item-topic-" + number, style={"fontWeight": "500"}
            ),
            static_select(
                "item-topic-" + number,
                TOPIC_CHOICES,
                value=item["topic"],
                on_change=lambda v: F.set_item(index, "topic", v),
            ),
            rx.el.label(
                "Порог принятия вопроса " + number,
                html_for="item-threshold-" + number,
                style={"fontWeight": "500"},
            ),
            static_select(
                "item-threshold-" + number,
                THRESHOLD_CHOICES,
                value=item["threshold"],
                on_change=lambda v: F.set_item(index, "threshold", v),
            ),
            rx.button(
                "Удалить вопрос " + number,
                type="button",
                variant="soft",
                color_scheme="red",
                on_click=F.remove_item(index),
                id="item-remove-" + number,
            ),
            direction="column",
            spacing="2",
            align="start",
        ),
    )


def new_page() -> rx.Component:
    """``/house/meetings/new``."""
    F = MeetingFormState
    return page_layout(
        "Заявка на общее собрание собственников",
        feedback(F.error, F.notice),
        rx.cond(
            F.loaded,
            rx.box(
                rx.foreach(F.refusals, lambda r: rx.text(r, as_="p", size="2", color_scheme="gray")),
                rx.cond(
                    F.houses.length() > 0,
                    rx.flex(
                        rx.text(
                            "Собственники будут уведомлены сразу после подачи заявки (в приложении, по СМС и "
                            "электронной почте); голосование может начаться не раньше чем через 10 дней.",
                            as_="p",
                        ),
                        field(
                            "Дом",
                            rx.el.select(
                                rx.foreach(F.houses, lambda h: rx.el.option(h["address"], value=h["id"])),
                                id="meeting-house",
                                value=F.house_id,
                                on_change=lambda v: F.set_field("house_id", v),
                                style={"width": "100%", "padding": "0.5em"},
                            ),
                            "meeting-house",
                        ),
                        section(
                            "Повестка дня",
                            rx.flex(rx.foreach(F.items, _agenda_item), direction="column", spacing="3"),
                            rx.button(
                                "Добавить вопрос",
                                type="button",
                                on_click=F.add_item,
                                id="item-add",
                                margin_top="0.6em",
                            ),
                        ),
                        field(
                            "Начало голосования (мск)",
                            text_input(
                                "meeting-starts",
                                type="datetime-local",
                                value=F.starts,
                                on_change=lambda v: F.set_field("starts", v),
                            ),
                            "meeting-starts",
                        ),
                        field(
                            "Окончание голосования (мск)",
                            text_input(
                                "meeting-ends",
                                type="datetime-local",
                                value=F.ends,
                                on_change=lambda v: F.set_field("ends", v),
                            ),
                            "meeting-ends",
                        ),
                        field(
                            "Адрес приёма бумажных решений",
                            text_input(
                                "meeting-address",
                                value=F.address,
                                on_change=lambda v: F.set_field("address", v),
                            ),
                            "meeting-address",
                        ),
                        rx.button("Подать заявку", on_click=F.submit, id="meeting-submit", size="3"),
                        direction="column",
                        spacing="3",
                        margin_top="1em",
                    ),
                    empty(
                        "Провести собрание могут собственники помещений и управляющие организации домов из реестра."
                    ),
                ),
            ),
            rx.text("Загрузка…", color_scheme="gray"),
        ),
    )


# ----------------------------------------------------------------------------------------------
# /house/meetings/[meeting_id]


def _facts() -> rx.Component:
    return rx.box(
        rx.flex(rx.badge(S.state_name, variant="soft", color_scheme="blue", id="meeting-state"), spacing="2"),
        rx.text("Дом: ", S.address, " (", S.district, ")", as_="p", margin_top="0.5em", id="meeting-address"),
        rx.text("Инициатор: ", S.initiator, as_="p", size="2"),
        rx.text("Собственники уведомлены: ", S.notified, as_="p", size="2"),
        rx.text("Голосование: ", S.period, as_="p", size="2"),
        rx.text("Бумажные решения принимаются по адресу: ", S.in_person_address, as_="p", size="2"),
    )


def _meter_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.th(row["number"], scope="row", style=CELL),
        rx.el.td(row["for"], style=CELL),
        rx.el.td(row["against"], style=CELL),
        rx.el.td(row["abstain"], style=CELL),
        rx.el.td(row["needed"], id="meter-needed-" + row["number"], style=CELL),
    )


def _meter() -> rx.Component:
    M = MeetingMeterState
    return section(
        "Ход голосования",
        rx.text(M.collected, as_="p", id="meter-collected"),
        rx.box(
            rx.box(width=M.collected_width, height="100%", background="var(--accent-9)", border_radius="4px"),
            # The quorum line: half of all votes of the house.
            rx.box(
                position="absolute",
                left="50%",
                top="-4px",
                bottom="-4px",
                width="2px",
                background="var(--gray-12)",
            ),
            position="relative",
            height="14px",
            background="var(--gray-4)",
            border_radius="4px",
            margin_y="0.6em",
            role="img",
            aria_label=M.collected,
        ),
        rx.text(M.quorum_text, as_="p", id="meter-quorum", weight="medium"),
        rx.text(M.owners_text, as_="p", size="2", color_scheme="gray", id="meter-owners"),
        scroll_table(
            "Итоги по вопросам, м²",
            ["Вопрос", "За", "Против", "Воздержался", "До принятия"],
            M.questions,
            _meter_row,
            id_="meter-table",
        ),
        aria_live="polite",
        id="meter",
    )


def _choices(q: rx.Var) -> rx.Component:
    return rx.radio_group.root(
        rx.flex(
            *[
                rx.el.label(
                    rx.flex(
                        rx.radio_group.item(value=value, id="choice-" + q["id"] + "-" + value),
                        rx.text(text),
                        spacing="2",
                        align="center",
                    ),
                    style={"cursor": "pointer"},
                )
                for value, text in CHOICE_LABELS
            ],
            spacing="4",
            wrap="wrap",
        ),
        value=q["picked"],
        on_change=lambda v: S.pick(q["id"], v),
        aria_labelledby="question-" + q["id"],
        size="3",
    )


def _question(q: rx.Var) -> rx.Component:
    return card(
        rx.heading("Вопрос " + q["number"], as_="h3", size="3", id="question-" + q["id"]),
        rx.text(q["text"], as_="p", white_space="pre-wrap"),
        rx.text("Тема: ", q["topic"], as_="p", size="2", color_scheme="gray"),
        rx.text("Порог: ", q["threshold"], as_="p", size="2", color_scheme="gray"),
        rx.cond(
            q["mine"] != "",
            rx.text(
                "Ваше решение: ",
                rx.text.strong(q["mine"]),
                as_="p",
                margin_top="0.4em",
                id="mine-" + q["number"],
            ),
            rx.cond(S.can_vote, rx.box(_choices(q), margin_top="0.5em")),
        ),
    )


def _protocol() -> rx.Component:
    return rx.cond(
        S.protocol_sha256 != "",
        section(
            "Протокол собрания",
            rx.link(
                "Скачать протокол (PDF)",
                href=S.protocol_url,
                is_external=False,
                reload_document=True,
                id="protocol-link",
            ),
            rx.text(
                "SHA-256 файла протокола: ",
                rx.code(S.protocol_sha256, id="protocol-sha"),
                as_="p",
                size="2",
                margin_top="0.5em",
            ),
        ),
    )


def meeting_page() -> rx.Component:
    """``/house/meetings/[meeting_id]``."""
    return page_layout(
        "Общее собрание собственников",
        feedback(S.error, S.notice),
        rx.cond(
            S.loaded,
            rx.cond(
                S.found,
                rx.box(
                    _facts(),
                    _meter(),
                    _protocol(),
                    section(
                        "Повестка дня",
                        rx.cond(
                            S.cannot_vote_reason != "",
                            rx.callout(
                                S.cannot_vote_reason, icon="info", color_scheme="gray", id="cannot-vote"
                            ),
                        ),
                        rx.flex(
                            rx.foreach(S.agenda, _question),
                            direction="column",
                            spacing="3",
                            margin_top="0.6em",
                        ),
                        rx.cond(
                            S.can_vote,
                            rx.box(
                                rx.text(
                                    "Решение по вопросу окончательное: изменить его нельзя.",
                                    as_="p",
                                    size="2",
                                    color_scheme="gray",
                                ),
                                rx.button(
                                    "Отправить решения",
                                    on_click=S.send,
                                    id="send-decisions",
                                    size="3",
                                    margin_top="0.4em",
                                ),
                                margin_top="0.8em",
                            ),
                        ),
                    ),
                ),
            ),
            rx.text("Загрузка…", color_scheme="gray"),
        ),
    )


PAGES = [
    ("/house/meetings", list_page, "Собрания собственников", [SessionState.refresh, MeetingListState.load]),
    (
        "/house/meetings/new",
        new_page,
        "Заявка на собрание собственников",
        [SessionState.refresh, MeetingFormState.load],
    ),
    (
        "/house/meetings/[meeting_id]",
        meeting_page,
        "Собрание собственников",
        [SessionState.refresh, S.load],
    ),
]
