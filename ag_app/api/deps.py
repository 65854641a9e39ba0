"""Request dependencies: the database transaction, the clock and the actor from the bearer token."""

import asyncio
import weakref
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import TypeVar

from fastapi import Depends, Header, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine
from sqlmodel import Session

from ag_app.db import get_engine, read_engine, write_gate

F = TypeVar("F", bound=Callable)

# Methods whose routes read only, unless marked with :func:`writes`.
READ_METHODS = frozenset({"GET", "HEAD"})


def writes(endpoint: F) -> F:
    """Mark a GET route that writes (e.g. records something while answering): it gets a write
    transaction like POST/PUT/DELETE routes instead of a read-only one."""
    endpoint.__ag_writes__ = True  # type: ignore[attr-defined]
    return endpoint


def db_engine() -> Engine:
    """The engine requests use (a dependency so tests can point the API at their database)."""
    return get_engine()


def _is_read(request: Request) -> bool:
    """GET and HEAD routes read, unless their endpoint is marked with :func:`writes`."""
    if request.method not in READ_METHODS:
        return False
    endpoint = request.scope.get("endpoint")
    return not getattr(endpoint, "__ag_writes__", False)


def _end(session: Session, commit: bool) -> None:
    """Commit (or roll back) and close; the connection goes back to the pool either way."""
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()


async def _finish(session: Session, *, commit: bool) -> None:
    """End the transaction on a worker thread; if the request is cancelled meanwhile, roll back
    right here so no connection (and on SQLite no write lock) is left behind."""
    try:
        await run_in_threadpool(_end, session, commit)
    except BaseException:
        _end(session, False)
        raise


# Requests holding a database session at once, per event loop: below the pool's size (SQLite:
# 128 connections, PostgreSQL: 40 per worker) minus what the UI's thread pool and the jobs use,
# so a request never waits for a connection while holding one (or blocking the event loop).
SQLITE_REQUEST_SLOTS = 64
POSTGRESQL_REQUEST_SLOTS = 30
_slots: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore]" = (
    weakref.WeakKeyDictionary()
)


def _request_slots(engine: Engine) -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    slots = _slots.get(loop)
    if slots is None:
        size = SQLITE_REQUEST_SLOTS if engine.dialect.name == "sqlite" else POSTGRESQL_REQUEST_SLOTS
        slots = _slots[loop] = asyncio.Semaphore(size)
    return slots


async def db(request: Request, engine: Engine = Depends(db_engine)) -> AsyncIterator[Session]:
    """One transaction per request: read-only for GET/HEAD routes, else committed when the route
    returns and rolled back on error.

    At most a fixed number of requests hold a session at once (the others wait on the event loop
    without a connection). A read transaction takes no lock on SQLite (readers never wait for a
    writer) and refuses any write. A write transaction on SQLite first waits for its turn at the database's FIFO gate —
    on the event loop, without holding a thread — so writers are served in arrival order. Routes
    depend on it with ``scope="function"`` so the commit happens before the response is sent: a
    client never sees a success whose data could still be rolled back.
    """
    slots = _request_slots(engine)
    if _is_read(request):
        async with slots:
            session = Session(read_engine(engine), expire_on_commit=False)
            try:
                yield session
            finally:
                # Ending a read transaction (a rollback: in-process on SQLite, one local round
                # trip that never waits for a lock on PostgreSQL) costs less than a thread hop.
                _end(session, False)
        return
    gate = write_gate(engine)
    if gate is None:
        async with slots:
            session = Session(engine, expire_on_commit=False)
            try:
                yield session
            except BaseException:
                await _finish(session, commit=False)
                raise
            await _finish(session, commit=True)
        return
    # The gate first: writers waiting for their turn hold no slot, readers keep going.
    await gate.acquire_async()
    try:
        async with slots:
            session = Session(engine, expire_on_commit=False)
            try:
                yield session
            except BaseException:
                _end(session, False)
                raise
            # A SQLite commit in WAL mode (synchronous=NORMAL) does not wait for the disk: ending
            # it right here keeps the gate's hold short (no thread pool round trip).
            _end(session, True)
    finally:
        gate.release()


async def clock() -> datetime:
    """The current instant (a dependency so tests can override it).

    ``async`` like :func:`bearer_token`: trivial dependencies run on the event loop, since a sync
    one costs a round trip to the thread pool on every request.
    """
    return datetime.now(UTC)


async def bearer_token(authorization: str = Header(default="")) -> str:
    """The opaque session token of ``Authorization: Bearer <token>`` (empty when absent)."""
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


async def actor_id(
    token: str = Depends(bearer_token),
    session: Session = Depends(db, scope="function"),
    now: datetime = Depends(clock),
) -> int | None:
    """The logged-in user's id from the server-side session, or None for a guest.

    The lookup (one indexed read that never waits for a lock: well under a millisecond on SQLite
    and on a local PostgreSQL) runs right here on the event loop: a round trip to the thread pool
    would cost more CPU, and for a SQLite writer it would lengthen the time it holds the gate.
    """
    from ag_app.services.auth import user_id_for_token

    if not token:
        return None
    return user_id_for_token(session, token, now=now)
