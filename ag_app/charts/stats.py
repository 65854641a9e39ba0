"""Figures of poll statistics (SPEC §5.4): turnout over time, ballots and answers by a dimension.

Suppressed cells (None) are left out of the bars — the bar is missing and the hover text says
«менее 5» — so a chart never shows a value the tables and downloads hide. Russian labels, number
separators «1 234,5», a colour-blind-safe palette (Okabe–Ito) with dark text.
"""

from collections.abc import Sequence
from datetime import date

import plotly.graph_objects as go

from ag_app.charts.layout import (
    Folded,
    date_axis,
    fold_categories,
    horizontal_bars,
    legend_below,
    notes_of,
    split_hidden,
)
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
    """Russian, readable defaults for a figure: title, axis titles, separators «1 234,5», palette.

    The legend, when shown, goes under the plot (:func:`ag_app.charts.layout.legend_below`).
    """
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
        hoverlabel={"font": {"size": 13}},
        bargap=0.25,
    )
    if legend:
        legend_below(figure)
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
    """Ballots per value of the breakdown's dimension (a line over days for turnout over time).

    Many values (districts) are folded into the largest ones plus «Остальные», drawn sideways.
    """
    if view.dimension == "day":
        return _turnout_figure(view)
    folded = fold_categories(view.labels, [("Бюллетени", view.ballots)])
    figure = go.Figure()
    hidden = add_bars(
        figure, folded.labels, folded.series, colors=(0,), horizontal=folded.horizontal, notes=folded.notes
    )
    figure.update_traces(hovertemplate=_axis_hover(folded.horizontal))
    style_figure(
        figure,
        title=f"Бюллетени: {view.dimension_name.lower()}",
        x_title=view.dimension_name,
        y_title="Бюллетени",
        legend=False,
    )
    _orient(figure, folded, view.dimension_name, "Бюллетени")
    return notes_of(figure, folded, hidden, unit="ballots")


def _axis_hover(horizontal: bool) -> str:
    """Hover of a single series: «category: value», plus what «Остальные» sums."""
    return ("%{y}" if horizontal else "%{x}") + ": %{customdata}<extra></extra>"


def _orient(figure: go.Figure, folded: Folded, category_title: str, value_title: str) -> None:
    """Folded categories are drawn sideways: swap the axis titles and lay the axes out for it."""
    if not folded.horizontal:
        return
    figure.update_xaxes(title_text=value_title)
    figure.update_yaxes(title_text=category_title)
    horizontal_bars(figure, folded.labels, len(figure.data))


def _turnout_figure(view: PollStatsView) -> go.Figure:
    """Ballots per Moscow day as a line on a date axis (gaps where a day's count is hidden)."""
    figure = go.Figure()
    shown, hidden = split_hidden([("Бюллетени", view.ballots)])
    if shown:
        figure.add_trace(
            go.Scatter(
                x=list(view.keys),
                y=list(view.ballots),
                name="Бюллетени",
                mode="lines+markers",
                connectgaps=False,
                customdata=hover_texts(view.ballots),
                hovertemplate="%{x|%d.%m.%Y}: %{customdata}<extra></extra>",
                marker={"color": PALETTE[0]},
            )
        )
    style_figure(figure, title="Явка по дням", x_title=view.dimension_name, y_title="Бюллетени", legend=False)
    date_axis(figure, [date.fromisoformat(k) for k in view.keys])
    return notes_of(figure, None, hidden, unit="ballots")


def add_bars(
    figure: go.Figure,
    x: Sequence[str],
    series: Sequence[tuple[str, Sequence[int | float | None]]],
    *,
    colors: Sequence[int],
    x_label: str = "%{x}",
    horizontal: bool = False,
    notes: Sequence[str] = (),
) -> list[str]:
    """One bar trace per (name, values), coloured from the palette, with the shared hover text.

    A series hidden entirely by the small-cell rule is left out (and out of the legend); the
    names of those series are returned for the figure's note. ``horizontal`` draws the bars
    sideways (categories on y); ``notes`` add a line to the hover of each category.
    """
    shown, hidden = split_hidden(series)
    category = "%{y}" if horizontal and x_label == "%{x}" else x_label
    for i in shown:
        name, values = series[i]
        texts = hover_texts(values)
        if notes:
            texts = [f"{t}<br>{n}" if n else t for t, n in zip(texts, notes, strict=True)]
        axes = (
            {"x": list(values), "y": list(x), "orientation": "h"}
            if horizontal
            else {"x": list(x), "y": list(values)}
        )
        figure.add_trace(
            go.Bar(
                **axes,
                name=name,
                customdata=texts,
                hovertemplate=f"{name}<br>{category}: %{{customdata}}<extra></extra>",
                marker={"color": PALETTE[colors[i] % len(PALETTE)]},
            )
        )
    return hidden


@remembered()
def answers_figure(view: PollStatsView, question_id: int) -> go.Figure:
    """The answers to one question per value of the dimension: one bar group per value.

    Many values are folded like :func:`ballots_figure`; an option hidden in every group leaves
    the legend and is named in the note.
    """
    question = next((q for q in view.questions if q.id == question_id), None)
    figure = go.Figure()
    series = [(option.text, option.counts) for option in question.options] if question else []
    folded = fold_categories(view.labels, series)
    hidden = add_bars(
        figure,
        folded.labels,
        folded.series,
        colors=range(len(series)),
        horizontal=folded.horizontal,
        notes=folded.notes,
    )
    figure.update_layout(barmode="group")
    title = f"Ответы: {view.dimension_name.lower()}"
    style_figure(figure, title=title, x_title=view.dimension_name, y_title="Выбрали вариант", legend=True)
    _orient(figure, folded, view.dimension_name, "Выбрали вариант")
    return notes_of(figure, folded, hidden, unit="ballots")
