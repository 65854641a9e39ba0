"""Rules of city and district polls: lifecycle, eligibility, ballot checks, staff input, tallies."""

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ag_app.domain.errors import InvalidInput
from ag_app.domain.polls import (
    AnswerInput,
    Audience,
    ExpertInput,
    OptionInput,
    OptionSpec,
    Place,
    PollInput,
    QuestionInput,
    QuestionSpec,
    Voter,
    default_points,
    format_moscow,
    has_child_of_age,
    percent,
    poll_state,
    required_level,
    tally,
    toggle_choice,
    validate_answers,
    validate_poll,
    why_cannot_vote,
)
from ag_app.domain.text import clean_text
from ag_app.i18n import message

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("published", "closed", "results", "starts", "ends", "expected"),
    [
        (None, None, None, -DAY, DAY, "draft"),
        (-DAY, None, None, HOUR, DAY, "scheduled"),
        (-DAY, None, None, timedelta(0), DAY, "active"),  # the start instant is open
        (-DAY, None, None, -DAY, HOUR, "active"),
        (-DAY, None, None, -DAY, timedelta(0), "closed"),  # the end instant is closed
        (-DAY, -HOUR, None, -DAY, DAY, "closed"),  # closed early by staff
        (-DAY, None, -HOUR, -DAY * 3, -DAY, "results"),
        (-DAY, -DAY, -HOUR, -DAY * 3, DAY, "results"),
    ],
)
def test_poll_state(published, closed, results, starts, ends, expected):
    def at(delta):
        return None if delta is None else NOW + delta

    state = poll_state(
        published_at=at(published),
        closed_at=at(closed),
        results_published_at=at(results),
        starts_at=NOW + starts,
        ends_at=NOW + ends,
        now=NOW,
    )
    assert state == expected


def test_poll_state_accepts_naive_utc_from_sqlite():
    naive = NOW.replace(tzinfo=None)
    state = poll_state(
        published_at=naive,
        closed_at=None,
        results_published_at=None,
        starts_at=naive - HOUR,
        ends_at=naive + HOUR,
        now=NOW,
    )
    assert state == "active"


@pytest.mark.parametrize(("scope", "points"), [("city", 20), ("territorial", 5)])
def test_default_points(scope, points):
    assert default_points(scope) == points


def test_format_moscow_names_moscow_wall_time():
    assert format_moscow(datetime(2026, 11, 20, 21, 30, tzinfo=UTC)) == "21.11.2026 в 00:30 (мск)"


@pytest.mark.parametrize(
    ("years", "year", "low", "high", "expected"),
    [
        ((2019,), 2026, 7, 10, True),  # 7 years old in 2026
        ((2020,), 2026, 7, 10, False),  # 6
        ((2016,), 2026, 7, 10, True),  # 10: the upper bound is inclusive
        ((2015,), 2026, 7, 10, False),  # 11
        ((2015, 2022), 2026, 3, 7, True),  # one of several children fits
        ((), 2026, 0, 18, False),
    ],
)
def test_has_child_of_age(years, year, low, high, expected):
    assert has_child_of_age(years, year=year, low=low, high=high) is expected


# ----------------------------------------------------------------------------------------------
# Eligibility

ARBAT, BASMANNY, RAMENKI = Place(1, 10), Place(2, 10), Place(3, 20)
OPEN = Audience(starts_at=NOW - DAY, ends_at=NOW + DAY, published_at=NOW - DAY)
DISTRICT = replace(OPEN, scope="territorial", district_ids=frozenset({1}), territory="Арбат")
OKRUG = replace(OPEN, scope="territorial", okrug_ids=frozenset({10}), territory="ЦАО")
RESIDENT = Voter(level=2, home=(ARBAT,))


@pytest.mark.parametrize(
    ("audience", "voter", "expected"),
    [
        (OPEN, Voter(level=1), None),
        (replace(OPEN, published_at=None), Voter(level=1), "poll.not_published"),
        (replace(OPEN, starts_at=NOW + HOUR), Voter(level=1), "poll.not_started"),
        (replace(OPEN, ends_at=NOW), Voter(level=1), "poll.finished"),
        (replace(OPEN, closed_at=NOW - HOUR), Voter(level=1), "poll.finished"),
        (OPEN, None, "auth.required"),
        (replace(OPEN, ends_at=NOW - HOUR), None, "poll.finished"),  # a guest learns it is over first
        (OPEN, Voter(level=1, has_voted=True), "poll.already_voted"),
        (replace(OPEN, min_level=3), RESIDENT, "poll.level_required"),
        (replace(OPEN, min_level=3), Voter(level=3), None),
        (DISTRICT, RESIDENT, None),
        (DISTRICT, Voter(level=1), "poll.no_address"),
        (DISTRICT, Voter(level=2, home=(BASMANNY,)), "poll.territory_mismatch"),
        (DISTRICT, Voter(level=2, home=(RAMENKI,), work=ARBAT), "poll.territory_mismatch"),  # work ignored
        (replace(DISTRICT, include_work_address=True), Voter(level=2, home=(RAMENKI,), work=ARBAT), None),
        (DISTRICT, Voter(level=2, work=ARBAT), "poll.no_address"),  # only a work address
        (OKRUG, Voter(level=2, home=(BASMANNY,)), None),  # Basmanny lies in the okrug
        (OKRUG, Voter(level=2, home=(RAMENKI,)), "poll.territory_mismatch"),
        (OKRUG, Voter(level=2, home=(RAMENKI, BASMANNY)), None),  # residence matches, registration not
        (replace(DISTRICT, min_level=3), RESIDENT, "poll.level_required"),
        (
            replace(OPEN, children_age_min=7, children_age_max=10),
            Voter(level=1, child_birth_years=(2018,)),
            None,
        ),
        (
            replace(OPEN, children_age_min=7, children_age_max=10),
            Voter(level=1, child_birth_years=(2022,)),
            "poll.children_required",
        ),
        (replace(OPEN, children_age_min=0, children_age_max=6), Voter(level=1), "poll.children_required"),
    ],
)
def test_why_cannot_vote(audience, voter, expected):
    refusal = why_cannot_vote(audience, voter, now=NOW)
    assert (refusal.key if refusal else None) == expected
    if refusal is not None:
        assert message(refusal.key, **refusal.params)  # every reason reads as a sentence


def test_not_started_names_the_moscow_start_time():
    audience = replace(OPEN, starts_at=datetime(2026, 11, 21, 7, 0, tzinfo=UTC))
    refusal = why_cannot_vote(audience, RESIDENT, now=NOW)
    assert message(refusal.key, **refusal.params) == (
        "Голосование ещё не началось: оно откроется 21.11.2026 в 10:00 (мск)."
    )


def test_finished_names_the_earlier_of_close_and_end():
    audience = replace(OPEN, closed_at=NOW - HOUR)
    refusal = why_cannot_vote(audience, RESIDENT, now=NOW)
    assert refusal.params["at"] == format_moscow(NOW - HOUR)


def test_territory_mismatch_names_the_territory_and_level_names_the_level():
    mismatch = why_cannot_vote(DISTRICT, Voter(level=2, home=(RAMENKI,)), now=NOW)
    assert "Арбат" in message(mismatch.key, **mismatch.params)
    level = why_cannot_vote(replace(OPEN, min_level=3), RESIDENT, now=NOW)
    assert (
        message(level.key, **level.params) == "Для участия нужен уровень идентификации не ниже 3 («полный»)."
    )


def test_children_age_counts_in_the_moscow_start_year():
    # The poll starts at 23:30 UTC on 31 Dec 2026, which is already 2027 in Moscow.
    audience = replace(
        OPEN,
        starts_at=datetime(2026, 12, 31, 23, 30, tzinfo=UTC),
        ends_at=datetime(2027, 2, 1, tzinfo=UTC),
        children_age_min=7,
        children_age_max=7,
    )
    later = datetime(2027, 1, 5, tzinfo=UTC)
    assert why_cannot_vote(audience, Voter(level=1, child_birth_years=(2020,)), now=later) is None
    assert (
        why_cannot_vote(audience, Voter(level=1, child_birth_years=(2019,)), now=later).key
        == "poll.children_required"
    )


@pytest.mark.parametrize(
    ("audience", "level"),
    [(OPEN, 1), (replace(OPEN, min_level=3), 3), (DISTRICT, 2), (replace(DISTRICT, min_level=3), 3)],
)
def test_required_level(audience, level):
    assert required_level(audience) == level


# ----------------------------------------------------------------------------------------------
# Ballots

Q1 = QuestionSpec(
    id=1,
    text="Нужен ли парк?",
    kind="single",
    options=(
        OptionSpec(11, "Да"),
        OptionSpec(12, "Нет"),
        OptionSpec(13, "Затрудняюсь ответить", is_exclusive=True),
    ),
)
Q2 = QuestionSpec(
    id=2,
    text="Что построить?",
    kind="multiple",
    max_choices=2,
    options=(
        OptionSpec(21, "Каток"),
        OptionSpec(22, "Площадку"),
        OptionSpec(23, "Фонтан"),
        OptionSpec(24, "Свой вариант", is_own_text=True),
        OptionSpec(25, "Мне не интересно", is_exclusive=True),
    ),
)
QUESTIONS = [Q1, Q2]


def ans(question_id, *option_ids, own_text=""):
    return AnswerInput(question_id=question_id, option_ids=list(option_ids), own_text=own_text)


@pytest.mark.parametrize(
    ("answers", "key"),
    [
        ([ans(1, 11), ans(2, 21, 22)], None),
        ([ans(2, 21), ans(1, 12)], None),  # any order of answers is fine
        ([ans(1, 13), ans(2, 25)], None),  # exclusive options alone
        ([ans(1, 11), ans(2, 24, own_text="  Велодорожку  ")], None),
        ([ans(1, 11, 11), ans(2, 21)], None),  # a repeated id counts once
        ([ans(1, 11)], "poll.answer_required"),  # question 2 missing
        ([ans(1), ans(2, 21)], "poll.answer_required"),  # blank answer
        ([], "poll.answer_required"),
        ([ans(1, 11, 12), ans(2, 21)], "poll.single_choice"),
        ([ans(1, 11), ans(2, 21, 22, 23)], "poll.too_many_choices"),
        ([ans(1, 21), ans(2, 22)], "poll.option_foreign"),  # an option of another question
        ([ans(1, 999), ans(2, 22)], "poll.option_foreign"),
        ([ans(1, 11), ans(2, 21), ans(3, 31)], "poll.question_foreign"),
        ([ans(1, 11), ans(1, 12), ans(2, 21)], "poll.answer_duplicate"),
        ([ans(1, 11), ans(2, 24)], "poll.own_text_required"),
        ([ans(1, 11), ans(2, 24, own_text="   ")], "poll.own_text_required"),
        ([ans(1, 11), ans(2, 24, own_text="x" * 501)], "poll.own_text_too_long"),
        ([ans(1, 11, own_text="текст"), ans(2, 21)], "poll.own_text_not_allowed"),
        ([ans(1, 11), ans(2, 21, own_text="текст")], "poll.own_text_option_not_chosen"),
        ([ans(1, 11, 13), ans(2, 21)], "poll.single_choice"),
        ([ans(1, 11), ans(2, 21, 25)], "poll.exclusive_option"),
    ],
)
def test_validate_answers(answers, key):
    if key is None:
        result = validate_answers(QUESTIONS, answers)
        assert [a.question_id for a in result] == [1, 2]
        return
    with pytest.raises(InvalidInput) as error:
        validate_answers(QUESTIONS, answers)
    assert error.value.key == key


def test_blank_answer_names_question_number_and_text():
    with pytest.raises(InvalidInput) as error:
        validate_answers(QUESTIONS, [ans(1, 11), ans(2)])
    assert str(error.value) == "Ответьте на вопрос 2: «Что построить?»."


def test_own_text_is_stripped_and_kept_as_plain_text():
    text = "  <script>alert('x')</script>'; DROP TABLE ballot; --  "
    result = validate_answers(QUESTIONS, [ans(1, 11), ans(2, 24, own_text=text)])
    assert result[1].own_text == "<script>alert('x')</script>'; DROP TABLE ballot; --"


def test_own_text_limit_counts_after_stripping_and_is_inclusive():
    result = validate_answers(QUESTIONS, [ans(1, 11), ans(2, 24, own_text=" " + "я" * 500 + " ")])
    assert len(result[1].own_text) == 500


def test_control_characters_are_refused():
    assert clean_text("  a\tb\r\nc ") == "a\tb\r\nc"
    with pytest.raises(InvalidInput, match="управляющие символы"):
        clean_text("a\x00b ")


def test_partial_answers_allow_missing_questions_but_not_bad_ones():
    assert validate_answers(QUESTIONS, [ans(2, 24)], complete=False) == [ans(2, 24)]
    with pytest.raises(InvalidInput):
        validate_answers(QUESTIONS, [ans(1, 21)], complete=False)


# ----------------------------------------------------------------------------------------------
# Staff input


def poll_input(**changes) -> PollInput:
    base = PollInput(
        title="  Благоустройство парка  ",
        starts_at=NOW,
        ends_at=NOW + DAY * 7,
        questions=[
            QuestionInput(text="Нужен ли парк?", options=[OptionInput("Да"), OptionInput("Нет")]),
            QuestionInput(
                text="Что построить?",
                kind="multiple",
                max_choices=2,
                options=[
                    OptionInput("Каток"),
                    OptionInput("Фонтан"),
                    OptionInput("Свой вариант", is_own_text=True),
                ],
            ),
        ],
    )
    return replace(base, **changes)


def question(**changes) -> QuestionInput:
    return replace(QuestionInput(text="Вопрос", options=[OptionInput("Да"), OptionInput("Нет")]), **changes)


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({}, None),
        ({"title": "   "}, "poll.title_required"),
        ({"title": "x" * 301}, "poll.field_too_long"),
        ({"summary": "x" * 1001}, "poll.field_too_long"),
        ({"image_url": "javascript:alert(1)"}, "poll.image_invalid"),
        ({"image_url": "https://example.org/a.png"}, None),
        ({"ends_at": NOW}, "poll.dates_order"),
        ({"ends_at": NOW - DAY}, "poll.dates_order"),
        ({"questions": []}, "poll.questions_required"),
        ({"questions": [question()] * 31}, "poll.too_many_questions"),
        ({"questions": [question(text=" ")]}, "poll.question_text_required"),
        ({"questions": [question(options=[OptionInput("Да")])]}, "poll.options_required"),
        (
            {"questions": [question(options=[OptionInput("Да"), OptionInput(" ")])]},
            "poll.option_text_required",
        ),
        ({"questions": [question(kind="text")]}, "poll.kind_invalid"),
        ({"questions": [question(kind="multiple", max_choices=0)]}, "poll.max_choices_invalid"),
        ({"questions": [question(kind="multiple", max_choices=3)]}, "poll.max_choices_invalid"),
        ({"questions": [question(kind="multiple", max_choices=2)]}, None),
        (
            {
                "questions": [
                    question(options=[OptionInput("С", is_own_text=True), OptionInput("В", is_own_text=True)])
                ]
            },
            "poll.own_option_duplicate",
        ),
        ({"points": -1}, "poll.points_invalid"),
        ({"points": 1001}, "poll.points_invalid"),
        ({"points": 0}, None),
        ({"points": 1000}, None),
        ({"scope": "planet"}, "poll.scope_invalid"),
        ({"scope": "territorial"}, "poll.territory_required"),
        ({"scope": "territorial", "district_ids": [3]}, None),
        ({"children_age_min": -1, "children_age_max": 5}, "poll.children_ages_invalid"),
        ({"children_age_min": 7, "children_age_max": 19}, "poll.children_ages_invalid"),
        ({"children_age_min": 10, "children_age_max": 7}, "poll.children_ages_invalid"),
        ({"children_age_min": 0, "children_age_max": 18}, None),
        ({"min_level": 0}, "poll.min_level_invalid"),
        ({"min_level": 4}, "poll.min_level_invalid"),
        ({"experts": [ExpertInput(name="Иванов", text=" ")]}, "poll.expert_required"),
        ({"experts": [ExpertInput(name="Иванов", title="Архитектор", text="Мнение")]}, None),
    ],
)
def test_validate_poll(changes, key):
    data = poll_input(**changes)
    if key is None:
        validate_poll(data)
        return
    with pytest.raises(InvalidInput) as error:
        validate_poll(data)
    assert error.value.key == key


@pytest.mark.parametrize(("scope", "points"), [("city", 20), ("territorial", 5)])
def test_validate_poll_fills_defaults_and_cleans(scope, points):
    cleaned = validate_poll(poll_input(scope=scope, okrug_ids=[2, 2], children_age_max=6))
    assert cleaned.title == "Благоустройство парка"
    assert cleaned.points == points
    assert (cleaned.children_age_min, cleaned.children_age_max) == (0, 6)
    assert cleaned.okrug_ids == ([2] if scope == "territorial" else [])  # a city poll names no territory
    assert cleaned.questions[0].max_choices == 1


# ----------------------------------------------------------------------------------------------
# Tally


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(1, 3, 33.3), (2, 3, 66.7), (1, 8, 12.5), (1, 16, 6.3), (0, 0, 0.0), (5, 5, 100.0), (0, 7, 0.0)],
)
def test_percent_rounds_half_up_to_one_decimal(part, whole, expected):
    assert percent(part, whole) == expected


def test_tally_counts_percents_and_regions():
    counts = [(11, "moscow", 2), (11, "other", 1), (12, "moscow", 1), (21, "moscow", 3), (22, "other", 1)]
    answered = {(1, "moscow"): 3, (1, "other"): 1, (2, "moscow"): 3, (2, "other"): 1}
    q1, q2 = tally(QUESTIONS, counts, answered)
    yes, no, unsure = q1.options
    assert (q1.answered, q1.answered_moscow, q1.answered_other) == (4, 3, 1)
    assert (yes.count, yes.moscow, yes.other, yes.percent) == (3, 2, 1, 75.0)
    assert (yes.moscow_percent, yes.other_percent) == (66.7, 100.0)
    assert (no.count, no.percent, unsure.count, unsure.percent) == (1, 25.0, 0, 0.0)
    assert [o.count for o in q2.options] == [3, 1, 0, 0, 0]
    assert q2.options[0].percent == 75.0


def test_tally_without_ballots_is_all_zero():
    result = tally(QUESTIONS, [], {})
    assert all(o.count == 0 and o.percent == 0.0 for q in result for o in q.options)


ballot_strategy = st.tuples(
    st.sampled_from(["moscow", "other"]),
    st.sampled_from([11, 12, 13]),
    st.lists(st.sampled_from([21, 22, 23, 24]), min_size=1, max_size=2, unique=True),
)


@given(st.lists(ballot_strategy, max_size=60))
def test_tally_counts_sum_to_choices_and_percents_are_bounded(ballots):
    counts = Counter()
    answered = Counter()
    for region, single, multiple in ballots:
        counts[(single, region)] += 1
        for option in multiple:
            counts[(option, region)] += 1
        answered[(1, region)] += 1
        answered[(2, region)] += 1
    result = tally(QUESTIONS, [(o, r, n) for (o, r), n in counts.items()], answered)
    choices = len(ballots) + sum(len(m) for _, _, m in ballots)
    assert sum(o.count for q in result for o in q.options) == choices
    assert sum(o.moscow + o.other for q in result for o in q.options) == choices
    for q in result:
        assert q.answered == len(ballots)
        for o in q.options:
            assert 0.0 <= o.percent <= 100.0
            assert 0.0 <= o.moscow_percent <= 100.0 and 0.0 <= o.other_percent <= 100.0
    # A single-choice question's percents add up to 100 (give or take rounding).
    if ballots:
        assert abs(sum(o.percent for o in result[0].options) - 100.0) <= 0.15


TOGGLE_EXCLUSIVE = {"9"}


@pytest.mark.parametrize(
    ("selected", "option", "checked", "limit", "expected"),
    [
        ([], "1", True, 2, ["1"]),
        (["1"], "2", True, 2, ["1", "2"]),
        (["1", "2"], "3", True, 2, None),  # «не больше 2»: the third is refused
        (["1", "2"], "2", False, 2, ["1"]),
        (["1", "2"], "9", True, 2, ["9"]),  # «Затрудняюсь ответить» replaces the others
        (["9"], "1", True, 2, ["1"]),  # and is dropped by a real choice
        (["1"], "1", True, 1, ["1"]),  # ticking an already ticked option changes nothing
    ],
)
def test_multiple_choice_toggling(selected, option, checked, limit, expected):
    assert toggle_choice(selected, option, checked, exclusive=TOGGLE_EXCLUSIVE, limit=limit) == expected
