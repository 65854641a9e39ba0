"""The pure promo rules (issue 15): deadlines at the minute, the draw, prizes, keys, schedule, vote files."""

import hashlib
import random
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ag_app.domain.clock import MOSCOW
from ag_app.domain.errors import InvalidInput
from ag_app.domain.identity import snils_checksum
from ag_app.domain.promo import (
    CATEGORIES,
    CODE_ALPHABET,
    EXTRA_PRIZE,
    KEY_PATTERN,
    PHASE_NAMES,
    PHASES,
    WINNERS_HEADER,
    Schedule,
    VoteFileError,
    activation_open,
    category_open,
    check_category,
    commitment,
    draw_window,
    draw_winners,
    effective_seed,
    exchange_open,
    extra_prize,
    list_digest,
    moscow_until,
    new_code,
    new_seed,
    opt_in_open,
    opt_out_open,
    parse_prizes,
    parse_votes,
    participants_lines,
    phase,
    prizes_spec,
    pseudonym,
    rank_keys,
    schedule_problem,
    winners_lines,
)


def msk(month: int, day: int, hh: int, mm: int, ss: int = 0) -> datetime:
    """A 2024 Moscow wall-clock time as an aware instant."""
    return datetime(2024, month, day, hh, mm, ss, tzinfo=MOSCOW)


def schedule_2024() -> Schedule:
    """The 2024 campaign of the seed order (§2.1)."""
    return Schedule(
        info_starts_at=msk(7, 31, 0, 0).astimezone(UTC),
        info_ends_at=moscow_until(date(2024, 8, 29), 23, 59),
        eligibility_at=moscow_until(date(2024, 8, 25), 23, 59),
        opt_out_ends_at=moscow_until(date(2024, 9, 5), 23, 59),
        opt_in_ends_at=moscow_until(date(2024, 9, 5), 22, 59),
        window_ends=tuple(moscow_until(date(2024, 9, day), 20, 0) for day in (6, 7, 8)),
        draws_due=tuple(msk(9, day, 10, 0).astimezone(UTC) for day in (7, 8, 9)),
        category_opens_at=msk(8, 20, 8, 0).astimezone(UTC),
        category_ends_at=moscow_until(date(2024, 9, 8), 19, 59),
        activation_ends_at=moscow_until(date(2024, 9, 30), 23, 59),
        exchange_starts_at=msk(9, 7, 10, 0).astimezone(UTC),
        exchange_ends_at=moscow_until(date(2024, 12, 14), 23, 59),
        use_ends_at=moscow_until(date(2024, 12, 15), 23, 59),
    )


S = schedule_2024()


def key(number: int) -> str:
    """A well-formed pseudonymous key."""
    return pseudonym(b"test-secret", number)


# --- deadlines at the minute -------------------------------------------------------------------------


def test_moscow_until_is_the_instant_after_the_whole_minute():
    assert moscow_until(date(2024, 9, 5), 23, 59) == datetime(2024, 9, 5, 21, 0, tzinfo=UTC)
    assert moscow_until(date(2024, 9, 6), 20, 0) == msk(9, 6, 20, 1)
    assert moscow_until(date(2024, 9, 5), 22, 59) == msk(9, 5, 23, 0)


@pytest.mark.parametrize(
    ("moment", "opt_out", "opt_in"),
    [
        (msk(9, 5, 22, 58, 59), True, True),
        (msk(9, 5, 22, 59, 0), True, True),
        (msk(9, 5, 22, 59, 59), True, True),
        (msk(9, 5, 23, 0, 0), True, False),
        (msk(9, 5, 23, 59, 59), True, False),
        (msk(9, 6, 0, 0, 0), False, False),
        (msk(9, 6, 0, 0, 1), False, False),
        (msk(7, 30, 23, 59, 59), False, False),
        (msk(7, 31, 0, 0, 0), True, True),
    ],
)
def test_opt_out_until_2359_and_cancellation_until_2259(moment, opt_out, opt_in):
    assert opt_out_open(S, moment) is opt_out
    assert opt_in_open(S, moment) is opt_in


@pytest.mark.parametrize(
    ("moment", "window"),
    [
        (msk(9, 6, 8, 0), 0),
        (msk(9, 6, 20, 0, 0), 0),
        (msk(9, 6, 20, 0, 59), 0),
        (msk(9, 6, 20, 1, 0), 1),
        (msk(9, 7, 10, 0), 1),  # the morning of the first draw day votes for the second draw
        (msk(9, 7, 20, 0, 59), 1),
        (msk(9, 7, 20, 1, 0), 2),
        (msk(9, 8, 20, 0, 59), 2),
        (msk(9, 8, 20, 1, 0), None),
        (msk(9, 9, 9, 0), None),
        (msk(9, 1, 12, 0), 0),  # an early vote still belongs to the first window
    ],
)
def test_vote_belongs_to_the_first_window_ending_after_it(moment, window):
    assert draw_window(moment, S.window_ends) == window
    assert draw_window(moment.astimezone(UTC), S.window_ends) == window


def test_draw_window_with_windows_in_another_time_zone():
    ends = [end.astimezone(MOSCOW) for end in S.window_ends]
    assert draw_window(datetime(2024, 9, 7, 17, 0, 59, tzinfo=UTC), ends) == 1
    assert draw_window(datetime(2024, 9, 7, 17, 1, tzinfo=UTC), ends) == 2
    assert draw_window(datetime(2024, 9, 7, 17, 1, tzinfo=UTC), []) is None


@pytest.mark.parametrize(
    ("moment", "activation", "exchange", "category"),
    [
        (msk(9, 7, 9, 59, 59), False, False, True),
        (msk(9, 7, 10, 0, 0), True, True, True),
        (msk(9, 8, 19, 59, 59), True, True, True),
        (msk(9, 8, 20, 0, 0), True, True, False),
        (msk(9, 30, 23, 59, 59), True, True, False),
        (msk(10, 1, 0, 0, 0), False, True, False),
        (msk(12, 14, 23, 59, 59), False, True, False),
        (msk(12, 15, 0, 0, 0), False, False, False),
        (msk(8, 20, 7, 59, 59), False, False, False),
        (msk(8, 20, 8, 0, 0), False, False, True),
    ],
)
def test_activation_exchange_and_category_around_the_draw_days(moment, activation, exchange, category):
    assert activation_open(S, moment) is activation
    assert exchange_open(S, moment) is exchange
    assert category_open(S, moment) is category


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (msk(7, 30, 12, 0), "before"),
        (msk(7, 31, 0, 0), "info"),
        (msk(8, 29, 23, 59, 59), "info"),
        (msk(8, 30, 0, 0), "opt_out"),
        (msk(9, 5, 23, 59, 59), "opt_out"),
        (msk(9, 6, 0, 0), "draws"),
        (msk(9, 9, 9, 59, 59), "draws"),
        (msk(9, 9, 10, 0), "activation"),
        (msk(10, 1, 0, 0), "exchange"),
        (msk(12, 15, 0, 0), "finished"),
    ],
)
def test_phase(moment, expected):
    assert phase(S, moment) == expected
    assert PHASE_NAMES[expected]


def test_every_phase_has_a_russian_name():
    assert set(PHASES) == set(PHASE_NAMES)
    assert all(re.search("[а-я]", name) for name in PHASE_NAMES.values())


def test_the_2024_schedule_is_consistent():
    assert schedule_problem(S) is None


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"opt_in_ends_at": S.opt_out_ends_at + timedelta(minutes=1)}, "promo.schedule_opt_in"),
        ({"window_ends": (S.window_ends[1], S.window_ends[0], S.window_ends[2])}, "promo.schedule_windows"),
        ({"window_ends": ()}, "promo.schedule_windows"),
        ({"draws_due": (S.window_ends[0], *S.draws_due[1:])}, "promo.schedule_draws"),
        ({"draws_due": S.draws_due[:2]}, "promo.schedule_draws"),
        ({"info_ends_at": S.info_starts_at}, "promo.schedule_info"),
        ({"eligibility_at": S.opt_out_ends_at}, "promo.schedule_eligibility"),
        ({"category_ends_at": S.window_ends[-1] + timedelta(seconds=1)}, "promo.schedule_category"),
        ({"activation_ends_at": S.draws_due[-1]}, "promo.schedule_activation"),
        ({"exchange_ends_at": S.use_ends_at + timedelta(days=1)}, "promo.schedule_exchange"),
        ({"use_ends_at": datetime(2024, 12, 20)}, "promo.schedule_naive"),
    ],
)
def test_schedule_out_of_order_is_named(change, problem):
    assert schedule_problem(replace(S, **change)) == problem


# --- the draw -------------------------------------------------------------------------------------


def test_draw_ranks_by_sha256_of_seed_zero_key():
    seed = b"seed"
    keys = [key(n) for n in range(50)]
    expected = sorted(keys, key=lambda k: (hashlib.sha256(seed + b"\0" + k.encode()).digest(), k))
    assert draw_winners(seed, keys, [1000, 5000, 3000]) == {
        expected[0]: 5000,
        expected[1]: 3000,
        expected[2]: 1000,
    }


@pytest.mark.parametrize(
    ("people", "count"),
    [(45_000, 1), (45_000, 7_000), (45_000, 15_000), (45_000, 30_000), (20_000, 20_000), (20_001, 20_000)],
)
def test_ranking_across_batches_is_the_full_sort(people, count):
    """The ranking reads the list a batch at a time and drops keys behind the running cutoff; the
    result is still exactly the head of the full sort, whatever the batch boundaries."""
    seed = b"batches"
    keys = [key(n) for n in range(people)]
    full = sorted(keys, key=lambda k: (hashlib.sha256(seed + b"\0" + k.encode()).digest(), k))
    assert rank_keys(seed, iter(keys), count) == full[:count]


def test_draw_with_more_prizes_than_people_and_duplicates():
    winners = draw_winners(b"s", ["a", "b", "a", "b"], [1000, 1000, 5000])
    assert sorted(winners) == ["a", "b"]
    assert sorted(winners.values()) == [1000, 5000]
    assert draw_winners(b"s", [], [1000]) == {}
    assert draw_winners(b"s", ["a"], []) == {}


keys_strategy = st.lists(st.text(min_size=1, max_size=8), min_size=0, max_size=40)
prizes_strategy = st.lists(st.sampled_from([1000, 3000, 5000, 15000]), min_size=0, max_size=50)


@settings(max_examples=150, deadline=None)
@given(
    seed=st.binary(min_size=1, max_size=40), keys=keys_strategy, prizes=prizes_strategy, shuffle=st.randoms()
)
def test_draw_is_order_independent_and_awards_each_prize_once(seed, keys, prizes, shuffle):
    winners = draw_winners(seed, keys, prizes)
    shuffled_keys, shuffled_prizes = list(keys) * 2, list(prizes)
    shuffle.shuffle(shuffled_keys)
    shuffle.shuffle(shuffled_prizes)
    assert draw_winners(seed, shuffled_keys, shuffled_prizes) == winners
    assert draw_winners(seed, frozenset(keys), tuple(prizes)) == winners
    count = min(len(prizes), len(set(keys)))
    assert len(winners) == count
    assert set(winners) <= set(keys)
    assert sorted(winners.values(), reverse=True) == sorted(prizes, reverse=True)[:count]


@settings(max_examples=60, deadline=None)
@given(seed=st.binary(min_size=16, max_size=32))
def test_a_different_seed_gives_a_different_draw(seed):
    keys = [key(n) for n in range(200)]
    prizes = [1000] * 20
    other = bytes([seed[0] ^ 1]) + seed[1:]
    assert draw_winners(seed, keys, prizes) == draw_winners(seed, keys, prizes)
    # 20 winners of 200: two independent seeds give the same set with probability ~1e-27.
    assert set(draw_winners(seed, keys, prizes)) != set(draw_winners(other, keys, prizes))


def chi_square(counts: list[int], expected: float) -> float:
    return sum((count - expected) ** 2 / expected for count in counts)


def test_every_participant_equally_likely_to_win_each_prize():
    """Over 3 000 fixed seeds, each of 6 participants gets the top prize (and any prize) ~equally often.

    A bias toward the first/smallest key, or a modulo over a small range, pushes chi-square far above
    the 0.1 % critical value (20.5 for 5 degrees of freedom).
    """
    keys = ["a", "b", "c", "d", "e", "f"]
    top = dict.fromkeys(keys, 0)
    any_prize = dict.fromkeys(keys, 0)
    seeds = 3000
    for number in range(seeds):
        winners = draw_winners(number.to_bytes(4, "big"), keys, [5000, 1000])
        for winner, prize in winners.items():
            any_prize[winner] += 1
            top[winner] += prize == 5000
    assert chi_square(list(top.values()), seeds / 6) < 20.5
    assert chi_square(list(any_prize.values()), seeds * 2 / 6) < 20.5
    # And the check itself can fail: a draw that favours the smallest key is caught.
    biased = [sum(1 for n in range(seeds) if min(keys) == k or (n % 3 == 0 and k == "b")) for k in keys]
    assert chi_square(biased, seeds / 6) > 20.5


def test_effective_seed_mixes_normalised_public_entropy():
    seed = bytes(32)
    assert effective_seed(seed, "") == seed
    assert effective_seed(seed, "  \n ") == seed
    mixed = effective_seed(seed, "12 31 4 7 45 1")
    assert mixed == hashlib.sha256(seed + b"\0" + b"12 31 4 7 45 1").digest()
    assert effective_seed(seed, " 12  31\t4\n7 45 1 ") == mixed
    assert effective_seed(seed, "12 31 4 7 45 2") != mixed


def test_commitment_and_new_seed():
    seed = new_seed()
    assert len(seed) == 32 and seed != new_seed()
    assert commitment(seed) == hashlib.sha256(seed).hexdigest()
    assert re.fullmatch("[0-9a-f]{64}", commitment(seed))


# --- prizes, categories, keys, codes -------------------------------------------------------------


@pytest.mark.parametrize(
    ("won_main", "first_online", "age", "prize"),
    [
        (False, True, 30, EXTRA_PRIZE),
        (False, False, 60, EXTRA_PRIZE),
        (False, True, 75, EXTRA_PRIZE),  # both apply: still once
        (False, False, 59, 0),
        (True, True, 70, 0),
        (True, False, 30, 0),
        (False, False, 18, 0),
    ],
)
def test_extra_prize(won_main, first_online, age, prize):
    assert extra_prize(won_main=won_main, first_online_vote=first_online, age_on_vote_day=age) == prize


def test_categories():
    assert CATEGORIES == {"sport": "Спорт", "travel": "Путешествия и культура", "home": "Техника для дома"}
    assert check_category("home") == "home"
    with pytest.raises(InvalidInput) as error:
        check_category("Спорт")
    assert error.value.key == "promo.category_unknown"


def test_pseudonym_is_a_keyed_hash_of_the_user_id():
    first = pseudonym(b"secret", 42)
    assert KEY_PATTERN.match(first)
    assert first == pseudonym(b"secret", 42)
    assert first != pseudonym(b"secret", 43)
    assert first != pseudonym(b"other", 42)


def test_new_code_uses_no_look_alikes():
    codes = {new_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert len(code) == 10
        assert set(code) <= set(CODE_ALPHABET)
        assert not set(code) & set("01OI")


@pytest.mark.parametrize(
    ("spec", "prizes"),
    [
        ("5000x2,3000x1,1000x3", [5000, 5000, 3000, 1000, 1000, 1000]),
        (" 1000 x 2 , 5000х1 ", [5000, 1000, 1000]),  # spaces, Cyrillic «х»
        ("1000X1", [1000]),
        ("1000x2,1000x1", [1000, 1000, 1000]),
    ],
)
def test_parse_prizes(spec, prizes):
    assert parse_prizes(spec) == prizes


@pytest.mark.parametrize(
    ("spec", "key", "named"),
    [
        ("", "promo.prizes_empty", ""),
        ("5000x10,,1000x2", "promo.prizes_bad", "«»"),
        ("5000x10;1000x2", "promo.prizes_bad", "«5000x10;1000x2»"),
        ("5000", "promo.prizes_bad", "«5000»"),
        ("5000x-1", "promo.prizes_bad", "«5000x-1»"),
        ("пять x 10", "promo.prizes_bad", "«пять x 10»"),
        ("1000x2,0x5", "promo.prizes_range", "«0x5»"),
        ("1000x0", "promo.prizes_range", "«1000x0»"),
        ("10000001x1", "promo.prizes_range", "«10000001x1»"),
        ("1000x6000000,3000x5000000", "promo.prizes_too_many", ""),
    ],
)
def test_parse_prizes_refuses_bad_specs_naming_the_part(spec, key, named):
    with pytest.raises(InvalidInput) as error:
        parse_prizes(spec)
    assert error.value.key == key
    assert named in str(error.value)


@given(st.lists(st.sampled_from([1000, 3000, 5000, 7, 10_000_000]), min_size=1, max_size=60))
def test_prizes_spec_round_trip(prizes):
    spec = prizes_spec(prizes)
    assert parse_prizes(spec) == sorted(prizes, reverse=True)
    assert prizes_spec(reversed(prizes)) == spec


def test_prizes_spec_is_canonical():
    assert prizes_spec([1000, 5000, 1000, 3000]) == "5000x1,3000x1,1000x2"


# --- published files -------------------------------------------------------------------------------


def test_participants_file_is_sorted_unique_and_digested():
    keys = [key(n) for n in (5, 1, 3, 1)]
    lines = list(participants_lines(keys))
    assert lines == [(k + "\n").encode() for k in sorted(set(keys))]
    digest, count = list_digest(iter(keys))
    assert count == 3
    assert digest == hashlib.sha256(b"".join(lines)).hexdigest()
    with pytest.raises(InvalidInput):
        list(participants_lines(["not-a-key"]))


def test_winners_file():
    winners = {key(2): 1000, key(1): 5000}
    lines = list(winners_lines(winners))
    assert lines[0] == (WINNERS_HEADER + "\n").encode()
    assert lines[1:] == [f"{k};{winners[k]}\n".encode() for k in sorted(winners)]


# --- the voting system's file ----------------------------------------------------------------------


def snils(nine: str) -> str:
    return f"{nine}{snils_checksum(nine):02d}"


GOOD_SNILS = snils("112233445")
OTHER_SNILS = snils("123456789")


def test_parse_votes_good_file():
    formatted = f"{OTHER_SNILS[:3]}-{OTHER_SNILS[3:6]}-{OTHER_SNILS[6:9]} {OTHER_SNILS[9:]}"
    text = (
        "\ufeffperson;voted_at;channel;first_online\n"
        f"{GOOD_SNILS};2024-09-06 20:00:59;online;yes\n"
        "\n"
        f"{formatted};2024-09-06 17:01:00+00:00;терминал;нет\r\n"
        "+7 916 123-45-67;2024-09-07T08:00:00;онлайн;1\n"
        "8 916 765-43-21;2024-09-07 09:00:00Z;online;0\n"
    )
    rows = parse_votes(text)
    assert [row.line for row in rows] == [2, 4, 5, 6]
    assert [(row.snils, row.phone) for row in rows] == [
        (GOOD_SNILS, ""),
        (OTHER_SNILS, ""),
        ("", "+79161234567"),
        ("", "+79167654321"),
    ]
    assert rows[0].voted_at == datetime(2024, 9, 6, 17, 0, 59, tzinfo=UTC)
    assert draw_window(rows[0].voted_at, S.window_ends) == 0
    assert draw_window(rows[1].voted_at, S.window_ends) == 1
    assert [row.channel for row in rows] == ["online", "terminal", "online", "online"]
    assert [row.first_online for row in rows] == [True, False, True, False]
    assert all(row.voted_at.tzinfo is UTC for row in rows)


HEADER = "person;voted_at;channel;first_online\n"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (f"{GOOD_SNILS};2024-09-06 20:00:59;online", "4 поля"),
        (f"{GOOD_SNILS[:-1]}0;2024-09-06 20:00:59;online;yes", "контрольной суммой"),
        ("123-456-789 00;2024-09-06 20:00:59;online;yes", "контрольной суммой"),
        ("Иванов;2024-09-06 20:00:59;online;yes", "Не СНИЛС"),
        ("+7 495 123-45-67;2024-09-06 20:00:59;online;yes", "Не СНИЛС"),
        (f"{GOOD_SNILS};06.09.2024 20:00;online;yes", "Время"),
        (f"{GOOD_SNILS};2024-09-06;online;yes", "Время"),
        (f"{GOOD_SNILS};2024-02-30 10:00:00;online;yes", "Время"),
        (f"{GOOD_SNILS};2024-09-06 20:00:59;почта;yes", "Канал"),
        (f"{GOOD_SNILS};2024-09-06 20:00:59;online;может", "yes или no"),
        (f"{GOOD_SNILS};2024-09-06 20:00:59;terminal;yes", "на терминале"),
    ],
)
def test_parse_votes_refuses_each_malformed_row_with_its_line(row, reason):
    good = "+79161234567;2024-09-06 10:00:00;online;no\n"
    with pytest.raises(VoteFileError) as error:
        parse_votes(HEADER + good + row + "\n" + good.replace("916", "926"))
    assert error.value.problems and error.value.problems[0][0] == 3
    assert len(error.value.problems) == 1
    assert "Строка 3:" in str(error.value) and reason in str(error.value)


def test_parse_votes_ambiguous_eleven_digits_are_refused():
    # 89161234567 is a valid mobile number in the 8… form; find a SNILS-valid one of the same shape.
    ambiguous = next(
        f"8916{tail:05d}{snils_checksum(f'8916{tail:05d}'):02d}"
        for tail in range(100000)
        if snils_checksum(f"8916{tail:05d}") < 100
    )
    with pytest.raises(VoteFileError) as error:
        parse_votes(HEADER + f"{ambiguous};2024-09-06 10:00:00;online;no\n")
    assert "+7" in str(error.value)


def test_parse_votes_lists_every_bad_line_and_counts_the_rest():
    rows = "".join(f"{GOOD_SNILS[:-1]}0;2024-09-06 10:00:00;online;no\n" for _ in range(25))
    with pytest.raises(VoteFileError) as error:
        parse_votes(HEADER + rows)
    text = str(error.value)
    assert [line for line, _ in error.value.problems] == list(range(2, 27))
    for line in range(2, 22):
        assert f"Строка {line}:" in text
    assert "Строка 22:" not in text
    assert "И ещё строк с ошибками: 5." in text
    assert "Строк с ошибками: 25." in text


def test_parse_votes_person_twice_is_refused():
    text = (
        HEADER
        + f"{GOOD_SNILS};2024-09-06 10:00:00;online;no\n"
        + "+79161234567;2024-09-06 10:00:00;online;no\n"
        + f"{GOOD_SNILS[:3]}-{GOOD_SNILS[3:6]}-{GOOD_SNILS[6:9]} {GOOD_SNILS[9:]};2024-09-07 10:00:00;terminal;no\n"
        + "8 916 123-45-67;2024-09-07 10:00:00;online;no\n"
    )
    with pytest.raises(VoteFileError) as error:
        parse_votes(text)
    assert [line for line, _ in error.value.problems] == [4, 5]
    assert "уже указан в строке 2" in str(error.value)
    assert "уже указан в строке 3" in str(error.value)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "promo.votes_empty"),
        ("\ufeff\n\n", "promo.votes_empty"),
        (f"{GOOD_SNILS};2024-09-06 10:00:00;online;no\n", "promo.votes_header"),
        ("person;voted_at;channel\n", "promo.votes_header"),
        (HEADER, "promo.votes_no_rows"),
    ],
)
def test_parse_votes_empty_or_headerless_file_is_refused(text, key):
    with pytest.raises(VoteFileError) as error:
        parse_votes(text)
    assert error.value.key == key


def test_vote_time_without_offset_is_moscow_time():
    (row,) = parse_votes(HEADER + f"{GOOD_SNILS};2024-09-06 20:01:00;online;no\n")
    assert row.voted_at == msk(9, 6, 20, 1)
    assert draw_window(row.voted_at, S.window_ends) == 1


def test_draw_window_agrees_with_a_random_model():
    rng = random.Random(7)
    for _ in range(500):
        moment = S.window_ends[0] - timedelta(days=1) + timedelta(seconds=rng.randrange(4 * 86400))
        expected = next((index for index, end in enumerate(S.window_ends) if end > moment), None)
        assert draw_window(moment, S.window_ends) == expected
