"""Bulk inserts of the demo loader: chunked inserts, COPY on PostgreSQL, ids back, region lookups."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select
from sqlmodel import SQLModel

from ag_app.models import (
    NumberingRange,
)

SEED = 2026
CHUNK = 20_000
# Row count from which PostgreSQL inserts use COPY.
COPY_FROM = 1_000


@dataclass(frozen=True)
class SeedReport:
    """What the seed did: ``created`` is False when the demo city was already there."""

    created: bool
    seconds: float
    users: int
    polls: int
    ballots: int
    ledger_rows: int


def _table(model: type[SQLModel]) -> Table:
    return model.__table__  # type: ignore[attr-defined, return-value]


def _insert(conn: Connection, model: type[SQLModel], rows: Sequence[dict[str, Any]]) -> None:
    """Bulk insert: Core ``insert`` executemany in chunks; large tables on PostgreSQL go through COPY.

    COPY is much faster than batched INSERTs there (260 000 ledger rows: ~5 s instead of ~14 s on the
    2-core test machine); it runs on the same connection, inside the seed's transaction.
    """
    table = _table(model)
    if conn.dialect.name == "postgresql" and len(rows) >= COPY_FROM:
        _copy(conn, table, rows)
        return
    for start in range(0, len(rows), CHUNK):
        conn.execute(insert(table), list(rows[start : start + CHUNK]))


def _copy(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """``COPY table (columns) FROM STDIN`` with psycopg, the columns being the keys of the first row."""
    quote = conn.dialect.identifier_preparer.quote
    columns = list(rows[0])
    statement = f"COPY {quote(table.name)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    driver = conn.connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])


def _insert_ids(conn: Connection, model: type[SQLModel], rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert a few rows one statement each, returning their ids in order (for small tables only)."""
    table = _table(model)
    return [conn.execute(insert(table).returning(table.c.id), row).scalar_one() for row in rows]


def _count(conn: Connection, model: type[SQLModel]) -> int:
    return conn.execute(select(func.count()).select_from(_table(model))).scalar_one()


def _region_lookup(conn: Connection) -> dict[int, list[tuple[int, int, str]]]:
    table = _table(NumberingRange)
    ranges: dict[int, list[tuple[int, int, str]]] = {}
    for code, low, high, region in conn.execute(
        select(table.c.code, table.c.range_from, table.c.range_to, table.c.region)
    ).all():
        ranges.setdefault(code, []).append((low, high, region))
    return ranges
