"""Staff pages for city polls: the list, the create/edit form, results and decisions."""

import reflex as rx

from ag_app.components.common import feedback, field, link_button, panel, staff_gate, staff_nav, static_select
from ag_app.components.layout import page_layout
from ag_app.components.poll_form import poll_form
from ag_app.state.base import SessionState
from ag_app.state.staff_poll_form import StaffPollFormState
from ag_app.state.staff_polls import DECISION_STATUSES, StaffDecisionsState, StaffPollsState

STATE_COLORS = {
    "draft": "gray",
    "scheduled": "blue",
    "active": "green",
    "closed": "orange",
    "results": "purple",
}


def _fact(label: str, value: rx.Var) -> rx.Component:
    return rx.text(rx.text.strong(label + ": "), value, size="2")


def _close_dialog(row: rx.Var) -> rx.Component:
    """«Закрыть досрочно» with a confirmation: closing cannot be undone."""
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button(
                "Закрыть досрочно",
                id="close-" + row["id"],
                color_scheme="orange",
                variant="soft",
                size="2",
                high_contrast=True,
            )
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title("Закрыть голосование досрочно?"),
            rx.alert_dialog.description(
                "«" + row["title"] + "» перестанет принимать голоса. Отменить это действие нельзя."
            ),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Отмена", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(
                    rx.button(
                        "Закрыть голосование",
                        id="confirm-close-" + row["id"],
                        color_scheme="orange",
                        on_click=StaffPollsState.close(row["id"]),
                    )
                ),
                spacing="3",
                justify="end",
                margin_top="1em",
            ),
        ),
    )


def _actions(row: rx.Var) -> rx.Component:
    state = row["state"]
    return rx.flex(
        rx.cond(
            state == "draft",
            link_button(
                "Редактировать",
                "/staff/polls/" + row["id"] + "/edit",
                "edit-" + row["id"],
                size="2",
                variant="outline",
            ),
        ),
        link_button(
            rx.cond(state == "draft", "Предпросмотр", "Открыть"),
            "/polls/" + row["id"],
            "preview-" + row["id"],
            size="2",
            variant="soft",
        ),
        rx.cond(
            state == "draft",
            rx.button(
                "Опубликовать",
                id="publish-" + row["id"],
                on_click=StaffPollsState.publish(row["id"]),
                size="2",
            ),
        ),
        rx.cond((state == "active") | (state == "scheduled"), _close_dialog(row)),
        rx.cond(
            state == "closed",
            rx.button(
                "Опубликовать итоги",
                id="publish-results-" + row["id"],
                on_click=StaffPollsState.publish_results(row["id"]),
                size="2",
            ),
        ),
        rx.cond(
            (state != "draft") & (state != "scheduled"),
            link_button(
                "Итоги и решения",
                "/staff/polls/" + row["id"] + "/decisions",
                "decisions-" + row["id"],
                size="2",
                variant="outline",
            ),
        ),
        spacing="2",
        wrap="wrap",
        margin_top="0.6em",
    )


def _poll_card(row: rx.Var) -> rx.Component:
    return rx.box(
        rx.flex(
            rx.heading(row["title"], as_="h2", size="4"),
            rx.badge(
                row["state_name"],
                color_scheme=rx.match(row["state"], *STATE_COLORS.items(), "gray"),
                size="2",
                high_contrast=True,
            ),
            justify="between",
            align="start",
            spacing="2",
            wrap="wrap",
        ),
        rx.flex(
            _fact("№", row["id"]),
            _fact("Тип", row["scope"]),
            rx.cond(row["territory"] != "", _fact("Территория", row["territory"])),
            _fact("Начало", row["starts"]),
            _fact("Окончание", row["ends"]),
            _fact("Бюллетеней", row["ballots"]),
            _fact("Баллы", row["points"]),
            spacing="1",
            column_gap="1.5em",
            wrap="wrap",
            margin_top="0.3em",
        ),
        _actions(row),
        id="poll-row-" + row["id"],
        padding="0.9em",
        border="1px solid var(--gray-5)",
        border_radius="var(--radius-3)",
        margin_bottom="0.8em",
    )


def polls_list() -> rx.Component:
    """``/staff/polls``."""
    s = StaffPollsState
    return page_layout(
        "Голосования: кабинет сотрудника",
        staff_gate(
            s.loaded,
            s.allowed,
            staff_nav(),
            feedback(s.error, s.notice, id_="staff-polls-status"),
            link_button("Создать голосование", "/staff/polls/new", "new-poll", margin_bottom="1em"),
            rx.cond(s.rows.length() == 0, rx.text("Голосований пока нет.", color_scheme="gray")),
            rx.foreach(s.rows, _poll_card),
        ),
    )


def poll_new() -> rx.Component:
    """``/staff/polls/new``."""
    return page_layout(
        "Новое голосование",
        staff_gate(StaffPollFormState.loaded, StaffPollFormState.allowed, staff_nav(), poll_form()),
    )


def poll_edit() -> rx.Component:
    """``/staff/polls/[poll_id]/edit``."""
    return page_layout(
        "Редактирование голосования",
        staff_gate(
            StaffPollFormState.loaded,
            StaffPollFormState.allowed,
            staff_nav(),
            rx.cond(
                StaffPollFormState.pid > 0,
                poll_form(),
                feedback(StaffPollFormState.error, id_="poll-form-errors"),
            ),
        ),
    )


def _option_row(option: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(option["text"]),
        rx.table.cell(option["count"]),
        rx.table.cell(option["percent"] + " %"),
        rx.table.cell(option["moscow"]),
        rx.table.cell(option["other"]),
    )


def _question_result(question: rx.Var, index: rx.Var) -> rx.Component:
    return rx.box(
        rx.heading(question["number"] + ". " + question["text"], as_="h3", size="3"),
        rx.text("Ответили: " + question["answered"], size="2", color_scheme="gray"),
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell("Вариант"),
                        rx.table.column_header_cell("Голосов"),
                        rx.table.column_header_cell("Доля"),
                        rx.table.column_header_cell("Московские номера"),
                        rx.table.column_header_cell("Немосковские номера"),
                    )
                ),
                rx.table.body(rx.foreach(StaffDecisionsState.options[index], _option_row)),
                size="1",
                variant="surface",
            ),
            overflow_x="auto",
            margin="0.4em 0",
        ),
        rx.cond(
            StaffDecisionsState.own_texts[index].length() > 0,
            rx.el.details(
                rx.el.summary(
                    "Свои варианты ответа (" + StaffDecisionsState.own_texts[index].length().to_string() + ")"
                ),
                rx.el.ul(rx.foreach(StaffDecisionsState.own_texts[index], lambda t: rx.el.li(t))),
            ),
        ),
        margin_bottom="1em",
    )


def _decision(decision: rx.Var) -> rx.Component:
    return rx.box(
        rx.flex(
            rx.badge(
                decision["status_name"],
                color_scheme=rx.cond(decision["status"] == "implemented", "green", "blue"),
                size="2",
                high_contrast=True,
            ),
            rx.text("от " + decision["created"], size="1", color_scheme="gray"),
            rx.cond(
                decision["implemented"] != "",
                rx.text("реализовано " + decision["implemented"], size="1", color_scheme="gray"),
            ),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        rx.text(decision["text"], margin_top="0.3em", white_space="pre-wrap"),
        rx.cond(
            decision["status"] != "implemented",
            rx.button(
                "Отметить «Реализовано»",
                id="implement-" + decision["id"],
                on_click=StaffDecisionsState.mark_implemented(decision["id"]),
                size="2",
                variant="soft",
                margin_top="0.4em",
            ),
        ),
        id="decision-" + decision["id"],
        padding="0.6em 0",
        border_bottom="1px solid var(--gray-4)",
    )


def decisions_page() -> rx.Component:
    """``/staff/polls/[poll_id]/decisions``."""
    s = StaffDecisionsState
    return page_layout(
        "Итоги и решения",
        staff_gate(
            s.loaded,
            s.allowed,
            staff_nav(),
            feedback(s.error, s.notice, id_="decisions-status"),
            rx.cond(
                s.found,
                rx.fragment(
                    rx.text(
                        rx.text.strong("Голосование: "),
                        rx.link(s.title, href="/polls/" + s.pid.to_string(), id="open-poll"),
                        size="3",
                    ),
                    rx.text(rx.text.strong("Состояние: "), s.state_name, size="2", margin_bottom="1em"),
                    panel(
                        "Итоги",
                        rx.flex(
                            _fact("Всего бюллетеней", s.ballots.to_string()),
                            _fact("С московских номеров", s.moscow_ballots.to_string()),
                            _fact("С немосковских номеров", s.other_ballots.to_string()),
                            spacing="1",
                            column_gap="1.5em",
                            wrap="wrap",
                            margin_bottom="0.8em",
                        ),
                        rx.cond(
                            s.state == "closed",
                            rx.button(
                                "Опубликовать итоги",
                                id="publish-results",
                                on_click=s.publish_results,
                                margin_bottom="1em",
                            ),
                        ),
                        rx.cond(
                            s.state == "results",
                            rx.text(
                                "Итоги опубликованы и показаны в «Новостях».",
                                color_scheme="green",
                                margin_bottom="0.8em",
                            ),
                        ),
                        rx.foreach(s.questions, _question_result),
                    ),
                    panel(
                        "Решения по итогам",
                        rx.cond(
                            s.decisions.length() == 0,
                            rx.text("Решений пока нет.", color_scheme="gray", size="2"),
                        ),
                        rx.foreach(s.decisions, _decision),
                        rx.cond(
                            (s.state == "closed") | (s.state == "results"),
                            rx.fragment(
                                rx.heading("Добавить решение", as_="h3", size="3", margin_top="1em"),
                                rx.flex(
                                    field(
                                        "Текст решения",
                                        rx.text_area(
                                            id="decision-text",
                                            value=s.new_text,
                                            on_change=s.set_new_text,
                                            rows="3",
                                        ),
                                        "decision-text",
                                    ),
                                    field(
                                        "Статус",
                                        static_select(
                                            "decision-status",
                                            list(DECISION_STATUSES.items()),
                                            value=s.new_status,
                                            on_change=s.set_new_status,
                                        ),
                                        "decision-status",
                                    ),
                                    rx.button(
                                        "Добавить решение",
                                        id="add-decision",
                                        on_click=s.add_decision,
                                        type="button",
                                    ),
                                    direction="column",
                                    spacing="3",
                                    align="start",
                                ),
                            ),
                            rx.text(
                                "Решения добавляются после окончания голосования.",
                                color_scheme="gray",
                                size="2",
                                margin_top="0.8em",
                            ),
                        ),
                    ),
                ),
            ),
        ),
    )


_STAFF_POLLS_LOAD = [SessionState.refresh, StaffPollsState.load]
_FORM_LOAD = [SessionState.refresh, StaffPollFormState.load]
_DECISIONS_LOAD = [SessionState.refresh, StaffDecisionsState.load]

PAGES = [
    ("/staff/polls", polls_list, "Голосования — кабинет сотрудника", _STAFF_POLLS_LOAD),
    ("/staff/polls/new", poll_new, "Новое голосование", _FORM_LOAD),
    ("/staff/polls/[poll_id]/edit", poll_edit, "Редактирование голосования", _FORM_LOAD),
    ("/staff/polls/[poll_id]/decisions", decisions_page, "Итоги и решения", _DECISIONS_LOAD),
]
