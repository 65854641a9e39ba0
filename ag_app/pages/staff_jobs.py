"""``/staff/jobs`` «Фоновые задачи»: the last success and last error of each background job (staff)."""

import reflex as rx

from ag_app.components.common import feedback, staff_gate, staff_nav
from ag_app.components.layout import page_layout
from ag_app.components.stats import data_table
from ag_app.state.base import SessionState
from ag_app.state.staff_jobs import StaffJobsState as S

HEADER = [
    "Задача",
    "Состояние",
    "Последний успех",
    "Обработано",
    "Последняя ошибка",
    "Текст ошибки",
    "Запусков / ошибок",
]


def jobs_page() -> rx.Component:
    """``/staff/jobs``."""
    return page_layout(
        "Фоновые задачи",
        staff_gate(
            S.loaded,
            S.allowed,
            staff_nav(),
            rx.text(
                "Задачи выполняются каждую минуту, каждая отдельно: ошибка одной не останавливает остальные, "
                "а невыполненная задача повторяется при следующем запуске. Время московское.",
                as_="p",
                size="2",
                color_scheme="gray",
            ),
            feedback(S.error, ""),
            rx.cond(
                S.failing > 0,
                rx.callout(
                    "Есть задачи, последний запуск которых завершился ошибкой (отмечены «Ошибка»).",
                    icon="triangle_alert",
                    color_scheme="orange",
                    id="jobs-failing",
                    margin_y="0.6em",
                ),
            ),
            data_table("Фоновые задачи: последний успех и последняя ошибка", HEADER, S.rows, "table-jobs"),
            rx.button("Обновить", on_click=S.refresh, id="jobs-refresh", margin_top="1em", variant="soft"),
        ),
    )


PAGES = [("/staff/jobs", jobs_page, "Фоновые задачи — кабинет сотрудника", [SessionState.refresh, S.load])]
