"""The open data files: CSV/XLSX streams of the sealed rows and the check of a downloaded file."""

import csv
import io
from collections.abc import Iterator
from itertools import islice

from sqlalchemy import Engine
from sqlmodel import Session

from ag_app.domain import opendata as od
from ag_app.services import xlsx_stream
from ag_app.services.opendata.rows import CHUNK, _connector, _layout, _rows


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
