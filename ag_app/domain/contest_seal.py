"""The sealed final rating of a receipt contest (SPEC §11, issue 14 item 7).

When a contest is finalised its whole final rating is published as a CSV file and the SHA-256 of that
file is shown with the winners. The file is UTF-8 without BOM, comma-separated, every line (the last
one included) ends with ``\\n``; the first line is :data:`HEADER`, then one row per participant in
the order of the rule (:func:`ag_app.domain.contest.rank`): place (1, 2, 3 …), participant number,
points, the three tie-break moments in UTC as ``2026-12-07T15:30:00.123456Z`` (always six fractional
digits) and the prize in roubles (0 beyond the prize table). Numbers are plain ASCII digits without
leading zeros. The same standings always give the same bytes, whatever their input order.

The published hash is the SHA-256 of the file's bytes exactly as downloaded, so ``sha256sum
final.csv`` shows the same value. :func:`verify_rating` hashes the raw bytes too (not a re-encoding
of the parsed rows): a change of any byte — a space, a line ending, a quoted cell — changes the hash.
It also accepts only rows written exactly as :func:`csv_lines` writes them, so a file that verifies
is byte for byte what :func:`csv_lines` produces for its rows, and a copy with CR LF line ends (an
editor or a mail client may convert them) is refused by name rather than normalised: normalising
would let a verified file carry a hash different from the published one.
"""

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from ag_app.domain.clock import as_utc
from ag_app.domain.contest import Standing, prize_for, rank, rank_key

HEADER: tuple[str, ...] = (
    "Место",
    "Номер участника",
    "Баллы",
    "Сумма достигнута (UTC)",
    "Последний чек (UTC)",
    "Регистрация (UTC)",
    "Приз, ₽",
)
NEWLINE = "\n"


def _csv_line(cells: Iterable[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=NEWLINE).writerow(cells)
    return buffer.getvalue()


# The header as written («Приз, ₽» holds a comma, so it is quoted); data cells never need quoting.
HEADER_LINE = _csv_line(HEADER)
# How many winners a report lists (a genuine prize table is far shorter; a forged file may not be).
WINNERS_LISTED = 1000
# How much of a malformed cell a reason quotes.
SHOWN_CHARS = 40

# Why verification failed (the «reason» of a report); rows are counted from 1 after the header.
REASON_EMPTY = "Файл пуст: нет даже строки заголовка"
REASON_HEADER = "Заголовок не совпадает с форматом итогового рейтинга"
# {line} is a row number or «заголовка» (the header line).
REASON_CRLF = (
    "Строка {line} оканчивается на CR LF, а в опубликованном файле строки оканчиваются только на LF (\\n): "
    "копия с другими концами строк — другой файл с другим хешем"
)
REASON_NO_NEWLINE = "Строка {line} не оканчивается переводом строки (\\n), как в опубликованном файле"
HEADER_LINE_NAME = "заголовка"
REASON_BLANK = "Строка {row} пустая"
REASON_COLUMNS = "В строке {row} {count} столбцов вместо {expected}"
REASON_NUMBER = "Строка {row}, столбец «{column}»: «{value}» — не целое число без знака и ведущих нулей"
REASON_TIME = (
    "Строка {row}, столбец «{column}»: «{value}» — не момент времени в формате 2026-12-07T15:30:00.123456Z"
)
REASON_DUPLICATE = "Строка {row}: участник № {participant} уже есть в рейтинге выше"
REASON_PLACE = (
    "Строка {row}: место {place} вместо {row} — места должны идти подряд 1, 2, 3… "
    "(строка удалена, добавлена или переставлена)"
)
REASON_ORDER = (
    "Строка {row} стоит не на своём месте: по правилу она должна стоять выше строки {prev}, потому что {why}"
)
REASON_PRIZE_UP = "Строка {row}: приз {prize} ₽ за место {row} больше приза {prev_prize} ₽ за место {prev}"
REASON_PRIZE_AFTER = (
    "Строка {row}: приз {prize} ₽ за место {row}, хотя за место {prev} приза уже нет — "
    "после последнего призового места приз равен 0"
)
REASON_HASH = "Хеш файла {actual} не совпадает с опубликованным {expected}"
# Why the lower row must stand higher: the first tie-break level at which the two rows differ.
WHY_ORDER = (
    "у неё больше баллов",
    "при равных баллах эта сумма достигнута раньше",
    "при равных баллах и времени достижения суммы её последний чек раньше",
    "при равных баллах, времени достижения суммы и последнем чеке участник зарегистрировался раньше",
    "при совпадении всех моментов у неё меньше номер участника",
)

_COLUMNS = len(HEADER)
_NUMBER = r"(0|[1-9][0-9]{0,17})"
_MOMENT = r"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z)"
_ROW = re.compile(",".join((_NUMBER, _NUMBER, _NUMBER, _MOMENT, _MOMENT, _MOMENT, _NUMBER)))
_NUMBER_CELL = re.compile(_NUMBER)
_MOMENT_CELL = re.compile(_MOMENT)
_MOMENT_COLUMNS = (3, 4, 5)


@dataclass(frozen=True)
class FinalRow:
    """One line of the final rating: a participant's place, tie-break data and prize."""

    place: int
    participant_id: int
    points: int
    reached_at: datetime
    last_receipt_at: datetime
    registered_at: datetime
    prize_rub: int

    @property
    def standing(self) -> Standing:
        """The rating data the order is derived from."""
        return Standing(
            participant_id=self.participant_id,
            points=self.points,
            reached_at=self.reached_at,
            last_receipt_at=self.last_receipt_at,
            registered_at=self.registered_at,
        )


def final_rows(standings: Iterable[Standing], prizes: tuple[int, ...]) -> Iterator[FinalRow]:
    """The final rating: standings in the order of :func:`rank`, places 1…N and the prize of each place.

    Raises:
        ValueError: a participant appears twice (the standings of one contest have one row each).
    """
    seen: set[int] = set()
    for place, standing in enumerate(rank(standings), start=1):
        if standing.participant_id in seen:
            raise ValueError(f"participant {standing.participant_id} has two standings")
        seen.add(standing.participant_id)
        yield FinalRow(
            place=place,
            participant_id=standing.participant_id,
            points=standing.points,
            reached_at=as_utc(standing.reached_at),
            last_receipt_at=as_utc(standing.last_receipt_at),
            registered_at=as_utc(standing.registered_at),
            prize_rub=prize_for(place, prizes),
        )


def moment_text(moment: datetime) -> str:
    """An instant in UTC as ``2026-12-07T15:30:00.123456Z`` (always six fractional digits)."""
    t = as_utc(moment)
    return (
        f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}:{t.second:02d}"
        f".{t.microsecond:06d}Z"
    )


def row_line(row: FinalRow) -> str:
    """The text of one data line, ``\\n`` included."""
    return (
        f"{row.place},{row.participant_id},{row.points},{moment_text(row.reached_at)},"
        f"{moment_text(row.last_receipt_at)},{moment_text(row.registered_at)},{row.prize_rub}\n"
    )


def csv_lines(rows: Iterable[FinalRow]) -> Iterator[bytes]:
    """The bytes of the published file, line by line: the header, then one line per row."""
    yield HEADER_LINE.encode("utf-8")
    for row in rows:
        yield row_line(row).encode("utf-8")


def sha256_of(lines: Iterable[bytes]) -> str:
    """The hex SHA-256 of the concatenated lines (what is published with the rating)."""
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line)
    return digest.hexdigest()


@dataclass
class RatingReport:
    """The outcome of verifying a final rating file: rows, the file's hash, winners, the first problem.

    Winners are listed only for a file that verifies: a refused file names no winners.
    """

    ok: bool
    rows: int
    sha256: str
    winners: list[dict] = field(default_factory=list)
    first_bad_row: int | None = None
    reason: str = ""
    # How many rows carry a prize (``winners`` lists at most WINNERS_LISTED of them).
    winners_total: int = 0

    def as_dict(self) -> dict:
        """JSON form for the command line (first_bad_row and reason only on failure)."""
        data: dict = {
            "ok": self.ok,
            "rows": self.rows,
            "sha256": self.sha256,
            "winners": self.winners,
            "winners_total": self.winners_total,
        }
        if not self.ok:
            data["first_bad_row"] = self.first_bad_row
            data["reason"] = self.reason
        return data


def _parse(number: int, body: str) -> FinalRow | str:
    """A data line (without its ``\\n``) as a row, or the reason it is malformed."""
    match = _ROW.fullmatch(body)
    if match is not None:
        cells = match.groups()
        try:
            moments = [datetime.fromisoformat(cells[i]) for i in _MOMENT_COLUMNS]
        except ValueError:
            pass  # a well-shaped but impossible moment (month 13…): named below
        else:
            return FinalRow(int(cells[0]), int(cells[1]), int(cells[2]), *moments, int(cells[6]))
    if not body:
        return REASON_BLANK.format(row=number)
    cells = body.split(",")
    if len(cells) != _COLUMNS:
        return REASON_COLUMNS.format(row=number, count=len(cells), expected=_COLUMNS)
    for index, (column, cell) in enumerate(zip(HEADER, cells, strict=True)):
        if index in _MOMENT_COLUMNS:
            if _MOMENT_CELL.fullmatch(cell) is None or not _valid_moment(cell):
                return REASON_TIME.format(row=number, column=column, value=_shown(cell))
        elif _NUMBER_CELL.fullmatch(cell) is None:
            return REASON_NUMBER.format(row=number, column=column, value=_shown(cell))
    raise AssertionError("a line whose every cell is well-formed matches the row pattern")


def _shown(cell: str) -> str:
    """A cell as quoted in a reason: undecodable bytes as «�», at most SHOWN_CHARS characters."""
    text = cell.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


def _valid_moment(cell: str) -> bool:
    try:
        datetime.fromisoformat(cell)
    except ValueError:
        return False
    return True


def _why(key: tuple, prev_key: tuple) -> str:
    """The tie-break level that puts ``key`` before ``prev_key`` (the first component that differs)."""
    level = next(i for i, (mine, theirs) in enumerate(zip(key, prev_key, strict=True)) if mine != theirs)
    return WHY_ORDER[level]


def _check(
    row: FinalRow, key: tuple, number: int, prev: FinalRow | None, prev_key: tuple, seen: set[int]
) -> str | None:
    """The reason a parsed row (``key`` its rank key) cannot follow ``prev`` at position ``number``, or None."""
    if row.participant_id in seen:
        return REASON_DUPLICATE.format(row=number, participant=row.participant_id)
    if row.place != number:
        return REASON_PLACE.format(row=number, place=row.place)
    if prev is None:
        return None
    if key < prev_key:
        return REASON_ORDER.format(row=number, prev=number - 1, why=_why(key, prev_key))
    if row.prize_rub > prev.prize_rub:
        reason = REASON_PRIZE_AFTER if prev.prize_rub == 0 else REASON_PRIZE_UP
        return reason.format(row=number, prev=number - 1, prize=row.prize_rub, prev_prize=prev.prize_rub)
    return None


def verify_rating(lines: Iterable[str], *, expect_hash: str | None) -> RatingReport:
    """Check a downloaded final rating line by line and name the first row that breaks the rule.

    ``lines`` are the file's text lines with their line ends kept (``open(path, encoding="utf-8",
    newline="")``, or binary lines decoded with ``errors="surrogateescape"`` so that undecodable
    bytes still hash as read and are refused as malformed cells). The hash is the SHA-256 of the
    raw bytes of every line, the whole file even past a bad row, so ``sha256`` always equals
    ``sha256sum`` of the file.

    A row is refused when it is not written exactly as :func:`csv_lines` writes it, when its
    participant appeared above, when its place is not its position, when it ranks before the row
    above it, or when its prize is larger than the prize above. Comparing each row with the row
    above is enough for the order: ``rank_key`` is a total order (it ends with the participant
    number), and a sequence is sorted exactly when every adjacent pair is, so the first pair out of
    order names the first row the rule puts higher than the row above it (where exactly it belongs
    would need the whole file, so the reason names the row above). Only the previous row and the set
    of participant numbers are kept, so a million rows take seconds and little memory.

    Changes the rule cannot see — a row removed at the end, points raised without changing the
    order, a prize changed within its neighbours — change the hash: pass the published
    ``expect_hash`` to catch them. ``first_bad_row`` counts data rows from 1 (0 is the header line;
    None when only the hash disagrees).
    """
    digest = hashlib.sha256()
    iterator = iter(lines)
    first = next(iterator, None)
    if first is None:
        return RatingReport(False, 0, digest.hexdigest(), first_bad_row=0, reason=REASON_EMPTY)
    digest.update(first.encode("utf-8", "surrogateescape"))
    problem: tuple[int, str] | None = None
    if first.endswith("\r\n"):
        problem = (0, REASON_CRLF.format(line=HEADER_LINE_NAME))
    elif first == HEADER_LINE[:-1]:
        problem = (0, REASON_NO_NEWLINE.format(line=HEADER_LINE_NAME))
    elif first != HEADER_LINE:
        problem = (0, REASON_HEADER)
    rows = 0
    prev: FinalRow | None = None
    prev_key: tuple = ()
    seen: set[int] = set()
    winners: list[dict] = []
    winners_total = 0
    for rows, line in enumerate(iterator, start=1):
        digest.update(line.encode("utf-8", "surrogateescape"))
        if problem is not None:
            continue  # keep hashing: the report shows the hash of the whole file
        if line.endswith("\r\n"):
            problem = (rows, REASON_CRLF.format(line=rows))
            continue
        if not line.endswith(NEWLINE):
            problem = (rows, REASON_NO_NEWLINE.format(line=rows))
            continue
        parsed = _parse(rows, line[:-1])
        if isinstance(parsed, str):
            problem = (rows, parsed)
            continue
        key = rank_key(parsed.standing)
        reason = _check(parsed, key, rows, prev, prev_key, seen)
        if reason is not None:
            problem = (rows, reason)
            continue
        seen.add(parsed.participant_id)
        prev, prev_key = parsed, key
        if parsed.prize_rub:
            winners_total += 1
            if len(winners) < WINNERS_LISTED:
                winners.append(
                    {
                        "place": parsed.place,
                        "participant": parsed.participant_id,
                        "points": parsed.points,
                        "prize": parsed.prize_rub,
                    }
                )
    actual = digest.hexdigest()
    if problem is not None:
        row, reason = problem
        return RatingReport(False, rows, actual, first_bad_row=row, reason=reason)
    if expect_hash is not None and actual != expect_hash.strip().lower():
        reason = REASON_HASH.format(actual=actual, expected=expect_hash.strip())
        return RatingReport(False, rows, actual, reason=reason)
    return RatingReport(True, rows, actual, winners, winners_total=winners_total)
