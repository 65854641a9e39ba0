"""Residents vote online: the votes open to them and casting a vote for an apartment."""

import random
import secrets
from collections import defaultdict
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ag_app.domain import renovation as rules
from ag_app.domain.clock import as_utc
from ag_app.domain.errors import Conflict, NotAllowed, NotFound
from ag_app.models import Premise, RenovationBallot, RenovationCampaign, RenovationCampaignHouse
from ag_app.services.access import active_user
from ag_app.services.holdings import verified_holdings
from ag_app.services.renovation._common import (
    _address,
    _campaign_view,
    _choice,
    _lock_premise,
    _open_campaign_for,
    _status_text,
)
from ag_app.services.renovation.verification import _outcome, _verify, registry_matches
from ag_app.services.renovation.views import VOTER_ROLES, ApartmentBallot, CastOutcome, ResidentCampaign


def resident_campaigns(session: Session, *, actor_id: int | None, now: datetime) -> list[ResidentCampaign]:
    """The votes of the houses where the actor is a confirmed owner or social tenant of an apartment,
    open ones first, with their own vote per apartment."""
    user = active_user(session, actor_id)
    holdings = [
        h
        for h in verified_holdings(session, user.id)
        if h.role in VOTER_ROLES and h.premise_kind == "apartment"
    ]
    by_house: dict[int, list] = defaultdict(list)
    for holding in holdings:
        if all(h.premise_id != holding.premise_id for h in by_house[holding.house_id]):
            by_house[holding.house_id].append(holding)
    if not by_house:
        return []
    rows = session.exec(
        select(RenovationCampaign, RenovationCampaignHouse.house_id)
        .join(RenovationCampaignHouse, col(RenovationCampaignHouse.campaign_id) == RenovationCampaign.id)
        .where(col(RenovationCampaignHouse.house_id).in_(list(by_house)))
    ).all()
    own = {
        (b.campaign_id, b.premise_id): b
        for b in session.exec(select(RenovationBallot).where(RenovationBallot.user_id == user.id))
    }
    result = []
    for campaign, house_id in rows:
        view = _campaign_view(session, campaign, now)
        if view.state == "scheduled":
            continue
        address, _ = _address(session, house_id)
        apartments = []
        for holding in by_house[house_id]:
            ballot = own.get((campaign.id, holding.premise_id))
            apartments.append(
                ApartmentBallot(
                    premise_id=holding.premise_id,
                    apartment=holding.premise_number,
                    role=holding.role,
                    voted=ballot is not None,
                    choice=rules.CHOICES[ballot.choice] if ballot else "",
                    status=ballot.status if ballot else "",
                    status_text=_status_text(session, ballot) if ballot else "",
                    verification_due=as_utc(ballot.verification_due) if ballot else None,
                    check_code_tail=ballot.check_code_tail if ballot else "",
                )
            )
        result.append(
            ResidentCampaign(campaign=view, house_id=house_id, address=address, apartments=apartments)
        )
    return sorted(
        result, key=lambda r: (r.campaign.state != "open", -r.campaign.starts_at.timestamp(), r.address)
    )


def cast_vote(
    session: Session,
    *,
    actor_id: int | None,
    campaign_id: int,
    premise_id: int,
    choice: str,
    now: datetime,
    rng: random.Random | None = None,
) -> CastOutcome:
    """Vote «За» or «Против» for an apartment the actor holds, once per account and apartment.

    The voter needs level 3 and a confirmed registry row of the apartment as its owner or social
    tenant; the vote must be open for the house. The vote is verified at once when the registry
    row still names the voter (:func:`registry_matches`) — then it counts and the check code goes
    out by SMS and e-mail — otherwise it waits for a moderator until its deadline (4 working days).

    Raises:
        NotAllowed: not level 3, not a holder of the apartment, or the vote is not open.
        NotFound: no such vote or apartment.
        InvalidInput: a choice other than «for» / «against».
        Conflict: the account already voted for this apartment in this vote.
    """
    user = active_user(session, actor_id)
    choice = _choice(choice)
    premise = session.get(Premise, premise_id)
    if premise is None or premise.kind != "apartment":
        raise NotFound("renovation.apartment_not_found")
    _open_campaign_for(session, campaign_id, premise.house_id, now)
    if user.identity_verified_at is None:
        raise NotAllowed("renovation.level_required")
    holding = next(
        (
            h
            for h in verified_holdings(session, user.id, premise.house_id)
            if h.premise_id == premise.id and h.role in VOTER_ROLES
        ),
        None,
    )
    if holding is None:
        raise NotAllowed("renovation.not_holder")
    _lock_premise(session, premise.id)
    existing = session.exec(
        select(RenovationBallot.id).where(
            RenovationBallot.campaign_id == campaign_id,
            RenovationBallot.premise_id == premise.id,
            RenovationBallot.user_id == user.id,
        )
    ).first()
    if existing is not None:
        raise Conflict("renovation.already_voted")
    ballot = RenovationBallot(
        campaign_id=campaign_id,
        house_id=premise.house_id,
        premise_id=premise.id,
        user_id=user.id,
        person_ref=holding.person_ref,
        holder_id=holding.holder_id,
        choice=choice,
        channel="online",
        cast_at=now,
        verification_due=rules.verification_deadline(now),
    )
    try:
        with session.begin_nested():
            session.add(ballot)
            session.flush()
    except IntegrityError as exc:
        raise Conflict("renovation.already_voted") from exc
    code = ""
    if registry_matches(session, ballot):
        code = _verify(session, ballot, by=None, now=now, rng=rng or secrets.SystemRandom())
    return _outcome(session, ballot, code)
