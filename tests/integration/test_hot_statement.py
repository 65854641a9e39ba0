"""Precompiled hot statements give the same rows and write the same values as SQLAlchemy itself."""

from datetime import timedelta

from sqlalchemy import bindparam, insert, select, update

from ag_app.db import HotStatement, transaction
from ag_app.models import PointEntry, User
from tests.factories import make_user

READ = HotStatement(
    select(User.id, User.created_at, User.points_available, User.deactivated_at)
    .where(User.id >= bindparam("p_from"))
    .order_by(User.id)
    .limit(2)
)
WRITE_ENTRY = HotStatement(
    insert(PointEntry).values(
        {c: bindparam(c) for c in ("user_id", "amount", "reason", "ref", "description", "created_at")}
    )
)
TOUCH = HotStatement(
    update(User).where(User.id == bindparam("p_user")).values(created_at=bindparam("p_at")).returning(User.id)
)


def test_rows_equal_sqlalchemy_results_with_types_and_limit(engine, session, now):
    """Datetimes come back as SQLAlchemy returns them; the LIMIT default is filled in."""
    ids = [make_user(session).id for _ in range(3)]
    session.commit()
    with transaction(engine) as tx:
        connection = tx.connection()
        hot = READ.rows(connection, {"p_from": ids[0]})
        expected = connection.execute(READ.statement, {"p_from": ids[0]}).all()
    assert [tuple(r) for r in hot] == [tuple(r) for r in expected]
    assert len(hot) == 2
    assert hot[0].id == ids[0]


def test_writes_are_read_back_by_sqlalchemy_and_roll_back_with_the_transaction(engine, session, now):
    user = make_user(session)
    session.commit()
    later = now + timedelta(days=1)
    with transaction(engine) as tx:
        connection = tx.connection()
        WRITE_ENTRY.many(
            connection,
            [
                {
                    "user_id": user.id,
                    "amount": 5,
                    "reason": "test",
                    "ref": f"r{i}",
                    "description": "",
                    "created_at": now,
                }
                for i in range(2)
            ],
        )
        assert TOUCH.rows(connection, {"p_user": user.id, "p_at": later})[0].id == user.id
        assert TOUCH.rows(connection, {"p_user": -1, "p_at": later}) == []
    with transaction(engine) as tx:
        stored = tx.exec(select(PointEntry.created_at).where(PointEntry.user_id == user.id)).all()
        assert len(stored) == 2
        assert tx.get(User, user.id).created_at.replace(tzinfo=None) == later.replace(tzinfo=None)
    try:
        with transaction(engine) as tx:
            TOUCH.rows(tx.connection(), {"p_user": user.id, "p_at": now})
            raise RuntimeError("abort")
    except RuntimeError:
        pass
    with transaction(engine) as tx:
        assert tx.get(User, user.id).created_at.replace(tzinfo=None) == later.replace(tzinfo=None)
