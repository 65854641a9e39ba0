"""Staff lifecycle of a poll: create, edit, publish, close, and the staff list of polls."""

from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, func, select

from ag_app.db import reads
from ag_app.domain.clock import as_utc
from ag_app.domain.errors import Conflict, InvalidInput, NotFound
from ag_app.domain.poll_actions import PollAction, allows
from ag_app.domain.polls import STATE_NAMES, PollInput, validate_poll
from ag_app.domain.roles import Capability
from ag_app.models import BallotDraft, District, ExpertOpinion, Okrug, Option, Poll, PollTerritory, Question
from ag_app.services.access import require
from ag_app.services.polls.eligibility import _summary_fields, load_territories, state_of
from ag_app.services.polls.views import PollSummary


def _locked_poll(session: Session, poll_id: int) -> Poll:
    """The poll row locked for a lifecycle change (two staff clicks cannot both pass the state check)."""
    poll = session.exec(select(Poll).where(Poll.id == poll_id).with_for_update()).first()
    if poll is None:
        raise NotFound("poll.not_found")
    return poll


def _check_territory_ids(session: Session, data: PollInput) -> None:
    if data.okrug_ids:
        found = session.exec(
            select(func.count()).select_from(Okrug).where(Okrug.id.in_(data.okrug_ids))
        ).one()
        if found != len(data.okrug_ids):
            raise InvalidInput("poll.territory_unknown")
    if data.district_ids:
        found = session.exec(
            select(func.count()).select_from(District).where(District.id.in_(data.district_ids))
        ).one()
        if found != len(data.district_ids):
            raise InvalidInput("poll.territory_unknown")


def _write_contents(session: Session, poll: Poll, data: PollInput) -> None:
    """Write territory, experts, questions and options of a (validated) poll."""
    for okrug_id in data.okrug_ids:
        session.add(PollTerritory(poll_id=poll.id, okrug_id=okrug_id))
    for district_id in data.district_ids:
        session.add(PollTerritory(poll_id=poll.id, district_id=district_id))
    for position, expert in enumerate(data.experts, start=1):
        session.add(
            ExpertOpinion(
                poll_id=poll.id, position=position, name=expert.name, title=expert.title, text=expert.text
            )
        )
    for position, question_input in enumerate(data.questions, start=1):
        question = Question(
            poll_id=poll.id,
            position=position,
            text=question_input.text,
            kind=question_input.kind,
            max_choices=question_input.max_choices,
        )
        session.add(question)
        session.flush()
        for option_position, option in enumerate(question_input.options, start=1):
            session.add(
                Option(
                    question_id=question.id,
                    position=option_position,
                    text=option.text,
                    is_own_text=option.is_own_text,
                    is_exclusive=option.is_exclusive,
                )
            )
    session.flush()


def _apply_fields(poll: Poll, data: PollInput) -> None:
    poll.title = data.title
    poll.summary = data.summary
    poll.details = data.details
    poll.image_url = data.image_url
    poll.scope = data.scope
    poll.include_work_address = data.include_work_address
    poll.min_level = data.min_level
    poll.children_age_min = data.children_age_min
    poll.children_age_max = data.children_age_max
    poll.starts_at = as_utc(data.starts_at)
    poll.ends_at = as_utc(data.ends_at)
    poll.points = data.points if data.points is not None else 0
    poll.hide_intermediate = data.hide_intermediate


def create_poll(session: Session, *, actor_id: int | None, data: PollInput, now: datetime) -> int:
    """Create a draft poll from what staff entered (SPEC §2.1); returns its id.

    Raises:
        NotAllowed: the actor is not city staff.
        InvalidInput: a rule of :func:`ag_app.domain.polls.validate_poll` is broken.
    """
    staff = require(session, actor_id, Capability.POLLS_MANAGE)
    data = validate_poll(data)
    _check_territory_ids(session, data)
    poll = Poll(
        title=data.title,
        starts_at=as_utc(data.starts_at),
        ends_at=as_utc(data.ends_at),
        created_by=staff.id,
        created_at=now,
    )
    _apply_fields(poll, data)
    session.add(poll)
    session.flush()
    _write_contents(session, poll, data)
    return poll.id


def update_poll(
    session: Session, *, actor_id: int | None, poll_id: int, data: PollInput, now: datetime
) -> None:
    """Replace everything in a draft poll (questions and options are written anew).

    Raises:
        Conflict: the poll is already published.
    """
    require(session, actor_id, Capability.POLLS_MANAGE)
    poll = _locked_poll(session, poll_id)
    state = state_of(poll, now)
    if not allows(state, PollAction.EDIT):
        raise Conflict("poll.state_invalid", state=STATE_NAMES[state])
    data = validate_poll(data)
    _check_territory_ids(session, data)
    question_ids = select(Question.id).where(Question.poll_id == poll.id)
    session.exec(delete(Option).where(Option.question_id.in_(question_ids)))
    session.exec(delete(Question).where(Question.poll_id == poll.id))
    session.exec(delete(ExpertOpinion).where(ExpertOpinion.poll_id == poll.id))
    session.exec(delete(PollTerritory).where(PollTerritory.poll_id == poll.id))
    session.exec(delete(BallotDraft).where(BallotDraft.poll_id == poll.id))
    _apply_fields(poll, data)
    session.add(poll)
    session.flush()
    _write_contents(session, poll, data)


def publish_poll(session: Session, *, actor_id: int | None, poll_id: int, now: datetime) -> None:
    """Publish a draft: it becomes visible and opens for voting at its start.

    Raises:
        Conflict: the poll is not a draft.
        InvalidInput: its end has already passed.
    """
    require(session, actor_id, Capability.POLLS_MANAGE)
    poll = _locked_poll(session, poll_id)
    state = state_of(poll, now)
    if not allows(state, PollAction.PUBLISH):
        raise Conflict("poll.state_invalid", state=STATE_NAMES[state])
    if as_utc(poll.ends_at) <= as_utc(now):
        raise InvalidInput("poll.ends_in_past")
    poll.published_at = now
    session.add(poll)
    session.flush()


def close_poll(session: Session, *, actor_id: int | None, poll_id: int, now: datetime) -> None:
    """Close a scheduled or active poll before its end; no ballot is accepted afterwards.

    Raises:
        Conflict: the poll is a draft or already finished.
    """
    require(session, actor_id, Capability.POLLS_MANAGE)
    poll = _locked_poll(session, poll_id)
    state = state_of(poll, now)
    if not allows(state, PollAction.CLOSE):
        raise Conflict("poll.state_invalid", state=STATE_NAMES[state])
    poll.closed_at = now
    session.add(poll)
    session.flush()


@reads
def staff_polls(session: Session, *, actor_id: int | None, now: datetime) -> list[PollSummary]:
    """Every poll including drafts, newest first, for the staff console."""
    require(session, actor_id, Capability.POLLS_MANAGE)
    polls = session.exec(select(Poll).order_by(Poll.created_at.desc(), Poll.id.desc())).all()
    territories = load_territories(session, polls)
    return [PollSummary(**_summary_fields(p, territories[p.id], voted=False, now=now)) for p in polls]
