"""A contest's rating built in bulk from the receipts by SQL (demo data, benches, repairs at scale).

The result is exactly what :func:`ag_app.services.contest.scoring.recount_contest` arrives at one
participant at a time: one entry per participant with accepted, counted receipts that count in the
contest (disqualified participants left out) — points their sum, ``reached_at`` the latest
``counted_at``, ``last_receipt_at`` the latest purchase, ``registered_at`` the participant's, and
``reached_hour`` the hour bucket of :func:`ag_app.services.contest.rating.hour_of` — then both
counters grouped from the entries. Three ``INSERT … SELECT`` statements instead of millions of
per-participant writes.

Only seller conditions (category, region, partner INN) are expressed in SQL; a contest restricted
by the participant's okrug is recounted through :func:`recount_contest` instead.
"""

from sqlalchemy import Integer, and_, cast, func, insert, literal, not_, select
from sqlmodel import Session, col

from ag_app.models import (
    Contest,
    ContestEntry,
    ContestHourTally,
    ContestParticipant,
    ContestPointsTally,
    Disqualification,
    Receipt,
    Seller,
)
from ag_app.services import changes
from ag_app.services.contest.contests import conditions_of
from ag_app.services.contest.rating import clear_rating
from ag_app.services.contest.scoring import ACCEPTED, RATING_CHANGED, recount_contest


def _hour(session: Session, moment):
    """Whole hours since the epoch of a stored instant, in SQL (= ``rating.hour_of``)."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.floor(func.extract("epoch", moment) / 3600), Integer)
    # SQLite keeps instants as «YYYY-MM-DD HH:MM:SS.ffffff» UTC text; %s truncates to whole seconds.
    return cast(func.strftime("%s", moment), Integer) // 3600


def _seller_conditions(contest: Contest):
    """The contest's seller conditions as a WHERE clause over the joined Seller (None: no condition)."""
    conditions = conditions_of(contest)
    clauses = []
    if conditions.categories:
        clauses.append(col(Seller.category).in_(sorted(conditions.categories)))
    if conditions.regions:
        clauses.append(col(Seller.region).in_(sorted(conditions.regions)))
    if conditions.partner_inns:
        clauses.append(col(Seller.inn).in_(sorted(conditions.partner_inns)))
    return and_(*clauses) if clauses else None


def build_rating(session: Session, contest: Contest) -> int:
    """Rebuild the contest's whole rating from its period's receipts; returns the participants."""
    if conditions_of(contest).okrugs:
        return recount_contest(session, contest)
    clear_rating(session, contest.id)
    seller_where = _seller_conditions(contest)
    latest_counted = func.max(Receipt.counted_at)
    disqualified = select(Disqualification.participant_id).where(Disqualification.period == contest.period)
    source = (
        select(
            literal(contest.id),
            Receipt.participant_id,
            func.sum(Receipt.points),
            latest_counted,
            _hour(session, latest_counted),
            func.max(Receipt.purchased_at),
            ContestParticipant.registered_at,
        )
        .join(ContestParticipant, ContestParticipant.id == Receipt.participant_id)
        .where(
            Receipt.period == contest.period,
            Receipt.status == ACCEPTED,
            col(Receipt.counted_at).is_not(None),
            not_(col(Receipt.participant_id).in_(disqualified)),
        )
        .group_by(Receipt.participant_id, ContestParticipant.registered_at)
    )
    if seller_where is not None:
        # A receipt of an unknown drive has no category, region or INN: it never meets a condition.
        source = source.join(Seller, col(Seller.fn) == Receipt.fn).where(seller_where)
    session.execute(
        insert(ContestEntry).from_select(
            [
                "contest_id",
                "participant_id",
                "points",
                "reached_at",
                "reached_hour",
                "last_receipt_at",
                "registered_at",
            ],
            source,
        )
    )
    where = ContestEntry.contest_id == contest.id
    session.execute(
        insert(ContestPointsTally).from_select(
            ["contest_id", "points", "n"],
            select(ContestEntry.contest_id, ContestEntry.points, func.count())
            .where(where)
            .group_by(ContestEntry.contest_id, ContestEntry.points),
        )
    )
    session.execute(
        insert(ContestHourTally).from_select(
            ["contest_id", "points", "hour", "n"],
            select(ContestEntry.contest_id, ContestEntry.points, ContestEntry.reached_hour, func.count())
            .where(where)
            .group_by(ContestEntry.contest_id, ContestEntry.points, ContestEntry.reached_hour),
        )
    )
    changes.changed(session, RATING_CHANGED, contest.id)
    return int(session.scalar(select(func.count()).where(where)))
