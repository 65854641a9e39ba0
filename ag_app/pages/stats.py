"""«Статистика»: the public statistics of polls with published results (SPEC §5.4)."""

import reflex as rx

from ag_app.components.common import empty, feedback
from ag_app.components.layout import page_layout
from ag_app.components.stats import stats_panel
from ag_app.state.base import SessionState
from ag_app.state.stats import StatsState as S


def stats_page() -> rx.Component:
    return page_layout(
        "Статистика",
        rx.text(
            "Явка и ответы по возрасту, полу, округам, районам, часу голосования и номерам телефонов "
            "для голосований с опубликованными итогами.",
            as_="p",
        ),
        feedback(S.error, ""),
        rx.cond(
            S.loaded,
            rx.cond(
                S.polls.length() > 0,
                stats_panel("h2", with_poll_selector=True),
                empty("Итоги голосований ещё не опубликованы."),
            ),
            rx.text("Загрузка…", as_="p"),
        ),
    )


PAGES = [("/stats", stats_page, "Статистика", [SessionState.refresh, S.load])]
