"""``/staff/awards`` «Премия: конкурс» (the operator): the contest form and the review of applications
(rendering only)."""

import reflex as rx

from ag_app.components.common import feedback, field, native_select, panel, staff_gate, static_select
from ag_app.components.layout import page_layout
from ag_app.components.record_form import INPUT_STYLE, form_input, form_textarea, record_choice
from ag_app.state.base import SessionState
from ag_app.state.staff_award import GROUND_CHOICES, STATUS_CHOICES
from ag_app.state.staff_award import StaffAwardState as M

FORBIDDEN_TEXT = (
    "Недостаточно прав: конкурс ведёт оператор премии (сотрудник города). "
    "Войдите под учётной записью сотрудника."
)
GROUND_OPTIONS = [("", "Выберите основание"), *GROUND_CHOICES]


def _input(name: str, label: str, hint: str = "", **props) -> rx.Component:
    return form_input(M.form, f"award-form-{name}", name, label, hint, **props)


def _textarea(name: str, label: str, hint: str = "", rows: str = "4") -> rx.Component:
    return form_textarea(M.form, f"award-form-{name}", name, label, hint, rows)


def _choice() -> rx.Component:
    return record_choice(
        "Конкурс",
        select_id="award-contest",
        select_label="Показать конкурс",
        items=M.contests,
        placeholder="Новый конкурс (не сохранён)",
        value=M.contest_id,
        on_change=M.choose_contest,
        new_label="Новый конкурс",
        new_id="award-new",
        on_new=M.new_contest,
    )


def _form() -> rx.Component:
    return panel(
        rx.cond(M.creating, "Новый конкурс", "Настройки конкурса"),
        rx.form(
            rx.flex(
                rx.grid(
                    _input("year", "Год", input_mode="numeric", max_length=4),
                    _input(
                        "opens", "Начало приёма заявок", "ДД.ММ.ГГГГ ЧЧ:ММ, время московское", max_length=20
                    ),
                    _input(
                        "closes",
                        "Приём заявок до",
                        "последняя включённая минута, например 30.11.2026 23:59",
                        max_length=20,
                    ),
                    columns=rx.breakpoints(initial="1", md="3"),
                    spacing="3",
                ),
                _input("title", "Название", max_length=200),
                _textarea("description", "Описание"),
                _textarea(
                    "tasks",
                    "Задачи — по одной в строке",
                    "номер | название | лимит коллективов (пусто — без лимита) | премия за 1 место | за 2 | за 3 | "
                    "описание. Премии в рублях, копейки через запятую: 150000 или 1000,50.",
                    rows="6",
                ),
                _textarea(
                    "criteria",
                    "Критерии оценки — по одному в строке",
                    "номер | название | максимальный балл | описание",
                    rows="5",
                ),
                rx.button(
                    rx.cond(M.creating, "Опубликовать конкурс", "Сохранить изменения"),
                    type="submit",
                    id="award-save",
                ),
                direction="column",
                spacing="3",
            ),
            on_submit=M.save,
            reset_on_submit=False,
            key=M.form_version.to_string(),
        ),
    )


def _publish() -> rx.Component:
    return panel(
        "Список допущенных коллективов",
        rx.cond(
            M.admitted_published,
            rx.text(
                "Опубликован ", M.published_text, " — страница премии показывает текущий список.", as_="p"
            ),
            rx.flex(
                rx.text(
                    "Пока не опубликован: жители видят задачи и критерии без списка коллективов.", as_="p"
                ),
                rx.button("Опубликовать список допущенных", on_click=M.publish, id="award-publish"),
                direction="column",
                spacing="2",
                align="start",
            ),
        ),
    )


def _filters() -> rx.Component:
    return rx.form(
        rx.flex(
            field(
                "Задача",
                native_select(
                    "award-filter-task", M.tasks, placeholder="Все задачи", name="task_id", label_key="label"
                ),
                "award-filter-task",
            ),
            field(
                "Статус",
                static_select("award-filter-status", STATUS_CHOICES, name="status"),
                "award-filter-status",
            ),
            rx.button("Показать", type="submit", id="award-filter"),
            spacing="3",
            align="end",
            wrap="wrap",
        ),
        on_submit=M.filter,
        reset_on_submit=False,
    )


def _team_form(row: rx.Var, handler, suffix: str, *controls: rx.Component, button: str) -> rx.Component:
    return rx.form(
        rx.el.input(type="hidden", name="team_id", value=row["id"]),
        rx.flex(
            *controls,
            rx.button(
                button, type="submit", variant="soft", color_scheme="red", id=f"award-{suffix}-" + row["id"]
            ),
            direction="column",
            spacing="2",
        ),
        on_submit=handler,
        reset_on_submit=True,
    )


def _labelled(id_: rx.Var, label: str, control: rx.Component) -> rx.Component:
    return rx.flex(
        rx.el.label(label, html_for=id_, style={"fontWeight": "500"}),
        control,
        direction="column",
        spacing="1",
    )


def _application(row: rx.Var) -> rx.Component:
    reason_id = "award-reason-" + row["id"]
    ground_id = "award-ground-" + row["id"]
    note_id = "award-note-" + row["id"]
    return rx.card(
        rx.heading("«", row["name"], "» — задача ", row["task"], as_="h3", size="4"),
        rx.text("Статус: ", rx.text.strong(row["status_name"]), " · участников: ", row["size"], as_="p"),
        rx.text("Состав: ", row["members"], as_="p", size="2"),
        rx.cond(
            row["project"] != "",
            rx.box(
                rx.text("Проект: ", rx.text.strong(row["project"]), " (подан ", row["applied"], ")", as_="p"),
                rx.link(row["url"], href=row["url"], is_external=True, style={"wordBreak": "break-all"}),
                rx.text("Технологии: ", row["technologies"], as_="p", size="2"),
                rx.text(row["description"], as_="p", size="2", white_space="pre-wrap"),
            ),
        ),
        rx.cond(row["note"] != "", rx.text("Примечание: ", row["note"], as_="p", size="2")),
        rx.cond(row["ground"] != "", rx.text("Основание исключения: ", row["ground"], as_="p", size="2")),
        rx.cond(
            row["can_review"] != "",
            rx.flex(
                rx.button("Допустить", on_click=M.admit(row["id"]), id="award-admit-" + row["id"]),
                _team_form(
                    row,
                    M.refuse,
                    "refuse",
                    _labelled(
                        reason_id,
                        "Причина отказа",
                        rx.el.input(id=reason_id, name="reason", style=INPUT_STYLE, max_length=500),
                    ),
                    button="Отказать",
                ),
                direction="column",
                spacing="3",
                margin_top="0.5em",
            ),
        ),
        rx.cond(
            (row["status"] != "excluded") & (row["status"] != "withdrawn"),
            rx.el.details(
                rx.el.summary("Исключить коллектив"),
                _team_form(
                    row,
                    M.exclude_team,
                    "exclude",
                    _labelled(
                        ground_id,
                        "Основание (п. 1.14)",
                        static_select(ground_id, GROUND_OPTIONS, name="ground"),
                    ),
                    _labelled(
                        note_id,
                        "Примечание",
                        rx.el.input(id=note_id, name="note", style=INPUT_STYLE, max_length=500),
                    ),
                    button="Исключить коллектив",
                ),
                style={"marginTop": "0.5em"},
            ),
        ),
        width="100%",
    )


def _exclude_member() -> rx.Component:
    return rx.cond(
        M.members.length() > 0,
        rx.el.details(
            rx.el.summary("Исключить участника из коллектива"),
            rx.form(
                rx.flex(
                    field(
                        "Участник",
                        native_select(
                            "award-member",
                            M.members,
                            placeholder="Выберите участника",
                            name="member_id",
                            label_key="label",
                        ),
                        "award-member",
                    ),
                    field(
                        "Основание (п. 1.14)",
                        static_select("award-member-ground", GROUND_OPTIONS, name="ground"),
                        "award-member-ground",
                    ),
                    field(
                        "Примечание",
                        rx.el.input(id="award-member-note", name="note", style=INPUT_STYLE, max_length=500),
                        "award-member-note",
                        "Если в коллективе останется меньше двух человек, он будет исключён.",
                    ),
                    rx.button(
                        "Исключить участника",
                        type="submit",
                        color_scheme="red",
                        variant="soft",
                        id="award-exclude-member",
                    ),
                    direction="column",
                    spacing="3",
                    align="start",
                ),
                on_submit=M.exclude_member,
                reset_on_submit=True,
            ),
            style={"margin": "0.5em 0 1em"},
        ),
    )


def _applications() -> rx.Component:
    return panel(
        "Заявки",
        _filters(),
        _exclude_member(),
        rx.cond(
            M.applications.length() > 0,
            rx.flex(
                rx.foreach(M.applications, _application), direction="column", spacing="3", margin_top="1em"
            ),
            rx.text("Заявок нет.", color_scheme="gray", as_="p", margin_top="1em"),
        ),
        id="award-applications",
    )


def staff_awards_page() -> rx.Component:
    return page_layout(
        "Премия: конкурс",
        feedback(M.error, M.notice, id_="form-errors"),
        staff_gate(
            M.loaded,
            M.allowed,
            rx.link("Страница премии для жителей", href="/awards", id="award-public-link"),
            _choice(),
            _form(),
            rx.cond(~M.creating, rx.fragment(_publish(), _applications())),
            forbidden=FORBIDDEN_TEXT,
        ),
    )


PAGES = [
    ("/staff/awards", staff_awards_page, "Премия: конкурс", [SessionState.refresh, M.load]),
]
