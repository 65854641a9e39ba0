"""«Статистика»: the public statistics of polls with published results (SPEC §5.4)."""

import reflex as rx

from ag_app.components.common import empty, feedback
from ag_app.components.layout import page_layout
from ag_app.components.stats import stats_panel
from ag_app.i18n import label, message
from ag_app.state.base import SessionState
from ag_app.state.stats import StatsState as S


def stats_page() -> rx.Component:
    return page_layout(
        label("ui.common.statistika"),
        rx.text(
            message("ui.stats.iavka_i_otvety_po_vozrastu"),
            as_="p",
        ),
        feedback(S.error, ""),
        rx.cond(
            S.loaded,
            rx.cond(
                S.polls.length() > 0,
                stats_panel("h2", with_poll_selector=True),
                empty(message("ui.stats.itogi_golosovanii_eshche_ne_opublikovany")),
            ),
            rx.text(label("ui.poll.zagruzka"), as_="p"),
        ),
    )


PAGES = [("/stats", stats_page, label("ui.common.statistika"), [SessionState.refresh, S.load])]
