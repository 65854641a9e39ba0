"""Request dependencies: the database transaction, the clock and the actor from the bearer token."""

from collections.abc import Iterator
from datetime import UTC, datetime

from fastapi import Depends, Header
from sqlmodel import Session

from ag_app.db import transaction


def db() -> Iterator[Session]:
    """One transaction per request: committed when the route returns, rolled back on error.

    Routes depend on it with ``scope="function"`` so the commit happens before the response is
    sent: a client never sees a success whose data could still be rolled back.
    """
    with transaction() as session:
        yield session


def clock() -> datetime:
    """The current instant (a dependency so tests can override it)."""
    return datetime.now(UTC)


def bearer_token(authorization: str = Header(default="")) -> str:
    """The opaque session token of ``Authorization: Bearer <token>`` (empty when absent)."""
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def actor_id(
    token: str = Depends(bearer_token),
    session: Session = Depends(db, scope="function"),
    now: datetime = Depends(clock),
) -> int | None:
    """The logged-in user's id from the server-side session, or None for a guest."""
    from ag_app.services.auth import user_id_for_token

    return user_id_for_token(session, token, now=now) if token else None
