"""Plain rows of an award contest for the commission's tests: a contest with tasks and criteria,
admitted teams with members, and people for the commission (no business rules of the teams' part)."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import count

from sqlmodel import Session

from ag_app.models import AwardContest, AwardCriterion, AwardMember, AwardTask, AwardTeam, User
from tests.factories import make_user

T0 = datetime(2026, 3, 1, tzinfo=UTC)
_seq = count(1)


@dataclass
class Contest:
    """Ids of what :func:`make_contest` created."""

    id: int
    tasks: list[int]
    # Criterion id → maximum, by number.
    criteria: dict[int, int]
    # Task id → its admitted teams' ids in creation order.
    teams: dict[int, list[int]] = field(default_factory=dict)


def make_contest(
    session: Session,
    *,
    tasks: int = 2,
    maxima: tuple[int, ...] = (10, 5),
    year: int | None = None,
) -> Contest:
    """A contest with ``tasks`` tasks and one criterion per maximum in ``maxima``."""
    n = next(_seq)
    contest = AwardContest(
        year=year or 2000 + n,
        title=f"Лидеры цифровой трансформации {n}",
        apply_opens_at=T0,
        apply_closes_at=datetime(2026, 5, 1, tzinfo=UTC),
        created_at=T0,
    )
    session.add(contest)
    session.flush()
    task_ids = []
    for number in range(1, tasks + 1):
        task = AwardTask(
            contest_id=contest.id,
            number=number,
            title=f"Задача {number}",
            prize_1=100_000_00,
            prize_2=50_000_00,
            prize_3=25_000_00,
        )
        session.add(task)
        session.flush()
        task_ids.append(task.id)
    criteria = {}
    for number, maximum in enumerate(maxima, start=1):
        criterion = AwardCriterion(
            contest_id=contest.id,
            number=number,
            name=f"Критерий {number}",
            description=f"Описание критерия {number}",
            max_score=maximum,
        )
        session.add(criterion)
        session.flush()
        criteria[criterion.id] = maximum
    session.commit()
    return Contest(contest.id, task_ids, criteria, {t: [] for t in task_ids})


def make_team(
    session: Session, contest: Contest, task_id: int, *, name: str = "", status: str = "admitted"
) -> int:
    """A team of two members with a project, admitted to the task by default."""
    n = next(_seq)
    captain = make_user(session)
    mate = make_user(session)
    team_name = name or f"Team {n}"
    team = AwardTeam(
        contest_id=contest.id,
        task_id=task_id,
        name=team_name,
        name_key=team_name.casefold(),
        captain_id=captain.id,
        status=status,
        project_title=f"Проект {team_name}",
        prototype_url=f"https://example.ru/{n}",
        project_description="Описание проекта: прототип и порядок решения задачи.",
        technologies="Python, PostgreSQL",
        created_at=T0,
        applied_at=T0,
        reviewed_at=T0,
    )
    session.add(team)
    session.flush()
    for user in (captain, mate):
        session.add(
            AwardMember(
                contest_id=contest.id, team_id=team.id, user_id=user.id, status="member", invited_at=T0
            )
        )
    session.commit()
    if status == "admitted":
        contest.teams[task_id].append(team.id)
    return team.id


def make_person(session: Session, last_name: str, *, roles: tuple[str, ...] = ()) -> User:
    """A registered person with a distinct surname (names appear in the views)."""
    user = make_user(session, roles=roles)
    user.last_name = last_name
    session.add(user)
    session.commit()
    return user


HELD_ON = date(2026, 11, 20)
