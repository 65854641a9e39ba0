"""Driving Reflex states in tests: a fresh state tree as one browser tab would have."""

from datetime import UTC, datetime

from reflex.state import State
from sqlmodel import Session

from ag_app.state.base import SessionState
from tests.factories import open_session


def browser_tab(session: Session, user_id: int | None) -> State:
    """A fresh state tree for one browser tab, logged in as ``user_id`` (or a guest).

    The states read the real clock, so the login session is opened now.
    """
    root = State(_reflex_internal_init=True)
    if user_id is not None:
        root.substates[SessionState.get_name()].auth_token = open_session(session, user_id, datetime.now(UTC))
    return root
