"""A monotonic clock moved by hand, for the short-lived copies' age (results, poll pages, snapshots)."""


class Ticker:
    """Seconds since an arbitrary start; tests move ``now`` forward."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now
