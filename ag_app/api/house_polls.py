"""«Электронный дом» house polls and informings over the REST API (for the logged-in resident).

Status codes: taking part 201; already taken part 409; not in the audience or not open 403;
an invalid answer, rating, apartment or comment 422; a poll hidden from the caller 404; a guest 401.
No response names who took part.
"""

from datetime import datetime

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, Field
from sqlmodel import Session

from ag_app.api.deps import actor_id, clock, db, writes
from ag_app.api.params import Id
from ag_app.services import house_polls
from ag_app.services.house_polls.views import HousePollDetail, HousePollSummary, ParticipationOutcome

router = APIRouter(tags=["Электронный дом"])


class HouseAnswerIn(BaseModel):
    """The chosen options of one question."""

    question_id: Id
    option_ids: list[Id] = Field(default_factory=list, max_length=100)


class ParticipationIn(BaseModel):
    """Answers to every question of a poll, or the rating of an informing («like» / «dislike»);
    optionally the apartment number and a comment, seen only by the initiator."""

    answers: list[HouseAnswerIn] = Field(default_factory=list, max_length=50)
    rating: str = Field(default="", max_length=20)
    apartment: str = Field(default="", max_length=100)
    comment: str = Field(default="", max_length=10000)


@router.get("/house-polls")
def list_house_polls(
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> list[HousePollSummary]:
    """House polls and informings of the caller's houses whose audience the caller belongs to."""
    return house_polls.list_house_polls(session, actor_id=actor, now=now)


# Opening a finished poll publishes its final results if the job has not yet.
@writes
@router.get("/house-polls/{poll_id}")
def get_house_poll(
    poll_id: Id,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> HousePollDetail:
    """A house poll with its questions, whether the caller may take part and the visible results."""
    return house_polls.get_house_poll(session, actor_id=actor, poll_id=poll_id, now=now)


@router.post("/house-polls/{poll_id}/participation", status_code=status.HTTP_201_CREATED)
def participate(
    poll_id: Id,
    body: ParticipationIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> ParticipationOutcome:
    """Take part once, anonymously; the intermediate results come back."""
    return house_polls.participate(
        session,
        actor_id=actor,
        poll_id=poll_id,
        answers=[house_polls.AnswerInput(a.question_id, list(a.option_ids)) for a in body.answers],
        rating=body.rating,
        apartment=body.apartment,
        comment=body.comment,
        now=now,
    )
