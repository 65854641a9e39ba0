"""«Новости»: results and decisions linking to their polls."""

import reflex as rx

from ag_app.components.common import empty, feedback
from ag_app.components.layout import page_layout
from ag_app.components.news import news_item
from ag_app.i18n import label, message
from ag_app.state.base import SessionState
from ag_app.state.news import NewsState as S


def news_page() -> rx.Component:
    return page_layout(
        label("ui.news.novosti"),
        feedback(S.error, S.notice),
        rx.cond(S.loaded & (S.items.length() == 0), empty(message("ui.news.novostei_poka_net"))),
        rx.flex(
            rx.foreach(S.items, lambda row: news_item(row, "h2")),
            direction="column",
            spacing="3",
            id="news-list",
        ),
        rx.cond(
            S.has_more,
            rx.button(
                label("ui.news.pokazat_eshche"),
                on_click=S.more,
                variant="soft",
                margin_top="1em",
                id="news-more",
            ),
        ),
    )


PAGES = [("/news", news_page, label("ui.news.novosti"), [SessionState.refresh, S.load])]
