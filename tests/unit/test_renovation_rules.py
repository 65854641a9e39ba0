"""Rules of the renovation-type house vote (SPEC §8): apartments, silent share, double votes, decision."""

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ag_app.domain.errors import InvalidInput
from ag_app.domain.renovation import (
    HouseDecision,
    HouseTally,
    MeetingDecision,
    RenovationVote,
    apartment_votes,
    check_code,
    counted_votes,
    final_decision,
    format_check_code,
    normalize_check_code,
    tally_house,
    validate_meeting_decision,
    verification_deadline,
)


def _house(for_=0, against=0, split=0, extra=None):
    """Apartment votes: ``for_`` single «за», ``against`` single «против», ``split`` 1:1 apartments."""
    votes = {}
    for i in range(for_):
        votes[f"f{i}"] = ["for"]
    for i in range(against):
        votes[f"a{i}"] = ["against"]
    for i in range(split):
        votes[f"s{i}"] = ["for", "against"]
    votes.update(extra or {})
    return votes


def test_the_seed_example():
    tally = tally_house(_house(for_=58, against=28), 148)
    assert tally == HouseTally(
        total_apartments=148,
        voted=86,
        for_apartments=58,
        against_apartments=28,
        split=0,
        silent=62,
        silent_for=42,  # 62 × 58/86 = 41.81… → 42
        silent_against=20,
        counted=148,
        total_for=100,
        total_against=48,
        for_share=Fraction(100, 148),
        included=True,
    )


@pytest.mark.parametrize(
    ("votes", "total", "expected"),
    [
        # (voted, for, against, split, silent, silent_for, counted, total_for, included)
        (_house(for_=2, split=1), 3, (3, 2, 0, 1, 0, 0, 2, 2, True)),  # the split one is left out
        (_house(extra={"1": ["for", "for", "against"]}), 1, (1, 1, 0, 0, 0, 0, 1, 1, True)),  # co-owners
        (_house(extra={"1": ["for", "against", "against"]}), 1, (1, 0, 1, 0, 0, 0, 1, 0, False)),
        (_house(extra={"1": ["for", "for", "against", "against"]}), 1, (1, 0, 0, 1, 0, 0, 0, 0, False)),
        ({}, 10, (0, 0, 0, 0, 10, 0, 10, 0, False)),  # nobody voted: never included
        ({}, 0, (0, 0, 0, 0, 0, 0, 0, 0, False)),
        (_house(split=1), 5, (1, 0, 0, 1, 4, 0, 4, 0, False)),  # no proportion: silent are «против»
        (_house(for_=2, against=1), 3, (3, 2, 1, 0, 0, 0, 3, 2, False)),  # exactly 2/3 is not enough
        (_house(for_=4, against=2), 6, (6, 4, 2, 0, 0, 0, 6, 4, False)),
        (_house(for_=5, against=2), 7, (7, 5, 2, 0, 0, 0, 7, 5, True)),  # 5/7 > 2/3
        (_house(for_=1, against=1), 3, (2, 1, 1, 0, 1, 1, 3, 2, False)),  # 0.5 rounds half up to 1
        (_house(for_=1, against=1), 7, (2, 1, 1, 0, 5, 3, 7, 4, False)),  # 2.5 → 3 (not 2)
        (_house(for_=3, against=1), 6, (4, 3, 1, 0, 2, 2, 6, 5, True)),  # 1.5 → 2
        (_house(for_=3, against=1), 5, (4, 3, 1, 0, 1, 1, 5, 4, True)),  # 0.75 → 1
        (_house(for_=1, extra={"x": []}), 2, (1, 1, 0, 0, 1, 1, 2, 2, True)),  # no choices = silent
        (_house(for_=1), 100, (1, 1, 0, 0, 99, 99, 100, 100, True)),  # one voice carries the silent
        (_house(for_=20, against=10, split=3), 40, (33, 20, 10, 3, 7, 5, 37, 25, True)),  # 25/37 > 2/3
        (_house(for_=20, against=11, split=3), 40, (34, 20, 11, 3, 6, 4, 37, 24, False)),
    ],
)
def test_tally_house(votes, total, expected):
    tally = tally_house(votes, total)
    assert (
        tally.voted,
        tally.for_apartments,
        tally.against_apartments,
        tally.split,
        tally.silent,
        tally.silent_for,
        tally.counted,
        tally.total_for,
        tally.included,
    ) == expected
    assert tally.for_share == (Fraction(tally.total_for, tally.counted) if tally.counted else 0)


@pytest.mark.parametrize(
    ("votes", "total"),
    [({"1": ["yes"]}, 1), (_house(for_=3), 2), ({}, -1)],
)
def test_tally_house_refuses_inconsistent_data(votes, total):
    with pytest.raises(ValueError):
        tally_house(votes, total)


_APARTMENT = st.lists(st.sampled_from(["for", "against"]), min_size=0, max_size=4)


@given(
    apartments=st.lists(_APARTMENT, max_size=60),
    extra=st.integers(min_value=0, max_value=60),
)
def test_tally_house_invariants(apartments, extra):
    votes = {str(i): choices for i, choices in enumerate(apartments)}
    total = len(apartments) + extra
    t = tally_house(votes, total)
    assert t.voted + t.silent == t.total_apartments == total
    assert t.for_apartments + t.against_apartments + t.split == t.voted
    assert t.silent_for + t.silent_against == t.silent
    assert t.counted == total - t.split == t.total_for + t.total_against
    assert 0 <= t.for_share <= 1
    assert t.included == (t.voted > 0 and 3 * t.total_for > 2 * t.counted)
    decided = t.for_apartments + t.against_apartments
    if decided:
        # the silent «за» part is the nearest whole number to the proportional share, halves up
        exact = Fraction(t.silent * t.for_apartments, decided)
        assert exact - Fraction(1, 2) < t.silent_for <= exact + Fraction(1, 2)


@given(
    for_=st.integers(min_value=0, max_value=50),
    against=st.integers(min_value=0, max_value=50),
    split=st.integers(min_value=0, max_value=10),
    silent=st.integers(min_value=1, max_value=80),
)
def test_a_new_za_vote_from_a_silent_apartment_never_lowers_the_result(for_, against, split, silent):
    total = for_ + against + split + silent
    before = tally_house(_house(for_, against, split), total)
    after = tally_house(_house(for_ + 1, against, split), total)
    assert after.total_for >= before.total_for
    assert after.included or not before.included


# ----------------------------------------------------------------------------------------------
# Which votes count

T0 = datetime(2026, 5, 12, 9, 0, tzinfo=UTC)
H = timedelta(hours=1)


def _vote(id_, person, choice, channel="online", at=0, apartment="12"):
    return RenovationVote(
        id=id_, person=person, apartment=apartment, choice=choice, channel=channel, cast_at=T0 + at * H
    )


@pytest.mark.parametrize(
    ("votes", "counted_ids"),
    [
        ([_vote(1, "p", "for")], [1]),
        ([_vote(1, "p", "for"), _vote(2, "p", "against", at=1)], [1]),  # second account: first counts
        ([_vote(2, "p", "against", at=1), _vote(1, "p", "for")], [1]),  # whatever the arrival order
        ([_vote(1, "p", "for"), _vote(2, "p", "against")], [1]),  # same instant: the earlier id
        ([_vote(1, "p", "for"), _vote(2, "p", "against", "in_person", at=1)], [2]),  # a centre replaces
        ([_vote(1, "p", "for", "in_person"), _vote(2, "p", "against", at=1)], [1]),  # online cannot
        (
            [_vote(1, "p", "for", "in_person"), _vote(2, "p", "against", "in_person", at=2)],
            [2],  # the last in-person vote counts
        ),
        (
            [
                _vote(1, "p", "for", "in_person", at=3),
                _vote(2, "p", "against", "in_person", at=1),
                _vote(3, "p", "against", at=5),
            ],
            [1],
        ),
        ([_vote(1, "p", "for"), _vote(2, "q", "against", at=1)], [1, 2]),  # co-owners both count
        ([_vote(1, "p", "for"), _vote(2, "p", "for", at=1, apartment="14")], [1, 2]),  # two apartments
        ([], []),
    ],
)
def test_counted_votes(votes, counted_ids):
    assert [v.id for v in counted_votes(votes)] == counted_ids


@pytest.mark.parametrize(
    "vote", [_vote(1, "p", "maybe"), _vote(1, "p", "for", channel="post")], ids=["choice", "channel"]
)
def test_counted_votes_refuses_unknown_values(vote):
    with pytest.raises(ValueError):
        counted_votes([vote])


def test_apartment_votes_feed_the_house_tally():
    votes = [
        _vote(1, "p", "for", apartment="1"),
        _vote(2, "p", "against", at=1, apartment="1"),  # ignored: p's second online vote
        _vote(3, "q", "against", at=2, apartment="1"),
        _vote(4, "r", "for", at=3, apartment="2"),
        _vote(5, "s", "against", "in_person", at=4, apartment="3"),
        _vote(6, "s", "for", "in_person", at=5, apartment="3"),  # s changed their mind at the centre
    ]
    assert apartment_votes(votes) == {"1": ["for", "against"], "2": ["for"], "3": ["for"]}
    tally = tally_house(apartment_votes(votes), 4)
    assert (tally.split, tally.for_apartments, tally.silent_for, tally.included) == (1, 2, 1, True)


# ----------------------------------------------------------------------------------------------
# A general meeting's decision overrides the vote

INCLUDED = tally_house(_house(for_=58, against=28), 148)
EXCLUDED = tally_house(_house(for_=10, against=28), 148)


@pytest.mark.parametrize(
    ("tally", "decision", "expected"),
    [
        (INCLUDED, None, HouseDecision(included=True, source="vote")),
        (EXCLUDED, None, HouseDecision(included=False, source="vote")),
        (EXCLUDED, MeetingDecision(Decimal("2000"), Decimal("3000"), "№ 1"), HouseDecision(True, "meeting")),
        (
            INCLUDED,
            MeetingDecision(Decimal("1999.99"), Decimal("3000"), "№ 1"),
            HouseDecision(False, "meeting"),
        ),
        (INCLUDED, MeetingDecision(Decimal("0"), Decimal("3000"), "№ 1"), HouseDecision(False, "meeting")),
    ],
)
def test_final_decision(tally, decision, expected):
    assert final_decision(tally, decision, vote_ended=True) == expected


@pytest.mark.parametrize(
    ("tally", "decision", "expected"),
    [
        # One «за» of 60 apartments, 59 silent: «100 %» of a count that has not finished.
        (tally_house(_house(for_=1, against=0), 60), None, None),
        (INCLUDED, None, None),
        (EXCLUDED, None, None),
        # A meeting's decision holds whatever the running vote gives.
        (INCLUDED, MeetingDecision(Decimal("1"), Decimal("3000"), "№ 1"), HouseDecision(False, "meeting")),
        (EXCLUDED, MeetingDecision(Decimal("2000"), Decimal("3000"), "№ 1"), HouseDecision(True, "meeting")),
    ],
)
def test_a_running_vote_decides_nothing(tally, decision, expected):
    assert final_decision(tally, decision, vote_ended=False) == expected


def test_validate_meeting_decision_cleans_the_protocol():
    decision = validate_meeting_decision(
        MeetingDecision(Decimal("10"), Decimal("15"), "  № 3 от 20.06.2026 ")
    )
    assert decision.protocol == "№ 3 от 20.06.2026"


@pytest.mark.parametrize(
    ("decision", "key"),
    [
        (MeetingDecision(Decimal("1"), Decimal("2"), " "), "renovation.protocol_required"),
        (MeetingDecision(Decimal("1"), Decimal("2"), "№" * 301), "renovation.protocol_too_long"),
        (MeetingDecision(Decimal("3"), Decimal("2"), "№ 1"), "renovation.meeting_votes_invalid"),
        (MeetingDecision(Decimal("-1"), Decimal("2"), "№ 1"), "renovation.meeting_votes_invalid"),
        (MeetingDecision(Decimal("0"), Decimal("0"), "№ 1"), "renovation.meeting_votes_invalid"),
        (MeetingDecision(Decimal("NaN"), Decimal("2"), "№ 1"), "renovation.meeting_votes_invalid"),
    ],
)
def test_validate_meeting_decision_refusals(decision, key):
    with pytest.raises(InvalidInput) as caught:
        validate_meeting_decision(decision)
    assert caught.value.key == key


# ----------------------------------------------------------------------------------------------
# Check codes and verification


class _Fixed(random.Random):
    def randrange(self, *args, **kwargs):
        return 42


def test_check_code_is_twelve_digits_with_leading_zeros():
    assert check_code(_Fixed()) == "000000000042"
    codes = {check_code(random.Random(seed)) for seed in range(50)}
    assert len(codes) == 50
    assert all(len(code) == 12 and code.isdigit() for code in codes)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("123456789012", "123456789012"),
        (" 1234 5678-9012 ", "123456789012"),
        ("000000000042", "000000000042"),
    ],
)
def test_normalize_check_code(text, code):
    assert normalize_check_code(text) == code


@pytest.mark.parametrize(
    "text", ["", "12345678901", "1234567890123", "12345678901a", "１２３４５６７８９０１２"]
)
def test_normalize_check_code_refuses_anything_but_twelve_digits(text):
    with pytest.raises(InvalidInput) as caught:
        normalize_check_code(text)
    assert caught.value.key == "renovation.check_code_invalid"


def test_format_check_code():
    assert format_check_code("123456789012") == "1234 5678 9012"


def test_verification_takes_four_working_days():
    # Thursday 30 April 2026, 10:00 МСК: 1 May is a holiday, so 4, 5, 6 and 7 May.
    assert verification_deadline(datetime(2026, 4, 30, 7, 0, tzinfo=UTC)) == datetime(
        2026, 5, 7, 21, 0, tzinfo=UTC
    )
