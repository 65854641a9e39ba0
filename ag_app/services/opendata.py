"""Open data of closed polls (SPEC §5.1–5.3): the seal, CSV/XLSX streams, pages and receipt checks.

Once a published poll has closed, its array of counted ballots is sealed: the poll row is locked,
the hash chain of :mod:`ag_app.domain.opendata` is computed over every ballot in receipt order and
stored as a :class:`~ag_app.models.PollSeal` (rows, final hash, totals) with a checkpoint every
:data:`CHECKPOINT_EVERY` rows, and ``Poll.sealed_at`` is set. The ballot path refuses ballots of a
sealed poll, so the sealed ballots never change afterwards: streams read them chunk by chunk in
short read-only transactions (no transaction stays open for the whole download) and still produce
exactly the sealed chain. Pages and receipt lookups rebuild rows from the nearest checkpoint, so
their cost does not grow with the number of ballots.
"""

import csv
import io
import json
import math
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice

from sqlalchemy import Connection, Engine, String, bindparam, cast, func, insert, type_coerce
from sqlalchemy import select as core_select
from sqlmodel import Session, select

from ag_app.db import read_only, transaction
from ag_app.domain import opendata as od
from ag_app.domain.clock import as_utc
from ag_app.domain.errors import InvalidInput, NotFound
from ag_app.domain.receipts import normalize_receipt
from ag_app.models import (
    Ballot,
    BallotAnswer,
    District,
    Okrug,
    Option,
    Poll,
    PollSeal,
    PollSealCheckpoint,
    Question,
)
from ag_app.services import xlsx_stream
from ag_app.services.access import active_user
from ag_app.services.polls.eligibility import state_of

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


# ----------------------------------------------------------------------------------------------
# Reading ballots as rows


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


# ----------------------------------------------------------------------------------------------
# The seal


def _published_poll(session: Session, poll_id: int, now: datetime, *, lock: bool = False) -> Poll:
    """A published poll whose open data is out (closed), else NotFound with the reason."""
    query = select(Poll).where(Poll.id == poll_id)
    poll = session.exec(query.with_for_update() if lock else query).first()
    if poll is None or poll.published_at is None:
        raise NotFound("poll.not_found")
    if state_of(poll, now) not in PUBLISHED_STATES:
        raise NotFound("open_data.not_yet")
    return poll


def _seal_view(poll: Poll, seal: PollSeal, layout: _Layout) -> SealView:
    return SealView(
        poll_id=poll.id,
        title=poll.title,
        rows=seal.rows,
        final_hash=seal.final_hash,
        totals=json.loads(seal.totals_json),
        sealed_at=as_utc(seal.sealed_at),
        header=list(layout.header),
    )


def seal_poll(session: Session, *, poll_id: int, now: datetime) -> SealView:
    """Seal a closed poll's open data (idempotent: a sealed poll returns its stored seal).

    The poll row is locked first (``SELECT … FOR UPDATE``; SQLite transactions hold the write
    lock), then the chain is computed over every ballot and ``Poll.sealed_at`` is set: a ballot
    racing with the seal either committed before the lock (and is sealed) or is refused.

    Raises:
        NotFound: no such published poll, or it has not closed yet («open_data.not_yet»).
    """
    poll = _published_poll(session, poll_id, now, lock=True)
    conn = session.connection()
    layout = _layout(conn, poll.id)
    existing = session.get(PollSeal, poll.id)
    if existing is not None:
        return _seal_view(poll, existing, layout)
    totals = od.empty_totals(layout.known_options())
    columns = layout.columns
    checkpoints: list[dict] = []
    rows, final = 0, od.GENESIS
    for cells in _rows(_connector(session), layout, poll.id):
        if rows % CHECKPOINT_EVERY == 0:
            checkpoints.append(
                {"poll_id": poll.id, "row": rows + 1, "receipt": cells[1], "prev_hash": cells[-2]}
            )
        rows += 1
        od.count_row(totals, columns, cells[8:-2])
        final = cells[-1]
    if checkpoints:
        conn.execute(insert(PollSealCheckpoint), checkpoints)
    seal = PollSeal(
        poll_id=poll.id,
        rows=rows,
        final_hash=final,
        totals_json=json.dumps(totals.as_dict(), ensure_ascii=False),
        sealed_at=now,
    )
    poll.sealed_at = now
    session.add(seal)
    session.add(poll)
    session.flush()
    return _seal_view(poll, seal, layout)


def _sealed(session: Session, poll_id: int, now: datetime) -> tuple[Poll, PollSeal]:
    """The closed poll and its seal, sealing it on first use."""
    poll = _published_poll(session, poll_id, now)
    seal = session.get(PollSeal, poll.id)
    if seal is None:
        seal_poll(session, poll_id=poll.id, now=now)
        seal = session.get(PollSeal, poll.id)
    return poll, seal


def get_seal(session: Session, *, actor_id: int | None, poll_id: int, now: datetime) -> SealView:
    """The seal of a closed poll (sealed on first use). Open data is public: guests and residents
    get the same answer; ``actor_id`` is not needed for any decision.

    Raises:
        NotFound: no such published poll (drafts are hidden), or it has not closed yet.
    """
    del actor_id
    poll, seal = _sealed(session, poll_id, now)
    return _seal_view(poll, seal, _layout(session.connection(), poll.id))


def seal_closed_polls(engine: Engine, now: datetime) -> int:
    """Seal every published poll that has closed and is not sealed yet, one transaction per poll.

    A job of the periodic loop, so that visitors of the open data rarely wait for a seal.
    Returns how many polls were sealed.
    """
    with transaction(engine) as session:
        candidates = session.exec(
            select(Poll).where(Poll.published_at.is_not(None), Poll.sealed_at.is_(None))
        ).all()
        due = [p.id for p in candidates if state_of(p, now) in PUBLISHED_STATES]
    for poll_id in due:
        with transaction(engine) as session:
            seal_poll(session, poll_id=poll_id, now=now)
    return len(due)


# ----------------------------------------------------------------------------------------------
# Pages and receipts


def _rows_at(session: Session, poll_id: int, start: int, count: int) -> list[OpenDataRow]:
    """``count`` rows from row number ``start``, rebuilt from the checkpoint at or before it."""
    first = (start - 1) // CHECKPOINT_EVERY * CHECKPOINT_EVERY + 1
    checkpoint = session.get(PollSealCheckpoint, (poll_id, first))
    if checkpoint is None:
        return []
    conn = session.connection()
    rows = _rows(
        _connector(session),
        _layout(conn, poll_id),
        poll_id,
        start_receipt=checkpoint.receipt,
        number=first,
        prev_hash=checkpoint.prev_hash,
        limit=start - first + count,
        chunk=CHECKPOINT_EVERY + PAGE_SIZE_MAX,
    )
    return [_row_view(cells) for cells in islice(rows, start - first, None)]


def open_data_page(
    session: Session, *, poll_id: int, page: int, size: int = PAGE_SIZE, now: datetime
) -> OpenDataPage:
    """One page of a closed poll's published array (``size`` capped at 200 rows).

    Raises:
        NotFound: no such published poll, or it has not closed yet.
        InvalidInput: the page number is outside 1 … pages.
    """
    _, seal = _sealed(session, poll_id, now)
    size = max(1, min(size, PAGE_SIZE_MAX))
    pages = max(1, math.ceil(seal.rows / size))
    if not 1 <= page <= pages:
        raise InvalidInput("open_data.page_invalid", pages=pages)
    start = (page - 1) * size + 1
    rows = _rows_at(session, poll_id, start, min(size, seal.rows - start + 1)) if seal.rows else []
    return OpenDataPage(poll_id=poll_id, page=page, pages=pages, size=size, rows_total=seal.rows, rows=rows)


def _row_of_receipt(session: Session, poll_id: int, receipt: str) -> OpenDataRow | None:
    found = session.exec(
        select(Ballot.id).where(Ballot.poll_id == poll_id, Ballot.receipt == receipt)
    ).first()
    if found is None:
        return None
    checkpoint = session.exec(
        select(PollSealCheckpoint)
        .where(PollSealCheckpoint.poll_id == poll_id, PollSealCheckpoint.receipt <= receipt)
        .order_by(PollSealCheckpoint.receipt.desc())
        .limit(1)
    ).first()
    conn = session.connection()
    rows = _rows(
        _connector(session),
        _layout(conn, poll_id),
        poll_id,
        start_receipt=checkpoint.receipt,
        number=checkpoint.row,
        prev_hash=checkpoint.prev_hash,
        limit=CHECKPOINT_EVERY,
        chunk=CHECKPOINT_EVERY,
    )
    return next((_row_view(cells) for cells in rows if cells[1] == receipt), None)


def find_receipt(session: Session, *, poll_id: int, code: str, now: datetime) -> OpenDataRow | None:
    """The published row of the ballot with receipt ``code`` (pasted in any case, with spaces or
    dashes), or None when the poll has no such ballot.

    Raises:
        InvalidInput: the text cannot be a receipt code.
        NotFound: no such published poll, or it has not closed yet.
    """
    receipt = normalize_receipt(code)
    if receipt is None:
        raise InvalidInput("open_data.receipt_invalid")
    _sealed(session, poll_id, now)
    return _row_of_receipt(session, poll_id, receipt)


def my_row(session: Session, *, actor_id: int | None, poll_id: int, now: datetime) -> OpenDataRow | None:
    """The actor's own row in a closed poll's open data (found by their ballot's receipt), or None
    when they did not vote in it.

    Raises:
        NotAuthenticated: a guest.
    """
    user = active_user(session, actor_id)
    _sealed(session, poll_id, now)
    receipt = session.exec(
        select(Ballot.receipt).where(Ballot.poll_id == poll_id, Ballot.user_id == user.id)
    ).first()
    return None if receipt is None else _row_of_receipt(session, poll_id, receipt)


# ----------------------------------------------------------------------------------------------
# Streams


def _stream(source: Engine | Session, poll_id: int) -> tuple[tuple[str, ...], Iterator[tuple[str, ...]]]:
    connect = _connector(source)
    with connect() as conn:
        layout = _layout(conn, poll_id)
    return layout.header, _rows(connect, layout, poll_id)


def open_data_rows(source: Engine | Session, poll_id: int) -> Iterator[tuple[str, ...]]:
    """Every row of a sealed poll's array (all cells, hashes included), read in chunks.

    ``source``: an engine (each chunk in a short read-only transaction — for downloads) or a
    session (its transaction).
    """
    _, rows = _stream(source, poll_id)
    yield from rows


def csv_chunks(source: Engine | Session, poll_id: int, *, batch: int = CHUNK) -> Iterator[bytes]:
    """The CSV file: UTF-8 with BOM (for Excel), comma-separated, RFC 4180 quoting, CRLF lines."""
    heading, rows = _stream(source, poll_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(heading)
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    while True:
        buffer.seek(0)
        buffer.truncate()
        batch_rows = list(islice(rows, batch))
        if not batch_rows:
            return
        writer.writerows(batch_rows)
        yield buffer.getvalue().encode("utf-8")


def xlsx_chunks(source: Engine | Session, poll_id: int) -> Iterator[bytes]:
    """The XLSX workbook, streamed (further sheets past 1 048 576 rows)."""
    heading, rows = _stream(source, poll_id)
    yield from xlsx_stream.xlsx_chunks(heading, rows)


# ----------------------------------------------------------------------------------------------
# Verifying a downloaded file


def _csv_table(path: str) -> tuple[list[str], Iterator[list[str]]]:
    handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 (closed by the generator)
    reader = csv.reader(handle)
    heading = next(reader, [])

    def rows() -> Iterator[list[str]]:
        with handle:
            yield from reader

    return heading, rows()


def _xlsx_table(path: str) -> tuple[list[str], Iterator[list[str]]]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)

    def text(values: tuple) -> list[str]:
        return ["" if v is None else str(v) for v in values]

    sheets = [sheet.iter_rows(values_only=True) for sheet in book.worksheets]
    heading = text(next(sheets[0], ())) if sheets else []

    def rows() -> Iterator[list[str]]:
        try:
            for number, sheet in enumerate(sheets):
                if number:
                    # Every further sheet repeats the heading row; a different one is a bad row.
                    repeated = text(next(sheet, ()))
                    if repeated != heading:
                        yield repeated
                yield from (text(values) for values in sheet)
        finally:
            book.close()

    return heading, rows()


def verify_file(path: str, *, expect_hash: str | None = None, seal: dict | None = None) -> od.ChainReport:
    """Verify a downloaded CSV or XLSX file (by its extension) against the chain and, when given,
    the published final hash and the seal of the API (rows, final hash, totals)."""
    heading, rows = _xlsx_table(path) if path.lower().endswith(".xlsx") else _csv_table(path)
    if seal is not None and expect_hash is None:
        expect_hash = str(seal.get("final_hash", ""))
    return od.verify_rows(
        heading,
        rows,
        expect_hash=expect_hash,
        expect_rows=None if seal is None else int(seal.get("rows", -1)),
        expect_totals=None if seal is None else seal.get("totals", {}),
    )
