"""The operator's contest form: Moscow wall clock to UTC, roubles to kopecks, every problem at once."""

from datetime import UTC, datetime

import pytest

from ag_app.services.award.contest_form import (
    blank_form,
    config_from_form,
    form_of,
    moment_text,
    parse_moment,
    parse_rubles,
    rubles_text,
)
from ag_app.services.award.contests import ContestProblems

FORM = {
    "year": "2026",
    "title": "Лидеры цифровой трансформации",
    "description": "Конкурс проектов",
    "opens": "01.10.2026 10:00",
    "closes": "30.11.2026 23:59",
    "tasks": "1 | Умный двор | | 500 000 | 300000 | 100000,5 | Сервис для жителей | с картой\n"
    "\n"
    "2 | Цифровая поликлиника | 10 | 1000 | 500,25 | 0",
    "criteria": "1 | Актуальность | 10 | Насколько нужен городу\n2 | Реализуемость | 5",
}


@pytest.mark.parametrize(
    ("raw", "kopecks"),
    [
        ("150000", 15_000_000),
        ("150 000", 15_000_000),
        ("1\u00a0000,5", 100_050),
        ("99.99", 9_999),
        ("0", 0),
        ("1,", None),
        ("-5", None),
        ("1.234", None),
        ("abc", None),
        ("", None),
        ("1" * 10, None),
    ],
)
def test_roubles_become_kopecks(raw, kopecks):
    assert parse_rubles(raw) == kopecks
    if kopecks is not None:
        assert parse_rubles(rubles_text(kopecks)) == kopecks


def test_moscow_wall_clock_is_stored_utc():
    assert parse_moment("01.10.2026 10:00", deadline=False) == datetime(2026, 10, 1, 7, 0, tzinfo=UTC)
    # «до 23:59 30 ноября» ends at 1 December 00:00 Moscow (exclusive).
    assert parse_moment("30.11.2026 23:59", deadline=True) == datetime(2026, 11, 30, 21, 0, tzinfo=UTC)
    assert moment_text(datetime(2026, 11, 30, 21, 0, tzinfo=UTC), deadline=True) == "30.11.2026 23:59"
    for bad in ("31.11.2026 10:00", "01.10.2026 24:00", "2026-10-01 10:00", "", "01.10.2026"):
        assert parse_moment(bad, deadline=False) is None


def test_a_good_form_reads_back_as_itself():
    config = config_from_form(FORM)
    assert config.year == 2026 and config.apply_opens_at == datetime(2026, 10, 1, 7, 0, tzinfo=UTC)
    first, second = config.tasks
    assert (first.title, first.team_cap, first.prizes) == (
        "Умный двор",
        None,
        (50_000_000, 30_000_000, 10_000_050),
    )
    assert first.description == "Сервис для жителей | с картой"
    assert (second.team_cap, second.prizes, second.description) == (10, (100_000, 50_025, 0), "")
    assert [(c.name, c.max_score) for c in config.criteria] == [("Актуальность", 10), ("Реализуемость", 5)]
    assert config_from_form(form_of(config)) == config


def test_every_problem_is_listed_at_once():
    bad = {
        **FORM,
        "year": "двадцать",
        "opens": "32.10.2026 10:00",
        "tasks": "1 | Умный двор | 0 | 1 | 2 | три\nдва | | | 1 | 1 | 1\nне задача",
        "criteria": "1 | Актуальность | много",
    }
    with pytest.raises(ContestProblems) as caught:
        config_from_form(bad)
    problems = caught.value.problems
    assert problems == [
        "Год конкурса — четыре цифры.",
        "«Начало приёма заявок» — дата и время в виде ДД.ММ.ГГГГ ЧЧ:ММ.",
        "Задачи, строка 1: лимит коллективов — целое число больше нуля или пусто.",
        "Задачи, строка 1: премии — суммы в рублях, копейки через запятую (например, 150000 или 1000,50).",
        "Задачи, строка 2: номер задачи — целое число.",
        "Задачи, строка 3: нужно «номер | название | лимит | премия 1 | премия 2 | премия 3 | описание».",
        "Критерии, строка 1: номер и максимальный балл — целые числа.",
        "Укажите хотя бы одну задачу конкурса.",
        "Укажите хотя бы один критерий оценки.",
    ]
    assert str(caught.value).startswith("Конкурс не сохранён, ничего не изменено. Ошибок: 9.")


def test_duplicate_numbers_an_order_of_the_period_and_empty_titles():
    bad = {
        **FORM,
        "closes": "01.10.2026 09:59",
        "tasks": "1 | | | 1 | 1 | 1\n1 | Б | | 1 | 1 | 1",
        "title": "",
    }
    with pytest.raises(ContestProblems) as caught:
        config_from_form(bad)
    assert caught.value.problems == [
        "Заполните поле «Название конкурса».",
        "Начало приёма заявок должно быть раньше его окончания.",
        "Номера задач — разные целые числа от 1 до 999.",
        "Заполните поле «Задача 1: название».",
    ]


def test_hostile_fields_are_refused_not_raised():
    for value in (None, 5, ["1"], {"a": 1}, "²" * 10, "9" * 300_000):
        form = dict.fromkeys(FORM, value)
        with pytest.raises(ContestProblems):
            config_from_form(form)
    assert blank_form(2027)["year"] == "2027"
