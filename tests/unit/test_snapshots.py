"""The short-lived copies of public figures: fresh copies are served, stale ones read again."""

from ag_app.services.snapshots import Snapshot
from tests.clocks import Ticker


def test_a_fresh_copy_is_served_and_a_stale_one_read_again():
    clock, reads = Ticker(100.0), []
    snapshot = Snapshot[int](30.0, clock=clock)

    def read() -> int:
        reads.append(clock.now)
        return len(reads)

    assert snapshot.get("city", read) == 1
    clock.now += 29.9
    assert snapshot.get("city", read) == 1
    clock.now += 0.2
    assert snapshot.get("city", read) == 2
    assert reads == [100.0, 130.1]


def test_keys_are_kept_apart_and_zero_ttl_always_reads():
    clock = Ticker(100.0)
    snapshot = Snapshot[str](5.0, clock=clock)
    assert snapshot.get(("news", 30), lambda: "a") == "a"
    assert snapshot.get(("news", 10), lambda: "b") == "b"
    assert snapshot.get(("news", 30), lambda: "c") == "a"
    snapshot.ttl = 0.0
    assert snapshot.get(("news", 30), lambda: "d") == "d"
    assert snapshot.get(("news", 30), lambda: "e") == "e"


def test_clear_forgets_the_copies():
    snapshot = Snapshot[int](60.0, clock=Ticker(100.0))
    snapshot.get("k", lambda: 1)
    snapshot.clear()
    assert snapshot.get("k", lambda: 2) == 2
