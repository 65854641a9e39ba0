"""Staff views of the contests of a month: their state and participants, and each final rating's
prizes with holders and payout details (staff who pay them only)."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from ag_app.db import reads
from ag_app.domain.clock import as_utc
from ag_app.domain.contest import parse_period, period_ended, period_label
from ag_app.i18n import status, statuses
from ag_app.models import ContestEntry, ContestSeal, Okrug
from ag_app.services.access import Capability, require
from ag_app.services.contest.board import conditions_text, rub_text
from ag_app.services.contest.claims import prizes_with_claims
from ag_app.services.contest.contests import conditions_of, contests_of_period, get_contest, prizes_of

OPEN, FINAL = "open", "final"
STATUS_NAMES = {s: status("contest", s, heading=True) for s in (OPEN, FINAL)}
PRIZE_STATUS_NAMES = statuses("prize", heading=True)


@dataclass(frozen=True)
class StaffContest:
    """A contest as staff manage it."""

    id: int
    title: str
    general: bool
    conditions: str
    prizes: str
    status: str
    status_name: str
    # Participants in the live rating (open) or in the published final rating.
    participants: int
    # The month is over and the contest is still open: «Подвести итоги» is possible.
    can_finalise: bool
    sha256: str
    published_at: datetime | None
    claim_until: datetime | None


@reads
def staff_contests(
    session: Session, *, actor_id: int | None, period: str, now: datetime
) -> list[StaffContest]:
    """The month's contests (general first) with status, participants and the latest seal."""
    require(session, actor_id, Capability.CONTEST_MANAGE)
    year, month = parse_period(period)
    contests = contests_of_period(session, period_label(year, month))
    ids = [c.id for c in contests]
    live = dict(
        session.exec(
            select(ContestEntry.contest_id, func.count())
            .where(col(ContestEntry.contest_id).in_(ids or [0]))
            .group_by(ContestEntry.contest_id)
        ).all()
    )
    seals: dict[int, ContestSeal] = {}
    for seal in session.exec(
        select(ContestSeal).where(col(ContestSeal.contest_id).in_(ids or [0])).order_by(ContestSeal.version)
    ).all():
        seals[seal.contest_id] = seal
    okrug_ids = {okrug for contest in contests for okrug in conditions_of(contest).okrugs}
    abbrevs = (
        dict(session.exec(select(Okrug.id, Okrug.abbrev).where(col(Okrug.id).in_(okrug_ids))).all())
        if okrug_ids
        else {}
    )
    ended = period_ended(year, month, now)
    views = []
    for contest in contests:
        seal = seals.get(contest.id)
        final = contest.status == FINAL
        views.append(
            StaffContest(
                id=contest.id,
                title=contest.title,
                general=contest.general,
                conditions=conditions_text(contest, abbrevs),
                prizes=", ".join(rub_text(prize) for prize in prizes_of(contest)),
                status=contest.status,
                status_name=STATUS_NAMES.get(contest.status, contest.status),
                participants=(seal.rows if final and seal is not None else live.get(contest.id, 0)),
                can_finalise=ended and not final,
                sha256=seal.sha256 if seal is not None else "",
                published_at=as_utc(contest.published_at) if contest.published_at else None,
                claim_until=as_utc(contest.claim_until) if contest.claim_until else None,
            )
        )
    return views


@dataclass(frozen=True)
class StaffPrize:
    """A prize of a final rating, its current holder and the payout details (staff only)."""

    id: int
    place: int
    amount: int
    holder: int  # participant number
    status: str
    status_name: str
    claim_until: datetime
    # «Фамилия Имя, +7…, банк» of the holder's claim; "" while not claimed.
    claim: str
    # Unclaimed after its deadline: «Передать следующему» is possible.
    can_pass: bool


@reads
def staff_prizes(
    session: Session, *, actor_id: int | None, contest_id: int, now: datetime
) -> list[StaffPrize]:
    """A finalised contest's prizes with holders, deadlines and claims (empty while open)."""
    require(session, actor_id, Capability.CONTEST_MANAGE)
    contest = get_contest(session, contest_id)
    moment = as_utc(now)
    return [
        StaffPrize(
            id=prize.id,
            place=prize.place,
            amount=prize.amount_rub,
            holder=prize.participant_id,
            status=prize.status,
            status_name=PRIZE_STATUS_NAMES.get(prize.status, prize.status),
            claim_until=as_utc(prize.claim_until),
            claim=claim,
            can_pass=prize.status != "claimed" and moment > as_utc(prize.claim_until),
        )
        for prize, claim in prizes_with_claims(session, contest.id)
    ]
