"""Shared bench helpers: scratch databases, percentiles, peak memory and the JSON result line."""

import json
import math
import os
import resource
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, inspect, make_url, text
from sqlmodel import SQLModel

import ag_app.models  # noqa: F401  (registers the tables)
from ag_app.db import make_engine


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MiB (Linux reports ``ru_maxrss`` in KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def process_peak_rss_mb() -> float:
    """Peak RSS of this process image since the last :func:`reset_peak_rss` (``VmHWM``; unlike
    ``ru_maxrss`` it does not carry over a parent's peak across ``exec``)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return peak_rss_mb()


def reset_peak_rss() -> None:
    """Restart the peak-RSS mark at the current RSS (Linux ``clear_refs`` 5), so that one phase of
    a bench can be measured after another; does nothing where that is not available."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        pass


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0–100) of ``values`` by the nearest-rank method (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def dialect_of(url: str) -> str:
    """«sqlite» or «postgresql» for a database URL."""
    return make_url(url).get_backend_name()


@contextmanager
def scratch_database(db_url: str | None = None, *, label: str = "bench") -> Iterator[Engine]:
    """An empty database with every table, removed afterwards unless the caller named a SQLite file.

    No URL: a temporary SQLite file. A SQLite URL: that file, which must not hold tables yet. A
    PostgreSQL URL names the server: a new database ``ag_<label>_<pid>_<time>`` is created there
    (the named database is only used to connect) and dropped at the end, so a bench never touches
    existing data.
    """
    if db_url is None:
        with tempfile.TemporaryDirectory(prefix="ag-bench-") as folder:
            engine = make_engine(f"sqlite:///{Path(folder) / f'{label}.db'}")
            try:
                SQLModel.metadata.create_all(engine)
                yield engine
            finally:
                engine.dispose()
        return
    if dialect_of(db_url) == "sqlite":
        engine = make_engine(db_url)
        try:
            if inspect(engine).get_table_names():
                raise SystemExit(f"База {db_url} не пуста: укажите новый файл для измерений.")
            SQLModel.metadata.create_all(engine)
            yield engine
        finally:
            engine.dispose()
        return
    url = make_url(db_url)
    name = f"ag_{label}_{os.getpid()}_{int(time.time() * 1000)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(url.set(database=name).render_as_string(hide_password=False))
    try:
        SQLModel.metadata.create_all(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def result(
    *,
    name: str,
    n: int,
    seconds: float,
    latencies_ms: Sequence[float],
    floor_seconds: float | None,
    db: str,
    **extra: object,
) -> dict:
    """The bench result object of DESIGN.md §5 (plus ``extra`` keys)."""
    ops = n / seconds if seconds > 0 else 0.0
    floor_ops = n / floor_seconds if floor_seconds else None
    return {
        "name": name,
        "n": n,
        "ops_per_s": round(ops, 1),
        "p50_ms": round(percentile(latencies_ms, 50), 3),
        "p99_ms": round(percentile(latencies_ms, 99), 3),
        "floor_ops_per_s": None if floor_ops is None else round(floor_ops, 1),
        "ratio": None if not floor_ops else round(ops / floor_ops, 4),
        "peak_rss_mb": peak_rss_mb(),
        "db": db,
        **extra,
    }


def emit(data: dict) -> None:
    """Print the result as the last line of standard output."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    sys.stdout.flush()
