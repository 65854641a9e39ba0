"""Demo house votes (SPEC §8) over the demo house registry, written through the use cases.

A finished vote over three demo houses with votes given at service centres — one house included,
one not, and one whose vote is overridden by a general meeting's decision — and an open vote that
includes the house of the demo resident +79161234567, so they can vote for their apartment.
Deterministic (one ``random.Random``), idempotent (nothing happens when the finished demo vote
exists) and skipped when the registry has no premises yet (it needs the house registry seed).
"""

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from ag_app.models import Premise, PremiseHolder, RenovationCampaign, User, UserAddress
from ag_app.services import renovation
from ag_app.services.holdings import verified_holdings

log = logging.getLogger(__name__)

SEED = 2017
STAFF_PHONE = "+79990000001"
RESIDENT_PHONE = "+79161234567"
FINISHED_TITLE = "Программа реновации: голосование 2026 года (демо)"
OPEN_TITLE = "Программа реновации: вторая волна (демо)"
QUESTION = "Включить дом в программу реновации жилищного фонда?"
# Houses with fewer apartments with an owner or social tenant are not used.
MIN_APARTMENTS = 6
DAY = timedelta(days=1)


@dataclass(frozen=True)
class _Plan:
    """How one demo house votes: the share of apartments that take part and the chance of «за»."""

    turnout: float
    for_chance: float
    # «за» and all votes (m²) of a general meeting's decision, or None.
    meeting: tuple[str, str] | None = None


# Included; not included; included by the vote but excluded by the general meeting.
FINISHED_PLANS = (
    _Plan(turnout=0.7, for_chance=0.92),
    _Plan(turnout=0.6, for_chance=0.35),
    _Plan(turnout=0.65, for_chance=0.9, meeting=("1250,40", "4120,75")),
)


def _user_id(session: Session, phone: str) -> int | None:
    return session.exec(select(User.id).where(User.phone == phone)).first()


def _voters_by_house(session: Session) -> dict[int, list[tuple[str, int]]]:
    """For every house: (apartment, registry row) of the first owner or social tenant of each apartment."""
    rows = session.exec(
        select(Premise.house_id, Premise.number, func.min(PremiseHolder.id))
        .join(PremiseHolder, col(PremiseHolder.premise_id) == Premise.id)
        .where(Premise.kind == "apartment", col(PremiseHolder.role).in_(renovation.VOTER_ROLES))
        .group_by(Premise.house_id, Premise.number)
        .order_by(Premise.house_id, Premise.number)
    ).all()
    houses: dict[int, list[tuple[str, int]]] = {}
    for house_id, number, holder_id in rows:
        houses.setdefault(house_id, []).append((number, holder_id))
    return {h: v for h, v in houses.items() if len(v) >= MIN_APARTMENTS}


def _resident_houses(session: Session, user_id: int | None) -> list[int]:
    """The demo resident's houses: confirmed holdings first, else a profile address with apartments."""
    if user_id is None:
        return []
    held = sorted(
        {h.house_id for h in verified_holdings(session, user_id) if h.role in renovation.VOTER_ROLES}
    )
    if held:
        return held
    addressed = session.exec(
        select(UserAddress.house_id).where(
            UserAddress.user_id == user_id, col(UserAddress.house_id).is_not(None)
        )
    ).all()
    with_apartments = set(
        session.exec(
            select(Premise.house_id).where(col(Premise.house_id).in_(addressed), Premise.kind == "apartment")
        )
    )
    return sorted(h for h in addressed if h in with_apartments)[:1]


def _vote_in_person(
    session: Session,
    *,
    staff_id: int,
    campaign_id: int,
    voters: list[tuple[str, int]],
    plan: _Plan,
    start: datetime,
    days: int,
    rng: random.Random,
) -> int:
    """Enter the in-person votes of a share of the apartments, spread over ``days`` from ``start``."""
    cast = 0
    for _, holder_id in voters:
        if rng.random() >= plan.turnout:
            continue
        choice = "for" if rng.random() < plan.for_chance else "against"
        at = start + timedelta(minutes=rng.randrange(days * 24 * 60))
        renovation.enter_in_person_vote(
            session,
            actor_id=staff_id,
            campaign_id=campaign_id,
            holder_id=holder_id,
            choice=choice,
            now=at,
            rng=rng,
        )
        cast += 1
    return cast


def seed_renovation(session: Session, *, now: datetime, seed: int = SEED) -> bool:
    """Write the demo house votes unless they exist or there are no premises; True when written."""
    if session.exec(select(RenovationCampaign.id).where(RenovationCampaign.title == FINISHED_TITLE)).first():
        log.info("Демо-голосования по домам уже созданы: ничего не меняю.")
        return False
    staff_id = _user_id(session, STAFF_PHONE)
    voters = _voters_by_house(session)
    if staff_id is None or not voters:
        log.info("В реестре домов нет квартир с собственниками: демо-голосования по домам пропущены.")
        return False
    rng = random.Random(seed)
    resident_houses = _resident_houses(session, _user_id(session, RESIDENT_PHONE))
    finished_houses = [h for h in voters if h not in resident_houses][: len(FINISHED_PLANS)]
    start = now - 60 * DAY
    if finished_houses:
        finished = renovation.open_campaign(
            session,
            actor_id=staff_id,
            title=FINISHED_TITLE,
            question=QUESTION,
            starts_at=start,
            ends_at=start + 30 * DAY,
            house_ids=finished_houses,
            now=start,
        )
        for house_id, plan in zip(finished_houses, FINISHED_PLANS, strict=False):
            _vote_in_person(
                session,
                staff_id=staff_id,
                campaign_id=finished.id,
                voters=voters[house_id],
                plan=plan,
                start=start,
                days=20,
                rng=rng,
            )
            if plan.meeting is not None:
                renovation.enter_meeting_decision(
                    session,
                    actor_id=staff_id,
                    campaign_id=finished.id,
                    house_id=house_id,
                    protocol="№ 1 от 25.10.2026",
                    for_votes=plan.meeting[0],
                    total_votes=plan.meeting[1],
                    now=start + 35 * DAY,
                )
    others = [h for h in voters if h not in resident_houses and h not in finished_houses][:2]
    open_houses = [h for h in resident_houses if h in voters] + others
    if open_houses:
        opened = renovation.open_campaign(
            session,
            actor_id=staff_id,
            title=OPEN_TITLE,
            question=QUESTION,
            starts_at=now - 2 * DAY,
            ends_at=now + 21 * DAY,
            house_ids=open_houses,
            now=now - 2 * DAY,
        )
        for house_id in others:
            _vote_in_person(
                session,
                staff_id=staff_id,
                campaign_id=opened.id,
                voters=voters[house_id],
                plan=_Plan(turnout=0.3, for_chance=0.8),
                start=now - 2 * DAY,
                days=2,
                rng=rng,
            )
    log.info("Демо-голосования по домам созданы: %d + %d домов.", len(finished_houses), len(open_houses))
    return True
