"""The «Заказы» and «Отчёт» tabs of ``/staff/shop``: orders with their audit trail, stock, charts."""

import reflex as rx

from ag_app.components.common import section, static_select
from ag_app.components.staff_ui import row_table
from ag_app.components.stats import chart, data_table
from ag_app.pages.staff_shop.parts import ROW_BUTTON
from ag_app.state.staff_shop import STATUS_OPTIONS
from ag_app.state.staff_shop import StaffShopState as S


def _order_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row["number"]),
        rx.table.cell(row["orderer"]),
        rx.table.cell(row["item"]),
        rx.table.cell(row["points"]),
        rx.table.cell(row["status"]),
        rx.table.cell(row["ordered_at"]),
        rx.table.cell(row["until"]),
        rx.table.cell(row["closed_at"]),
        rx.table.cell(
            rx.button(
                "История",
                **ROW_BUTTON,
                on_click=S.show_events(row["id"]),
                id="events-" + row["number"],
                aria_label="История заказа № " + row["number"],
            )
        ),
    )


def orders_tab() -> rx.Component:
    """«Заказы»: the newest orders by status, an order's audit trail, the stock left."""
    return rx.box(
        section(
            "Заказы",
            rx.flex(
                rx.el.label("Статус", html_for="orders-status", style={"fontWeight": "500"}),
                static_select(
                    "orders-status", STATUS_OPTIONS, value=S.status_filter, on_change=S.set_status_filter
                ),
                spacing="2",
                align="center",
                margin_bottom="0.6em",
            ),
            rx.text("Показаны не более 200 последних заказов.", size="2", color_scheme="gray", as_="p"),
            row_table(
                [
                    "Номер",
                    "Оформитель",
                    "Поощрение",
                    "Баллов",
                    "Статус",
                    "Оформлен",
                    "Бронь / сертификат до",
                    "Закрыт",
                    "",
                ],
                S.orders,
                _order_row,
                "orders-table",
                empty="Заказов нет.",
                empty_id="orders-empty",
            ),
        ),
        rx.cond(
            S.events_of != "",
            section(
                "История заказа № " + S.events_of,
                data_table(
                    "Кто, когда и как менял статус заказа № " + S.events_of,
                    ["Когда (время московское)", "Кто", "Был статус", "Стал статус"],
                    S.events,
                    "order-events",
                ),
                id="order-history",
            ),
        ),
        section(
            "Остатки на складе",
            data_table(
                "Остатки поощрений, сначала заканчивающиеся", ["Поощрение", "Остаток"], S.stock_rows, "stock"
            ),
        ),
    )


# ----------------------------------------------------------------------------------------------- report


def report_tab() -> rx.Component:
    """«Отчёт»: points by week, the most ordered items, orders by status."""
    return rx.box(
        section(
            "Баллы по неделям",
            chart(
                S.weeks_fig,
                "Начисленные и списанные баллы за каждую неделю (с понедельника); числа — в таблице.",
                "chart-shop-weeks",
            ),
            data_table(
                "Начислено и списано баллов по неделям",
                ["Неделя с", "Начислено", "Списано"],
                S.weeks_rows,
                "table-shop-weeks",
            ),
            id="report-weeks",
        ),
        section(
            "Самые заказываемые поощрения",
            chart(S.top_fig, "Число заказов (без отменённых); числа — в таблице.", "chart-shop-top"),
            data_table("Заказы по поощрениям", ["Поощрение", "Заказов"], S.top_rows, "table-shop-top"),
        ),
        section(
            "Заказы по статусам",
            rx.text(
                "Заблокировано баллов сейчас: ", rx.el.strong(S.blocked_points, id="blocked-points"), as_="p"
            ),
            data_table("Заказы по статусам", ["Статус", "Заказов"], S.status_rows, "table-shop-status"),
        ),
    )
