"""The seal of a closed poll's ballots: the hash chain with its checkpoints, read back, sealed by a job."""

import json
from datetime import datetime

from sqlalchemy import Engine, insert
from sqlmodel import Session, select

from ag_app.db import transaction
from ag_app.domain import opendata as od
from ag_app.domain.clock import as_utc
from ag_app.domain.errors import NotFound
from ag_app.models import Poll, PollSeal, PollSealCheckpoint
from ag_app.services.opendata.rows import (
    CHECKPOINT_EVERY,
    PUBLISHED_STATES,
    SealView,
    _connector,
    _Layout,
    _layout,
    _rows,
)
from ag_app.services.polls.eligibility import state_of


def _published_poll(session: Session, poll_id: int, now: datetime, *, lock: bool = False) -> Poll:
    """A published poll whose open data is out (closed), else NotFound with the reason."""
    query = select(Poll).where(Poll.id == poll_id)
    poll = session.exec(query.with_for_update() if lock else query).first()
    if poll is None or poll.published_at is None:
        raise NotFound("poll.not_found")
    if state_of(poll, now) not in PUBLISHED_STATES:
        raise NotFound("open_data.not_yet")
    return poll


def _seal_view(poll: Poll, seal: PollSeal, layout: _Layout) -> SealView:
    return SealView(
        poll_id=poll.id,
        title=poll.title,
        rows=seal.rows,
        final_hash=seal.final_hash,
        totals=json.loads(seal.totals_json),
        sealed_at=as_utc(seal.sealed_at),
        header=list(layout.header),
    )


def seal_poll(session: Session, *, poll_id: int, now: datetime) -> SealView:
    """Seal a closed poll's open data (idempotent: a sealed poll returns its stored seal).

    The poll row is locked first (``SELECT … FOR UPDATE``; SQLite transactions hold the write
    lock), then the chain is computed over every ballot and ``Poll.sealed_at`` is set: a ballot
    racing with the seal either committed before the lock (and is sealed) or is refused.

    Raises:
        NotFound: no such published poll, or it has not closed yet («open_data.not_yet»).
    """
    poll = _published_poll(session, poll_id, now, lock=True)
    conn = session.connection()
    layout = _layout(conn, poll.id)
    existing = session.get(PollSeal, poll.id)
    if existing is not None:
        return _seal_view(poll, existing, layout)
    totals = od.empty_totals(layout.known_options())
    columns = layout.columns
    checkpoints: list[dict] = []
    rows, final = 0, od.GENESIS
    for cells in _rows(_connector(session), layout, poll.id):
        if rows % CHECKPOINT_EVERY == 0:
            checkpoints.append(
                {"poll_id": poll.id, "row": rows + 1, "receipt": cells[1], "prev_hash": cells[-2]}
            )
        rows += 1
        od.count_row(totals, columns, cells[8:-2])
        final = cells[-1]
    if checkpoints:
        conn.execute(insert(PollSealCheckpoint), checkpoints)
    seal = PollSeal(
        poll_id=poll.id,
        rows=rows,
        final_hash=final,
        totals_json=json.dumps(totals.as_dict(), ensure_ascii=False),
        sealed_at=now,
    )
    poll.sealed_at = now
    session.add(seal)
    session.add(poll)
    session.flush()
    return _seal_view(poll, seal, layout)


def _sealed(session: Session, poll_id: int, now: datetime) -> tuple[Poll, PollSeal]:
    """The closed poll and its seal, sealing it on first use."""
    poll = _published_poll(session, poll_id, now)
    seal = session.get(PollSeal, poll.id)
    if seal is None:
        seal_poll(session, poll_id=poll.id, now=now)
        seal = session.get(PollSeal, poll.id)
    return poll, seal


def get_seal(session: Session, *, actor_id: int | None, poll_id: int, now: datetime) -> SealView:
    """The seal of a closed poll (sealed on first use). Open data is public: guests and residents
    get the same answer; ``actor_id`` is not needed for any decision.

    Raises:
        NotFound: no such published poll (drafts are hidden), or it has not closed yet.
    """
    del actor_id
    poll, seal = _sealed(session, poll_id, now)
    return _seal_view(poll, seal, _layout(session.connection(), poll.id))


def seal_closed_polls(engine: Engine, now: datetime) -> int:
    """Seal every published poll that has closed and is not sealed yet, one transaction per poll.

    A job of the periodic loop, so that visitors of the open data rarely wait for a seal.
    Returns how many polls were sealed.
    """
    with transaction(engine) as session:
        candidates = session.exec(
            select(Poll).where(Poll.published_at.is_not(None), Poll.sealed_at.is_(None))
        ).all()
        due = [p.id for p in candidates if state_of(p, now) in PUBLISHED_STATES]
    for poll_id in due:
        with transaction(engine) as session:
            seal_poll(session, poll_id=poll_id, now=now)
    return len(due)
