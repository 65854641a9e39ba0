"""Issue 17: a refused house form lists every problem at once and names the fields to mark."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from ag_app.domain.errors import FormProblems, InvalidInput
from ag_app.domain.form_check import FormCheck
from ag_app.domain.house_polls import HousePollInput, HouseQuestionInput, validate_application
from ag_app.domain.meetings import AgendaItem, MeetingInput, clean_inspection_reference, validate_meeting
from ag_app.domain.renovation import CampaignInput, check_campaign
from ag_app.i18n import message

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
DAY = timedelta(days=1)
POLL = HousePollInput(
    kind="poll",
    title="Благоустройство двора",
    audience=frozenset({"owners"}),
    starts_at=NOW + DAY,
    ends_at=NOW + 8 * DAY,
    questions=[HouseQuestionInput(text="Где лавочки?", options=["У подъезда", "У площадки"])],
)
BLANK_POLL = HousePollInput(
    kind="poll",
    title=" ",
    audience=frozenset(),
    starts_at=NOW - DAY,
    ends_at=NOW - 2 * DAY,
    questions=[HouseQuestionInput(text="", options=["", ""])],
)


def test_form_check_one_problem_keeps_its_own_key_and_names_its_field():
    check = FormCheck("house_poll.form_problems")
    check.add("title", "house_poll.title_too_long", limit=300)
    with pytest.raises(FormProblems) as caught:
        check.done()
    assert (caught.value.key, caught.value.params) == ("house_poll.title_too_long", {"limit": 300})
    assert caught.value.problems == {"title": message("house_poll.title_too_long", limit=300)}


def test_form_check_counts_every_sentence_even_two_for_one_field():
    check = FormCheck(
        "house_poll.form_problems", [("starts", InvalidInput("house_poll.page_dates_required"))]
    )
    check.add("message", "house_poll.message_required")
    check.add("message", "house_poll.message_too_long", limit=5000)
    with pytest.raises(FormProblems) as caught:
        check.done()
    assert set(caught.value.problems) == {"starts", "message"}
    assert "Ошибок: 3." in str(caught.value)
    assert message("house_poll.message_too_long", limit=5000) in caught.value.problems["message"]


def test_form_check_without_problems_passes():
    FormCheck("house_poll.form_problems").done()


@pytest.mark.parametrize(
    ("data", "prior", "fields"),
    [
        # a blank form names every required field at once
        (
            BLANK_POLL,
            (),
            {
                "title": "house_poll.title_required",
                "audience": "house_poll.audience_required",
                "starts": "house_poll.starts_in_past",
                "ends": "house_poll.dates_order",
                "question-1": "house_poll.question_text_required",
            },
        ),
        (
            replace(BLANK_POLL, kind="informing", questions=[]),
            (),
            {
                "title": "house_poll.title_required",
                "audience": "house_poll.audience_required",
                "starts": "house_poll.starts_in_past",
                "ends": "house_poll.dates_order",
                "message": "house_poll.message_required",
            },
        ),
        # two independent mistakes are both reported
        (
            replace(POLL, title="т" * 301, audience=frozenset({"guests"})),
            (),
            {"title": "house_poll.title_too_long", "audience": "house_poll.audience_invalid"},
        ),
        (
            replace(
                POLL,
                questions=[
                    HouseQuestionInput(text="Да?", options=["Да"]),
                    HouseQuestionInput(text="Нет?", options=["Нет", " нет"]),
                ],
                ends_at=POLL.starts_at,
            ),
            (),
            {
                "ends": "house_poll.dates_order",
                "question-1": "house_poll.options_required",
                "question-2": "house_poll.option_duplicate",
            },
        ),
        (
            replace(POLL, questions=[]),
            (("house", InvalidInput("house_poll.page_house_required")),),
            {"house": "house_poll.page_house_required", "questions": "house_poll.questions_required"},
        ),
        # a date the form could not read is not checked again
        (
            replace(POLL, title="", starts_at=NOW - DAY),
            (("period", InvalidInput("house_poll.page_dates_required")),),
            {"period": "house_poll.page_dates_required", "title": "house_poll.title_required"},
        ),
    ],
)
def test_validate_application_lists_every_problem(data, prior, fields):
    with pytest.raises(FormProblems) as caught:
        validate_application(data, now=NOW, prior=prior)
    assert caught.value.key == "house_poll.form_problems"
    assert set(caught.value.problems) == set(fields)
    for field, key in fields.items():
        params = {"limit": 300} if key == "house_poll.title_too_long" else {}
        if field.startswith("question-"):
            params = {"number": int(field.split("-")[1])}
        assert caught.value.problems[field] == message(key, **params)
        assert message(key, **params) in str(caught.value)
    assert f"Ошибок: {len(fields)}." in str(caught.value)


@pytest.mark.parametrize("data", [POLL, replace(POLL, kind="informing", questions=[], message="Субботник")])
def test_a_valid_application_passes(data):
    assert validate_application(data, now=NOW).title == data.title


# --- owners' meetings -------------------------------------------------------------------------

NOTIFIED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
MEETING = MeetingInput(
    agenda=[AgendaItem("Избрать председателя собрания.", "organisational")],
    starts_at=datetime(2026, 3, 12, tzinfo=UTC),
    ends_at=datetime(2026, 3, 26, tzinfo=UTC),
    in_person_address="ул. Тверская, д. 13",
)


@pytest.mark.parametrize(
    ("data", "prior", "fields"),
    [
        # a blank form names every required field at once
        (
            MeetingInput(agenda=[], starts_at=NOTIFIED, ends_at=NOTIFIED, in_person_address=" "),
            (),
            {"agenda", "starts", "ends", "address"},
        ),
        (
            replace(MEETING, agenda=[AgendaItem(" ", "organisational")], in_person_address=""),
            (
                ("house", InvalidInput("meeting.house_required")),
                ("period", InvalidInput("meeting.date_invalid")),
            ),
            {"house", "period", "question-1", "address"},
        ),
        # two independent mistakes are both reported, every question checked
        (
            replace(
                MEETING,
                agenda=[
                    AgendaItem("Капремонт крыши.", "capital_repair", "simple_majority"),
                    AgendaItem("Прочее.", "unknown_topic"),
                ],
                in_person_address="д" * 501,
            ),
            (),
            {"question-1", "question-2", "address"},
        ),
    ],
)
def test_validate_meeting_lists_every_problem(data, prior, fields):
    with pytest.raises(FormProblems) as caught:
        validate_meeting(data, notified_at=NOTIFIED, prior=prior)
    assert caught.value.key == "meeting.form_problems"
    assert set(caught.value.problems) == fields
    assert f"Ошибок: {len(fields)}." in str(caught.value)
    for sentence in caught.value.problems.values():
        assert sentence in str(caught.value)


def test_validate_meeting_passes_a_valid_form():
    assert validate_meeting(MEETING, notified_at=NOTIFIED).agenda[0].threshold


@pytest.mark.parametrize(
    ("reference", "prior", "fields"),
    [
        (" ", (("house", InvalidInput("meeting.house_required")),), {"house", "reference"}),
        ("М" * 201, (("house", InvalidInput("meeting.house_required")),), {"house", "reference"}),
        (" ", (), {"reference"}),
    ],
)
def test_enabling_a_house_lists_both_problems(reference, prior, fields):
    with pytest.raises(FormProblems) as caught:
        clean_inspection_reference(reference, limit=200, prior=prior)
    assert set(caught.value.problems) == fields


def test_enabling_a_house_passes_a_reference():
    assert clean_inspection_reference("  МЖИ № 5 ", limit=200) == "МЖИ № 5"


# --- renovation-type house votes --------------------------------------------------------------

CAMPAIGN = CampaignInput(
    title="Реновация",
    question="Включить дом в программу?",
    starts_at=NOW + DAY,
    ends_at=NOW + 8 * DAY,
    house_ids=[3, 1, 3],
)
LIMITS = {"title_limit": 300, "question_limit": 1000, "houses_limit": 2}


@pytest.mark.parametrize(
    ("data", "missing", "fields"),
    [
        # a blank form names every required field at once
        (
            CampaignInput(title="", question=" ", starts_at=None, ends_at=None, house_ids=[]),
            (),
            {
                "title": "renovation.title_required",
                "question": "renovation.question_required",
                "period": "renovation.period_invalid",
                "houses": "renovation.houses_required",
            },
        ),
        # two independent mistakes are both reported
        (
            replace(CAMPAIGN, ends_at=NOW - DAY, starts_at=NOW - 2 * DAY),
            (3,),
            {
                "ends": "renovation.ends_in_past",
                "houses": "renovation.house_without_apartments",
            },
        ),
        (
            replace(CAMPAIGN, question="в" * 1001, starts_at=None, house_ids=[1, 2, 3]),
            (),
            {
                "question": "renovation.question_too_long",
                "starts": "renovation.period_invalid",
                "houses": "renovation.too_many_houses",
            },
        ),
    ],
)
def test_check_campaign_lists_every_problem(data, missing, fields):
    with pytest.raises(FormProblems) as caught:
        check_campaign(data, now=NOW, without_apartments=missing, **LIMITS)
    assert caught.value.key == "renovation.form_problems"
    assert set(caught.value.problems) == set(fields)
    params = {
        "renovation.house_without_apartments": {"house": 3},
        "renovation.question_too_long": {"limit": 1000},
        "renovation.too_many_houses": {"limit": 2},
    }
    for field, key in fields.items():
        assert caught.value.problems[field] == message(key, **params.get(key, {}))
    assert f"Ошибок: {len(fields)}." in str(caught.value)


def test_check_campaign_single_problem_keeps_its_sentence():
    with pytest.raises(FormProblems) as caught:
        check_campaign(replace(CAMPAIGN, ends_at=CAMPAIGN.starts_at), now=NOW, **LIMITS)
    assert (caught.value.key, caught.value.problems) == (
        "renovation.period_invalid",
        {"ends": message("renovation.period_invalid")},
    )


def test_check_campaign_passes_and_cleans_a_valid_form():
    clean = check_campaign(replace(CAMPAIGN, title="  Реновация "), now=NOW, **LIMITS)
    assert (clean.title, list(clean.house_ids)) == ("Реновация", [1, 3])
