"""Completing a ballot (SPEC §2.4) and saving progress.

A ballot is completed in one transaction: the voter's row is locked, eligibility and answers are
checked, the ballot and its answers are written, the poll's points are credited once and the
poll's ballot counter is incremented. The unique key (poll, user) makes a second ballot
impossible under any concurrency; the statements are plain Core inserts/updates to keep the hot
path lean.
"""

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, update
from sqlalchemy.exc import IntegrityError, NoResultFound
from sqlmodel import Session, select

from ag_app.domain.errors import Conflict, NotAllowed, NotAuthenticated, NotFound
from ag_app.domain.polls import AnswerInput, validate_answers, why_cannot_vote
from ag_app.models import Ballot, BallotAnswer, BallotDraft, Poll, User
from ag_app.services import ledger
from ag_app.services.access import active_user, lock_user
from ag_app.services.polls import (
    PollResults,
    audience_of,
    count_results,
    is_poll_staff,
    load_questions,
    load_territories,
    load_voter,
)

__all__ = ["AnswerInput", "BallotOutcome", "complete_ballot", "get_draft", "save_draft"]


@dataclass(frozen=True)
class BallotOutcome:
    """A completed ballot: its id, the points credited and the intermediate results (None if hidden)."""

    ballot_id: int
    points_credited: int
    results: PollResults | None


def _open_poll_for(
    session: Session, *, actor_id: int | None, poll_id: int, now: datetime
) -> tuple[User, Poll]:
    """Lock the voter, load the poll and refuse when the voter may not vote in it now.

    Returns the user and the poll. Drafts are hidden (NotFound) from everybody but staff, who get
    «not published»; a second ballot is a Conflict; other reasons are NotAllowed with the reason.
    """
    if actor_id is None:
        raise NotAuthenticated("auth.required")
    try:
        lock_user(session, actor_id)
    except NoResultFound as exc:
        raise NotAuthenticated("auth.required") from exc
    user = active_user(session, actor_id)
    poll = session.get(Poll, poll_id)
    if poll is None or (poll.published_at is None and not is_poll_staff(session, user)):
        raise NotFound("poll.not_found")
    territory = load_territories(session, [poll])[poll.id]
    refusal = why_cannot_vote(audience_of(poll, territory), load_voter(session, user, poll), now=now)
    if refusal is not None:
        if refusal.key == "poll.already_voted":
            raise Conflict(refusal.key)
        raise NotAllowed(refusal.key, **refusal.params)
    return user, poll


def complete_ballot(
    session: Session,
    *,
    actor_id: int | None,
    poll_id: int,
    answers: list[AnswerInput],
    now: datetime,
    with_results: bool = True,
) -> BallotOutcome:
    """Complete the actor's ballot («Завершить голосование»): final, once, with the poll's points.

    Every question must be answered by the rules of :func:`ag_app.domain.polls.validate_answers`.
    The ballot records the region of the voter's phone number for the Moscow / other split; the
    saved draft is deleted. ``with_results=False`` skips counting the intermediate results (for
    callers that show them separately).

    Raises:
        NotAuthenticated: a guest.
        NotFound: no such (published) poll.
        NotAllowed: the voter may not vote in this poll now (the message says why).
        Conflict: the voter has already voted («poll.already_voted»), even when two requests race.
        InvalidInput: an answer is missing or invalid.
    """
    user, poll = _open_poll_for(session, actor_id=actor_id, poll_id=poll_id, now=now)
    questions = load_questions(session, poll.id)
    clean = validate_answers(questions, answers)
    try:
        with session.begin_nested():
            ballot_id = session.exec(
                insert(Ballot)
                .values(poll_id=poll.id, user_id=user.id, completed_at=now, number_region=user.phone_region)
                .returning(Ballot.id)
            ).scalar_one()
    except IntegrityError as exc:
        raise Conflict("poll.already_voted") from exc
    own_options = {o.id for q in questions for o in q.options if o.is_own_text}
    session.exec(
        insert(BallotAnswer),
        params=[
            {
                "ballot_id": ballot_id,
                "question_id": answer.question_id,
                "option_id": option_id,
                "own_text": answer.own_text if option_id in own_options else "",
            }
            for answer in clean
            for option_id in answer.option_ids
        ],
    )
    credited = ledger.credit(
        session,
        user_id=user.id,
        amount=poll.points,
        reason="poll",
        ref=f"poll:{poll.id}",
        description=f"Голосование «{poll.title}»",
        now=now,
    )
    session.exec(delete(BallotDraft).where(BallotDraft.poll_id == poll.id, BallotDraft.user_id == user.id))
    session.exec(update(Poll).where(Poll.id == poll.id).values(ballots_count=Poll.ballots_count + 1))
    results = None
    if with_results and not poll.hide_intermediate:
        results = count_results(session, poll.id, questions, final=False)
    return BallotOutcome(ballot_id=ballot_id, points_credited=poll.points if credited else 0, results=results)


def save_draft(
    session: Session, *, actor_id: int | None, poll_id: int, answers: list[AnswerInput], now: datetime
) -> None:
    """Save unfinished answers (they count for nothing until the ballot is completed).

    Answers are checked like a ballot except that questions may still be unanswered.
    """
    user, poll = _open_poll_for(session, actor_id=actor_id, poll_id=poll_id, now=now)
    clean = validate_answers(load_questions(session, poll.id), answers, complete=False)
    payload = json.dumps(
        {str(a.question_id): {"option_ids": a.option_ids, "own_text": a.own_text} for a in clean},
        ensure_ascii=False,
    )
    draft = session.exec(
        select(BallotDraft).where(BallotDraft.poll_id == poll.id, BallotDraft.user_id == user.id)
    ).first()
    if draft is None:
        draft = BallotDraft(poll_id=poll.id, user_id=user.id, answers_json=payload, updated_at=now)
    else:
        draft.answers_json = payload
        draft.updated_at = now
    session.add(draft)
    session.flush()


def get_draft(session: Session, *, actor_id: int | None, poll_id: int) -> list[AnswerInput]:
    """The saved unfinished answers of the actor in a poll (empty when nothing is saved)."""
    user = active_user(session, actor_id)
    raw = session.exec(
        select(BallotDraft.answers_json).where(BallotDraft.poll_id == poll_id, BallotDraft.user_id == user.id)
    ).first()
    if not raw:
        return []
    data = json.loads(raw)
    return [
        AnswerInput(
            question_id=int(question_id),
            option_ids=[int(o) for o in answer.get("option_ids", [])],
            own_text=str(answer.get("own_text", "")),
        )
        for question_id, answer in data.items()
    ]
