"""The published array of counted ballots and its hash chain (SPEC §5.1, §5.3).

Rows are ordered by receipt code (pseudo-random, so the order of voting stays hidden) and numbered
from 1. The columns are :data:`BASE_HEADER`, one column per question («Вопрос N. <текст>», the
chosen option texts joined with « | » in option order; the free text of «Свой вариант» is never
published), then :data:`HASH_HEADER`.

Each row is chained: ``row_hash(prev, fields) = sha256(prev + "\\n" + "\\x1f".join(fields))`` over
the row's visible fields (№ … the last question column), where ``prev`` is the previous row's
hash and :data:`GENESIS` for the first row. The final hash — the last row's hash, GENESIS for a
poll without ballots — is published with the results: changing, removing, adding or reordering any
row changes it, and :func:`verify_rows` names the first row that breaks the chain.
"""

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from ag_app.domain.clock import MOSCOW, as_utc
from ag_app.domain.demographics import GENDERS

GENESIS = "0" * 64
BASE_HEADER: tuple[str, ...] = (
    "№",
    "Код квитанции",
    "Время (час, МСК)",
    "Возраст",
    "Пол",
    "Округ",
    "Район",
    "Номер",
)
HASH_HEADER: tuple[str, ...] = ("Хеш предыдущей строки", "Хеш строки")
NOT_GIVEN = "не указан"
REGIONS = {"moscow": "московский", "other": "другой"}
ANSWER_SEPARATOR = " | "
_FIELD_SEPARATOR = "\x1f"

# Why verification failed (the «reason» of a report).
REASON_COLUMNS = "Неверное число столбцов"
REASON_HEADER = "Заголовок не совпадает с форматом открытых данных"
REASON_NUMBER = "Неверный номер строки (строка удалена, добавлена или переставлена)"
REASON_PREV = "Хеш предыдущей строки не совпадает (строка удалена, добавлена или переставлена)"
REASON_HASH = "Хеш строки не совпадает с её содержимым (строка изменена)"
REASON_EXTRA = "Лишние строки после опубликованной последней строки"
REASON_MISSING = "Не хватает строк в конце файла"
REASON_FINAL = "Итоговый хеш не совпадает с опубликованным"
REASON_TOTALS = "Пересчитанные итоги не совпадают с опубликованными"
# The reasons by the short names the browser check (assets/verify_opendata.js) reports.
REASONS: dict[str, str] = {
    "columns": REASON_COLUMNS,
    "header": REASON_HEADER,
    "number": REASON_NUMBER,
    "prev": REASON_PREV,
    "hash": REASON_HASH,
    "extra": REASON_EXTRA,
    "missing": REASON_MISSING,
    "final": REASON_FINAL,
    "totals": REASON_TOTALS,
}
# A question column's heading starts with this ({n}: its position from 1).
QUESTION_PREFIX = "Вопрос {n}. "


def question_header(position: int, text: str) -> str:
    """The column heading of the ``position``-th question (from 1): «Вопрос 1. Текст»."""
    return QUESTION_PREFIX.format(n=position) + text


def header(question_texts: Sequence[str]) -> tuple[str, ...]:
    """The full heading row for a poll with these questions in order."""
    return (
        *BASE_HEADER,
        *(question_header(n, t) for n, t in enumerate(question_texts, start=1)),
        *HASH_HEADER,
    )


def hour_text(moment: datetime) -> str:
    """The Moscow hour of an instant, «2026-11-20 12:00» (minutes and seconds are never published)."""
    return as_utc(moment).astimezone(MOSCOW).strftime("%Y-%m-%d %H:00")


def gender_text(gender: str) -> str:
    """«мужской», «женский» or «не указан»."""
    return GENDERS.get(gender, NOT_GIVEN)


def region_text(region: str) -> str:
    """«московский» or «другой» phone number."""
    return REGIONS.get(region, REGIONS["other"])


def row_hash(prev_hash: str, fields: Sequence[str]) -> str:
    """The chain hash of a row with visible ``fields`` following a row whose hash is ``prev_hash``."""
    payload = prev_hash + "\n" + _FIELD_SEPARATOR.join(fields)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def chain(rows: Iterable[Sequence[str]], prev_hash: str = GENESIS) -> Iterator[tuple[str, ...]]:
    """Append the previous and the own hash to each row of visible fields, in order."""
    for fields in rows:
        own = row_hash(prev_hash, fields)
        yield (*fields, prev_hash, own)
        prev_hash = own


@dataclass
class Totals:
    """Ballots and, per question column, how many ballots chose each option text."""

    ballots: int = 0
    questions: dict[str, dict[str, int]] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """The JSON form: ``{"ballots": N, "questions": {column: {option: count}}}``."""
        return {"ballots": self.ballots, "questions": self.questions}


def empty_totals(questions: Mapping[str, Sequence[str]]) -> Totals:
    """Totals with every known option at 0: ``questions`` maps a column heading to its option texts."""
    return Totals(0, {column: dict.fromkeys(options, 0) for column, options in questions.items()})


def count_row(totals: Totals, columns: Sequence[str], answers: Sequence[str]) -> None:
    """Add one row's answer cells (in the order of ``columns``) to ``totals``."""
    totals.ballots += 1
    for column, cell in zip(columns, answers, strict=True):
        counts = totals.questions.setdefault(column, {})
        if not cell:
            continue
        for option in cell.split(ANSWER_SEPARATOR):
            counts[option] = counts.get(option, 0) + 1


def _nonzero(totals: Mapping) -> tuple[int, dict[str, dict[str, int]]]:
    questions = totals.get("questions", {}) if isinstance(totals, Mapping) else {}
    return int(totals.get("ballots", -1)), {
        column: {o: int(n) for o, n in options.items() if int(n)} for column, options in questions.items()
    }


def same_totals(recounted: Mapping, expected: Mapping) -> bool:
    """Whether two totals agree; an option missing on one side counts as 0 there."""
    return _nonzero(recounted) == _nonzero(expected)


def file_format() -> dict:
    """What the browser check needs to read a file exactly as :func:`verify_rows` does: the fixed
    headings, the question heading prefix, the answer separator and the reason texts."""
    return {
        "base_header": list(BASE_HEADER),
        "hash_header": list(HASH_HEADER),
        "question_prefix": QUESTION_PREFIX,
        "answer_separator": ANSWER_SEPARATOR,
        "reasons": dict(REASONS),
    }


@dataclass
class ChainReport:
    """The outcome of verifying a file: rows, final hash, recounted totals and the first problem."""

    ok: bool
    rows: int
    final_hash: str
    totals: dict
    first_bad_row: int | None = None
    reason: str = ""

    def as_dict(self) -> dict:
        """JSON form for the command line (first_bad_row and reason only on failure)."""
        data = {"ok": self.ok, "rows": self.rows, "final_hash": self.final_hash, "totals": self.totals}
        if not self.ok:
            data["first_bad_row"] = self.first_bad_row
            data["reason"] = self.reason
        return data


def _is_header(heading: Sequence[str]) -> bool:
    n = len(BASE_HEADER)
    questions = heading[n : len(heading) - len(HASH_HEADER)]
    return (
        len(heading) >= n + len(HASH_HEADER)
        and tuple(heading[:n]) == BASE_HEADER
        and tuple(heading[-len(HASH_HEADER) :]) == HASH_HEADER
        and all(q.startswith(QUESTION_PREFIX.format(n=i)) for i, q in enumerate(questions, start=1))
    )


def verify_rows(
    heading: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    expect_hash: str | None = None,
    expect_rows: int | None = None,
    expect_totals: Mapping | None = None,
) -> ChainReport:
    """Walk the rows of a published file and report the first row that breaks the chain.

    A row is bad when it has the wrong number of cells, its № is not its position (a row was
    removed, added or moved before it), its previous hash is not the hash of the row before, or
    its own hash does not match its fields (it was edited). When the chain itself holds, the
    final hash is compared with ``expect_hash``: rows appended after the published last row are
    named by the first extra row, missing rows at the end by the first missing one (``expect_rows``
    known). Totals recounted from the rows are compared with ``expect_totals`` last.
    """
    heading = tuple(heading)
    if not _is_header(heading):
        return ChainReport(False, 0, GENESIS, Totals().as_dict(), 0, REASON_HEADER)
    first_answer = len(BASE_HEADER)
    last_answer = len(heading) - len(HASH_HEADER)
    columns = heading[first_answer:last_answer]
    totals = Totals(0, {column: {} for column in columns})
    prev = GENESIS
    number = 0
    # The row whose hash equals the expected final hash (rows after it are extra).
    published_end: int | None = 0 if expect_hash == GENESIS else None

    def fail(row: int | None, reason: str) -> ChainReport:
        return ChainReport(False, number, prev, totals.as_dict(), row, reason)

    for number, row in enumerate(rows, start=1):
        if len(row) != len(heading):
            return fail(number, REASON_COLUMNS)
        if row[0] != str(number):
            return fail(number, REASON_NUMBER)
        if row[last_answer] != prev:
            return fail(number, REASON_PREV)
        own = row_hash(prev, row[:last_answer])
        if row[last_answer + 1] != own:
            return fail(number, REASON_HASH)
        count_row(totals, columns, row[first_answer:last_answer])
        prev = own
        if expect_hash is not None and own == expect_hash and published_end is None:
            published_end = number
    if expect_hash is not None and prev != expect_hash:
        if published_end is not None:
            return fail(published_end + 1, REASON_EXTRA)
        if expect_rows is not None and number < expect_rows:
            return fail(number + 1, REASON_MISSING)
        return fail(None, REASON_FINAL)
    if expect_rows is not None and number != expect_rows:
        return fail(min(number, expect_rows) + 1, REASON_EXTRA if number > expect_rows else REASON_MISSING)
    if expect_totals is not None and not same_totals(totals.as_dict(), expect_totals):
        return fail(None, REASON_TOTALS)
    return ChainReport(True, number, prev, totals.as_dict())
