"""Who may vote in a territorial poll, as an outsider reads it on a shared link."""

import pytest

from ag_app.domain.poll_voters import who_may_vote


@pytest.mark.parametrize(
    ("okrugs", "districts", "expected"),
    [
        ([], ["Арбат"], "Голосуют жители района Арбат."),
        ([], ["Арбат", "Басманный"], "Голосуют жители районов Арбат, Басманный."),
        (["ЦАО"], [], "Голосуют жители округа ЦАО."),
        (["ЦАО", "ЗАО"], [], "Голосуют жители округов ЦАО, ЗАО."),
        (["ЗАО"], ["Арбат"], "Голосуют жители округа ЗАО и района Арбат."),
        ([], [], "Голосуют все москвичи."),
        ([""], ["Арбат"], "Голосуют жители района Арбат."),
    ],
)
def test_who_may_vote_reads_as_a_russian_sentence(okrugs, districts, expected):
    assert who_may_vote(okrugs, districts) == expected
