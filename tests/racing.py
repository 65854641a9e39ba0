"""Racing use cases: every job starts at once in its own thread (and its own transaction)."""

import threading
from concurrent.futures import ThreadPoolExecutor

from ag_app.domain.errors import DomainError


def race(jobs):
    """Run every job (a callable) at once in its own thread; returns each result or exception."""
    barrier = threading.Barrier(len(jobs))

    def run(job):
        barrier.wait()
        try:
            return job()
        except Exception as exc:  # noqa: BLE001 - reported by the caller
            return exc

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


def unexpected(outcomes) -> list[str]:
    """Anything that is neither a result nor a domain refusal (e.g. a deadlock), as text."""
    return [repr(o) for o in outcomes if isinstance(o, Exception) and not isinstance(o, DomainError)]
