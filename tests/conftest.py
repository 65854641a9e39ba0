"""Shared fixtures: a fresh database per test on SQLite and, when available, PostgreSQL."""

import os
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlmodel import Session, SQLModel

# Demo mode is off by default; the tests rely on it (the outbox, the development secret). Set before
# the settings are first read; a test that needs it off changes the live settings object.
os.environ.setdefault("AG_DEMO_MODE", "true")
# Load tests and browser tests log many phones in from loopback, as `make run` allows.
os.environ.setdefault("AG_OTP_EXEMPT_CLIENTS", "127.0.0.1,::1")

import ag_app.models  # noqa: E402, F401  (registers the tables)
from ag_app.db import make_engine  # noqa: E402
from ag_app.services import results_cache, snapshots  # noqa: E402

PG_URL = os.environ.get("AG_TEST_PG_URL", "")
# Make sure a CI run never silently skips PostgreSQL.
if os.environ.get("AG_REQUIRE_PG") == "1" and not PG_URL:
    raise RuntimeError("AG_REQUIRE_PG=1 but AG_TEST_PG_URL is not set")

# Test databases are named <prefix>_<xdist worker>; a second checkout testing against the same
# server at the same time sets its own AG_TEST_DB_PREFIX.
DB_PREFIX = os.environ.get("AG_TEST_DB_PREFIX", "ag_test")

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def _pg_worker_url() -> str:
    """A database of this xdist worker's own, created on first use."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    base, _, _ = PG_URL.rpartition("/")
    name = f"{DB_PREFIX}_{worker}"
    admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{base}/{name}"


@pytest.fixture(scope="session")
def _pg_engine() -> Iterator[Engine]:
    engine = make_engine(_pg_worker_url())
    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


def _db_params() -> list:
    params = [pytest.param("sqlite", id="sqlite")]
    if PG_URL:
        params.append(pytest.param("postgresql", id="pg", marks=pytest.mark.pg))
    return params


@pytest.fixture(params=_db_params())
def engine(request, tmp_path) -> Iterator[Engine]:
    """An empty database with every table, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'test.db'}")
        SQLModel.metadata.create_all(eng)
        yield eng
        eng.dispose()
        return
    eng = request.getfixturevalue("_pg_engine")
    yield eng
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with eng.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def session(engine) -> Iterator[Session]:
    """A session for arranging data and reading results (commit explicitly)."""
    with Session(engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture
def now() -> datetime:
    """A fixed instant: Friday 20 November 2026, 12:00 Moscow time."""
    return NOW


@pytest.fixture(autouse=True)
def exact_results(monkeypatch) -> Iterator[None]:
    """Poll results are read afresh on every view (the one-second snapshot has tests of its own),
    and no snapshot outlives its test's database."""
    monkeypatch.setattr(results_cache, "RESULTS_TTL", 0.0)
    for snapshot in snapshots.REGISTRY:
        monkeypatch.setattr(snapshot, "ttl", 0.0)
    yield
    results_cache.clear_cache()
    snapshots.clear_all()
