"""The owners' meeting protocol without rendering: Russian numbers, decisions, consistency checks, and
that the protocol's data has no place for owners' personal data."""

import dataclasses
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from ag_app.domain.meetings import AgendaItem, OwnerDecisions, tally_meeting
from ag_app.services.protocol_pdf import (
    ADOPTED,
    NOT_ADOPTED,
    NOT_VALID,
    ProtocolData,
    ProtocolQuestion,
    decision_of,
    format_m2,
    format_moscow,
    format_percent,
    protocol_questions,
    sample_protocol,
)

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0,00"),
        (Decimal("25"), "25,00"),
        (Decimal("999.99"), "999,99"),
        (Decimal("1000"), f"1{NBSP}000,00"),
        (Decimal("12345.675"), f"12{NBSP}345,68"),
        (Decimal("12345.674"), f"12{NBSP}345,67"),
        (Decimal("999.995"), f"1{NBSP}000,00"),
        (Decimal("0.005"), "0,01"),
        (1234567, f"1{NBSP}234{NBSP}567,00"),
        # A share of 1/3 of a 50 m² flat: 16,666… m².
        (Fraction(50, 3), "16,67"),
        (Fraction(100, 3), "33,33"),
    ],
)
def test_votes_are_printed_in_russian_format_with_two_decimals(value, expected):
    assert format_m2(value) == expected


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (Decimal("8412.55"), Decimal("10523.80"), f"79,94{NBSP}%"),
        (1, 3, f"33,33{NBSP}%"),
        (2, 3, f"66,67{NBSP}%"),
        (Decimal("500"), Decimal("500"), f"100,00{NBSP}%"),
        # Nobody took part: the shares of the participating votes are 0, not an error.
        (0, 0, f"0,00{NBSP}%"),
    ],
)
def test_percentages_have_two_decimals_rounded_half_up(part, whole, expected):
    assert format_percent(part, whole) == expected


def test_times_are_printed_in_moscow_time():
    protocol = sample_protocol()
    # 21:00 UTC on 10 November is midnight of 11 November in Moscow.
    assert format_moscow(protocol.starts_at) == "11.11.2026 00:00"
    assert format_moscow(protocol.ends_at.replace(tzinfo=None)) == "25.11.2026 20:00"


def protocol_with(total, participating, threshold, for_votes, against=0, abstain=0) -> ProtocolData:
    question = ProtocolQuestion(
        number=1,
        text="Вопрос",
        topic="other",
        threshold=threshold,
        for_votes=for_votes,
        against_votes=against,
        abstain_votes=abstain,
    )
    return dataclasses.replace(
        sample_protocol(), total_votes=total, participating_votes=participating, questions=(question,)
    )


@pytest.mark.parametrize(
    ("total", "participating", "threshold", "for_votes", "decision"),
    [
        # Exactly half of all votes took part: no quorum, nothing is adopted.
        (1000, 500, "majority_of_participants", 500, NOT_VALID),
        (1000, Decimal("500.01"), "majority_of_participants", Decimal("500.01"), ADOPTED),
        # Exactly half of the participants is not a majority.
        (1000, 600, "majority_of_participants", 300, NOT_ADOPTED),
        (1000, 600, "majority_of_participants", Decimal("300.01"), ADOPTED),
        (1000, 900, "majority_of_all", 500, NOT_ADOPTED),
        (1000, 900, "majority_of_all", Decimal("500.01"), ADOPTED),
        # Exactly 2/3 of all votes adopts; a hair below does not.
        (300, 250, "two_thirds_of_all", 200, ADOPTED),
        (300, 250, "two_thirds_of_all", Fraction(199999, 1000), NOT_ADOPTED),
        # Shares such as 1/3 stay exact: 2/3 of 100 m² is 66.666… m².
        (100, 100, "two_thirds_of_all", Fraction(200, 3), ADOPTED),
        (100, 100, "two_thirds_of_all", Decimal("66.67") - Decimal("0.01"), NOT_ADOPTED),
    ],
)
def test_decision_follows_quorum_and_threshold(total, participating, threshold, for_votes, decision):
    protocol = protocol_with(total, participating, threshold, for_votes)
    assert decision_of(protocol.questions[0], protocol) == decision


def test_sample_adopts_two_questions_and_rejects_two():
    protocol = sample_protocol()
    assert [decision_of(q, protocol) for q in protocol.questions] == [
        ADOPTED,
        ADOPTED,
        NOT_ADOPTED,
        NOT_ADOPTED,
    ]


def question(**changes) -> ProtocolQuestion:
    return dataclasses.replace(sample_protocol().questions[0], **changes)


@pytest.mark.parametrize(
    "changes",
    [
        {"initiator_kind": "person"},
        {"house_address": "  "},
        {"district": ""},
        {"in_person_address": ""},
        {"total_votes": 0},
        {"participating_votes": Decimal("-1")},
        {"participating_votes": Decimal("10523.81")},
        {"questions": ()},
        {"questions": (question(number=2),)},
        {"questions": (question(text=" "),)},
        {"questions": (question(topic="parking"),)},
        {"questions": (question(threshold="unanimous"),)},
        {"questions": (question(against_votes=Decimal("-0.01")),)},
        # «За» + «Против» + «Воздержался» above the participating votes.
        {"questions": (question(abstain_votes=Decimal("288.81")),)},
    ],
)
def test_inconsistent_data_is_refused(changes):
    with pytest.raises(ValueError):
        dataclasses.replace(sample_protocol(), **changes)


def test_voting_starts_after_the_notice_and_ends_after_it_starts():
    protocol = sample_protocol()
    with pytest.raises(ValueError):
        dataclasses.replace(protocol, starts_at=protocol.notified_at - timedelta(minutes=1))
    with pytest.raises(ValueError):
        dataclasses.replace(protocol, ends_at=protocol.starts_at)


def field_names(cls) -> set[str]:
    return {f.name for f in dataclasses.fields(cls)}


# Words of field names that would carry a person or their premises.
PERSONAL = {"name", "owner", "owners", "phone", "email", "user", "birth", "passport", "snils",
            "document", "apartment", "flat", "premise", "account", "fls", "signature", "signatory"}  # fmt: skip


def test_protocol_data_has_no_personal_data_field():
    names = field_names(ProtocolData) | field_names(ProtocolQuestion)
    assert not [n for n in names if PERSONAL & set(n.split("_"))]
    # Every field is listed here on purpose: a new one must be checked against SPEC §14 first.
    assert field_names(ProtocolData) == {
        "meeting_id",
        "house_address",
        "district",
        "initiator_kind",
        "notified_at",
        "starts_at",
        "ends_at",
        "in_person_address",
        "total_votes",
        "participating_votes",
        "questions",
    }
    assert field_names(ProtocolQuestion) == {
        "number",
        "text",
        "topic",
        "threshold",
        "for_votes",
        "against_votes",
        "abstain_votes",
    }


def test_questions_come_from_the_agenda_and_the_exact_tally():
    agenda = [
        AgendaItem(text="Капитальный ремонт крыши", topic="capital_repair", threshold="two_thirds_of_all"),
        AgendaItem(text="Текущий ремонт", topic="current_repair", threshold="majority_of_participants"),
    ]
    owners = [
        OwnerDecisions(weight=Fraction(50, 3), decisions={10: "for", 11: "against"}),
        OwnerDecisions(weight=Decimal("40.5"), decisions={10: "abstain", 11: "for"}),
        OwnerDecisions(weight=Decimal("30"), decisions={}),
    ]
    tally = tally_meeting({10: "two_thirds_of_all", 11: "majority_of_participants"}, owners, Decimal("100"))
    questions = protocol_questions(agenda, tally)
    assert [(q.number, q.text, q.topic, q.threshold) for q in questions] == [
        (1, "Капитальный ремонт крыши", "capital_repair", "two_thirds_of_all"),
        (2, "Текущий ремонт", "current_repair", "majority_of_participants"),
    ]
    assert (questions[0].for_votes, questions[0].abstain_votes) == (Fraction(50, 3), Fraction(81, 2))
    assert (questions[1].for_votes, questions[1].against_votes) == (Fraction(81, 2), Fraction(50, 3))


def test_questions_refuse_an_agenda_that_does_not_match_the_tally():
    agenda = [AgendaItem(text="Текущий ремонт", topic="current_repair", threshold="majority_of_all")]
    tally = tally_meeting({1: "majority_of_participants"}, [], Decimal("100"))
    with pytest.raises(ValueError):
        protocol_questions(agenda, tally)
    with pytest.raises(ValueError):
        protocol_questions([*agenda, *agenda], tally)
