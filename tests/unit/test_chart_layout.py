"""Charts stay readable: many categories fold into sorted sideways bars with «Остальные», legends sit
under the plot, date axes carry few labels, and a series hidden by the small-cell rule is not drawn."""

from datetime import date, timedelta

from ag_app.charts.dashboard import activity_figure, bars_figure
from ag_app.charts.layout import DATE_TICKS, MANY_CATEGORIES, TOP_N, fold_categories
from ag_app.charts.stats import answers_figure, ballots_figure
from ag_app.services.dashboard import DashboardFilter, DashboardView, DayActivity
from ag_app.services.stats import OptionStats, PollStatsView, QuestionStats

DISTRICTS = [f"Район {i:03d}" for i in range(130)]
# District i has 10 + (i * 37) % 130 ballots: distinct values in a scrambled order.
BALLOTS: list[int | None] = [10 + (i * 37) % 130 for i in range(130)]


def _district_view(ballots: list[int | None] = BALLOTS) -> PollStatsView:
    yes = [None if b is None else b - b // 3 for b in ballots]
    no = [None if b is None else b // 3 for b in ballots]
    return PollStatsView(
        poll_id=1,
        poll_title="Парк",
        dimension="district",
        dimension_name="Район",
        total=sum(b for b in ballots if b is not None),
        keys=[str(i) for i in range(130)],
        labels=DISTRICTS,
        ballots=ballots,
        questions=[
            QuestionStats(
                7, "Нужен ли каток?", "single", [OptionStats(70, "Да", 1, yes), OptionStats(71, "Нет", 1, no)]
            )
        ],
        min_cell=5,
    )


def test_130_districts_become_sorted_horizontal_bars_of_the_top_and_the_rest():
    figure = ballots_figure(_district_view())
    (bar,) = figure.data
    assert bar.orientation == "h"
    assert len(bar.y) == TOP_N + 1
    assert bar.y[-1] == "Остальные"
    top = sorted(BALLOTS, reverse=True)[:TOP_N]
    assert list(bar.x[:TOP_N]) == top
    assert bar.x[-1] == sum(BALLOTS) - sum(top)
    # The largest is drawn at the top, «Остальные» at the bottom.
    assert figure.layout.yaxis.autorange == "reversed"
    assert figure.layout.xaxis.title.text == "Бюллетени"
    assert figure.layout.yaxis.title.text == "Район"
    assert "Показаны 12 наибольших из 130" in figure.layout.title.subtitle.text.replace("<br>", " ")


def test_the_rest_sums_only_shown_cells():
    ballots = list(BALLOTS)
    smallest = sorted(range(130), key=lambda i: BALLOTS[i])[:3]
    for i in smallest:
        ballots[i] = None
    bar = ballots_figure(_district_view(ballots)).data[0]
    shown = [b for b in ballots if b is not None]
    assert bar.x[-1] == sum(shown) - sum(sorted(shown, reverse=True)[:TOP_N])


def test_few_categories_keep_their_order_and_vertical_bars():
    labels = [f"Округ {i}" for i in range(MANY_CATEGORIES)]
    folded = fold_categories(labels, [("Бюллетени", list(range(MANY_CATEGORIES)))])
    assert folded.labels == labels and not folded.horizontal and folded.folded == 0


def test_shares_are_not_summed_into_the_rest():
    figure = bars_figure(
        DISTRICTS,
        [float(b) for b in BALLOTS],
        title="Явка по районам",
        x_title="Район",
        y_title="Явка, %",
        percent=True,
    )
    (bar,) = figure.data
    assert bar.orientation == "h"
    assert len(bar.y) == TOP_N and "Остальные" not in bar.y
    assert (
        "Показаны 12 наибольших из 130; все значения — в таблице"
        in figure.layout.title.subtitle.text.replace("<br>", " ")
    )


def test_grouped_answers_fold_the_same_way_with_the_legend_below():
    figure = answers_figure(_district_view(), 7)
    assert [t.name for t in figure.data] == ["Да", "Нет"]
    assert all(t.orientation == "h" and len(t.y) == TOP_N + 1 for t in figure.data)
    legend = figure.layout.legend
    assert legend.orientation == "h"
    assert (legend.yref, legend.y, legend.yanchor) == ("container", 0, "bottom")
    assert figure.layout.xaxis.automargin is True and figure.layout.yaxis.automargin is True


def _dashboard(days: int, registrations: list[int | None], active: list[int | None]) -> DashboardView:
    start = date(2026, 11, 8)
    return DashboardView(
        filter=DashboardFilter(start=start, end=start + timedelta(days=days - 1)),
        days=[DayActivity(start + timedelta(days=i), registrations[i], active[i]) for i in range(days)],
        levels=[],
        polls=[],
        districts=[],
        points=[],
        okrugs=[],
        district_choices=[],
        poll_choices=[],
    )


def test_a_series_hidden_on_every_day_leaves_the_chart_and_the_note_says_so():
    figure = activity_figure(_dashboard(30, [None] * 30, [40 + i for i in range(30)]))
    assert [t.name for t in figure.data] == ["Активные пользователи"]
    assert figure.layout.title.subtitle.text.replace("<br>", " ") == (
        "Данные скрыты: меньше 5 человек (Регистрации)."
    )


def test_partly_hidden_series_stays_and_no_note_is_shown():
    figure = activity_figure(_dashboard(3, [None, 7, None], [9, 9, 9]))
    assert [t.name for t in figure.data] == ["Регистрации", "Активные пользователи"]
    assert not figure.layout.title.subtitle.text


def test_daily_date_axis_writes_few_labels():
    figure = activity_figure(_dashboard(30, [6] * 30, [9] * 30))
    axis = figure.layout.xaxis
    assert axis.type == "date"
    assert axis.nticks == DATE_TICKS
    assert axis.tickformat == "%d.%m"
    assert list(figure.data[0].x[:2]) == ["2026-11-08", "2026-11-09"]


def test_a_short_period_gets_one_tick_a_day_never_between_days():
    axis = activity_figure(_dashboard(3, [6] * 3, [9] * 3)).layout.xaxis
    assert (axis.tickmode, axis.dtick, axis.tick0) == ("linear", 86_400_000, "2026-11-08")


def test_a_breakdown_hidden_everywhere_says_so_without_claiming_bars():
    figure = answers_figure(_district_view([None] * 130), 7)
    assert list(figure.data) == []
    assert figure.layout.title.subtitle.text == "Данные скрыты: меньше 5 бюллетеней."
