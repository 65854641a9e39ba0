"""The renovation-type house vote with apartment aggregation (SPEC §8).

Staff open a vote for a set of houses. Verified owners and social tenants (level 3 and a confirmed
registry row of the apartment) vote «За» / «Против» per apartment; staff enter votes given in person
at a service centre. A vote is «на проверке» until verified — automatically when the registry row
still names the voter at that moment, otherwise by a moderator within 4 working days — and only
then counts and earns the voter a 12-digit check code by SMS and e-mail. Which verified votes count
follows SPEC §8.2.2 (:func:`ag_app.domain.renovation.counted_votes`); the result is kept in each
vote's ``counted`` flag, recomputed under a lock of the apartment whenever one of its votes
changes, so a house (or a whole campaign) is tallied by one aggregate query. A general meeting's
decision entered by staff overrides the vote (SPEC §8.2.5).
"""

import hashlib
import hmac
import random
import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import case, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from ag_app.domain import renovation as rules
from ag_app.domain.clock import as_utc
from ag_app.domain.errors import Conflict, InvalidInput, NotAllowed, NotFound
from ag_app.domain.house_registry import PersonData, same_person
from ag_app.domain.text import clean_text
from ag_app.models import (
    District,
    House,
    Premise,
    PremiseHolder,
    PremiseLink,
    RenovationBallot,
    RenovationCampaign,
    RenovationCampaignHouse,
    RenovationMeetingDecision,
    Street,
    User,
)
from ag_app.services.access import active_user, require_role, require_staff, roles_of
from ag_app.services.holdings import verified_holdings
from ag_app.services.notifications import notify
from ag_app.services.outbox import send_email, send_sms
from ag_app.services.registry import house_text
from ag_app.settings import get_settings

# Registry roles that may vote for an apartment (SPEC §8.1).
VOTER_ROLES = frozenset({"owner", "social_tenant"})
TITLE_LIMIT = 300
QUESTION_LIMIT = 1000
REASON_LIMIT = 500
# Houses a staff member may put into one vote.
HOUSES_LIMIT = 10000
# Houses an address lookup returns.
LOOKUP_LIMIT = 20
ADDRESS_MIN = 3
CHECK_PATH = "/renovation/check"
CAMPAIGN_STATES = {"scheduled": "ещё не началось", "open": "идёт", "closed": "завершено"}


# ----------------------------------------------------------------------------------------------
# DTOs


@dataclass(frozen=True)
class CampaignView:
    """A house vote as staff and residents see it."""

    id: int
    title: str
    question: str
    starts_at: datetime
    ends_at: datetime
    # «scheduled», «open» or «closed».
    state: str
    state_name: str
    houses: int


@dataclass(frozen=True)
class HouseOption:
    """A registry house that has apartments (for the staff form and the in-person entry)."""

    id: int
    address: str
    apartments: int


@dataclass(frozen=True)
class CastOutcome:
    """What casting or entering a vote did; ``check_code`` is shown once (empty while pending)."""

    ballot_id: int
    status: str
    status_name: str
    verification_due: datetime
    check_code: str


@dataclass(frozen=True)
class ApartmentBallot:
    """One apartment of a resident in a vote, with the resident's own vote for it if any."""

    premise_id: int
    apartment: str
    role: str
    voted: bool
    choice: str
    status: str
    # «на проверке», «учтён», «не учтён: …».
    status_text: str
    verification_due: datetime | None
    # Last four digits of the check code («…9012»), empty until verified.
    check_code_tail: str


@dataclass(frozen=True)
class ResidentCampaign:
    """A vote in one of the resident's houses, with their apartments there."""

    campaign: CampaignView
    house_id: int
    address: str
    apartments: list[ApartmentBallot]


@dataclass(frozen=True)
class HouseHit:
    """A house found by address, in a vote."""

    campaign_id: int
    campaign_title: str
    campaign_state: str
    house_id: int
    address: str
    district: str


@dataclass(frozen=True)
class HouseResult:
    """The result of a house in a vote (SPEC §8.3); no personal data."""

    campaign_id: int
    campaign_title: str
    question: str
    campaign_state: str
    house_id: int
    address: str
    district: str
    total_apartments: int
    voted: int
    # voted / total apartments, in per cent (one decimal).
    turnout_percent: float
    for_apartments: int
    against_apartments: int
    split: int
    silent: int
    silent_for: int
    silent_against: int
    counted: int
    total_for: int
    total_against: int
    # total «за» / counted apartments, in per cent (one decimal).
    for_percent: float
    # When the vote ends: until then the figures are preliminary.
    ends_at: datetime
    # True until the vote has ended: the figures may still change and the vote decides nothing yet.
    preliminary: bool
    # What the vote decided; None while it is preliminary.
    included_by_vote: bool | None
    # The meeting decision that overrides the vote, if staff entered one.
    meeting_protocol: str
    meeting_for_votes: Decimal | None
    meeting_total_votes: Decimal | None
    # The house's decision: the meeting's when entered (it holds whatever the vote gives), else the
    # vote's once it has ended; None while there is none yet.
    included: bool | None
    # «vote», «meeting», or None while there is no decision yet.
    decision_source: str | None
    decision_text: str


@dataclass(frozen=True)
class CheckView:
    """How a vote was counted, as anyone holding its check code sees it (no personal data)."""

    campaign_title: str
    question: str
    address: str
    apartment: str
    choice: str
    channel: str
    cast_at: datetime
    status: str
    counted: bool
    explanation: str
    decision_text: str


@dataclass(frozen=True)
class QueueItem:
    """A vote waiting for a moderator, with what the verification needs to compare (staff only)."""

    ballot_id: int
    campaign_title: str
    address: str
    apartment: str
    channel: str
    cast_at: datetime
    verification_due: datetime
    overdue: bool
    # The account's name and the registry row's name (or «нет в реестре»).
    voter_name: str
    registry_name: str
    registry_role: str


@dataclass(frozen=True)
class HolderOption:
    """A registry owner or social tenant of an apartment, for staff entering an in-person vote."""

    holder_id: int
    apartment: str
    role: str
    name: str


# ----------------------------------------------------------------------------------------------
# Helpers


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


def check_code_hash(code: str) -> str:
    """The stored form of a check code: HMAC-SHA256 under the secret key (the code is never stored).

    A plain hash of 10¹² possible codes could be reversed by trying them all; the key prevents it.
    """
    return hmac.new(get_settings().require_secret().encode(), code.encode(), hashlib.sha256).hexdigest()


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


def _recount(session: Session, *, campaign_id: int, premise_id: int, person_ref: str) -> None:
    """Set ``counted`` on the person's verified votes for the apartment by SPEC §8.2.2."""
    ballots = session.exec(
        select(RenovationBallot).where(
            RenovationBallot.campaign_id == campaign_id,
            RenovationBallot.premise_id == premise_id,
            RenovationBallot.person_ref == person_ref,
        )
    ).all()
    verified = [b for b in ballots if b.status == "verified"]
    winners = {
        vote.id
        for vote in rules.counted_votes(
            rules.RenovationVote(
                id=b.id,
                person=b.person_ref,
                apartment=str(b.premise_id),
                choice=b.choice,
                channel=b.channel,
                cast_at=b.cast_at,
            )
            for b in verified
        )
    }
    for ballot in ballots:
        counted = ballot.id in winners
        if ballot.counted != counted:
            ballot.counted = counted
            session.add(ballot)
    session.flush()


def _issue_code(session: Session, ballot: RenovationBallot, rng: random.Random) -> str:
    """Give a verified vote a new unique check code; returns the code (stored only as its hash)."""
    while True:
        code = rules.check_code(rng)
        ballot.check_code_hash = check_code_hash(code)
        ballot.check_code_tail = code[-4:]
        try:
            with session.begin_nested():
                session.add(ballot)
                session.flush()
        except IntegrityError:
            continue
        return code


def _send_code(session: Session, ballot: RenovationBallot, code: str, address: str, now: datetime) -> None:
    """SMS and e-mail the check code to the accounts behind the vote (the voter's, or for an
    in-person vote the accounts linked to the registry row)."""
    if ballot.user_id is not None:
        user_ids = [ballot.user_id]
    else:
        user_ids = list(
            session.exec(select(PremiseLink.user_id).where(PremiseLink.holder_id == ballot.holder_id))
        )
    premise = session.get(Premise, ballot.premise_id)
    link = f"{get_settings().public_url.rstrip('/')}{CHECK_PATH}"
    pretty = rules.format_check_code(code)
    for user_id in user_ids:
        user = session.get(User, user_id)
        if user is None or user.deactivated_at is not None:
            continue
        send_sms(
            session,
            phone=user.phone,
            text=f"Ваш голос по дому {address}, кв. {premise.number} учтён. Код проверки: {pretty}. {link}",
            now=now,
        )
        if user.email and user.email_confirmed_at is not None:
            send_email(
                session,
                to=user.email,
                user_id=user.id,
                subject="Код проверки вашего голоса по дому",
                body=(
                    f"Здравствуйте!\n\nВаш голос по дому {address}, кв. {premise.number} проверен и учтён.\n"
                    f"Код проверки: {pretty}\n\nПо этому коду на странице {link} можно увидеть, "
                    "как учтён ваш голос. Никому не сообщайте код, если не хотите показать свой выбор."
                ),
                now=now,
            )


def _names_match(user: User, holder: PremiseHolder) -> bool:
    """A person's registry row names the account's owner (:func:`~ag_app.domain.house_registry.same_person`)."""
    return holder.person_kind == "person" and same_person(
        PersonData(holder.last_name, holder.first_name, holder.patronymic, holder.birth_date),
        PersonData(user.last_name, user.first_name, user.patronymic, user.birth_date),
    )


def registry_matches(session: Session, ballot: RenovationBallot) -> bool:
    """Whether an online vote's registry row still names the voter (automatic verification).

    It does when the account's link to the row exists, the row is still in the registry as an
    owner or social tenant of the same apartment and the same person, and the row names the
    account's owner by the same rule as linking the apartment (full name and birth date, see
    :func:`ag_app.domain.house_registry.same_person`; a company owner is always checked by a
    moderator).
    """
    if ballot.user_id is None:
        return False
    holder = session.get(PremiseHolder, ballot.holder_id)
    user = session.get(User, ballot.user_id)
    linked = session.exec(
        select(PremiseLink.id).where(
            PremiseLink.holder_id == ballot.holder_id, PremiseLink.user_id == ballot.user_id
        )
    ).first()
    return (
        holder is not None
        and user is not None
        and linked is not None
        and holder.premise_id == ballot.premise_id
        and holder.role in VOTER_ROLES
        and holder.person_ref == ballot.person_ref
        and user.identity_verified_at is not None
        and _names_match(user, holder)
    )


def _verify(
    session: Session, ballot: RenovationBallot, *, by: int | None, now: datetime, rng: random.Random
) -> str:
    """Mark the vote verified, recount its apartment, issue and send the check code."""
    ballot.status = "verified"
    ballot.verified_at = now
    ballot.verified_by = by
    session.add(ballot)
    session.flush()
    _recount(
        session, campaign_id=ballot.campaign_id, premise_id=ballot.premise_id, person_ref=ballot.person_ref
    )
    code = _issue_code(session, ballot, rng)
    address, _ = _address(session, ballot.house_id)
    _send_code(session, ballot, code, address, now)
    return code


def _outcome(session: Session, ballot: RenovationBallot, code: str) -> CastOutcome:
    return CastOutcome(
        ballot_id=ballot.id,
        status=ballot.status,
        status_name=_status_text(session, ballot),
        verification_due=as_utc(ballot.verification_due),
        check_code=code,
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


# ----------------------------------------------------------------------------------------------
# Staff: open a vote


def desk_roles(session: Session, *, actor_id: int | None) -> frozenset[str]:
    """What the actor may do on the staff page: «staff» (open votes, in-person votes, meeting
    decisions) and/or «moderator» (verify votes); an administrator may do both.

    Raises:
        NotAllowed: the actor is neither.
    """
    user = require_role(session, actor_id, "staff", "moderator")
    held = roles_of(session, user.id)
    if "admin" in held:
        return frozenset({"staff", "moderator"})
    return frozenset(held & {"staff", "moderator"})


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
    starts and in the future; at least one house, each in the registry with at least one apartment.

    Raises:
        NotAllowed: the actor is not staff.
        InvalidInput: with the broken rule.
    """
    user = require_staff(session, actor_id=actor_id)
    title, question = clean_text(title), clean_text(question)
    if not title:
        raise InvalidInput("renovation.title_required")
    if len(title) > TITLE_LIMIT:
        raise InvalidInput("renovation.title_too_long", limit=TITLE_LIMIT)
    if not question:
        raise InvalidInput("renovation.question_required")
    if len(question) > QUESTION_LIMIT:
        raise InvalidInput("renovation.question_too_long", limit=QUESTION_LIMIT)
    if starts_at.tzinfo is None or ends_at.tzinfo is None or as_utc(ends_at) <= as_utc(starts_at):
        raise InvalidInput("renovation.period_invalid")
    if as_utc(ends_at) <= as_utc(now):
        raise InvalidInput("renovation.ends_in_past")
    houses = sorted(set(house_ids))
    if not houses:
        raise InvalidInput("renovation.houses_required")
    if len(houses) > HOUSES_LIMIT:
        raise InvalidInput("renovation.too_many_houses", limit=HOUSES_LIMIT)
    with_apartments = set(
        session.exec(
            select(Premise.house_id)
            .where(col(Premise.house_id).in_(houses), Premise.kind == "apartment")
            .distinct()
        )
    )
    missing = [h for h in houses if h not in with_apartments]
    if missing:
        raise InvalidInput("renovation.house_without_apartments", house=missing[0])
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
    require_staff(session, actor_id=actor_id)
    campaigns = session.exec(
        select(RenovationCampaign).order_by(col(RenovationCampaign.starts_at).desc())
    ).all()
    return [_campaign_view(session, c, now) for c in campaigns]


def houses_with_apartments(session: Session, *, actor_id: int | None) -> list[HouseOption]:
    """The registry houses that have apartments, by address (staff, for opening a vote)."""
    require_staff(session, actor_id=actor_id)
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
    require_staff(session, actor_id=actor_id)
    ids = set(
        session.exec(
            select(RenovationCampaignHouse.house_id).where(RenovationCampaignHouse.campaign_id == campaign_id)
        )
    )
    return [h for h in houses_with_apartments(session, actor_id=actor_id) if h.id in ids]


# ----------------------------------------------------------------------------------------------
# Residents vote online


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


# ----------------------------------------------------------------------------------------------
# Staff: in-person votes


def apartment_holders(
    session: Session, *, actor_id: int | None, campaign_id: int, house_id: int, apartment: str
) -> list[HolderOption]:
    """The registry owners and social tenants of an apartment of a vote's house (staff at a centre)."""
    require_staff(session, actor_id=actor_id)
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


def _holder_name(holder: PremiseHolder) -> str:
    if holder.person_kind == "legal":
        return holder.organisation
    return " ".join(p for p in (holder.last_name, holder.first_name, holder.patronymic) if p and p != "-")


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
    staff = require_staff(session, actor_id=actor_id)
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


# ----------------------------------------------------------------------------------------------
# Moderators verify


def verification_queue(session: Session, *, actor_id: int | None, now: datetime) -> list[QueueItem]:
    """The votes «на проверке», the nearest deadline first (moderators and administrators)."""
    require_role(session, actor_id, "moderator")
    rows = session.exec(
        select(RenovationBallot, RenovationCampaign.title, Premise.number)
        .join(RenovationCampaign, col(RenovationCampaign.id) == RenovationBallot.campaign_id)
        .join(Premise, col(Premise.id) == RenovationBallot.premise_id)
        .where(RenovationBallot.status == "pending")
        .order_by(RenovationBallot.verification_due, RenovationBallot.id)
    ).all()
    items = []
    for ballot, title, number in rows:
        user = session.get(User, ballot.user_id) if ballot.user_id is not None else None
        holder = session.get(PremiseHolder, ballot.holder_id)
        address, _ = _address(session, ballot.house_id)
        items.append(
            QueueItem(
                ballot_id=ballot.id,
                campaign_title=title,
                address=address,
                apartment=number,
                channel=rules.CHANNELS[ballot.channel],
                cast_at=as_utc(ballot.cast_at),
                verification_due=as_utc(ballot.verification_due),
                overdue=as_utc(now) >= as_utc(ballot.verification_due),
                voter_name=" ".join(p for p in (user.last_name, user.first_name, user.patronymic) if p)
                if user
                else "",
                registry_name=_holder_name(holder)
                if holder and holder.premise_id == ballot.premise_id
                else "",
                registry_role=holder.role if holder and holder.premise_id == ballot.premise_id else "",
            )
        )
    return items


def _pending_for_update(session: Session, ballot_id: int) -> RenovationBallot:
    ballot = session.get(RenovationBallot, ballot_id)
    if ballot is None:
        raise NotFound("renovation.vote_not_found")
    _lock_premise(session, ballot.premise_id)
    session.refresh(ballot)
    if ballot.status != "pending":
        raise Conflict("renovation.already_checked")
    return ballot


def verify_vote(
    session: Session, *, actor_id: int | None, ballot_id: int, now: datetime, rng: random.Random | None = None
) -> None:
    """A moderator confirms a vote «на проверке»: it counts and the voter gets the check code.

    Raises:
        NotAllowed: the actor is not a moderator.
        NotFound: no such vote.
        Conflict: the vote was already verified or rejected.
    """
    moderator = require_role(session, actor_id, "moderator")
    ballot = _pending_for_update(session, ballot_id)
    _verify(session, ballot, by=moderator.id, now=now, rng=rng or secrets.SystemRandom())


def reject_vote(
    session: Session, *, actor_id: int | None, ballot_id: int, reason: str, now: datetime
) -> None:
    """A moderator rejects a vote «на проверке» with a reason; it never counts and the voter is told.

    Raises:
        NotAllowed: the actor is not a moderator.
        NotFound: no such vote.
        InvalidInput: no reason, or one over 500 characters.
        Conflict: the vote was already verified or rejected.
    """
    moderator = require_role(session, actor_id, "moderator")
    reason = clean_text(reason)
    if not reason:
        raise InvalidInput("renovation.reason_required")
    if len(reason) > REASON_LIMIT:
        raise InvalidInput("renovation.reason_too_long", limit=REASON_LIMIT)
    ballot = _pending_for_update(session, ballot_id)
    ballot.status = "rejected"
    ballot.reject_reason = reason
    ballot.verified_at = now
    ballot.verified_by = moderator.id
    session.add(ballot)
    session.flush()
    if ballot.user_id is not None:
        address, _ = _address(session, ballot.house_id)
        notify(
            session,
            user_id=ballot.user_id,
            title=f"Голос по дому {address} не учтён",
            body=f"Причина: {reason}",
            link="/house/renovation",
            now=now,
        )


# ----------------------------------------------------------------------------------------------
# Staff: a general meeting's decision


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
    staff = require_staff(session, actor_id=actor_id)
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


# ----------------------------------------------------------------------------------------------
# Counting and results (public)


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


# ----------------------------------------------------------------------------------------------
# The check code


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
