"""Saving an empty new poll on ``/staff/polls/new`` lists every problem at once, marks the fields
and saves nothing (issue 17: it used to name only the first problem)."""

import asyncio

from sqlmodel import func, select

from ag_app.models import Poll
from ag_app.state.staff_poll_form import StaffPollFormState
from tests.factories import make_user
from tests.integration.tabs import browser_tab


def _polls_saved(session) -> int:
    """How many polls are stored now (read in a transaction of its own)."""
    session.expire_all()
    count = session.exec(select(func.count()).select_from(Poll)).one()
    session.rollback()
    return count


def test_saving_an_empty_new_poll_lists_every_problem_and_marks_the_fields(app_engine, session):
    staff = make_user(session, roles=("staff",))
    session.commit()
    tab = browser_tab(session, staff.id)
    form = tab.substates[StaffPollFormState.get_name()]
    form._reset_form()

    asyncio.run(StaffPollFormState.save.fn(form))

    assert "Ошибок: 3." in form.error
    for sentence in (
        "Укажите дату и время начала и окончания голосования.",
        "Укажите название голосования.",
        "Укажите текст вопроса 1.",
    ):
        assert sentence in form.error
    assert form.invalid_fields == ["starts", "title", "question-1"]
    assert _polls_saved(session) == 0

    # Fixing the form clears the marks on the next (successful) save.
    form.title = "Благоустройство двора"
    form.starts, form.ends = "2099-11-25T10:00", "2099-12-05T10:00"
    form.questions = [{"text": "Что сделать?", "kind": "single", "max_choices": "1"}]
    form.options = [
        [{"text": "Площадку", "own": "", "exclusive": ""}, {"text": "Сквер", "own": "", "exclusive": ""}]
    ]
    asyncio.run(StaffPollFormState.save.fn(form))
    assert (form.error, form.invalid_fields) == ("", [])
    assert _polls_saved(session) == 1
