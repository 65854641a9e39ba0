"""Shop report figures: the numbers given are drawn, with Russian labels and weeks as «дд.мм»."""

from datetime import date

from ag_app.charts.shop import EARNED, SPENT, points_weeks_figure, top_items_figure
from ag_app.services.shop import ItemOrders, WeekPoints


def test_points_weeks_figure_draws_earned_and_spent_side_by_side():
    weeks = [
        WeekPoints(week_start=date(2026, 11, 23), earned=1500, spent=300),
        WeekPoints(week_start=date(2026, 11, 30), earned=0, spent=1200),
    ]
    figure = points_weeks_figure(weeks)
    earned, spent = figure.data
    assert (earned.name, spent.name) == (EARNED, SPENT)
    assert list(earned.x) == ["23.11", "30.11"] == list(spent.x)
    assert list(earned.y) == [1500, 0]
    assert list(spent.y) == [300, 1200]
    assert list(earned.customdata) == ["1\u00a0500", "0"]
    assert figure.layout.barmode == "group"
    assert figure.layout.title.text == "Баллы: начислено и списано по неделям"
    assert figure.layout.yaxis.title.text == "Баллов"
    assert figure.layout.separators == ",\u00a0"


def test_points_weeks_figure_of_no_weeks_is_empty_but_titled():
    figure = points_weeks_figure([])
    assert [list(t.y) for t in figure.data] == [[], []]
    assert figure.layout.xaxis.title.text == "Неделя (понедельник)"


def test_top_items_figure_is_horizontal_with_the_most_ordered_on_top():
    items = [ItemOrders("Кружка «Активный гражданин»", 42), ItemOrders("Значок", 7)]
    figure = top_items_figure(items)
    (bar,) = figure.data
    assert bar.orientation == "h"
    # Plotly draws the first category at the bottom, so the list is reversed.
    assert list(bar.y) == ["Значок", "Кружка «Активный гражданин»"]
    assert list(bar.x) == [7, 42]
    assert figure.layout.xaxis.title.text == "Заказов"
    assert figure.layout.yaxis.type == "category"
    assert figure.layout.xaxis.type == "linear"
    assert figure.layout.xaxis.dtick is None
    assert top_items_figure([ItemOrders("Значок", 1)]).layout.xaxis.dtick == 1


def test_top_items_figure_shortens_long_titles():
    figure = top_items_figure([ItemOrders("Б" * 120, 3)])
    assert list(figure.data[0].y) == ["Б" * 50]
