"""The operator publishes and edits a year's contest: its period, tasks with caps and prizes, criteria.

Every problem of a configuration is listed at once and nothing is saved. Once teams exist, a change
may not alter what is already committed: a task with teams cannot be removed, a task's cap cannot
drop below the teams already applied or admitted to it, and once any score sheet exists the
criteria are fixed (a sheet scores exactly those criteria).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from ag_app.domain.award import CRITERION_MAX_LIMIT
from ag_app.domain.clock import as_utc
from ag_app.domain.errors import Conflict, InvalidInput, NotFound
from ag_app.domain.text import has_control_chars
from ag_app.i18n import message
from ag_app.models.award import (
    AwardAssignment,
    AwardContest,
    AwardCriterion,
    AwardSheet,
    AwardTask,
    AwardTeam,
)
from ag_app.services.access import Capability, require

YEAR_MIN, YEAR_MAX = 2000, 2100
TITLE_LIMIT = 200
TEXT_LIMIT = 10_000
CRITERION_TEXT_LIMIT = 2_000
TASKS_LIMIT = 50
CRITERIA_LIMIT = 30
CAP_LIMIT = 10_000
# A criterion's maximum score (К. 2.9).
SCORE_LIMIT = CRITERION_MAX_LIMIT
# A prize of one place in kopecks: at most 20 million roubles (the column is a 32-bit INTEGER).
PRIZE_LIMIT = 2_000_000_000
# A team counts against its task's cap while its application stands.
COUNTED = ("applied", "admitted")


@dataclass(frozen=True)
class TaskSpec:
    """A task as configured: its number, texts, optional cap and the prizes of places 1–3 (kopecks)."""

    number: int
    title: str
    description: str = ""
    team_cap: int | None = None
    prizes: tuple[int, int, int] = (0, 0, 0)


@dataclass(frozen=True)
class CriterionSpec:
    """An evaluation criterion: a score from 0 to ``max_score``."""

    number: int
    name: str
    max_score: int
    description: str = ""


@dataclass(frozen=True)
class ContestConfig:
    """Everything a contest is configured with; the period is aware UTC, its end exclusive."""

    year: int
    title: str
    description: str
    apply_opens_at: datetime
    apply_closes_at: datetime
    tasks: tuple[TaskSpec, ...]
    criteria: tuple[CriterionSpec, ...]


class ContestProblems(InvalidInput):
    """A configuration refused as a whole; ``problems`` are its Russian sentences, one per problem."""

    def __init__(self, problems: Sequence[str], key: str = "award.contest_problems") -> None:
        self.problems = list(problems)
        super().__init__(key, count=len(self.problems), problems=" ".join(self.problems))


class ContestLocked(Conflict):
    """A change that would alter what teams or the jury already committed to (HTTP 409)."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("award.contest_locked", count=len(self.problems), problems=" ".join(self.problems))


def _text_problem(label: str, value: str, limit: int, *, required: bool) -> str | None:
    if required and not value.strip():
        return message("award.contest_required", label=label)
    if len(value) > limit:
        return message("award.contest_too_long", label=label, limit=limit)
    if has_control_chars(value):
        return message("award.contest_control", label=label)
    return None


def _task_problems(task: TaskSpec) -> list[str]:
    problems = []
    label = f"Задача {task.number}"
    for what, value, limit, required in (
        (f"{label}: название", task.title, TITLE_LIMIT, True),
        (f"{label}: описание", task.description, TEXT_LIMIT, False),
    ):
        problem = _text_problem(what, value, limit, required=required)
        if problem:
            problems.append(problem)
    if task.team_cap is not None and not 1 <= task.team_cap <= CAP_LIMIT:
        problems.append(message("award.contest_cap", label=label, limit=CAP_LIMIT))
    if len(task.prizes) != 3 or any(not 0 <= p <= PRIZE_LIMIT for p in task.prizes):
        problems.append(message("award.contest_prize", label=label))
    return problems


def _criterion_problems(criterion: CriterionSpec) -> list[str]:
    problems = []
    label = f"Критерий {criterion.number}"
    for what, value, limit, required in (
        (f"{label}: название", criterion.name, TITLE_LIMIT, True),
        (f"{label}: описание", criterion.description, CRITERION_TEXT_LIMIT, False),
    ):
        problem = _text_problem(what, value, limit, required=required)
        if problem:
            problems.append(problem)
    if not 1 <= criterion.max_score <= SCORE_LIMIT:
        problems.append(message("award.contest_max_score", label=label, limit=SCORE_LIMIT))
    return problems


def config_problems(config: ContestConfig) -> list[str]:
    """Every problem the configuration alone shows, as Russian sentences (empty: it is sound)."""
    problems: list[str] = []
    if not YEAR_MIN <= config.year <= YEAR_MAX:
        problems.append(message("award.contest_year", low=YEAR_MIN, high=YEAR_MAX))
    for label, value, limit, required in (
        ("Название конкурса", config.title, TITLE_LIMIT, True),
        ("Описание конкурса", config.description, TEXT_LIMIT, False),
    ):
        problem = _text_problem(label, value, limit, required=required)
        if problem:
            problems.append(problem)
    if as_utc(config.apply_opens_at) >= as_utc(config.apply_closes_at):
        problems.append(message("award.contest_period"))
    if not config.tasks:
        problems.append(message("award.contest_tasks_required"))
    if not config.criteria:
        problems.append(message("award.contest_criteria_required"))
    if len(config.tasks) > TASKS_LIMIT:
        problems.append(message("award.contest_tasks_too_many", limit=TASKS_LIMIT))
    if len(config.criteria) > CRITERIA_LIMIT:
        problems.append(message("award.contest_criteria_too_many", limit=CRITERIA_LIMIT))
    numbers = [t.number for t in config.tasks]
    if len(set(numbers)) != len(numbers) or any(not 1 <= n <= 999 for n in numbers):
        problems.append(message("award.contest_task_numbers"))
    numbers = [c.number for c in config.criteria]
    if len(set(numbers)) != len(numbers) or any(not 1 <= n <= 999 for n in numbers):
        problems.append(message("award.contest_criterion_numbers"))
    for task in config.tasks[:TASKS_LIMIT]:
        problems += _task_problems(task)
    for criterion in config.criteria[:CRITERIA_LIMIT]:
        problems += _criterion_problems(criterion)
    return problems


def _clean(config: ContestConfig) -> ContestConfig:
    tasks = tuple(
        TaskSpec(t.number, " ".join(t.title.split()), t.description.strip(), t.team_cap, tuple(t.prizes))
        for t in config.tasks
    )
    criteria = tuple(
        CriterionSpec(c.number, " ".join(c.name.split()), c.max_score, c.description.strip())
        for c in config.criteria
    )
    return ContestConfig(
        year=config.year,
        title=" ".join(config.title.split()),
        description=config.description.strip(),
        apply_opens_at=as_utc(config.apply_opens_at),
        apply_closes_at=as_utc(config.apply_closes_at),
        tasks=tuple(sorted(tasks, key=lambda t: t.number)),
        criteria=tuple(sorted(criteria, key=lambda c: c.number)),
    )


def _checked(config: ContestConfig) -> ContestConfig:
    config = _clean(config)
    problems = config_problems(config)
    if problems:
        raise ContestProblems(problems)
    return config


def get_contest(session: Session, contest_id: int) -> AwardContest:
    contest = session.get(AwardContest, contest_id)
    if contest is None:
        raise NotFound("award.contest_not_found")
    return contest


def contests_list(session: Session) -> list[AwardContest]:
    """Every contest, the latest year first."""
    return list(session.exec(select(AwardContest).order_by(col(AwardContest.year).desc())).all())


def current_contest(session: Session) -> AwardContest | None:
    """The contest the «Премия» page shows: the latest year."""
    return session.exec(select(AwardContest).order_by(col(AwardContest.year).desc())).first()


def tasks_of(session: Session, contest_id: int) -> list[AwardTask]:
    """The contest's tasks by number."""
    return list(
        session.exec(
            select(AwardTask).where(AwardTask.contest_id == contest_id).order_by(col(AwardTask.number))
        ).all()
    )


def criteria_of(session: Session, contest_id: int) -> list[AwardCriterion]:
    """The contest's criteria by number."""
    return list(
        session.exec(
            select(AwardCriterion)
            .where(AwardCriterion.contest_id == contest_id)
            .order_by(col(AwardCriterion.number))
        ).all()
    )


def counted_teams(session: Session, task_id: int) -> int:
    """The teams that count against a task's cap: applied or admitted."""
    return session.exec(
        select(func.count())
        .select_from(AwardTeam)
        .where(AwardTeam.task_id == task_id, col(AwardTeam.status).in_(COUNTED))
    ).one()


def config_of(session: Session, contest: AwardContest) -> ContestConfig:
    """The contest's current configuration (what the operator's form starts from)."""
    return ContestConfig(
        year=contest.year,
        title=contest.title,
        description=contest.description,
        apply_opens_at=as_utc(contest.apply_opens_at),
        apply_closes_at=as_utc(contest.apply_closes_at),
        tasks=tuple(
            TaskSpec(t.number, t.title, t.description, t.team_cap, (t.prize_1, t.prize_2, t.prize_3))
            for t in tasks_of(session, contest.id)
        ),
        criteria=tuple(
            CriterionSpec(c.number, c.name, c.max_score, c.description)
            for c in criteria_of(session, contest.id)
        ),
    )


def _year_taken(session: Session, year: int, contest_id: int | None) -> bool:
    found = session.exec(select(AwardContest.id).where(AwardContest.year == year)).first()
    return found is not None and found != contest_id


def _set_task(task: AwardTask, spec: TaskSpec) -> None:
    task.title, task.description, task.team_cap = spec.title, spec.description, spec.team_cap
    task.prize_1, task.prize_2, task.prize_3 = spec.prizes


def create_contest(session: Session, *, actor_id: int | None, config: ContestConfig, now: datetime) -> int:
    """Publish a new year's contest with its tasks and criteria; returns its id."""
    user = require(session, actor_id, Capability.AWARD_MANAGE)
    config = _checked(config)
    if _year_taken(session, config.year, None):
        raise Conflict("award.contest_year_taken", year=config.year)
    contest = AwardContest(
        year=config.year,
        title=config.title,
        description=config.description,
        apply_opens_at=config.apply_opens_at,
        apply_closes_at=config.apply_closes_at,
        created_at=now,
        created_by=user.id,
    )
    session.add(contest)
    session.flush()
    for spec in config.tasks:
        task = AwardTask(contest_id=contest.id, number=spec.number, title=spec.title)
        _set_task(task, spec)
        session.add(task)
    for spec in config.criteria:
        session.add(
            AwardCriterion(
                contest_id=contest.id,
                number=spec.number,
                name=spec.name,
                description=spec.description,
                max_score=spec.max_score,
            )
        )
    session.flush()
    return contest.id


def _has_sheets(session: Session, contest_id: int) -> bool:
    return (
        session.exec(
            select(AwardSheet.id)
            .join(AwardTask, col(AwardTask.id) == col(AwardSheet.task_id))
            .where(AwardTask.contest_id == contest_id)
            .limit(1)
        ).first()
        is not None
    )


def _task_in_use(session: Session, task_id: int) -> bool:
    """Whether a team or the commission's expert group already refers to the task."""
    team = session.exec(select(AwardTeam.id).where(AwardTeam.task_id == task_id).limit(1)).first()
    group = session.exec(
        select(AwardAssignment.id).where(AwardAssignment.task_id == task_id).limit(1)
    ).first()
    return team is not None or group is not None


def _locked_problems(session: Session, contest_id: int, config: ContestConfig) -> list[str]:
    """What the change would alter of what is committed, one Russian sentence each."""
    problems: list[str] = []
    wanted = {t.number: t for t in config.tasks}
    for task in tasks_of(session, contest_id):
        spec = wanted.get(task.number)
        if spec is None:
            if _task_in_use(session, task.id):
                problems.append(message("award.contest_task_in_use", number=task.number))
            continue
        counted = counted_teams(session, task.id)
        if spec.team_cap is not None and spec.team_cap < counted:
            problems.append(message("award.contest_cap_below", number=task.number, teams=counted))
    current = [(c.number, c.name, c.max_score, c.description) for c in criteria_of(session, contest_id)]
    asked = [(c.number, c.name, c.max_score, c.description) for c in config.criteria]
    if current != asked and _has_sheets(session, contest_id):
        problems.append(message("award.contest_criteria_scored"))
    return problems


def update_contest(
    session: Session, *, actor_id: int | None, contest_id: int, config: ContestConfig, now: datetime
) -> None:
    """Change a contest; refused (nothing changed) when it would alter what is already committed."""
    require(session, actor_id, Capability.AWARD_MANAGE)
    contest = session.exec(
        select(AwardContest).where(AwardContest.id == contest_id).with_for_update()
    ).first()
    if contest is None:
        raise NotFound("award.contest_not_found")
    config = _checked(config)
    if _year_taken(session, config.year, contest_id):
        raise Conflict("award.contest_year_taken", year=config.year)
    problems = _locked_problems(session, contest_id, config)
    if problems:
        raise ContestLocked(problems)
    contest.year, contest.title, contest.description = config.year, config.title, config.description
    contest.apply_opens_at, contest.apply_closes_at = config.apply_opens_at, config.apply_closes_at
    session.add(contest)
    tasks = {t.number: t for t in tasks_of(session, contest_id)}
    wanted = {t.number: t for t in config.tasks}
    for number, task in tasks.items():
        if number not in wanted:
            session.delete(task)
    for number, spec in wanted.items():
        task = tasks.get(number) or AwardTask(contest_id=contest_id, number=number, title=spec.title)
        _set_task(task, spec)
        session.add(task)
    criteria = {c.number: c for c in criteria_of(session, contest_id)}
    asked = {c.number: c for c in config.criteria}
    for number, criterion in criteria.items():
        if number not in asked:
            session.delete(criterion)
    for number, spec in asked.items():
        criterion = criteria.get(number) or AwardCriterion(
            contest_id=contest_id, number=number, name=spec.name, max_score=spec.max_score
        )
        criterion.name, criterion.description, criterion.max_score = (
            spec.name,
            spec.description,
            spec.max_score,
        )
        session.add(criterion)
    session.flush()
