"""Figures of the staff dashboard: activity over time, levels, turnout, points by rule.

Hidden counts (None, fewer than 5 people) are left out of the bars, as in the tables.
"""

import plotly.graph_objects as go

from ag_app.charts.stats import PALETTE, hover_texts, style_figure
from ag_app.services.dashboard import DashboardView


def activity_figure(view: DashboardView) -> go.Figure:
    """New registrations and active users per Moscow day of the period."""
    labels = [d.day.strftime("%d.%m.%Y") for d in view.days]
    figure = go.Figure()
    for i, (name, values) in enumerate(
        (
            ("Регистрации", [d.registrations for d in view.days]),
            ("Активные пользователи", [d.active for d in view.days]),
        )
    ):
        figure.add_trace(
            go.Scatter(
                x=labels,
                y=values,
                name=name,
                mode="lines+markers",
                customdata=hover_texts(values),
                hovertemplate=f"{name}<br>%{{x}}: %{{customdata}}<extra></extra>",
                line={"color": PALETTE[i]},
            )
        )
    return style_figure(
        figure, title="Регистрации и активность", x_title="День", y_title="Человек", legend=True
    )


def bars_figure(
    labels: list[str],
    values: list[int | float | None],
    *,
    title: str,
    x_title: str,
    y_title: str,
    percent: bool = False,
) -> go.Figure:
    """One bar per label (levels, turnout per district or poll, points per rule); ``percent``
    values are shares in percent («12,5 %» on hover)."""
    figure = go.Figure(
        go.Bar(
            x=labels,
            y=values,
            customdata=hover_texts(values, percent=percent),
            hovertemplate="%{x}: %{customdata}<extra></extra>",
            marker={"color": PALETTE[0]},
        )
    )
    return style_figure(figure, title=title, x_title=x_title, y_title=y_title, legend=False)
