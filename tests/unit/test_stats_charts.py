"""Statistics figures: Russian labels and number format, suppressed cells never drawn."""

from ag_app.charts.stats import HIDDEN_HOVER, answers_figure, ballots_figure
from ag_app.services.stats import OptionStats, PollStatsView, QuestionStats


def _view(
    dimension: str = "age", name: str = "Возраст", keys: tuple[str, str] = ("18–24", "25–34")
) -> PollStatsView:
    return PollStatsView(
        poll_id=1,
        poll_title="Парк",
        dimension=dimension,
        dimension_name=name,
        total=1234,
        keys=list(keys),
        labels=list(keys),
        ballots=[1200, None],
        questions=[
            QuestionStats(
                7,
                "Нужен ли каток?",
                "single",
                [OptionStats(70, "Да", 1000, [990, None]), OptionStats(71, "Нет", 234, [210, None])],
            )
        ],
        min_cell=5,
    )


def test_ballots_figure_leaves_out_suppressed_cells():
    figure = ballots_figure(_view())
    bar = figure.data[0]
    assert list(bar.x) == ["18–24", "25–34"]
    assert list(bar.y) == [1200, None]
    assert list(bar.customdata) == ["1\u00a0200", HIDDEN_HOVER]
    assert figure.layout.separators == ",\u00a0"
    assert figure.layout.xaxis.title.text == "Возраст"
    assert figure.layout.yaxis.title.text == "Бюллетени"


def test_turnout_is_a_line_over_days():
    figure = ballots_figure(_view("day", "День голосования", ("2026-11-20", "2026-11-21")))
    assert figure.data[0].type == "scatter"
    assert list(figure.data[0].x) == ["2026-11-20", "2026-11-21"]
    assert figure.layout.xaxis.type == "date"
    assert figure.layout.title.text == "Явка по дням"


def test_answers_figure_has_one_bar_series_per_option():
    figure = answers_figure(_view(), 7)
    assert [trace.name for trace in figure.data] == ["Да", "Нет"]
    assert list(figure.data[1].y) == [210, None]
    assert figure.layout.barmode == "group"
    assert figure.layout.showlegend is True
