"""Contest statistics figures: the numbers given are drawn, with Russian titles and days as «дд.мм»."""

from datetime import date

import pytest

from ag_app.charts.contest import (
    ACCEPTED,
    REJECTED,
    REVIEW,
    cumulative_figure,
    participants_figure,
    points_figure,
    receipts_figure,
)
from ag_app.services.contest.stats import DayStats, PointsBucket

DAYS = (
    DayStats(date(2026, 11, 19), accepted=1, review=0, rejected=1, participants=1, cumulative=1),
    DayStats(date(2026, 11, 20), accepted=1200, review=3, rejected=0, participants=2, cumulative=2),
)
BUCKETS = (PointsBucket("1", 4), PointsBucket("2", 0), PointsBucket("51+", 1))


@pytest.mark.parametrize(
    ("figure", "title", "x_title", "y_title", "series"),
    [
        (
            receipts_figure(DAYS),
            "Чеки по дням",
            "День (по дате сохранения, Москва)",
            "Чеков",
            {ACCEPTED: [1, 1200], REVIEW: [0, 3], REJECTED: [1, 0]},
        ),
        (
            participants_figure(DAYS),
            "Участники по дням",
            "День (по дате сохранения, Москва)",
            "Участников",
            {"Участников за день": [1, 2]},
        ),
        (
            cumulative_figure(DAYS),
            "Участники с начала месяца",
            "День (по дате сохранения, Москва)",
            "Участников",
            {"Участников всего": [1, 2]},
        ),
        (
            points_figure(BUCKETS),
            "Распределение баллов в общем конкурсе",
            "Баллов",
            "Участников",
            {"Участников": [4, 0, 1]},
        ),
    ],
)
def test_each_figure_draws_the_numbers_with_russian_labels(figure, title, x_title, y_title, series):
    assert {trace.name: list(trace.y) for trace in figure.data} == series
    assert figure.layout.title.text == title
    assert figure.layout.xaxis.title.text == x_title
    assert figure.layout.yaxis.title.text == y_title
    assert figure.layout.separators == ",\u00a0"


def test_days_are_labelled_dd_mm_and_receipts_are_stacked():
    figure = receipts_figure(DAYS)
    assert [list(trace.x) for trace in figure.data] == [["19.11", "20.11"]] * 3
    assert figure.layout.barmode == "stack"
    assert list(figure.data[0].customdata) == ["1", "1\u00a0200"]
    # Large counts get automatic ticks, small ones whole steps.
    assert figure.layout.yaxis.dtick is None
    assert participants_figure(DAYS).layout.yaxis.dtick == 1


def test_points_buckets_keep_their_order_and_a_month_without_data_is_empty_but_titled():
    assert list(points_figure(BUCKETS).data[0].x) == ["1", "2", "51+"]
    empty = receipts_figure(())
    assert [list(trace.y) for trace in empty.data] == [[], [], []]
    assert empty.layout.title.text == "Чеки по дням"


def test_equal_numbers_reuse_the_figure():
    assert receipts_figure(DAYS) is receipts_figure(tuple(DAYS))
    assert points_figure(BUCKETS) is not points_figure((PointsBucket("1", 5),))
