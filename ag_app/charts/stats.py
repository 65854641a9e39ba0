"""Figures of poll statistics (SPEC §5.4): turnout over time, ballots and answers by a dimension.

Suppressed cells (None) are left out of the bars — the bar is missing and the hover text says
«менее 5» — so a chart never shows a value the tables and downloads hide. Russian labels, number
separators «1 234,5», a colour-blind-safe palette (Okabe–Ito) with dark text.
"""

from collections.abc import Sequence

import plotly.graph_objects as go

from ag_app.charts.memo import remembered
from ag_app.domain import numfmt
from ag_app.domain.stats import SUPPRESSED
from ag_app.services.stats import PollStatsView

# Okabe–Ito palette, distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 13, "color": "#1c2024"}
HIDDEN_HOVER = f"{SUPPRESSED} (скрыто: меньше 5 бюллетеней)"
_GRID = {"gridcolor": "#EBF0F8", "linecolor": "#EBF0F8", "zerolinecolor": "#EBF0F8", "ticks": ""}
# The look of Plotly's «plotly_white» in the few properties these charts use. Naming the built-in
# template instead would send its whole definition (~7 KB) with every figure over the websocket.
TEMPLATE = go.layout.Template(
    layout={
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "hoverlabel": {"align": "left"},
        "hovermode": "closest",
        "xaxis": {**_GRID, "title": {"standoff": 15}},
        "yaxis": {**_GRID, "title": {"standoff": 15}, "zerolinewidth": 2},
    }
)


def style_figure(figure: go.Figure, *, title: str, x_title: str, y_title: str, legend: bool) -> go.Figure:
    """Russian, readable defaults for a figure: title, axis titles, separators «1 234,5», palette."""
    figure.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        # Plotly's decimal mark and thousands separator: the ones of ag_app.domain.numfmt.
        separators="," + numfmt.NBSP,
        font=FONT,
        template=TEMPLATE,
        colorway=list(PALETTE),
        margin={"l": 56, "r": 16, "t": 48, "b": 64},
        height=380,
        showlegend=legend,
        legend={"orientation": "h", "yanchor": "top", "y": -0.22, "x": 0},
        hoverlabel={"font": {"size": 13}},
        bargap=0.25,
    )
    figure.update_xaxes(title_text=x_title, type="category", automargin=True)
    figure.update_yaxes(title_text=y_title, rangemode="tozero", tickformat=",d", automargin=True)
    return figure


def hover_texts(values: Sequence[int | float | None], *, percent: bool = False) -> list[str]:
    """Hover text per value: «1 234», «83,3» («83,3 %» for ``percent``), or «<5 (скрыто…)» for a
    hidden cell."""
    texts = []
    for value in values:
        if value is None:
            texts.append(HIDDEN_HOVER)
        elif percent:
            texts.append(numfmt.percent(value))
        elif isinstance(value, float):
            texts.append(numfmt.decimal1(value))
        else:
            texts.append(numfmt.num(value))
    return texts


@remembered()
def ballots_figure(view: PollStatsView) -> go.Figure:
    """Ballots per value of the breakdown's dimension (a line over days for turnout over time)."""
    turnout = view.dimension == "day"
    trace_class = go.Scatter if turnout else go.Bar
    extra = {"mode": "lines+markers", "connectgaps": False} if turnout else {}
    figure = go.Figure(
        trace_class(
            x=view.labels,
            y=list(view.ballots),
            name="Бюллетени",
            customdata=hover_texts(view.ballots),
            hovertemplate="%{x}: %{customdata}<extra></extra>",
            marker={"color": PALETTE[0]},
            **extra,
        )
    )
    title = "Явка по дням" if turnout else f"Бюллетени: {view.dimension_name.lower()}"
    return style_figure(figure, title=title, x_title=view.dimension_name, y_title="Бюллетени", legend=False)


def add_bars(
    figure: go.Figure,
    x: Sequence[str],
    series: Sequence[tuple[str, Sequence[int | float | None]]],
    *,
    colors: Sequence[int],
    x_label: str = "%{x}",
) -> None:
    """One bar trace per (name, values), coloured from the palette, with the shared hover text."""
    for (name, values), color in zip(series, colors, strict=True):
        figure.add_trace(
            go.Bar(
                x=list(x),
                y=list(values),
                name=name,
                customdata=hover_texts(values),
                hovertemplate=f"{name}<br>{x_label}: %{{customdata}}<extra></extra>",
                marker={"color": PALETTE[color % len(PALETTE)]},
            )
        )


@remembered()
def answers_figure(view: PollStatsView, question_id: int) -> go.Figure:
    """The answers to one question per value of the dimension: one bar group per value."""
    question = next((q for q in view.questions if q.id == question_id), None)
    figure = go.Figure()
    if question is not None:
        series = [(option.text, option.counts) for option in question.options]
        add_bars(figure, view.labels, series, colors=range(len(series)))
    figure.update_layout(barmode="group")
    title = f"Ответы: {view.dimension_name.lower()}"
    return style_figure(
        figure, title=title, x_title=view.dimension_name, y_title="Выбрали вариант", legend=True
    )
