"""The shop orders bench runs end to end with tiny numbers on both databases and breaks no invariant."""

import pytest

from ag_app.bench.orders import run
from tests.conftest import PG_URL

DATABASES = [pytest.param(None, id="sqlite")]
if PG_URL:
    DATABASES.append(pytest.param(PG_URL, id="pg", marks=pytest.mark.pg))


@pytest.mark.parametrize("db_url", DATABASES)
def test_bench_places_orders_from_threads_and_keeps_the_books(db_url):
    data = run(30, 7, db_url, orders=90, threads=4)

    assert (data["name"], data["n"], data["threads"]) == ("orders", 90, 4)
    assert data["db"] == ("sqlite" if db_url is None else "postgresql")
    assert data["invariant_violations"] == 0
    assert data["orders"] + data["refused"] == 90
    assert data["orders"] > 30 and data["refused"] == sum(data["refused_by_reason"].values())
    assert set(data["refused_by_reason"]) <= {"shop.out_of_stock", "shop.points_short"}
    assert data["conflicts_retried"] == 0
    assert data["ops_per_s"] > 0 and data["floor_ops_per_s"] > 0 and data["orders_per_s"] > 0
    assert abs(data["ratio"] - data["ops_per_s"] / data["floor_ops_per_s"]) < 0.01
    assert data["p50_ms"] <= data["p99_ms"]
