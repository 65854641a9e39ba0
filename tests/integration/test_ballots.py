"""Completing ballots: every bad input gets a clear Russian message and changes nothing."""

from datetime import date

import pytest
from sqlmodel import func, select

from ag_app.db import transaction
from ag_app.domain.errors import Conflict, InvalidInput, NotAllowed, NotAuthenticated, NotFound
from ag_app.domain.receipts import receipt_code
from ag_app.models import Ballot, BallotAnswer, PointEntry, Poll, User
from ag_app.services import ballots, polls
from ag_app.services.polls import AnswerInput
from ag_app.settings import get_settings
from tests.factories import make_geo, make_user
from tests.integration.poll_helpers import DAY, first_options, make_poll, poll_data, question_ids, snapshot


@pytest.fixture
def staff(session):
    return make_user(session, roles=("staff",))


@pytest.fixture
def setup(engine, session, now, staff):
    """A resident, an open city poll and its questions."""
    resident = make_user(session)
    poll_id = make_poll(engine, staff.id, now)
    return resident, poll_id, question_ids(engine, staff.id, poll_id, now)


def complete(engine, user_id, poll_id, answers, now):
    with transaction(engine) as s:
        return ballots.complete_ballot(s, actor_id=user_id, poll_id=poll_id, answers=answers, now=now)


def answers_with(questions, index, option_ids, own_text=""):
    answers = first_options(questions)
    answers[index] = AnswerInput(questions[index].id, option_ids, own_text)
    return answers


def test_completing_credits_points_once_and_counts(engine, session, now, setup):
    resident, poll_id, questions = setup
    outcome = complete(engine, resident.id, poll_id, first_options(questions), now)
    assert outcome.points_credited == 20
    assert snapshot(engine, resident.id, poll_id) == (1, 3, 1, 20, 1)
    entry = session.exec(select(PointEntry).where(PointEntry.user_id == resident.id)).one()
    assert (entry.reason, entry.ref, entry.description) == (
        "poll",
        f"poll:{poll_id}",
        "Голосование «Благоустройство парка «Дружба»»",
    )


def test_second_attempt_is_refused_and_changes_nothing(engine, session, now, setup):
    resident, poll_id, questions = setup
    complete(engine, resident.id, poll_id, first_options(questions), now)
    before = snapshot(engine, resident.id, poll_id)
    other_answers = [AnswerInput(q.id, [q.options[1].id]) for q in questions]
    with pytest.raises(Conflict) as error:
        complete(engine, resident.id, poll_id, other_answers, now)
    assert str(error.value) == "Вы уже проголосовали в этом опросе. Повторное голосование невозможно."
    assert snapshot(engine, resident.id, poll_id) == before
    chosen = set(session.exec(select(BallotAnswer.option_id)).all())
    assert chosen == {q.options[0].id for q in questions}


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda q: answers_with(q, 1, []),
            "Ответьте на вопрос 2: «Что добавить в парк?».",
        ),
        (lambda q: first_options(q)[:2], "Ответьте на вопрос 3: «Когда начинать работы?»."),
        (
            lambda q: answers_with(q, 1, [o.id for o in q[1].options[:3]]),
            "В вопросе 2 можно выбрать не больше 2 вариантов.",
        ),
        (
            lambda q: answers_with(q, 0, [q[0].options[0].id, q[0].options[1].id]),
            "В вопросе 1 можно выбрать только один вариант.",
        ),
        (lambda q: answers_with(q, 0, [q[2].options[0].id]), "Выбран вариант, которого нет в вопросе 1."),
        (
            lambda q: answers_with(q, 1, [q[1].options[3].id], "я" * 501),
            "Свой вариант в вопросе 2 длиннее 500 символов.",
        ),
        (
            lambda q: answers_with(q, 1, [q[1].options[3].id], "   "),
            "Впишите свой вариант ответа в вопросе 2.",
        ),
        (
            lambda q: answers_with(q, 1, [q[1].options[0].id, q[1].options[4].id]),
            "Вариант «Мне не интересно» в вопросе 2 нельзя сочетать с другими.",
        ),
        (
            lambda q: [*first_options(q), AnswerInput(999999, [1])],
            "Ответ на вопрос, которого нет в этом голосовании.",
        ),
    ],
)
def test_invalid_ballot_is_refused_and_changes_nothing(engine, session, now, setup, build, message):
    resident, poll_id, questions = setup
    before = snapshot(engine, resident.id, poll_id)
    with pytest.raises(InvalidInput) as error:
        complete(engine, resident.id, poll_id, build(questions), now)
    assert str(error.value) == message
    assert snapshot(engine, resident.id, poll_id) == before


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert('взлом')</script>",
        "<b>жирный</b> & <i>курсив</i>",
        "'; DROP TABLE ballot; --",
        "Robert'); DELETE FROM \"user\" WHERE ('1'='1",
    ],
)
def test_html_and_sql_in_free_text_are_stored_as_plain_text(engine, session, now, setup, text):
    resident, poll_id, questions = setup
    outcome = complete(
        engine, resident.id, poll_id, answers_with(questions, 1, [questions[1].options[3].id], text), now
    )
    stored = session.exec(select(BallotAnswer.own_text).where(BallotAnswer.own_text != "")).one()
    assert stored == text
    assert outcome.results.questions[1].own_texts == [text]
    assert session.exec(select(func.count()).select_from(User)).one() == 2  # nothing was dropped or deleted


def test_voting_before_start_and_after_end_is_refused(engine, session, now, staff):
    resident = make_user(session)
    future = make_poll(engine, staff.id, now, starts_at=now + DAY, ends_at=now + 3 * DAY)
    past = make_poll(engine, staff.id, now - 10 * DAY, starts_at=now - 5 * DAY, ends_at=now - DAY)
    for poll_id, message in (
        (future, "Голосование ещё не началось: оно откроется 21.11.2026 в 12:00 (мск)."),
        (past, "Голосование завершено 19.11.2026 в 12:00 (мск)."),
    ):
        answers = first_options(question_ids(engine, staff.id, poll_id, now))
        with pytest.raises(NotAllowed) as error:
            complete(engine, resident.id, poll_id, answers, now)
        assert str(error.value) == message
        assert snapshot(engine, resident.id, poll_id) == (0, 0, 0, 0, 0)


def test_voting_in_a_closed_poll_is_refused(engine, session, now, setup, staff):
    resident, poll_id, questions = setup
    with transaction(engine) as s:
        polls.close_poll(s, actor_id=staff.id, poll_id=poll_id, now=now)
    with pytest.raises(NotAllowed):
        complete(engine, resident.id, poll_id, first_options(questions), now + DAY)


def test_voting_in_another_districts_poll_is_refused(engine, session, now, staff):
    geo = make_geo(session)
    outsider = make_user(session, house_id=geo["house:Раменки"])
    homeless = make_user(session)
    poll_id = make_poll(engine, staff.id, now, scope="territorial", district_ids=[geo["Арбат"]])
    answers = first_options(question_ids(engine, staff.id, poll_id, now))
    with pytest.raises(NotAllowed) as error:
        complete(engine, outsider.id, poll_id, answers, now)
    assert error.value.key == "poll.territory_mismatch"
    with pytest.raises(NotAllowed) as error:
        complete(engine, homeless.id, poll_id, answers, now)
    assert (
        str(error.value) == "Голосование территориальное: укажите адрес регистрации или проживания в профиле."
    )
    assert snapshot(engine, outsider.id, poll_id) == (0, 0, 0, 0, 0)
    # A resident of the district votes and gets the territorial default of 5 points.
    insider = make_user(session, house_id=geo["house:Арбат"])
    assert complete(engine, insider.id, poll_id, answers, now).points_credited == 5


def test_guest_and_unknown_or_draft_poll(engine, session, now, setup, staff):
    resident, poll_id, questions = setup
    with pytest.raises(NotAuthenticated):
        complete(engine, None, poll_id, first_options(questions), now)
    with pytest.raises(NotAuthenticated):
        complete(engine, 987654, poll_id, first_options(questions), now)
    with pytest.raises(NotFound):
        complete(engine, resident.id, 987654, first_options(questions), now)
    draft = make_poll(engine, staff.id, now, publish=False)
    draft_answers = first_options(question_ids(engine, staff.id, draft, now))
    with pytest.raises(NotFound):
        complete(engine, resident.id, draft, draft_answers, now)
    with pytest.raises(NotAllowed) as error:
        complete(engine, staff.id, draft, draft_answers, now)
    assert str(error.value) == "Голосование ещё не опубликовано."


def test_dates_in_the_wrong_order_create_nothing(engine, session, now, staff):
    with pytest.raises(InvalidInput) as error, transaction(engine) as s:
        polls.create_poll(
            s, actor_id=staff.id, data=poll_data(now, starts_at=now + DAY, ends_at=now), now=now
        )
    assert str(error.value) == "Дата окончания должна быть позже даты начала."
    assert session.exec(select(func.count()).select_from(Poll)).one() == 0


def test_sql_looking_poll_texts_are_kept_verbatim(engine, session, now, staff):
    title = "Опрос'; DROP TABLE poll; --"
    poll_id = make_poll(engine, staff.id, now, title=title, summary="<img src=x onerror=alert(1)>")
    with transaction(engine) as s:
        page = polls.get_poll(s, actor_id=None, poll_id=poll_id, now=now)
    assert (page.title, page.summary) == (title, "<img src=x onerror=alert(1)>")


STAFF_CALLS = [
    (
        "create_poll",
        lambda s, actor, poll_id, now: polls.create_poll(s, actor_id=actor, data=poll_data(now), now=now),
    ),
    (
        "update_poll",
        lambda s, actor, poll_id, now: polls.update_poll(
            s, actor_id=actor, poll_id=poll_id, data=poll_data(now), now=now
        ),
    ),
    (
        "publish_poll",
        lambda s, actor, poll_id, now: polls.publish_poll(s, actor_id=actor, poll_id=poll_id, now=now),
    ),
    (
        "close_poll",
        lambda s, actor, poll_id, now: polls.close_poll(s, actor_id=actor, poll_id=poll_id, now=now),
    ),
    (
        "publish_results",
        lambda s, actor, poll_id, now: polls.publish_results(s, actor_id=actor, poll_id=poll_id, now=now),
    ),
    (
        "add_decision",
        lambda s, actor, poll_id, now: polls.add_decision(
            s, actor_id=actor, poll_id=poll_id, text="Решение", status="adopted", now=now
        ),
    ),
    (
        "set_decision_status",
        lambda s, actor, poll_id, now: polls.set_decision_status(
            s, actor_id=actor, decision_id=1, status="implemented", now=now
        ),
    ),
    ("staff_polls", lambda s, actor, poll_id, now: polls.staff_polls(s, actor_id=actor, now=now)),
]


@pytest.mark.parametrize(("name", "call"), STAFF_CALLS, ids=[name for name, _ in STAFF_CALLS])
def test_resident_cannot_call_staff_use_cases(engine, session, now, setup, name, call):
    resident, poll_id, _ = setup
    with transaction(engine) as s:
        before = s.get(Poll, poll_id).model_dump()
        polls_before = s.exec(select(func.count()).select_from(Poll)).one()
    with pytest.raises(NotAllowed) as error, transaction(engine) as s:
        call(s, resident.id, poll_id, now)
    assert str(error.value) == "Недостаточно прав для этого действия."
    with transaction(engine) as s:
        assert s.get(Poll, poll_id).model_dump() == before
        assert s.exec(select(func.count()).select_from(Poll)).one() == polls_before
    with pytest.raises(NotAuthenticated), transaction(engine) as s:
        call(s, None, poll_id, now)


def test_partial_draft_with_bad_option_is_refused(engine, session, now, setup):
    resident, poll_id, questions = setup
    with pytest.raises(InvalidInput), transaction(engine) as s:
        ballots.save_draft(
            s,
            actor_id=resident.id,
            poll_id=poll_id,
            answers=[AnswerInput(questions[0].id, [questions[1].options[0].id])],
            now=now,
        )
    with transaction(engine) as s:
        assert ballots.get_draft(s, actor_id=resident.id, poll_id=poll_id) == []


def test_each_ballot_records_its_own_voters_facts_and_receipt(engine, session, now, staff):
    """Open data and statistics read these from the ballot: they must be the voter's, not anybody's."""
    geo = make_geo(session)
    arbat = make_user(session, house_id=geo["house:Арбат"], birth_date=date(1990, 5, 14))
    ramenki = make_user(session, house_id=geo["house:Раменки"], birth_date=date(1950, 1, 1))
    nowhere = make_user(session, birth_date=None)
    poll_id = make_poll(engine, staff.id, now)
    answers = first_options(question_ids(engine, staff.id, poll_id, now))
    for voter in (arbat, ramenki, nowhere):
        complete(engine, voter.id, poll_id, answers, now)
    rows = session.exec(
        select(Ballot.user_id, Ballot.district_id, Ballot.okrug_id, Ballot.age_band, Ballot.receipt)
    ).all()
    facts = {user_id: (district, okrug, band) for user_id, district, okrug, band, _ in rows}
    assert facts == {
        arbat.id: (geo["Арбат"], geo["ЦАО"], "35–44"),
        ramenki.id: (geo["Раменки"], geo["ЗАО"], "65+"),
        nowhere.id: (None, None, ""),
    }
    secret = get_settings().secret_key.encode()
    assert {user_id: receipt for user_id, *_, receipt in rows} == {
        voter.id: receipt_code(secret, poll_id, voter.id) for voter in (arbat, ramenki, nowhere)
    }
