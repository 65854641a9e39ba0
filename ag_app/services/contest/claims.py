"""A winner claims the prize with payout details for an SBP transfer; staff see them, nobody else.

The claim is open for one calendar month from publication (or from the moment a prize passed to
its holder). The details are never published and never leave the staff pages.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from ag_app.db import reads
from ag_app.domain.clock import MOSCOW, as_utc
from ag_app.domain.errors import Conflict, InvalidInput, NotFound
from ag_app.domain.phone import normalize_phone
from ag_app.domain.profile import clean_name
from ag_app.domain.text import clean_text
from ag_app.models import Contest, ContestParticipant, ContestPrize, PrizeClaim
from ag_app.services.access import Capability, active_user, require

BANK_LIMIT = 100


@dataclass(frozen=True)
class PrizeView:
    """A prize as its holder (or staff) sees it."""

    id: int
    contest: str
    place: int
    amount: int
    status: str
    claim_until: datetime
    # Staff only: the payout details («Фамилия Имя, +7…, банк»), "" for the holder's own view.
    claim: str = ""


def _own_participant(session: Session, user_id: int) -> int | None:
    return session.exec(select(ContestParticipant.id).where(ContestParticipant.user_id == user_id)).first()


@reads
def my_prizes(session: Session, *, actor_id: int | None) -> list[PrizeView]:
    """The prizes the acting resident holds now."""
    user = active_user(session, actor_id)
    participant = _own_participant(session, user.id)
    if participant is None:
        return []
    rows = session.exec(
        select(ContestPrize, Contest)
        .join(Contest, Contest.id == ContestPrize.contest_id)
        .where(ContestPrize.participant_id == participant)
        .order_by(Contest.period.desc(), ContestPrize.place)
    ).all()
    return [
        PrizeView(
            prize.id, contest.title, prize.place, prize.amount_rub, prize.status, as_utc(prize.claim_until)
        )
        for prize, contest in rows
    ]


def claim_prize(
    session: Session,
    *,
    actor_id: int | None,
    prize_id: int,
    last_name: str,
    first_name: str,
    phone: str,
    bank: str,
    now: datetime,
) -> None:
    """Record the holder's payout details within the claim month (SPEC §11.5)."""
    user = active_user(session, actor_id)
    prize = session.exec(select(ContestPrize).where(ContestPrize.id == prize_id).with_for_update()).first()
    participant = _own_participant(session, user.id)
    if prize is None or participant is None or prize.participant_id != participant:
        raise NotFound("contest.prize_not_found")
    if prize.status == "claimed":
        raise Conflict("contest.prize_claimed")
    if as_utc(now) > as_utc(prize.claim_until):
        raise Conflict(
            "contest.claim_closed", until=f"{as_utc(prize.claim_until).astimezone(MOSCOW):%d.%m.%Y}"
        )
    bank_name = " ".join(clean_text(bank or "").split())
    if not 2 <= len(bank_name) <= BANK_LIMIT:
        raise InvalidInput("contest.bank_invalid", limit=BANK_LIMIT)
    session.add(
        PrizeClaim(
            prize_id=prize.id,
            participant_id=participant,
            last_name=clean_name(last_name, field="Фамилия"),
            first_name=clean_name(first_name, field="Имя"),
            phone=normalize_phone(phone),
            bank=bank_name,
            created_at=now,
        )
    )
    prize.status = "claimed"
    session.add(prize)


def prizes_with_claims(session: Session, contest_id: int) -> list[tuple[ContestPrize, str]]:
    """A contest's prizes by place, each with its holder's payout details («Фамилия Имя, телефон,
    банк»; empty while the holder has not claimed it)."""
    rows = session.exec(
        select(ContestPrize, PrizeClaim)
        .join(
            PrizeClaim,
            (PrizeClaim.prize_id == ContestPrize.id)
            & (PrizeClaim.participant_id == ContestPrize.participant_id),
            isouter=True,
        )
        .where(ContestPrize.contest_id == contest_id)
        .order_by(ContestPrize.place)
    ).all()
    return [
        (prize, f"{claim.last_name} {claim.first_name}, {claim.phone}, {claim.bank}" if claim else "")
        for prize, claim in rows
    ]


@reads
def prizes_for_staff(session: Session, *, actor_id: int | None, contest_id: int) -> list[PrizeView]:
    """A contest's prizes with their holders' payout details (staff who pay them only)."""
    require(session, actor_id, Capability.CONTEST_MANAGE)
    contest = session.get(Contest, contest_id)
    if contest is None:
        raise NotFound("contest.not_found")
    return [
        PrizeView(
            prize.id,
            contest.title,
            prize.place,
            prize.amount_rub,
            prize.status,
            as_utc(prize.claim_until),
            claim=claim,
        )
        for prize, claim in prizes_with_claims(session, contest_id)
    ]
