"""Figures of the receipt contest's staff statistics: receipts per day by status, participants per
day and cumulative, the points distribution of the general contest.

Pure builders from the service's DTOs (memoised: the same month's numbers reuse their figure):
Russian titles and axes, days as «дд.мм» (Moscow), separators «1 234», the colour-blind-safe
palette of the statistics charts. Each figure is shown with a table of the same numbers.
"""

from collections.abc import Sequence

import plotly.graph_objects as go

from ag_app.charts.layout import thin_categories
from ag_app.charts.memo import remembered
from ag_app.charts.stats import PALETTE, add_bars, hover_texts, style_figure
from ag_app.services.contest.stats import DayStats, PointsBucket

ACCEPTED = "Приняты"
REVIEW = "На проверке"
REJECTED = "Отклонены"
PER_DAY = "Участников за день"
CUMULATIVE = "Участников всего"
DAY_AXIS = "День (по дате сохранения, Москва)"


def day_label(day: DayStats) -> str:
    """«07.12»."""
    return day.day.strftime("%d.%m")


def _whole_axis(figure: go.Figure, values: Sequence[int]) -> None:
    """Whole numbers only: small counts get a step of 1 instead of repeated ticks «0 0 1 1»."""
    if max(values, default=0) < 10:
        figure.update_yaxes(dtick=1)


@remembered()
def receipts_figure(days: tuple[DayStats, ...]) -> go.Figure:
    """Receipts saved each day, stacked: accepted, under review, rejected."""
    labels = [day_label(d) for d in days]
    figure = go.Figure()
    series = (
        (ACCEPTED, [d.accepted for d in days]),
        (REVIEW, [d.review for d in days]),
        (REJECTED, [d.rejected for d in days]),
    )
    add_bars(figure, labels, series, colors=(0, 1, 5))
    figure.update_layout(barmode="stack")
    style_figure(figure, title="Чеки по дням", x_title=DAY_AXIS, y_title="Чеков", legend=True)
    thin_categories(figure, len(days))
    _whole_axis(figure, [d.receipts for d in days])
    return figure


@remembered()
def participants_figure(days: tuple[DayStats, ...]) -> go.Figure:
    """Distinct participants who saved a receipt each day."""
    values = [d.participants for d in days]
    figure = go.Figure(
        go.Bar(
            x=[day_label(d) for d in days],
            y=values,
            name=PER_DAY,
            customdata=hover_texts(values),
            hovertemplate="%{x}: %{customdata}<extra></extra>",
            marker={"color": PALETTE[2]},
        )
    )
    style_figure(figure, title="Участники по дням", x_title=DAY_AXIS, y_title="Участников", legend=False)
    thin_categories(figure, len(days))
    _whole_axis(figure, values)
    return figure


@remembered()
def cumulative_figure(days: tuple[DayStats, ...]) -> go.Figure:
    """Participants of the month so far: a line growing day by day."""
    values = [d.cumulative for d in days]
    figure = go.Figure(
        go.Scatter(
            x=[day_label(d) for d in days],
            y=values,
            name=CUMULATIVE,
            mode="lines+markers",
            customdata=hover_texts(values),
            hovertemplate="%{x}: %{customdata}<extra></extra>",
            line={"color": PALETTE[0]},
        )
    )
    style_figure(
        figure, title="Участники с начала месяца", x_title=DAY_AXIS, y_title="Участников", legend=False
    )
    thin_categories(figure, len(days))
    _whole_axis(figure, values)
    return figure


@remembered()
def points_figure(buckets: tuple[PointsBucket, ...]) -> go.Figure:
    """Participants of the general contest per points range."""
    values = [b.participants for b in buckets]
    figure = go.Figure(
        go.Bar(
            x=[b.label for b in buckets],
            y=values,
            name="Участников",
            customdata=hover_texts(values),
            hovertemplate="%{x} баллов: %{customdata}<extra></extra>",
            marker={"color": PALETTE[3]},
        )
    )
    style_figure(
        figure,
        title="Распределение баллов в общем конкурсе",
        x_title="Баллов",
        y_title="Участников",
        legend=False,
    )
    _whole_axis(figure, values)
    return figure
