"""Promo dashboard figures draw exactly the numbers of their tables, with Russian labels."""

from datetime import date

import pytest

from ag_app.charts.promo import (
    category_draws_figure,
    codes_figure,
    funnel_figure,
    main_draws_figure,
    opt_outs_figure,
    points_figure,
)
from ag_app.services.promo.stats import CampaignChoice, DayStats, DrawStats, Funnel, PrizePoints, PromoStats
from ag_app.state.staff_promo_stats import (
    category_draw_rows,
    day_rows,
    funnel_rows,
    main_draw_rows,
    points_rows,
)

CAMPAIGN = CampaignChoice(1, "#ВыбираемВместе")
DATA = PromoStats(
    campaigns=(CAMPAIGN,),
    campaign=CAMPAIGN,
    funnel=Funnel(
        eligible=1_250_000,
        codes_sent=1_249_990,
        opted_out=3_100,
        voted=400_000,
        participants=398_000,
        winners=100,
        extra_prizes=12_000,
        category_winners=3,
        activated=90,
        annulled=10,
    ),
    main_draws=(
        DrawStats(0, "", date(2026, 12, 11), 250_000, 100),
        DrawStats(1, "", date(2026, 12, 18), 148_000, 0),
        DrawStats(2, "", None, 7, 0),
    ),
    category_draws=(
        DrawStats(1, "home", date(2026, 12, 18), 30, 1),
        DrawStats(0, "sport", date(2026, 12, 11), 4, 1),
        DrawStats(0, "unknown", date(2026, 12, 11), 2, 0),
    ),
    days=(DayStats(date(2026, 12, 1), 1_000_000, 0), DayStats(date(2026, 12, 2), 249_990, 3_100)),
    points=PrizePoints(credited=300_000, exchanged=120_500, left=179_500),
)


def _number(cell: str) -> int:
    return int(cell.replace("\u00a0", ""))


def _table(rows: list[list[str]], with_total: bool) -> tuple[list[str], list[list[int]]]:
    """Labels and numbers of a table's rows, without its «Всего» row."""
    if with_total:
        assert rows[-1][0] == "Всего"
        rows = rows[:-1]
    return [r[0] for r in rows], [[_number(c) for c in r[1:]] for r in rows]


def test_the_funnel_draws_the_table_from_the_top_step_down():
    figure = funnel_figure(DATA.funnel)
    labels, numbers = _table(funnel_rows(DATA), with_total=False)
    (bar,) = figure.data
    assert list(bar.y) == labels and list(bar.x) == [n for (n,) in numbers]
    assert labels[0] == "Имеют право на участие" and labels[-1] == "Коды аннулированы"
    assert bar.orientation == "h" and figure.layout.yaxis.autorange == "reversed"
    assert figure.layout.title.text == "Воронка участия"
    assert list(bar.customdata)[0] == "1\u00a0250\u00a0000"


@pytest.mark.parametrize(
    ("figure", "rows", "title", "labels"),
    [
        (
            main_draws_figure(DATA.main_draws),
            main_draw_rows(DATA),
            "Основные розыгрыши",
            ["Розыгрыш 11.12", "Розыгрыш 18.12", "Окно 3"],
        ),
        (
            category_draws_figure(DATA.category_draws),
            category_draw_rows(DATA),
            "Розыгрыши в категориях",
            ["Техника для дома, розыгрыш 18.12", "Спорт, розыгрыш 11.12", "unknown, розыгрыш 11.12"],
        ),
    ],
)
def test_draw_figures_draw_participants_and_winners_of_the_table(figure, rows, title, labels):
    table_labels, numbers = _table(rows, with_total=True)
    assert table_labels == labels
    assert {trace.name: list(trace.x) for trace in figure.data} == {"Участники": labels, "Победители": labels}
    assert [list(trace.y) for trace in figure.data] == [[n[0] for n in numbers], [n[1] for n in numbers]]
    assert figure.layout.title.text == title and figure.layout.barmode == "group"
    assert (figure.layout.xaxis.title.text, figure.layout.yaxis.title.text) == ("Розыгрыш", "Граждан")
    assert figure.layout.separators == ",\u00a0"


def test_day_figures_draw_the_day_table():
    labels, numbers = _table(day_rows(DATA), with_total=True)
    assert labels == ["01.12", "02.12"]
    codes, opt_outs = codes_figure(DATA.days), opt_outs_figure(DATA.days)
    assert list(codes.data[0].x) == labels and list(codes.data[0].y) == [n[0] for n in numbers]
    assert list(opt_outs.data[0].x) == labels and list(opt_outs.data[0].y) == [n[1] for n in numbers]
    assert codes.layout.title.text == "Коды отправлены по дням"
    assert opt_outs.layout.title.text == "Отказы от участия по дням"
    assert codes.layout.xaxis.title.text == "День (Москва)"
    # Large counts get automatic ticks, small ones whole steps.
    assert codes.layout.yaxis.dtick is None
    assert codes_figure((DayStats(date(2026, 12, 1), 3, 0),)).layout.yaxis.dtick == 1


def test_the_points_figure_draws_the_points_table():
    figure = points_figure(DATA.points)
    labels, numbers = _table(points_rows(DATA), with_total=False)
    assert labels == ["Начислено", "Обменяно", "Осталось"]
    assert list(figure.data[0].x) == labels and list(figure.data[0].y) == [300_000, 120_500, 179_500]
    assert [n for (n,) in numbers] == [300_000, 120_500, 179_500]
    assert figure.layout.title.text == "Призовые баллы"


def test_a_campaign_without_draws_or_days_has_empty_titled_figures_and_tables():
    assert [list(trace.y) for trace in main_draws_figure(()).data] == [[], []]
    assert codes_figure(()).layout.title.text == "Коды отправлены по дням"
    empty = PromoStats((), None, Funnel(), (), (), (), PrizePoints())
    assert main_draw_rows(empty) == [] and day_rows(empty) == [] and category_draw_rows(empty) == []


def test_equal_numbers_reuse_the_figure():
    assert funnel_figure(DATA.funnel) is funnel_figure(Funnel(**vars(DATA.funnel)))
    assert points_figure(DATA.points) is not points_figure(PrizePoints(credited=1))
