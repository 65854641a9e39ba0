"""Which staff actions each poll state allows (domain/poll_actions.py): the buttons of «Голосования —
кабинет сотрудника» and the refusals of the poll use cases follow this one table."""

import pytest

from ag_app.domain.poll_actions import PollAction, actions_in, allows

A = PollAction


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("draft", (A.EDIT, A.PUBLISH)),
        ("scheduled", (A.CLOSE,)),
        ("active", (A.CLOSE, A.RESULTS_PAGE)),
        ("closed", (A.PUBLISH_RESULTS, A.RESULTS_PAGE, A.DECIDE)),
        ("results", (A.RESULTS_PAGE, A.DECIDE)),
        ("deleted", ()),
    ],
)
def test_actions_of_each_state(state, expected):
    assert actions_in(state) == expected


def test_results_are_published_once_and_only_after_the_end():
    assert [
        s for s in ("draft", "scheduled", "active", "closed", "results") if allows(s, A.PUBLISH_RESULTS)
    ] == ["closed"]
