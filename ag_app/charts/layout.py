"""How every chart stays readable on a phone: the shared layout rules of the figure builders.

- Many categories (more than :data:`MANY_CATEGORIES`, e.g. 130 districts) become horizontal bars of
  the :data:`TOP_N` largest, sorted, plus one «Остальные» bar with the sum of the rest (a share such
  as a turnout is not summed: the rest is left to the table, which always lists every category).
- The legend sits below the plot, anchored to the bottom of the whole figure, so Plotly reserves
  its room under the axis title instead of drawing it over the axes.
- Date axes are real dates with few ticks written «07.12» like the tables (Plotly's «ru» locale
  abbreviates months unevenly: «Ноя», «Дек.»), one tick a day only when the period is short.
- A series whose every value is hidden by the small-cell rule is not drawn (an empty line in the
  legend says nothing): the figure's subtitle says that its data are hidden.

Pure functions on Plotly figures and plain sequences: no Reflex, no I/O.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import plotly.graph_objects as go

from ag_app.domain.stats import MIN_CELL
from ag_app.i18n import label, message

# More categories than this do not fit a phone's width as vertical bars: they are folded.
MANY_CATEGORIES = 12
# How many of the largest categories keep their own bar when folded.
TOP_N = 12
# Date axes: at most this many ticks (a phone is ~390 px wide, a «07.12» label ~40 px).
DATE_TICKS = 6
# Height of one category row of a horizontal bar chart, per series drawn in it, in pixels.
ROW_PX = 16
# Room for one legend entry: on a phone each entry takes a line of its own under the plot.
LEGEND_ROW_PX = 22
ONE_DAY_MS = 86_400_000
Value = int | float | None
Series = tuple[str, Sequence[Value]]


@dataclass(frozen=True)
class Folded:
    """Categories as drawn: ``labels`` and each series' values in drawing order.

    ``folded`` counts the categories merged into «Остальные» or left to the table (0: none);
    ``horizontal`` tells the builder to draw bars sideways, the largest at the top.
    """

    labels: list[str]
    series: list[tuple[str, list[Value]]]
    folded: int
    horizontal: bool
    # The hover line of each category (the «Остальные» one says how many it sums).
    notes: list[str]


def _visible_sum(values: Sequence[Value]) -> Value:
    """Sum of the shown values; None when every one is hidden (the sum must not reveal hidden cells)."""
    shown = [v for v in values if v is not None]
    return sum(shown) if shown else None


def fold_categories(
    labels: Sequence[str], series: Sequence[Series], *, summable: bool = True, top: int = TOP_N
) -> Folded:
    """Keep at most ``top`` categories when there are more than :data:`MANY_CATEGORIES`.

    Rule: categories are ranked by the sum of their shown values over all series (hidden cells
    count as nothing), largest first, ties in the given order. The first ``top`` keep their bar;
    the rest become one «Остальные» bar per series holding the sum of their shown values — or, for
    values that are not counts (``summable`` False: shares, percentages), are left out and named
    in the subtitle. Hidden cells are never added to a sum, so «Остальные» reveals only what the
    table already shows. Few categories are returned unchanged, in their own order.
    """
    names = list(labels)
    columns = [(name, list(values)) for name, values in series]
    if len(names) <= MANY_CATEGORIES:
        return Folded(names, columns, 0, False, ["" for _ in names])
    score = [_visible_sum([values[i] for _, values in columns]) or 0 for i in range(len(names))]
    order = sorted(range(len(names)), key=lambda i: -score[i])
    kept, rest = order[:top], order[top:]
    shown_labels = [names[i] for i in kept]
    shown_series = [(name, [values[i] for i in kept]) for name, values in columns]
    notes = ["" for _ in kept]
    if summable and rest:
        shown_labels.append(label("chart.others"))
        for (_, values), (_, drawn) in zip(columns, shown_series, strict=True):
            drawn.append(_visible_sum([values[i] for i in rest]))
        notes.append(message("chart.others_hover", count=len(rest)).removesuffix("."))
    return Folded(shown_labels, shown_series, len(rest), True, notes)


def fold_note(folded: Folded, *, summable: bool = True) -> str:
    """The subtitle of a folded chart («Показаны 12 наибольших из 130…»), or "" when nothing is folded."""
    if not folded.folded:
        return ""
    kept = len(folded.labels) - (1 if summable else 0)
    key = "chart.top_summed" if summable else "chart.top_only"
    return message(key, top=kept, count=kept + folded.folded)


def split_hidden(series: Sequence[Series]) -> tuple[list[int], list[str]]:
    """Indices of the series that have a shown value, and names of those hidden entirely.

    Rule: a series whose every value is None (each cell below :data:`MIN_CELL` or hidden so no
    small cell can be recomputed) carries no information; it is not drawn and leaves the legend.
    An empty series (no categories) is not "hidden": it is simply drawn empty.
    """
    shown: list[int] = []
    hidden: list[str] = []
    for i, (name, values) in enumerate(series):
        if values and all(v is None for v in values):
            hidden.append(name)
        else:
            shown.append(i)
    return shown, hidden


def hidden_note(names: Sequence[str], *, unit: str = "people", everything: bool = False) -> str:
    """«Данные скрыты: меньше 5 человек (Регистрации).», or "" when nothing is hidden.

    When ``everything`` is hidden the series are not listed: the chart is simply empty.
    """
    if not names:
        return ""
    if everything:
        key = "chart.all_hidden_ballots" if unit == "ballots" else "chart.all_hidden_people"
        return message(key, min_cell=MIN_CELL)
    key = "chart.hidden_ballots" if unit == "ballots" else "chart.hidden_people"
    return message(key, min_cell=MIN_CELL, names=", ".join(names))


def notes_of(
    figure: go.Figure,
    folded: Folded | None,
    hidden: Sequence[str],
    *,
    unit: str = "people",
    summable: bool = True,
) -> go.Figure:
    """The figure's subtitle: what was folded (only when something is drawn) and what is hidden."""
    everything = not figure.data
    if folded is not None and not everything:
        add_note(figure, fold_note(folded, summable=summable))
    return add_note(figure, hidden_note(hidden, unit=unit, everything=everything))


def _wrap(text: str, width: int = 44) -> list[str]:
    """``text`` cut into lines of at most ``width`` characters at spaces (Plotly does not wrap)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return lines


def add_note(figure: go.Figure, text: str) -> go.Figure:
    """Show ``text`` under the figure's title (a subtitle, wrapped for a phone); "" adds nothing.

    The top margin grows by one line per wrapped line so the note never covers the plot.
    """
    if not text:
        return figure
    lines = _wrap(text)
    old = figure.layout.title.subtitle.text
    joined = "<br>".join(([old] if old else []) + lines)
    top = figure.layout.margin.t if figure.layout.margin.t is not None else 48
    figure.update_layout(
        title={"subtitle": {"text": joined, "font": {"size": 12, "color": "#3b4149"}}},
        margin={"t": top + 17 * len(lines)},
    )
    return figure


def legend_room(figure: go.Figure) -> int:
    """Pixels the legend takes under the plot when each entry needs a line (a phone's width)."""
    return LEGEND_ROW_PX * len(figure.data) if figure.layout.showlegend else 0


def legend_below(figure: go.Figure) -> go.Figure:
    """A horizontal legend at the bottom of the figure, under the axis title, never over the axes.

    Anchored to the container (not the plot area): Plotly then reserves the legend's height in
    the bottom margin and stacks the automargin of the x axis (ticks and title) above it. The
    figure grows by :func:`legend_room` so the plot keeps its height on a phone.
    """
    base = figure.layout.height or 380
    figure.update_layout(
        height=base + legend_room(figure),
        legend={
            "orientation": "h",
            "xref": "container",
            "x": 0,
            "xanchor": "left",
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
        },
        margin={"b": 8},
    )
    return figure


def short_label(text: str, limit: int = 18) -> str:
    """A category name short enough for a tick label on a phone («Москворечье-Сабур…»)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def horizontal_bars(
    figure: go.Figure, labels: Sequence[str], series_count: int, *, tickformat: str = ",d"
) -> go.Figure:
    """Axes of sideways bars: categories down the y axis, the first at the top, values along x.

    The figure grows with the number of bars, so each bar keeps a readable thickness; tick labels
    are shortened (the hover and the table keep the full names).
    """
    figure.update_xaxes(type="linear", rangemode="tozero", tickformat=tickformat, automargin=True)
    figure.update_yaxes(
        type="category",
        autorange="reversed",
        tickformat="",
        rangemode="normal",
        tickmode="array",
        tickvals=list(labels),
        ticktext=[short_label(t) for t in labels],
        automargin=True,
    )
    rows = len(labels) * max(1, series_count)
    plot = min(1600, max(380, 160 + ROW_PX * rows + 8 * len(labels)))
    figure.update_layout(height=plot + legend_room(figure))
    return figure


def date_axis(figure: go.Figure, days: Sequence[date], axis: str = "x") -> go.Figure:
    """A date axis with at most :data:`DATE_TICKS` labels: «07.12», or «12.2026» over half a year.

    A short period (up to :data:`DATE_TICKS` days) gets one tick a day, never ticks between days.
    """
    props: dict[str, object] = {
        "type": "date",
        "tickformat": "%d.%m",
        "hoverformat": "%d.%m.%Y",
        "nticks": DATE_TICKS,
        "tickangle": 0,
    }
    if days:
        first, last = min(days), max(days)
        span = (last - first).days + 1
        if span > 180:
            props["tickformat"] = "%m.%Y"
        elif span <= DATE_TICKS:
            props.update(tickmode="linear", tick0=first.isoformat(), dtick=ONE_DAY_MS)
    if axis == "x":
        figure.update_xaxes(**props)
    else:
        figure.update_yaxes(**props)
    return figure


def thin_categories(figure: go.Figure, count: int, axis: str = "x") -> go.Figure:
    """Day labels kept as categories («07.12»): at most :data:`DATE_TICKS` of them are written."""
    if count > DATE_TICKS:
        if axis == "x":
            figure.update_xaxes(nticks=DATE_TICKS, tickangle=0)
        else:
            figure.update_yaxes(nticks=DATE_TICKS)
    return figure
