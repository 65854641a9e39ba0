"""General meetings of owners («ОСС», SPEC §7): the register of enabled houses, filing, online
votes, paper decisions, the live count, the protocol and the register of decisions.

An owner is the registry person (``PremiseHolder.person_ref``) within the house; their weight is
the sum over the premises they own in the house of area × share, the house's total the sum of all
its premises' areas — both exact (:func:`ag_app.domain.meetings.owner_weight`). One decision per
owner and question: the unique key (question, owner) decides between racing transactions, online
or on paper, whichever arrives first. A refused later decision is written to the audit log in the
same transaction that reports the refusal, so the log row is committed and no decision is.
"""

import csv
import io
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import Engine, Integer, bindparam, cast, func
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ag_app.db import transaction
from ag_app.domain.clock import MOSCOW, as_utc
from ag_app.domain.errors import Conflict, InvalidInput, NotAllowed, NotFound
from ag_app.domain.meetings import (
    DECISIONS,
    INITIATOR_ROLES,
    THRESHOLDS,
    TOPICS,
    AgendaItem,
    MeetingInput,
    MeetingTally,
    OwnerDecisions,
    check_decision,
    meeting_state,
    normalize_scan_hash,
    owner_votes,
    owner_weight,
    round_m2,
    tally_meeting,
    validate_meeting,
    why_cannot_file,
)
from ag_app.domain.text import clean_text
from ag_app.i18n import message
from ag_app.models import (
    District,
    House,
    HouseOrganisation,
    Meeting,
    MeetingDecision,
    MeetingHouse,
    MeetingProtocol,
    MeetingQuestion,
    MeetingRejection,
    Okrug,
    Premise,
    PremiseHolder,
    PremiseLink,
    Street,
    User,
)
from ag_app.services.access import active_user, require_staff
from ag_app.services.holdings import organisation_roles, verified_holdings
from ag_app.services.notifications import notify
from ag_app.services.outbox import send_email, send_sms
from ag_app.services.protocol_pdf import ProtocolData, protocol_questions, protocol_sha256, render_protocol
from ag_app.services.registry import house_text

__all__ = ["AgendaItem", "MeetingInput"]

INSPECTION_LIMIT = 200
CHANNELS = {"online": "электронно", "paper": "на бумаге"}
STATE_NAMES = {"scheduled": "Назначено", "active": "Идёт голосование", "finished": "Завершено"}


# ----------------------------------------------------------------------------------------------
# DTOs


@dataclass(frozen=True)
class EnabledHouse:
    """A house of the register of houses enabled for online meetings."""

    house_id: int
    address: str
    district: str
    inspection_protocol: str
    recorded_at: datetime


@dataclass(frozen=True)
class FilingHouse:
    """A house of the user's, and whether (or why not) they may file a meeting there."""

    house_id: int
    address: str
    # «owner» or «management_company» when the user may file, "" otherwise.
    initiator_kind: str
    cannot_file_reason: str


@dataclass(frozen=True)
class MeetingSummary:
    """A meeting in a list: house, period and state."""

    id: int
    house_id: int
    address: str
    starts_at: datetime
    ends_at: datetime
    state: str
    state_name: str
    questions: int


@dataclass(frozen=True)
class QuestionMeter:
    """One agenda question's live count in m² (exact values rounded to 0.01 for display)."""

    question_id: int
    number: int
    text: str
    topic: str
    threshold: str
    threshold_name: str
    for_m2: Decimal
    against_m2: Decimal
    abstain_m2: Decimal
    # m² of «За» still needed to adopt the question (0 when adopted).
    needed_m2: Decimal
    adopted: bool
    # False when even «За» from every owner who has not answered would not adopt it.
    possible: bool


@dataclass(frozen=True)
class MeetingMeter:
    """The live meter (SPEC §7.6): votes collected, the quorum line and each question's need.

    Aggregates only: no owner is named.
    """

    meeting_id: int
    state: str
    total_m2: Decimal
    participating_m2: Decimal
    # Half of all votes: the quorum needs more than this.
    quorum_line_m2: Decimal
    quorum: bool
    quorum_needed_m2: Decimal
    # How many owners returned at least one decision.
    owners_voted: int
    # How many decisions are stored (grows with every accepted decision).
    decisions: int
    questions: tuple[QuestionMeter, ...]


@dataclass(frozen=True)
class MeetingView:
    """A meeting page: the facts, the live meter, the viewer's own decisions and rights."""

    id: int
    house_id: int
    address: str
    district: str
    initiator_kind: str
    notified_at: datetime
    starts_at: datetime
    ends_at: datetime
    in_person_address: str
    state: str
    state_name: str
    meter: MeetingMeter
    can_vote: bool
    cannot_vote_reason: str
    # The viewer's decisions so far by question id («for» / «against» / «abstain»).
    my_decisions: dict[int, str]
    protocol_sha256: str
    protocol_generated_at: datetime | None


@dataclass(frozen=True)
class RefusedDecision:
    """A decision that was not accepted, with the Russian reason."""

    question_id: int
    number: int
    reason: str


@dataclass(frozen=True)
class DecisionOutcome:
    """What happened to the decisions given: accepted question ids and refused ones."""

    accepted: tuple[int, ...]
    refused: tuple[RefusedDecision, ...]


@dataclass(frozen=True)
class PremiseOwner:
    """An owner of a premise as staff see it when entering a paper decision (name from the registry)."""

    person_ref: str
    name: str
    share: str


@dataclass(frozen=True)
class RejectionView:
    """A row of the audit log of refused decisions (for staff)."""

    created_at: datetime
    owner_ref: str
    question_number: int
    channel: str
    choice: str
    reason: str
    scan_sha256: str
    entered_by: str


# ----------------------------------------------------------------------------------------------
# Helpers


def _house_facts(session: Session, house_id: int) -> tuple[str, str]:
    """«г. Москва, улица, д. N» and «District (ABBR)» of a house; NotFound when unknown."""
    row = session.exec(
        select(House.number, Street.name, District.name, Okrug.abbrev)
        .join(Street, col(Street.id) == House.street_id)
        .join(District, col(District.id) == House.district_id)
        .join(Okrug, col(Okrug.id) == District.okrug_id)
        .where(House.id == house_id)
    ).first()
    if row is None:
        raise NotFound("address.house_unknown")
    number, street, district, okrug = row
    return f"г. Москва, {house_text(street, number)}", f"{district} ({okrug})"


def _meeting(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("meeting.not_found")
    return meeting


def _questions(session: Session, meeting_id: int) -> list[MeetingQuestion]:
    return list(
        session.exec(
            select(MeetingQuestion)
            .where(MeetingQuestion.meeting_id == meeting_id)
            .order_by(col(MeetingQuestion.position))
        ).all()
    )


def _moscow(moment: datetime) -> str:
    return f"{as_utc(moment).astimezone(MOSCOW):%d.%m.%Y %H:%M}"


def _is_enabled(session: Session, house_id: int) -> bool:
    return session.exec(select(MeetingHouse.id).where(MeetingHouse.house_id == house_id)).first() is not None


def house_total(session: Session, house_id: int) -> Fraction:
    """All votes of a house: the sum of its premises' areas in m² (exact)."""
    total = session.exec(select(func.sum(Premise.area_m2)).where(Premise.house_id == house_id)).one()
    return Fraction(Decimal(total or 0))


def owner_weights(session: Session, house_id: int, owner_refs: set[str] | None = None) -> dict[str, Fraction]:
    """Each owner's votes in a house: Σ area × share over the premises they own there (exact).

    With ``owner_refs``, only those owners (the tally needs only the owners who decided).
    """
    query = (
        select(
            PremiseHolder.person_ref,
            Premise.area_m2,
            PremiseHolder.share_numerator,
            PremiseHolder.share_denominator,
        )
        .join(Premise, col(Premise.id) == PremiseHolder.premise_id)
        .where(PremiseHolder.house_id == house_id, PremiseHolder.role == "owner")
    )
    weights: dict[str, Fraction] = defaultdict(Fraction)
    for ref, area, numerator, denominator in session.exec(query).all():
        if owner_refs is None or ref in owner_refs:
            weights[ref] += owner_weight(Decimal(area), Fraction(numerator, denominator))
    return dict(weights)


# An owner's premises in the house as whole numbers: area in hundredths of m² × share numerator,
# and the share denominator (areas have two decimals in the registry), so sums stay exact ints.
_OWNER_CENTS = (
    select(
        PremiseHolder.person_ref,
        cast(func.round(Premise.area_m2 * 100), Integer) * PremiseHolder.share_numerator,
        PremiseHolder.share_denominator,
    )
    .join(Premise, col(Premise.id) == PremiseHolder.premise_id)
    .where(PremiseHolder.house_id == bindparam("house_id"), PremiseHolder.role == "owner")
)
_DECISIONS = select(MeetingDecision.owner_ref, MeetingDecision.question_id, MeetingDecision.choice).where(
    MeetingDecision.meeting_id == bindparam("meeting_id")
)


def _tally(
    session: Session, meeting: Meeting, questions: list[MeetingQuestion]
) -> tuple[MeetingTally, int, int]:
    """The count of the stored decisions (domain ``tally_meeting``), owners who decided, decisions.

    The count is linear in the owners' weights, so owners who gave the same decisions are folded
    into one entry first: their weights are summed as integers (hundredths of m² × share
    numerator, per share denominator) and become one exact fraction per group — a handful of
    fractions instead of one per decision. The result equals a per-owner recount exactly.
    """
    connection = session.connection()
    by_owner: dict[str, list[tuple[int, str]]] = defaultdict(list)
    rows = connection.execute(_DECISIONS, {"meeting_id": meeting.id}).all()
    for owner_ref, question_id, choice in rows:
        by_owner[owner_ref].append((question_id, choice))
    groups: dict[tuple, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    if by_owner:
        vectors = {ref: tuple(sorted(pairs)) for ref, pairs in by_owner.items()}
        for ref, cents, denominator in connection.execute(_OWNER_CENTS, {"house_id": meeting.house_id}).all():
            vector = vectors.get(ref)
            if vector is not None:
                groups[vector][denominator] += cents
        # An owner who decided but owns nothing in the house any more still took part (weight 0).
        for vector in vectors.values():
            groups.setdefault(vector, defaultdict(int))
    tally = tally_meeting(
        {q.id: q.threshold for q in questions},
        (
            OwnerDecisions(
                weight=sum((Fraction(c, 100 * d) for d, c in sums.items()), Fraction(0)),
                decisions=dict(vector),
            )
            for vector, sums in groups.items()
        ),
        house_total(session, meeting.house_id),
    )
    return tally, len(by_owner), len(rows)


def _meter(
    meeting: Meeting,
    questions: list[MeetingQuestion],
    tally: MeetingTally,
    owners: int,
    decisions: int,
    now: datetime,
) -> MeetingMeter:
    return MeetingMeter(
        meeting_id=meeting.id,
        state=meeting_state(meeting.starts_at, meeting.ends_at, now),
        total_m2=round_m2(tally.total),
        participating_m2=round_m2(tally.participating),
        quorum_line_m2=round_m2(tally.total / 2),
        quorum=tally.quorum,
        quorum_needed_m2=tally.quorum_needed,
        owners_voted=owners,
        decisions=decisions,
        questions=tuple(
            QuestionMeter(
                question_id=q.id,
                number=q.position,
                text=q.text,
                topic=q.topic,
                threshold=q.threshold,
                threshold_name=THRESHOLDS[q.threshold],
                for_m2=round_m2(counted.for_votes),
                against_m2=round_m2(counted.against_votes),
                abstain_m2=round_m2(counted.abstain_votes),
                needed_m2=counted.needed,
                adopted=counted.adopted,
                possible=counted.possible,
            )
            for q, counted in zip(questions, tally.questions, strict=True)
        ),
    )


def _owner_refs(session: Session, user: User, house_id: int) -> list[str]:
    """The registry persons the user verifiably is among the owners of the house (usually one)."""
    return sorted({h.person_ref for h in verified_holdings(session, user.id, house_id) if h.role == "owner"})


def _why_cannot_vote(meeting: Meeting, user: User | None, owner_refs: list[str], now: datetime) -> str:
    """The i18n key of why the user may not vote now ("" when they may), parameters filled in."""
    state = meeting_state(meeting.starts_at, meeting.ends_at, now)
    if state == "scheduled":
        return message("meeting.not_started", at=_moscow(meeting.starts_at))
    if state == "finished":
        return message("meeting.finished", at=_moscow(meeting.ends_at))
    if user is None:
        return message("auth.required")
    if not owner_refs:
        return message("meeting.not_owner")
    if user.identity_verified_at is None:
        return message("meeting.level_required")
    return ""


def _open_for_decisions(meeting: Meeting, now: datetime) -> None:
    state = meeting_state(meeting.starts_at, meeting.ends_at, now)
    if state == "scheduled":
        raise NotAllowed("meeting.not_started", at=_moscow(meeting.starts_at))
    if state == "finished":
        raise NotAllowed("meeting.finished", at=_moscow(meeting.ends_at))


def _clean_choices(questions: list[MeetingQuestion], choices: Mapping[int, str]) -> dict[int, str]:
    if not choices:
        raise InvalidInput("meeting.choices_required")
    known = {q.id for q in questions}
    clean = {}
    for question_id, choice in choices.items():
        if question_id not in known:
            raise InvalidInput("meeting.question_unknown")
        clean[question_id] = check_decision(choice)
    return clean


def _insert_decisions(
    session: Session,
    *,
    meeting: Meeting,
    questions: list[MeetingQuestion],
    owner_ref: str,
    choices: dict[int, str],
    channel: str,
    scan_sha256: str,
    entered_by: int,
    now: datetime,
) -> DecisionOutcome:
    """Insert one owner's decisions; a question already decided is refused and logged.

    ``INSERT … ON CONFLICT DO NOTHING RETURNING``: the unique key (question, owner) decides even
    between racing transactions (PostgreSQL waits for the other one and then skips the row).
    """
    numbers = {q.id: q.position for q in questions}
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    rows = [
        {
            "meeting_id": meeting.id,
            "question_id": question_id,
            "owner_ref": owner_ref,
            "choice": choice,
            "channel": channel,
            "scan_sha256": scan_sha256,
            "entered_by": entered_by,
            "created_at": now,
        }
        for question_id, choice in sorted(choices.items(), key=lambda item: numbers[item[0]])
    ]
    # One statement, rows in agenda order: racing transactions meet the same keys in the same
    # order, so they wait for each other instead of deadlocking.
    statement = (
        insert(MeetingDecision).values(rows).on_conflict_do_nothing().returning(MeetingDecision.question_id)
    )
    accepted = set(session.execute(statement).scalars().all())
    refused = []
    for row in rows:
        if row["question_id"] in accepted:
            continue
        session.add(
            MeetingRejection(
                meeting_id=meeting.id,
                question_id=row["question_id"],
                owner_ref=owner_ref,
                channel=channel,
                choice=row["choice"],
                reason="meeting.already_decided",
                scan_sha256=scan_sha256,
                entered_by=entered_by,
                created_at=now,
            )
        )
        number = numbers[row["question_id"]]
        refused.append(
            RefusedDecision(
                question_id=row["question_id"],
                number=number,
                reason=message("meeting.already_decided", number=number),
            )
        )
    session.flush()
    return DecisionOutcome(
        accepted=tuple(q for q in (r["question_id"] for r in rows) if q in accepted), refused=tuple(refused)
    )


# ----------------------------------------------------------------------------------------------
# The register of enabled houses (staff)


def enable_house(
    session: Session, *, actor_id: int | None, house_id: int, inspection_protocol: str, now: datetime
) -> EnabledHouse:
    """Add a house to the register of houses enabled for online meetings (staff, SPEC §7.1).

    Raises:
        NotAllowed: the actor is not staff.
        NotFound: no such house.
        InvalidInput: the inspection's protocol reference is blank or too long.
        Conflict: the house is already in the register.
    """
    staff = require_staff(session, actor_id=actor_id)
    address, district = _house_facts(session, house_id)
    reference = clean_text(inspection_protocol)
    if not reference:
        raise InvalidInput("meeting.inspection_required")
    if len(reference) > INSPECTION_LIMIT:
        raise InvalidInput("meeting.inspection_too_long", limit=INSPECTION_LIMIT)
    row = MeetingHouse(
        house_id=house_id, inspection_protocol=reference, recorded_by=staff.id, recorded_at=now
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError as exc:
        raise Conflict("meeting.house_already_enabled") from exc
    return EnabledHouse(house_id, address, district, reference, now)


def list_enabled_houses(session: Session, *, actor_id: int | None) -> list[EnabledHouse]:
    """The register of houses enabled for online meetings, newest first (staff)."""
    require_staff(session, actor_id=actor_id)
    rows = session.exec(
        select(MeetingHouse).order_by(col(MeetingHouse.recorded_at).desc(), col(MeetingHouse.id).desc())
    ).all()
    result = []
    for row in rows:
        address, district = _house_facts(session, row.house_id)
        result.append(
            EnabledHouse(row.house_id, address, district, row.inspection_protocol, as_utc(row.recorded_at))
        )
    return result


@dataclass(frozen=True)
class RegistryHouse:
    """A house with premises in the registry, and whether it is already in the register."""

    house_id: int
    address: str
    premises: int
    enabled: bool


def registry_houses(session: Session, *, actor_id: int | None, limit: int = 500) -> list[RegistryHouse]:
    """Houses with premises in the house registry, by address (staff pick one to enable)."""
    require_staff(session, actor_id=actor_id)
    rows = session.exec(
        select(Premise.house_id, func.count())
        .group_by(col(Premise.house_id))
        .order_by(col(Premise.house_id))
        .limit(limit)
    ).all()
    enabled = set(session.exec(select(MeetingHouse.house_id)).all())
    result = [
        RegistryHouse(
            house_id=house_id,
            address=_house_facts(session, house_id)[0],
            premises=count,
            enabled=house_id in enabled,
        )
        for house_id, count in rows
    ]
    return sorted(result, key=lambda h: h.address)


# ----------------------------------------------------------------------------------------------
# Filing a meeting


def _initiator_kind(session: Session, user: User, house_id: int) -> str:
    """«owner» for a level-3 verified owner, else «management_company» for its representative, else ""."""
    if user.identity_verified_at is not None and _owner_refs(session, user, house_id):
        return "owner"
    if "management_company" in organisation_roles(session, user.id, house_id):
        return "management_company"
    return ""


def _user_house_ids(session: Session, user_id: int) -> list[int]:
    """Houses where the user has a confirmed registry row or acts for the house's organisation."""
    holdings = {h.house_id for h in verified_holdings(session, user_id)}
    organisations = set(
        session.exec(select(HouseOrganisation.house_id).where(HouseOrganisation.user_id == user_id)).all()
    )
    return sorted(holdings | organisations)


def filing_houses(session: Session, *, actor_id: int | None) -> list[FilingHouse]:
    """The user's houses and whether they may file a meeting in each (SPEC §7.1–7.2)."""
    user = active_user(session, actor_id)
    result = []
    for house_id in _user_house_ids(session, user.id):
        kind = _initiator_kind(session, user, house_id)
        refusal = why_cannot_file(house_enabled=_is_enabled(session, house_id), roles=[kind] if kind else [])
        address, _ = _house_facts(session, house_id)
        result.append(
            FilingHouse(
                house_id=house_id,
                address=address,
                initiator_kind=kind if refusal is None else "",
                cannot_file_reason=message(refusal.key, **refusal.params) if refusal else "",
            )
        )
    return result


def file_meeting(
    session: Session, *, actor_id: int | None, house_id: int, data: MeetingInput, now: datetime
) -> int:
    """File a meeting (SPEC §7.2): owners are notified now, voting starts ≥ 10 days later.

    The initiator is a level-3 owner with a confirmed premise in the house or the representative
    of its management company; the house must be in the register. Every owner with an account gets
    an in-app notification, an SMS and (with a confirmed address) an e-mail. Returns the meeting id.

    Raises:
        NotAuthenticated / NotAllowed: a guest, or someone who may not file here (the reason says why).
        NotFound: no such house.
        InvalidInput: the agenda, period or address breaks a rule of ``validate_meeting``.
    """
    user = active_user(session, actor_id)
    address, _ = _house_facts(session, house_id)
    kind = _initiator_kind(session, user, house_id)
    refusal = why_cannot_file(house_enabled=_is_enabled(session, house_id), roles=[kind] if kind else [])
    if refusal is not None:
        raise NotAllowed(refusal.key, **refusal.params)
    clean = validate_meeting(data, notified_at=now)
    meeting = Meeting(
        house_id=house_id,
        initiator_id=user.id,
        initiator_kind=kind,
        notified_at=now,
        starts_at=as_utc(clean.starts_at),
        ends_at=as_utc(clean.ends_at),
        in_person_address=clean.in_person_address,
    )
    session.add(meeting)
    session.flush()
    for position, item in enumerate(clean.agenda, start=1):
        session.add(
            MeetingQuestion(
                meeting_id=meeting.id,
                position=position,
                text=item.text,
                topic=item.topic,
                threshold=item.threshold,
            )
        )
    session.flush()
    _notify_owners(session, meeting=meeting, address=address, now=now)
    return meeting.id


def _notify_owners(session: Session, *, meeting: Meeting, address: str, now: datetime) -> None:
    """Tell every owner of the house with an account: app, SMS and e-mail (SPEC §7.2)."""
    owners = session.exec(
        select(User)
        .join(PremiseLink, col(PremiseLink.user_id) == User.id)
        .join(PremiseHolder, col(PremiseHolder.id) == PremiseLink.holder_id)
        .where(
            PremiseHolder.house_id == meeting.house_id,
            PremiseHolder.role == "owner",
            col(User.deactivated_at).is_(None),
        )
        .distinct()
        .order_by(col(User.id))
    ).all()
    period = f"с {_moscow(meeting.starts_at)} по {_moscow(meeting.ends_at)} (мск)"
    title = f"Общее собрание собственников: {address}"
    body = (
        f"Голосование {period} в «Электронном доме». Бумажные решения принимаются по адресу: "
        f"{meeting.in_person_address}."
    )
    link = f"/house/meetings/{meeting.id}"
    for user in owners:
        notify(session, user_id=user.id, title=title, body=body, link=link, now=now, topic="house")
        send_sms(
            session,
            phone=user.phone,
            text=f"Собрание собственников дома {address}: голосование {period}.",
            now=now,
            user_id=user.id,
            topic="house",
        )
        if user.email and user.email_confirmed_at is not None:
            send_email(
                session,
                to=user.email,
                subject=title,
                body=f"{body}\n\nПовестка и голосование: {link}",
                now=now,
                user_id=user.id,
                topic="house",
            )


# ----------------------------------------------------------------------------------------------
# Reading meetings


def list_my_meetings(session: Session, *, actor_id: int | None, now: datetime) -> list[MeetingSummary]:
    """Meetings of the user's houses (confirmed premises or the house's organisation), newest first."""
    user = active_user(session, actor_id)
    house_ids = _user_house_ids(session, user.id)
    if not house_ids:
        return []
    meetings = session.exec(
        select(Meeting)
        .where(col(Meeting.house_id).in_(house_ids))
        .order_by(col(Meeting.starts_at).desc(), col(Meeting.id).desc())
    ).all()
    return [_summary(session, m, now) for m in meetings]


def list_all_meetings(
    session: Session, *, actor_id: int | None, now: datetime, limit: int = 200
) -> list[MeetingSummary]:
    """Every meeting, newest first (staff: paper decisions, audit log, export)."""
    require_staff(session, actor_id=actor_id)
    meetings = session.exec(
        select(Meeting).order_by(col(Meeting.starts_at).desc(), col(Meeting.id).desc()).limit(limit)
    ).all()
    return [_summary(session, m, now) for m in meetings]


def _summary(session: Session, meeting: Meeting, now: datetime) -> MeetingSummary:
    address, _ = _house_facts(session, meeting.house_id)
    state = meeting_state(meeting.starts_at, meeting.ends_at, now)
    count = session.exec(
        select(func.count()).select_from(MeetingQuestion).where(MeetingQuestion.meeting_id == meeting.id)
    ).one()
    return MeetingSummary(
        id=meeting.id,
        house_id=meeting.house_id,
        address=address,
        starts_at=as_utc(meeting.starts_at),
        ends_at=as_utc(meeting.ends_at),
        state=state,
        state_name=STATE_NAMES[state],
        questions=count,
    )


def meeting_meter(session: Session, *, meeting_id: int, now: datetime) -> MeetingMeter:
    """The live meter of a meeting from the stored decisions (public: aggregates only).

    Raises:
        NotFound: no such meeting.
    """
    meeting = _meeting(session, meeting_id)
    questions = _questions(session, meeting_id)
    tally, owners, decisions = _tally(session, meeting, questions)
    return _meter(meeting, questions, tally, owners, decisions, now)


def get_meeting(session: Session, *, actor_id: int | None, meeting_id: int, now: datetime) -> MeetingView:
    """A meeting page: facts, agenda with the live count, the viewer's decisions and rights.

    After the end the protocol is made on first use (see :func:`ensure_protocol`). Public: a guest
    sees everything but their own decisions.

    Raises:
        NotFound: no such meeting.
    """
    meeting = _meeting(session, meeting_id)
    user = active_user(session, actor_id) if actor_id is not None else None
    address, district = _house_facts(session, meeting.house_id)
    questions = _questions(session, meeting_id)
    tally, owners, decisions = _tally(session, meeting, questions)
    state = meeting_state(meeting.starts_at, meeting.ends_at, now)
    if state == "finished" and not meeting.protocol_sha256:
        _make_protocol(session, meeting, questions, tally, address, district, now)
    refs = _owner_refs(session, user, meeting.house_id) if user is not None else []
    reason = _why_cannot_vote(meeting, user, refs, now)
    mine: dict[int, str] = {}
    if refs:
        for question_id, choice in session.exec(
            select(MeetingDecision.question_id, MeetingDecision.choice).where(
                MeetingDecision.meeting_id == meeting_id, col(MeetingDecision.owner_ref).in_(refs)
            )
        ).all():
            mine[question_id] = choice
    return MeetingView(
        id=meeting.id,
        house_id=meeting.house_id,
        address=address,
        district=district,
        initiator_kind=meeting.initiator_kind,
        notified_at=as_utc(meeting.notified_at),
        starts_at=as_utc(meeting.starts_at),
        ends_at=as_utc(meeting.ends_at),
        in_person_address=meeting.in_person_address,
        state=state,
        state_name=STATE_NAMES[state],
        meter=_meter(meeting, questions, tally, owners, decisions, now),
        can_vote=not reason and len(mine) < len(questions) * len(refs),
        cannot_vote_reason=reason,
        my_decisions=mine,
        protocol_sha256=meeting.protocol_sha256,
        protocol_generated_at=as_utc(meeting.protocol_generated_at)
        if meeting.protocol_generated_at
        else None,
    )


# ----------------------------------------------------------------------------------------------
# Decisions


def vote(
    session: Session, *, actor_id: int | None, meeting_id: int, choices: Mapping[int, str], now: datetime
) -> DecisionOutcome:
    """An owner's decisions online («За» / «Против» / «Воздержался» per question, final; SPEC §7.3).

    The voter must be a level-3 owner with a confirmed premise in the house, while voting is open.
    A question the owner already decided on (online or on paper) is refused and logged; the
    others are accepted.

    Raises:
        NotAuthenticated: a guest.
        NotFound: no such meeting.
        NotAllowed: voting is not open, or the actor is not a verified owner of the house.
        InvalidInput: no choice, an unknown question or choice.
    """
    user = active_user(session, actor_id)
    meeting = _meeting(session, meeting_id)
    _open_for_decisions(meeting, now)
    refs = _owner_refs(session, user, meeting.house_id)
    if not refs:
        raise NotAllowed("meeting.not_owner")
    if user.identity_verified_at is None:
        raise NotAllowed("meeting.level_required")
    questions = _questions(session, meeting_id)
    clean = _clean_choices(questions, choices)
    outcomes = [
        _insert_decisions(
            session,
            meeting=meeting,
            questions=questions,
            owner_ref=ref,
            choices=clean,
            channel="online",
            scan_sha256="",
            entered_by=user.id,
            now=now,
        )
        for ref in refs
    ]
    return DecisionOutcome(
        accepted=tuple(dict.fromkeys(q for o in outcomes for q in o.accepted)),
        refused=tuple(r for o in outcomes for r in o.refused),
    )


def premise_owners(
    session: Session, *, actor_id: int | None, meeting_id: int, premise_number: str
) -> list[PremiseOwner]:
    """The owners of a premise of the meeting's house, as the registry names them (staff).

    Raises:
        NotAllowed: the actor is not staff.
        NotFound: no such meeting, or no such premise in the house.
    """
    require_staff(session, actor_id=actor_id)
    meeting = _meeting(session, meeting_id)
    premise = session.exec(
        select(Premise).where(Premise.house_id == meeting.house_id, Premise.number == premise_number.strip())
    ).first()
    if premise is None:
        raise NotFound("meeting.premise_unknown")
    holders = session.exec(
        select(PremiseHolder)
        .where(PremiseHolder.premise_id == premise.id, PremiseHolder.role == "owner")
        .order_by(col(PremiseHolder.person_ref))
    ).all()
    return [
        PremiseOwner(
            person_ref=h.person_ref, name=registry_name(h), share=f"{h.share_numerator}/{h.share_denominator}"
        )
        for h in holders
    ]


def registry_name(holder: PremiseHolder) -> str:
    """An owner as the registry names them: the company, or «Фамилия Имя Отчество»."""
    if holder.person_kind == "legal" and holder.organisation:
        return holder.organisation
    return (
        " ".join(p for p in (holder.last_name, holder.first_name, holder.patronymic) if p and p != "-")
        or holder.person_ref
    )


def enter_paper_decision(
    session: Session,
    *,
    actor_id: int | None,
    meeting_id: int,
    premise_number: str,
    person_ref: str,
    choices: Mapping[int, str],
    scan_sha256: str,
    now: datetime,
) -> DecisionOutcome:
    """Staff enter an owner's paper decision handed in at the office, with the scan's SHA-256.

    The owner is named by a premise of the house and their registry person; a question the owner
    already decided on (online or on paper) is refused and logged, whichever came first counts.
    Paper decisions are accepted while voting is open, like online ones.

    Raises:
        NotAllowed: the actor is not staff, or voting is not open.
        NotFound: no such meeting, or the person does not own that premise in the house.
        InvalidInput: a malformed scan hash, no choice, an unknown question or choice.
    """
    staff = require_staff(session, actor_id=actor_id)
    meeting = _meeting(session, meeting_id)
    _open_for_decisions(meeting, now)
    scan = normalize_scan_hash(scan_sha256)
    owner = session.exec(
        select(PremiseHolder.person_ref)
        .join(Premise, col(Premise.id) == PremiseHolder.premise_id)
        .where(
            PremiseHolder.house_id == meeting.house_id,
            PremiseHolder.role == "owner",
            PremiseHolder.person_ref == person_ref.strip(),
            Premise.number == premise_number.strip(),
        )
    ).first()
    if owner is None:
        raise NotFound("meeting.owner_unknown")
    questions = _questions(session, meeting_id)
    clean = _clean_choices(questions, choices)
    return _insert_decisions(
        session,
        meeting=meeting,
        questions=questions,
        owner_ref=owner,
        choices=clean,
        channel="paper",
        scan_sha256=scan,
        entered_by=staff.id,
        now=now,
    )


def list_rejections(session: Session, *, actor_id: int | None, meeting_id: int) -> list[RejectionView]:
    """The audit log of a meeting's refused decisions, newest first (staff)."""
    require_staff(session, actor_id=actor_id)
    _meeting(session, meeting_id)
    rows = session.exec(
        select(MeetingRejection, MeetingQuestion.position, User.phone)
        .join(MeetingQuestion, col(MeetingQuestion.id) == MeetingRejection.question_id)
        .join(User, col(User.id) == MeetingRejection.entered_by)
        .where(MeetingRejection.meeting_id == meeting_id)
        .order_by(col(MeetingRejection.created_at).desc(), col(MeetingRejection.id).desc())
    ).all()
    return [
        RejectionView(
            created_at=as_utc(row.created_at),
            owner_ref=row.owner_ref,
            question_number=position,
            channel=CHANNELS[row.channel],
            choice=DECISIONS.get(row.choice, row.choice),
            reason=message(row.reason, number=position),
            scan_sha256=row.scan_sha256,
            entered_by=phone,
        )
        for row, position, phone in rows
    ]


# ----------------------------------------------------------------------------------------------
# The protocol and the register of decisions


def _make_protocol(
    session: Session,
    meeting: Meeting,
    questions: list[MeetingQuestion],
    tally: MeetingTally,
    address: str,
    district: str,
    now: datetime,
) -> None:
    """Render the protocol from the count, store its PDF and SHA-256 (once, even when two race)."""
    locked = session.exec(
        select(Meeting)
        .where(Meeting.id == meeting.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    if locked.protocol_sha256:
        return
    agenda = [AgendaItem(text=q.text, topic=q.topic, threshold=q.threshold) for q in questions]
    pdf = render_protocol(
        ProtocolData(
            meeting_id=meeting.id,
            house_address=address,
            district=district,
            initiator_kind=meeting.initiator_kind,
            notified_at=meeting.notified_at,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            in_person_address=meeting.in_person_address,
            total_votes=tally.total,
            participating_votes=tally.participating,
            questions=protocol_questions(agenda, tally),
        )
    )
    session.add(MeetingProtocol(meeting_id=meeting.id, pdf=pdf))
    locked.protocol_sha256 = protocol_sha256(pdf)
    locked.protocol_generated_at = now
    locked.status = "protocol"
    session.add(locked)
    session.flush()
    meeting.protocol_sha256, meeting.protocol_generated_at = locked.protocol_sha256, now


def ensure_protocol(session: Session, *, meeting_id: int, now: datetime) -> str:
    """Make the protocol of a finished meeting if it is not made yet; returns its SHA-256 ("" before the end)."""
    meeting = _meeting(session, meeting_id)
    if meeting.protocol_sha256:
        return meeting.protocol_sha256
    if meeting_state(meeting.starts_at, meeting.ends_at, now) != "finished":
        return ""
    address, district = _house_facts(session, meeting.house_id)
    questions = _questions(session, meeting_id)
    tally, _, _ = _tally(session, meeting, questions)
    _make_protocol(session, meeting, questions, tally, address, district, now)
    return meeting.protocol_sha256


def make_due_protocols(engine: Engine | None = None, *, now: datetime) -> int:
    """Make the protocol of every meeting whose voting has ended and that has none yet, one
    transaction per meeting (a step of the periodic jobs; repeated runs make nothing twice).
    Returns how many protocols were made."""
    with transaction(engine) as session:
        due = session.exec(
            select(Meeting.id)
            .where(Meeting.ends_at <= now, Meeting.protocol_sha256 == "")
            .order_by(Meeting.id)
        ).all()
    made = 0
    for meeting_id in due:
        with transaction(engine) as session:
            made += bool(ensure_protocol(session, meeting_id=meeting_id, now=now))
    return made


def protocol_pdf(session: Session, *, meeting_id: int, now: datetime) -> bytes:
    """The protocol PDF of a finished meeting (public: no personal data in it).

    Raises:
        NotFound: no such meeting, or voting has not ended yet.
    """
    if not ensure_protocol(session, meeting_id=meeting_id, now=now):
        raise NotFound("meeting.protocol_not_ready")
    return session.get(MeetingProtocol, meeting_id).pdf


def _votes_text(votes: Decimal) -> str:
    """Votes as written in the register: at least two decimals (60.50), more when exact needs them."""
    return str(votes.quantize(Decimal("0.01")) if -votes.as_tuple().exponent < 2 else votes)


def decisions_register_csv(session: Session, *, actor_id: int | None, meeting_id: int) -> str:
    """The register of owners' decisions for the housing inspection, as CSV (staff only).

    One row per owner and premise: the owner as named in the registry, premise, area, share, the
    premise's votes (area × share), the decision on each question, the channels and scan hashes.
    """
    require_staff(session, actor_id=actor_id)
    meeting = _meeting(session, meeting_id)
    questions = _questions(session, meeting_id)
    decisions: dict[str, dict[int, MeetingDecision]] = defaultdict(dict)
    for row in session.exec(select(MeetingDecision).where(MeetingDecision.meeting_id == meeting_id)).all():
        decisions[row.owner_ref][row.question_id] = row
    holders = session.exec(
        select(PremiseHolder, Premise)
        .join(Premise, col(Premise.id) == PremiseHolder.premise_id)
        .where(PremiseHolder.house_id == meeting.house_id, PremiseHolder.role == "owner")
        .order_by(col(PremiseHolder.person_ref), col(Premise.number))
    ).all()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["Собственник", "Идентификатор в реестре", "Помещение", "Площадь, м²", "Доля", "Голосов, м²"]
        + [f"Вопрос {q.position}" for q in questions]
        + ["Способ", "SHA-256 скана"]
    )
    for holder, premise in holders:
        mine = decisions.get(holder.person_ref)
        if not mine:
            continue
        share = Fraction(holder.share_numerator, holder.share_denominator)
        channels = sorted({CHANNELS[d.channel] for d in mine.values()})
        scans = sorted({d.scan_sha256 for d in mine.values() if d.scan_sha256})
        writer.writerow(
            [
                registry_name(holder),
                holder.person_ref,
                premise.number,
                str(Decimal(premise.area_m2)),
                f"{share.numerator}/{share.denominator}",
                _votes_text(owner_votes(Decimal(premise.area_m2), share)),
            ]
            + [DECISIONS[mine[q.id].choice] if q.id in mine else "" for q in questions]
            + ["; ".join(channels), " ".join(scans)]
        )
    return "\ufeff" + out.getvalue()


def initiator_name(kind: str) -> str:
    """The Russian name of an initiator kind."""
    return INITIATOR_ROLES.get(kind, kind)


def topic_name(topic: str) -> str:
    """The Russian name of an agenda topic."""
    return TOPICS.get(topic, topic)
