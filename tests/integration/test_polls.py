"""Poll services on SQLite and PostgreSQL: staff lifecycle, visibility, reasons, results, past polls."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import func, select

from ag_app.db import transaction
from ag_app.domain.errors import Conflict, InvalidInput, NotAllowed, NotFound
from ag_app.domain.polls import PollProblems
from ag_app.models import Child, Poll, UserAddress
from ag_app.services import ballots, polls, stats
from ag_app.services.polls import AnswerInput, OptionInput, QuestionInput
from tests.factories import make_geo, make_user
from tests.integration.poll_helpers import DAY, first_options, make_poll, poll_data, question_ids


@pytest.fixture
def geo(session):
    return make_geo(session)


@pytest.fixture
def staff(session):
    return make_user(session, roles=("staff",))


def vote(engine, user_id, poll_id, answers, now):
    with transaction(engine) as s:
        return ballots.complete_ballot(s, actor_id=user_id, poll_id=poll_id, answers=answers, now=now)


def detail(engine, actor_id, poll_id, now):
    with transaction(engine) as s:
        return polls.get_poll(s, actor_id=actor_id, poll_id=poll_id, now=now)


def listed(engine, actor_id, now, status="active"):
    with transaction(engine) as s:
        return [p.id for p in polls.list_polls(s, actor_id=actor_id, status=status, now=now)]


def test_staff_lifecycle_from_draft_to_decisions_and_news(engine, session, now, staff):
    resident = make_user(session, phone_region="moscow")
    poll_id = make_poll(engine, staff.id, now, publish=False)

    # Preview of the draft: staff see it, cannot vote; residents and guests do not see it at all.
    preview = detail(engine, staff.id, poll_id, now)
    assert (preview.state, preview.can_vote) == ("draft", False)
    assert preview.cannot_vote_reason == "Голосование ещё не опубликовано."
    assert [e.name for e in preview.experts] == ["Анна Петрова"]
    with pytest.raises(NotFound):
        detail(engine, resident.id, poll_id, now)
    assert poll_id not in listed(engine, resident.id, now) + listed(engine, None, now)

    # Editing a draft replaces its questions.
    with transaction(engine) as s:
        data = poll_data(
            now,
            title="Парк «Дружба»: новая редакция",
            questions=[QuestionInput(text="Один вопрос", options=[OptionInput("Да"), OptionInput("Нет")])],
        )
        polls.update_poll(s, actor_id=staff.id, poll_id=poll_id, data=data, now=now)
    edited = detail(engine, staff.id, poll_id, now)
    assert edited.title == "Парк «Дружба»: новая редакция"
    assert [q.text for q in edited.questions] == ["Один вопрос"]

    with transaction(engine) as s:
        polls.publish_poll(s, actor_id=staff.id, poll_id=poll_id, now=now)
    assert poll_id in listed(engine, resident.id, now)
    assert poll_id in listed(engine, None, now)
    with pytest.raises(Conflict), transaction(engine) as s:
        polls.publish_poll(s, actor_id=staff.id, poll_id=poll_id, now=now)
    with pytest.raises(Conflict), transaction(engine) as s:
        polls.update_poll(s, actor_id=staff.id, poll_id=poll_id, data=poll_data(now), now=now)
    with pytest.raises(Conflict) as early, transaction(engine) as s:
        polls.publish_results(s, actor_id=staff.id, poll_id=poll_id, now=now)
    assert str(early.value) == "Итоги публикуются после окончания голосования."
    with pytest.raises(Conflict), transaction(engine) as s:
        polls.add_decision(s, actor_id=staff.id, poll_id=poll_id, text="Рано", status="adopted", now=now)

    vote(engine, resident.id, poll_id, first_options(edited.questions), now)

    later = now + timedelta(hours=2)
    with transaction(engine) as s:
        polls.close_poll(s, actor_id=staff.id, poll_id=poll_id, now=later)
    closed = detail(engine, resident.id, poll_id, later)
    assert closed.state == "closed" and not closed.can_vote
    assert closed.cannot_vote_reason == "Голосование завершено 20.11.2026 в 14:00 (мск)."
    assert poll_id in listed(engine, resident.id, later, status="closed")
    assert poll_id not in listed(engine, resident.id, later, status="active")
    with pytest.raises(NotFound), transaction(engine) as s:
        polls.poll_results(s, actor_id=None, poll_id=poll_id, now=later, final_only=True)

    with transaction(engine) as s:
        polls.publish_results(s, actor_id=staff.id, poll_id=poll_id, now=later)
    with pytest.raises(Conflict), transaction(engine) as s:
        polls.publish_results(s, actor_id=staff.id, poll_id=poll_id, now=later)
    with transaction(engine) as s:
        final = polls.poll_results(s, actor_id=None, poll_id=poll_id, now=later, final_only=True)
    assert final.final and final.ballots == 1
    assert detail(engine, None, poll_id, later).results_final

    with transaction(engine) as s:
        decision_id = polls.add_decision(
            s,
            actor_id=staff.id,
            poll_id=poll_id,
            text="Парк благоустроят в 2027 году.",
            status="adopted",
            now=later,
        )
    with transaction(engine) as s:
        assert stats.headline(s, now=later).decisions_implemented == 0
        polls.set_decision_status(
            s, actor_id=staff.id, decision_id=decision_id, status="implemented", now=later
        )
    page = detail(engine, None, poll_id, later)
    assert [(d.status, d.status_name) for d in page.decisions] == [("implemented", "Реализовано")]
    assert page.decisions[0].implemented_at == later
    with transaction(engine) as s:
        news = polls.list_news(s)
        headline = stats.headline(s, now=later)
    assert [n.kind for n in news] == ["decision", "decision", "results"]  # newest first
    assert {n.poll_id for n in news} == {poll_id}
    results_news = next(n for n in news if n.kind == "results")
    assert results_news.title == "Итоги голосования «Парк «Дружба»: новая редакция»"
    assert "Проголосовали: <5 (московские номера — <5, другие — <5)" in results_news.body
    assert (headline.decisions_implemented, headline.opinions, headline.polls_held) == (1, 1, 1)


def test_staff_transitions_refuse_wrong_states(engine, session, now, staff):
    draft_id = make_poll(engine, staff.id, now, publish=False)
    with pytest.raises(Conflict) as error, transaction(engine) as s:
        polls.close_poll(s, actor_id=staff.id, poll_id=draft_id, now=now)
    assert str(error.value) == "Это действие недоступно: голосование ещё не опубликовано."
    past_id = make_poll(engine, staff.id, now, publish=False, starts_at=now - 3 * DAY, ends_at=now - DAY)
    with pytest.raises(InvalidInput), transaction(engine) as s:
        polls.publish_poll(s, actor_id=staff.id, poll_id=past_id, now=now)
    with pytest.raises(NotFound), transaction(engine) as s:
        polls.publish_poll(s, actor_id=staff.id, poll_id=99999, now=now)
    with pytest.raises(NotFound), transaction(engine) as s:
        polls.set_decision_status(s, actor_id=staff.id, decision_id=99999, status="implemented", now=now)


def test_staff_list_shows_drafts_and_defaults_points_by_scope(engine, session, now, staff, geo):
    city = make_poll(engine, staff.id, now, publish=False)
    district = make_poll(engine, staff.id, now, scope="territorial", district_ids=[geo["Арбат"]])
    with transaction(engine) as s:
        rows = {p.id: p for p in polls.staff_polls(s, actor_id=staff.id, now=now)}
    assert (rows[city].state, rows[city].points) == ("draft", 20)
    assert (rows[district].state, rows[district].points, rows[district].territory) == ("active", 5, "Арбат")


def test_unknown_territory_is_refused(engine, now, staff):
    with pytest.raises(InvalidInput) as error, transaction(engine) as s:
        polls.create_poll(
            s, actor_id=staff.id, data=poll_data(now, scope="territorial", district_ids=[4242]), now=now
        )
    assert error.value.key == "poll.territory_unknown"


def test_an_empty_new_poll_is_refused_with_every_problem_at_once(engine, session, now, staff):
    empty = polls.PollInput(
        title=" ", starts_at=now, ends_at=now, scope="territorial", points=5000, questions=[]
    )
    with pytest.raises(PollProblems) as error, transaction(engine) as s:
        polls.create_poll(s, actor_id=staff.id, data=empty, now=now)
    keys = [problem.key for _, problem in error.value.problems]
    assert keys == [
        "poll.title_required",
        "poll.dates_order",
        "poll.territory_required",
        "poll.points_invalid",
        "poll.questions_required",
    ]
    assert error.value.fields == ["title", "ends", "scope", "points", "questions"]
    shown = str(error.value)
    assert "Ошибок: 5." in shown
    for sentence in ("Укажите название голосования.", "Добавьте хотя бы один вопрос."):
        assert sentence in shown
    assert session.exec(select(func.count()).select_from(Poll)).one() == 0


def test_territorial_poll_is_seen_only_by_its_residents(engine, session, now, staff, geo):
    arbat = make_user(session, house_id=geo["house:Арбат"])
    basmanny = make_user(session, house_id=geo["house:Басманный"])
    ramenki = make_user(session, house_id=geo["house:Раменки"])
    district_poll = make_poll(engine, staff.id, now, scope="territorial", district_ids=[geo["Арбат"]])
    okrug_poll = make_poll(engine, staff.id, now, scope="territorial", okrug_ids=[geo["ЦАО"]])
    city_poll = make_poll(engine, staff.id, now)

    assert set(listed(engine, arbat.id, now)) == {district_poll, okrug_poll, city_poll}
    assert set(listed(engine, basmanny.id, now)) == {okrug_poll, city_poll}
    assert set(listed(engine, ramenki.id, now)) == {city_poll}
    assert set(listed(engine, None, now)) == {city_poll}
    assert set(listed(engine, staff.id, now)) == {district_poll, okrug_poll, city_poll}

    page = detail(engine, arbat.id, district_poll, now)
    assert page.can_vote and page.territory == "Арбат"
    assert detail(engine, basmanny.id, okrug_poll, now).can_vote
    for user_id in (ramenki.id, basmanny.id, None):
        with pytest.raises(NotFound):
            detail(engine, user_id, district_poll, now)

    # Voting in another district's poll is refused with the reason.
    with pytest.raises(NotAllowed) as error:
        vote(engine, ramenki.id, district_poll, first_options(page.questions), now)
    assert (
        str(error.value)
        == "Голосование проводится только для жителей: Арбат. Ваши адреса к ним не относятся."
    )


def test_work_address_counts_only_when_the_poll_says_so(engine, session, now, staff, geo):
    commuter = make_user(session, house_id=geo["house:Раменки"])
    session.add(UserAddress(user_id=commuter.id, kind="work", house_id=geo["house:Арбат"], changed_at=now))
    session.commit()
    plain = make_poll(engine, staff.id, now, scope="territorial", district_ids=[geo["Арбат"]])
    with_work = make_poll(
        engine, staff.id, now, scope="territorial", district_ids=[geo["Арбат"]], include_work_address=True
    )
    assert set(listed(engine, commuter.id, now)) == {with_work}
    assert detail(engine, commuter.id, with_work, now).can_vote
    assert plain not in listed(engine, commuter.id, now)


def test_published_results_of_a_district_poll_are_public(engine, session, now, staff, geo):
    arbat = make_user(session, house_id=geo["house:Арбат"])
    poll_id = make_poll(engine, staff.id, now, scope="territorial", district_ids=[geo["Арбат"]])
    vote(engine, arbat.id, poll_id, first_options(question_ids(engine, staff.id, poll_id, now)), now)
    later = now + 8 * DAY
    with transaction(engine) as s:
        polls.publish_results(s, actor_id=staff.id, poll_id=poll_id, now=later)
    page = detail(engine, None, poll_id, later)
    assert page.results.final and page.results.ballots == 1


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"min_level": 3}, "Для участия нужен уровень идентификации не ниже 3 («полный»)."),
        (
            {"children_age_min": 7, "children_age_max": 10},
            "Голосование для родителей детей в возрасте 7–10 лет.",
        ),
        (
            {"starts_at": datetime(2026, 11, 21, 7, 0, tzinfo=UTC)},
            "Голосование ещё не началось: оно откроется 21.11.2026 в 10:00 (мск).",
        ),
    ],
)
def test_reasons_why_a_resident_cannot_vote(engine, session, now, staff, changes, reason):
    resident = make_user(session)
    poll_id = make_poll(engine, staff.id, now, **changes)
    page = detail(engine, resident.id, poll_id, now)
    assert (page.can_vote, page.cannot_vote_reason) == (False, reason)
    with pytest.raises(NotAllowed) as error:
        vote(engine, resident.id, poll_id, first_options(page.questions), now)
    assert str(error.value) == reason


def test_children_filter_lets_parents_of_matching_age_vote(engine, session, now, staff):
    parent = make_user(session)
    session.add(Child(user_id=parent.id, birth_year=2018))  # 8 in 2026
    session.commit()
    poll_id = make_poll(engine, staff.id, now, children_age_min=7, children_age_max=10)
    assert detail(engine, parent.id, poll_id, now).can_vote


def test_guest_is_asked_to_log_in(engine, now, staff):
    poll_id = make_poll(engine, staff.id, now)
    page = detail(engine, None, poll_id, now)
    assert (page.can_vote, page.cannot_vote_reason, page.results) == (
        False,
        "Войдите в систему, чтобы продолжить.",
        None,
    )


def test_results_split_moscow_and_other_numbers(engine, session, now, staff):
    poll_id = make_poll(engine, staff.id, now)
    questions = question_ids(engine, staff.id, poll_id, now)
    yes, no, _unsure = (o.id for o in questions[0].options)
    rink, playground, _fountain, own, _ = (o.id for o in questions[1].options)
    spring = questions[2].options[0].id
    ballots_given = [
        ("moscow", [yes], [rink, playground], ""),
        ("moscow", [yes], [own], "Велодорожку"),
        ("other", [no], [rink], ""),
    ]
    for region, q1, q2, text in ballots_given:
        voter = make_user(session, phone_region=region)
        answers = [
            AnswerInput(questions[0].id, q1),
            AnswerInput(questions[1].id, q2, text),
            AnswerInput(questions[2].id, [spring]),
        ]
        outcome = vote(engine, voter.id, poll_id, answers, now)
    assert outcome.points_credited == 20
    results = outcome.results
    assert (results.ballots, results.moscow_ballots, results.other_ballots, results.final) == (3, 2, 1, False)
    first, second, _ = results.questions
    counts = {o.id: (o.count, o.moscow, o.other, o.percent) for o in first.options}
    assert counts[yes] == (2, 2, 0, 66.7) and counts[no] == (1, 0, 1, 33.3)
    by_id = {o.id: o for o in second.options}
    assert (by_id[rink].count, by_id[rink].moscow, by_id[rink].other) == (2, 1, 1)
    assert (by_id[rink].moscow_percent, by_id[rink].other_percent) == (50.0, 100.0)
    assert second.own_texts == ["Велодорожку"]
    assert second.answered == 3
    with transaction(engine) as s:
        assert s.get(Poll, poll_id).ballots_count == 3


def test_intermediate_results_are_hidden_when_the_poll_says_so(engine, session, now, staff):
    resident = make_user(session)
    poll_id = make_poll(engine, staff.id, now, hide_intermediate=True)
    outcome = vote(
        engine, resident.id, poll_id, first_options(question_ids(engine, staff.id, poll_id, now)), now
    )
    assert outcome.results is None
    page = detail(engine, resident.id, poll_id, now)
    assert page.voted and page.results is None
    with pytest.raises(NotFound), transaction(engine) as s:
        polls.poll_results(s, actor_id=resident.id, poll_id=poll_id, now=now)
    with transaction(engine) as s:
        assert polls.poll_results(s, actor_id=staff.id, poll_id=poll_id, now=now).ballots == 1


def test_voter_sees_intermediate_results_others_do_not(engine, session, now, staff):
    voter, other = make_user(session), make_user(session)
    poll_id = make_poll(engine, staff.id, now)
    vote(engine, voter.id, poll_id, first_options(question_ids(engine, staff.id, poll_id, now)), now)
    mine = detail(engine, voter.id, poll_id, now)
    assert mine.voted and not mine.can_vote and mine.results.ballots == 1
    assert mine.cannot_vote_reason == "Вы уже проголосовали в этом опросе. Повторное голосование невозможно."
    assert detail(engine, other.id, poll_id, now).results is None
    with transaction(engine) as s:
        assert [p.voted for p in polls.list_polls(s, actor_id=voter.id, status="active", now=now)] == [True]


def test_past_polls_list_own_answers(engine, session, now, staff):
    resident = make_user(session)
    first = make_poll(engine, staff.id, now, title="Первое")
    second = make_poll(engine, staff.id, now, title="Второе")
    make_poll(engine, staff.id, now, title="Не голосовал")
    q = question_ids(engine, staff.id, first, now)
    answers = [
        AnswerInput(q[0].id, [q[0].options[1].id]),
        AnswerInput(q[1].id, [q[1].options[0].id, q[1].options[3].id], "Велодорожку"),
        AnswerInput(q[2].id, [q[2].options[0].id]),
    ]
    vote(engine, resident.id, first, answers, now)
    vote(engine, resident.id, second, first_options(question_ids(engine, staff.id, second, now)), now + DAY)
    with transaction(engine) as s:
        past = polls.my_past_polls(s, actor_id=resident.id, now=now + DAY)
    assert [p.title for p in past] == ["Второе", "Первое"]
    mine = past[1]
    assert mine.points == 20 and mine.completed_at == now
    assert mine.questions[0].options == [("Да", False), ("Нет", True), ("Затрудняюсь ответить", False)]
    chosen = [text for text, flag in mine.questions[1].options if flag]
    assert chosen == ["Каток", "Свой вариант"]
    assert mine.questions[1].own_text == "Велодорожку"


def test_draft_is_saved_and_removed_on_completion(engine, session, now, staff):
    resident = make_user(session)
    poll_id = make_poll(engine, staff.id, now)
    questions = question_ids(engine, staff.id, poll_id, now)
    partial = [AnswerInput(questions[1].id, [questions[1].options[3].id], "Свой текст")]
    with transaction(engine) as s:
        ballots.save_draft(s, actor_id=resident.id, poll_id=poll_id, answers=partial, now=now)
    with transaction(engine) as s:
        assert ballots.get_draft(s, actor_id=resident.id, poll_id=poll_id) == partial
    vote(engine, resident.id, poll_id, first_options(questions), now)
    with transaction(engine) as s:
        assert ballots.get_draft(s, actor_id=resident.id, poll_id=poll_id) == []


def test_headline_counts_from_the_data(engine, session, now, staff):
    residents = [make_user(session) for _ in range(3)]
    open_poll = make_poll(engine, staff.id, now)
    make_poll(engine, staff.id, now, starts_at=now + DAY)  # not started: not «held»
    make_poll(engine, staff.id, now, publish=False)  # draft
    questions = question_ids(engine, staff.id, open_poll, now)
    for resident in residents[:2]:
        vote(engine, resident.id, open_poll, first_options(questions), now)
    with transaction(engine) as s:
        headline = stats.headline(s, now=now)
    assert (headline.citizens, headline.polls_held, headline.opinions, headline.decisions_implemented) == (
        4,
        1,
        2,
        0,
    )
