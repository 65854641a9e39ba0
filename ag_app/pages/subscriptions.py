"""«Управление подписками» (topics × channels) and the unsubscribe link's page (SPEC §4.2)."""

import reflex as rx

from ag_app.components.common import empty, feedback, table_region
from ag_app.components.layout import page_layout
from ag_app.domain.subscriptions import CHANNELS
from ag_app.state.base import SessionState
from ag_app.state.subscriptions import SubscriptionsState as S
from ag_app.state.subscriptions import UnsubscribeState


def _cell(row: rx.Var, cell: rx.Var) -> rx.Component:
    return rx.table.cell(
        rx.cond(
            cell.available,
            rx.checkbox(
                checked=cell.enabled,
                on_change=lambda checked: S.toggle(row.topic, cell.channel, checked),
                id="sub-" + row.topic + "-" + cell.channel,
                aria_label=row.label + " — " + cell.channel_label,
                size="3",
            ),
            rx.text(
                rx.el.span("—", aria_hidden="true"),
                rx.el.span("не рассылается", class_name="ag-visually-hidden"),
                color_scheme="gray",
            ),
        ),
        text_align="center",
    )


def _table() -> rx.Component:
    return table_region(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell("Тема"),
                    *[rx.table.column_header_cell(label, text_align="center") for label in CHANNELS.values()],
                )
            ),
            rx.table.body(
                rx.foreach(
                    S.rows,
                    lambda row: rx.table.row(
                        rx.table.row_header_cell(row.label),
                        rx.foreach(row.cells, lambda cell: _cell(row, cell)),
                        id="sub-row-" + row.topic,
                    ),
                )
            ),
            variant="surface",
            width="100%",
            id="subscriptions",
        ),
        "Подписки: темы и каналы",
    )


def subscriptions_page() -> rx.Component:
    return page_layout(
        "Управление подписками",
        rx.text(
            "Отметьте, о чём и как вам сообщать. Изменения сохраняются сразу. "
            "Письма отправляются на подтверждённый адрес электронной почты из ",
            rx.link("профиля", href="/profile"),
            "; в каждом письме есть ссылка для отписки.",
            as_="p",
            margin_bottom="1em",
        ),
        feedback(S.error, S.notice),
        rx.cond(S.loaded, _table(), empty("Загрузка…")),
        rx.text(
            rx.link("Перейти к уведомлениям", href="/notifications"),
            as_="p",
            margin_top="1em",
        ),
    )


def unsubscribe_page() -> rx.Component:
    U = UnsubscribeState
    return page_layout(
        "Отписка от рассылки",
        rx.cond(U.loaded, feedback(U.error, U.notice), empty("Проверяем ссылку…")),
        rx.cond(
            U.done,
            rx.text(
                "Письма на эту тему больше не придут. Уведомления в приложении остаются; "
                "включить письма снова можно в разделе «Управление подписками» после входа.",
                as_="p",
                id="unsubscribe-done",
            ),
        ),
        rx.flex(
            rx.link("Управление подписками", href="/subscriptions"),
            rx.link("На главную", href="/"),
            spacing="4",
            margin_top="1em",
        ),
    )


PAGES = [
    ("/subscriptions", subscriptions_page, "Управление подписками", [SessionState.refresh, S.load]),
    ("/unsubscribe", unsubscribe_page, "Отписка от рассылки", [SessionState.refresh, UnsubscribeState.load]),
]
