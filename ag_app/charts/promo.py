"""Figures of a promo campaign's staff dashboard: the participation funnel, participants and winners
of the main and category draws, codes sent and opt-outs per day, prize points.

Pure builders from the service's DTOs (memoised: the same numbers reuse their figure): Russian
titles and axes, days as «дд.мм» (Moscow), separators «1 234», the colour-blind-safe palette of the
statistics charts. Each figure is shown with a table of the same numbers; the labels below are
shared by both so the chart and its table always name a value alike.
"""

from collections.abc import Sequence

import plotly.graph_objects as go

from ag_app.charts.layout import thin_categories
from ag_app.charts.memo import remembered
from ag_app.charts.stats import PALETTE, add_bars, hover_texts, style_figure
from ag_app.domain.promo import CATEGORIES
from ag_app.services.promo.stats import DayStats, DrawStats, Funnel, PrizePoints

# The funnel's steps in order: (label, field of Funnel).
FUNNEL_STEPS: tuple[tuple[str, str], ...] = (
    ("Имеют право на участие", "eligible"),
    ("Коды отправлены", "codes_sent"),
    ("Отказались от участия", "opted_out"),
    ("Проголосовали", "voted"),
    ("Участники розыгрышей", "participants"),
    ("Победители основных розыгрышей", "winners"),
    ("Дополнительные призы", "extra_prizes"),
    ("Победители в категориях", "category_winners"),
    ("Активировали код", "activated"),
    ("Коды аннулированы", "annulled"),
)
PARTICIPANTS = "Участники"
WINNERS = "Победители"
CODES_SENT = "Коды отправлены"
OPTED_OUT = "Отказались"
POINTS_STEPS = ("Начислено", "Обменяно", "Осталось")
DAY_AXIS = "День (Москва)"


def funnel_steps(funnel: Funnel) -> list[tuple[str, int]]:
    """The funnel as (label, count) in the order of :data:`FUNNEL_STEPS`."""
    return [(label, getattr(funnel, field)) for label, field in FUNNEL_STEPS]


def draw_label(draw: DrawStats) -> str:
    """«Розыгрыш 11.12» by the Moscow day it is due, or «Окно 2» for a window without a draw."""
    if draw.due_on is None:
        return f"Окно {draw.window + 1}"
    return f"Розыгрыш {draw.due_on.strftime('%d.%m')}"


def category_name(key: str) -> str:
    """«Спорт» for «sport»."""
    return CATEGORIES.get(key, key)


def category_draw_label(draw: DrawStats) -> str:
    """«Спорт, розыгрыш 11.12»."""
    return f"{category_name(draw.category)}, {draw_label(draw).lower()}"


def points_steps(points: PrizePoints) -> list[tuple[str, int]]:
    """Prize points credited, exchanged and left, labelled."""
    return list(zip(POINTS_STEPS, (points.credited, points.exchanged, points.left), strict=True))


def day_label(day: DayStats) -> str:
    """«07.12»."""
    return day.day.strftime("%d.%m")


def _whole_axis(figure: go.Figure, values: Sequence[int], axis: str = "y") -> None:
    """Whole numbers only: small counts get a step of 1 instead of repeated ticks «0 0 1 1»."""
    if max(values, default=0) >= 10:
        return
    if axis == "x":
        figure.update_xaxes(dtick=1)
    else:
        figure.update_yaxes(dtick=1)


@remembered()
def funnel_figure(funnel: Funnel) -> go.Figure:
    """Citizens at each step of the campaign, as horizontal bars from the top step down."""
    steps = funnel_steps(funnel)
    values = [n for _, n in steps]
    figure = go.Figure(
        go.Bar(
            x=values,
            y=[label for label, _ in steps],
            orientation="h",
            name="Граждан",
            customdata=hover_texts(values),
            hovertemplate="%{y}: %{customdata}<extra></extra>",
            marker={"color": PALETTE[0]},
        )
    )
    style_figure(figure, title="Воронка участия", x_title="Граждан", y_title="", legend=False)
    figure.update_xaxes(type="linear", tickformat=",d", rangemode="tozero")
    figure.update_yaxes(type="category", autorange="reversed", tickformat="")
    figure.update_layout(height=460)
    _whole_axis(figure, values, axis="x")
    return figure


def _draws_figure(labels: list[str], draws: Sequence[DrawStats], title: str) -> go.Figure:
    figure = go.Figure()
    series = ((PARTICIPANTS, [d.participants for d in draws]), (WINNERS, [d.winners for d in draws]))
    add_bars(figure, labels, series, colors=(0, 1))
    figure.update_layout(barmode="group")
    style_figure(figure, title=title, x_title="Розыгрыш", y_title="Граждан", legend=True)
    _whole_axis(figure, [d.participants for d in draws])
    return figure


@remembered()
def main_draws_figure(draws: tuple[DrawStats, ...]) -> go.Figure:
    """Participants and winners of each main draw (one per window)."""
    return _draws_figure([draw_label(d) for d in draws], draws, "Основные розыгрыши")


@remembered()
def category_draws_figure(draws: tuple[DrawStats, ...]) -> go.Figure:
    """Participants and winners of each category draw."""
    return _draws_figure([category_draw_label(d) for d in draws], draws, "Розыгрыши в категориях")


def _day_figure(
    days: tuple[DayStats, ...], values: list[int], name: str, title: str, colour: str
) -> go.Figure:
    figure = go.Figure(
        go.Bar(
            x=[day_label(d) for d in days],
            y=values,
            name=name,
            customdata=hover_texts(values),
            hovertemplate="%{x}: %{customdata}<extra></extra>",
            marker={"color": colour},
        )
    )
    style_figure(figure, title=title, x_title=DAY_AXIS, y_title="Граждан", legend=False)
    thin_categories(figure, len(days))
    _whole_axis(figure, values)
    return figure


@remembered()
def codes_figure(days: tuple[DayStats, ...]) -> go.Figure:
    """Codes sent by SMS each Moscow day."""
    return _day_figure(days, [d.codes_sent for d in days], CODES_SENT, "Коды отправлены по дням", PALETTE[2])


@remembered()
def opt_outs_figure(days: tuple[DayStats, ...]) -> go.Figure:
    """Opt-outs (still in force) each Moscow day."""
    return _day_figure(days, [d.opted_out for d in days], OPTED_OUT, "Отказы от участия по дням", PALETTE[5])


@remembered()
def points_figure(points: PrizePoints) -> go.Figure:
    """Prize points credited to winners, exchanged for partner rewards and left on their balances."""
    steps = points_steps(points)
    values = [n for _, n in steps]
    figure = go.Figure(
        go.Bar(
            x=[label for label, _ in steps],
            y=values,
            name="Призовых баллов",
            customdata=hover_texts(values),
            hovertemplate="%{x}: %{customdata}<extra></extra>",
            marker={"color": [PALETTE[0], PALETTE[3], PALETTE[2]]},
        )
    )
    style_figure(figure, title="Призовые баллы", x_title="", y_title="Призовых баллов", legend=False)
    _whole_axis(figure, values)
    return figure
