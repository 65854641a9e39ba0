"""Receipts, sellers and contests for the contest tests."""

import itertools
from datetime import datetime, timedelta

from sqlmodel import Session

from ag_app.domain.clock import MOSCOW
from ag_app.domain.contest import ReceiptQR, parse_receipt_qr
from ag_app.models import Seller
from ag_app.services.contest.receipts import SubmitResult, submit_receipt

_fd = itertools.count(1)
FUEL_FN = "9960440300000010"
SHOP_FN = "9960440300000020"


def qr(
    purchased_at: datetime, *, fn: str = SHOP_FN, fd: int | None = None, n: int = 1, amount: str = "250.00"
) -> ReceiptQR:
    """A receipt bought at ``purchased_at`` (a fresh fiscal document unless ``fd`` is given)."""
    number = fd if fd is not None else next(_fd)
    local = purchased_at.astimezone(MOSCOW)
    return parse_receipt_qr(f"t={local:%Y%m%dT%H%M%S}&s={amount}&fn={fn}&i={number}&fp={1000 + number}&n={n}")


def add_sellers(session: Session) -> None:
    """A fuel station and a grocery shop in Moscow."""
    session.add(
        Seller(
            fn=FUEL_FN,
            name="АЗС «Лукойл» № 17",
            inn="7708004767",
            category="fuel",
            region="77",
            created_at=datetime(2026, 1, 1),
        )
    )
    session.add(
        Seller(
            fn=SHOP_FN,
            name="Магазин «Пятёрочка»",
            inn="7825706086",
            category="grocery",
            region="77",
            created_at=datetime(2026, 1, 1),
        )
    )
    session.commit()


def submit(engine, user_id: int, receipt: ReceiptQR, now: datetime, channel: str = "qr") -> SubmitResult:
    """Save a receipt in its own transaction, as the web page and the API do."""
    from ag_app.db import transaction

    with transaction(engine) as session:
        return submit_receipt(session, actor_id=user_id, qr=receipt, channel=channel, now=now)


def later(now: datetime, minutes: int) -> datetime:
    return now + timedelta(minutes=minutes)
