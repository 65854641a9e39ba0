"""Open data rows: limits, the views (DTOs), and reading a poll's sealed ballots as rows, chunk by chunk
in receipt order."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, String, bindparam, cast, func, type_coerce
from sqlalchemy import select as core_select
from sqlmodel import Session

from ag_app.db import read_only
from ag_app.domain import opendata as od
from ag_app.domain.clock import as_utc
from ag_app.models import Ballot, BallotAnswer, District, Okrug, Option, Question

# Ballots read per query while streaming or sealing.
CHUNK = 5000


# A checkpoint of the chain is stored at rows 1, K + 1, 2K + 1, …
CHECKPOINT_EVERY = 500


PAGE_SIZE = 50


PAGE_SIZE_MAX = 200


# Poll states whose open data is published.
PUBLISHED_STATES = ("closed", "results")


@dataclass(frozen=True)
class OpenDataRow:
    """One row of the published array, cell by cell (``answers`` in question order)."""

    number: int
    receipt: str
    hour: str
    age: str
    gender: str
    okrug: str
    district: str
    region: str
    answers: list[str]
    prev_hash: str
    hash: str

    def cells(self) -> list[str]:
        """The row as it appears in the files."""
        return [
            str(self.number),
            self.receipt,
            self.hour,
            self.age,
            self.gender,
            self.okrug,
            self.district,
            self.region,
            *self.answers,
            self.prev_hash,
            self.hash,
        ]


@dataclass(frozen=True)
class SealView:
    """The seal of a poll's open data: what anyone needs to verify a downloaded file."""

    poll_id: int
    title: str
    rows: int
    final_hash: str
    # {"ballots": N, "questions": {column heading: {option text: count}}}
    totals: dict
    sealed_at: datetime
    header: list[str]


@dataclass(frozen=True)
class OpenDataPage:
    """One page of the published array (pages count from 1)."""

    poll_id: int
    page: int
    pages: int
    size: int
    rows_total: int
    rows: list[OpenDataRow]


@dataclass(frozen=True)
class _Layout:
    """What turns a poll's ballots into rows: question columns, option texts, territory names."""

    question_texts: list[str]
    # option id → (question index, option order, option text)
    options: dict[int, tuple[int, int, str]]
    okrugs: dict[int, str]
    districts: dict[int, str]
    # Cells already built, shared by the chunks of one stream: answer cells by the chosen option
    # ids as the database listed them, voter cells by (age band, gender, okrug, district, region), hours by the hour.
    answer_cells: dict[str, tuple[str, ...]] = field(default_factory=dict)
    voter_cells: dict[tuple, tuple[str, ...]] = field(default_factory=dict)
    hours: dict[object, str] = field(default_factory=dict)

    def answers_of(self, option_ids: str) -> tuple[str, ...]:
        """The question cells of a ballot that chose ``option_ids`` («id,id,…» in any order)."""
        cells = self.answer_cells.get(option_ids)
        if cells is None:
            chosen: list[list[tuple[int, str]]] = [[] for _ in self.question_texts]
            for option_id in map(int, filter(None, option_ids.split(","))):
                index, order, text = self.options[option_id]
                chosen[index].append((order, text))
            cells = tuple(od.ANSWER_SEPARATOR.join(text for _, text in sorted(c)) for c in chosen)
            self.answer_cells[option_ids] = cells
        return cells

    def voter_of(self, key: tuple) -> tuple[str, ...]:
        """The age, gender, okrug, district and number cells of ``key``."""
        cells = self.voter_cells.get(key)
        if cells is None:
            age, gender, okrug_id, district_id, region = key
            cells = (
                age or od.NOT_GIVEN,
                od.gender_text(gender),
                self.okrugs.get(okrug_id, od.NOT_GIVEN),
                self.districts.get(district_id, od.NOT_GIVEN),
                od.region_text(region),
            )
            self.voter_cells[key] = cells
        return cells

    def hour_of(self, moment: datetime | str) -> str:
        """The published hour of an instant: a datetime (PostgreSQL) or SQLite's stored text
        «YYYY-MM-DD HH:MM:SS[.ffffff]» in UTC."""
        # The UTC hour: Moscow's offset is whole hours, so it maps to exactly one Moscow hour.
        key = moment[:13] if isinstance(moment, str) else int(as_utc(moment).timestamp()) // 3600
        text = self.hours.get(key)
        if text is None:
            hour = (
                datetime.fromisoformat(f"{key}:00")
                if isinstance(key, str)
                else datetime.fromtimestamp(key * 3600, UTC)
            )
            text = self.hours[key] = od.hour_text(hour)
        return text

    @property
    def header(self) -> tuple[str, ...]:
        return od.header(self.question_texts)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(od.question_header(n, t) for n, t in enumerate(self.question_texts, start=1))

    def known_options(self) -> dict[str, list[str]]:
        """Every question column with its option texts in order (for totals listing zeros)."""
        result: dict[str, list[str]] = {column: [] for column in self.columns}
        for index, _, text in sorted(self.options.values()):
            result[self.columns[index]].append(text)
        return result


_QUESTIONS = (
    core_select(Question.id, Question.text, Option.id.label("option_id"), Option.text.label("option_text"))
    .outerjoin(Option, Option.question_id == Question.id)
    .where(Question.poll_id == bindparam("p_poll"))
    .order_by(Question.position, Question.id, Option.position, Option.id)
)


_OKRUGS = core_select(Okrug.id, Okrug.abbrev)


_DISTRICTS = core_select(District.id, District.name)


# The chosen options of a ballot as one text «id,id,…» (in no particular order), so that a chunk
# is one query of one row per ballot.
_CHOSEN = (
    core_select(func.aggregate_strings(cast(BallotAnswer.option_id, String), ","))
    .where(BallotAnswer.ballot_id == Ballot.id)
    .correlate(Ballot)
    .scalar_subquery()
)


_BALLOT_COLUMNS = (
    Ballot.receipt,
    # As the driver returns it (SQLite: the stored text, so no datetime is parsed per row).
    type_coerce(Ballot.completed_at, String).label("completed_at"),
    Ballot.age_band,
    Ballot.gender,
    Ballot.okrug_id,
    Ballot.district_id,
    Ballot.number_region,
    _CHOSEN.label("chosen"),
)


# Ballots in receipt order from a receipt on (inclusive) or after one (exclusive).
_BALLOTS_FROM = (
    core_select(*_BALLOT_COLUMNS)
    .where(Ballot.poll_id == bindparam("p_poll"), Ballot.receipt >= bindparam("p_receipt"))
    .order_by(Ballot.receipt)
    .limit(bindparam("p_limit"))
)


_BALLOTS_AFTER = (
    core_select(*_BALLOT_COLUMNS)
    .where(Ballot.poll_id == bindparam("p_poll"), Ballot.receipt > bindparam("p_receipt"))
    .order_by(Ballot.receipt)
    .limit(bindparam("p_limit"))
)


def _layout(conn: Connection, poll_id: int) -> _Layout:
    texts: list[str] = []
    seen: dict[int, int] = {}
    options: dict[int, tuple[int, int, str]] = {}
    for question_id, text, option_id, option_text in conn.execute(_QUESTIONS, {"p_poll": poll_id}):
        if question_id not in seen:
            seen[question_id] = len(texts)
            texts.append(text)
        if option_id is not None:
            options[option_id] = (seen[question_id], len(options), option_text)
    return _Layout(
        question_texts=texts,
        options=options,
        okrugs=dict(conn.execute(_OKRUGS).all()),
        districts=dict(conn.execute(_DISTRICTS).all()),
    )


def _chunk(
    conn: Connection, layout: _Layout, poll_id: int, receipt: str, *, inclusive: bool, limit: int
) -> list[tuple[str, ...]]:
    """Up to ``limit`` rows (visible fields without №) from ``receipt`` on (or after it), in order."""
    ballots = conn.execute(
        _BALLOTS_FROM if inclusive else _BALLOTS_AFTER,
        {"p_poll": poll_id, "p_receipt": receipt, "p_limit": limit},
    )
    hour_of, voter_of, answers_of = layout.hour_of, layout.voter_of, layout.answers_of
    return [
        (
            receipt_code,
            hour_of(completed_at),
            *voter_of((age, gender, okrug_id, district_id, region)),
            *answers_of(chosen or ""),
        )
        for receipt_code, completed_at, age, gender, okrug_id, district_id, region, chosen in ballots
    ]


Connect = Callable[[], AbstractContextManager[Connection]]


def _rows(
    connect: Connect,
    layout: _Layout,
    poll_id: int,
    *,
    start_receipt: str = "",
    number: int = 1,
    prev_hash: str = od.GENESIS,
    limit: int | None = None,
    chunk: int = CHUNK,
) -> Iterator[tuple[str, ...]]:
    """Chained rows (every cell) from ``start_receipt`` on, numbered from ``number``.

    Each chunk is read through its own ``connect()``; at most ``limit`` rows when given.
    """
    row_hash = od.row_hash
    receipt, inclusive, left = start_receipt, True, limit
    while left is None or left > 0:
        size = chunk if left is None else min(chunk, left)
        with connect() as conn:
            fields = _chunk(conn, layout, poll_id, receipt, inclusive=inclusive, limit=size)
        for visible in fields:
            cells = (str(number), *visible)
            own = row_hash(prev_hash, cells)
            yield (*cells, prev_hash, own)
            prev_hash = own
            number += 1
        if len(fields) < size:
            return
        receipt, inclusive = fields[-1][0], False
        if left is not None:
            left -= len(fields)


def _connector(source: Engine | Session) -> Connect:
    """Chunks of a session are read in its transaction; of an engine in short read-only ones."""
    if isinstance(source, Session):
        connection = source.connection()
        return lambda: nullcontext(connection)
    return lambda: read_only(source)


def _row_view(cells: tuple[str, ...]) -> OpenDataRow:
    return OpenDataRow(
        number=int(cells[0]),
        receipt=cells[1],
        hour=cells[2],
        age=cells[3],
        gender=cells[4],
        okrug=cells[5],
        district=cells[6],
        region=cells[7],
        answers=list(cells[8:-2]),
        prev_hash=cells[-2],
        hash=cells[-1],
    )
