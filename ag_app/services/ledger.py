"""The points ledger primitive every credit goes through."""

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from ag_app.domain.points import ACTIVE_CITIZEN_THRESHOLD
from ag_app.models import PointEntry, User


def credit(
    session: Session,
    *,
    user_id: int,
    amount: int,
    reason: str,
    ref: str,
    description: str,
    now: datetime,
) -> bool:
    """Credit ``amount`` points once per ``(user, reason, ref)``; returns False if already credited.

    The ledger row and the cached balances change in the same transaction. The unique key on the
    ledger makes a second credit impossible even when two transactions race; the savepoint keeps
    the caller's transaction usable when that happens. Reaching 1000 lifetime points grants the
    permanent status «Активный гражданин».
    """
    exists = session.exec(
        select(PointEntry.id).where(
            PointEntry.user_id == user_id, PointEntry.reason == reason, PointEntry.ref == ref
        )
    ).first()
    if exists is not None:
        return False
    try:
        with session.begin_nested():
            session.add(
                PointEntry(
                    user_id=user_id,
                    amount=amount,
                    reason=reason,
                    ref=ref,
                    description=description,
                    created_at=now,
                )
            )
            session.flush()
    except IntegrityError:
        return False
    session.execute(
        update(User)
        .where(User.id == user_id)
        .values(
            points_available=User.points_available + amount,
            points_lifetime=User.points_lifetime + amount,
        )
    )
    session.execute(
        update(User)
        .where(
            User.id == user_id,
            User.active_citizen_since.is_(None),
            User.points_lifetime >= ACTIVE_CITIZEN_THRESHOLD,
        )
        .values(active_citizen_since=now)
    )
    return True
