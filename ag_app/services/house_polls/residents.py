"""Residents: the house polls of their houses, a poll's page and anonymous participation."""

import secrets
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from ag_app.domain.clock import as_utc
from ag_app.domain.errors import Conflict, InvalidInput, NotAllowed, NotFound
from ag_app.domain.house_polls import KINDS, STATUSES, check_rating, clean_participation, in_audience
from ag_app.domain.polls import AnswerInput, validate_answers
from ag_app.i18n import message
from ag_app.models import (
    HousePoll,
    HousePollChoice,
    HousePollOption,
    HousePollParticipant,
    HousePollResponse,
    User,
)
from ag_app.services.access import active_user
from ag_app.services.holdings import roles_in_house
from ag_app.services.house_polls._common import (
    _addresses,
    _audience_keys,
    _audience_names,
    _has_participated,
    _home_house_ids,
    _question_specs,
    _questions,
    _results,
    _status_of,
)
from ag_app.services.house_polls.publishing import _publish_results
from ag_app.services.house_polls.views import HousePollDetail, HousePollSummary, ParticipationOutcome


def _summary_fields(poll: HousePoll, address: str, *, participated: bool, now: datetime) -> dict:
    state = _status_of(poll, now)
    return {
        "id": poll.id,
        "house_id": poll.house_id,
        "address": address,
        "kind": poll.kind,
        "kind_name": KINDS[poll.kind],
        "title": poll.title,
        "starts_at": as_utc(poll.starts_at),
        "ends_at": as_utc(poll.ends_at),
        "status": state,
        "status_name": STATUSES[state],
        "participated": participated,
        "participants": poll.participants_count,
    }


def list_house_polls(session: Session, *, actor_id: int | None, now: datetime) -> list[HousePollSummary]:
    """Approved house polls and informings of the actor's houses whose audience the actor belongs
    to (SPEC §6.4): open ones first (by end), then scheduled, then finished (newest first)."""
    user = active_user(session, actor_id)
    house_ids = _home_house_ids(session, user.id)
    if not house_ids:
        return []
    polls = session.exec(
        select(HousePoll).where(col(HousePoll.house_id).in_(house_ids), HousePoll.decision == "approved")
    ).all()
    roles = {house_id: roles_in_house(session, user.id, house_id) for house_id in house_ids}
    visible = [p for p in polls if in_audience(_audience_keys(p), roles[p.house_id])]
    taken = set(
        session.exec(
            select(HousePollParticipant.poll_id).where(
                HousePollParticipant.user_id == user.id,
                col(HousePollParticipant.poll_id).in_([p.id for p in visible]),
            )
        ).all()
    )
    addresses = _addresses(session, (p.house_id for p in visible))
    summaries = [
        HousePollSummary(
            **_summary_fields(p, addresses.get(p.house_id, ""), participated=p.id in taken, now=now)
        )
        for p in visible
    ]
    order = {"active": 0, "scheduled": 1, "finished": 2}

    def key(s: HousePollSummary) -> tuple:
        ends = s.ends_at.timestamp()
        return (order[s.status], -ends if s.status == "finished" else ends, s.id)

    return sorted(summaries, key=key)


def _visible_poll(session: Session, user: User, poll_id: int) -> tuple[HousePoll, bool]:
    """An approved poll the user may see — in its audience, or its initiator — and whether the user
    is in the audience. Anything else is «не найдено»."""
    poll = session.get(HousePoll, poll_id)
    if poll is None or poll.decision != "approved":
        raise NotFound("house_poll.not_found")
    member = in_audience(_audience_keys(poll), roles_in_house(session, user.id, poll.house_id))
    if not member and poll.initiator_id != user.id:
        raise NotFound("house_poll.not_found")
    return poll, member


def get_house_poll(session: Session, *, actor_id: int | None, poll_id: int, now: datetime) -> HousePollDetail:
    """A house poll's page for a member of its audience (or its initiator).

    Intermediate results are shown after taking part; final results after the end; the initiator
    sees them always. Opening a finished poll publishes its final results if the job has not yet.

    Raises:
        NotFound: no such approved poll, or the actor is neither in its audience nor its initiator.
    """
    user = active_user(session, actor_id)
    poll, member = _visible_poll(session, user, poll_id)
    state = _status_of(poll, now)
    if state == "finished" and poll.results_published_at is None:
        _publish_results(session, poll.id, now)
        session.refresh(poll)
    participated = _has_participated(session, poll.id, user.id)
    questions = _questions(session, poll.id)
    reason = ""
    if participated:
        reason = "house_poll.already_participated"
    elif not member:
        reason = "house_poll.not_in_audience"
    elif state != "active":
        reason = "house_poll.not_started" if state == "scheduled" else "house_poll.finished"
    show_results = participated or state == "finished" or poll.initiator_id == user.id
    return HousePollDetail(
        **_summary_fields(
            poll,
            _addresses(session, [poll.house_id]).get(poll.house_id, ""),
            participated=participated,
            now=now,
        ),
        message=poll.message,
        audience_names=_audience_names(poll),
        questions=questions,
        can_participate=not reason,
        cannot_participate_reason=message(reason) if reason else "",
        results=_results(session, poll, questions, now) if show_results else None,
    )


def _insert_participant(session: Session, poll_id: int, user_id: int) -> bool:
    """Record that the user took part; False when they already had (the unique key decides, even
    between racing transactions)."""
    dialect = session.connection().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    inserted = session.execute(
        insert(HousePollParticipant)
        .values(poll_id=poll_id, user_id=user_id)
        .on_conflict_do_nothing()
        .returning(HousePollParticipant.id)
    ).first()
    return inserted is not None


def participate(
    session: Session,
    *,
    actor_id: int | None,
    poll_id: int,
    answers: Sequence[AnswerInput] = (),
    rating: str = "",
    apartment: str = "",
    comment: str = "",
    now: datetime,
) -> ParticipationOutcome:
    """Take part once in an open house poll (every question answered by the rules of
    :func:`ag_app.domain.polls.validate_answers`) or informing (``rating`` «like» / «dislike»),
    optionally with the apartment number and a comment for the initiator (SPEC §6.4).

    The response is written without the user; only the fact of taking part is kept with them.

    Raises:
        NotFound: no such approved poll visible to the actor.
        NotAllowed: the actor is not in its audience, or it is not open now.
        Conflict: the actor already took part («house_poll.already_participated»), even when two
            requests race.
        InvalidInput: an answer, the rating, the apartment or the comment is invalid.
    """
    user = active_user(session, actor_id)
    poll, member = _visible_poll(session, user, poll_id)
    if not member:
        raise NotAllowed("house_poll.not_in_audience")
    state = _status_of(poll, now)
    if state == "scheduled":
        raise NotAllowed("house_poll.not_started")
    if state != "active":
        raise NotAllowed("house_poll.finished")
    if _has_participated(session, poll.id, user.id):
        raise Conflict("house_poll.already_participated")
    questions = _questions(session, poll.id)
    if poll.kind == "informing":
        if answers:
            raise InvalidInput("house_poll.rating_invalid")
        chosen_rating = check_rating(rating)
        chosen_options: list[int] = []
    else:
        if rating:
            raise InvalidInput("house_poll.rating_not_expected")
        chosen_rating = ""
        clean = validate_answers(_question_specs(questions), list(answers))
        chosen_options = [option_id for answer in clean for option_id in answer.option_ids]
    apartment_text, comment_text = clean_participation(apartment=apartment, comment=comment)
    if not _insert_participant(session, poll.id, user.id):
        raise Conflict("house_poll.already_participated")
    response = HousePollResponse(
        id=secrets.token_hex(16),
        poll_id=poll.id,
        rating=chosen_rating,
        apartment=apartment_text,
        comment=comment_text,
    )
    session.add(response)
    session.flush()
    session.add_all(
        HousePollChoice(response_id=response.id, option_id=option_id) for option_id in chosen_options
    )
    counters = {"participants_count": HousePoll.participants_count + 1}
    if chosen_rating == "like":
        counters["likes"] = HousePoll.likes + 1
    elif chosen_rating == "dislike":
        counters["dislikes"] = HousePoll.dislikes + 1
    # The poll row first (it also refuses a poll that ended meanwhile), then the options in id
    # order: concurrent participations take the row locks in one order.
    counted = session.execute(
        update(HousePoll)
        .where(col(HousePoll.id) == poll.id, col(HousePoll.ends_at) > now)
        .values(counters)
        .execution_options(synchronize_session=False)
    )
    if counted.rowcount != 1:
        raise NotAllowed("house_poll.finished")
    if chosen_options:
        session.execute(
            update(HousePollOption)
            .where(col(HousePollOption.id).in_(sorted(chosen_options)))
            .values(votes=HousePollOption.votes + 1)
            .execution_options(synchronize_session=False)
        )
    session.flush()
    session.refresh(poll)
    return ParticipationOutcome(results=_results(session, poll, questions, now))
