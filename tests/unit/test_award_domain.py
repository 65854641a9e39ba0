"""The pure rules of the award contest (issue 16): quorum, tie votes, places, prize shares, teams, projects."""

import string
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ag_app.domain.award import (
    ADULT_AGE,
    EXCLUSION_GROUNDS,
    PAYOUT_DAYS,
    PLACES,
    TEAM_MAX,
    TEAM_MIN,
    FormProblems,
    Project,
    Tie,
    chair_holder,
    check_ground,
    check_maximum,
    check_project,
    check_reason,
    check_score,
    check_sheet,
    check_team_name,
    check_team_size,
    is_adult_on,
    missing_sheets,
    payout_deadline,
    payout_late,
    settle,
    sitting_valid,
    split_prize,
    standings,
    task_full,
    team_has_room,
    team_totals,
    tie_vote,
    voters,
)
from ag_app.domain.errors import InvalidInput

# --- constants -------------------------------------------------------------------------------------


def test_constants_follow_the_regulation():
    assert (TEAM_MIN, TEAM_MAX, PLACES, ADULT_AGE, PAYOUT_DAYS) == (2, 5, (1, 2, 3), 18, 30)
    assert list(EXCLUSION_GROUNDS) == ["team_size", "commercial", "rules", "false_data"]
    assert EXCLUSION_GROUNDS["rules"] == "нарушение пункта 2.9 положения"


# --- quorum ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("present", "members", "valid"),
    [
        (2, 4, True),
        (2, 5, False),
        (3, 5, True),
        (5, 9, True),
        (4, 9, False),
        (1, 1, True),
        (0, 1, False),
        (0, 0, False),
        (9, 9, True),
        (1, 2, True),
    ],
)
def test_sitting_needs_half_of_the_commission(present, members, valid):
    assert sitting_valid(present, members) is valid


@pytest.mark.parametrize(
    ("chair", "deputy", "present", "holder"),
    [
        ("chair", "deputy", {"chair", "deputy", "m1"}, "chair"),
        ("chair", "deputy", {"deputy", "m1"}, "deputy"),
        ("chair", "deputy", {"m1", "m2"}, None),
        (None, "deputy", {"deputy"}, "deputy"),
        ("chair", None, {"m1"}, None),
        (None, None, {"m1"}, None),
    ],
)
def test_chair_powers_pass_to_the_appointed_member_when_the_chair_is_absent(chair, deputy, present, holder):
    assert chair_holder(chair, deputy, present) == holder


def test_voters_are_the_present_members_without_a_conflict_of_interest():
    assert voters(["a", "b", "c"], ["b", "z"]) == frozenset({"a", "c"})
    assert voters([], ["b"]) == frozenset()


# --- the open vote on a tie ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("votes", "chair", "winner"),
    [
        # a majority of the votes cast wins whatever the chair chose
        ({"m1": "A", "m2": "A", "m3": "B"}, "m3", "A"),
        ({"m1": "A", "m2": "A", "m3": "A", "m4": "B", "m5": "C"}, "m4", "A"),
        # two teams, equal votes: the chair decides
        ({"m1": "A", "m2": "B"}, "m2", "B"),
        ({"m1": "A", "m2": "B", "m3": "A", "m4": "B"}, "m1", "A"),
        # the chair is absent and nobody holds the powers: vote again
        ({"m1": "A", "m2": "B"}, None, None),
        # the chair holder is not among the voters (recused): vote again
        ({"m1": "A", "m2": "B"}, "chair", None),
        # three teams tied in votes: the chair decides among the top teams
        ({"m1": "A", "m2": "B", "m3": "C"}, "m3", "C"),
        # the chair voted for a team outside the top: vote again
        ({"m1": "A", "m2": "A", "m3": "B", "m4": "B", "m5": "C"}, "m5", None),
        # two top teams of five votes, the chair among them
        ({"m1": "A", "m2": "A", "m3": "B", "m4": "B", "m5": "C"}, "m3", "B"),
        # a single top team without a majority: no casting vote, vote again
        ({"m1": "A", "m2": "A", "m3": "B", "m4": "C"}, "m3", None),
        ({"m1": "A", "m2": "A", "m3": "B", "m4": "C"}, "m1", None),
        # one voter is a majority
        ({"m1": "B"}, None, "B"),
        ({}, "m1", None),
    ],
)
def test_tie_vote(votes, chair, winner):
    assert tie_vote(votes, chair) == winner


@settings(max_examples=200, deadline=None)
@given(
    votes=st.dictionaries(st.sampled_from([f"m{i}" for i in range(9)]), st.sampled_from("ABC"), max_size=9),
    chair=st.one_of(st.none(), st.sampled_from([f"m{i}" for i in range(10)])),
)
def test_tie_vote_winner_was_voted_for_and_a_majority_cannot_be_overruled(votes, chair):
    winner = tie_vote(votes, chair)
    counts = {team: list(votes.values()).count(team) for team in set(votes.values())}
    if winner is not None:
        assert winner in counts
        assert counts[winner] == max(counts.values())
    majority = [team for team, count in counts.items() if count * 2 > len(votes)]
    if majority:
        assert winner == majority[0]
        assert tie_vote(votes, None) == majority[0]


# --- places and ties -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("totals", "prizes", "places", "ties"),
    [
        # distinct totals: places by total
        ({"A": 30, "B": 20, "C": 10, "D": 5}, 3, {"A": 1, "B": 2, "C": 3}, ()),
        # two teams tied for 1st/2nd: both places open, 3rd is decided
        ({"A": 30, "B": 30, "C": 10, "D": 5}, 3, {"C": 3}, (Tie(1, ("A", "B")),)),
        # two teams tied for 3rd/4th with three prizes: the 3rd place is open
        ({"A": 30, "B": 20, "C": 10, "D": 10}, 3, {"A": 1, "B": 2}, (Tie(3, ("C", "D")),)),
        # a tie at 4th/5th does not matter
        ({"A": 30, "B": 20, "C": 15, "D": 10, "E": 10}, 3, {"A": 1, "B": 2, "C": 3}, ()),
        # three teams tied for 1st–3rd
        ({"A": 30, "B": 30, "C": 30, "D": 5}, 3, {}, (Tie(1, ("A", "B", "C")),)),
        # three teams tied for 2nd–4th
        ({"A": 40, "B": 30, "C": 30, "D": 30}, 3, {"A": 1}, (Tie(2, ("B", "C", "D")),)),
        # two separate ties: 1st/2nd and 3rd/4th
        ({"A": 9, "B": 9, "C": 7, "D": 7}, 3, {}, (Tie(1, ("A", "B")), Tie(3, ("C", "D")))),
        # fewer teams than prizes: fewer places
        ({"A": 10, "B": 5}, 3, {"A": 1, "B": 2}, ()),
        ({"A": 10, "B": 10}, 3, {}, (Tie(1, ("A", "B")),)),
        ({"A": 10}, 3, {"A": 1}, ()),
        ({}, 3, {}, ()),
        # one prize: a tie for 2nd does not matter
        ({"A": 10, "B": 5, "C": 5}, 1, {"A": 1}, ()),
        ({"A": 10, "B": 10, "C": 5}, 1, {}, (Tie(1, ("A", "B")),)),
        ({"A": 10, "B": 10}, 0, {}, ()),
        # zero totals still rank
        ({"A": 0, "B": 3}, 3, {"B": 1, "A": 2}, ()),
    ],
)
def test_standings_by_total(totals, prizes, places, ties):
    result = standings(totals, prizes)
    assert result.places == places
    assert result.ties == ties
    assert result.tie == (ties[0] if ties else None)
    assert result.complete is (not ties)
    assert result.awarded == min(prizes, len(totals))


def test_three_teams_tied_for_first_are_settled_one_place_at_a_time():
    totals = {"Альфа": 50, "Бета": 50, "Гамма": 50, "Дельта": 10}
    first = settle(totals, {})
    assert first.tie == Tie(1, ("Альфа", "Бета", "Гамма"))
    second = settle(totals, {"Гамма": 1})
    assert second.places == {"Гамма": 1}
    assert second.tie == Tie(2, ("Альфа", "Бета"))
    third = settle(totals, {"Гамма": 1, "Бета": 2})
    assert third.places == {"Гамма": 1, "Бета": 2, "Альфа": 3}
    assert third.tie is None and third.complete
    assert "Дельта" not in third.places


def test_a_tie_across_the_last_prize_leaves_the_other_team_without_a_place():
    totals = {"A": 40, "B": 30, "C": 20, "D": 20, "E": 20}
    assert settle(totals, {}).tie == Tie(3, ("C", "D", "E"))
    done = settle(totals, {"E": 3})
    assert done.places == {"A": 1, "B": 2, "E": 3}
    assert done.complete


def test_later_ties_can_be_voted_before_earlier_ones():
    totals = {"A": 9, "B": 9, "C": 7, "D": 7}
    result = settle(totals, {"D": 3})
    assert result.places == {"D": 3}
    assert result.ties == (Tie(1, ("A", "B")),)
    assert settle(totals, {"D": 3, "B": 1}).places == {"B": 1, "A": 2, "D": 3}


@pytest.mark.parametrize(
    "decided",
    [
        {"Z": 1},  # unknown team
        {"D": 1},  # D is not among the teams tied for 1st
        {"A": 2},  # the 2nd place is not voted before the 1st
        {"A": 1, "B": 1},  # two teams for one place
        {"C": 4},  # beyond the prizes
        {"A": 3},  # A cannot be 3rd
    ],
)
def test_decisions_that_do_not_fit_the_tie_are_refused(decided):
    with pytest.raises(InvalidInput) as error:
        settle({"A": 10, "B": 10, "C": 10, "D": 1}, decided)
    assert error.value.key == "award.tie_decision_invalid"


def test_a_consistent_decision_for_a_place_decided_by_total_is_accepted():
    assert settle({"A": 10, "B": 5}, {"A": 1}).places == {"A": 1, "B": 2}


def test_negative_prizes_are_refused():
    with pytest.raises(InvalidInput):
        standings({"A": 1}, -1)


totals_strategy = st.dictionaries(
    st.text(alphabet=string.ascii_uppercase, min_size=1, max_size=2), st.integers(0, 6), max_size=8
)


@settings(max_examples=300, deadline=None)
@given(totals=totals_strategy, prizes=st.integers(0, 4), data=st.data())
def test_settling_ties_by_votes_always_ends_with_every_awarded_place_given(totals, prizes, data):
    decided: dict[str, int] = {}
    result = settle(totals, decided, prizes)
    for _ in range(len(totals) + 1):
        if result.tie is None:
            break
        choice = data.draw(st.sampled_from(result.tie.teams))
        decided[choice] = result.tie.place
        result = settle(totals, decided, prizes)
    assert result.complete
    awarded = min(prizes, len(totals))
    assert sorted(result.places.values()) == list(range(1, awarded + 1))
    # places follow the totals: a better place never has a smaller total
    by_place = sorted(result.places, key=result.places.__getitem__)
    assert [totals[t] for t in by_place] == sorted((totals[t] for t in by_place), reverse=True)
    # a team without a place never has a larger total than a placed team
    if result.places:
        lowest = min(totals[t] for t in result.places)
        assert all(totals[t] <= lowest for t in totals if t not in result.places)


@settings(max_examples=200, deadline=None)
@given(totals=totals_strategy, prizes=st.integers(0, 4))
def test_places_by_total_are_given_only_when_no_equal_total_competes_for_them(totals, prizes):
    result = standings(totals, prizes)
    for team, place in result.places.items():
        assert sum(1 for t in totals if totals[t] > totals[team]) == place - 1
        assert all(totals[t] != totals[team] for t in totals if t != team)
    assert not set(result.places) & {t for tie in result.ties for t in tie.teams}


@settings(max_examples=200, deadline=None)
@given(totals=totals_strategy, prizes=st.integers(0, 4), seed=st.randoms(use_true_random=False))
def test_standings_do_not_depend_on_the_order_teams_are_given_in(totals, prizes, seed):
    items = list(totals.items())
    seed.shuffle(items)
    assert settle(dict(items), {}, prizes) == settle(totals, {}, prizes)


# --- prize shares ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "members", "shares"),
    [
        (30_000_000, ["a", "b", "c"], {"a": 10_000_000, "b": 10_000_000, "c": 10_000_000}),
        (100, ["a", "b", "c"], {"a": 34, "b": 33, "c": 33}),
        (101, ["a", "b", "c"], {"a": 34, "b": 34, "c": 33}),
        (2, ["c", "b", "a"], {"c": 1, "b": 1, "a": 0}),
        (0, ["a", "b"], {"a": 0, "b": 0}),
        (7, ["x"], {"x": 7}),
        (
            100_000_003,
            ["a", "b", "c", "d", "e"],
            {"a": 20_000_001, "b": 20_000_001, "c": 20_000_001, "d": 20_000_000, "e": 20_000_000},
        ),
    ],
)
def test_split_prize_equal_shares_to_the_kopeck(amount, members, shares):
    result = split_prize(amount, members)
    assert result == shares
    assert list(result) == members


@pytest.mark.parametrize(
    ("amount", "members", "key"),
    [
        (100, [], "award.prize_no_members"),
        (100, ["a", "a"], "award.prize_duplicate_member"),
        (-1, ["a"], "award.prize_negative"),
    ],
)
def test_split_prize_refuses_bad_input(amount, members, key):
    with pytest.raises(InvalidInput) as error:
        split_prize(amount, members)
    assert error.value.key == key


@settings(max_examples=300, deadline=None)
@given(amount=st.integers(0, 10**12), size=st.integers(1, TEAM_MAX))
def test_split_prize_adds_up_and_shares_differ_by_at_most_a_kopeck(amount, size):
    members = [f"m{i}" for i in range(size)]
    shares = split_prize(amount, members)
    assert sum(shares.values()) == amount
    values = list(shares.values())
    assert max(values) - min(values) <= 1
    assert values == sorted(values, reverse=True)


# --- teams -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("  Цифровые   лидеры ", "Цифровые лидеры"),
        ("Digital Leaders", "Digital Leaders"),
        ("«Ёлка-2026»", "«Ёлка-2026»"),
        ("R&D + AI #1!", "R&D + AI #1!"),
        ("Team_42.v2", "Team_42.v2"),
        ("\"Q'n'A\"", "\"Q'n'A\""),
        ("Я2", "Я2"),
        ("Ж" * 60, "Ж" * 60),
    ],
)
def test_team_names_accepted(raw, name):
    assert check_team_name(raw) == name


@pytest.mark.parametrize(
    "raw",
    ["", "   ", "A", "Ж" * 61, "Team<script>", "Команда@mail", "!!", "-- --", "Ωmega", "Team\tX\x00", "١٢٣"],
)
def test_team_names_refused(raw):
    with pytest.raises(InvalidInput) as error:
        check_team_name(raw)
    assert error.value.key == "award.team_name_invalid"


@pytest.mark.parametrize(
    ("size", "ok"), [(0, False), (1, False), (2, True), (3, True), (5, True), (6, False)]
)
def test_team_size_two_to_five(size, ok):
    if ok:
        check_team_size(size)
    else:
        with pytest.raises(InvalidInput) as error:
            check_team_size(size)
        assert error.value.key == "award.team_size"
        assert "от 2 до 5" in str(error.value)


def test_team_room_and_task_cap():
    assert team_has_room(4) and not team_has_room(5)
    assert task_full(10, 10) and not task_full(9, 10)
    assert not task_full(1000, None)
    assert task_full(0, 0)


@pytest.mark.parametrize(
    ("birth", "day", "adult"),
    [
        (date(2008, 3, 1), date(2026, 3, 1), True),
        (date(2008, 3, 2), date(2026, 3, 1), False),
        (date(1970, 1, 1), date(2026, 3, 1), True),
        (date(2008, 2, 29), date(2026, 2, 28), False),
        (date(2008, 2, 29), date(2026, 3, 1), True),
        (None, date(2026, 3, 1), False),
    ],
)
def test_adult_on_the_application_date(birth, day, adult):
    assert is_adult_on(birth, day) is adult


# --- project, reasons, grounds ---------------------------------------------------------------------

GOOD_PROJECT = {
    "title": "  Умный   двор ",
    "prototype_url": "https://example.ru/demo?x=1",
    "description": "Приложение для жителей: заявки на уборку двора, голосования и новости.",
    "technologies": "Python, FastAPI,  PostgreSQL",
}


def test_project_is_normalised():
    project = check_project(**GOOD_PROJECT)
    assert project == Project(
        "Умный двор",
        "https://example.ru/demo?x=1",
        GOOD_PROJECT["description"],
        "Python, FastAPI, PostgreSQL",
    )


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"title": "AB"}, {"title"}),
        ({"title": "Я" * 201}, {"title"}),
        ({"prototype_url": "ftp://example.ru/x"}, {"prototype_url"}),
        ({"prototype_url": "example.ru"}, {"prototype_url"}),
        ({"prototype_url": "https://"}, {"prototype_url"}),
        ({"prototype_url": "javascript:alert(1)"}, {"prototype_url"}),
        ({"prototype_url": "https://localhost"}, {"prototype_url"}),
        ({"prototype_url": "https://example.ru:99999/"}, {"prototype_url"}),
        ({"prototype_url": "https://example.ru/a b"}, {"prototype_url"}),
        ({"prototype_url": "https://example.ru/" + "a" * 500}, {"prototype_url"}),
        ({"description": "коротко"}, {"description"}),
        ({"description": "д" * 5001}, {"description"}),
        ({"technologies": "C"}, {"technologies"}),
        (
            {"title": "", "prototype_url": "", "description": "", "technologies": ""},
            {"title", "prototype_url", "description", "technologies"},
        ),
    ],
)
def test_project_problems_are_listed_at_once(changes, fields):
    with pytest.raises(FormProblems) as error:
        check_project(**{**GOOD_PROJECT, **changes})
    assert error.value.key == "award.project_problems"
    assert set(error.value.problems) == fields
    assert isinstance(error.value, InvalidInput)
    assert f"Ошибок: {len(fields)}" in str(error.value)
    for sentence in error.value.problems.values():
        assert sentence in str(error.value)


def test_http_links_and_the_longest_link_are_accepted():
    assert check_project(**{**GOOD_PROJECT, "prototype_url": "http://demo.example.com"}).prototype_url
    long_url = "https://example.ru/" + "a" * (500 - len("https://example.ru/"))
    assert check_project(**{**GOOD_PROJECT, "prototype_url": long_url}).prototype_url == long_url


@pytest.mark.parametrize(
    ("raw", "ok"),
    [("  Нет  ", True), ("abc", True), ("ab", False), ("   ", False), ("я" * 500, True), ("я" * 501, False)],
)
def test_reason_length(raw, ok):
    if ok:
        assert check_reason(raw) == raw.strip()
    else:
        with pytest.raises(InvalidInput):
            check_reason(raw)


def test_exclusion_grounds():
    assert check_ground("commercial") == "commercial"
    with pytest.raises(InvalidInput):
        check_ground("mood")


# --- scores and totals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "maximum", "ok"),
    [(0, 10, True), (10, 10, True), (11, 10, False), (-1, 10, False), (True, 10, False), (5.0, 10, False)],
)
def test_score_within_the_criterion_bounds(score, maximum, ok):
    if ok:
        assert check_score(score, maximum) == score
    else:
        with pytest.raises(InvalidInput) as error:
            check_score(score, maximum)
        assert f"от 0 до {maximum}" in str(error.value)


@pytest.mark.parametrize(
    ("maximum", "ok"), [(1, True), (1000, True), (0, False), (1001, False), (-5, False), (True, False)]
)
def test_criterion_maximum(maximum, ok):
    if ok:
        assert check_maximum(maximum) == maximum
    else:
        with pytest.raises(InvalidInput) as error:
            check_maximum(maximum)
        assert "от 1 до 1000" in str(error.value)


def test_sheet_needs_every_criterion_and_nothing_else():
    maxima = {"novelty": 10, "impact": 5}
    assert check_sheet({"impact": 5, "novelty": 3}, maxima) == {"novelty": 3, "impact": 5}
    with pytest.raises(InvalidInput):
        check_sheet({"novelty": 3}, maxima)
    with pytest.raises(InvalidInput):
        check_sheet({"novelty": 3, "impact": 1, "other": 1}, maxima)
    with pytest.raises(InvalidInput):
        check_sheet({"novelty": 3, "impact": 6}, maxima)


def test_team_total_is_the_sum_of_every_sheet():
    sheets = [("A", {"n": 3, "i": 4}), ("A", {"n": 5, "i": 1}), ("B", {"n": 2, "i": 2}), ("C", {})]
    assert team_totals(sheets) == {"A": 13, "B": 4, "C": 0}


def test_missing_sheets_are_listed():
    evaluators = ["m1", "m2"]
    projects = ["A", "B"]
    assert missing_sheets(evaluators, projects, {("m1", "A"), ("m2", "B")}) == [("m1", "B"), ("m2", "A")]
    assert missing_sheets(evaluators, projects, {("m1", "A"), ("m1", "B"), ("m2", "A"), ("m2", "B")}) == []
    assert missing_sheets([], projects, set()) == []


# --- payout period ---------------------------------------------------------------------------------


def test_payout_period_is_thirty_calendar_days_after_the_results():
    results = date(2026, 12, 15)
    assert payout_deadline(results) == date(2027, 1, 14)
    assert not payout_late(results, date(2027, 1, 14))
    assert payout_late(results, date(2027, 1, 15))
