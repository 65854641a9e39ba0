"""Which contests a receipt counts in, and a participant's standings recounted from their receipts.

A full recount is the definition of the rating: every incremental update (a new receipt) must
arrive at the same standings, and every correction (a rejection, a disqualification, a seller
re-classified) is done by recounting the participants it touches.
"""

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session, col, select

from ag_app.domain.contest import Conditions, CountedReceipt, Standing, standing_of
from ag_app.models import Contest, ContestParticipant, Disqualification, Receipt, Seller
from ag_app.services import changes
from ag_app.services.contest.contests import conditions_of, contests_of_period, okrug_of
from ag_app.services.contest.rating import clear_rating, set_standings

# The topic announced after a rating changed (key: contest id); the live page listens.
RATING_CHANGED = "contest.rating"
ACCEPTED = "accepted"
REVIEW = "review"
REJECTED = "rejected"


def counts_in(conditions: Conditions, seller: Seller | None, okrug: int | None) -> bool:
    """Whether a receipt of ``seller`` (None: unknown drive) by a participant of ``okrug`` counts."""
    if seller is None:
        return conditions.counts(category=None, region="", inn="", okrug=okrug)
    return conditions.counts(category=seller.category, region=seller.region, inn=seller.inn, okrug=okrug)


def is_disqualified(session: Session, participant_id: int, period: str) -> Disqualification | None:
    """The participant's disqualification for the period, if any."""
    return session.exec(
        select(Disqualification).where(
            Disqualification.participant_id == participant_id, Disqualification.period == period
        )
    ).first()


def _counted(session: Session, participant_id: int, period: str) -> list[tuple[Receipt, Seller | None]]:
    return list(
        session.exec(
            select(Receipt, Seller)
            .join(Seller, col(Seller.fn) == Receipt.fn, isouter=True)
            .where(
                Receipt.participant_id == participant_id,
                Receipt.period == period,
                Receipt.status == ACCEPTED,
            )
        ).all()
    )


def standings_from_receipts(
    contests: Iterable[Contest],
    participant: ContestParticipant,
    receipts: list[tuple[Receipt, Seller | None]],
    okrug: int | None,
) -> dict[int, Standing | None]:
    """Per contest, the participant's standing from their accepted receipts (pure)."""
    result: dict[int, Standing | None] = {}
    for contest in contests:
        conditions = conditions_of(contest)
        counted = [
            CountedReceipt(
                points=receipt.points, counted_at=receipt.counted_at, purchased_at=receipt.purchased_at
            )
            for receipt, seller in receipts
            if counts_in(conditions, seller, okrug) and receipt.counted_at is not None
        ]
        result[contest.id] = standing_of(participant.id, participant.registered_at, counted)
    return result


def recount_participant(session: Session, participant_id: int, period: str) -> None:
    """Recount the participant in every open contest of the period (none while disqualified)."""
    contests = contests_of_period(session, period, status="open")
    if not contests:
        return
    participant = session.get(ContestParticipant, participant_id)
    if is_disqualified(session, participant_id, period):
        standings: dict[int, Standing | None] = {contest.id: None for contest in contests}
    else:
        receipts = _counted(session, participant_id, period)
        standings = standings_from_receipts(
            contests, participant, receipts, okrug_of(session, participant.user_id)
        )
    set_standings(session, participant_id, standings)
    for contest in contests:
        changes.changed(session, RATING_CHANGED, contest.id)


def recount_contest(session: Session, contest: Contest) -> int:
    """Rebuild a whole rating from the receipts (repairs, checks); returns the participants."""
    clear_rating(session, contest.id)
    ids = session.exec(
        select(Receipt.participant_id)
        .where(Receipt.period == contest.period, Receipt.status == ACCEPTED)
        .distinct()
    ).all()
    disqualified = set(
        session.exec(
            select(Disqualification.participant_id).where(Disqualification.period == contest.period)
        ).all()
    )
    for participant_id in ids:
        if participant_id in disqualified:
            continue
        participant = session.get(ContestParticipant, participant_id)
        receipts = _counted(session, participant_id, contest.period)
        standing = standings_from_receipts(
            [contest], participant, receipts, okrug_of(session, participant.user_id)
        )
        set_standings(session, participant_id, standing)
    changes.changed(session, RATING_CHANGED, contest.id)
    return len(ids) - len(disqualified & set(ids))


def counted_receipt(receipt: Receipt, now: datetime) -> CountedReceipt:
    """How a receipt accepted (or re-scored) at ``now`` counts."""
    return CountedReceipt(points=receipt.points, counted_at=now, purchased_at=receipt.purchased_at)
