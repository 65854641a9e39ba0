"""The staff poll form: Moscow time inputs, URL ids, list editing and the PollInput it builds."""

from datetime import UTC, datetime

import pytest

from ag_app.domain.errors import InvalidInput
from ag_app.domain.polls import PollProblems
from ag_app.state.staff_common import moscow_input, moscow_text, parse_moscow_input, poll_id_from_url
from ag_app.state.staff_poll_form import StaffPollFormState
from ag_app.state.staff_registry import decode_csv


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-25T10:00", datetime(2026, 11, 25, 7, 0, tzinfo=UTC)),  # Moscow is UTC+3 all year
        ("2026-07-01T00:30", datetime(2026, 6, 30, 21, 30, tzinfo=UTC)),
        (" 2026-01-01T03:00 ", datetime(2026, 1, 1, 0, 0, tzinfo=UTC)),
        ("", None),
        ("25.11.2026 10:00", None),
        ("2026-02-30T10:00", None),
    ],
)
def test_moscow_time_inputs_become_utc_instants(value, expected):
    assert parse_moscow_input(value) == expected


def test_moscow_formatting_round_trips():
    moment = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
    assert moscow_input(moment) == "2026-11-25T10:00"
    assert moscow_text(moment) == "25.11.2026 10:00"
    assert parse_moscow_input(moscow_input(moment)) == moment
    # SQLite hands back naive UTC values.
    assert moscow_text(datetime(2026, 11, 25, 7, 0)) == "25.11.2026 10:00"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://localhost:3000/staff/polls/17/edit", 17),
        ("/staff/polls/5/decisions?x=1", 5),
        ("/staff/polls/new", None),
        ("/staff/polls/abc/edit", None),
        ("/staff/polls", None),
    ],
)
def test_poll_id_comes_from_the_url(url, expected):
    assert poll_id_from_url(url) == expected


def test_csv_upload_decoding_accepts_utf8_bom_and_windows_1251():
    text = "last_name\nИванов\n"
    assert decode_csv(("\ufeff" + text).encode("utf-8")) == text
    assert decode_csv(text.encode("cp1251")) == text


def _form() -> StaffPollFormState:
    form = StaffPollFormState()
    form._reset_form()
    form.title = "Благоустройство"
    form.starts, form.ends = "2026-11-25T10:00", "2026-12-05T10:00"
    form.questions = [{"text": "Где?", "kind": "single", "max_choices": "1"}]
    form.options = [
        [{"text": "Здесь", "own": "", "exclusive": ""}, {"text": "Там", "own": "", "exclusive": ""}]
    ]
    return form


def test_questions_and_options_are_added_moved_and_removed_in_order():
    form = _form()
    form.add_question()
    form.set_question(1, "text", "Что?")
    form.set_question(1, "kind", "multiple")
    form.set_question(1, "max_choices", "2")
    form.set_option_text(1, 0, "А")
    form.set_option_text(1, 1, "Б")
    form.add_preset(1, "hard")
    form.add_preset(1, "own")
    form.move_question(1, -1)
    assert [q["text"] for q in form.questions] == ["Что?", "Где?"]
    assert [o["text"] for o in form.options[0]] == ["А", "Б", "Затрудняюсь ответить", "Свой вариант"]
    form.move_option(0, 3, -1)
    form.remove_option(0, 0)
    assert [o["text"] for o in form.options[0]] == ["Б", "Свой вариант", "Затрудняюсь ответить"]
    # Moving past either end and bad indexes change nothing.
    form.move_question(0, -1)
    form.move_option(0, 2, 1)
    form.remove_option(0, 9)
    form.remove_question(5)
    assert [q["text"] for q in form.questions] == ["Что?", "Где?"]
    assert len(form.options[0]) == 3
    form.remove_question(0)
    assert [q["text"] for q in form.questions] == ["Где?"]
    assert [o["text"] for o in form.options[0]] == ["Здесь", "Там"]


def test_switching_a_question_to_single_choice_resets_its_maximum():
    form = _form()
    form.set_question(0, "kind", "multiple")
    form.set_question(0, "max_choices", "2")
    form.set_question(0, "kind", "single")
    assert form.questions[0]["max_choices"] == "1"


def test_only_form_fields_can_be_set_by_name():
    form = _form()
    form.set_text("pid", "99")
    form.set_text("allowed", "1")
    form.set_flag("loaded", True)
    form.set_expert(0, "name", "x")
    assert form.pid == 0 and form.allowed is False and form.experts == []


def test_the_poll_input_carries_every_field():
    form = _form()
    form.scope = "territorial"
    form.toggle_okrug("3", True)
    form.toggle_district("12", True)
    form.toggle_district("12", True)
    form.toggle_district("not-an-id", True)
    form.include_work, form.hide_intermediate = True, True
    form.min_level, form.age_min, form.age_max, form.points = "2", "3", "7", ""
    form.add_expert()
    form.set_expert(0, "name", "Иванова")
    form.set_expert(0, "title", "Архитектор")
    form.set_expert(0, "text", "Нужно.")
    form.set_option_flag(0, 1, "exclusive", True)
    data = form._poll_input()
    assert data.title == "Благоустройство"
    assert data.starts_at == datetime(2026, 11, 25, 7, tzinfo=UTC)
    assert data.ends_at == datetime(2026, 12, 5, 7, tzinfo=UTC)
    assert (data.scope, data.okrug_ids, data.district_ids) == ("territorial", [3], [12])
    assert (data.include_work_address, data.hide_intermediate, data.min_level) == (True, True, 2)
    assert (data.children_age_min, data.children_age_max, data.points) == (3, 7, None)
    assert [(e.name, e.title, e.text) for e in data.experts] == [("Иванова", "Архитектор", "Нужно.")]
    assert [(o.text, o.is_own_text, o.is_exclusive) for o in data.questions[0].options] == [
        ("Здесь", False, False),
        ("Там", False, True),
    ]


def test_a_city_wide_poll_sends_no_territory():
    form = _form()
    form.toggle_okrug("3", True)
    assert form._poll_input().okrug_ids == []


@pytest.mark.parametrize(
    ("field", "value", "key"),
    [
        ("starts", "", "poll.dates_required"),
        ("ends", "завтра", "poll.dates_required"),
        ("points", "двадцать", "poll.points_invalid"),
        ("age_min", "3.5", "poll.children_ages_invalid"),
    ],
)
def test_unparsable_inputs_are_refused_with_a_message(field, value, key):
    form = _form()
    setattr(form, field, value)
    with pytest.raises(InvalidInput) as caught:
        form._poll_input()
    assert caught.value.key == key


def test_an_empty_new_form_lists_every_problem_and_marks_the_fields():
    form = StaffPollFormState()
    form._reset_form()
    form.points = "много"
    with pytest.raises(PollProblems) as caught:
        form._poll_input()
    refused = caught.value
    assert [problem.key for _, problem in refused.problems] == [
        "poll.dates_required",
        "poll.points_invalid",
        "poll.title_required",
        "poll.question_text_required",
    ]
    assert refused.fields == ["starts", "points", "title", "question-1"]
    assert "Ошибок: 4." in str(refused)
    assert "Укажите текст вопроса 1." in str(refused)
