"""``/staff/contest/stats`` «Конкурс чеков: статистика» (moderators and staff): receipts per day by
status, participants per day and cumulative, the points distribution — each chart with its table.

The figures are None until ``load`` builds them (small default state); the service checks the
actor's role, so anyone else gets no numbers.
"""

import plotly.graph_objects as go
import reflex as rx

from ag_app.charts.contest import (
    cumulative_figure,
    day_label,
    participants_figure,
    points_figure,
    receipts_figure,
)
from ag_app.domain.errors import NotAllowed, NotAuthenticated
from ag_app.i18n import label
from ag_app.services.contest import stats
from ag_app.services.contest.stats import ContestStats
from ag_app.state import fmt
from ag_app.state.base import actor_of, call, holds_user_data, now
from ag_app.state.staff_common import StaffMonthMixin


def receipt_rows(data: ContestStats) -> list[list[str]]:
    """Day, accepted, under review, rejected, all — and the month's total last."""
    rows = [
        [day_label(d), fmt.num(d.accepted), fmt.num(d.review), fmt.num(d.rejected), fmt.num(d.receipts)]
        for d in data.days
    ]
    total = [fmt.num(data.accepted), fmt.num(data.review), fmt.num(data.rejected), fmt.num(data.receipts)]
    return [*rows, [label("ui.contest_stats.vsego"), *total]]


def participant_rows(data: ContestStats) -> list[list[str]]:
    """Day, participants that day, participants since the month began."""
    return [[day_label(d), fmt.num(d.participants), fmt.num(d.cumulative)] for d in data.days]


def bucket_rows(data: ContestStats) -> list[list[str]]:
    return [[b.label, fmt.num(b.participants)] for b in data.buckets]


def total_rows(data: ContestStats) -> list[list[str]]:
    return [
        [label("ui.contest_stats.chekov_sokhraneno"), fmt.num(data.receipts)],
        [label("ui.contest_stats.priniato"), fmt.num(data.accepted)],
        [label("ui.contest_stats.na_proverke"), fmt.num(data.review)],
        [label("ui.contest_stats.otkloneno"), fmt.num(data.rejected)],
        [label("ui.contest_stats.uchastnikov_s_chekami"), fmt.num(data.participants)],
        [label("ui.contest_stats.uchastnikov_v_reitinge_obshchego_konkursa"), fmt.num(data.rated)],
        [label("ui.contest_stats.ballov_v_obshchem_konkurse"), fmt.num(data.points)],
    ]


@holds_user_data
class StaffContestStatsState(StaffMonthMixin, rx.State):
    """The month's statistics: four figures and their tables."""

    loaded: bool = False
    allowed: bool = False
    period: str = ""
    receipts_fig: go.Figure | None = None
    participants_fig: go.Figure | None = None
    cumulative_fig: go.Figure | None = None
    points_fig: go.Figure | None = None
    receipts_rows: list[list[str]] = []
    participants_rows: list[list[str]] = []
    points_rows: list[list[str]] = []
    totals: list[list[str]] = []

    def _forbid(self) -> None:
        self.allowed = False
        self.receipts_fig = self.participants_fig = self.cumulative_fig = self.points_fig = None
        self.receipts_rows, self.participants_rows, self.points_rows, self.totals = [], [], [], []

    async def _reload(self) -> None:
        """The figures of ``period``; a refusal shows nothing (and no message: the page says why)."""
        try:
            data = await call(
                stats.contest_stats, actor_id=await actor_of(self), period=self.period, now=now()
            )
        except (NotAllowed, NotAuthenticated):
            self._forbid()
            return
        self.allowed, self.period = True, data.period
        self.receipts_fig = receipts_figure(data.days)
        self.participants_fig = participants_figure(data.days)
        self.cumulative_fig = cumulative_figure(data.days)
        self.points_fig = points_figure(data.buckets)
        self.receipts_rows = receipt_rows(data)
        self.participants_rows = participant_rows(data)
        self.points_rows = bucket_rows(data)
        self.totals = total_rows(data)

    @rx.event
    async def load(self):
        """Open the statistics of the current Moscow month."""
        await self._open_month()

    @rx.event
    async def set_period(self, form: dict):
        """Show another month."""
        await self._switch_month(form)
