"""The points ledger primitive every credit goes through."""

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import ColumnElement, Update, and_, bindparam, case, insert, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from ag_app.db import HotStatement
from ag_app.domain.points import ACTIVE_CITIZEN_THRESHOLD
from ag_app.models import PointEntry, User


def balance_changes(amount: ColumnElement[int], now: ColumnElement[datetime]) -> dict:
    """The SET clauses a credit of ``amount`` applies to the user's cached balances.

    SET expressions read the row as it was before the update, so the status test compares the old
    lifetime total plus this amount with the threshold of «Активный гражданин».
    """
    return {
        User.points_available: User.points_available + amount,
        User.points_lifetime: User.points_lifetime + amount,
        User.active_citizen_since: case(
            (
                and_(
                    User.active_citizen_since.is_(None),
                    User.points_lifetime + amount >= ACTIVE_CITIZEN_THRESHOLD,
                ),
                now,
            ),
            else_=User.active_citizen_since,
        ),
    }


# The cached balances follow the ledger row in one statement.
_APPLY_CREDIT = HotStatement(
    update(User)
    .where(User.id == bindparam("p_user"))
    .values(balance_changes(bindparam("p_amount"), bindparam("p_now")))
)
_BALANCE_FIELDS = ["points_available", "points_lifetime", "active_citizen_since"]
_ENTRY_COLUMNS = ("user_id", "amount", "reason", "ref", "description", "created_at")


def _insert_entry(dialect_insert: Callable) -> HotStatement:
    """``INSERT … ON CONFLICT DO NOTHING RETURNING id``: no row comes back when already credited."""
    return HotStatement(
        dialect_insert(PointEntry)
        .values({column: bindparam(column) for column in _ENTRY_COLUMNS})
        .on_conflict_do_nothing()
        .returning(PointEntry.id)
    )


_INSERT_ENTRY = {"postgresql": _insert_entry(postgresql_insert), "sqlite": _insert_entry(sqlite_insert)}


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

    The ledger row and the cached balances change in the same transaction, in two statements. The
    unique key on the ledger decides even when two transactions race: the insert does nothing for
    an existing key (no savepoint needed). Reaching 1000 lifetime points grants the permanent
    status «Активный гражданин». A User already loaded in the session is expired, so it shows the
    new balances on its next access.
    """
    connection = session.connection()
    entry = {"user_id": user_id, "amount": amount, "reason": reason, "ref": ref, "description": description}
    if not _INSERT_ENTRY[connection.dialect.name].rows(connection, entry | {"created_at": now}):
        return False
    _APPLY_CREDIT.rows(connection, {"p_user": user_id, "p_amount": amount, "p_now": now})
    loaded = session.identity_map.get(session.identity_key(User, user_id))
    if loaded is not None:
        session.expire(loaded, _BALANCE_FIELDS)
    return True


def _expire_balances(session: Session, user_id: int) -> None:
    loaded = session.identity_map.get(session.identity_key(User, user_id))
    if loaded is not None:
        session.expire(loaded, _BALANCE_FIELDS + ["points_blocked"])


# Built once (the statement cache then skips compiling): the shop moves points on its hot path.
_USER, _AMOUNT = bindparam("p_user"), bindparam("p_amount")
_BLOCK = (
    update(User)
    .where(User.id == _USER, User.points_available >= _AMOUNT)
    .values(points_available=User.points_available - _AMOUNT, points_blocked=User.points_blocked + _AMOUNT)
)
_UNBLOCK = (
    update(User)
    .where(User.id == _USER)
    .values(points_available=User.points_available + _AMOUNT, points_blocked=User.points_blocked - _AMOUNT)
)
_WRITE_OFF = {
    from_blocked: update(User).where(User.id == _USER, column >= _AMOUNT).values({column: column - _AMOUNT})
    for from_blocked, column in ((True, User.points_blocked), (False, User.points_available))
}
_ADD_ENTRY = insert(PointEntry)


def _move(session: Session, statement: Update, user_id: int, amount: int) -> bool:
    moved = session.connection().execute(statement, {"p_user": user_id, "p_amount": amount}).rowcount
    _expire_balances(session, user_id)
    return moved == 1


def block(session: Session, *, user_id: int, amount: int) -> bool:
    """Move ``amount`` available points to blocked ones (an order awaiting pickup); False if short.

    One conditional UPDATE: concurrent blocks of one user serialise on the row and each sees the
    balance the previous one left, so the available balance never goes below zero.
    """
    return _move(session, _BLOCK, user_id, amount)


def unblock(session: Session, *, user_id: int, amount: int) -> None:
    """Return blocked points to the available balance (a cancelled reservation)."""
    _move(session, _UNBLOCK, user_id, amount)


def debit(
    session: Session,
    *,
    user_id: int,
    amount: int,
    reason: str,
    ref: str,
    description: str,
    now: datetime,
    from_blocked: bool,
) -> bool:
    """Write off ``amount`` points with a ledger row ``-amount``; False (nothing written) if short.

    From the available balance (an order paid at once) the balance is checked and lowered in one
    conditional UPDATE; from the blocked points (a reservation picked up or annulled) the blocked
    balance goes down. The ledger row and the balance change in the same transaction, so the ledger
    always sums to available + blocked.
    """
    if not _move(session, _WRITE_OFF[from_blocked], user_id, amount):
        return False
    session.connection().execute(
        _ADD_ENTRY,
        {
            "user_id": user_id,
            "amount": -amount,
            "reason": reason,
            "ref": ref,
            "description": description,
            "created_at": now,
        },
    )
    return True
