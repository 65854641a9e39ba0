"""City and district polls, results, news and headline figures over the REST API.

Status codes: a completed ballot 201; already voted 409; not eligible 403 (the detail says why);
an incomplete or invalid ballot 422; a poll hidden from the caller or results not yet published
404; staff routes called by a resident 403.
"""

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Depends, Query, Response, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field, TypeAdapter
from sqlmodel import Session

from ag_app.api.deps import actor_id, clock, db
from ag_app.api.params import Count, Id, Limit
from ag_app.domain.clock import MOSCOW
from ag_app.services import ballots, polls, stats
from ag_app.services.ballots.complete import BallotOutcome
from ag_app.services.polls.views import NewsView, PastPoll, PollDetail, PollResults, PollSummary
from ag_app.services.snapshots import ColdCache
from ag_app.services.stats import Headline

router = APIRouter(tags=["Голосования"])


class AnswerIn(BaseModel):
    """An answer: the chosen option ids and, for «Свой вариант», the text (up to 500 characters)."""

    question_id: Id
    option_ids: list[Id] = Field(default_factory=list, max_length=100)
    own_text: str = Field(default="", max_length=10000)


class BallotIn(BaseModel):
    """Answers to every question of the poll, in order."""

    answers: list[AnswerIn] = Field(max_length=200)


class OptionIn(BaseModel):
    """An answer option; «Свой вариант» has ``is_own_text``, «Затрудняюсь ответить» ``is_exclusive``."""

    text: str = Field(max_length=2000)
    is_own_text: bool = False
    is_exclusive: bool = False


class QuestionIn(BaseModel):
    """A question: «single» or «multiple» choice (with ``max_choices``) and its options in order."""

    text: str = Field(max_length=4000)
    kind: str = Field(default="single", max_length=10)
    max_choices: Count = 1
    options: list[OptionIn] = Field(max_length=100)


class ExpertIn(BaseModel):
    """An expert opinion."""

    name: str = Field(max_length=1000)
    title: str = Field(default="", max_length=1000)
    text: str = Field(max_length=20000)


class PollIn(BaseModel):
    """A poll as staff enter it (SPEC §2.1). Times without a zone are Moscow time."""

    title: str = Field(max_length=2000)
    summary: str = Field(default="", max_length=5000)
    details: str = Field(default="", max_length=100000)
    image_url: str = Field(default="", max_length=2000)
    scope: str = Field(default="city", max_length=20)
    okrug_ids: list[Id] = Field(default_factory=list, max_length=200)
    district_ids: list[Id] = Field(default_factory=list, max_length=500)
    include_work_address: bool = False
    min_level: Count = 1
    children_age_min: Count | None = None
    children_age_max: Count | None = None
    starts_at: datetime
    ends_at: datetime
    points: Count | None = None
    hide_intermediate: bool = False
    experts: list[ExpertIn] = Field(default_factory=list, max_length=50)
    questions: list[QuestionIn] = Field(default_factory=list, max_length=100)


class DecisionIn(BaseModel):
    """A decision on a poll's result: «adopted» («Решение принято») or «implemented» («Реализовано»)."""

    text: str = Field(max_length=20000)
    status: str = Field(default="adopted", max_length=20)


class DecisionStatusIn(BaseModel):
    """The new status of a decision."""

    status: str = Field(max_length=20)


class IdOut(BaseModel):
    """The id of what was created or changed."""

    id: int


def _moscow_aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=MOSCOW) if moment.tzinfo is None else moment


def _poll_input(body: PollIn) -> polls.PollInput:
    return polls.PollInput(
        title=body.title,
        summary=body.summary,
        details=body.details,
        image_url=body.image_url,
        scope=body.scope,
        okrug_ids=list(body.okrug_ids),
        district_ids=list(body.district_ids),
        include_work_address=body.include_work_address,
        min_level=body.min_level,
        children_age_min=body.children_age_min,
        children_age_max=body.children_age_max,
        starts_at=_moscow_aware(body.starts_at),
        ends_at=_moscow_aware(body.ends_at),
        points=body.points,
        hide_intermediate=body.hide_intermediate,
        experts=[polls.ExpertInput(name=e.name, title=e.title, text=e.text) for e in body.experts],
        questions=[
            polls.QuestionInput(
                text=q.text,
                kind=q.kind,
                max_choices=q.max_choices,
                options=[polls.OptionInput(o.text, o.is_own_text, o.is_exclusive) for o in q.options],
            )
            for q in body.questions
        ],
    )


def _answers(body: BallotIn) -> list[ballots.AnswerInput]:
    return [ballots.AnswerInput(a.question_id, list(a.option_ids), a.own_text) for a in body.answers]


# ----------------------------------------------------------------------------------------------
# Public and resident routes


@router.get("/polls")
def list_polls(
    poll_status: Literal["active", "closed", "all"] = Query("active", alias="status"),
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> list[PollSummary]:
    """Polls open now («active»), finished («closed») or all published ones the caller may see."""
    return polls.list_polls(session, actor_id=actor, status=poll_status, now=now)


@router.get("/polls/{poll_id}", response_model=PollDetail)
async def get_poll(
    poll_id: Id,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> Response:
    """A poll with its questions, whether the caller may vote (and why not) and visible results."""
    try:
        # The usual case — the poll's public part and results snapshot in hand, the viewer's facts
        # one or two indexed reads — runs right here on the event loop, like the actor lookup:
        # cheaper than a round trip to the thread pool.
        detail = polls.get_poll(session, actor_id=actor, poll_id=poll_id, now=now, cached_only=True)
    except ColdCache:
        # A copy must be read (once a second per poll) or a staff member reads afresh: on a thread.
        detail = await run_in_threadpool(polls.get_poll, session, actor_id=actor, poll_id=poll_id, now=now)
    # Serialised straight from the dataclass (one pass in pydantic's core) rather than validated
    # again as the response model on another thread hop and then encoded: the same JSON.
    return Response(_POLL_DETAIL.dump_json(detail), media_type="application/json")


_POLL_DETAIL = TypeAdapter(PollDetail)


@router.post("/polls/{poll_id}/ballot", status_code=status.HTTP_201_CREATED)
def complete_ballot(
    poll_id: Id,
    body: BallotIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> BallotOutcome:
    """Complete the ballot: answers to every question; credits the poll's points once."""
    return ballots.complete_ballot(session, actor_id=actor, poll_id=poll_id, answers=_answers(body), now=now)


@router.get("/polls/{poll_id}/draft")
def get_draft(
    poll_id: Id, session: Session = Depends(db, scope="function"), actor: int | None = Depends(actor_id)
) -> list[ballots.AnswerInput]:
    """The caller's saved unfinished answers."""
    return ballots.get_draft(session, actor_id=actor, poll_id=poll_id)


@router.put("/polls/{poll_id}/draft", status_code=status.HTTP_204_NO_CONTENT)
def save_draft(
    poll_id: Id,
    body: BallotIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> None:
    """Save unfinished answers (nothing counts until the ballot is completed)."""
    ballots.save_draft(session, actor_id=actor, poll_id=poll_id, answers=_answers(body), now=now)


@router.get("/polls/{poll_id}/results")
def poll_results(
    poll_id: Id,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> PollResults:
    """Published final results, overall and by Moscow / other numbers (404 before publication)."""
    return polls.poll_results(session, actor_id=actor, poll_id=poll_id, now=now, final_only=True)


@router.get("/me/polls")
def my_past_polls(
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> list[PastPoll]:
    """«Прошедшие»: polls the caller completed, with their own answers marked."""
    return polls.my_past_polls(session, actor_id=actor, now=now)


@router.get("/news")
def list_news(
    limit: Limit = 20,
    offset: Count = 0,
    session: Session = Depends(db, scope="function"),
) -> list[NewsView]:
    """«Новости»: results, decisions and campaign news, newest first."""
    return polls.list_news(session, limit=limit, offset=offset)


@router.get("/stats/summary")
def stats_summary(
    session: Session = Depends(db, scope="function"), now: datetime = Depends(clock)
) -> Headline:
    """Headline figures: citizens, polls held, decisions implemented, opinions expressed."""
    return stats.headline(session, now=now)


# ----------------------------------------------------------------------------------------------
# Staff routes (role «staff»; residents get 403)


@router.get("/staff/polls")
def staff_polls(
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> list[PollSummary]:
    """Every poll including drafts."""
    return polls.staff_polls(session, actor_id=actor, now=now)


@router.post("/staff/polls", status_code=status.HTTP_201_CREATED)
def create_poll(
    body: PollIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> IdOut:
    """Create a draft poll."""
    return IdOut(id=polls.create_poll(session, actor_id=actor, data=_poll_input(body), now=now))


@router.put("/staff/polls/{poll_id}")
def update_poll(
    poll_id: Id,
    body: PollIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> IdOut:
    """Replace a draft poll's contents."""
    polls.update_poll(session, actor_id=actor, poll_id=poll_id, data=_poll_input(body), now=now)
    return IdOut(id=poll_id)


@router.post("/staff/polls/{poll_id}/publish")
def publish_poll(
    poll_id: Id,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> IdOut:
    """Publish a draft."""
    polls.publish_poll(session, actor_id=actor, poll_id=poll_id, now=now)
    return IdOut(id=poll_id)


@router.post("/staff/polls/{poll_id}/close")
def close_poll(
    poll_id: Id,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> IdOut:
    """Close a scheduled or active poll early."""
    polls.close_poll(session, actor_id=actor, poll_id=poll_id, now=now)
    return IdOut(id=poll_id)


@router.post("/staff/polls/{poll_id}/publish-results")
def publish_results(
    poll_id: Id,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> IdOut:
    """Publish the final results of a finished poll (they appear in «Новости»)."""
    polls.publish_results(session, actor_id=actor, poll_id=poll_id, now=now)
    return IdOut(id=poll_id)


@router.post("/staff/polls/{poll_id}/decisions", status_code=status.HTTP_201_CREATED)
def add_decision(
    poll_id: Id,
    body: DecisionIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> IdOut:
    """Record a decision taken on a finished poll's result."""
    decision_id = polls.add_decision(
        session, actor_id=actor, poll_id=poll_id, text=body.text, status=body.status, now=now
    )
    return IdOut(id=decision_id)


@router.put("/staff/decisions/{decision_id}")
def set_decision_status(
    decision_id: Id,
    body: DecisionStatusIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> IdOut:
    """Change a decision's status («adopted» / «implemented»)."""
    polls.set_decision_status(session, actor_id=actor, decision_id=decision_id, status=body.status, now=now)
    return IdOut(id=decision_id)
