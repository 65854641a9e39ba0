"""Counting and the public side: a campaign's tally, a house's result, the address lookup and the
check of a vote by its code."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import case, text
from sqlmodel import Session, col, func, select

from ag_app.domain import renovation as rules
from ag_app.domain.clock import as_utc
from ag_app.domain.errors import InvalidInput, NotFound
from ag_app.domain.text import clean_text
from ag_app.models import (
    District,
    House,
    Premise,
    RenovationBallot,
    RenovationCampaign,
    RenovationCampaignHouse,
    RenovationMeetingDecision,
    Street,
)
from ag_app.services.registry import house_text
from ag_app.services.renovation._common import _address, _campaign_house, _status_text, campaign_state
from ag_app.services.renovation.verification import check_code_hash
from ag_app.services.renovation.views import (
    ADDRESS_MIN,
    CAMPAIGN_STATES,
    LOOKUP_LIMIT,
    CheckView,
    HouseHit,
    HouseResult,
)

# One apartment's counted choices stand for its opinion: a majority «за», «против», or split.
_FOR, _AGAINST, _SPLIT = ("for",), ("against",), ("for", "against")


def tally_campaign(
    session: Session, *, campaign_id: int, house_ids: Iterable[int] | None = None
) -> dict[int, rules.HouseTally]:
    """Tally the houses of a vote (all, or ``house_ids``) from the database.

    One aggregate query counts the counted votes «за» and «против» per house and apartment and,
    over those, the apartments of each house with a majority «за», a majority «против» or a tie
    (read from the partial covering index ``ix_renovationballot_tally``); one more counts the
    apartments per house. The rules of SPEC §8.2 are then applied by
    :func:`ag_app.domain.renovation.tally_house`, each apartment represented by its opinion.
    """
    ballot = RenovationBallot
    per_apartment = (
        select(
            col(ballot.house_id).label("house_id"),
            func.sum(case((col(ballot.choice) == "for", 1), else_=0)).label("pro"),
            func.sum(case((col(ballot.choice) == "against", 1), else_=0)).label("contra"),
        )
        # The bare column, as in the partial index's predicate, so the index is used.
        .where(ballot.campaign_id == campaign_id, text("counted"))
        .group_by(ballot.house_id, ballot.premise_id)
    )
    members = select(RenovationCampaignHouse.house_id).where(
        RenovationCampaignHouse.campaign_id == campaign_id
    )
    apartments = (
        select(Premise.house_id, func.count())
        .where(Premise.kind == "apartment", col(Premise.house_id).in_(members))
        .group_by(Premise.house_id)
    )
    if house_ids is not None:
        wanted = list(house_ids)
        per_apartment = per_apartment.where(col(ballot.house_id).in_(wanted))
        apartments = apartments.where(col(Premise.house_id).in_(wanted))
    voted = per_apartment.subquery()
    per_house = select(
        voted.c.house_id,
        func.sum(case((voted.c.pro > voted.c.contra, 1), else_=0)),
        func.sum(case((voted.c.contra > voted.c.pro, 1), else_=0)),
        func.sum(case((voted.c.pro == voted.c.contra, 1), else_=0)),
    ).group_by(voted.c.house_id)
    opinions = {
        house_id: dict(enumerate([_FOR] * int(pro) + [_AGAINST] * int(contra) + [_SPLIT] * int(split)))
        for house_id, pro, contra, split in session.exec(per_house).all()
    }
    return {
        house_id: rules.tally_house(opinions.get(house_id, {}), total)
        for house_id, total in session.exec(apartments).all()
    }


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _meeting(session: Session, campaign_id: int, house_id: int) -> RenovationMeetingDecision | None:
    return session.exec(
        select(RenovationMeetingDecision).where(
            RenovationMeetingDecision.campaign_id == campaign_id,
            RenovationMeetingDecision.house_id == house_id,
        )
    ).first()


# What the result page says while the vote decides nothing yet.
NO_DECISION_TEXT = {
    "scheduled": "Голосование ещё не началось: решения по дому нет.",
    "open": (
        "Итоги предварительные: голосование ещё идёт, решение по дому будет принято после его окончания."
    ),
}


def _decision_text(decision: rules.HouseDecision | None, state: str) -> str:
    if decision is None:
        return NO_DECISION_TEXT[state]
    verdict = "Дом включён в программу" if decision.included else "Дом не включён в программу"
    return f"{verdict} {rules.DECISION_SOURCES[decision.source]}"


def house_result(session: Session, *, campaign_id: int, house_id: int, now: datetime) -> HouseResult:
    """The result of a house in a vote (SPEC §8.3), for anyone; no personal data.

    Until the vote ends the figures are preliminary and the vote decides nothing (``included`` and
    ``decision_source`` are None) unless staff entered a general meeting's decision, which holds
    whatever the vote gives (:func:`ag_app.domain.renovation.final_decision`).

    Raises:
        NotFound: no such vote, or the house is not in it.
    """
    campaign = session.get(RenovationCampaign, campaign_id)
    if campaign is None or not _campaign_house(session, campaign_id, house_id):
        raise NotFound("renovation.result_not_found")
    tally = tally_campaign(session, campaign_id=campaign_id, house_ids=[house_id]).get(
        house_id
    ) or rules.tally_house({}, 0)
    meeting = _meeting(session, campaign_id, house_id)
    state = campaign_state(campaign, now)
    preliminary = state != "closed"
    decision = rules.final_decision(
        tally,
        rules.MeetingDecision(
            for_votes=meeting.for_votes, total_votes=meeting.total_votes, protocol=meeting.protocol
        )
        if meeting
        else None,
        vote_ended=not preliminary,
    )
    address, district = _address(session, house_id)
    return HouseResult(
        campaign_id=campaign.id,
        campaign_title=campaign.title,
        question=campaign.question,
        campaign_state=state,
        house_id=house_id,
        address=address,
        district=district,
        total_apartments=tally.total_apartments,
        voted=tally.voted,
        turnout_percent=_percent(tally.voted, tally.total_apartments),
        for_apartments=tally.for_apartments,
        against_apartments=tally.against_apartments,
        split=tally.split,
        silent=tally.silent,
        silent_for=tally.silent_for,
        silent_against=tally.silent_against,
        counted=tally.counted,
        total_for=tally.total_for,
        total_against=tally.total_against,
        for_percent=_percent(tally.total_for, tally.counted),
        ends_at=as_utc(campaign.ends_at),
        preliminary=preliminary,
        included_by_vote=None if preliminary else tally.included,
        meeting_protocol=meeting.protocol if meeting else "",
        meeting_for_votes=meeting.for_votes if meeting else None,
        meeting_total_votes=meeting.total_votes if meeting else None,
        included=decision.included if decision else None,
        decision_source=decision.source if decision else None,
        decision_text=_decision_text(decision, state),
    )


def latest_house_result(session: Session, *, house_id: int, now: datetime) -> HouseResult:
    """The result of a house in its current or last vote (the latest one that has started).

    Raises:
        NotFound: the house has never been in a vote that started.
    """
    campaign_id = session.exec(
        select(RenovationCampaign.id)
        .join(RenovationCampaignHouse, col(RenovationCampaignHouse.campaign_id) == RenovationCampaign.id)
        .where(RenovationCampaignHouse.house_id == house_id, col(RenovationCampaign.starts_at) <= now)
        .order_by(col(RenovationCampaign.starts_at).desc(), col(RenovationCampaign.id).desc())
    ).first()
    if campaign_id is None:
        raise NotFound("renovation.result_not_found")
    return house_result(session, campaign_id=campaign_id, house_id=house_id, now=now)


def find_houses(session: Session, *, address: str, now: datetime) -> list[HouseHit]:
    """Houses in a vote whose address contains every word typed («тверская 7»), for anyone.

    Letter case and «ё»/«е» do not matter; at most 20 hits, the newest vote first.

    Raises:
        InvalidInput: fewer than 3 characters typed.
    """
    words = [_fold(w) for w in clean_text(address).replace(",", " ").split() if w not in {"д.", "д", "дом"}]
    if len("".join(words)) < ADDRESS_MIN:
        raise InvalidInput("renovation.address_too_short", limit=ADDRESS_MIN)
    rows = session.exec(
        select(RenovationCampaign, House.id, Street.name, House.number, District.name)
        .join(RenovationCampaignHouse, col(RenovationCampaignHouse.campaign_id) == RenovationCampaign.id)
        .join(House, col(House.id) == RenovationCampaignHouse.house_id)
        .join(Street, col(Street.id) == House.street_id)
        .join(District, col(District.id) == House.district_id)
        .where(col(RenovationCampaign.starts_at) <= now)
        .order_by(col(RenovationCampaign.starts_at).desc(), RenovationCampaign.id, Street.name, House.number)
    ).all()
    hits = []
    for campaign, house_id, street, number, district in rows:
        text = _fold(f"{street} {number} {district}")
        if all(w in text for w in words):
            hits.append(
                HouseHit(
                    campaign_id=campaign.id,
                    campaign_title=campaign.title,
                    campaign_state=CAMPAIGN_STATES[campaign_state(campaign, now)],
                    house_id=house_id,
                    address=house_text(street, number),
                    district=district,
                )
            )
            if len(hits) >= LOOKUP_LIMIT:
                break
    return hits


def _fold(text: str) -> str:
    return text.casefold().replace("ё", "е")


def check_vote(session: Session, *, code: str, now: datetime) -> CheckView:
    """How the vote with this check code was counted, for anyone who has the code.

    Shows the house, apartment, choice, channel and whether it counts (and why not) — never who
    voted.

    Raises:
        InvalidInput: not 12 digits.
        NotFound: no vote has this code.
    """
    digits = rules.normalize_check_code(code)
    ballot = session.exec(
        select(RenovationBallot).where(RenovationBallot.check_code_hash == check_code_hash(digits))
    ).first()
    if ballot is None:
        raise NotFound("renovation.code_not_found")
    campaign = session.get(RenovationCampaign, ballot.campaign_id)
    premise = session.get(Premise, ballot.premise_id)
    result = house_result(session, campaign_id=ballot.campaign_id, house_id=ballot.house_id, now=now)
    explanation = _status_text(session, ballot)
    if ballot.counted and result.decision_source == "meeting":
        explanation = "учтён в голосовании, но по дому действует решение общего собрания собственников"
    return CheckView(
        campaign_title=campaign.title,
        question=campaign.question,
        address=result.address,
        apartment=premise.number,
        choice=rules.CHOICES[ballot.choice],
        channel=rules.CHANNELS[ballot.channel],
        cast_at=as_utc(ballot.cast_at),
        status=ballot.status,
        counted=ballot.counted,
        explanation=explanation,
        decision_text=result.decision_text,
    )
