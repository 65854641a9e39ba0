"""«Уведомления»: the in-app notification centre."""

import reflex as rx

from ag_app.components.common import empty, feedback
from ag_app.components.layout import page_layout
from ag_app.state.base import SessionState
from ag_app.state.notifications import NotificationsState as S


def _item(row: rx.Var) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.cond(row["read"] == "", rx.badge("Новое", color_scheme="red", variant="solid")),
            rx.text(row["date"], size="2", color_scheme="gray"),
            spacing="2",
            align="center",
        ),
        rx.heading(
            rx.cond(
                row["link"] != "", rx.link(row["title"], href=row["link"], color="inherit"), row["title"]
            ),
            as_="h2",
            size="3",
            margin_top="0.3em",
            weight=rx.cond(row["read"] == "", "bold", "medium"),
        ),
        rx.cond(row["body"] != "", rx.text(row["body"], as_="p", size="2", white_space="pre-wrap")),
        rx.cond(
            row["read"] == "",
            rx.button(
                "Отметить прочитанным",
                on_click=S.mark_read(row["id"]),
                variant="ghost",
                size="1",
                margin_top="0.4em",
                aria_label="Отметить прочитанным: " + row["title"],
            ),
        ),
        width="100%",
        class_name="notification",
    )


def notifications_page() -> rx.Component:
    return page_layout(
        "Уведомления",
        feedback(S.error, S.notice),
        rx.text(
            "Выбрать темы и каналы уведомлений: ",
            rx.link("Управление подписками", href="/subscriptions", id="notifications-subscriptions"),
            as_="p",
            margin_bottom="1em",
        ),
        rx.cond(
            S.unread > 0,
            rx.button(
                "Отметить все прочитанными",
                on_click=S.mark_all_read,
                variant="soft",
                id="mark-all-read",
                margin_bottom="1em",
            ),
        ),
        rx.cond(S.loaded & (S.items.length() == 0), empty("Уведомлений нет.")),
        rx.flex(rx.foreach(S.items, _item), direction="column", spacing="3", id="notifications"),
    )


PAGES = [("/notifications", notifications_page, "Уведомления", [SessionState.refresh, S.load])]
