"""Engines and transactions for SQLite (WAL, immediate writes) and PostgreSQL."""

from collections import namedtuple
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Dialect, Engine, create_engine, event
from sqlalchemy.sql import Executable
from sqlmodel import Session

from ag_app.settings import get_settings

# Execution option of a connection that only reads (see :func:`read_only`).
READ_ONLY = "ag_read_only"


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and ``BEGIN IMMEDIATE`` transactions.

    ``BEGIN IMMEDIATE`` takes the write lock at the start of every transaction, so concurrent
    use cases on SQLite serialise instead of failing half-way with "database is locked".
    PostgreSQL sessions run with JIT compilation off: the app's statements are short, and when
    stale planner estimates make one look expensive, compiling it (≈ 0.75 s, measured on the
    statistics read) costs far more than running it.
    """
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):  # pragma: no cover - driver hook
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):  # pragma: no cover - driver hook
            # Straight to the driver: this runs before every transaction.
            read_only = conn.get_execution_options().get(READ_ONLY, False)
            conn.connection.dbapi_connection.execute("BEGIN" if read_only else "BEGIN IMMEDIATE")

        return engine
    return create_engine(
        url, pool_size=10, max_overflow=20, pool_recycle=1800, connect_args={"options": "-c jit=off"}
    )


@lru_cache
def get_engine() -> Engine:
    """The process-wide engine for the configured database."""
    return make_engine(get_settings().database_url)


@contextmanager
def transaction(engine: Engine | None = None) -> Iterator[Session]:
    """One use case = one transaction: commit on success, roll back on any error."""
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def read_only(engine: Engine) -> Iterator[Connection]:
    """A short read-only transaction: ``BEGIN`` (deferred, takes no write lock) on SQLite,
    ``SET TRANSACTION READ ONLY`` on PostgreSQL. Always rolled back."""
    with engine.connect() as conn:
        conn.execution_options(**{READ_ONLY: True})
        with conn.begin() as txn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("SET TRANSACTION READ ONLY")
            yield conn
            txn.rollback()


class HotStatement:
    """A Core statement compiled once per dialect and run straight on the driver's cursor.

    Only for the few statements of hot paths (completing a ballot), where SQLAlchemy's work per
    execution (cache lookup, execution context, result wrapping) costs more than the database's.
    It runs inside the caller's transaction, on the same connection. Parameters go through the
    bind processors of their types and default values (e.g. a LIMIT) are filled in; rows come
    back as named tuples through the result processors of the statement's columns.
    ``executions`` counts the calls (benches report statements per operation).
    """

    executions = 0

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self._forms: dict[str, _CompiledForm] = {}

    def _form(self, dialect: Dialect) -> "_CompiledForm":
        form = self._forms.get(dialect.name)
        if form is None:
            form = self._forms[dialect.name] = _CompiledForm(self.statement, dialect)
        return form

    def rows(self, connection: Connection, params: dict[str, Any]) -> list[tuple]:
        """Execute with ``params`` (by bind name) and return every row."""
        form = self._form(connection.dialect)
        HotStatement.executions += 1
        cursor = connection.connection.driver_connection.cursor()
        try:
            cursor.execute(form.sql, form.parameters(params))
            return form.make_rows(cursor.fetchall()) if form.row else []
        finally:
            cursor.close()

    def many(self, connection: Connection, params: Sequence[dict[str, Any]]) -> None:
        """Execute once per parameter set (``executemany``); returns nothing."""
        form = self._form(connection.dialect)
        HotStatement.executions += 1
        cursor = connection.connection.driver_connection.cursor()
        try:
            cursor.executemany(form.sql, [form.parameters(p) for p in params])
        finally:
            cursor.close()


class _CompiledForm:
    """A statement compiled for one dialect: SQL text, parameter order and value processors."""

    def __init__(self, statement: Executable, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        if "POSTCOMPILE" in compiled.string:
            raise ValueError("expanding parameters (IN lists) cannot be precompiled")
        self.sql = compiled.string
        self.names = list(compiled.positiontup) if dialect.positional else None
        self.defaults = {name: bind.value for name, bind in compiled.binds.items() if bind.value is not None}
        self.binders = {
            name: processor
            for name, bind in compiled.binds.items()
            if (processor := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None
        }
        columns = list(getattr(statement, "exported_columns", []))
        self.row = namedtuple("HotRow", [c.key for c in columns], rename=True) if columns else None
        self.loaders: list[tuple[int, Callable]] = [
            (i, processor)
            for i, c in enumerate(columns)
            if (processor := c.type.dialect_impl(dialect).result_processor(dialect, None)) is not None
        ]

    def parameters(self, params: dict[str, Any]) -> Sequence | dict:
        values = {**self.defaults, **params}
        for name, bind in self.binders.items():
            if name in values:
                values[name] = bind(values[name])
        return [values[name] for name in self.names] if self.names is not None else values

    def make_rows(self, raw: list[tuple]) -> list[tuple]:
        if not self.loaders:
            return [self.row._make(r) for r in raw]
        rows = []
        for r in raw:
            values = list(r)
            for i, load in self.loaders:
                values[i] = load(values[i])
            rows.append(self.row._make(values))
        return rows
