"""Helpers shared by the renovation use cases: a campaign's state and view, a house's address, locks,
how a holder and a vote's status read."""

from datetime import datetime

from sqlmodel import Session, col, func, select

from ag_app.domain import renovation as rules
from ag_app.domain.clock import as_utc
from ag_app.domain.errors import InvalidInput, NotAllowed, NotFound
from ag_app.models import (
    District,
    House,
    Premise,
    PremiseHolder,
    RenovationBallot,
    RenovationCampaign,
    RenovationCampaignHouse,
    Street,
)
from ag_app.services.registry import house_text
from ag_app.services.renovation.views import CAMPAIGN_STATES, CampaignView


def campaign_state(campaign: RenovationCampaign, now: datetime) -> str:
    """«scheduled» before the start, «open» during the period, «closed» from its end."""
    moment = as_utc(now)
    if moment < as_utc(campaign.starts_at):
        return "scheduled"
    return "open" if moment < as_utc(campaign.ends_at) else "closed"


def _campaign_view(session: Session, campaign: RenovationCampaign, now: datetime) -> CampaignView:
    houses = session.exec(
        select(func.count())
        .select_from(RenovationCampaignHouse)
        .where(RenovationCampaignHouse.campaign_id == campaign.id)
    ).one()
    state = campaign_state(campaign, now)
    return CampaignView(
        id=campaign.id,
        title=campaign.title,
        question=campaign.question,
        starts_at=as_utc(campaign.starts_at),
        ends_at=as_utc(campaign.ends_at),
        state=state,
        state_name=CAMPAIGN_STATES[state],
        houses=houses,
    )


def _address(session: Session, house_id: int) -> tuple[str, str]:
    row = session.exec(
        select(Street.name, House.number, District.name)
        .join(House, col(House.street_id) == Street.id)
        .join(District, col(District.id) == House.district_id)
        .where(House.id == house_id)
    ).one()
    return house_text(row[0], row[1]), row[2]


def _lock_premise(session: Session, premise_id: int) -> Premise | None:
    """Load the apartment for update: every change to its votes is serialised (PostgreSQL row lock;
    SQLite transactions already hold the write lock)."""
    return session.exec(select(Premise).where(Premise.id == premise_id).with_for_update()).first()


def _campaign_house(session: Session, campaign_id: int, house_id: int) -> bool:
    return (
        session.exec(
            select(RenovationCampaignHouse.id).where(
                RenovationCampaignHouse.campaign_id == campaign_id,
                RenovationCampaignHouse.house_id == house_id,
            )
        ).first()
        is not None
    )


def _open_campaign_for(
    session: Session, campaign_id: int, house_id: int, now: datetime
) -> RenovationCampaign:
    campaign = session.get(RenovationCampaign, campaign_id)
    if campaign is None:
        raise NotFound("renovation.campaign_not_found")
    if not _campaign_house(session, campaign_id, house_id):
        raise NotAllowed("renovation.house_not_in_vote")
    if campaign_state(campaign, now) != "open":
        raise NotAllowed("renovation.not_open")
    return campaign


def _choice(choice: str) -> str:
    if choice not in rules.CHOICES:
        raise InvalidInput("renovation.choice_invalid")
    return choice


def _holder_name(holder: PremiseHolder) -> str:
    if holder.person_kind == "legal":
        return holder.organisation
    return " ".join(p for p in (holder.last_name, holder.first_name, holder.patronymic) if p and p != "-")


def _status_text(session: Session, ballot: RenovationBallot) -> str:
    """How a vote stands, in words: pending, counted, rejected with the reason, or not counted and why."""
    if ballot.status == "pending":
        return rules.VOTE_STATUSES["pending"]
    if ballot.status == "rejected":
        return (
            f"не учтён: {ballot.reject_reason}" if ballot.reject_reason else rules.VOTE_STATUSES["rejected"]
        )
    if ballot.counted:
        return rules.VOTE_STATUSES["counted"]
    winner = session.exec(
        select(RenovationBallot).where(
            RenovationBallot.campaign_id == ballot.campaign_id,
            RenovationBallot.premise_id == ballot.premise_id,
            RenovationBallot.person_ref == ballot.person_ref,
            col(RenovationBallot.counted).is_(True),
        )
    ).first()
    if winner is not None and winner.channel == "in_person":
        if ballot.channel == "in_person":
            return "не учтён: заменён более поздним голосом, поданным лично в центре госуслуг"
        return "не учтён: заменён голосом, поданным лично в центре госуслуг"
    return "не учтён: учтён первый голос этого же человека за эту квартиру (с другой учётной записи)"
