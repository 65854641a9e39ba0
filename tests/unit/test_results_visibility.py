"""Whether a PostgreSQL snapshot saw the transaction that wrote a row (the results snapshot's test)."""

from ag_app.services.results_cache import _visible


def test_committed_before_the_snapshot_is_visible():
    assert _visible(100, "105:110:107")
    assert _visible(106, "105:110:107")


def test_running_or_later_transactions_are_not_visible():
    assert not _visible(107, "105:110:107,108")
    assert not _visible(110, "105:110:")
    assert not _visible(4000, "105:110:")


def test_ids_of_another_epoch():
    epoch = 1 << 32
    snapshot = f"{epoch + 5}:{epoch + 9}:"
    # Written just before the wrap-around (epoch 0), and just after the snapshot (epoch 1).
    assert _visible(0xFFFFFFF0, snapshot)
    assert not _visible(12, snapshot)
    assert _visible(6, snapshot)
