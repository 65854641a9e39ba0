"""Staff of the renovation vote: open a vote, the desk's in-person votes and a general meeting's decision."""

import random
import secrets
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from ag_app.domain import renovation as rules
from ag_app.domain.clock import as_utc
from ag_app.domain.errors import Conflict, InvalidInput, NotAllowed, NotFound
from ag_app.domain.roles import Capability
from ag_app.domain.text import clean_text
from ag_app.models import (
    House,
    Premise,
    PremiseHolder,
    RenovationBallot,
    RenovationCampaign,
    RenovationCampaignHouse,
    RenovationMeetingDecision,
    Street,
)
from ag_app.services.access import active_user, capabilities_of, require
from ag_app.services.registry import house_text
from ag_app.services.renovation._common import (
    _campaign_house,
    _campaign_view,
    _choice,
    _holder_name,
    _lock_premise,
    _open_campaign_for,
)
from ag_app.services.renovation.results import house_result
from ag_app.services.renovation.verification import _outcome, _verify
from ag_app.services.renovation.views import (
    HOUSES_LIMIT,
    QUESTION_LIMIT,
    TITLE_LIMIT,
    VOTER_ROLES,
    CampaignView,
    CastOutcome,
    HolderOption,
    HouseOption,
    HouseResult,
)

# What the renovation desk offers; each part is shown to holders of its capability.
DESK_CAPABILITIES = frozenset({Capability.RENOVATION_MANAGE, Capability.RENOVATION_MODERATE})


def desk_capabilities(session: Session, *, actor_id: int | None) -> frozenset[Capability]:
    """What the actor may do on the staff page: :attr:`Capability.RENOVATION_MANAGE` (open votes,
    in-person votes, meeting decisions) and/or :attr:`Capability.RENOVATION_MODERATE` (verify votes).

    Raises:
        NotAllowed: the actor holds neither.
    """
    user = active_user(session, actor_id)
    held = capabilities_of(session, user.id) & DESK_CAPABILITIES
    if not held:
        raise NotAllowed("auth.forbidden")
    return frozenset(held)


def open_campaign(
    session: Session,
    *,
    actor_id: int | None,
    title: str,
    question: str,
    starts_at: datetime,
    ends_at: datetime,
    house_ids: Iterable[int],
    now: datetime,
) -> CampaignView:
    """Open a house vote for a set of houses (staff and administrators).

    Rules: a title (up to 300 characters) and a question (up to 1 000); the period ends after it
    starts and in the future; at least one house, each in the registry with at least one apartment
    (see :func:`ag_app.domain.renovation.check_campaign`).

    Raises:
        NotAllowed: the actor is not staff.
        FormProblems: every broken rule at once, naming the form fields; nothing is saved.
    """
    user = require(session, actor_id, Capability.RENOVATION_MANAGE)
    data = rules.CampaignInput(title, question, starts_at, ends_at, sorted(set(house_ids)))
    limits = {"title_limit": TITLE_LIMIT, "question_limit": QUESTION_LIMIT, "houses_limit": HOUSES_LIMIT}
    with_apartments = set(
        session.exec(
            select(Premise.house_id)
            .where(col(Premise.house_id).in_(data.house_ids[:HOUSES_LIMIT]), Premise.kind == "apartment")
            .distinct()
        )
    )
    missing = [h for h in data.house_ids[:HOUSES_LIMIT] if h not in with_apartments]
    clean = rules.check_campaign(data, now=now, without_apartments=missing, **limits)
    title, question, houses = clean.title, clean.question, list(clean.house_ids)
    campaign = RenovationCampaign(
        title=title,
        question=question,
        starts_at=as_utc(starts_at),
        ends_at=as_utc(ends_at),
        created_by=user.id,
        created_at=now,
    )
    session.add(campaign)
    session.flush()
    session.add_all(RenovationCampaignHouse(campaign_id=campaign.id, house_id=h) for h in houses)
    session.flush()
    return _campaign_view(session, campaign, now)


def list_campaigns(session: Session, *, actor_id: int | None, now: datetime) -> list[CampaignView]:
    """Every house vote, newest first (staff)."""
    require(session, actor_id, Capability.RENOVATION_MANAGE)
    campaigns = session.exec(
        select(RenovationCampaign).order_by(col(RenovationCampaign.starts_at).desc())
    ).all()
    return [_campaign_view(session, c, now) for c in campaigns]


def houses_with_apartments(session: Session, *, actor_id: int | None) -> list[HouseOption]:
    """The registry houses that have apartments, by address (staff, for opening a vote)."""
    require(session, actor_id, Capability.RENOVATION_MANAGE)
    rows = session.exec(
        select(House.id, Street.name, House.number, func.count(col(Premise.id)))
        .join(Street, col(Street.id) == House.street_id)
        .join(Premise, col(Premise.house_id) == House.id)
        .where(Premise.kind == "apartment")
        .group_by(House.id, Street.name, House.number)
    ).all()
    options = [
        HouseOption(id=h, address=house_text(street, number), apartments=n) for h, street, number, n in rows
    ]
    return sorted(options, key=lambda o: o.address)


def campaign_houses(session: Session, *, actor_id: int | None, campaign_id: int) -> list[HouseOption]:
    """The houses of a vote, by address (staff)."""
    require(session, actor_id, Capability.RENOVATION_MANAGE)
    ids = set(
        session.exec(
            select(RenovationCampaignHouse.house_id).where(RenovationCampaignHouse.campaign_id == campaign_id)
        )
    )
    return [h for h in houses_with_apartments(session, actor_id=actor_id) if h.id in ids]


def apartment_holders(
    session: Session, *, actor_id: int | None, campaign_id: int, house_id: int, apartment: str
) -> list[HolderOption]:
    """The registry owners and social tenants of an apartment of a vote's house (staff at a centre)."""
    require(session, actor_id, Capability.RENOVATION_MANAGE)
    if not _campaign_house(session, campaign_id, house_id):
        raise NotFound("renovation.house_not_in_vote")
    rows = session.exec(
        select(PremiseHolder, Premise.number)
        .join(Premise, col(Premise.id) == PremiseHolder.premise_id)
        .where(
            Premise.house_id == house_id,
            func.lower(Premise.number) == clean_text(apartment).lower(),
            Premise.kind == "apartment",
            col(PremiseHolder.role).in_(VOTER_ROLES),
        )
        .order_by(PremiseHolder.id)
    ).all()
    return [
        HolderOption(holder_id=h.id, apartment=number, role=h.role, name=_holder_name(h))
        for h, number in rows
    ]


def enter_in_person_vote(
    session: Session,
    *,
    actor_id: int | None,
    campaign_id: int,
    holder_id: int,
    choice: str,
    now: datetime,
    rng: random.Random | None = None,
) -> CastOutcome:
    """Enter a vote given in person at a service centre by a registry owner or social tenant (staff).

    The voter's documents are checked on the spot, so the vote is verified at once: it replaces
    the person's online votes for the apartment, before or after it, and their earlier in-person
    vote (SPEC §8.2.2). The check code is returned for the paper receipt and sent to the accounts
    linked to the registry row.

    Raises:
        NotAllowed: the actor is not staff, or the vote is not open for the house.
        NotFound: no such vote or registry row (or not an owner/social tenant of an apartment).
        InvalidInput: a choice other than «for» / «against».
    """
    staff = require(session, actor_id, Capability.RENOVATION_MANAGE)
    choice = _choice(choice)
    holder = session.get(PremiseHolder, holder_id)
    if holder is None or holder.role not in VOTER_ROLES:
        raise NotFound("renovation.holder_not_found")
    premise = _lock_premise(session, holder.premise_id)
    if premise is None or premise.kind != "apartment":
        raise NotFound("renovation.holder_not_found")
    _open_campaign_for(session, campaign_id, premise.house_id, now)
    ballot = RenovationBallot(
        campaign_id=campaign_id,
        house_id=premise.house_id,
        premise_id=premise.id,
        user_id=None,
        entered_by=staff.id,
        person_ref=holder.person_ref,
        holder_id=holder.id,
        choice=choice,
        channel="in_person",
        cast_at=now,
        verification_due=rules.verification_deadline(now),
    )
    session.add(ballot)
    session.flush()
    code = _verify(session, ballot, by=staff.id, now=now, rng=rng or secrets.SystemRandom())
    return _outcome(session, ballot, code)


def enter_meeting_decision(
    session: Session,
    *,
    actor_id: int | None,
    campaign_id: int,
    house_id: int,
    protocol: str,
    for_votes: str,
    total_votes: str,
    now: datetime,
) -> HouseResult:
    """Record a general meeting's decision on the vote's question for a house (staff); it overrides
    the vote (SPEC §8.2.5). Entering it again replaces the previous entry.

    ``for_votes`` and ``total_votes`` are the protocol's votes (m²) as typed, «1 234,5» allowed.

    Raises:
        NotAllowed: the actor is not staff.
        NotFound: no such vote, or the house is not in it.
        InvalidInput: no protocol reference, or votes that are not numbers from 0 to the total.
    """
    staff = require(session, actor_id, Capability.RENOVATION_MANAGE)
    if session.get(RenovationCampaign, campaign_id) is None:
        raise NotFound("renovation.campaign_not_found")
    if not _campaign_house(session, campaign_id, house_id):
        raise NotFound("renovation.house_not_in_vote")
    decision = rules.validate_meeting_decision(
        rules.MeetingDecision(
            for_votes=_decimal(for_votes), total_votes=_decimal(total_votes), protocol=protocol
        )
    )
    row = session.exec(
        select(RenovationMeetingDecision)
        .where(
            RenovationMeetingDecision.campaign_id == campaign_id,
            RenovationMeetingDecision.house_id == house_id,
        )
        .with_for_update()
    ).first()
    if row is None:
        row = RenovationMeetingDecision(campaign_id=campaign_id, house_id=house_id, entered_by=staff.id)
    row.protocol = decision.protocol
    row.for_votes = decision.for_votes
    row.total_votes = decision.total_votes
    row.entered_by = staff.id
    row.entered_at = now
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError as exc:
        raise Conflict("renovation.meeting_entered_meanwhile") from exc
    return house_result(session, campaign_id=campaign_id, house_id=house_id, now=now)


def _decimal(text: str) -> Decimal:
    compact = "".join(str(text).split()).replace(",", ".")
    try:
        value = Decimal(compact)
    except InvalidOperation as exc:
        raise InvalidInput("renovation.meeting_votes_invalid") from exc
    if not value.is_finite() or value != value.quantize(Decimal("0.01")):
        raise InvalidInput("renovation.meeting_votes_invalid")
    return value
