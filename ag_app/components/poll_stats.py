"""The statistics block of a poll page (shown when the poll's statistics are visible)."""

import reflex as rx

from ag_app.components.common import section
from ag_app.components.stats import stats_panel
from ag_app.i18n import label
from ag_app.state.stats import StatsState


def poll_stats_block() -> rx.Component:
    """«Статистика голосования»: turnout and answers by age, gender, place, hour and number region."""
    return rx.cond(
        StatsState.found,
        section(label("ui.poll_stats.statistika_golosovaniia"), stats_panel("h3"), id="poll-stats"),
    )
