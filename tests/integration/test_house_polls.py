"""«Электронный дом» house polls and informings (SPEC §6) on SQLite and PostgreSQL: who may file,
moderation with reasons and notifications, audiences, once-only anonymous participation, results
and news after the end, and that nothing the initiator or the API sees names a participant."""

import dataclasses
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlmodel import Session, func, select

from ag_app.db import transaction
from ag_app.domain.errors import Conflict, InvalidInput, NotAllowed, NotAuthenticated, NotFound
from ag_app.domain.house_polls import REFUSAL_REASONS, moderation_deadline
from ag_app.models import (
    HousePoll,
    HousePollChoice,
    HousePollOption,
    HousePollParticipant,
    HousePollQuestion,
    HousePollResponse,
    NewsItem,
    Notification,
    OutboxMessage,
    User,
    UserAddress,
)
from ag_app.services import house_polls as hp
from ag_app.services.house_polls import AnswerInput, HousePollInput, HouseQuestionInput
from ag_app.services.jobs import run_jobs
from tests.factories import (
    T0,
    make_geo,
    make_house_organisation,
    make_premise_holder,
    make_user,
    open_session,
    verify_identity,
)


def _count(engine, model) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(model)).one()


def _poll_input(now, *, questions: int = 2, audience=("owners", "residents"), **changes) -> HousePollInput:
    data = HousePollInput(
        kind="poll",
        title="Благоустройство двора",
        audience=frozenset(audience),
        starts_at=now + timedelta(days=1),
        ends_at=now + timedelta(days=8),
        questions=[
            HouseQuestionInput(text=f"Вопрос {n}", kind="single", options=["Да", "Нет"])
            for n in range(1, questions + 1)
        ],
    )
    return dataclasses.replace(data, **changes)


def _informing_input(now, **changes) -> HousePollInput:
    data = HousePollInput(
        kind="informing",
        title="Отключение горячей воды",
        message="С 1 по 14 июня горячей воды не будет.",
        audience=frozenset({"owners", "social_tenants", "residents"}),
        starts_at=now + timedelta(hours=1),
        ends_at=now + timedelta(days=5),
    )
    return dataclasses.replace(data, **changes)


@pytest.fixture
def house(session):
    """Two houses (Арбат's and Раменки's) and the people of the first: a level-3 owner with a
    confirmed e-mail (the initiator), a moderator, a registry resident, a social tenant, a
    resident by residence address only and a stranger living in the other house."""
    geo = make_geo(session)
    house_id, other_house = geo["house:Арбат"], geo["house:Раменки"]
    owner = verify_identity(session, make_user(session), email="owner@example.org")
    make_premise_holder(session, house_id=house_id, user_id=owner.id, number="12")
    moderator = make_user(session, roles=("moderator",))
    resident = make_user(session)
    make_premise_holder(session, house_id=house_id, user_id=resident.id, number="14", role="resident")
    tenant = make_user(session)
    make_premise_holder(session, house_id=house_id, user_id=tenant.id, number="15", role="social_tenant")
    lodger = make_user(session, house_id=house_id)
    stranger = make_user(session, house_id=other_house)
    return {
        "house": house_id,
        "other_house": other_house,
        "owner": owner.id,
        "moderator": moderator.id,
        "resident": resident.id,
        "tenant": tenant.id,
        "lodger": lodger.id,
        "stranger": stranger.id,
    }


def _file(engine, actor, house_id, data, now, **kwargs) -> int:
    with transaction(engine) as s:
        return hp.file_application(s, actor_id=actor, house_id=house_id, data=data, now=now, **kwargs)


def _approve(engine, moderator, poll_id, now) -> None:
    with transaction(engine) as s:
        hp.approve(s, actor_id=moderator, poll_id=poll_id, now=now)


def _open_poll(engine, house, now, data=None) -> int:
    """A poll filed by the owner, approved, and open from ``now`` (its start moved to now)."""
    poll_id = _file(engine, house["owner"], house["house"], data or _poll_input(now), now)
    _approve(engine, house["moderator"], poll_id, now)
    with transaction(engine) as s:
        poll = s.get(HousePoll, poll_id)
        poll.starts_at = now
        s.add(poll)
    return poll_id


def _detail(engine, actor, poll_id, now) -> hp.HousePollDetail:
    with transaction(engine) as s:
        return hp.get_house_poll(s, actor_id=actor, poll_id=poll_id, now=now)


def _first_answers(detail: hp.HousePollDetail) -> list[AnswerInput]:
    return [AnswerInput(question_id=q.id, option_ids=[q.options[0].id]) for q in detail.questions]


def _take_part(engine, actor, poll_id, now, *, answers=None, **kwargs) -> hp.ParticipationOutcome:
    if answers is None and "rating" not in kwargs:
        answers = _first_answers(_detail(engine, actor, poll_id, now))
    with transaction(engine) as s:
        return hp.participate(s, actor_id=actor, poll_id=poll_id, answers=answers or [], now=now, **kwargs)


# ----------------------------------------------------------------------------------------------
# Filing


def test_verified_owner_files_a_poll_with_its_moderation_deadline(engine, house, now):
    poll_id = _file(engine, house["owner"], house["house"], _poll_input(now, questions=10), now)

    with Session(engine) as s:
        poll = s.get(HousePoll, poll_id)
        assert (poll.kind, poll.decision, poll.initiator_role) == ("poll", "", "owner")
        assert poll.audience == "owners,residents"
        assert poll.moderation_due_at.replace(tzinfo=None) == moderation_deadline(now).replace(tzinfo=None)
        assert s.exec(select(func.count()).select_from(HousePollQuestion)).one() == 10
        assert s.exec(select(func.count()).select_from(HousePollOption)).one() == 20
    with transaction(engine) as s:
        (mine,) = hp.my_applications(s, actor_id=house["owner"], now=now)
    assert (mine.status_name, mine.results, mine.notes) == ("на модерации", None, [])
    assert mine.address == "г. Москва, улица Арбат, д. 1"


def test_management_company_and_registered_resident_may_file(engine, session, house, now):
    company = verify_identity(session, make_user(session))
    make_house_organisation(session, house_id=house["house"], user_id=company.id)
    registered = verify_identity(session, make_user(session))
    session.add(
        UserAddress(user_id=registered.id, kind="registration", house_id=house["house"], changed_at=T0)
    )
    session.commit()

    first = _file(engine, company.id, house["house"], _informing_input(now), now)
    second = _file(engine, registered.id, house["house"], _informing_input(now), now)

    with Session(engine) as s:
        assert s.get(HousePoll, first).initiator_role == "management_company"
        assert s.get(HousePoll, second).initiator_role == "registered_resident"
    with transaction(engine) as s:
        (choice,) = hp.houses_for_application(s, actor_id=company.id)
    assert (choice.house_id, choice.roles) == (house["house"], ["management_company"])


@pytest.mark.parametrize("who", ["lodger", "tenant", "stranger"])
def test_non_authorised_applicant_is_refused_with_the_reason(engine, session, house, now, who):
    # A residence address, a social tenancy or a house elsewhere do not make an initiator (SPEC §6.1).
    verify_identity(session, session.get(User, house[who]))

    with pytest.raises(NotAllowed) as refused:
        _file(engine, house[who], house["house"], _poll_input(now), now)

    assert refused.value.key == "house_poll.not_authorised"
    assert "собственник помещения" in str(refused.value)
    assert _count(engine, HousePoll) == 0
    with transaction(engine) as s:
        assert hp.houses_for_application(s, actor_id=house[who]) == []


def test_owner_below_level_three_is_refused(engine, house, now):
    with pytest.raises(NotAllowed) as refused:
        _file(engine, house["resident"], house["house"], _poll_input(now), now)

    assert refused.value.key == "house_poll.level_required"
    assert str(refused.value) == "Для подачи заявки нужен полный уровень идентификации (3)."
    assert _count(engine, HousePoll) == 0


def test_applying_as_a_role_not_held_is_refused(engine, house, now):
    with pytest.raises(NotAllowed) as refused:
        _file(engine, house["owner"], house["house"], _poll_input(now), now, role="hoa")
    assert refused.value.key == "house_poll.not_authorised"
    assert _count(engine, HousePoll) == 0


@pytest.mark.parametrize(
    ("changes", "key", "text"),
    [
        ({"questions": 11}, "house_poll.too_many_questions", "В опросе может быть не больше 10 вопросов."),
        ({"questions": 0}, "house_poll.questions_required", "Добавьте хотя бы один вопрос."),
        ({"empty_question": True}, "house_poll.question_text_required", "Укажите текст вопроса 2."),
        ({"audience": ()}, "house_poll.audience_required", None),
    ],
)
def test_bad_application_is_refused_and_nothing_is_written(engine, house, now, changes, key, text):
    data = _poll_input(
        now, questions=changes.get("questions", 2), audience=changes.get("audience", ("owners",))
    )
    if changes.get("empty_question"):
        questions = list(data.questions)
        questions[1] = HouseQuestionInput(text="   ", options=["Да", "Нет"])
        data = dataclasses.replace(data, questions=questions)

    with pytest.raises(InvalidInput) as refused:
        _file(engine, house["owner"], house["house"], data, now)

    assert refused.value.key == key
    if text:
        assert str(refused.value) == text
    assert (
        _count(engine, HousePoll),
        _count(engine, HousePollQuestion),
        _count(engine, HousePollOption),
    ) == (0, 0, 0)


def test_unknown_house_and_guest_are_refused(engine, house, now):
    with pytest.raises(NotFound):
        _file(engine, house["owner"], 999_999, _poll_input(now), now)
    with pytest.raises(NotAuthenticated):
        _file(engine, None, house["house"], _poll_input(now), now)


# ----------------------------------------------------------------------------------------------
# Moderation


def test_queue_is_ordered_by_deadline_in_moscow_working_days(engine, house, now):
    # Filed on Wednesday 30 December 2026, the deadline skips 31 December and the New Year holidays
    # (to 10 January): the 5th working day is 15 January. Filed on Friday 20 November: 27 November.
    # Filed on 31 October: due on 9 November (4 November is a holiday), overdue by ``now``.
    filed_now = _file(engine, house["owner"], house["house"], _informing_input(now), now)
    early = now - timedelta(days=20)
    overdue = _file(
        engine,
        house["owner"],
        house["house"],
        _informing_input(early, starts_at=now + timedelta(hours=2), ends_at=now + timedelta(days=3)),
        early,
    )
    holidays = now + timedelta(days=40)
    new_year = _file(
        engine,
        house["owner"],
        house["house"],
        _informing_input(holidays, title="После праздников"),
        holidays,
    )

    with transaction(engine) as s:
        queue = hp.moderation_queue(s, actor_id=house["moderator"], now=now)

    assert [item.id for item in queue] == [overdue, filed_now, new_year]
    assert [item.overdue for item in queue] == [True, False, False]
    assert queue[1].due_at == moderation_deadline(now)
    assert queue[2].due_at.date().isoformat() == "2027-01-15"  # 16 January 00:00 МСК
    assert queue[1].initiator_role_name == "собственник помещения в доме"
    assert all(item.calendar_known for item in queue)


def test_approval_notifies_the_initiator_in_app_and_by_email(engine, house, now):
    poll_id = _file(engine, house["owner"], house["house"], _poll_input(now), now)

    _approve(engine, house["moderator"], poll_id, now)

    with Session(engine) as s:
        poll = s.get(HousePoll, poll_id)
        assert (poll.decision, poll.moderator_id) == ("approved", house["moderator"])
        (note,) = s.exec(select(Notification).where(Notification.user_id == house["owner"])).all()
        assert note.title == "Заявка одобрена: «Благоустройство двора»"
        (email,) = s.exec(select(OutboxMessage).where(OutboxMessage.channel == "email")).all()
        assert (email.recipient, email.subject) == ("owner@example.org", note.title)
    with transaction(engine) as s:
        assert hp.moderation_queue(s, actor_id=house["moderator"], now=now) == []
        (mine,) = hp.my_applications(s, actor_id=house["owner"], now=now)
    assert mine.status_name == "ещё не началось"
    with pytest.raises(Conflict):
        _approve(engine, house["moderator"], poll_id, now)


def test_refusal_needs_reasons_and_tells_them_to_the_initiator(engine, house, now):
    poll_id = _file(engine, house["owner"], house["house"], _poll_input(now), now)

    for bad in ([], ["no_such_reason"]):
        with pytest.raises(InvalidInput), transaction(engine) as s:
            hp.refuse(s, actor_id=house["moderator"], poll_id=poll_id, reasons=bad, now=now)
    assert _count(engine, Notification) == 0
    with transaction(engine) as s:
        hp.refuse(s, actor_id=house["moderator"], poll_id=poll_id, reasons=["obscene", "off_topic"], now=now)

    with Session(engine) as s:
        poll = s.get(HousePoll, poll_id)
        assert (poll.decision, poll.refusal_reasons) == ("refused", "off_topic,obscene")
        (note,) = s.exec(select(Notification)).all()
        (email,) = s.exec(select(OutboxMessage).where(OutboxMessage.channel == "email")).all()
    assert note.title == email.subject == "Заявка отклонена: «Благоустройство двора»"
    assert REFUSAL_REASONS["obscene"] in note.body and REFUSAL_REASONS["obscene"] in email.body
    with transaction(engine) as s:
        (mine,) = hp.my_applications(s, actor_id=house["owner"], now=now)
        assert hp.list_house_polls(s, actor_id=house["resident"], now=now) == []
    assert mine.status_name == "отклонено"
    assert mine.refusal_reasons == [REFUSAL_REASONS["off_topic"], REFUSAL_REASONS["obscene"]]
    with pytest.raises(NotFound):
        _detail(engine, house["resident"], poll_id, now)


def test_an_application_whose_period_is_over_cannot_be_approved(engine, house, now):
    poll_id = _file(engine, house["owner"], house["house"], _poll_input(now), now)
    with pytest.raises(InvalidInput) as refused:
        _approve(engine, house["moderator"], poll_id, now + timedelta(days=9))
    assert refused.value.key == "house_poll.period_over"
    with Session(engine) as s:
        assert s.get(HousePoll, poll_id).decision == ""


@pytest.mark.parametrize("who", ["owner", "resident", None])
def test_residents_cannot_use_moderator_use_cases(engine, house, now, who):
    poll_id = _file(engine, house["owner"], house["house"], _poll_input(now), now)
    actor = house[who] if who else None
    expected = NotAllowed if who else NotAuthenticated

    with pytest.raises(expected), transaction(engine) as s:
        hp.moderation_queue(s, actor_id=actor, now=now)
    with pytest.raises(expected), transaction(engine) as s:
        hp.approve(s, actor_id=actor, poll_id=poll_id, now=now)
    with pytest.raises(expected), transaction(engine) as s:
        hp.refuse(s, actor_id=actor, poll_id=poll_id, reasons=["rules"], now=now)

    with Session(engine) as s:
        assert s.get(HousePoll, poll_id).decision == ""
    assert _count(engine, Notification) == 0


# ----------------------------------------------------------------------------------------------
# Audience and participation


def test_only_the_named_audience_of_the_house_sees_the_poll(engine, house, now):
    owners_only = _open_poll(engine, house, now, _poll_input(now, audience=("owners",)))
    tenants = _open_poll(engine, house, now, _poll_input(now, audience=("social_tenants",), title="Соцнайм"))
    waiting = _file(engine, house["owner"], house["house"], _poll_input(now, title="Ждёт модерации"), now)

    def visible(who):
        with transaction(engine) as s:
            return [p.id for p in hp.list_house_polls(s, actor_id=house[who], now=now)]

    assert visible("owner") == [owners_only]
    assert visible("tenant") == [tenants]
    assert visible("resident") == visible("lodger") == visible("stranger") == []
    for who, poll_id in (("resident", owners_only), ("stranger", owners_only), ("owner", waiting)):
        with pytest.raises(NotFound):
            _detail(engine, house[who], poll_id, now)
    with pytest.raises(NotFound):
        _take_part(engine, house["stranger"], owners_only, now, answers=[])


def test_a_residence_address_places_a_user_among_residents(engine, house, now):
    poll_id = _open_poll(engine, house, now, _poll_input(now, audience=("residents",)))

    outcome = _take_part(engine, house["lodger"], poll_id, now)

    assert outcome.results.participants == 1
    with transaction(engine) as s:
        (summary,) = hp.list_house_polls(s, actor_id=house["lodger"], now=now)
    assert (summary.status_name, summary.participated, summary.participants) == ("идёт", True, 1)


def test_participation_shows_intermediate_results_and_happens_once(engine, house, now):
    poll_id = _open_poll(engine, house, now)
    before = _detail(engine, house["resident"], poll_id, now)
    assert before.can_participate and before.results is None
    questions = before.questions
    answers = [
        AnswerInput(questions[0].id, [questions[0].options[1].id]),
        AnswerInput(questions[1].id, [questions[1].options[0].id]),
    ]

    outcome = _take_part(
        engine, house["resident"], poll_id, now, answers=answers, apartment="14", comment="Спасибо"
    )

    first, second = outcome.results.questions
    assert [(o.text, o.count, o.percent) for o in first.options] == [("Да", 0, 0.0), ("Нет", 1, 100.0)]
    assert [o.count for o in second.options] == [1, 0]
    assert not outcome.results.final
    with pytest.raises(Conflict) as again:
        _take_part(engine, house["resident"], poll_id, now, answers=answers)
    assert str(again.value) == "Вы уже приняли участие. Спасибо!"
    after = _detail(engine, house["resident"], poll_id, now)
    assert (after.can_participate, after.participated, after.cannot_participate_reason) == (
        False,
        True,
        "Вы уже приняли участие. Спасибо!",
    )
    assert after.results.participants == 1
    assert (_count(engine, HousePollParticipant), _count(engine, HousePollResponse)) == (1, 1)


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"answers": "first_only"}, "poll.answer_required"),
        ({"answers": "two_in_single"}, "poll.single_choice"),
        ({"apartment": "кв. 12!"}, "house_poll.apartment_invalid"),
        ({"comment": "x" * 1001}, "house_poll.comment_too_long"),
        ({"rating": "like"}, "house_poll.rating_not_expected"),
    ],
)
def test_bad_participation_in_a_poll_changes_nothing(engine, house, now, kwargs, key):
    kwargs = dict(kwargs)
    poll_id = _open_poll(engine, house, now)
    questions = _detail(engine, house["owner"], poll_id, now).questions
    answers = _first_answers(_detail(engine, house["owner"], poll_id, now))
    if kwargs.get("answers") == "first_only":
        kwargs["answers"] = answers[:1]
    elif kwargs.get("answers") == "two_in_single":
        kwargs["answers"] = [AnswerInput(questions[0].id, [o.id for o in questions[0].options]), answers[1]]
    else:
        kwargs["answers"] = answers

    with pytest.raises(InvalidInput) as refused:
        _take_part(engine, house["owner"], poll_id, now, **kwargs)

    assert refused.value.key == key
    assert (_count(engine, HousePollParticipant), _count(engine, HousePollResponse)) == (0, 0)
    with Session(engine) as s:
        assert s.get(HousePoll, poll_id).participants_count == 0


def test_informing_is_rated_like_or_dislike(engine, house, now):
    poll_id = _open_poll(engine, house, now, _informing_input(now))
    detail = _detail(engine, house["tenant"], poll_id, now)
    assert (detail.kind_name, detail.message, detail.questions) == (
        "Информирование",
        "С 1 по 14 июня горячей воды не будет.",
        [],
    )

    with pytest.raises(InvalidInput) as refused:
        _take_part(engine, house["tenant"], poll_id, now, rating="love")
    assert str(refused.value) == "Оцените сообщение: «Нравится» или «Не нравится»."
    _take_part(engine, house["tenant"], poll_id, now, rating="like")
    _take_part(engine, house["resident"], poll_id, now, rating="dislike")
    outcome = _take_part(engine, house["owner"], poll_id, now, rating="like")

    assert (outcome.results.likes, outcome.results.dislikes, outcome.results.participants) == (2, 1, 3)


def test_scheduled_and_finished_polls_refuse_participation(engine, house, now):
    poll_id = _file(engine, house["owner"], house["house"], _poll_input(now), now)
    _approve(engine, house["moderator"], poll_id, now)
    answers = _first_answers(_detail(engine, house["owner"], poll_id, now))

    with pytest.raises(NotAllowed) as early:
        _take_part(engine, house["owner"], poll_id, now, answers=answers)
    assert str(early.value) == "Опрос ещё не начался."
    with pytest.raises(NotAllowed) as late:
        _take_part(engine, house["owner"], poll_id, now + timedelta(days=9), answers=answers)
    assert str(late.value) == "Опрос завершён: принять участие уже нельзя."
    assert _count(engine, HousePollParticipant) == 0


def test_twenty_concurrent_attempts_by_one_user_make_one_participation(engine, house, now):
    poll_id = _open_poll(engine, house, now)
    answers = _first_answers(_detail(engine, house["owner"], poll_id, now))
    barrier = threading.Barrier(20)

    def attempt(_):
        barrier.wait()
        try:
            with transaction(engine) as s:
                return hp.participate(s, actor_id=house["owner"], poll_id=poll_id, answers=answers, now=now)
        except Conflict as exc:
            return exc

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(attempt, range(20)))

    assert sum(not isinstance(o, Conflict) for o in outcomes) == 1
    assert all(o.key == "house_poll.already_participated" for o in outcomes if isinstance(o, Conflict))
    assert (_count(engine, HousePollParticipant), _count(engine, HousePollResponse)) == (1, 1)
    assert _count(engine, HousePollChoice) == 2
    with Session(engine) as s:
        assert s.get(HousePoll, poll_id).participants_count == 1


def test_concurrent_participants_are_all_counted_and_counters_match_a_recount(engine, session, house, now):
    neighbours = []
    for n in range(12):
        user = make_user(session)
        make_premise_holder(session, house_id=house["house"], user_id=user.id, number=f"{40 + n}")
        neighbours.append(user.id)
    poll_id = _open_poll(engine, house, now, _poll_input(now, questions=1))
    (question,) = _detail(engine, house["owner"], poll_id, now).questions
    yes, no = (o.id for o in question.options)
    barrier = threading.Barrier(len(neighbours))

    def attempt(index):
        user_id = neighbours[index]
        barrier.wait()
        with transaction(engine) as s:
            answer = [AnswerInput(question.id, [yes if index % 3 else no])]
            return hp.participate(s, actor_id=user_id, poll_id=poll_id, answers=answer, now=now)

    with ThreadPoolExecutor(max_workers=len(neighbours)) as pool:
        list(pool.map(attempt, range(len(neighbours))))

    with Session(engine) as s:
        recount = dict(
            s.exec(select(HousePollChoice.option_id, func.count()).group_by(HousePollChoice.option_id)).all()
        )
        counters = {o.id: o.votes for o in s.exec(select(HousePollOption)).all() if o.id in (yes, no)}
        assert s.get(HousePoll, poll_id).participants_count == 12
    assert recount == counters == {yes: 8, no: 4}


# ----------------------------------------------------------------------------------------------
# Anonymity


def _personal_values(engine) -> set[str]:
    """Every phone, uid, name and e-mail in the users table."""
    with Session(engine) as s:
        users = s.exec(select(User)).all()
    values = set()
    for user in users:
        values.update(v for v in (user.phone, user.uid, user.last_name, user.first_name, user.email) if v)
    return values


def _named_participants(session, house) -> None:
    """Give every person of the house a distinct name, so a leak of any of them would show."""
    for n, who in enumerate(("owner", "resident", "tenant", "lodger")):
        user = session.get(User, house[who])
        user.last_name, user.first_name = f"Фамилия{n}ъ", f"Имя{n}ъ"
        session.add(user)
    session.commit()


def _keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_initiator_sees_results_apartments_and_comments_but_never_who(engine, session, house, now):
    _named_participants(session, house)
    poll_id = _open_poll(
        engine, house, now, _poll_input(now, audience=("owners", "residents", "social_tenants"))
    )
    _take_part(
        engine, house["resident"], poll_id, now, apartment="14", comment="Нужна новая детская площадка"
    )
    _take_part(engine, house["tenant"], poll_id, now, comment="Согласен")
    _take_part(engine, house["lodger"], poll_id, now)

    with transaction(engine) as s:
        (mine,) = hp.my_applications(s, actor_id=house["owner"], now=now)

    assert mine.participants == 3 and mine.results.participants == 3
    assert [(n.apartment, n.comment) for n in mine.notes] == [
        ("", "Согласен"),
        ("14", "Нужна новая детская площадка"),
    ]
    dumped = json.dumps(dataclasses.asdict(mine), default=str, ensure_ascii=False)
    assert not any(value in dumped for value in _personal_values(engine))
    assert not {k for k in _keys(json.loads(dumped)) if "user" in k or "phone" in k or k == "name"}
    detail = _detail(engine, house["owner"], poll_id, now)
    dumped_detail = json.dumps(dataclasses.asdict(detail), default=str, ensure_ascii=False)
    assert not any(value in dumped_detail for value in _personal_values(engine))


def test_responses_have_no_column_that_leads_to_a_person():
    columns = set(HousePollResponse.__table__.columns.keys()) | set(HousePollChoice.__table__.columns.keys())
    assert columns == {"id", "poll_id", "rating", "apartment", "comment", "response_id", "option_id"}
    assert set(HousePollParticipant.__table__.columns.keys()) == {"id", "poll_id", "user_id"}


def test_response_keys_are_random_not_in_the_order_of_participation(engine, session, house, now):
    poll_id = _open_poll(engine, house, now, _informing_input(now))
    for who in ("owner", "resident", "tenant", "lodger"):
        _take_part(engine, house[who], poll_id, now, rating="like")
    with Session(engine) as s:
        keys = s.exec(select(HousePollResponse.id)).all()
    assert len(set(keys)) == 4 and all(len(k) == 32 for k in keys)
    assert not any(k.isdigit() for k in keys)


# ----------------------------------------------------------------------------------------------
# Results and news after the end


def test_final_results_go_to_news_once_and_participants_are_told(engine, house, now):
    poll_id = _open_poll(engine, house, now)
    _take_part(engine, house["owner"], poll_id, now)
    _take_part(engine, house["resident"], poll_id, now)
    still_open = now + timedelta(days=7)
    with transaction(engine) as s:
        assert hp.publish_finished_results(s, now=still_open) == 0
    later = now + timedelta(days=8, minutes=1)

    with transaction(engine) as s:
        assert hp.publish_finished_results(s, now=later) == 1
    with transaction(engine) as s:
        assert hp.publish_finished_results(s, now=later + timedelta(hours=1)) == 0
    detail = _detail(engine, house["resident"], poll_id, later)

    with Session(engine) as s:
        (news,) = s.exec(select(NewsItem)).all()
        told = s.exec(
            select(Notification.user_id).where(Notification.link == f"/house/polls/{poll_id}")
        ).all()
    assert news.title == "Итоги опроса «Благоустройство двора»"
    # Public news follow the small-cell rule: 2 participants, 2 «Да», 0 «Нет» are all «<5».
    assert "Приняли участие: <5." in news.body and "«Да» — <5;" in news.body and "«Нет» — <5." in news.body
    assert "100,0" not in news.body
    assert sorted(told) == sorted([house["owner"], house["resident"]])
    assert detail.results.final and detail.status_name == "завершено"
    assert not detail.can_participate


def test_results_news_of_a_question_with_a_question_mark_has_no_stray_colon(engine, house, now):
    questions = [
        HouseQuestionInput(text="Нужен ли шлагбаум?", kind="single", options=["Да", "Нет"]),
        HouseQuestionInput(text="Цвет фасада", kind="single", options=["Белый", "Серый"]),
    ]
    poll_id = _open_poll(engine, house, now, dataclasses.replace(_poll_input(now), questions=questions))
    _take_part(engine, house["owner"], poll_id, now)
    with transaction(engine) as s:
        assert hp.publish_finished_results(s, now=now + timedelta(days=8, minutes=1)) == 1
    with Session(engine) as s:
        (news,) = s.exec(select(NewsItem)).all()
    assert "?:" not in news.body
    assert "1. Нужен ли шлагбаум? «Да» — <5; «Нет» — <5." in news.body
    assert "2. Цвет фасада: «Белый» — <5; «Серый» — <5." in news.body


def test_opening_a_finished_poll_publishes_its_results_once(engine, house, now):
    poll_id = _open_poll(engine, house, now, _informing_input(now))
    _take_part(engine, house["tenant"], poll_id, now, rating="dislike")
    later = now + timedelta(days=6)

    first = _detail(engine, house["tenant"], poll_id, later)
    _detail(engine, house["owner"], poll_id, later)
    with transaction(engine) as s:
        assert hp.publish_finished_results(s, now=later) == 0

    assert (first.results.dislikes, first.results.final) == (1, True)
    with Session(engine) as s:
        (news,) = s.exec(select(NewsItem)).all()
    assert news.title == "Итоги информирования «Отключение горячей воды»"
    assert "Нравится: <5; Не нравится: <5." in news.body  # small cells are hidden in public news


def test_the_job_loop_publishes_finished_house_polls_once(engine, house, now):
    poll_id = _open_poll(engine, house, now, _informing_input(now))
    _take_part(engine, house["tenant"], poll_id, now, rating="like")
    later = now + timedelta(days=6)

    first = run_jobs(later, engine=engine)
    second = run_jobs(later + timedelta(minutes=1), engine=engine)

    assert (first.done("house_poll_results"), second.done("house_poll_results")) == (1, 0)
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(NewsItem)).one() == 1
        assert s.get(HousePoll, poll_id).results_published_at is not None


# ----------------------------------------------------------------------------------------------
# REST API


def test_api_lists_and_takes_part_without_naming_anyone(engine, session, client, house, now):
    _named_participants(session, house)
    poll_id = _open_poll(engine, house, now)
    token = open_session(session, house["resident"], now)
    headers = {"Authorization": f"Bearer {token}"}

    listed = client.get("/api/v1/house-polls", headers=headers)
    assert listed.status_code == 200
    assert [p["id"] for p in listed.json()] == [poll_id]
    detail = client.get(f"/api/v1/house-polls/{poll_id}", headers=headers).json()
    answers = [{"question_id": q["id"], "option_ids": [q["options"][0]["id"]]} for q in detail["questions"]]
    body = {"answers": answers, "apartment": "14", "comment": "Хорошо"}

    taken = client.post(f"/api/v1/house-polls/{poll_id}/participation", json=body, headers=headers)
    again = client.post(f"/api/v1/house-polls/{poll_id}/participation", json=body, headers=headers)
    guest = client.post(f"/api/v1/house-polls/{poll_id}/participation", json=body)

    assert taken.status_code == 201
    assert taken.json()["results"]["participants"] == 1
    assert (again.status_code, again.json()) == (409, {"detail": "Вы уже приняли участие. Спасибо!"})
    assert guest.status_code == 401
    for response in (listed, taken, client.get(f"/api/v1/house-polls/{poll_id}", headers=headers)):
        assert not any(value in response.text for value in _personal_values(engine))
        assert "user" not in response.text
    stranger = open_session(session, house["stranger"], now)
    hidden = client.get(f"/api/v1/house-polls/{poll_id}", headers={"Authorization": f"Bearer {stranger}"})
    assert hidden.status_code == 404
