"""The members' electronic score sheets (К. 2.9–2.11) and their conflicts of interest.

The acting member is the actor's seat on the contest's commission, never an argument. A member
scores only the admitted teams of the tasks of their expert group: a score per criterion from 0 to
its maximum and an optional comment. A draft may be saved and changed; a submitted sheet is final
(on submitting, the member sees the other members' sheets of the project, so changing it afterwards
would let them adjust to the others). Nothing changes once the task's results are computed.

Other members' sheets of a project are returned only to a member who has submitted their own sheet
for it — the page and the API only call :func:`other_sheets`, which enforces it.

A member who declares a conflict of interest with a team takes no part in that task: their drafts
in it are deleted, they score none of its projects and do not vote on its ties. A member who already
submitted a sheet in the task cannot declare it any more (their scores were given) — the operator
records such a case by other means.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from ag_app.db import reads
from ag_app.domain.award import check_reason, check_score, check_sheet
from ag_app.domain.errors import Conflict, InvalidInput, NotAllowed, NotFound
from ag_app.domain.text import clean_text
from ag_app.i18n import status
from ag_app.models import (
    AwardAssignment,
    AwardContest,
    AwardCriterion,
    AwardJuror,
    AwardRecusal,
    AwardScore,
    AwardSheet,
    AwardTask,
    AwardTeam,
)
from ag_app.services.access import active_user
from ag_app.services.award.panel import ADMITTED, acting_juror, admitted_teams, jurors_of, names_of

COMMENT_LIMIT = 2000
NONE, DRAFT, SUBMITTED, RECUSED = "none", "draft", "submitted", "recused"
SHEET_STATUS_NAMES = {s: status("award_sheet", s) for s in (NONE, DRAFT, SUBMITTED, RECUSED)}


@dataclass(frozen=True)
class ContestChoice:
    """A contest whose commission the actor sits on."""

    id: int
    year: int
    title: str
    role: str


@dataclass(frozen=True)
class ProjectRow:
    """An admitted project of one of my tasks and my sheet's status."""

    team_id: int
    team_name: str
    project_title: str
    status: str
    status_name: str


@dataclass(frozen=True)
class MyTask:
    """A task of my expert group with its projects."""

    id: int
    number: int
    title: str
    decided: bool
    # Whether I declared a conflict of interest in it (then I take no part in it).
    recused: bool
    projects: tuple[ProjectRow, ...]


@dataclass(frozen=True)
class CriterionRow:
    """A criterion of the sheet: its bounds and description."""

    id: int
    number: int
    name: str
    description: str
    max_score: int


@dataclass(frozen=True)
class SheetView:
    """My sheet of a project: the project, the criteria, my scores and whether I may still change it."""

    team_id: int
    team_name: str
    task_id: int
    task_title: str
    project_title: str
    prototype_url: str
    project_description: str
    technologies: str
    criteria: tuple[CriterionRow, ...]
    # Criterion id → my score (drafts may lack some).
    scores: dict[int, int]
    comment: str
    status: str
    status_name: str
    editable: bool


@dataclass(frozen=True)
class OtherSheet:
    """Another member's submitted sheet of the project."""

    juror_name: str
    # (criterion name, score, maximum) by criterion number.
    scores: tuple[tuple[str, int, int], ...]
    total: int
    comment: str


@reads
def my_contests(session: Session, *, actor_id: int | None) -> list[ContestChoice]:
    """The contests whose commission the actor sits on, the newest first."""
    user = active_user(session, actor_id)
    rows = session.exec(
        select(AwardContest, AwardJuror.role)
        .join(AwardJuror, col(AwardJuror.contest_id) == AwardContest.id)
        .where(AwardJuror.user_id == user.id)
        .order_by(col(AwardContest.year).desc())
    ).all()
    return [ContestChoice(c.id, c.year, c.title, role) for c, role in rows]


def _recused_tasks(session: Session, juror_id: int) -> set[int]:
    return set(session.exec(select(AwardRecusal.task_id).where(AwardRecusal.juror_id == juror_id)).all())


def _my_task_ids(session: Session, juror_id: int) -> set[int]:
    return set(
        session.exec(select(AwardAssignment.task_id).where(AwardAssignment.juror_id == juror_id)).all()
    )


@reads
def my_tasks(session: Session, *, actor_id: int | None, contest_id: int) -> list[MyTask]:
    """The tasks of my expert group, their admitted projects and my sheet's status for each."""
    juror = acting_juror(session, actor_id, contest_id)
    ids = _my_task_ids(session, juror.id)
    recused = _recused_tasks(session, juror.id)
    if not ids:
        return []
    tasks = session.exec(select(AwardTask).where(col(AwardTask.id).in_(ids)).order_by(AwardTask.number)).all()
    sheets = {
        s.team_id: s for s in session.exec(select(AwardSheet).where(AwardSheet.juror_id == juror.id)).all()
    }
    out = []
    for task in tasks:
        projects = []
        for team in admitted_teams(session, task.id):
            sheet = sheets.get(team.id)
            if task.id in recused:
                status = RECUSED
            elif sheet is None:
                status = NONE
            else:
                status = SUBMITTED if sheet.submitted_at is not None else DRAFT
            projects.append(
                ProjectRow(team.id, team.name, team.project_title, status, SHEET_STATUS_NAMES[status])
            )
        out.append(
            MyTask(
                task.id,
                task.number,
                task.title,
                task.decided_sitting_id is not None,
                task.id in recused,
                tuple(projects),
            )
        )
    return out


@dataclass(frozen=True)
class _Seat:
    juror: AwardJuror
    team: AwardTeam
    task: AwardTask


def _seat(session: Session, actor_id: int | None, team_id: int, *, lock: bool = False) -> _Seat:
    """My seat for a project: an admitted team of a task of my group in which I am not recused."""
    active_user(session, actor_id)
    team = session.get(AwardTeam, team_id)
    if team is None or team.status != ADMITTED:
        raise NotFound("award.project_not_found")
    query = select(AwardTask).where(AwardTask.id == team.task_id)
    if lock:
        query = query.with_for_update()
    task = session.exec(query).one()
    juror = acting_juror(session, actor_id, task.contest_id)
    if task.id not in _my_task_ids(session, juror.id):
        raise NotAllowed("award.sheet_outside_group")
    if task.id in _recused_tasks(session, juror.id):
        raise NotAllowed("award.sheet_recused")
    return _Seat(juror, team, task)


def _criteria(session: Session, contest_id: int) -> list[AwardCriterion]:
    return list(
        session.exec(
            select(AwardCriterion)
            .where(AwardCriterion.contest_id == contest_id)
            .order_by(AwardCriterion.number)
        ).all()
    )


def _sheet(session: Session, juror_id: int, team_id: int) -> AwardSheet | None:
    return session.exec(
        select(AwardSheet).where(AwardSheet.juror_id == juror_id, AwardSheet.team_id == team_id)
    ).first()


def _scores(session: Session, sheet_id: int) -> dict[int, int]:
    rows = session.exec(
        select(AwardScore.criterion_id, AwardScore.score).where(AwardScore.sheet_id == sheet_id)
    )
    return dict(rows.all())


@reads
def sheet_view(session: Session, *, actor_id: int | None, team_id: int) -> SheetView:
    """My sheet of a project with the criteria (bounds and descriptions) and the project itself."""
    seat = _seat(session, actor_id, team_id)
    sheet = _sheet(session, seat.juror.id, team_id)
    status = NONE if sheet is None else (SUBMITTED if sheet.submitted_at is not None else DRAFT)
    decided = seat.task.decided_sitting_id is not None
    return SheetView(
        team_id=seat.team.id,
        team_name=seat.team.name,
        task_id=seat.task.id,
        task_title=f"{seat.task.number}. {seat.task.title}",
        project_title=seat.team.project_title,
        prototype_url=seat.team.prototype_url,
        project_description=seat.team.project_description,
        technologies=seat.team.technologies,
        criteria=tuple(
            CriterionRow(c.id, c.number, c.name, c.description, c.max_score)
            for c in _criteria(session, seat.task.contest_id)
        ),
        scores=_scores(session, sheet.id) if sheet is not None else {},
        comment=sheet.comment if sheet is not None else "",
        status=status,
        status_name=SHEET_STATUS_NAMES[status],
        editable=status != SUBMITTED and not decided,
    )


def save_sheet(
    session: Session,
    *,
    actor_id: int | None,
    team_id: int,
    scores: Mapping[int, int],
    comment: str,
    submit: bool,
    now: datetime,
) -> None:
    """Save my draft (any scores given, each within bounds) or submit it (every criterion scored).

    Refused for a project outside my tasks, once I submitted the sheet, and once the task's results
    are computed.
    """
    seat = _seat(session, actor_id, team_id, lock=True)
    if seat.task.decided_sitting_id is not None:
        raise Conflict("award.task_decided")
    sheet = _sheet(session, seat.juror.id, team_id)
    if sheet is not None and sheet.submitted_at is not None:
        raise Conflict("award.sheet_submitted")
    text = clean_text(comment)
    if len(text) > COMMENT_LIMIT:
        raise InvalidInput("award.comment_too_long", limit=COMMENT_LIMIT)
    criteria = {c.id: c for c in _criteria(session, seat.task.contest_id)}
    if not set(scores) <= set(criteria):
        raise InvalidInput("award.criterion_unknown")
    checked = {cid: check_score(value, criteria[cid].max_score) for cid, value in scores.items()}
    if submit:
        full = check_sheet(
            {str(k): v for k, v in checked.items()}, {str(c.id): c.max_score for c in criteria.values()}
        )
        checked = {int(k): v for k, v in full.items()}
    if sheet is None:
        sheet = AwardSheet(juror_id=seat.juror.id, team_id=team_id, task_id=seat.task.id, updated_at=now)
    sheet.comment = text
    sheet.updated_at = now
    sheet.submitted_at = now if submit else None
    session.add(sheet)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict("award.sheet_changed") from None
    session.exec(delete(AwardScore).where(AwardScore.sheet_id == sheet.id))
    for cid, value in sorted(checked.items()):
        session.add(AwardScore(sheet_id=sheet.id, criterion_id=cid, score=value))
    session.flush()


@reads
def other_sheets(session: Session, *, actor_id: int | None, team_id: int) -> list[OtherSheet]:
    """The other members' submitted sheets of a project (scores, comments, names) — only for a member
    who has submitted their own sheet for it."""
    seat = _seat(session, actor_id, team_id)
    mine = _sheet(session, seat.juror.id, team_id)
    if mine is None or mine.submitted_at is None:
        raise NotAllowed("award.sheets_hidden")
    criteria = _criteria(session, seat.task.contest_id)
    others = session.exec(
        select(AwardSheet)
        .where(
            AwardSheet.team_id == team_id,
            AwardSheet.juror_id != seat.juror.id,
            col(AwardSheet.submitted_at).is_not(None),
        )
        .order_by(AwardSheet.submitted_at, AwardSheet.id)
    ).all()
    names = names_of(session, jurors_of(session, seat.task.contest_id))
    out = []
    for sheet in others:
        given = _scores(session, sheet.id)
        rows = tuple((c.name, given.get(c.id, 0), c.max_score) for c in criteria)
        out.append(OtherSheet(names.get(sheet.juror_id, "—"), rows, sum(given.values()), sheet.comment))
    return out


def declare_recusal(session: Session, *, actor_id: int | None, team_id: int, note: str, now: datetime) -> int:
    """Declare a conflict of interest with a team: I take no part in its task (drafts deleted).

    Returns the contest's id.
    """
    active_user(session, actor_id)
    team = session.get(AwardTeam, team_id)
    if team is None or team.status != ADMITTED:
        raise NotFound("award.project_not_found")
    task = session.exec(select(AwardTask).where(AwardTask.id == team.task_id).with_for_update()).one()
    juror = acting_juror(session, actor_id, task.contest_id)
    text = check_reason(clean_text(note))
    if task.decided_sitting_id is not None:
        raise Conflict("award.task_decided")
    existing = session.exec(
        select(AwardRecusal.id).where(AwardRecusal.juror_id == juror.id, AwardRecusal.team_id == team.id)
    ).first()
    if existing is not None:
        raise Conflict("award.recusal_exists")
    submitted = session.exec(
        select(AwardSheet.id).where(
            AwardSheet.juror_id == juror.id,
            AwardSheet.task_id == task.id,
            col(AwardSheet.submitted_at).is_not(None),
        )
    ).first()
    if submitted is not None:
        raise Conflict("award.recusal_after_submit")
    drafts = session.exec(
        select(AwardSheet.id).where(AwardSheet.juror_id == juror.id, AwardSheet.task_id == task.id)
    ).all()
    if drafts:
        session.exec(delete(AwardScore).where(col(AwardScore.sheet_id).in_(drafts)))
        session.exec(delete(AwardSheet).where(col(AwardSheet.id).in_(drafts)))
    session.add(AwardRecusal(juror_id=juror.id, task_id=task.id, team_id=team.id, note=text, declared_at=now))
    try:
        session.flush()
    except IntegrityError:
        raise Conflict("award.recusal_exists") from None
    return task.contest_id


@dataclass(frozen=True)
class RecusalRow:
    """A declared conflict of interest."""

    team_id: int
    team_name: str
    task_title: str
    note: str


@reads
def my_recusals(session: Session, *, actor_id: int | None, contest_id: int) -> list[RecusalRow]:
    """The conflicts of interest I declared in the contest."""
    juror = acting_juror(session, actor_id, contest_id)
    rows = session.exec(
        select(AwardRecusal, AwardTeam, AwardTask)
        .join(AwardTeam, col(AwardTeam.id) == AwardRecusal.team_id)
        .join(AwardTask, col(AwardTask.id) == AwardRecusal.task_id)
        .where(AwardRecusal.juror_id == juror.id)
        .order_by(AwardTask.number, AwardTeam.name)
    ).all()
    return [RecusalRow(team.id, team.name, f"{task.number}. {task.title}", r.note) for r, team, task in rows]


@reads
def recusal_choices(session: Session, *, actor_id: int | None, contest_id: int) -> list[tuple[int, str]]:
    """The admitted teams of the contest a member may declare a conflict with: (id, «task: team»)."""
    acting_juror(session, actor_id, contest_id)
    rows = session.exec(
        select(AwardTeam.id, AwardTeam.name, AwardTask.number)
        .join(AwardTask, col(AwardTask.id) == AwardTeam.task_id)
        .where(
            AwardTeam.contest_id == contest_id,
            AwardTeam.status == ADMITTED,
            col(AwardTask.decided_sitting_id).is_(None),
        )
        .order_by(AwardTask.number, AwardTeam.name)
    ).all()
    return [(team_id, f"Задача {number}: {name}") for team_id, name, number in rows]
