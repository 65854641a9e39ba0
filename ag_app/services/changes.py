"""Committed changes announced to whoever listens (e.g. the live pages), from any channel.

A use case calls :func:`changed` inside its transaction; the listeners of the topic run once the
transaction has committed (never for a rollback), on whatever thread committed it. Services stay
free of the web layer: the UI subscribes its live channels at import time.
"""

import logging
from collections import defaultdict
from collections.abc import Callable

from sqlalchemy import event
from sqlmodel import Session

log = logging.getLogger(__name__)

_LISTENERS: dict[str, list[Callable[[int], None]]] = defaultdict(list)
_PENDING = "ag_changes"


def subscribe(topic: str, listener: Callable[[int], None]) -> None:
    """Call ``listener(key)`` after every commit that changed ``key`` of ``topic``."""
    _LISTENERS[topic].append(listener)


def changed(session: Session, topic: str, key: int) -> None:
    """Record that ``key`` of ``topic`` changes in this transaction."""
    session.info.setdefault(_PENDING, set()).add((topic, key))


@event.listens_for(Session, "after_commit")
def _announce(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    for topic, key in sorted(pending or ()):
        for listener in _LISTENERS.get(topic, ()):
            try:
                listener(key)
            except Exception:  # a listener must never undo or fail a committed use case
                log.exception("Listener of %s failed", topic)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)
