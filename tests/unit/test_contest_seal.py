"""The sealed final rating of a receipt contest: canonical CSV, its SHA-256 and the verifier (issue 14, item 7)."""

import hashlib
import json
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ag_app.cli import app as cli
from ag_app.domain.clock import MOSCOW
from ag_app.domain.contest import GENERAL_PRIZES, Standing, rank
from ag_app.domain.contest_seal import (
    HEADER,
    HEADER_LINE,
    REASON_BLANK,
    REASON_COLUMNS,
    REASON_CRLF,
    REASON_DUPLICATE,
    REASON_EMPTY,
    REASON_HASH,
    REASON_HEADER,
    REASON_NO_NEWLINE,
    REASON_NUMBER,
    REASON_ORDER,
    REASON_PLACE,
    REASON_PRIZE_AFTER,
    REASON_PRIZE_UP,
    REASON_TIME,
    WHY_ORDER,
    csv_lines,
    final_rows,
    moment_text,
    sha256_of,
    verify_rating,
)

T = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)
REG = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
LAST = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
# Twelve participants designed so that every tie-break level decides at least once:
# 2/3 tie on points (reached decides), 4/5 on points and reached (last receipt decides),
# 6/7 on everything but registration, 8/9 on every moment (participant number decides),
# 11/12 on points with reached one microsecond apart. Participant numbers do not follow places.
STANDINGS = [
    Standing(730, 40, T, LAST, REG),
    Standing(118, 30, T + timedelta(hours=1), LAST, REG),
    Standing(12, 30, T + timedelta(hours=2), LAST - timedelta(days=3), REG),
    Standing(905, 20, T + timedelta(hours=3), LAST - timedelta(days=1), REG),
    # The same instants given in Moscow time and naive (as SQLite returns them): the same rating.
    Standing(44, 20, (T + timedelta(hours=3)).astimezone(MOSCOW), LAST.replace(tzinfo=None), REG),
    Standing(650, 10, T + timedelta(hours=4), LAST, REG),
    Standing(61, 10, T + timedelta(hours=4), LAST, REG + timedelta(seconds=1)),
    Standing(210, 5, T + timedelta(hours=5), LAST, REG),
    Standing(390, 5, T + timedelta(hours=5), LAST, REG),
    Standing(7, 3, T, LAST, REG),
    Standing(333, 1, T + timedelta(microseconds=123455), LAST, REG),
    Standing(222, 1, T + timedelta(microseconds=123456), LAST, REG),
]
EXPECTED_ORDER = [730, 118, 12, 905, 44, 650, 61, 210, 390, 7, 333, 222]


def published() -> tuple[list[str], str]:
    """The text lines of the published file (line ends kept) and its published hash."""
    shuffled = list(STANDINGS)
    random.Random(14).shuffle(shuffled)
    lines = list(csv_lines(final_rows(shuffled, GENERAL_PRIZES)))
    return [line.decode("utf-8") for line in lines], sha256_of(lines)


def raw_hash(lines: list[str]) -> str:
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def test_final_rows_follow_the_rule_with_places_and_prizes():
    rows = list(final_rows(reversed(STANDINGS), GENERAL_PRIZES))
    assert [row.participant_id for row in rows] == EXPECTED_ORDER
    assert [row.place for row in rows] == list(range(1, 13))
    assert [row.prize_rub for row in rows] == [2000, 1500, 1000, 500, 300] + [0] * 7
    assert rows[4].standing.reached_at == T + timedelta(hours=3)
    assert rows[4].standing.last_receipt_at == LAST


def test_final_rows_refuse_a_participant_twice():
    with pytest.raises(ValueError, match="730"):
        list(final_rows([*STANDINGS, Standing(730, 1, T, LAST, REG)], GENERAL_PRIZES))


def test_the_file_is_the_documented_canonical_text():
    lines, digest = published()
    assert lines[0] == HEADER_LINE
    assert HEADER_LINE == (
        'Место,Номер участника,Баллы,Сумма достигнута (UTC),Последний чек (UTC),Регистрация (UTC),"Приз, ₽"\n'
    )
    assert lines[1] == (
        "1,730,40,2026-11-30T18:00:00.000000Z,2026-11-29T12:00:00.000000Z,2026-03-01T09:00:00.000000Z,2000\n"
    )
    assert lines[12].startswith("12,222,1,2026-11-30T18:00:00.123456Z,")
    assert all(line.endswith("\n") and not line.endswith("\r\n") for line in lines)
    assert not lines[0].startswith("\ufeff")
    assert digest == raw_hash(lines)
    assert moment_text(datetime(987, 1, 2, 3, 4, 5, 6)) == "0987-01-02T03:04:05.000006Z"


def test_the_published_file_verifies_and_names_the_winners():
    lines, digest = published()
    report = verify_rating(lines, expect_hash=digest.upper())
    assert report.ok, report.reason
    assert (report.rows, report.sha256, report.first_bad_row, report.reason) == (12, digest, None, "")
    assert report.as_dict() == {
        "ok": True,
        "rows": 12,
        "sha256": digest,
        "winners": [
            {"place": 1, "participant": 730, "points": 40, "prize": 2000},
            {"place": 2, "participant": 118, "points": 30, "prize": 1500},
            {"place": 3, "participant": 12, "points": 30, "prize": 1000},
            {"place": 4, "participant": 905, "points": 20, "prize": 500},
            {"place": 5, "participant": 44, "points": 20, "prize": 300},
        ],
        "winners_total": 5,
    }
    assert verify_rating(lines, expect_hash=None).ok


# ----------------------------------------------------------------------------------------------
# Edits: each is caught at the right row with the right reason


def cells(lines: list[str], row: int) -> list[str]:
    return lines[row].rstrip("\n").split(",")


def with_cells(lines: list[str], row: int, **changes: str) -> list[str]:
    """A copy with cells of one row replaced, by column: place, pid, points, reached, last, reg, prize."""
    names = ("place", "pid", "points", "reached", "last", "reg", "prize")
    values = cells(lines, row)
    for name, value in changes.items():
        values[names.index(name)] = value
    return [*lines[:row], ",".join(values) + "\n", *lines[row + 1 :]]


def swap_lines(lines: list[str], a: int, b: int) -> list[str]:
    edited = list(lines)
    edited[a], edited[b] = edited[b], edited[a]
    return edited


def swap_contents(lines: list[str], a: int, b: int) -> list[str]:
    """Swap two participants but keep each line's place and prize (a forger renumbering)."""
    first, second = cells(lines, a), cells(lines, b)
    edited = with_cells(
        lines, a, pid=second[1], points=second[2], reached=second[3], last=second[4], reg=second[5]
    )
    return with_cells(edited, b, pid=first[1], points=first[2], reached=first[3], last=first[4], reg=first[5])


def order(row: int, level: int) -> str:
    return REASON_ORDER.format(row=row, prev=row - 1, why=WHY_ORDER[level])


def later(lines: list[str], row: int, column: str, **delta: int) -> str:
    """The moment in a cell moved later by ``delta`` (timedelta arguments), as written in the file."""
    index = ("reached", "last", "reg").index(column) + 3
    return moment_text(datetime.fromisoformat(cells(lines, row)[index]) + timedelta(**delta))


EDITS: list[tuple[str, Callable[[list[str]], list[str]], int | None, str]] = [
    ("swapped two lines", lambda ls: swap_lines(ls, 3, 4), 3, REASON_PLACE.format(row=3, place=4)),
    ("swapped two participants, places kept", lambda ls: swap_contents(ls, 4, 5), 5, order(5, 2)),
    ("swapped first and last participant", lambda ls: swap_contents(ls, 1, 12), 2, order(2, 0)),
    ("points raised above the row above", lambda ls: with_cells(ls, 7, points="25"), 7, order(7, 0)),
    ("points lowered below the row below", lambda ls: with_cells(ls, 8, points="0"), 9, order(9, 0)),
    (
        "reached later: the points tie flips",
        lambda ls: with_cells(ls, 2, reached=later(ls, 2, "reached", hours=2)),
        3,
        order(3, 1),
    ),
    (
        "last receipt later: the tie flips",
        lambda ls: with_cells(ls, 4, last=later(ls, 4, "last", days=2)),
        5,
        order(5, 2),
    ),
    (
        "registered later: the tie flips",
        lambda ls: with_cells(ls, 6, reg=later(ls, 6, "reg", seconds=2)),
        7,
        order(7, 3),
    ),
    (
        "one microsecond later: the tie flips",
        lambda ls: with_cells(ls, 11, reached=later(ls, 11, "reached", microseconds=2)),
        12,
        order(12, 1),
    ),
    ("participant number below the tied row above", lambda ls: with_cells(ls, 9, pid="100"), 9, order(9, 4)),
    ("a row removed", lambda ls: [*ls[:5], *ls[6:]], 5, REASON_PLACE.format(row=5, place=6)),
    (
        "a row duplicated",
        lambda ls: [*ls[:4], ls[3], *ls[4:]],
        4,
        REASON_DUPLICATE.format(row=4, participant=12),
    ),
    (
        "a participant added again at the end, renumbered",
        lambda ls: [
            *ls,
            f"13,730,0,{later(ls, 12, 'reached', days=1)},{cells(ls, 12)[4]},{cells(ls, 12)[5]},0\n",
        ],
        13,
        REASON_DUPLICATE.format(row=13, participant=730),
    ),
    (
        "a prize raised above the place above",
        lambda ls: with_cells(ls, 2, prize="2500"),
        2,
        REASON_PRIZE_UP.format(row=2, prize=2500, prev=1, prev_prize=2000),
    ),
    (
        "a prize after the last prize place",
        lambda ls: with_cells(ls, 7, prize="100"),
        7,
        REASON_PRIZE_AFTER.format(row=7, prize=100, prev=6),
    ),
    (
        "a space at the end of a row",
        lambda ls: [*ls[:6], ls[6][:-1] + " \n", *ls[7:]],
        6,
        REASON_NUMBER.format(row=6, column="Приз, ₽", value="0 "),
    ),
    (
        "a space after a comma",
        lambda ls: with_cells(ls, 2, points=" 30"),
        2,
        REASON_NUMBER.format(row=2, column="Баллы", value=" 30"),
    ),
    ("a blank line at the end", lambda ls: [*ls, "\n"], 13, REASON_BLANK.format(row=13)),
    (
        "a leading zero",
        lambda ls: with_cells(ls, 10, points="03"),
        10,
        REASON_NUMBER.format(row=10, column="Баллы", value="03"),
    ),
    (
        "Arabic-Indic digits",
        lambda ls: with_cells(ls, 10, pid="٧"),
        10,
        REASON_NUMBER.format(row=10, column="Номер участника", value="٧"),
    ),
    (
        "a moment without microseconds",
        lambda ls: with_cells(ls, 3, last="2026-11-26T12:00:00Z"),
        3,
        REASON_TIME.format(row=3, column="Последний чек (UTC)", value="2026-11-26T12:00:00Z"),
    ),
    (
        "a moment in Moscow time",
        lambda ls: with_cells(ls, 3, reg="2026-03-01T12:00:00.000000+03:00"),
        3,
        REASON_TIME.format(row=3, column="Регистрация (UTC)", value="2026-03-01T12:00:00.000000+03:00"),
    ),
    (
        "an impossible date",
        lambda ls: with_cells(ls, 3, reached="2026-13-01T00:00:00.000000Z"),
        3,
        REASON_TIME.format(row=3, column="Сумма достигнута (UTC)", value="2026-13-01T00:00:00.000000Z"),
    ),
    (
        "a column added",
        lambda ls: [*ls[:8], ls[8][:-1] + ",1\n", *ls[9:]],
        8,
        REASON_COLUMNS.format(row=8, count=8, expected=7),
    ),
    (
        "the header of another file",
        lambda ls: ["№,Код квитанции,Время (час, МСК)\n", *ls[1:]],
        0,
        REASON_HEADER,
    ),
    ("the prize heading unquoted", lambda ls: [ls[0].replace('"', ""), *ls[1:]], 0, REASON_HEADER),
    ("a byte order mark", lambda ls: ["\ufeff" + ls[0], *ls[1:]], 0, REASON_HEADER),
    ("no header", lambda ls: ls[1:], 0, REASON_HEADER),
    (
        "CR LF line ends",
        lambda ls: [line[:-1] + "\r\n" for line in ls],
        0,
        REASON_CRLF.format(line="заголовка"),
    ),
    (
        "one row with CR LF",
        lambda ls: [*ls[:9], ls[9][:-1] + "\r\n", *ls[10:]],
        9,
        REASON_CRLF.format(line=9),
    ),
    (
        "no line end after the last row",
        lambda ls: [*ls[:-1], ls[-1][:-1]],
        12,
        REASON_NO_NEWLINE.format(line=12),
    ),
    (
        "no line end after the header",
        lambda ls: [ls[0][:-1]],
        0,
        REASON_NO_NEWLINE.format(line="заголовка"),
    ),
]


@pytest.mark.parametrize(
    ("edit", "row", "reason"), [case[1:] for case in EDITS], ids=[case[0] for case in EDITS]
)
def test_every_edit_is_caught_at_the_right_row(edit, row, reason):
    lines, digest = published()
    edited = edit(lines)
    for expect in (None, digest):
        report = verify_rating(edited, expect_hash=expect)
        assert not report.ok
        assert (report.first_bad_row, report.reason) == (row, reason)
        # The report shows the hash of the whole file as it is (what sha256sum shows), never the published one.
        assert report.sha256 == raw_hash(edited) != digest
        assert report.rows == len(edited) - 1
        assert report.winners == [] and report.winners_total == 0
        assert report.as_dict()["first_bad_row"] == row and report.as_dict()["reason"] == reason


HASH_ONLY: list[tuple[str, Callable[[list[str]], list[str]]]] = [
    ("the last row removed", lambda ls: ls[:-1]),
    ("points raised without changing the order", lambda ls: with_cells(ls, 1, points="45")),
    ("points lowered without changing the order", lambda ls: with_cells(ls, 3, points="21")),
    ("a prize changed within its neighbours", lambda ls: with_cells(ls, 3, prize="1200")),
    (
        "a row added at the end",
        lambda ls: [*ls, f"13,999,0,{cells(ls, 12)[3]},{cells(ls, 12)[4]},{cells(ls, 12)[5]},0\n"],
    ),
]


@pytest.mark.parametrize("edit", [case[1] for case in HASH_ONLY], ids=[case[0] for case in HASH_ONLY])
def test_edits_the_rule_cannot_see_are_caught_by_the_published_hash(edit):
    lines, digest = published()
    edited = edit(lines)
    assert verify_rating(edited, expect_hash=None).ok
    report = verify_rating(edited, expect_hash=digest)
    assert not report.ok
    assert report.first_bad_row is None
    assert report.reason == REASON_HASH.format(actual=raw_hash(edited), expected=digest)
    assert report.as_dict()["first_bad_row"] is None
    assert report.winners == []


def test_an_empty_file_is_refused():
    report = verify_rating([], expect_hash=None)
    assert (report.ok, report.rows, report.first_bad_row, report.reason) == (False, 0, 0, REASON_EMPTY)
    assert report.sha256 == hashlib.sha256(b"").hexdigest()


def test_a_contest_without_participants_is_just_the_header():
    lines = [line.decode() for line in csv_lines(final_rows([], GENERAL_PRIZES))]
    assert lines == [HEADER_LINE]
    report = verify_rating(lines, expect_hash=sha256_of(line.encode() for line in lines))
    assert (report.ok, report.rows, report.winners) == (True, 0, [])


def test_the_header_columns_are_the_documented_ones():
    assert HEADER == (
        "Место",
        "Номер участника",
        "Баллы",
        "Сумма достигнута (UTC)",
        "Последний чек (UTC)",
        "Регистрация (UTC)",
        "Приз, ₽",
    )


# ----------------------------------------------------------------------------------------------
# Properties

moments = st.sampled_from([T + timedelta(minutes=m) for m in (0, 1, 2)] + [T + timedelta(microseconds=1)])
zones = st.sampled_from(["utc", "moscow", "naive"])


def in_zone(moment: datetime, zone: str) -> datetime:
    if zone == "moscow":
        return moment.astimezone(MOSCOW)
    return moment.replace(tzinfo=None) if zone == "naive" else moment


@st.composite
def contests(draw) -> tuple[list[Standing], tuple[int, ...]]:
    ids = draw(st.lists(st.integers(1, 10**9), unique=True, max_size=40))
    standings = [
        Standing(
            pid,
            draw(st.integers(0, 3)),
            in_zone(draw(moments), draw(zones)),
            in_zone(draw(moments), draw(zones)),
            in_zone(draw(moments), draw(zones)),
        )
        for pid in ids
    ]
    prizes = tuple(sorted(draw(st.lists(st.integers(0, 5000), max_size=8)), reverse=True))
    return standings, prizes


@settings(max_examples=200)
@given(contests(), st.randoms(use_true_random=False))
def test_any_rating_verifies_and_does_not_depend_on_the_input_order(contest, rnd):
    standings, prizes = contest
    data = b"".join(csv_lines(final_rows(standings, prizes)))
    shuffled = list(standings)
    rnd.shuffle(shuffled)
    assert b"".join(csv_lines(final_rows(shuffled, prizes))) == data
    lines = data.decode("utf-8").splitlines(keepends=True)
    report = verify_rating(lines, expect_hash=hashlib.sha256(data).hexdigest())
    assert report.ok, report.reason
    assert report.rows == len(standings)
    ranked = rank(standings)
    assert [w["participant"] for w in report.winners] == [
        s.participant_id for place, s in enumerate(ranked, 1) if place <= len(prizes) and prizes[place - 1]
    ]


@settings(max_examples=200)
@given(contests(), st.data())
def test_swapping_any_two_participants_is_caught_right_after_the_first(contest, data):
    standings, prizes = contest
    if len(standings) < 2:
        return
    lines = [line.decode() for line in csv_lines(final_rows(standings, prizes))]
    a = data.draw(st.integers(1, len(standings) - 1))
    b = data.draw(st.integers(a + 1, len(standings)))
    report = verify_rating(swap_contents(lines, a, b), expect_hash=None)
    assert not report.ok
    assert report.first_bad_row == a + 1
    assert report.reason.startswith(f"Строка {a + 1} стоит не на своём месте")


# ----------------------------------------------------------------------------------------------
# The command


def run(*args: str):
    result = CliRunner().invoke(cli, ["verify-rating", *map(str, args)])
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else None, result.stderr


@pytest.fixture
def final_csv(tmp_path):
    data = b"".join(csv_lines(final_rows(STANDINGS, GENERAL_PRIZES)))
    path = tmp_path / "final.csv"
    path.write_bytes(data)
    return path, data, hashlib.sha256(data).hexdigest()


def test_command_passes_the_published_file(final_csv):
    path, _, digest = final_csv
    code, report, _ = run(path, "--expect-hash", digest)
    assert code == 0
    assert report["ok"] is True and report["rows"] == 12 and report["sha256"] == digest
    assert [w["prize"] for w in report["winners"]] == [2000, 1500, 1000, 500, 300]
    assert "first_bad_row" not in report


def test_command_names_the_edited_row(final_csv):
    path, data, digest = final_csv
    lines = data.decode().splitlines(keepends=True)
    path.write_text("".join(with_cells(lines, 7, points="25")), encoding="utf-8", newline="")
    code, report, _ = run(path, "--expect-hash", digest)
    assert code == 1
    assert report["ok"] is False and report["first_bad_row"] == 7
    assert report["reason"] == order(7, 0)


def test_command_refuses_a_crlf_copy_and_a_hash_mismatch(final_csv):
    path, data, digest = final_csv
    path.write_bytes(data.replace(b"\n", b"\r\n"))
    code, report, _ = run(path)
    assert code == 1 and report["first_bad_row"] == 0
    assert report["sha256"] == hashlib.sha256(data.replace(b"\n", b"\r\n")).hexdigest()
    path.write_bytes(data[: data.rindex(b"\n", 0, len(data) - 1) + 1])
    code, report, _ = run(path, "--expect-hash", digest)
    assert code == 1 and report["first_bad_row"] is None
    assert "не совпадает с опубликованным" in report["reason"]


def test_command_refuses_undecodable_bytes_at_their_row(final_csv):
    path, data, _ = final_csv
    lines = data.splitlines(keepends=True)
    lines[4] = lines[4].replace(b",20,", b",2\xff,")
    path.write_bytes(b"".join(lines))
    code, report, _ = run(path)
    assert code == 1 and report["first_bad_row"] == 4
    assert report["reason"] == REASON_NUMBER.format(row=4, column="Баллы", value="2\ufffd")
    assert report["sha256"] == hashlib.sha256(b"".join(lines)).hexdigest()


def test_command_cannot_read_a_missing_file(tmp_path):
    code, report, stderr = run(tmp_path / "нет.csv")
    assert code == 2 and report is None
    assert stderr.startswith("Не удалось прочитать")
    code, _, stderr = run(tmp_path)
    assert code == 2 and "Не удалось прочитать" in stderr
