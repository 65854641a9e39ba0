"""The award contest's commission over the REST API: the jury's routes (my tasks, score sheets,
conflicts of interest, tie votes) and the operator's (the commission, expert groups, sittings,
computing a task's results).

Thin: the actor comes from the server-side session only and every use case checks the rights; in
particular other members' sheets are returned by :func:`ag_app.services.award.scoring.other_sheets`,
which refuses a member who has not submitted their own sheet for the project.
"""

from datetime import date, datetime

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from ag_app.api.deps import actor_id, clock, db
from ag_app.api.params import Count, Id
from ag_app.services.award import commission, results, scoring, ties
from ag_app.services.award.commission import MAX_PRESENT, CommissionView
from ag_app.services.award.results import TaskAtSitting, TaskResults
from ag_app.services.award.scoring import (
    COMMENT_LIMIT,
    ContestChoice,
    MyTask,
    OtherSheet,
    RecusalRow,
    SheetView,
)
from ag_app.services.award.ties import MyRound, RoundView

router = APIRouter(tags=["Премия «Лидеры цифровой трансформации»: комиссия"])

JURY = "/jury/awards"
STAFF = "/staff/awards"


class _Body(BaseModel):
    """A request body: any field not listed is refused."""

    model_config = ConfigDict(extra="forbid")


class ScoreIn(_Body):
    """One criterion's score."""

    criterion_id: Id
    score: Count


class SheetIn(_Body):
    """A score sheet: a score per criterion (a draft may leave some out) and an optional comment."""

    scores: list[ScoreIn] = Field(default_factory=list, max_length=100)
    comment: str = Field(default="", max_length=COMMENT_LIMIT * 4)


class RecusalIn(_Body):
    """A conflict of interest with a team, with a note (3–500 characters)."""

    team_id: Id
    note: str = Field(max_length=2000)


class VoteIn(_Body):
    """An open vote for one of the tied teams."""

    team_id: Id


class JurorIn(_Body):
    """A new member of the commission: the person's phone and the role
    («chair», «deputy» — the member the chair's powers pass to — or «member»)."""

    phone: str = Field(max_length=40)
    role: str = Field(max_length=20)


class RoleIn(_Body):
    """A member's new role."""

    role: str = Field(max_length=20)


class SittingIn(_Body):
    """A sitting: its date, form («in_person» — очная, «remote» — заочная) and the members present."""

    held_on: date
    form: str = Field(max_length=20)
    present: list[Id] = Field(default_factory=list, max_length=MAX_PRESENT)


class CreatedOut(BaseModel):
    """The id of what was created."""

    id: int


def _scores(body: SheetIn) -> dict[int, int]:
    return {item.criterion_id: item.score for item in body.scores}


# --- the jury --------------------------------------------------------------------------------------


@router.get(f"{JURY}/contests")
def my_contests(
    session: Session = Depends(db, scope="function"), actor: int | None = Depends(actor_id)
) -> list[ContestChoice]:
    """The contests whose commission I sit on, the newest first (401 for guests)."""
    return scoring.my_contests(session, actor_id=actor)


@router.get(f"{JURY}/contests/{{contest_id}}/tasks")
def my_tasks(
    contest_id: Id, session: Session = Depends(db, scope="function"), actor: int | None = Depends(actor_id)
) -> list[MyTask]:
    """The tasks of my expert group, their admitted projects and my sheet's status for each."""
    return scoring.my_tasks(session, actor_id=actor, contest_id=contest_id)


@router.get(f"{JURY}/sheets/{{team_id}}")
def my_sheet(
    team_id: Id, session: Session = Depends(db, scope="function"), actor: int | None = Depends(actor_id)
) -> SheetView:
    """My sheet of a project with the criteria (maximum and description) and the project."""
    return scoring.sheet_view(session, actor_id=actor, team_id=team_id)


def _store(
    session: Session, actor: int | None, team_id: int, body: SheetIn, now: datetime, *, submit: bool
) -> SheetView:
    scoring.save_sheet(
        session,
        actor_id=actor,
        team_id=team_id,
        scores=_scores(body),
        comment=body.comment,
        submit=submit,
        now=now,
    )
    session.flush()
    return scoring.sheet_view(session, actor_id=actor, team_id=team_id)


@router.put(f"{JURY}/sheets/{{team_id}}")
def save_draft(
    team_id: Id,
    body: SheetIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> SheetView:
    """Save my draft: each score given within 0..the criterion's maximum (422 otherwise)."""
    return _store(session, actor, team_id, body, now, submit=False)


@router.post(f"{JURY}/sheets/{{team_id}}/submit")
def submit_sheet(
    team_id: Id,
    body: SheetIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> SheetView:
    """Submit my sheet: every criterion scored; it is final, and the others' sheets open to me."""
    return _store(session, actor, team_id, body, now, submit=True)


@router.get(f"{JURY}/sheets/{{team_id}}/others")
def others(
    team_id: Id, session: Session = Depends(db, scope="function"), actor: int | None = Depends(actor_id)
) -> list[OtherSheet]:
    """The other members' submitted sheets of the project — 403 until I have submitted mine."""
    return scoring.other_sheets(session, actor_id=actor, team_id=team_id)


@router.post(f"{JURY}/recusals")
def declare_recusal(
    body: RecusalIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> list[RecusalRow]:
    """Declare a conflict of interest with a team; returns my declarations in its contest."""
    contest_id = scoring.declare_recusal(
        session, actor_id=actor, team_id=body.team_id, note=body.note, now=now
    )
    session.flush()
    return scoring.my_recusals(session, actor_id=actor, contest_id=contest_id)


@router.get(f"{JURY}/contests/{{contest_id}}/ties")
def my_ties(
    contest_id: Id, session: Session = Depends(db, scope="function"), actor: int | None = Depends(actor_id)
) -> list[MyRound]:
    """The open tie rounds of the contest with the votes cast so far and whether I may vote."""
    return ties.my_rounds(session, actor_id=actor, contest_id=contest_id)


@router.post(f"{JURY}/ties/{{round_id}}/vote")
def vote(
    round_id: Id,
    body: VoteIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> list[RoundView]:
    """My open vote for one of the tied teams (present, not recused, once per round); returns every
    round of the task with its votes (a new round follows a vote without a decision)."""
    task_id = ties.cast_vote(session, actor_id=actor, round_id=round_id, team_id=body.team_id, now=now)
    session.flush()
    return ties.task_rounds(session, task_id)


# --- the operator ----------------------------------------------------------------------------------


@router.get(f"{STAFF}/contests/{{contest_id}}/commission")
def commission_view(
    contest_id: Id, session: Session = Depends(db, scope="function"), actor: int | None = Depends(actor_id)
) -> CommissionView:
    """The commission (roles, expert groups), the tasks and the sittings with attendance and quorum."""
    return commission.commission_view(session, actor_id=actor, contest_id=contest_id)


@router.post(f"{STAFF}/contests/{{contest_id}}/commission")
def add_juror(
    contest_id: Id,
    body: JurorIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
) -> CreatedOut:
    """Add a registered person to the commission by phone, with a role."""
    return CreatedOut(
        id=commission.add_juror(
            session, actor_id=actor, contest_id=contest_id, phone=body.phone, role=body.role
        )
    )


@router.put(f"{STAFF}/jurors/{{juror_id}}/role")
def set_role(
    juror_id: Id,
    body: RoleIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
) -> CreatedOut:
    """Change a member's role (one chair, one deputy)."""
    commission.set_role(session, actor_id=actor, juror_id=juror_id, role=body.role)
    return CreatedOut(id=juror_id)


@router.delete(f"{STAFF}/jurors/{{juror_id}}")
def remove_juror(
    juror_id: Id, session: Session = Depends(db, scope="function"), actor: int | None = Depends(actor_id)
) -> CreatedOut:
    """Remove a member who has no sheet, vote or attendance yet."""
    commission.remove_juror(session, actor_id=actor, juror_id=juror_id)
    return CreatedOut(id=juror_id)


@router.put(f"{STAFF}/jurors/{{juror_id}}/tasks/{{task_id}}")
def assign(
    juror_id: Id,
    task_id: Id,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
) -> CreatedOut:
    """Put a member into a task's expert group."""
    commission.assign(session, actor_id=actor, juror_id=juror_id, task_id=task_id)
    return CreatedOut(id=juror_id)


@router.delete(f"{STAFF}/jurors/{{juror_id}}/tasks/{{task_id}}")
def unassign(
    juror_id: Id,
    task_id: Id,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
) -> CreatedOut:
    """Take a member out of a task's expert group while they have no sheet in it."""
    commission.unassign(session, actor_id=actor, juror_id=juror_id, task_id=task_id)
    return CreatedOut(id=juror_id)


@router.post(f"{STAFF}/contests/{{contest_id}}/sittings")
def create_sitting(
    contest_id: Id,
    body: SittingIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> CreatedOut:
    """Record a sitting: date, form and the members present."""
    return CreatedOut(
        id=commission.create_sitting(
            session,
            actor_id=actor,
            contest_id=contest_id,
            held_on=body.held_on,
            form=body.form,
            present=list(body.present),
            now=now,
        )
    )


@router.put(f"{STAFF}/sittings/{{sitting_id}}")
def update_sitting(
    sitting_id: Id,
    body: SittingIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> CreatedOut:
    """Change a sitting's date, form and attendance until it is approved."""
    commission.update_sitting(
        session,
        actor_id=actor,
        sitting_id=sitting_id,
        held_on=body.held_on,
        form=body.form,
        present=list(body.present),
        now=now,
    )
    return CreatedOut(id=sitting_id)


@router.get(f"{STAFF}/sittings/{{sitting_id}}/tasks")
def sitting_tasks(
    sitting_id: Id, session: Session = Depends(db, scope="function"), actor: int | None = Depends(actor_id)
) -> list[TaskAtSitting]:
    """The contest's tasks at a sitting: decided or not, the missing sheets (member × team)."""
    return results.sitting_tasks(session, actor_id=actor, sitting_id=sitting_id)


@router.post(f"{STAFF}/sittings/{{sitting_id}}/tasks/{{task_id}}/compute")
def compute(
    sitting_id: Id,
    task_id: Id,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> TaskResults:
    """«Подвести итоги» (the operator or the member holding the chair's powers at the sitting):
    409 without a quorum or with missing sheets (listed); returns the standings and tie rounds."""
    results.compute(session, actor_id=actor, sitting_id=sitting_id, task_id=task_id, now=now)
    session.flush()
    return results.task_results(session, actor_id=actor, task_id=task_id)


@router.get(f"{STAFF}/tasks/{{task_id}}/results")
def task_results(
    task_id: Id, session: Session = Depends(db, scope="function"), actor: int | None = Depends(actor_id)
) -> TaskResults:
    """A task's standings and every tie round with its open votes (operator and commission)."""
    return results.task_results(session, actor_id=actor, task_id=task_id)
