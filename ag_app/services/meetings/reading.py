"""Reading meetings: the user's and all meetings, the live meter and a meeting's page."""

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from ag_app.domain.clock import as_utc
from ag_app.domain.meetings import meeting_state
from ag_app.domain.roles import Capability
from ag_app.models import Meeting, MeetingDecision, MeetingQuestion
from ag_app.services.access import active_user, require
from ag_app.services.meetings._common import _house_facts, _meeting, _owner_refs, _questions, _why_cannot_vote
from ag_app.services.meetings.counting import _meter, _tally
from ag_app.services.meetings.filing import _user_house_ids
from ag_app.services.meetings.protocol import _make_protocol
from ag_app.services.meetings.views import STATE_NAMES, MeetingMeter, MeetingSummary, MeetingView


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
    require(session, actor_id, Capability.MEETINGS_MANAGE)
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
