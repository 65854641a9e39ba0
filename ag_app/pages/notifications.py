"""«Уведомления»: the in-app notification centre."""

import reflex as rx

from ag_app.components.common import empty, feedback
from ag_app.components.layout import page_layout
from ag_app.i18n import label, message
from ag_app.state.base import SessionState
from ag_app.state.notifications import NotificationsState as S


def _item(row: rx.Var) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.cond(
                row["read"] == "",
                rx.badge(label("ui.notifications.novoe"), color_scheme="red", variant="solid"),
            ),
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
                label("ui.notifications.otmetit_prochitannym"),
                on_click=S.mark_read(row["id"]),
                variant="ghost",
                size="1",
                margin_top="0.4em",
                aria_label=label("ui.notifications.otmetit_prochitannym_2") + row["title"],
            ),
        ),
        width="100%",
        class_name="notification",
    )


def notifications_page() -> rx.Component:
    return page_layout(
        label("ui.notifications.uvedomleniia"),
        feedback(S.error, S.notice),
        rx.text(
            label("ui.notifications.vybrat_temy_i_kanaly_uvedomlenii"),
            rx.link(
                label("ui.common.upravlenie_podpiskami"),
                href="/subscriptions",
                id="notifications-subscriptions",
            ),
            as_="p",
            margin_bottom="1em",
        ),
        rx.cond(
            S.unread > 0,
            rx.button(
                label("ui.notifications.otmetit_vse_prochitannymi"),
                on_click=S.mark_all_read,
                variant="soft",
                id="mark-all-read",
                margin_bottom="1em",
            ),
        ),
        rx.cond(S.loaded & (S.items.length() == 0), empty(message("ui.notifications.uvedomlenii_net"))),
        rx.flex(rx.foreach(S.items, _item), direction="column", spacing="3", id="notifications"),
    )


PAGES = [
    (
        "/notifications",
        notifications_page,
        label("ui.notifications.uvedomleniia"),
        [SessionState.refresh, S.load],
    )
]
