"""The ledger primitive: credits once per reference and keeps balances equal to the ledger."""

from sqlmodel import func, select

from ag_app.db import transaction
from ag_app.models import PointEntry, User
from ag_app.services.ledger import credit
from tests.factories import make_user


def test_credit_once_per_reference_and_status_at_1000(engine, session, now):
    user = make_user(session, points=0)
    with transaction(engine) as s:
        assert credit(s, user_id=user.id, amount=995, reason="promo", ref="BIG", description="x", now=now)
    with transaction(engine) as s:
        assert not credit(s, user_id=user.id, amount=995, reason="promo", ref="BIG", description="x", now=now)
        assert credit(s, user_id=user.id, amount=5, reason="poll", ref="poll:1", description="x", now=now)
    session.expire_all()
    fresh = session.get(User, user.id)
    ledger = session.exec(select(func.sum(PointEntry.amount)).where(PointEntry.user_id == user.id)).one()
    assert (fresh.points_available, fresh.points_lifetime, ledger) == (1000, 1000, 1000)
    assert fresh.active_citizen_since is not None
