"""«Итоги конкурсов»: the published (finalised) contests, newest month first, for anyone to open.

Reads only, and only what is public: the contest, when its final rating was published, until when
its winners claim their prizes and how many prizes it gave. The winners and the seal of one contest
come from :func:`ag_app.services.contest.finalise.final_results`.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from ag_app.db import reads
from ag_app.domain.clock import as_utc
from ag_app.domain.errors import NotFound
from ag_app.models import Contest, ContestPrize
from ag_app.services.contest.finalise import FINAL

# How many published contests the list holds at most (two years of general contests by default).
MAX_LIMIT = 120


@dataclass(frozen=True)
class PublishedContest:
    """A contest whose final rating is published."""

    id: int
    # ``YYYY-MM``.
    period: str
    title: str
    general: bool
    published_at: datetime
    claim_until: datetime
    # Prizes of the final rating (one per winning place).
    winners: int


def _published(session: Session, *, contest_id: int | None, limit: int) -> list[PublishedContest]:
    winners = (
        select(ContestPrize.contest_id, func.count().label("winners"))
        .group_by(ContestPrize.contest_id)
        .subquery()
    )
    statement = (
        select(Contest, func.coalesce(winners.c.winners, 0))
        .join(winners, winners.c.contest_id == Contest.id, isouter=True)
        .where(Contest.status == FINAL, col(Contest.published_at).is_not(None))
    )
    if contest_id is not None:
        statement = statement.where(Contest.id == contest_id)
    rows = session.exec(
        statement.order_by(col(Contest.period).desc(), col(Contest.general).desc(), col(Contest.id)).limit(
            limit
        )
    ).all()
    return [
        PublishedContest(
            id=contest.id,
            period=contest.period,
            title=contest.title,
            general=contest.general,
            published_at=as_utc(contest.published_at),
            claim_until=as_utc(contest.claim_until or contest.published_at),
            winners=count,
        )
        for contest, count in rows
    ]


@reads
def published_contests(session: Session, *, limit: int = 24) -> list[PublishedContest]:
    """The finalised contests, newest month first (the general contest first within a month)."""
    return _published(session, contest_id=None, limit=max(1, min(int(limit), MAX_LIMIT)))


@reads
def published_contest(session: Session, *, contest_id: int) -> PublishedContest:
    """One finalised contest, or NotFound («Итоги конкурса ещё не опубликованы») for any other id."""
    found = _published(session, contest_id=contest_id, limit=1)
    if not found:
        raise NotFound("contest.not_final")
    return found[0]
