"""Rules of «Электронный дом» house polls and informings (SPEC §6)."""

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from ag_app.domain.errors import InvalidInput
from ag_app.domain.house_polls import (
    AUDIENCES,
    MAX_QUESTIONS,
    REFUSAL_REASONS,
    HousePollInput,
    HouseQuestionInput,
    check_approvable,
    check_rating,
    clean_participation,
    house_roles,
    in_audience,
    initiator_roles,
    moderation_deadline,
    status,
    validate_application,
    validate_refusal,
    why_cannot_apply,
)
from ag_app.i18n import message

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # Monday, 18:00 МСК
DAY = timedelta(days=1)
QUESTION = HouseQuestionInput(
    text="Где поставить лавочки?", kind="single", options=["У подъезда", "У детской площадки"]
)
POLL = HousePollInput(
    kind="poll",
    title="Благоустройство двора",
    audience=frozenset({"owners", "residents"}),
    starts_at=NOW + DAY,
    ends_at=NOW + 8 * DAY,
    questions=[QUESTION],
)
INFORMING = HousePollInput(
    kind="informing",
    title="Субботник",
    audience=frozenset({"residents"}),
    starts_at=NOW + DAY,
    ends_at=NOW + 8 * DAY,
    message="Субботник в субботу в 10:00, сбор у первого подъезда.",
)


def test_a_poll_is_returned_cleaned():
    data = replace(
        POLL,
        title="  Благоустройство двора ",
        questions=[
            HouseQuestionInput(text=" Цвет скамеек? ", kind="multiple", options=[" Зелёный", "Синий "])
        ],
    )
    cleaned = validate_application(data, now=NOW)
    assert cleaned.title == "Благоустройство двора"
    assert cleaned.questions == [HouseQuestionInput("Цвет скамеек?", "multiple", ["Зелёный", "Синий"])]


def test_an_informing_and_a_poll_of_ten_questions_are_accepted():
    assert validate_application(INFORMING, now=NOW).message == INFORMING.message
    assert (
        len(validate_application(replace(POLL, questions=[QUESTION] * MAX_QUESTIONS), now=NOW).questions)
        == 10
    )
    assert (
        validate_application(replace(POLL, starts_at=NOW), now=NOW).starts_at == NOW
    )  # starting now is fine


def _q(**changes):
    return replace(QUESTION, **changes)


@pytest.mark.parametrize(
    ("data", "key", "params"),
    [
        (replace(POLL, kind="survey"), "house_poll.kind_invalid", {}),
        (replace(POLL, title="   "), "house_poll.title_required", {}),
        (replace(POLL, title="Т" * 301), "house_poll.title_too_long", {"limit": 300}),
        (replace(POLL, audience=frozenset()), "house_poll.audience_required", {}),
        (replace(POLL, audience=frozenset({"owners", "guests"})), "house_poll.audience_invalid", {}),
        (replace(POLL, starts_at=NOW - timedelta(minutes=1)), "house_poll.starts_in_past", {}),
        (replace(POLL, ends_at=POLL.starts_at), "house_poll.dates_order", {}),
        (replace(POLL, questions=[]), "house_poll.questions_required", {}),
        (replace(POLL, questions=[QUESTION] * 11), "house_poll.too_many_questions", {"limit": 10}),
        (
            replace(POLL, questions=[QUESTION, _q(text=" ")]),
            "house_poll.question_text_required",
            {"number": 2},
        ),
        (
            replace(POLL, questions=[_q(text="в" * 1001)]),
            "house_poll.question_too_long",
            {"number": 1, "limit": 1000},
        ),
        (replace(POLL, questions=[_q(kind="ranking")]), "house_poll.question_kind_invalid", {"number": 1}),
        (replace(POLL, questions=[_q(options=["Да"])]), "house_poll.options_required", {"number": 1}),
        (
            replace(POLL, questions=[_q(options=[str(i) for i in range(21)])]),
            "house_poll.too_many_options",
            {"number": 1, "limit": 20},
        ),
        (
            replace(POLL, questions=[_q(options=["Да", " "])]),
            "house_poll.option_text_required",
            {"number": 1},
        ),
        (
            replace(POLL, questions=[_q(options=["Да", "д" * 501])]),
            "house_poll.option_too_long",
            {"number": 1, "limit": 500},
        ),
        (replace(POLL, questions=[_q(options=["Да", " да"])]), "house_poll.option_duplicate", {"number": 1}),
        (replace(INFORMING, message=" "), "house_poll.message_required", {}),
        (replace(INFORMING, message="с" * 5001), "house_poll.message_too_long", {"limit": 5000}),
        (replace(INFORMING, questions=[QUESTION]), "house_poll.informing_has_questions", {}),
    ],
)
def test_validate_application_refusals(data, key, params):
    with pytest.raises(InvalidInput) as caught:
        validate_application(data, now=NOW)
    assert (caught.value.key, caught.value.params) == (key, params)


@pytest.mark.parametrize(
    ("registry", "addresses", "organisations", "roles"),
    [
        ({"owner"}, set(), set(), {"owner"}),
        (set(), {"property"}, set(), set()),  # a profile property address alone does not make an owner
        ({"resident"}, set(), set(), {"registered_resident"}),
        (set(), {"registration"}, set(), {"registered_resident"}),
        (set(), {"residence"}, set(), set()),  # living there without registration is not enough
        ({"social_tenant"}, set(), set(), set()),
        (set(), set(), {"management_company"}, {"management_company"}),
        (set(), set(), {"hoa", "bank"}, {"hoa"}),
        ({"owner", "resident"}, {"registration"}, set(), {"owner", "registered_resident"}),
    ],
)
def test_initiator_roles(registry, addresses, organisations, roles):
    found = initiator_roles(
        registry_roles=registry, address_kinds=addresses, organisation_roles=organisations
    )
    assert found == roles


@pytest.mark.parametrize(
    ("level", "roles", "expected"),
    [
        (3, {"owner"}, None),
        (3, {"registered_resident"}, None),
        (3, {"management_company"}, None),
        (3, {"hoa"}, None),
        (2, {"owner"}, "house_poll.level_required"),
        (3, set(), "house_poll.not_authorised"),
        (1, set(), "house_poll.not_authorised"),  # the role is checked first
    ],
)
def test_why_cannot_apply(level, roles, expected):
    refusal = why_cannot_apply(level=level, roles=roles)
    assert (refusal.key if refusal else None) == expected
    if refusal is not None:
        assert message(refusal.key, **refusal.params)


@pytest.mark.parametrize(
    ("registry", "addresses", "audience", "expected"),
    [
        ({"owner"}, set(), {"owners"}, True),
        (set(), {"property"}, {"owners"}, True),  # SPEC §6.4: profile addresses place users
        (set(), {"residence"}, {"residents"}, True),
        (set(), {"registration"}, {"owners"}, False),
        ({"social_tenant"}, set(), {"social_tenants"}, True),
        ({"social_tenant"}, set(), {"owners", "residents"}, False),
        ({"social_tenant"}, {"residence"}, {"residents"}, True),
        (set(), {"work"}, set(AUDIENCES), False),  # a work address is nobody in the house
        (set(), set(), set(AUDIENCES), False),
    ],
)
def test_audience(registry, addresses, audience, expected):
    roles = house_roles(registry_roles=registry, address_kinds=addresses)
    assert in_audience(audience, roles) is expected


def test_the_ten_refusal_reasons_of_the_seed():
    assert list(REFUSAL_REASONS) == [
        "not_authorised",
        "rules",
        "off_topic",
        "duplicate",
        "insults",
        "hate",
        "personal_data",
        "errors",
        "obscene",
        "audience_mismatch",
    ]
    for label in REFUSAL_REASONS.values():
        assert re.match("[А-Я]", label) and label.endswith(".")


@pytest.mark.parametrize(
    ("reasons", "expected"),
    [
        (["obscene", "insults", "obscene"], ("insults", "obscene")),  # once each, in list order
        ({"audience_mismatch"}, ("audience_mismatch",)),
    ],
)
def test_validate_refusal(reasons, expected):
    assert validate_refusal(reasons) == expected


@pytest.mark.parametrize(
    ("reasons", "key"), [([], "required"), (["rude"], "unknown"), (["hate", ""], "unknown")]
)
def test_validate_refusal_refusals(reasons, key):
    with pytest.raises(InvalidInput) as caught:
        validate_refusal(reasons)
    assert caught.value.key == f"house_poll.refusal_reason_{key}"


@pytest.mark.parametrize(
    ("filed", "due"),
    [
        # Monday 2 March 2026, 18:00 МСК: 3, 4, 5, 6 and 10 March (9 March is a holiday).
        (NOW, datetime(2026, 3, 10, 21, 0, tzinfo=UTC)),
        # Filed on Saturday 2 May 2026: 4–8 May (9–11 May are days off).
        (datetime(2026, 5, 2, 9, 0, tzinfo=UTC), datetime(2026, 5, 8, 21, 0, tzinfo=UTC)),
    ],
)
def test_moderation_deadline_is_five_working_days(filed, due):
    assert moderation_deadline(filed) == due


@pytest.mark.parametrize(
    ("approved", "refused", "now", "expected"),
    [
        (None, None, NOW, "moderation"),
        (None, NOW, NOW, "refused"),
        (NOW, None, NOW, "scheduled"),
        (NOW, None, NOW + DAY, "active"),  # the start is inclusive
        (NOW, None, NOW + 8 * DAY, "finished"),  # the end is exclusive
    ],
)
def test_status(approved, refused, now, expected):
    assert (
        status(approved_at=approved, refused_at=refused, starts_at=NOW + DAY, ends_at=NOW + 8 * DAY, now=now)
        == expected
    )


def test_an_application_whose_period_is_over_cannot_be_approved():
    check_approvable(ends_at=NOW + DAY, now=NOW)
    with pytest.raises(InvalidInput) as caught:
        check_approvable(ends_at=NOW, now=NOW)
    assert caught.value.key == "house_poll.period_over"


@pytest.mark.parametrize(
    ("apartment", "comment", "expected"),
    [
        ("", "", ("", "")),
        (" 12 ", " Спасибо! ", ("12", "Спасибо!")),
        ("7а", "", ("7а", "")),
        ("12/1", "", ("12/1", "")),
    ],
)
def test_clean_participation(apartment, comment, expected):
    assert clean_participation(apartment=apartment, comment=comment) == expected


@pytest.mark.parametrize(
    ("apartment", "comment", "key"),
    [
        ("12345678901", "", "house_poll.apartment_invalid"),
        ("<b>", "", "house_poll.apartment_invalid"),
        ("/12", "", "house_poll.apartment_invalid"),
        ("12", "к" * 1001, "house_poll.comment_too_long"),
    ],
)
def test_clean_participation_refusals(apartment, comment, key):
    with pytest.raises(InvalidInput) as caught:
        clean_participation(apartment=apartment, comment=comment)
    assert caught.value.key == key


def test_check_rating():
    assert [check_rating(r) for r in ("like", "dislike")] == ["like", "dislike"]
    with pytest.raises(InvalidInput) as caught:
        check_rating("love")
    assert caught.value.key == "house_poll.rating_invalid"
