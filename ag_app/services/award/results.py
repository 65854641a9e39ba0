"""Computing a task's results at a sitting (К. 2.7, 2.10–2.13): the operator or the member holding the
chair's powers at that sitting.

Refused unless the sitting has its quorum and is not approved, and every present member of the task's
expert group who did not declare a conflict of interest has submitted a sheet for every admitted team
(the refusal lists the missing sheets, member × team). A project's total is the sum of the scores of
its counted sheets; a sheet counts when its member submitted a sheet for every admitted team of the task
(an absent member's partial set would favour the teams they happened to score, so it is left out). Every
admitted team gets its standing; the places decided by the totals are written, and an undecided place
opens the open vote of :mod:`ag_app.services.award.ties`.

The task is SETTLED when ``decided_sitting_id`` is set and no tie round of it is open; every decided
place is then on its standing row.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from ag_app.db import reads
from ag_app.domain.award import missing_sheets
from ag_app.domain.errors import Conflict, NotAllowed, NotFound
from ag_app.models import AwardScore, AwardSheet, AwardStanding, AwardTask, AwardTeam, AwardTieRound
from ag_app.services.access import Capability, active_user, require
from ag_app.services.award import ties
from ag_app.services.award.panel import (
    admitted_teams,
    get_contest,
    get_sitting,
    get_task,
    group_of,
    jurors_of,
    names_of,
    recused_in,
    refuse_approved,
    sitting_facts,
)
from ag_app.services.award.ties import RoundView

# How many missing sheets a refusal names before «и ещё N».
MISSING_SHOWN = 30


@dataclass(frozen=True)
class MissingSheet:
    """A sheet still owed before the results may be computed."""

    juror_name: str
    team_name: str


@dataclass(frozen=True)
class TaskAtSitting:
    """A task as the sitting's page shows it: decided or not, and the sheets still missing."""

    id: int
    number: int
    title: str
    decided_sitting_id: int | None
    teams: int
    missing: tuple[MissingSheet, ...]
    # Whether «Подвести итоги» may run now (quorum, not approved, not decided, nothing missing).
    can_compute: bool
    settled: bool


@dataclass(frozen=True)
class StandingRow:
    """A team's total and its place once decided."""

    team_id: int
    team_name: str
    project_title: str
    total: int
    place: int | None


@dataclass(frozen=True)
class TaskResults:
    """A task's standings and its tie rounds."""

    task_id: int
    number: int
    title: str
    decided_sitting_id: int | None
    settled: bool
    standings: tuple[StandingRow, ...]
    rounds: tuple[RoundView, ...]


def _may_compute(session: Session, actor_id: int | None, holder: int | None, contest_id: int) -> None:
    """The operator, or the member holding the chair's powers at the sitting."""
    try:
        require(session, actor_id, Capability.AWARD_MANAGE)
        return
    except NotAllowed:
        pass
    user = active_user(session, actor_id)
    seat = next((j for j in jurors_of(session, contest_id) if j.user_id == user.id), None)
    if seat is None or seat.id != holder:
        raise NotAllowed("award.compute_forbidden")


def _submitted(session: Session, task_id: int) -> dict[tuple[int, int], int]:
    """(juror, team) → the sheet's total, for every submitted sheet of the task."""
    rows = session.exec(
        select(AwardSheet.juror_id, AwardSheet.team_id, func.coalesce(func.sum(AwardScore.score), 0))
        .join(AwardScore, col(AwardScore.sheet_id) == AwardSheet.id, isouter=True)
        .where(AwardSheet.task_id == task_id, col(AwardSheet.submitted_at).is_not(None))
        .group_by(AwardSheet.id, AwardSheet.juror_id, AwardSheet.team_id)
    ).all()
    return {(juror, team): int(total) for juror, team, total in rows}


def _missing(session: Session, task: AwardTask, present: frozenset[int]) -> list[tuple[int, int]]:
    """(juror, team) of the sheets owed by the present, non-recused members of the task's group."""
    owing = sorted((group_of(session, task.id) & present) - recused_in(session, task.id))
    teams = [t.id for t in admitted_teams(session, task.id)]
    done = [(str(j), str(t)) for j, t in _submitted(session, task.id)]
    pairs = missing_sheets([str(j) for j in owing], [str(t) for t in teams], done)
    return [(int(j), int(t)) for j, t in pairs]


def _named(session: Session, task: AwardTask, pairs: list[tuple[int, int]]) -> list[MissingSheet]:
    contest_jurors = jurors_of(session, task.contest_id)
    names = names_of(session, contest_jurors)
    teams = {t.id: t.name for t in admitted_teams(session, task.id)}
    return [MissingSheet(names.get(j, "—"), teams.get(t, "—")) for j, t in pairs]


def totals_of(session: Session, task: AwardTask) -> dict[int, int]:
    """Each admitted team's total: the sum of the counted sheets (see the module's docstring)."""
    teams = [t.id for t in admitted_teams(session, task.id)]
    submitted = _submitted(session, task.id)
    recused = recused_in(session, task.id)
    complete = {
        juror
        for juror in {j for j, _ in submitted}
        if juror not in recused and all((juror, team) in submitted for team in teams)
    }
    totals = dict.fromkeys(teams, 0)
    for (juror, team), total in submitted.items():
        if juror in complete and team in totals:
            totals[team] += total
    return totals


def _settled(session: Session, task: AwardTask) -> bool:
    if task.decided_sitting_id is None:
        return False
    open_round = session.exec(
        select(AwardTieRound.id).where(
            AwardTieRound.task_id == task.id, col(AwardTieRound.closed_at).is_(None)
        )
    ).first()
    return open_round is None


def compute(session: Session, *, actor_id: int | None, sitting_id: int, task_id: int, now: datetime) -> None:
    """«Подвести итоги» of a task at a sitting: totals, standings, decided places, the first tie round."""
    sitting = get_sitting(session, sitting_id, lock=True)
    task = session.exec(select(AwardTask).where(AwardTask.id == task_id).with_for_update()).first()
    if task is None or task.contest_id != sitting.contest_id:
        raise NotFound("award.task_not_found")
    facts = sitting_facts(session, sitting)
    _may_compute(session, actor_id, facts.chair, sitting.contest_id)
    refuse_approved(sitting)
    if task.decided_sitting_id is not None:
        raise Conflict("award.task_decided")
    if not facts.valid:
        raise Conflict("award.no_quorum", present=len(facts.present), members=facts.members)
    teams = admitted_teams(session, task.id)
    if not teams:
        raise Conflict("award.no_admitted_teams")
    missing = _missing(session, task, facts.present)
    if missing:
        named = _named(session, task, missing)
        listed = "; ".join(f"{m.juror_name} — «{m.team_name}»" for m in named[:MISSING_SHOWN])
        if len(named) > MISSING_SHOWN:
            listed += f"; и ещё {len(named) - MISSING_SHOWN}"
        raise Conflict("award.sheets_missing", count=len(named), sheets=listed)
    for team_id, total in totals_of(session, task).items():
        session.add(AwardStanding(task_id=task.id, team_id=team_id, total=total))
    task.decided_sitting_id = sitting.id
    session.add(task)
    session.flush()
    ties.advance(session, task, sitting.id, now)


def _reader(session: Session, actor_id: int | None, contest_id: int) -> None:
    """The operator or a member of the contest's commission."""
    try:
        require(session, actor_id, Capability.AWARD_MANAGE)
    except NotAllowed:
        user = active_user(session, actor_id)
        if not any(j.user_id == user.id for j in jurors_of(session, contest_id)):
            raise


@reads
def sitting_tasks(session: Session, *, actor_id: int | None, sitting_id: int) -> list[TaskAtSitting]:
    """The contest's tasks at a sitting: decided or not, the missing sheets, whether computing may run."""
    sitting = get_sitting(session, sitting_id)
    _reader(session, actor_id, sitting.contest_id)
    facts = sitting_facts(session, sitting)
    tasks = session.exec(
        select(AwardTask).where(AwardTask.contest_id == sitting.contest_id).order_by(AwardTask.number)
    ).all()
    out = []
    for task in tasks:
        teams = admitted_teams(session, task.id)
        decided = task.decided_sitting_id is not None
        missing = () if decided else tuple(_named(session, task, _missing(session, task, facts.present)))
        out.append(
            TaskAtSitting(
                id=task.id,
                number=task.number,
                title=task.title,
                decided_sitting_id=task.decided_sitting_id,
                teams=len(teams),
                missing=missing,
                can_compute=(
                    not decided
                    and facts.valid
                    and sitting.approved_at is None
                    and bool(teams)
                    and not missing
                ),
                settled=_settled(session, task),
            )
        )
    return out


@reads
def task_results(session: Session, *, actor_id: int | None, task_id: int) -> TaskResults:
    """A task's standings (by place, then total) and every tie round with its open votes."""
    task = get_task(session, task_id)
    get_contest(session, task.contest_id)
    _reader(session, actor_id, task.contest_id)
    rows = session.exec(
        select(AwardStanding, AwardTeam)
        .join(AwardTeam, col(AwardTeam.id) == AwardStanding.team_id)
        .where(AwardStanding.task_id == task.id)
    ).all()
    standings = sorted(
        (StandingRow(team.id, team.name, team.project_title, s.total, s.place) for s, team in rows),
        key=lambda r: (r.place is None, r.place or 0, -r.total, r.team_name),
    )
    return TaskResults(
        task_id=task.id,
        number=task.number,
        title=task.title,
        decided_sitting_id=task.decided_sitting_id,
        settled=_settled(session, task),
        standings=tuple(standings),
        rounds=tuple(ties.task_rounds(session, task.id)),
    )
