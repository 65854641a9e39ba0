"""``/staff/dashboard``: the city staff dashboard (SPEC §5.4), staff only."""

import reflex as rx

from ag_app.components.common import NATIVE_SELECT_STYLE, feedback, field, label, staff_gate, staff_nav
from ag_app.components.layout import page_layout
from ag_app.components.stats import chart, data_table
from ag_app.domain.stats import MIN_CELL
from ag_app.state.base import SessionState
from ag_app.state.staff_dashboard import StaffDashboardState as S


def _select(id_: str, text: str, items: rx.Var, value: rx.Var, placeholder: str) -> rx.Component:
    return rx.flex(
        label(text, id_),
        rx.el.select(
            rx.el.option(placeholder, value=""),
            rx.foreach(items, lambda item: rx.el.option(item["name"], value=item["id"])),
            id=id_,
            name=id_.removeprefix("filter-"),
            default_value=value,
            key=value,
            style=NATIVE_SELECT_STYLE,
        ),
        direction="column",
        spacing="1",
        width="100%",
    )


def _date(id_: str, text: str, value: rx.Var) -> rx.Component:
    return field(
        text,
        rx.el.input(
            type="date",
            id=id_,
            name=id_.removeprefix("filter-"),
            default_value=value,
            key=value,
            style=NATIVE_SELECT_STYLE,
        ),
        id_,
    )


def _filters() -> rx.Component:
    return rx.form(
        rx.grid(
            _date("filter-start", "Начало периода", S.start),
            _date("filter-end", "Конец периода", S.end),
            _select("filter-okrug", "Округ", S.okrugs, S.okrug, "Все округа"),
            _select("filter-district", "Район", S.districts, S.district, "Все районы"),
            _select("filter-poll", "Голосование", S.polls, S.poll, "Все голосования периода"),
            columns=rx.breakpoints(initial="1", sm="2", md="5"),
            spacing="3",
            width="100%",
        ),
        rx.button("Показать", type="submit", id="filter-apply", size="3", margin_top="0.8em"),
        on_submit=S.apply,
        aria_label="Фильтры панели показателей",
    )


def _block(
    title: str, figure: rx.Var, description: str, caption: str, header: list[str], rows: rx.Var, id_: str
):
    return rx.el.section(
        rx.heading(title, as_="h2", size="5", margin_top="1.4em"),
        chart(figure, description, f"chart-{id_}"),
        data_table(caption, header, rows, f"table-{id_}"),
    )


def dashboard_page() -> rx.Component:
    """``/staff/dashboard``."""
    return page_layout(
        "Панель показателей",
        staff_gate(
            S.loaded,
            S.allowed,
            staff_nav(),
            _filters(),
            feedback(S.error, ""),
            rx.text(
                f"Числа меньше {MIN_CELL} человек скрыты («<5»), как и числа, по которым их можно вычислить.",
                as_="p",
                size="2",
                color_scheme="gray",
                margin_top="0.6em",
            ),
            _block(
                "Регистрации и активность",
                S.activity_fig,
                "Новые регистрации и активные пользователи (голосовали или заходили) по дням; числа — в таблице.",
                "Регистрации и активные пользователи по дням",
                ["День", "Регистрации", "Активные пользователи"],
                S.activity_rows,
                "activity",
            ),
            _block(
                "Уровни идентификации",
                S.levels_fig,
                "Учётные записи по уровням идентификации; числа — в таблице.",
                "Учётные записи по уровням идентификации",
                ["Уровень", "Учётных записей"],
                S.levels_rows,
                "levels",
            ),
            _block(
                "Участие в голосованиях",
                S.polls_fig,
                "Явка: бюллетени жителей / жители, имеющие право голоса; числа — в таблице.",
                "Бюллетени, жители с правом голоса и явка по голосованиям периода",
                ["Голосование", "Бюллетени", "Имеют право голоса", "Явка"],
                S.polls_rows,
                "polls",
            ),
            _block(
                "Участие по районам",
                S.districts_fig,
                "Явка по районам проживания; числа — в таблице.",
                "Бюллетени, жители с правом голоса и явка по районам",
                ["Район", "Округ", "Бюллетени", "Имеют право голоса", "Явка"],
                S.districts_rows,
                "districts",
            ),
            _block(
                "Баллы по правилам начисления",
                S.points_fig,
                "Сумма начисленных баллов по правилам; числа — в таблице.",
                "Начисления баллов по правилам за период",
                ["Правило", "Получили, человек", "Начислений", "Баллов"],
                S.points_rows,
                "points",
            ),
        ),
    )


PAGES = [
    (
        "/staff/dashboard",
        dashboard_page,
        "Панель показателей — кабинет сотрудника",
        [SessionState.refresh, S.load],
    )
]
