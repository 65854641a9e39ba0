"""Saving a ballot's progress as a draft and reading it back."""

import json
from datetime import datetime

from sqlmodel import Session, select

from ag_app.db import reads
from ag_app.domain.polls import AnswerInput, validate_answers
from ag_app.models import BallotDraft
from ag_app.services.access import active_user
from ag_app.services.ballots.complete import _open_poll_for


def save_draft(
    session: Session, *, actor_id: int | None, poll_id: int, answers: list[AnswerInput], now: datetime
) -> None:
    """Save unfinished answers (they count for nothing until the ballot is completed).

    Answers are checked like a ballot except that questions may still be unanswered.
    """
    user, poll, questions = _open_poll_for(session, actor_id=actor_id, poll_id=poll_id, now=now)
    clean = validate_answers(questions, answers, complete=False)
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


@reads
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
