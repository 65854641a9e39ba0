"""The staff form of a campaign: Moscow wall-clock text in, the configuration out; a deadline is
typed as its last included minute; every problem is named at once and nothing is built."""

from datetime import UTC, date, datetime

import pytest

from ag_app.seed.promo import vmeste_config
from ag_app.services.promo.config_form import (
    ConfigFormError,
    blank_form,
    config_from_form,
    form_of,
    instant_text,
    parse_instant,
)

LAST_DAY = date(2026, 9, 8)


@pytest.fixture
def good() -> dict[str, str]:
    return form_of(vmeste_config(LAST_DAY))


def test_the_replica_form_reads_as_the_order_words_it_and_round_trips(good):
    assert good["opt_out_ends_at"] == "05.09.2026 23:59"
    assert good["opt_in_ends_at"] == "05.09.2026 22:59"
    assert good["info_starts_at"] == "31.07.2026 00:00"
    assert good["windows"].splitlines() == [
        "06.09.2026 20:00; 07.09.2026 10:00; 5000x2,3000x3,1000x5",
        "07.09.2026 20:00; 08.09.2026 10:00; 5000x2,3000x3,1000x5",
        "08.09.2026 20:00; 09.09.2026 10:00; 5000x2,3000x3,1000x5",
    ]
    assert config_from_form(good) == vmeste_config(LAST_DAY)


def test_a_deadline_is_its_last_minute_and_a_start_is_itself():
    # «до 23:59 5 сентября»: an opt-out at 23:59:59 counts, at 00:00 of the 6th it does not.
    assert parse_instant("05.09.2026 23:59", deadline=True) == datetime(2026, 9, 5, 21, 0, tzinfo=UTC)
    # «до 20:00»: the whole minute 20:00 is inside the window, 20:01:00 is not.
    assert parse_instant("6.9.2026  20:00", deadline=True) == datetime(2026, 9, 6, 17, 1, tzinfo=UTC)
    assert parse_instant("07.09.2026 10:00", deadline=False) == datetime(2026, 9, 7, 7, 0, tzinfo=UTC)
    assert instant_text(datetime(2026, 9, 5, 21, 0, tzinfo=UTC), deadline=True) == "05.09.2026 23:59"
    for bad in ("05.09.2026", "31.02.2026 10:00", "05.09.2026 24:00", "2026-09-05 10:00", "05.09.2026 9:5"):
        assert parse_instant(bad, deadline=True) is None, bad


def test_extra_fields_and_a_poll_source(good):
    form = good | {
        "extra_prize": "2 000",
        "category_discount": "0",
        "category_winners": "3",
        "vote_source": "poll",
        "vote_poll_id": "17",
        "windows": good["windows"].replace("5000x2,3000x3,1000x5", "1000x70, 5000x10,3000x20", 1),
    }
    config = config_from_form(form)
    assert (config.extra_prize, config.category_discount, config.category_winners) == (2000, 0, 3)
    assert (config.vote_source, config.vote_poll_id) == ("poll", 17)
    # The prizes are kept canonical, the largest first, as the draw publishes them.
    assert config.window_prizes[0] == "5000x10,3000x20,1000x70"
    assert config.schedule.window_ends[0] == datetime(2026, 9, 6, 17, 1, tzinfo=UTC)


BAD_FIELDS = [
    ({"slug": ""}, "Укажите короткое имя и название акции."),
    ({"title": "  "}, "Укажите короткое имя и название акции."),
    ({"slug": "Вместе 2026"}, "Короткое имя — латинские строчные буквы"),
    ({"info_starts_at": "31.07.2026"}, "«Начало информирования»: укажите дату и время по Москве"),
    ({"opt_out_ends_at": "31.09.2026 23:59"}, "«Отказ от участия до»: укажите дату и время"),
    ({"use_ends_at": "завтра"}, "«Использование поощрений до»: укажите дату и время"),
    ({"windows": ""}, "Укажите хотя бы одно окно розыгрыша"),
    ({"windows": "06.09.2026 20:00; 5000x10"}, "Окна розыгрышей, строка 1: нужны три части через «;»"),
    (
        {
            "windows": "06.09.2026 20:00; 07.09.2026 10:00; 5000x2\n\n07.09.2026 20:60; 08.09.2026 10:00; 1000x1"
        },
        "Окна розыгрышей, строка 3: последняя минута окна — дата и время",
    ),
    (
        {"windows": "06.09.2026 20:00; 07.09; 5000x2"},
        "Окна розыгрышей, строка 1: срок розыгрыша — дата и время",
    ),
    (
        {"windows": "06.09.2026 20:00; 07.09.2026 10:00; 5000x"},
        "Окна розыгрышей, строка 1: Призы заданы неверно: «5000x»",
    ),
    ({"extra_prize": "много"}, "«Дополнительный приз, баллов»: целое число от 0 до 10\u00a0000\u00a0000."),
    ({"category_discount": "-5"}, "«Скидка розыгрыша в категории, баллов»: целое число"),
    ({"category_winners": "100001"}, "«Победителей в каждой категории»: целое число от 0 до 100\u00a0000."),
    (
        {"vote_source": "email"},
        "Источник фактов голосования — файл системы голосования или голосование платформы.",
    ),
    ({"vote_source": "poll", "vote_poll_id": ""}, "Выберите существующее голосование платформы"),
    # Every field reads, but the schedule is out of order: its first ordering problem.
    (
        {"opt_in_ends_at": "06.09.2026 10:00"},
        "Срок отмены отказа должен быть после начала акции и не позже срока отказа",
    ),
    (
        {"windows": "06.09.2026 20:00; 06.09.2026 19:00; 1000x1"},
        "У каждого окна должен быть свой розыгрыш, назначенный после окончания окна",
    ),
]


@pytest.mark.parametrize(("change", "expected"), BAD_FIELDS)
def test_each_bad_field_is_named(good, change, expected):
    with pytest.raises(ConfigFormError) as caught:
        config_from_form(good | change)
    assert len(caught.value.problems) == 1, caught.value.problems
    assert caught.value.problems[0].startswith(expected)
    assert str(caught.value).startswith("Акция не сохранена, ничего не изменено. Ошибок: 1.")


def test_every_problem_is_listed_at_once(good):
    form = good | {
        "title": "",
        "eligibility_at": "25.08.2026",
        "windows": "06.09.2026 20:00; 07.09.2026 10:00; 5000x2\nплохая строка",
        "category_winners": "один",
        "vote_source": "poll",
        "vote_poll_id": "",
    }
    with pytest.raises(ConfigFormError) as caught:
        config_from_form(form)
    problems = caught.value.problems
    assert [p.split(":")[0] for p in problems] == [
        "Укажите короткое имя и название акции.",
        "«Право на участие — на»",
        "Окна розыгрышей, строка 2",
        "«Победителей в каждой категории»",
        "Выберите существующее голосование платформы как источник фактов голосования.",
    ]
    assert "Ошибок: 5." in str(caught.value) and all(p in str(caught.value) for p in problems)


def test_a_blank_form_names_every_instant():
    with pytest.raises(ConfigFormError) as caught:
        config_from_form(blank_form())
    # The names, eleven instants and the windows.
    assert len(caught.value.problems) == 13


def test_a_form_that_is_not_text_is_refused():
    with pytest.raises(ConfigFormError):
        config_from_form({"slug": 5, "title": None})  # type: ignore[dict-item]
