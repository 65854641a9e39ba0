"""Decisions: an owner votes online, staff enter paper decisions, refused decisions are listed."""

from collections.abc import Mapping
from datetime import datetime

from sqlmodel import Session, col, select

from ag_app.domain.clock import as_utc
from ag_app.domain.errors import InvalidInput, NotAllowed, NotFound
from ag_app.domain.form_check import FormCheck
from ag_app.domain.meetings import DECISIONS, normalize_scan_hash
from ag_app.domain.roles import Capability
from ag_app.i18n import message
from ag_app.models import MeetingQuestion, MeetingRejection, Premise, PremiseHolder, User
from ag_app.services.access import active_user, require
from ag_app.services.meetings._common import (
    _clean_choices,
    _insert_decisions,
    _meeting,
    _open_for_decisions,
    _owner_refs,
    _questions,
)
from ag_app.services.meetings.views import CHANNELS, DecisionOutcome, PremiseOwner, RejectionView


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
    require(session, actor_id, Capability.MEETINGS_MANAGE)
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
        NotFound: no such meeting, or (the only problem) the person does not own that premise.
        FormProblems: a malformed scan hash, no choice, an unknown question or choice, an unknown
            owner — every problem at once, naming «scan», «owner» and «choices».
    """
    staff = require(session, actor_id, Capability.MEETINGS_MANAGE)
    meeting = _meeting(session, meeting_id)
    _open_for_decisions(meeting, now)
    found = FormCheck("meeting.paper_problems")
    scan = ""
    try:
        scan = normalize_scan_hash(scan_sha256)
    except InvalidInput as error:
        found.add("scan", error.key, **error.params)
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
        found.add("owner", "meeting.owner_unknown")
    questions = _questions(session, meeting_id)
    clean: dict[int, str] = {}
    try:
        clean = _clean_choices(questions, choices)
    except InvalidInput as error:
        found.add("choices", error.key, **error.params)
    if owner is None and len(found.items) == 1:
        raise NotFound("meeting.owner_unknown")  # alone, still «not found»
    found.done()
    if owner is None:  # unreachable: found.done() raised; keeps the type narrow
        raise NotFound("meeting.owner_unknown")
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
    require(session, actor_id, Capability.MEETINGS_MANAGE)
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
