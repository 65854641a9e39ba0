"""The «Заказы» and «Отчёт» tabs of ``/staff/shop``: orders with their audit trail, stock, charts."""

import reflex as rx

from ag_app.components.common import panel, row_table, static_select
from ag_app.components.stats import chart, data_table
from ag_app.i18n import label, message
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
                label("ui.orders.istoriya"),
                **ROW_BUTTON,
                on_click=S.show_events(row["id"]),
                id="events-" + row["number"],
                aria_label=label("ui.orders.istoriya_zakaza") + row["number"],
            )
        ),
    )


def orders_tab() -> rx.Component:
    """«Заказы»: the newest orders by status, an order's audit trail, the stock left."""
    return rx.box(
        panel(
            label("ui.common.zakazy"),
            rx.flex(
                rx.el.label(
                    label("ui.common.status_2"), html_for="orders-status", style={"fontWeight": "500"}
                ),
                static_select(
                    "orders-status", STATUS_OPTIONS, value=S.status_filter, on_change=S.set_status_filter
                ),
                spacing="2",
                align="center",
                margin_bottom="0.6em",
            ),
            rx.text(
                message("ui.orders.pokazany_ne_bolee_200_poslednikh"), size="2", color_scheme="gray", as_="p"
            ),
            row_table(
                [
                    label("ui.orders.nomer"),
                    label("ui.common.oformitel"),
                    label("ui.promo_exchange.pooshchrenie"),
                    label("ui.dashboard.ballov"),
                    label("ui.common.status_2"),
                    label("ui.common.oformlen"),
                    label("ui.orders.bron_sertifikat_do"),
                    label("ui.shop.zakryt"),
                    "",
                ],
                S.orders,
                _order_row,
                "orders-table",
                caption=label("ui.common.zakazy"),
                empty=message("ui.orders.zakazov_net"),
                empty_id="orders-empty",
            ),
        ),
        rx.cond(
            S.events_of != "",
            panel(
                label("ui.orders.istoriya_zakaza") + S.events_of,
                data_table(
                    label("ui.orders.kto_kogda_i_kak_menyal") + S.events_of,
                    [
                        message("ui.orders.kogda_vremya_moskovskoe"),
                        label("ui.contest.kto"),
                        label("ui.orders.byl_status"),
                        label("ui.orders.stal_status"),
                    ],
                    S.events,
                    "order-events",
                ),
                id="order-history",
            ),
        ),
        panel(
            label("ui.orders.ostatki_na_sklade"),
            data_table(
                label("ui.orders.ostatki_pooshchreniy_snachala_zakanchivayushchie"),
                [label("ui.promo_exchange.pooshchrenie"), label("ui.common.ostatok")],
                S.stock_rows,
                "stock",
            ),
        ),
    )


# ----------------------------------------------------------------------------------------------- report


def report_tab() -> rx.Component:
    """«Отчёт»: points by week, the most ordered items, orders by status."""
    return rx.box(
        panel(
            label("ui.orders.bally_po_nedelyam"),
            chart(
                S.weeks_fig,
                message("ui.orders.nachislennye_i_spisannye_bally_za"),
                "chart-shop-weeks",
            ),
            data_table(
                label("ui.orders.nachisleno_i_spisano_ballov_po"),
                [
                    label("ui.orders.nedelya_s"),
                    label("ui.orders.nachisleno"),
                    label("ui.promo_exchange.spisano"),
                ],
                S.weeks_rows,
                "table-shop-weeks",
            ),
            id="report-weeks",
        ),
        panel(
            label("ui.orders.samye_zakazyvaemye_pooshchreniya"),
            chart(S.top_fig, message("ui.orders.chislo_zakazov_bez_otmenennykh_chisla"), "chart-shop-top"),
            data_table(
                label("ui.orders.zakazy_po_pooshchreniyam"),
                [label("ui.promo_exchange.pooshchrenie"), label("ui.orders.zakazov")],
                S.top_rows,
                "table-shop-top",
            ),
        ),
        panel(
            label("ui.orders.zakazy_po_statusam"),
            rx.text(
                label("ui.orders.zablokirovano_ballov_seychas"),
                rx.el.strong(S.blocked_points, id="blocked-points"),
                as_="p",
            ),
            data_table(
                label("ui.orders.zakazy_po_statusam"),
                [label("ui.common.status_2"), label("ui.orders.zakazov")],
                S.status_rows,
                "table-shop-status",
            ),
        ),
    )
