"""«Премия «Лидеры цифровой трансформации»» (``/awards``) and «Моя команда» (``/awards/team``):
the contest for everyone, and a participant's team, invitations and application (rendering only)."""

import reflex as rx

from ag_app.components.award_nav import award_nav
from ag_app.components.common import (
    CELL,
    card,
    empty,
    feedback,
    field,
    native_select,
    scroll_table,
    section,
    submit,
    text_input,
)
from ag_app.components.layout import page_layout
from ag_app.state.award import AwardState, AwardTeamState
from ag_app.state.base import SessionState

TITLE = "Премия «Лидеры цифровой трансформации»"
_CELL = CELL
_URL = {**CELL, "wordBreak": "break-all"}


def _task_card(task: rx.Var) -> rx.Component:
    return card(
        rx.heading(task["label"], as_="h3", size="4"),
        rx.cond(task["description"] != "", rx.text(task["description"], as_="p", margin_y="0.4em")),
        rx.text("Премии коллективу: ", task["prizes"], as_="p", size="2"),
        rx.text(
            "Коллективов на задачу: ",
            task["cap"],
            " (заявок подано и допущено: ",
            task["teams"],
            ")",
            as_="p",
            size="2",
        ),
        rx.cond(task["full"] != "", rx.badge(task["full"], color_scheme="red")),
    )


def _criterion_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["number"], style=_CELL),
        rx.el.td(row["name"], style=_CELL),
        rx.el.td(row["description"], style=_CELL),
        rx.el.td(row["max"], style=_CELL),
    )


def _admitted_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["name"], style=_CELL),
        rx.el.td(row["task"], style=_CELL),
        rx.el.td(row["project"], style=_CELL),
        rx.el.td(rx.link(row["url"], href=row["url"], is_external=True), style=_URL),
    )


def _contest() -> rx.Component:
    S = AwardState
    return rx.box(
        rx.heading(S.title, as_="h2", size="5", id="award-title"),
        rx.text(S.description, as_="p", margin_y="0.5em"),
        rx.text("Приём заявок: ", S.period, as_="p", id="award-period"),
        rx.text(rx.text.strong(S.open_text), as_="p", id="award-open"),
        rx.link(
            "Моя команда: создать коллектив, приглашения, заявка →", href="/awards/team", id="award-cabinet"
        ),
        section(
            "Задачи и премии",
            rx.text(
                "Коллектив из 2–5 совершеннолетних решает одну задачу; премия делится между участниками поровну.",
                as_="p",
                size="2",
            ),
            rx.grid(
                rx.foreach(S.tasks, _task_card), columns=rx.breakpoints(initial="1", md="2"), spacing="3"
            ),
            id="award-tasks",
        ),
        section(
            "Критерии оценки",
            scroll_table(
                "Критерии оценки проектов",
                ["№", "Критерий", "Описание", "Максимальный балл"],
                S.criteria,
                _criterion_row,
                id_="award-criteria",
            ),
        ),
        section(
            "Допущенные коллективы",
            rx.cond(
                S.admitted_published,
                rx.cond(
                    S.admitted.length() > 0,
                    scroll_table(
                        "Коллективы, допущенные к конкурсу",
                        ["Коллектив", "Задача", "Проект", "Прототип"],
                        S.admitted,
                        _admitted_row,
                        id_="award-admitted",
                    ),
                    empty("Допущенных коллективов нет."),
                ),
                empty("Список допущенных коллективов ещё не опубликован."),
            ),
        ),
    )


def awards_page() -> rx.Component:
    S = AwardState
    return page_layout(
        TITLE,
        award_nav(),
        feedback(S.error, S.notice),
        rx.cond(
            S.loaded,
            rx.cond(S.has_contest, _contest(), empty("Конкурс ещё не объявлен.")),
            rx.text("Загрузка…", color_scheme="gray"),
        ),
    )


# ------------------------------------------------------------------------------------ «Моя команда»


def _invitation(row: rx.Var) -> rx.Component:
    S = AwardTeamState
    return card(
        rx.text("Коллектив «", row["team"], "» приглашает вас. ", row["task"], as_="p"),
        rx.flex(
            rx.button("Принять", on_click=S.accept(row["id"]), id="award-accept-" + row["id"]),
            rx.button(
                "Отклонить",
                on_click=S.decline(row["id"]),
                variant="soft",
                color_scheme="gray",
                id="award-decline-" + row["id"],
            ),
            spacing="3",
            wrap="wrap",
        ),
    )


def _invitations() -> rx.Component:
    S = AwardTeamState
    return rx.cond(
        S.invitations.length() > 0,
        section(
            "Приглашения мне",
            rx.flex(rx.foreach(S.invitations, _invitation), direction="column", spacing="3"),
        ),
    )


def _task_select(id_: str) -> rx.Component:
    return native_select(
        id_, AwardTeamState.tasks, placeholder="Выберите задачу", name="task_id", label_key="label"
    )


def _create() -> rx.Component:
    S = AwardTeamState
    return section(
        "Создать коллектив",
        rx.form(
            rx.flex(
                field(
                    "Название коллектива",
                    text_input("award-team-name", "name", max_length=60, required=True),
                    "award-team-name",
                    hint="От 2 до 60 знаков; можно латинскими буквами.",
                ),
                field("Задача", _task_select("award-team-task"), "award-team-task"),
                submit("Создать коллектив", "award-create"),
                direction="column",
                spacing="3",
                align="start",
            ),
            on_submit=S.create_team,
            reset_on_submit=False,
            key=S.form_key.to_string() + "-create",
        ),
    )


def _member_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(rx.cond(row["me"] != "", rx.text.strong(row["name"], " (вы)"), row["name"]), style=_CELL),
        rx.el.td(row["role"], style=_CELL),
    )


def _pending_row(row: rx.Var) -> rx.Component:
    return rx.el.li("Приглашён ", row["phone"], " (", row["since"], ") — ждём ответа")


def _invite() -> rx.Component:
    S = AwardTeamState
    return rx.form(
        rx.flex(
            field(
                "Пригласить по номеру телефона",
                text_input(
                    "award-invite-phone",
                    "phone",
                    type="tel",
                    input_mode="tel",
                    placeholder="+7 9XX XXX-XX-XX",
                ),
                "award-invite-phone",
                hint="У приглашаемого должна быть учётная запись на портале.",
            ),
            submit("Пригласить", "award-invite"),
            direction="column",
            spacing="3",
            align="start",
        ),
        on_submit=S.invite,
        reset_on_submit=False,
        key=S.form_key.to_string() + "-invite",
    )


def _change_task() -> rx.Component:
    S = AwardTeamState
    return rx.form(
        rx.flex(
            field(
                "Сменить задачу (до подачи заявки)", _task_select("award-change-task"), "award-change-task"
            ),
            submit("Сменить задачу", "award-change-task-submit", variant="soft"),
            direction="column",
            spacing="3",
            align="start",
        ),
        on_submit=S.change_task,
        reset_on_submit=False,
        key=S.form_key.to_string() + "-task",
    )


def _application() -> rx.Component:
    S = AwardTeamState
    return section(
        "Заявка",
        rx.form(
            rx.flex(
                field(
                    "Название проекта",
                    text_input("award-project-title", "title", max_length=200),
                    "award-project-title",
                ),
                field(
                    "Ссылка на прототип",
                    text_input("award-project-url", "prototype_url", type="url", max_length=500),
                    "award-project-url",
                    hint="Адрес, начинающийся с https:// или http://",
                ),
                field(
                    "Описание проекта",
                    rx.text_area(id="award-project-description", name="description", rows="5", width="100%"),
                    "award-project-description",
                    hint="От 20 до 5000 знаков.",
                ),
                field(
                    "Технологии",
                    text_input("award-project-technologies", "technologies", max_length=500),
                    "award-project-technologies",
                ),
                submit("Подать заявку", "award-apply"),
                direction="column",
                spacing="3",
                align="start",
            ),
            on_submit=S.submit_application,
            reset_on_submit=False,
            key=S.form_key.to_string() + "-apply",
        ),
    )


def _project() -> rx.Component:
    P = AwardTeamState.project
    return rx.cond(
        P.contains("title"),
        card(
            rx.heading("Проект", as_="h3", size="4"),
            rx.text(rx.text.strong(P["title"]), as_="p"),
            rx.link(P["url"], href=P["url"], is_external=True, style={"wordBreak": "break-all"}),
            rx.text(P["description"], as_="p", white_space="pre-wrap"),
            rx.text("Технологии: ", P["technologies"], as_="p", size="2"),
            rx.text("Заявка подана: ", P["applied"], as_="p", size="2", color_scheme="gray"),
        ),
    )


def _leave() -> rx.Component:
    S = AwardTeamState
    return rx.cond(
        S.confirming_leave,
        rx.box(
            rx.text(
                "Выйти из коллектива? Если в нём останется один участник, заявка будет отозвана.",
                as_="p",
                weight="medium",
            ),
            rx.flex(
                rx.button("Да, выйти", on_click=S.leave, color_scheme="red", id="award-leave-confirm"),
                rx.button("Остаться", on_click=S.cancel_leave, variant="soft", id="award-leave-cancel"),
                spacing="3",
                margin_top="0.5em",
            ),
            role="alertdialog",
            aria_label="Подтверждение выхода из коллектива",
            padding="0.75em",
            border="1px solid var(--orange-8)",
            border_radius="var(--radius-3)",
        ),
        rx.button(
            "Выйти из коллектива", on_click=S.ask_leave, variant="soft", color_scheme="red", id="award-leave"
        ),
    )


def _team() -> rx.Component:
    S = AwardTeamState
    return section(
        "Мой коллектив",
        rx.heading("«", S.team_name, "»", as_="h3", size="4", id="award-team-name-shown"),
        rx.text(S.task_label, as_="p"),
        rx.text("Статус: ", rx.text.strong(S.status_name), as_="p", id="award-team-status"),
        rx.cond(S.exclusion_text != "", rx.text("Основание исключения: ", S.exclusion_text, as_="p")),
        rx.cond(
            S.review_note != "",
            rx.text(
                rx.cond(S.status == "refused", "Причина отказа: ", "Примечание: "), S.review_note, as_="p"
            ),
        ),
        scroll_table(
            "Участники коллектива", ["Участник", "Роль"], S.members, _member_row, id_="award-members"
        ),
        rx.cond(S.pending.length() > 0, rx.el.ul(rx.foreach(S.pending, _pending_row), id="award-pending")),
        _project(),
        rx.flex(
            rx.cond(S.can_invite, _invite()),
            rx.cond(S.can_change_task, _change_task()),
            direction="column",
            spacing="4",
            margin_y="1em",
        ),
        rx.cond(S.can_apply, _application()),
        rx.cond(S.can_leave, rx.box(_leave(), margin_top="1em")),
        id="award-team",
    )


def _cabinet() -> rx.Component:
    S = AwardTeamState
    return rx.box(
        rx.text(S.contest_title, " — приём заявок ", S.period, as_="p"),
        rx.link("Условия конкурса, задачи и премии", href="/awards", id="award-rules-link"),
        rx.cond(S.notes.length() > 0, rx.el.ul(rx.foreach(S.notes, lambda n: rx.el.li(n)), id="award-notes")),
        rx.cond(S.my_exclusion != "", rx.callout(S.my_exclusion, icon="info", color_scheme="orange")),
        _invitations(),
        rx.cond(S.has_team, _team()),
        rx.cond(S.can_create, _create()),
    )


def team_page() -> rx.Component:
    S = AwardTeamState
    return page_layout(
        "Моя команда",
        award_nav(),
        feedback(S.error, S.notice),
        rx.cond(
            S.loaded,
            rx.cond(
                S.logged_in,
                rx.cond(S.has_contest, _cabinet(), empty("Конкурс ещё не объявлен.")),
                rx.text(
                    "Чтобы создать коллектив или ответить на приглашение, ",
                    rx.link("войдите", href="/login", id="award-login"),
                    ".",
                    as_="p",
                ),
            ),
            rx.text("Загрузка…", color_scheme="gray"),
        ),
    )


PAGES = [
    ("/awards", awards_page, "Премия", [SessionState.refresh, AwardState.load]),
    ("/awards/team", team_page, "Моя команда", [SessionState.refresh, AwardTeamState.load]),
]
