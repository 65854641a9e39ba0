"""Rules of owners' meetings (SPEC §7): weights, quorum, thresholds, the live meter, agenda, period."""

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ag_app.domain.errors import InvalidInput
from ag_app.domain.meetings import (
    MAX_AGENDA,
    THRESHOLDS,
    TOPICS,
    AgendaItem,
    MeetingInput,
    OwnerDecisions,
    can_still_be_adopted,
    check_decision,
    default_threshold,
    earliest_voting_start,
    meeting_state,
    normalize_scan_hash,
    owner_votes,
    owner_weight,
    question_adopted,
    quorum_reached,
    quorum_still_needed,
    round_m2,
    tally_meeting,
    validate_agenda,
    validate_meeting,
    votes_still_needed,
    why_cannot_file,
)
from ag_app.i18n import message

D = Decimal
F = Fraction
CENT = D("0.01")


@pytest.mark.parametrize(
    ("area", "share", "votes"),
    [
        (D("50"), F(1), D("50")),  # SPEC §7.3: a 50 m² flat holds 50 votes
        (D("50"), F(1, 2), D("25")),
        (D("50.5"), F(1, 2), D("25.25")),
        (D("72.35"), F(1, 4), D("18.0875")),  # not rounded to 0.01
        (D("33.30"), F(2, 5), D("13.32")),
        (D("0.01"), F(1, 8), D("0.00125")),
        (D("60"), F(1, 3), D("20")),  # a third of 60 terminates
        (D("1234.56"), F(17, 100), D("209.8752")),
    ],
)
def test_owner_votes_is_area_times_share_exactly(area, share, votes):
    assert owner_votes(area, share) == votes
    assert F(owner_votes(area, share)) == owner_weight(area, share) == F(area) * share


def test_owner_votes_of_a_third_keeps_forty_digits_and_the_weight_stays_exact():
    assert owner_votes(D("10"), F(1, 3)) == D("3." + "3" * 39)
    assert owner_weight(D("10"), F(1, 3)) == F(10, 3)


@pytest.mark.parametrize(
    ("participating", "total", "expected"),
    [
        (D("500.01"), D("1000"), True),
        (D("500"), D("1000"), False),  # exactly half is not «more than 50 %»
        (D("500.00"), D("1000.00"), False),
        (D("1000"), D("1000"), True),
        (D("0"), D("1000"), False),
        (D("0"), D("0"), False),  # a house without votes has no quorum
        (F(1001, 2), D("1000"), True),  # fractions from shares such as 1/3 are compared exactly
        (F(20, 3), D("13.33"), True),  # 13.333… > 13.33
        (F(20, 3), F(40, 3), False),
    ],
)
def test_quorum_reached(participating, total, expected):
    assert quorum_reached(participating, total) is expected


@pytest.mark.parametrize(
    ("for_votes", "participating", "total", "threshold", "expected"),
    [
        # more than half of the participants
        ("300.01", "600", "1000", "majority_of_participants", True),
        ("300", "600", "1000", "majority_of_participants", False),  # exactly half
        ("500", "500", "1000", "majority_of_participants", False),  # everyone «за», but no quorum
        ("250.01", "500.02", "1000", "majority_of_participants", False),  # 500.02 of 500.02 needs 250.02
        ("250.02", "500.02", "1000", "majority_of_participants", True),
        # more than half of all votes of the house
        ("500", "800", "1000", "majority_of_all", False),
        ("500.01", "800", "1000", "majority_of_all", True),
        ("400", "800", "1000", "majority_of_all", False),  # a majority of participants is not enough
        # at least two thirds of all votes of the house
        ("600", "600", "900", "two_thirds_of_all", True),  # exactly 2/3 adopts
        ("599.99", "900", "900", "two_thirds_of_all", False),
        ("666.66", "700", "1000", "two_thirds_of_all", False),  # 2/3 of 1000 is 666.666…
        ("666.67", "700", "1000", "two_thirds_of_all", True),
        ("0", "0", "0", "two_thirds_of_all", False),
    ],
)
def test_question_adopted(for_votes, participating, total, threshold, expected):
    assert question_adopted(D(for_votes), D(participating), D(total), threshold) is expected


def test_three_co_owners_of_a_third_each_reach_exactly_two_thirds():
    # 10 m² owned 1/3 each by three people, plus a 5 m² flat: 15 votes. The three hold exactly 10.
    thirds = sum((owner_weight(D("10"), F(1, 3)) for _ in range(3)), F(0))
    assert thirds == 10
    assert question_adopted(thirds, thirds, D("15"), "two_thirds_of_all")
    assert not question_adopted(thirds - F(1, 10**30), thirds, D("15"), "two_thirds_of_all")


def test_unknown_threshold_is_a_programming_error():
    with pytest.raises(ValueError):
        question_adopted(D("1"), D("1"), D("1"), "unanimity")


@pytest.mark.parametrize(
    ("for_votes", "participating", "total", "threshold", "needed"),
    [
        ("700", "800", "1000", "two_thirds_of_all", "0.00"),  # adopted
        ("600", "700", "1000", "two_thirds_of_all", "66.67"),  # 666.666… − 600, up to whole hundredths
        ("600", "600", "900", "two_thirds_of_all", "0.00"),
        ("599.99", "600", "900", "two_thirds_of_all", "0.01"),  # «at least»: exactly the gap
        ("400", "600", "1000", "majority_of_all", "100.01"),  # «more than»: above the gap
        ("500", "600", "1000", "majority_of_all", "0.01"),
        ("300", "400", "1000", "majority_of_participants", "100.01"),  # the quorum is what lacks
        ("300", "600", "1000", "majority_of_participants", "0.01"),  # a tie among participants
        ("100", "600", "1000", "majority_of_participants", "400.01"),  # newcomers count on both sides
        ("0", "0", "1000", "majority_of_participants", "500.01"),
    ],
)
def test_votes_still_needed(for_votes, participating, total, threshold, needed):
    assert votes_still_needed(D(for_votes), D(participating), D(total), threshold) == D(needed)


_HUNDREDTHS = st.integers(min_value=0, max_value=100_000)


@given(
    a=_HUNDREDTHS,
    b=_HUNDREDTHS,
    c=st.integers(min_value=1, max_value=100_000),
    denominator=st.sampled_from([1, 3, 7]),
    threshold=st.sampled_from(list(THRESHOLDS)),
)
def test_votes_still_needed_is_the_smallest_amount_that_adopts(a, b, c, denominator, threshold):
    for_, participating, total = sorted(F(x, 100 * denominator) for x in (a, a + b, a + b + c))
    needed = votes_still_needed(for_, participating, total, threshold)
    assert needed >= 0 and needed == needed.quantize(CENT)
    # The newcomers' «За» raise the participating votes as well.
    assert question_adopted(for_ + F(needed), participating + F(needed), total, threshold)
    if needed > 0:
        less = F(needed - CENT)
        assert not question_adopted(for_ + less, participating + less, total, threshold)
    else:
        assert question_adopted(for_, participating, total, threshold)


@pytest.mark.parametrize(
    ("participating", "total", "needed"),
    [("400", "1000", "100.01"), ("500", "1000", "0.01"), ("500.01", "1000", "0.00"), ("0", "0.03", "0.02")],
)
def test_quorum_still_needed(participating, total, needed):
    assert quorum_still_needed(D(participating), D(total)) == D(needed)


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("1", "2", "0", "majority_of_all"), ValueError),  # no votes in the house
        (("3", "2", "10", "majority_of_all"), ValueError),  # more «за» than participants
        (("1", "11", "10", "majority_of_all"), ValueError),
    ],
)
def test_votes_still_needed_refuses_impossible_counts(args, error):
    with pytest.raises(error):
        votes_still_needed(*(D(x) for x in args[:3]), args[3])


@pytest.mark.parametrize(
    ("for_votes", "answered", "total", "threshold", "expected"),
    [
        ("300", "800", "1000", "two_thirds_of_all", False),  # 300 + 200 left < 666.67
        ("500", "800", "1000", "two_thirds_of_all", True),  # 500 + 200 ≥ 666.67
        ("300", "800", "1000", "majority_of_participants", False),  # at best 500 of 1000
        ("300.01", "800", "1000", "majority_of_participants", True),
        ("0", "0", "1000", "majority_of_all", True),
    ],
)
def test_can_still_be_adopted(for_votes, answered, total, threshold, expected):
    assert can_still_be_adopted(D(for_votes), D(answered), D(total), threshold) is expected


@pytest.mark.parametrize(
    ("topic", "threshold"),
    [
        ("capital_repair", "two_thirds_of_all"),
        ("land_plot", "two_thirds_of_all"),
        ("common_property", "two_thirds_of_all"),
        ("management_method", "majority_of_participants"),
        ("current_repair", "majority_of_participants"),
        ("organisational", "majority_of_participants"),
        ("other", "majority_of_participants"),
    ],
)
def test_default_threshold_by_topic(topic, threshold):
    assert default_threshold(topic) == threshold
    assert TOPICS[topic]


def test_every_topic_has_a_default_and_unknown_topics_are_errors():
    assert {default_threshold(topic) for topic in TOPICS} <= THRESHOLDS.keys()
    with pytest.raises(ValueError):
        default_threshold("weather")


@pytest.mark.parametrize(
    ("value", "shown"),
    [(F(10, 3), "3.33"), (F(2, 3), "0.67"), (D("0.005"), "0.01"), (D("0.004"), "0.00"), (D("12"), "12.00")],
)
def test_round_m2_is_half_up_to_hundredths(value, shown):
    assert str(round_m2(value)) == shown


# ----------------------------------------------------------------------------------------------
# The tally

THIRD = owner_weight(D("10.00"), F(1, 3))
AGENDA = {1: "two_thirds_of_all", 2: "majority_of_participants", 3: "majority_of_all"}


def _owner(weight, **decisions):
    return OwnerDecisions(weight, {int(k[1:]): v for k, v in decisions.items()})


def test_tally_of_co_owners_with_thirds():
    # Flat 1: 10 m², three co-owners 1/3 each; flat 2: 5 m², one owner who does not take part.
    owners = [
        _owner(THIRD, q1="for", q2="for", q3="for"),
        _owner(THIRD, q1="for", q2="against", q3="for"),
        _owner(THIRD, q1="for", q2="abstain"),
        _owner(owner_weight(D("5"), F(1))),
    ]
    tally = tally_meeting(AGENDA, owners, D("15"))
    assert (tally.total, tally.participating, tally.quorum, tally.quorum_needed) == (15, 10, True, 0)
    q1, q2, q3 = tally.questions
    assert (q1.for_votes, q1.answered, q1.adopted, q1.needed) == (10, 10, True, 0)  # exactly 2/3
    assert (q2.for_votes, q2.against_votes, q2.abstain_votes) == (F(10, 3), F(10, 3), F(10, 3))
    assert not q2.adopted and q2.possible  # the absent owner's 5 m² would make 25/3 of 15
    assert q2.needed == D("3.34")  # x > 10 − 20/3 = 3.333…
    assert (q3.for_votes, q3.answered, q3.adopted) == (F(20, 3), F(20, 3), False)
    assert q3.needed == D("0.84")  # x > 7.5 − 6.666…
    assert q3.possible


def test_nothing_is_adopted_without_quorum():
    owners = [_owner(THIRD), _owner(THIRD), _owner(THIRD), _owner(D("5"), q1="for", q2="for", q3="for")]
    tally = tally_meeting(AGENDA, owners, D("15"))
    assert (tally.participating, tally.quorum, tally.quorum_needed) == (5, False, D("2.51"))
    assert [q.adopted for q in tally.questions] == [False, False, False]
    assert tally.questions[1].needed == D("2.51")  # majority of participants: the quorum lacks


def test_a_house_where_nobody_took_part():
    tally = tally_meeting(AGENDA, [_owner(D("7.5")), _owner(D("7.5"))], D("15"))
    assert (tally.participating, tally.quorum) == (0, False)
    assert [q.needed for q in tally.questions] == [D("10.00"), D("7.51"), D("7.51")]
    assert all(q.possible for q in tally.questions)


@given(
    weights=st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=30),
    choices=st.lists(
        st.fixed_dictionaries(
            {}, optional={q: st.sampled_from(["for", "against", "abstain"]) for q in AGENDA}
        ),
        min_size=30,
        max_size=30,
    ),
    seed=st.integers(),
)
def test_tally_is_a_full_recount_in_any_order(weights, choices, seed):
    owners = [OwnerDecisions(F(w, 3), choices[i]) for i, w in enumerate(weights)]
    total = sum((o.weight for o in owners), F(0))
    shuffled = owners[:]
    random.Random(seed).shuffle(shuffled)
    tally = tally_meeting(AGENDA, owners, total)
    assert tally == tally_meeting(AGENDA, shuffled, total)
    assert tally.participating == sum((o.weight for o in owners if o.decisions), F(0))
    for q in tally.questions:
        assert q.for_votes == sum((o.weight for o in owners if o.decisions.get(q.question_id) == "for"), F(0))
        assert q.answered == q.for_votes + q.against_votes + q.abstain_votes <= tally.participating
        assert q.adopted == question_adopted(q.for_votes, tally.participating, total, q.threshold)
        assert q.adopted == (q.needed == 0)
        assert not q.adopted or q.possible


@pytest.mark.parametrize(
    ("owners", "total"),
    [
        ([_owner(D("5"), q1="maybe")], D("10")),  # unknown decision
        ([_owner(D("5"), q9="for")], D("10")),  # question not on the agenda
        ([_owner(D("-1"), q1="for")], D("10")),
        ([_owner(D("11"), q1="for")], D("10")),  # more participating than the house holds
        ([], D("0")),
    ],
)
def test_tally_refuses_inconsistent_data(owners, total):
    with pytest.raises(ValueError):
        tally_meeting(AGENDA, owners, total)


# ----------------------------------------------------------------------------------------------
# Filing a meeting

NOTIFIED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)  # 1 March, 15:00 МСК


def _item(text="Утвердить смету капитального ремонта крыши", topic="capital_repair", threshold=""):
    return AgendaItem(text=text, topic=topic, threshold=threshold)


def test_validate_agenda_fills_default_thresholds_and_cleans_text():
    agenda = validate_agenda(
        [_item(text="  Крыша \n"), _item(topic="current_repair", threshold="majority_of_all")]
    )
    assert agenda == [
        AgendaItem("Крыша", "capital_repair", "two_thirds_of_all"),
        AgendaItem("Утвердить смету капитального ремонта крыши", "current_repair", "majority_of_all"),
    ]


@pytest.mark.parametrize(
    ("items", "key", "params"),
    [
        ([], "meeting.agenda_required", {}),
        ([_item()] * (MAX_AGENDA + 1), "meeting.too_many_questions", {"limit": MAX_AGENDA}),
        ([_item(), _item(text="   ")], "meeting.question_text_required", {"number": 2}),
        ([_item(text="я" * 1001)], "meeting.question_too_long", {"number": 1, "limit": 1000}),
        ([_item(topic="weather")], "meeting.topic_unknown", {"number": 1}),
        ([_item(threshold="unanimity")], "meeting.threshold_unknown", {"number": 1}),
        (
            [_item(threshold="majority_of_participants")],
            "meeting.threshold_too_low",
            {"number": 1, "threshold": THRESHOLDS["two_thirds_of_all"]},
        ),
        (
            [_item(topic="land_plot", threshold="majority_of_all")],
            "meeting.threshold_too_low",
            {"number": 1, "threshold": THRESHOLDS["two_thirds_of_all"]},
        ),
    ],
)
def test_validate_agenda_refusals(items, key, params):
    with pytest.raises(InvalidInput) as caught:
        validate_agenda(items)
    assert (caught.value.key, caught.value.params) == (key, params)


def test_a_full_agenda_is_accepted():
    assert len(validate_agenda([_item()] * MAX_AGENDA)) == MAX_AGENDA


@pytest.mark.parametrize(
    ("notified", "earliest"),
    [
        (
            datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
            datetime(2026, 3, 10, 21, 0, tzinfo=UTC),
        ),  # 11 March 00:00 МСК
        (datetime(2026, 3, 1, 20, 30, tzinfo=UTC), datetime(2026, 3, 10, 21, 0, tzinfo=UTC)),  # 23:30 МСК
        (
            datetime(2026, 2, 28, 21, 30, tzinfo=UTC),
            datetime(2026, 3, 10, 21, 0, tzinfo=UTC),
        ),  # 1 March 00:30 МСК
        (
            datetime(2026, 2, 28, 20, 59, tzinfo=UTC),
            datetime(2026, 3, 9, 21, 0, tzinfo=UTC),
        ),  # 28 Feb 23:59 МСК
    ],
)
def test_earliest_voting_start_is_ten_moscow_days_after_the_notice(notified, earliest):
    assert earliest_voting_start(notified) == earliest


def _meeting(starts_at, ends_at=None, address="ул. Тверская, д. 13, каб. 2"):
    return MeetingInput(
        agenda=[_item()],
        starts_at=starts_at,
        ends_at=ends_at or starts_at + timedelta(days=14),
        in_person_address=address,
    )


def test_validate_meeting_accepts_the_earliest_start():
    start = datetime(2026, 3, 10, 21, 0, tzinfo=UTC)
    cleaned = validate_meeting(_meeting(start, address="  ул. Тверская, д. 13 "), notified_at=NOTIFIED)
    assert cleaned.in_person_address == "ул. Тверская, д. 13"
    assert cleaned.agenda[0].threshold == "two_thirds_of_all"


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (_meeting(datetime(2026, 3, 10, 20, 59, tzinfo=UTC)), "meeting.too_soon"),  # 10 March 23:59 МСК
        (
            _meeting(datetime(2026, 3, 12, tzinfo=UTC), ends_at=datetime(2026, 3, 12, tzinfo=UTC)),
            "meeting.dates_order",
        ),
        (_meeting(datetime(2026, 3, 12, tzinfo=UTC), address="  "), "meeting.address_required"),
        (_meeting(datetime(2026, 3, 12, tzinfo=UTC), address="д" * 501), "meeting.address_too_long"),
    ],
)
def test_validate_meeting_refusals(data, key):
    with pytest.raises(InvalidInput) as caught:
        validate_meeting(data, notified_at=NOTIFIED)
    assert caught.value.key == key


def test_too_soon_names_the_first_allowed_moscow_moment():
    with pytest.raises(InvalidInput) as caught:
        validate_meeting(_meeting(datetime(2026, 3, 5, tzinfo=UTC)), notified_at=NOTIFIED)
    assert str(caught.value) == (
        "Собственников уведомляют не менее чем за 10 дней: голосование может начаться не раньше "
        "11.03.2026 00:00 (мск)."
    )


@pytest.mark.parametrize(
    ("enabled", "roles", "expected"),
    [
        (True, {"owner"}, None),
        (True, {"management_company"}, None),
        (True, {"owner", "resident"}, None),
        (True, {"resident"}, "meeting.not_authorised"),  # a tenant or resident may not file
        (True, set(), "meeting.not_authorised"),
        (False, {"owner"}, "meeting.house_not_enabled"),
    ],
)
def test_why_cannot_file(enabled, roles, expected):
    refusal = why_cannot_file(house_enabled=enabled, roles=roles)
    assert (refusal.key if refusal else None) == expected
    if refusal is not None:
        assert message(refusal.key, **refusal.params)


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (datetime(2026, 3, 10, tzinfo=UTC), "scheduled"),
        (datetime(2026, 3, 11, tzinfo=UTC), "active"),  # the start is inclusive
        (datetime(2026, 3, 24, 23, 59, tzinfo=UTC), "active"),
        (datetime(2026, 3, 25, tzinfo=UTC), "finished"),  # the end is exclusive
    ],
)
def test_meeting_state(now, state):
    assert meeting_state(datetime(2026, 3, 11, tzinfo=UTC), datetime(2026, 3, 25, tzinfo=UTC), now) == state


@pytest.mark.parametrize("choice", ["for", "against", "abstain"])
def test_check_decision_accepts_the_three_answers(choice):
    assert check_decision(choice) == choice


@pytest.mark.parametrize("choice", ["", "yes", "For", "за"])
def test_check_decision_refuses_anything_else(choice):
    with pytest.raises(InvalidInput) as caught:
        check_decision(choice)
    assert caught.value.key == "meeting.decision_invalid"


def test_normalize_scan_hash():
    digest = "AB" * 32
    assert normalize_scan_hash(f"  {digest}\n") == "ab" * 32
    for bad in ("ab" * 31, "zz" * 32, "ab" * 33, ""):
        with pytest.raises(InvalidInput) as caught:
            normalize_scan_hash(bad)
        assert caught.value.key == "meeting.scan_hash_invalid"
