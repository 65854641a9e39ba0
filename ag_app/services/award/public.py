"""What anyone may see of a contest: its period, tasks with caps and prizes, criteria, and — once the
operator has published the list — the admitted teams with their projects.

No person's name, phone or user id is ever part of these views: a team appears by its name.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from ag_app.db import reads
from ag_app.domain.clock import MOSCOW, as_utc
from ag_app.models.award import AwardContest, AwardTask, AwardTeam
from ag_app.services.award.contests import (
    contests_list,
    counted_teams,
    criteria_of,
    current_contest,
    get_contest,
    tasks_of,
)
from ag_app.services.award.published import ContestResults, contest_results
from ag_app.services.award.teams import apply_open


@dataclass(frozen=True)
class TaskView:
    """A task as published: its prizes (kopecks) and cap, and how many teams count against it."""

    id: int
    number: int
    title: str
    description: str
    team_cap: int | None
    prize_1: int
    prize_2: int
    prize_3: int
    teams: int
    full: bool


@dataclass(frozen=True)
class CriterionView:
    number: int
    name: str
    description: str
    max_score: int


@dataclass(frozen=True)
class AdmittedTeamView:
    """An admitted team as published: its name, task and project — never a person."""

    name: str
    task_number: int
    task_title: str
    project_title: str
    prototype_url: str


@dataclass(frozen=True)
class ContestItem:
    """A contest in the list."""

    id: int
    year: int
    title: str
    apply_open: bool


@dataclass(frozen=True)
class ContestView:
    """A contest as the «Премия» page and ``GET /api/v1/awards/{id}`` show it."""

    id: int
    year: int
    title: str
    description: str
    apply_opens_at: datetime
    # The exclusive end of the period; ``apply_last_minute`` is the last minute applications are taken.
    apply_closes_at: datetime
    apply_period_text: str
    apply_open: bool
    tasks: tuple[TaskView, ...]
    criteria: tuple[CriterionView, ...]
    admitted_published: bool
    admitted_published_at: datetime | None
    # Empty until the operator publishes the list of admitted teams.
    admitted: tuple[AdmittedTeamView, ...]
    # The winners and prize-winners of the tasks decided at approved sittings, with the protocols.
    results: ContestResults | None = None


def period_text(opens: datetime, closes: datetime) -> str:
    """«с 01.09.2026 10:00 до 30.09.2026 23:59 (время московское)» — the end as its last included minute."""
    start = as_utc(opens).astimezone(MOSCOW).strftime("%d.%m.%Y %H:%M")
    end = (as_utc(closes).astimezone(MOSCOW) - timedelta(minutes=1)).strftime("%d.%m.%Y %H:%M")
    return f"с {start} до {end} (время московское)"


def _admitted(session: Session, contest_id: int) -> tuple[AdmittedTeamView, ...]:
    rows = session.exec(
        select(AwardTeam, AwardTask)
        .join(AwardTask, col(AwardTask.id) == col(AwardTeam.task_id))
        .where(AwardTeam.contest_id == contest_id, AwardTeam.status == "admitted")
        .order_by(col(AwardTask.number), col(AwardTeam.name_key))
    ).all()
    return tuple(
        AdmittedTeamView(
            name=team.name,
            task_number=task.number,
            task_title=task.title,
            project_title=team.project_title,
            prototype_url=team.prototype_url,
        )
        for team, task in rows
    )


def contest_view(session: Session, *, contest_id: int, now: datetime) -> ContestView:
    """The public view of a contest at ``now``."""
    contest = get_contest(session, contest_id)
    tasks = []
    for task in tasks_of(session, contest.id):
        teams = counted_teams(session, task.id)
        tasks.append(
            TaskView(
                id=task.id,
                number=task.number,
                title=task.title,
                description=task.description,
                team_cap=task.team_cap,
                prize_1=task.prize_1,
                prize_2=task.prize_2,
                prize_3=task.prize_3,
                teams=teams,
                full=task.team_cap is not None and teams >= task.team_cap,
            )
        )
    published = contest.admitted_published_at is not None
    return ContestView(
        id=contest.id,
        year=contest.year,
        title=contest.title,
        description=contest.description,
        apply_opens_at=contest.apply_opens_at,
        apply_closes_at=contest.apply_closes_at,
        apply_period_text=period_text(contest.apply_opens_at, contest.apply_closes_at),
        apply_open=apply_open(contest, now),
        tasks=tuple(tasks),
        criteria=tuple(
            CriterionView(number=c.number, name=c.name, description=c.description, max_score=c.max_score)
            for c in criteria_of(session, contest.id)
        ),
        admitted_published=published,
        admitted_published_at=contest.admitted_published_at,
        admitted=_admitted(session, contest.id) if published else (),
        results=contest_results(session, contest_id=contest.id),
    )


@reads
def contest_items(session: Session, *, now: datetime) -> list[ContestItem]:
    """Every contest, the latest year first."""
    return [
        ContestItem(id=c.id, year=c.year, title=c.title, apply_open=apply_open(c, now))
        for c in contests_list(session)
    ]


@reads
def public_view(session: Session, *, contest_id: int | None, now: datetime) -> ContestView | None:
    """The contest asked for, else the current one (None when no contest exists yet)."""
    if contest_id is None:
        current: AwardContest | None = current_contest(session)
        if current is None:
            return None
        contest_id = current.id
    return contest_view(session, contest_id=contest_id, now=now)
