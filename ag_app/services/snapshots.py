"""Short-lived copies of public figures every visitor asks for (the home page's headline, news).

The home page is what a city's visitors open most, and its figures are the same for everybody:
counting every account and every ballot on each view would cost time in proportion to the city.
A :class:`Snapshot` keeps the last reading per key in this process for ``ttl`` seconds; one
caller reads the database when it is stale while the others keep serving the previous copy (or
wait for the first one). Only public, non-personal values belong here, and nothing may depend on
them for correctness: every worker reads the same database, each copy is at most ``ttl`` old.
"""

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class ColdCache(Exception):
    """A caller that may only use copies in hand (``cached_only``) met one that must be read."""


# Every snapshot of the process (tests clear them between databases).
REGISTRY: list["Snapshot"] = []


class Snapshot(Generic[T]):
    """The last value read per key, served for ``ttl`` seconds (``ttl`` 0: always read)."""

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._clock = clock
        self._values: dict[Hashable, tuple[float, T]] = {}
        self._loading: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()
        REGISTRY.append(self)

    def get(self, key: Hashable, read: Callable[[], T], *, cached_only: bool = False) -> T:
        """The value of ``key``: the copy when it is fresh, else ``read()`` (one reader per key).

        ``cached_only``: never read nor wait for a reader — raise :class:`ColdCache` instead.
        """
        held = self._values.get(key)
        if held is not None and self._clock() - held[0] < self.ttl:
            return held[1]
        with self._guard:
            lock = self._loading.setdefault(key, threading.Lock())
        if held is not None and not lock.acquire(blocking=False):
            return held[1]  # somebody is reading it already: the previous copy is good enough
        if held is None:
            if cached_only:
                raise ColdCache
            lock.acquire()
        elif cached_only:
            lock.release()
            raise ColdCache
        try:
            held = self._values.get(key)
            if held is not None and self._clock() - held[0] < self.ttl:
                return held[1]
            value = read()
            if self.ttl > 0:
                self._values[key] = (self._clock(), value)
            return value
        finally:
            lock.release()

    def clear(self) -> None:
        """Forget every copy."""
        self._values.clear()


def clear_all() -> None:
    """Forget the copies of every snapshot (a test's database is gone)."""
    for snapshot in REGISTRY:
        snapshot.clear()
