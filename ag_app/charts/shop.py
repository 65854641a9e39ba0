"""Figures of the rewards shop report (staff): points earned vs spent per week, the most ordered items.

Pure builders from the service's DTOs: Russian labels, weeks as «дд.мм» (the Monday of the Moscow
week), number separators «1 234», the colour-blind-safe palette of the statistics charts.
"""

from collections.abc import Sequence

import plotly.graph_objects as go

from ag_app.charts.layout import thin_categories
from ag_app.charts.stats import PALETTE, add_bars, hover_texts, style_figure
from ag_app.services.shop import ItemOrders, WeekPoints

EARNED = "Начислено баллов"
SPENT = "Списано баллов"


def week_label(point: WeekPoints) -> str:
    """The week's label: its Monday as «дд.мм»."""
    return point.week_start.strftime("%d.%m")


def points_weeks_figure(weeks: Sequence[WeekPoints]) -> go.Figure:
    """Points credited and written off in each Moscow week: two bars side by side per week."""
    labels = [week_label(w) for w in weeks]
    figure = go.Figure()
    series = ((EARNED, [w.earned for w in weeks]), (SPENT, [w.spent for w in weeks]))
    add_bars(figure, labels, series, colors=(0, 1), x_label="неделя с %{x}")
    figure.update_layout(barmode="group")
    style_figure(
        figure,
        title="Баллы: начислено и списано по неделям",
        x_title="Неделя (понедельник)",
        y_title="Баллов",
        legend=True,
    )
    return thin_categories(figure, len(labels))


def top_items_figure(items: Sequence[ItemOrders]) -> go.Figure:
    """The most ordered items as horizontal bars, the most ordered at the top."""
    shown = list(reversed(items))
    values = [i.orders for i in shown]
    figure = go.Figure(
        go.Bar(
            x=values,
            y=[i.title[:50] for i in shown],
            orientation="h",
            name="Заказов",
            customdata=hover_texts(values),
            hovertemplate="%{y}: %{customdata}<extra></extra>",
            marker={"color": PALETTE[2]},
        )
    )
    style_figure(
        figure, title="Самые заказываемые поощрения", x_title="Заказов", y_title="Поощрение", legend=False
    )
    # style_figure makes x the category axis; for horizontal bars the categories are on y.
    figure.update_xaxes(type="linear", rangemode="tozero", tickformat=",d")
    if max(values, default=0) < 10:
        # Whole orders only: without a step of 1, small counts get repeated ticks «0 0 0 1 1 1».
        figure.update_xaxes(dtick=1)
    figure.update_yaxes(type="category", tickformat="", rangemode="normal")
    figure.update_layout(height=max(320, 60 + 34 * len(shown)), margin={"l": 16})
    return figure
