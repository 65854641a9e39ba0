"""Engines and transactions for SQLite (WAL, FIFO writers) and PostgreSQL.

Two kinds of transaction:

- a **read** transaction (:func:`read_transaction`, :func:`read_only`, ``read=True`` of
  :func:`run_in_transaction`): a deferred ``BEGIN`` on SQLite — no lock, readers never wait for a
  writer in WAL mode — with ``PRAGMA query_only`` on while it lasts, and ``BEGIN READ ONLY`` on
  PostgreSQL; a write inside it fails at once instead of silently taking the lock;
- a **write** transaction (:func:`transaction`): ``BEGIN IMMEDIATE`` on SQLite, taken only after
  the process-wide :class:`WriteGate` of the database file has let the writer in, in arrival order
  (so writers of this process queue in a FIFO instead of sleeping in SQLite's busy handler and
  starving; ``busy_timeout`` stays for other processes such as the CLI jobs). On PostgreSQL a
  write transaction is a plain one and there is no gate.
"""

import asyncio
import threading
import weakref
from collections import deque, namedtuple
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Column, Connection, Dialect, Engine, Table, create_engine, event
from sqlalchemy.sql import Executable
from sqlmodel import Session

from ag_app.settings import get_settings

T = TypeVar("T")

# Execution option of a connection that only reads (see :func:`read_engine`).
READ_ONLY = "ag_read_only"
# Key in a SQLite connection's ``info``: whether ``PRAGMA query_only`` is on for it now.
_QUERY_ONLY = "ag_query_only"
# Connections per SQLite engine: at least as many as threads that may read at once (the API's
# thread pool has 40 threads, the event loop's executor a few more), so no reader ever waits for
# a connection while holding a thread.
SQLITE_POOL_SIZE = 64


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and read / ``BEGIN IMMEDIATE`` transactions.

    ``BEGIN IMMEDIATE`` takes the write lock at the start of every write transaction, so concurrent
    use cases on SQLite serialise instead of failing half-way with "database is locked"; read
    transactions begin deferred with ``PRAGMA query_only`` on (see the module docstring).
    PostgreSQL sessions run with JIT compilation off: the app's statements are short, and when
    stale planner estimates make one look expensive, compiling it (≈ 0.75 s, measured on the
    statistics read) costs far more than running it.
    """
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=SQLITE_POOL_SIZE,
            max_overflow=SQLITE_POOL_SIZE,
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, record):  # pragma: no cover - driver hook
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            # 64 MB of page cache per connection (the default is 2 MB): bulk work on big tables
            # (a campaign's codes, a draw's list) stays in memory instead of re-reading pages.
            cursor.execute("PRAGMA cache_size=-65536")
            cursor.close()
            record.info[_QUERY_ONLY] = False

        @event.listens_for(engine, "begin")
        def _on_begin(conn):  # pragma: no cover - driver hook
            # Straight to the driver: this runs before every transaction.
            read_only = bool(conn.get_execution_options().get(READ_ONLY, False))
            fairy = conn.connection
            raw = fairy.dbapi_connection
            if fairy.info.get(_QUERY_ONLY) != read_only:
                raw.execute(f"PRAGMA query_only={int(read_only)}")
                fairy.info[_QUERY_ONLY] = read_only
            raw.execute("BEGIN" if read_only else "BEGIN IMMEDIATE")

        return engine
    return create_engine(
        url, pool_size=10, max_overflow=30, pool_recycle=1800, connect_args={"options": "-c jit=off"}
    )


@lru_cache
def get_engine() -> Engine:
    """The process-wide engine for the configured database."""
    return make_engine(get_settings().database_url)


_read_engines: "weakref.WeakKeyDictionary[Engine, Engine]" = weakref.WeakKeyDictionary()


def read_engine(engine: Engine | None = None) -> Engine:
    """The same engine (same pool) whose transactions are read-only (``query_only`` / ``READ ONLY``)."""
    engine = engine or get_engine()
    if engine.get_execution_options().get(READ_ONLY):
        return engine
    found = _read_engines.get(engine)
    if found is None:
        options: dict[str, Any] = {READ_ONLY: True}
        if engine.dialect.name == "postgresql":
            options["postgresql_readonly"] = True
        found = _read_engines[engine] = engine.execution_options(**options)
    return found


class WriteGate:
    """A FIFO lock of one SQLite database for this process: writers enter in arrival order.

    Waiting is either asynchronous (:meth:`hold`, for the event loop: no thread is blocked while
    waiting) or blocking (:meth:`acquire`, for threads outside the event loop: jobs, CLI). The lock
    is handed over directly from the releasing holder to the oldest waiter, so no later arrival
    can overtake. It is not bound to a thread: it may be released from another thread or from the
    event loop.
    """

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._held = False
        # Waiters in arrival order: a threading.Event, or an asyncio future with its loop.
        self._waiters: deque[threading.Event | tuple[asyncio.AbstractEventLoop, asyncio.Future]] = deque()

    @property
    def waiting(self) -> int:
        """How many writers wait now (for tests and diagnostics)."""
        return len(self._waiters)

    def acquire(self) -> None:
        """Block this thread until the gate is ours."""
        with self._mutex:
            if not self._held:
                self._held = True
                return
            ready = threading.Event()
            self._waiters.append(ready)
        ready.wait()

    async def acquire_async(self) -> None:
        """Wait on the event loop until the gate is ours (cancellation-safe)."""
        loop = asyncio.get_running_loop()
        with self._mutex:
            if not self._held:
                self._held = True
                return
            future = loop.create_future()
            entry = (loop, future)
            self._waiters.append(entry)
        try:
            await future
        except asyncio.CancelledError:
            with self._mutex:
                if entry in self._waiters:
                    # Still queued: leave the queue; the gate was never ours.
                    self._waiters.remove(entry)
                    raise
            if future.done() and not future.cancelled():
                # Handed over just before the cancellation arrived: pass it on.
                self.release()
            # Otherwise the pending hand-over sees the cancelled future and passes it on.
            raise

    def release(self) -> None:
        """Hand the gate to the oldest waiter, or free it."""
        with self._mutex:
            if not self._waiters:
                self._held = False
                return
            waiter = self._waiters.popleft()
        if isinstance(waiter, threading.Event):
            waiter.set()
            return
        loop, future = waiter
        loop.call_soon_threadsafe(self._hand_over, future)

    def _hand_over(self, future: asyncio.Future) -> None:
        if future.cancelled():
            self.release()
        else:
            future.set_result(None)

    @contextmanager
    def held(self) -> Iterator[None]:
        """Hold the gate in this thread for the duration of the block."""
        self.acquire()
        try:
            yield
        finally:
            self.release()

    @asynccontextmanager
    async def hold(self) -> AsyncIterator[None]:
        """Hold the gate for the duration of the ``async with`` block."""
        await self.acquire_async()
        try:
            yield
        finally:
            self.release()


_gates: dict[str, WriteGate] = {}
_gates_mutex = threading.Lock()


def write_gate(engine: Engine) -> WriteGate | None:
    """The FIFO gate of a SQLite database file (one per file in this process); None on PostgreSQL."""
    if engine.dialect.name != "sqlite":
        return None
    key = engine.url.render_as_string(hide_password=False)
    with _gates_mutex:
        gate = _gates.get(key)
        if gate is None:
            gate = _gates[key] = WriteGate()
        return gate


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A write transaction whose caller already holds the engine's gate (if any): commit on
    success, roll back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def transaction(engine: Engine | None = None) -> Iterator[Session]:
    """One use case = one transaction: commit on success, roll back on any error.

    On SQLite the calling thread first waits for its turn at the database's :class:`WriteGate`.
    Not for the event loop's thread (it would block every client): use :func:`run_in_transaction`.
    """
    engine = engine or get_engine()
    gate = write_gate(engine)
    if gate is None:
        with write_session(engine) as session:
            yield session
        return
    with gate.held(), write_session(engine) as session:
        yield session


@contextmanager
def read_transaction(engine: Engine | None = None) -> Iterator[Session]:
    """A read-only use case: no lock on SQLite, a write fails loudly; always rolled back."""
    with Session(read_engine(engine), expire_on_commit=False) as session:
        try:
            yield session
        finally:
            session.rollback()


def _run_read(fn: Callable[[Session], T], engine: Engine | None) -> T:
    with read_transaction(engine) as session:
        return fn(session)


def _run_write(fn: Callable[[Session], T], engine: Engine) -> T:
    with write_session(engine) as session:
        return fn(session)


async def run_in_transaction(
    fn: Callable[[Session], T], *, read: bool = False, engine: Engine | None = None
) -> T:
    """Run ``fn(session)`` in its own transaction on a worker thread (never blocks the event loop).

    A write on SQLite first waits, on the event loop and without holding a thread, for its turn at
    the database's :class:`WriteGate`; the gate is released only when the worker thread is done,
    even if the caller is cancelled meanwhile.
    """
    engine = engine or get_engine()
    if read:
        return await asyncio.to_thread(_run_read, fn, engine)
    gate = write_gate(engine)
    if gate is None:
        return await asyncio.to_thread(_run_write, fn, engine)
    await gate.acquire_async()
    work = asyncio.ensure_future(asyncio.to_thread(_run_write, fn, engine))
    work.add_done_callback(lambda _done: gate.release())
    return await asyncio.shield(work)


def reads(fn: Callable[..., T]) -> Callable[..., T]:
    """Mark a service function as read-only: callers run it in a read transaction (see :func:`is_read`)."""
    fn.__ag_reads__ = True  # type: ignore[attr-defined]
    return fn


def is_read(fn: Callable[..., Any]) -> bool:
    """Whether ``fn`` was marked with :func:`reads`."""
    return bool(getattr(fn, "__ag_reads__", False))


@contextmanager
def read_only(engine: Engine) -> Iterator[Connection]:
    """A short read-only transaction on a connection (see :func:`read_transaction`). Always rolled back."""
    with read_engine(engine).connect() as conn, conn.begin() as txn:
        yield conn
        txn.rollback()


def insert_rows(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    skip_conflicts: bool = False,
) -> None:
    """Many rows in one ``executemany`` of the driver, with no per-row parameter work by SQLAlchemy
    (city-scale bulk writes: a campaign's codes and their SMS). Values must already be in the
    driver's form — see :func:`driver_value`; ``skip_conflicts`` adds ``ON CONFLICT DO NOTHING``."""
    if not rows:
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    quote = conn.dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join([mark] * len(columns))})"
    )
    if skip_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    conn.exec_driver_sql(sql, list(rows))


def driver_value(conn: Connection, column: Column, value: Any) -> Any:
    """``value`` as the driver receives it for ``column`` (e.g. SQLite's text form of an instant);
    computed once for a value every row shares."""
    process = column.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
    return process(value) if process else value


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

    def stream(self, connection: Connection, params: dict[str, Any], size: int) -> Iterator[list[tuple]]:
        """Execute and yield the driver's raw rows in lists of ``size`` as they are read (a
        server-side cursor on PostgreSQL): lists of millions of rows, never held whole."""
        form = self._form(connection.dialect)
        HotStatement.executions += 1
        driver = connection.connection.driver_connection
        server_side = connection.dialect.name == "postgresql"
        cursor = driver.cursor(name=f"hot_stream_{id(self)}") if server_side else driver.cursor()
        try:
            cursor.execute(form.sql, form.parameters(params))
            while rows := cursor.fetchmany(size):
                yield rows
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
