"""Who is acting: every use case re-reads the actor and their roles from the database."""

from typing import Any

from sqlmodel import Session, select

from ag_app.domain.errors import NotAllowed, NotAuthenticated
from ag_app.models import User, UserRole

STAFF_ROLES = frozenset({"moderator", "staff", "admin"})


def refuse_inactive(user: Any) -> None:
    """Refuse a guest (no user) and a deactivated profile; ``user`` is a User or a row with
    ``deactivated_at`` (hot paths read only the columns they need)."""
    if user is None:
        raise NotAuthenticated("auth.required")
    if user.deactivated_at is not None:
        raise NotAllowed("auth.deactivated")


def active_user(session: Session, actor_id: int | None) -> User:
    """The acting user; refuses guests and deactivated profiles."""
    user = session.get(User, actor_id) if actor_id is not None else None
    refuse_inactive(user)
    return user


def roles_of(session: Session, user_id: int) -> set[str]:
    """The staff roles a user holds (empty for a resident)."""
    return set(session.exec(select(UserRole.role).where(UserRole.user_id == user_id)).all())


def require_role(session: Session, actor_id: int | None, *roles: str) -> User:
    """The acting user if they hold one of ``roles`` (an administrator holds them all)."""
    user = active_user(session, actor_id)
    held = roles_of(session, user.id)
    if not held & ({*roles, "admin"}):
        raise NotAllowed("auth.forbidden")
    return user


def require_staff(session: Session, *, actor_id: int | None) -> User:
    """The acting user if they are city staff or an administrator (staff pages and use cases)."""
    return require_role(session, actor_id, "staff")


def lock_user(session: Session, user_id: int) -> User:
    """Load the user row for update, serialising concurrent use cases of one user.

    On PostgreSQL this is ``SELECT … FOR UPDATE``; SQLite transactions already hold the write lock.
    """
    user = session.exec(select(User).where(User.id == user_id).with_for_update()).one()
    return user
