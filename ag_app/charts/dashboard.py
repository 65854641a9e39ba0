"""Figures of the staff dashboard: activity over time, levels, turnout, points by rule.

Hidden counts (None, fewer than 5 people) are left out of the bars, as in the tables; a series
hidden on every day leaves the chart and its legend, and the figure says so. Many districts or
polls are drawn sideways, the largest first (:mod:`ag_app.charts.layout`).
"""

import plotly.graph_objects as go

from ag_app.charts.layout import (
    date_axis,
    fold_categories,
    horizontal_bars,
    notes_of,
    split_hidden,
)
from ag_app.charts.stats import PALETTE, add_bars, hover_texts, style_figure
from ag_app.services.dashboard import DashboardView


def activity_figure(view: DashboardView) -> go.Figure:
    """New registrations and active users per Moscow day of the period, on a date axis."""
    days = [d.day for d in view.days]
    series = (
        ("Регистрации", [d.registrations for d in view.days]),
        ("Активные пользователи", [d.active for d in view.days]),
    )
    shown, hidden = split_hidden(series)
    figure = go.Figure()
    for i in shown:
        name, values = series[i]
        figure.add_trace(
            go.Scatter(
                x=[day.isoformat() for day in days],
                y=values,
                name=name,
                mode="lines+markers",
                connectgaps=False,
                customdata=hover_texts(values),
                hovertemplate=f"{name}<br>%{{x|%d.%m.%Y}}: %{{customdata}}<extra></extra>",
                line={"color": PALETTE[i]},
            )
        )
    style_figure(figure, title="Регистрации и активность", x_title="День", y_title="Человек", legend=True)
    date_axis(figure, days)
    return notes_of(figure, None, hidden)


def bars_figure(
    labels: list[str],
    values: list[int | float | None],
    *,
    title: str,
    x_title: str,
    y_title: str,
    percent: bool = False,
) -> go.Figure:
    """One bar per label (levels, turnout per district or poll, points per rule).

    More than a dozen labels become sideways bars of the largest; counts fold the rest into
    «Остальные», shares (``percent``, «12,5 %» on hover) leave them to the table.
    """
    summable = not percent
    folded = fold_categories(labels, [(y_title, values)], summable=summable)
    figure = go.Figure()
    hidden = add_bars(
        figure, folded.labels, folded.series, colors=(0,), horizontal=folded.horizontal, notes=folded.notes
    )
    # One series: the hover names only the category (the chart's title names the value).
    shown_values = folded.series[0][1]
    figure.update_traces(
        customdata=[
            f"{t}<br>{n}" if n else t
            for t, n in zip(hover_texts(shown_values, percent=percent), folded.notes, strict=True)
        ],
        hovertemplate=("%{y}" if folded.horizontal else "%{x}") + ": %{customdata}<extra></extra>",
    )
    style_figure(figure, title=title, x_title=x_title, y_title=y_title, legend=False)
    if folded.horizontal:
        figure.update_xaxes(title_text=y_title)
        figure.update_yaxes(title_text=x_title)
        horizontal_bars(figure, folded.labels, 1, tickformat=",d" if summable else ",.1f")
    return notes_of(figure, folded, hidden, summable=summable)
