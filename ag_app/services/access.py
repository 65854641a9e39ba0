"""Who is acting: every use case re-reads the actor and their roles from the database.

What a role may do is the one map in :mod:`ag_app.domain.roles`: use cases call :func:`require`
with a capability, and the menus show what :func:`capabilities_of` returns.
"""

from typing import Any

from sqlmodel import Session, select

from ag_app.domain.errors import NotAllowed, NotAuthenticated
from ag_app.domain.roles import STAFF_ROLES, Capability, capabilities_for
from ag_app.models import AwardJuror, User, UserRole

__all__ = [
    "STAFF_ROLES",
    "Capability",
    "active_user",
    "capabilities_of",
    "has",
    "lock_user",
    "refuse_inactive",
    "require",
    "roles_of",
]

# Commission seats from which the chair's powers may be exercised (chair, or the deputy they pass to).
_CHAIR_SEATS = ("chair", "deputy")


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


def capabilities_of(session: Session, user_id: int) -> frozenset[Capability]:
    """Everything a user may do beyond a resident: the capabilities of their roles
    (:func:`ag_app.domain.roles.capabilities_for`) and of their seats on award commissions."""
    held = set(capabilities_for(roles_of(session, user_id)))
    seats = set(session.exec(select(AwardJuror.role).where(AwardJuror.user_id == user_id)).all())
    if seats:
        held.add(Capability.AWARD_JURY)
    if seats & set(_CHAIR_SEATS):
        held.add(Capability.AWARD_APPROVE)
    return frozenset(held)


def has(session: Session, user_id: int, capability: Capability) -> bool:
    """Whether the user's roles give ``capability`` (see :func:`require`)."""
    return capability in capabilities_for(roles_of(session, user_id))


def require(session: Session, actor_id: int | None, capability: Capability) -> User:
    """The acting user if their roles give ``capability`` (the map in :mod:`ag_app.domain.roles`).

    Commission capabilities are per contest and are checked by the award use cases themselves.
    """
    user = active_user(session, actor_id)
    if not has(session, user.id, capability):
        raise NotAllowed("auth.forbidden")
    return user


def lock_user(session: Session, user_id: int) -> User:
    """Load the user row for update, serialising concurrent use cases of one user.

    On PostgreSQL this is ``SELECT … FOR UPDATE``; SQLite transactions already hold the write lock.
    """
    user = session.exec(select(User).where(User.id == user_id).with_for_update()).one()
    return user
