"""The house poll pages' shared rows: participant counts, an informing's rating bars, the period."""

from datetime import UTC, datetime

import pytest

from ag_app.services.house_polls import HousePollResults
from ag_app.state.house_polls.rows import participants_text, period, result_rows


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (1, "Приняли участие: 1 человек"),
        (2, "Приняли участие: 2 человека"),
        (5, "Приняли участие: 5 человек"),
        (12, "Приняли участие: 12 человек"),
        (22, "Приняли участие: 22 человека"),
    ],
)
def test_participants_sentence_takes_the_russian_plural(count: int, text: str) -> None:
    assert participants_text(count) == text


def test_informing_results_show_like_and_dislike_shares() -> None:
    rows = result_rows(HousePollResults(participants=4, questions=[], likes=3, dislikes=1, final=True))
    assert [r.text for r in rows] == ["Оценка сообщения"]
    options = rows[0].options
    assert [(o.text, o.count, o.width) for o in options] == [
        ("Нравится", "3", "75.0%"),
        ("Не нравится", "1", "25.0%"),
    ]


def test_period_is_moscow_time_with_its_mark() -> None:
    text = period(datetime(2026, 12, 1, 9, 0, tzinfo=UTC), datetime(2026, 12, 8, 9, 0, tzinfo=UTC))
    assert text == "1 декабря 2026, 12:00 — 8 декабря 2026, 12:00 (мск)"
