"""The initiator's side: the houses they may file for, filing an application, their applications."""

from datetime import datetime

from sqlmodel import Session, col, select

from ag_app.domain.clock import as_utc
from ag_app.domain.errors import NotAllowed, NotFound
from ag_app.domain.house_polls import (
    AUDIENCES,
    INITIATOR_ROLES,
    KINDS,
    REFUSAL_REASONS,
    STATUSES,
    HousePollInput,
    moderation_deadline,
    validate_application,
    why_cannot_apply,
)
from ag_app.models import House, HouseOrganisation, HousePoll, HousePollOption, HousePollQuestion
from ag_app.services.access import active_user
from ag_app.services.house_polls._common import (
    _addresses,
    _home_house_ids,
    _initiator_roles_in,
    _level,
    _notes,
    _questions,
    _results,
    _status_of,
)
from ag_app.services.house_polls.views import HouseChoice, InitiatorApplication


def houses_for_application(session: Session, *, actor_id: int | None) -> list[HouseChoice]:
    """Houses the actor holds an initiator role in (SPEC §6.1), by address.

    The level is not checked here (filing refuses a level below 3 with the reason).
    """
    user = active_user(session, actor_id)
    house_ids = _home_house_ids(session, user.id)
    house_ids.update(
        session.exec(select(HouseOrganisation.house_id).where(HouseOrganisation.user_id == user.id)).all()
    )
    addresses = _addresses(session, house_ids)
    choices = []
    for house_id in house_ids:
        roles = _initiator_roles_in(session, user.id, house_id)
        if roles:
            ordered = [role for role in INITIATOR_ROLES if role in roles]
            choices.append(
                HouseChoice(
                    house_id, addresses.get(house_id, ""), ordered, [INITIATOR_ROLES[r] for r in ordered]
                )
            )
    return sorted(choices, key=lambda c: (c.address, c.house_id))


def file_application(
    session: Session,
    *,
    actor_id: int | None,
    house_id: int,
    data: HousePollInput,
    role: str = "",
    now: datetime,
) -> int:
    """File a house poll or informing for moderation (SPEC §6.1–6.3); returns its id.

    The actor must hold an initiator role in the house and identification level 3; ``role`` names
    the role they apply as (by default the first of theirs in the order of
    :data:`~ag_app.domain.house_polls.INITIATOR_ROLES`). The moderator's deadline is 5 working
    days on the production calendar.

    Raises:
        NotFound: no such house.
        NotAllowed: the actor may not apply for this house (the message says why).
        FormProblems: rules of :func:`ag_app.domain.house_polls.validate_application` are broken
            (every one listed, the form fields named); nothing is saved.
    """
    user = active_user(session, actor_id)
    if session.get(House, house_id) is None:
        raise NotFound("house_poll.house_not_found")
    roles = _initiator_roles_in(session, user.id, house_id)
    refusal = why_cannot_apply(level=_level(session, user), roles=roles)
    if refusal is not None:
        raise NotAllowed(refusal.key, **refusal.params)
    if role and role not in roles:
        raise NotAllowed("house_poll.not_authorised")
    chosen_role = role or next(r for r in INITIATOR_ROLES if r in roles)
    clean = validate_application(data, now=now)
    poll = HousePoll(
        house_id=house_id,
        kind=clean.kind,
        title=clean.title,
        message=clean.message,
        audience=",".join(key for key in AUDIENCES if key in clean.audience),
        starts_at=as_utc(clean.starts_at),
        ends_at=as_utc(clean.ends_at),
        initiator_id=user.id,
        initiator_role=chosen_role,
        filed_at=now,
        moderation_due_at=moderation_deadline(now),
    )
    session.add(poll)
    session.flush()
    for position, question_input in enumerate(clean.questions, start=1):
        question = HousePollQuestion(
            poll_id=poll.id, position=position, text=question_input.text, kind=question_input.kind
        )
        session.add(question)
        session.flush()
        for option_position, text in enumerate(question_input.options, start=1):
            session.add(HousePollOption(question_id=question.id, position=option_position, text=text))
    session.flush()
    return poll.id


def my_applications(session: Session, *, actor_id: int | None, now: datetime) -> list[InitiatorApplication]:
    """The actor's applications, newest first: status and refusal reasons; for approved ones the
    results, the number of participants and the apartments and comments — never who took part."""
    user = active_user(session, actor_id)
    polls = session.exec(
        select(HousePoll)
        .where(HousePoll.initiator_id == user.id)
        .order_by(col(HousePoll.filed_at).desc(), col(HousePoll.id).desc())
    ).all()
    addresses = _addresses(session, (p.house_id for p in polls))
    applications = []
    for poll in polls:
        state = _status_of(poll, now)
        approved = poll.decision == "approved"
        applications.append(
            InitiatorApplication(
                id=poll.id,
                address=addresses.get(poll.house_id, ""),
                kind=poll.kind,
                kind_name=KINDS[poll.kind],
                title=poll.title,
                starts_at=as_utc(poll.starts_at),
                ends_at=as_utc(poll.ends_at),
                status=state,
                status_name=STATUSES[state],
                filed_at=as_utc(poll.filed_at),
                due_at=as_utc(poll.moderation_due_at),
                decided_at=as_utc(poll.decided_at) if poll.decided_at else None,
                refusal_reasons=[REFUSAL_REASONS[k] for k in poll.refusal_reasons.split(",") if k],
                participants=poll.participants_count,
                results=_results(session, poll, _questions(session, poll.id), now) if approved else None,
                notes=_notes(session, poll.id) if approved else [],
            )
        )
    return applications
