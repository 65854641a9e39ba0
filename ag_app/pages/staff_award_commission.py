"""``/staff/awards/commission`` «Премия: комиссия» (operator): members and roles, expert groups,
sittings with attendance and quorum, «Подвести итоги» per task with the missing sheets, standings and
tie rounds (rendering only)."""

import reflex as rx

from ag_app.components.common import (
    CELL,
    NATIVE_SELECT_STYLE,
    feedback,
    field,
    native_select,
    panel,
    scroll_table,
    staff_gate,
    static_select,
)
from ag_app.components.layout import page_layout
from ag_app.state.base import SessionState
from ag_app.state.staff_award_commission import FORM_CHOICES, ROLE_CHOICES
from ag_app.state.staff_award_commission import StaffAwardCommissionState as S

INPUT = {**NATIVE_SELECT_STYLE, "width": "100%"}
FORBIDDEN_TEXT = (
    "Недостаточно прав: состав комиссии и заседания ведёт оператор конкурса. "
    "Войдите под учётной записью сотрудника."
)


def _contest() -> rx.Component:
    return rx.cond(
        S.contests.length() > 0,
        panel(
            "Конкурс",
            native_select(
                "commission-contest",
                S.contests,
                placeholder="Выберите конкурс",
                value=S.contest_id,
                on_change=S.choose_contest,
                label_key="title",
                aria_label="Конкурс",
            ),
        ),
        rx.callout(
            "Конкурсов пока нет: сначала опубликуйте конкурс.", icon="info", id="commission-no-contest"
        ),
    )


def _juror_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["name"], style=CELL),
        rx.el.td(row["role"], style=CELL),
        rx.el.td(row["tasks"], style=CELL),
        rx.el.td(
            rx.cond(
                row["removable"] != "",
                rx.button(
                    "Исключить",
                    on_click=S.remove_juror(row["id"]),
                    variant="soft",
                    color_scheme="red",
                    size="1",
                    aria_label="Исключить из состава: " + row["name"],
                ),
                rx.text("—"),
            ),
            style=CELL,
        ),
    )


def _members() -> rx.Component:
    return panel(
        "Состав комиссии",
        rx.cond(
            S.jurors.length() > 0,
            scroll_table(
                "Члены комиссии",
                ["Член комиссии", "Роль", "Экспертные группы", "Действие"],
                S.jurors,
                _juror_row,
                id_="commission-members",
            ),
            rx.text("В комиссии пока никого нет.", color_scheme="gray"),
        ),
        rx.form(
            rx.flex(
                field(
                    "Телефон",
                    rx.el.input(
                        id="commission-phone",
                        name="phone",
                        placeholder="+7 9XX XXX-XX-XX",
                        max_length=40,
                        style=INPUT,
                    ),
                    "commission-phone",
                    "Человек должен быть зарегистрирован на платформе.",
                ),
                field("Роль", static_select("commission-role", ROLE_CHOICES, name="role"), "commission-role"),
                rx.button("Добавить в комиссию", type="submit", id="commission-add"),
                direction="column",
                spacing="3",
            ),
            on_submit=S.add_juror,
            reset_on_submit=True,
            margin_top="1em",
        ),
        rx.form(
            rx.flex(
                field(
                    "Член комиссии",
                    native_select(
                        "commission-role-juror",
                        S.jurors,
                        placeholder="Выберите члена комиссии",
                        name="juror_id",
                    ),
                    "commission-role-juror",
                ),
                field(
                    "Новая роль",
                    static_select("commission-new-role", ROLE_CHOICES, name="role"),
                    "commission-new-role",
                ),
                rx.button("Сменить роль", type="submit", variant="outline", id="commission-set-role"),
                direction="column",
                spacing="3",
            ),
            on_submit=S.set_role,
            margin_top="1em",
        ),
    )


def _group_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["juror"], style=CELL),
        rx.el.td(row["task"], style=CELL),
        rx.el.td(rx.cond(row["in"] != "", "в группе", "—"), style=CELL),
        rx.el.td(
            rx.button(
                rx.cond(row["in"] != "", "Вывести из группы", "Включить в группу"),
                on_click=S.toggle_group(row["juror_id"], row["task_id"]),
                variant="soft",
                size="1",
                aria_label=row["juror"] + ", " + row["task"],
            ),
            style=CELL,
        ),
    )


def _groups() -> rx.Component:
    return panel(
        "Экспертные группы",
        rx.cond(
            S.groups.length() > 0,
            scroll_table(
                "Кто какие задачи оценивает",
                ["Член комиссии", "Задача", "Состав", "Действие"],
                S.groups,
                _group_row,
                id_="commission-groups",
            ),
            rx.text("Добавьте членов комиссии и задачи конкурса.", color_scheme="gray"),
        ),
    )


def _sitting_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["date"], style=CELL),
        rx.el.td(row["form_name"], style=CELL),
        rx.el.td(row["present"], style=CELL),
        rx.el.td(row["quorum"], style=CELL),
        rx.el.td(row["chair"], style=CELL),
        rx.el.td(row["approved"], style=CELL),
    )


def _present_box(juror: rx.Var) -> rx.Component:
    id_ = "commission-present-" + juror["id"]
    return rx.el.label(
        rx.el.input(
            type="checkbox",
            id=id_,
            name="present_" + juror["id"],
            default_checked=S.present_ids.contains(juror["id"]),
        ),
        " ",
        juror["name"],
        html_for=id_,
        style={"display": "flex", "gap": "0.5em"},
    )


def _sittings() -> rx.Component:
    return panel(
        "Заседания",
        rx.cond(
            S.sittings.length() > 0,
            scroll_table(
                "Заседания комиссии",
                ["Дата", "Форма", "Присутствовали", "Кворум", "Председательствует", "Итоги"],
                S.sittings,
                _sitting_row,
                id_="commission-sittings",
            ),
        ),
        field(
            "Заседание",
            native_select(
                "commission-sitting",
                S.sittings,
                placeholder="Новое заседание",
                value=S.sitting_id,
                on_change=S.choose_sitting,
                label_key="title",
            ),
            "commission-sitting",
            "Выберите заседание, чтобы изменить присутствующих или подвести на нём итоги.",
        ),
        rx.form(
            rx.flex(
                field(
                    "Дата заседания",
                    rx.el.input(
                        type="date",
                        id="commission-date",
                        name="held_on",
                        default_value=S.sitting_form["held_on"],
                        style=INPUT,
                    ),
                    "commission-date",
                ),
                field(
                    "Форма заседания",
                    rx.el.select(
                        *[rx.el.option(text, value=value) for value, text in FORM_CHOICES],
                        id="commission-form",
                        name="form",
                        default_value=S.sitting_form["form"],
                        style=INPUT,
                    ),
                    "commission-form",
                ),
                rx.el.fieldset(
                    rx.el.legend("Присутствовали", style={"fontWeight": "500"}),
                    rx.foreach(S.jurors, _present_box),
                ),
                rx.button(
                    rx.cond(S.sitting_id != "", "Сохранить заседание", "Записать заседание"),
                    type="submit",
                    id="commission-save-sitting",
                ),
                direction="column",
                spacing="3",
            ),
            on_submit=S.save_sitting,
            key=S.form_version,
            margin_top="1em",
        ),
    )


def _task_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["title"], style=CELL),
        rx.el.td(row["state"], style=CELL),
        rx.el.td(rx.cond(row["missing"] != "", row["missing"], "—"), style=CELL),
        rx.el.td(
            rx.button(
                "Подвести итоги",
                on_click=S.compute(row["id"]),
                disabled=row["can_compute"] == "",
                size="1",
                aria_label="Подвести итоги: " + row["title"],
                id="commission-compute-" + row["id"],
            ),
            style=CELL,
        ),
    )


def _standing_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["task"], style=CELL),
        rx.el.td(row["place"], style=CELL),
        rx.el.td(row["team"], style=CELL),
        rx.el.td(row["project"], style=CELL),
        rx.el.td(row["total"], style=CELL),
    )


def _round_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["task"], style=CELL),
        rx.el.td(row["place"], style=CELL),
        rx.el.td(row["round"], style=CELL),
        rx.el.td(row["teams"], style=CELL),
        rx.el.td(row["votes"], style=CELL),
        rx.el.td(row["outcome"], style=CELL),
    )


def _results() -> rx.Component:
    return panel(
        "Итоги по задачам",
        rx.cond(
            S.sitting_tasks.length() > 0,
            scroll_table(
                "Задачи на выбранном заседании",
                ["Задача", "Состояние", "Не заполнены анкеты", "Действие"],
                S.sitting_tasks,
                _task_row,
                id_="commission-tasks",
            ),
            rx.text("Выберите заседание, чтобы подвести на нём итоги.", color_scheme="gray"),
        ),
        rx.cond(
            S.standings.length() > 0,
            scroll_table(
                "Места и суммы баллов",
                ["Задача", "Место", "Коллектив", "Проект", "Сумма баллов"],
                S.standings,
                _standing_row,
                id_="commission-standings",
            ),
        ),
        rx.cond(
            S.rounds.length() > 0,
            scroll_table(
                "Голосования при равенстве баллов",
                ["Задача", "Место", "Тур", "Коллективы", "Голоса", "Итог"],
                S.rounds,
                _round_row,
                id_="commission-rounds",
            ),
        ),
    )


def commission_page() -> rx.Component:
    return page_layout(
        "Премия: комиссия",
        staff_gate(
            S.loaded,
            S.allowed,
            feedback(S.error, S.notice, id_="commission-feedback"),
            _contest(),
            rx.cond(S.contest_id != "", rx.fragment(_members(), _groups(), _sittings(), _results())),
            forbidden=FORBIDDEN_TEXT,
        ),
    )


PAGES = [
    ("/staff/awards/commission", commission_page, "Премия: комиссия", [SessionState.refresh, S.load]),
]
