"""Pages of open data and receipt lookups, rebuilt from the nearest checkpoint."""

import math
from datetime import datetime
from itertools import islice

from sqlmodel import Session, select

from ag_app.domain.errors import InvalidInput
from ag_app.domain.receipts import normalize_receipt
from ag_app.models import Ballot, PollSealCheckpoint
from ag_app.services.access import active_user
from ag_app.services.opendata.rows import (
    CHECKPOINT_EVERY,
    PAGE_SIZE,
    PAGE_SIZE_MAX,
    OpenDataPage,
    OpenDataRow,
    _connector,
    _layout,
    _row_view,
    _rows,
)
from ag_app.services.opendata.seal import _sealed


def _rows_at(session: Session, poll_id: int, start: int, count: int) -> list[OpenDataRow]:
    """``count`` rows from row number ``start``, rebuilt from the checkpoint at or before it."""
    first = (start - 1) // CHECKPOINT_EVERY * CHECKPOINT_EVERY + 1
    checkpoint = session.get(PollSealCheckpoint, (poll_id, first))
    if checkpoint is None:
        return []
    conn = session.connection()
    rows = _rows(
        _connector(session),
        _layout(conn, poll_id),
        poll_id,
        start_receipt=checkpoint.receipt,
        number=first,
        prev_hash=checkpoint.prev_hash,
        limit=start - first + count,
        chunk=CHECKPOINT_EVERY + PAGE_SIZE_MAX,
    )
    return [_row_view(cells) for cells in islice(rows, start - first, None)]


def open_data_page(
    session: Session, *, poll_id: int, page: int, size: int = PAGE_SIZE, now: datetime
) -> OpenDataPage:
    """One page of a closed poll's published array (``size`` capped at 200 rows).

    Raises:
        NotFound: no such published poll, or it has not closed yet.
        InvalidInput: the page number is outside 1 … pages.
    """
    _, seal = _sealed(session, poll_id, now)
    size = max(1, min(size, PAGE_SIZE_MAX))
    pages = max(1, math.ceil(seal.rows / size))
    if not 1 <= page <= pages:
        raise InvalidInput("open_data.page_invalid", pages=pages)
    start = (page - 1) * size + 1
    rows = _rows_at(session, poll_id, start, min(size, seal.rows - start + 1)) if seal.rows else []
    return OpenDataPage(poll_id=poll_id, page=page, pages=pages, size=size, rows_total=seal.rows, rows=rows)


def _row_of_receipt(session: Session, poll_id: int, receipt: str) -> OpenDataRow | None:
    found = session.exec(
        select(Ballot.id).where(Ballot.poll_id == poll_id, Ballot.receipt == receipt)
    ).first()
    if found is None:
        return None
    checkpoint = session.exec(
        select(PollSealCheckpoint)
        .where(PollSealCheckpoint.poll_id == poll_id, PollSealCheckpoint.receipt <= receipt)
        .order_by(PollSealCheckpoint.receipt.desc())
        .limit(1)
    ).first()
    conn = session.connection()
    rows = _rows(
        _connector(session),
        _layout(conn, poll_id),
        poll_id,
        start_receipt=checkpoint.receipt,
        number=checkpoint.row,
        prev_hash=checkpoint.prev_hash,
        limit=CHECKPOINT_EVERY,
        chunk=CHECKPOINT_EVERY,
    )
    return next((_row_view(cells) for cells in rows if cells[1] == receipt), None)


def find_receipt(session: Session, *, poll_id: int, code: str, now: datetime) -> OpenDataRow | None:
    """The published row of the ballot with receipt ``code`` (pasted in any case, with spaces or
    dashes), or None when the poll has no such ballot.

    Raises:
        InvalidInput: the text cannot be a receipt code.
        NotFound: no such published poll, or it has not closed yet.
    """
    receipt = normalize_receipt(code)
    if receipt is None:
        raise InvalidInput("open_data.receipt_invalid")
    _sealed(session, poll_id, now)
    return _row_of_receipt(session, poll_id, receipt)


def my_row(session: Session, *, actor_id: int | None, poll_id: int, now: datetime) -> OpenDataRow | None:
    """The actor's own row in a closed poll's open data (found by their ballot's receipt), or None
    when they did not vote in it.

    Raises:
        NotAuthenticated: a guest.
    """
    user = active_user(session, actor_id)
    _sealed(session, poll_id, now)
    receipt = session.exec(
        select(Ballot.receipt).where(Ballot.poll_id == poll_id, Ballot.user_id == user.id)
    ).first()
    return None if receipt is None else _row_of_receipt(session, poll_id, receipt)
