"""The house poll handlers re-check rights on the server: a resident calling the moderators'
handlers by name changes nothing; the initiator's form and a participant's submit go through the
services with the identity of the session only."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import func, select

from ag_app import db
from ag_app.i18n import message
from ag_app.models import HousePoll, HousePollParticipant, HousePollResponse, Notification
from ag_app.services import house_polls as hp
from ag_app.state.house_polls import HouseModerationState, HousePollFormState, HousePollState
from ag_app.state.staff_common import moscow_input
from tests.factories import make_geo, make_premise_holder, make_user, verify_identity
from tests.integration.tabs import browser_tab


@pytest.fixture
def people(session):
    geo = make_geo(session)
    owner = verify_identity(session, make_user(session))
    make_premise_holder(session, house_id=geo["house:Арбат"], user_id=owner.id, number="3")
    return {
        "house": geo["house:Арбат"],
        "owner": owner.id,
        "moderator": make_user(session, roles=("moderator",)).id,
    }


def _filed_by_form(session, people) -> HousePoll:
    tab = browser_tab(session, people["owner"])
    form = tab.substates[HousePollFormState.get_name()]
    start = datetime.now(UTC) + timedelta(days=1)
    form.house_id = str(people["house"])
    form.kind, form.title = "poll", "Парковка во дворе"
    form.audience = ["owners"]
    form.starts, form.ends = moscow_input(start), moscow_input(start + timedelta(days=7))
    form.questions = [{"text": "Нужен шлагбаум?", "kind": "single"}]
    form.options = [["Да", "Нет"]]
    asyncio.run(HousePollFormState.submit.fn(form))
    assert form.error == ""
    session.expire_all()
    (poll,) = session.exec(select(HousePoll)).all()
    session.expunge(poll)
    session.rollback()
    return poll


def test_the_form_files_an_application_for_the_logged_in_owner(app_engine, session, people):
    poll = _filed_by_form(session, people)
    assert (poll.initiator_id, poll.title, poll.decision) == (people["owner"], "Парковка во дворе", "")


@pytest.mark.parametrize("who", ["owner", "guest"])
def test_moderator_handlers_refuse_others(app_engine, session, people, who):
    poll = _filed_by_form(session, people)
    tab = browser_tab(session, people["owner"] if who == "owner" else None)
    queue = tab.substates[HouseModerationState.get_name()]

    asyncio.run(HouseModerationState.approve.fn(queue, str(poll.id)))
    assert queue.error in ("Недостаточно прав для этого действия.", "Войдите в систему, чтобы продолжить.")
    queue.ticked = [f"{poll.id}:rules"]
    asyncio.run(HouseModerationState.refuse.fn(queue, str(poll.id)))
    assert queue.error

    session.expire_all()
    assert session.get(HousePoll, poll.id).decision == ""
    assert session.exec(select(func.count()).select_from(Notification)).one() == 0
    session.rollback()


def test_moderator_approves_and_a_participant_submits(app_engine, session, people):
    poll = _filed_by_form(session, people)
    moderator_tab = browser_tab(session, people["moderator"])
    queue = moderator_tab.substates[HouseModerationState.get_name()]
    asyncio.run(HouseModerationState.refuse.fn(queue, str(poll.id)))
    assert queue.error == "Выберите хотя бы одну причину отказа."
    asyncio.run(HouseModerationState.approve.fn(queue, str(poll.id)))
    assert queue.error == ""
    with db.transaction(app_engine) as s:
        # Open it now: the handlers read the real clock.
        row = s.get(HousePoll, poll.id)
        row.starts_at = datetime.now(UTC) - timedelta(minutes=1)
        s.add(row)
        detail = hp.get_house_poll(s, actor_id=people["owner"], poll_id=poll.id, now=datetime.now(UTC))

    tab = browser_tab(session, people["owner"])
    page = tab.substates[HousePollState.get_name()]
    page.pid, page.kind = poll.id, "poll"
    question = detail.questions[0]
    page.chosen = [f"{question.id}:{question.options[0].id}"]
    page.comment = "Давно пора"
    asyncio.run(HousePollState.submit.fn(page))

    assert page.error == ""
    assert page.has_results and page.participants_text == "Приняли участие: 1 человек"
    session.expire_all()
    assert session.exec(select(func.count()).select_from(HousePollParticipant)).one() == 1
    assert session.exec(select(HousePollResponse.comment)).all() == ["Давно пора"]


def test_a_refused_form_lists_every_problem_marks_the_fields_and_saves_nothing(app_engine, session, people):
    tab = browser_tab(session, people["owner"])
    form = tab.substates[HousePollFormState.get_name()]
    form.questions = [{"text": "", "kind": "single"}]
    form.options = [["Да", "да"]]
    asyncio.run(HousePollFormState.submit.fn(form))
    assert set(form.invalid_fields) == {"house", "period", "title", "audience", "question-1"}
    for key in (
        "house_poll.page_house_required",
        "house_poll.title_required",
        "house_poll.audience_required",
    ):
        assert message(key) in form.error
    assert "Ошибок: 5." in form.error
    session.expire_all()
    assert session.exec(select(func.count()).select_from(HousePoll)).one() == 0
    session.rollback()
    # fixed, the same form files and forgets the marks
    start = datetime.now(UTC) + timedelta(days=1)
    form.house_id, form.title, form.audience = str(people["house"]), "Парковка", ["owners"]
    form.starts, form.ends = moscow_input(start), moscow_input(start + timedelta(days=7))
    form.questions, form.options = [{"text": "Шлагбаум?", "kind": "single"}], [["Да", "Нет"]]
    asyncio.run(HousePollFormState.submit.fn(form))
    assert (form.error, form.invalid_fields) == ("", [])
    session.expire_all()
    assert session.exec(select(func.count()).select_from(HousePoll)).one() == 1
