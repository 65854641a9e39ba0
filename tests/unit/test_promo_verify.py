"""Anyone can re-run a published promo draw (issue 15): the verifier and ``ag-app promo verify-draw``."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ag_app.cli import app as cli
from ag_app.domain.promo import (
    commitment,
    draw_winners,
    effective_seed,
    list_digest,
    parse_prizes,
    participants_lines,
    prizes_spec,
    pseudonym,
    winners_lines,
)
from ag_app.domain.promo_verify import verify_draw

PRIZES = "5000x3,3000x5,1000x12"
ENTROPY = "12 31 4 7 45 1"


@dataclass
class Published:
    """The files and values a campaign publishes for one draw."""

    participants: Path
    winners: Path
    seed_hex: str
    commitment_hex: str
    list_sha256: str
    keys: list[str]
    result: dict[str, int]

    def verify(self, **changes: object):
        arguments: dict[str, object] = {
            "participants": self.participants,
            "seed_hex": self.seed_hex,
            "commitment_hex": self.commitment_hex,
            "prizes": PRIZES,
            "winners": self.winners,
            "entropy": ENTROPY,
            "list_sha256": self.list_sha256,
        }
        arguments.update(changes)
        return verify_draw(**arguments)  # type: ignore[arg-type]

    def cli_args(self, **changes: str) -> list[str]:
        values = {
            "--participants": str(self.participants),
            "--seed": self.seed_hex,
            "--commitment": self.commitment_hex,
            "--prizes": PRIZES,
            "--winners": str(self.winners),
            "--entropy": ENTROPY,
            "--list-sha256": self.list_sha256,
        }
        values.update({f"--{name.replace('_', '-')}": value for name, value in changes.items()})
        return ["promo", "verify-draw", *(part for pair in values.items() for part in pair)]


@pytest.fixture
def published(tmp_path: Path) -> Published:
    seed = hashlib.sha256(b"demo draw seed").digest()
    keys = [pseudonym(b"campaign secret", user_id) for user_id in range(1, 301)]
    result = draw_winners(effective_seed(seed, ENTROPY), keys, parse_prizes(PRIZES))
    participants = tmp_path / "participants.txt"
    participants.write_bytes(b"".join(participants_lines(keys)))
    winners = tmp_path / "winners.csv"
    winners.write_bytes(b"".join(winners_lines(result)))
    digest, _ = list_digest(keys)
    return Published(participants, winners, seed.hex(), commitment(seed), digest, sorted(keys), result)


def lines_of(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def test_the_published_draw_is_confirmed(published: Published):
    report = published.verify()
    assert report.ok, report.problem
    assert report.problem == ""
    assert report.count == 300
    assert report.winners == 20
    assert report.list_sha256 == hashlib.sha256(published.participants.read_bytes()).hexdigest()


def test_without_optional_digest_and_with_upper_case_hex(published: Published):
    report = published.verify(
        list_sha256=None, seed_hex=published.seed_hex.upper(), commitment_hex=published.commitment_hex.upper()
    )
    assert report.ok, report.problem


def test_malformed_seed_is_named_first(published: Published):
    report = published.verify(seed_hex="zz" + published.seed_hex[2:], commitment_hex="0" * 64)
    assert not report.ok
    assert "шестнадцатеричными" in report.problem
    assert not published.verify(seed_hex="abc").ok


def test_edited_seed_does_not_match_the_commitment(published: Published):
    edited = ("0" if published.seed_hex[0] != "0" else "1") + published.seed_hex[1:]
    report = published.verify(seed_hex=edited)
    assert not report.ok
    assert "обязательством" in report.problem


def test_wrong_commitment_is_named(published: Published):
    report = published.verify(commitment_hex=hashlib.sha256(b"other").hexdigest())
    assert not report.ok
    assert "обязательством" in report.problem


def test_edited_list_line_is_caught_by_the_digest(published: Published):
    lines = lines_of(published.participants)
    # Replace a non-winner so the list stays sorted and the draw alone might not notice.
    index = next(i for i, line in enumerate(lines) if line[:-1].decode() not in published.result)
    previous = lines[index - 1][:-1].decode() if index else ""
    following = lines[index + 1][:-1].decode()
    candidate = f"{int(previous or '0', 16) + 1:020x}"
    assert previous < candidate < following
    lines[index] = (candidate + "\n").encode()
    published.participants.write_bytes(b"".join(lines))
    report = published.verify()
    assert not report.ok
    assert "списка участников" in report.problem and "не совпадает" in report.problem
    assert report.list_sha256 != published.list_sha256


def test_removed_line_is_caught(published: Published):
    lines = lines_of(published.participants)
    winner_line = next(i for i, line in enumerate(lines) if line[:-1].decode() in published.result)
    del lines[winner_line]
    published.participants.write_bytes(b"".join(lines))
    report = published.verify()
    assert not report.ok
    assert "не совпадает" in report.problem
    assert report.count == 299
    # Even without the published digest, the recomputed winners differ.
    report = published.verify(list_sha256=None)
    assert not report.ok
    assert "пересчёт" in report.problem or "по пересчёту" in report.problem


@pytest.mark.parametrize(
    ("edit", "named"),
    [
        (lambda lines: [lines[1], lines[0], *lines[2:]], "строка 2: ключи должны идти по возрастанию"),
        (lambda lines: [lines[0], lines[0], *lines[1:]], "строка 2: ключи должны идти по возрастанию"),
        (lambda lines: [*lines[:4], b"Ivanov\n", *lines[5:]], "строка 5: это не ключ"),
        (lambda lines: [*lines[:-1], lines[-1][:-1]], "строка 300: строка должна заканчиваться"),
        (lambda lines: [lines[0].upper(), *lines[1:]], "строка 1: это не ключ"),
        (lambda lines: [lines[0][:-1] + b"\r\n", *lines[1:]], "строка 1: это не ключ"),
    ],
)
def test_non_canonical_list_names_the_line(published: Published, edit, named):
    published.participants.write_bytes(b"".join(edit(lines_of(published.participants))))
    report = published.verify(list_sha256=None)
    assert not report.ok
    assert named in report.problem


def test_edited_winner_prize_is_named(published: Published):
    lines = lines_of(published.winners)
    key, prize = lines[3].decode().strip().split(";")
    other = "1000" if prize != "1000" else "5000"
    lines[3] = f"{key};{other}\n".encode()
    published.winners.write_bytes(b"".join(lines))
    report = published.verify()
    assert not report.ok
    assert f"Победитель {key}: в файле приз {other}, а пересчёт даёт {prize}." == report.problem


def test_substituted_winner_is_named(published: Published):
    lines = lines_of(published.winners)
    loser = next(k for k in published.keys if k not in published.result)
    removed_key, prize = lines[1].decode().strip().split(";")
    rows = sorted([*(line.decode() for line in lines[2:]), f"{loser};{prize}\n"])
    published.winners.write_bytes(lines[0] + "".join(rows).encode())
    report = published.verify()
    assert not report.ok
    first = min(loser, removed_key)
    assert first in report.problem
    assert ("отсутствует" in report.problem) == (first == removed_key)
    assert ("не выигрывает" in report.problem) == (first == loser)


@pytest.mark.parametrize(
    ("content", "named"),
    [
        (b"", "строка 1: нужен заголовок"),
        (b"key,prize\n", "строка 1: нужен заголовок"),
        (b"key;prize\nabc;1000\n", "строка 2: нужна запись"),
        (b"key;prize\n" + b"a" * 20 + b";0\n", "строка 2: нужна запись"),
        (b"key;prize\n" + b"b" * 20 + b";1000\n" + b"a" * 20 + b";1000\n", "строка 3: ключи должны идти"),
    ],
)
def test_malformed_winners_file_names_the_line(published: Published, content, named):
    published.winners.write_bytes(content)
    report = published.verify()
    assert not report.ok
    assert named in report.problem


def test_wrong_entropy_changes_the_draw(published: Published):
    report = published.verify(entropy="12 31 4 7 45 2")
    assert not report.ok
    assert "пересчёт" in report.problem
    # Blank entropy is the bare seed, which was not used for this draw either.
    assert not published.verify(entropy="").ok
    # The same numbers written with other spacing are the same public randomness.
    assert published.verify(entropy="  12 31\t4 7  45 1 ").ok


def test_wrong_prize_spec(published: Published):
    assert not published.verify(prizes="5000x3,3000x5,1000x11").ok
    report = published.verify(prizes="5000x3;1000x2")
    assert not report.ok and "«5000x3;1000x2»" in report.problem


def test_missing_file_is_named(published: Published, tmp_path: Path):
    report = published.verify(winners=tmp_path / "nope.csv")
    assert not report.ok and "nope.csv" in report.problem


def test_empty_draw_is_confirmed(tmp_path: Path):
    participants = tmp_path / "p.txt"
    participants.write_bytes(b"")
    winners = tmp_path / "w.csv"
    winners.write_bytes(b"".join(winners_lines({})))
    seed = bytes(32)
    report = verify_draw(participants, seed.hex(), commitment(seed), "1000x1", winners)
    assert report.ok and report.count == 0 and report.list_sha256 == hashlib.sha256(b"").hexdigest()


runner = CliRunner()


def test_cli_confirms_the_draw(published: Published):
    result = runner.invoke(cli, published.cli_args())
    assert result.exit_code == 0, result.output
    assert "Участников в списке: 300." in result.output
    assert f"SHA-256 списка участников: {published.list_sha256}." in result.output
    assert "Победителей в файле: 20." in result.output
    assert "Розыгрыш подтверждён" in result.output


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"seed": "00" * 32}, "обязательством"),
        ({"entropy": ""}, "пересчёт"),
        ({"list_sha256": "0" * 64}, "не совпадает"),
        ({"seed": "xyz"}, "шестнадцатеричными"),
    ],
)
def test_cli_exits_1_naming_the_problem(published: Published, changes, named):
    result = runner.invoke(cli, published.cli_args(**changes))
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # a clean exit, not a crash
    assert "Розыгрыш не подтверждён." in result.output
    assert named in result.output
    assert "Розыгрыш подтверждён" not in result.output


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.binary(min_size=1, max_size=32),
    users=st.sets(st.integers(min_value=1, max_value=10**6), max_size=60),
    prizes=st.lists(st.sampled_from([1000, 3000, 5000]), min_size=1, max_size=30),
    entropy=st.sampled_from(["", "7 14 21", " 1  2 3 "]),
)
def test_any_published_draw_verifies_and_a_changed_prize_does_not(
    tmp_path: Path, seed, users, prizes, entropy
):
    keys = [pseudonym(b"s", user) for user in users]
    result = draw_winners(effective_seed(seed, entropy), keys, prizes)
    participants, winners = tmp_path / "p.txt", tmp_path / "w.csv"
    participants.write_bytes(b"".join(participants_lines(keys)))
    winners.write_bytes(b"".join(winners_lines(result)))
    spec = prizes_spec(prizes)
    report = verify_draw(
        participants, seed.hex(), commitment(seed), spec, winners, entropy, list_digest(keys)[0]
    )
    assert report.ok, report.problem
    assert (report.count, report.winners) == (len(set(keys)), min(len(prizes), len(set(keys))))
    if result:
        top, *rest = sorted(prizes, reverse=True)
        changed = prizes_spec([top + 1, *rest])  # the first prize raised by one point
        assert not verify_draw(participants, seed.hex(), commitment(seed), changed, winners, entropy).ok
