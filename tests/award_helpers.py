"""Building award contests, teams and applications for the tests (issue 16)."""

from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session

from ag_app.db import transaction
from ag_app.domain.clock import MOSCOW
from ag_app.models import User
from ag_app.services.award import contests, teams
from ag_app.services.award.contests import ContestConfig, CriterionSpec, TaskSpec
from tests.factories import make_user

# Applications are accepted from 1 October 2026 10:00 to 30 November 2026 23:59 Moscow time; the
# tests' fixed «now» (20 November 2026, 12:00 Moscow) is inside the period.
OPENS = datetime.combine(date(2026, 10, 1), time(10, 0), tzinfo=MOSCOW).astimezone(UTC)
CLOSES = datetime.combine(date(2026, 12, 1), time(0, 0), tzinfo=MOSCOW).astimezone(UTC)
PROJECT = {
    "title": "Цифровой двор",
    "prototype_url": "https://example.ru/prototype",
    "description": "Сервис для жителей: заявки на благоустройство двора с картой и голосованием.",
    "technologies": "Python, PostgreSQL",
}


def config(year: int = 2026, *, caps: tuple[int | None, ...] = (None, 2), **overrides) -> ContestConfig:
    """A contest with a task per cap (task 1, 2, …) and two criteria."""
    tasks = tuple(
        TaskSpec(
            number,
            f"Задача номер {number}",
            f"Описание задачи {number}",
            cap,
            (50_000_000, 30_000_000, 10_000_050),
        )
        for number, cap in enumerate(caps, start=1)
    )
    values = {
        "year": year,
        "title": f"Лидеры цифровой трансформации {year}",
        "description": "Конкурс проектов",
        "apply_opens_at": OPENS,
        "apply_closes_at": CLOSES,
        "tasks": tasks,
        "criteria": (
            CriterionSpec(1, "Актуальность", 10, "Насколько нужен"),
            CriterionSpec(2, "Реализуемость", 5),
        ),
    }
    values.update(overrides)
    return ContestConfig(**values)


def make_contest(engine, session: Session, now: datetime, **overrides) -> tuple[int, int, list[int]]:
    """An operator and a contest; returns (contest id, operator id, task ids by number)."""
    staff = make_user(session, roles=("staff",))
    with transaction(engine) as s:
        contest_id = contests.create_contest(
            s, actor_id=staff.id, config=config(**overrides), now=now - timedelta(days=60)
        )
        task_ids = [t.id for t in contests.tasks_of(s, contest_id)]
    return contest_id, staff.id, task_ids


def person(session: Session, *, birth_date: date | None = date(1990, 3, 4), named: bool = True) -> User:
    """A resident with an account (a name in the profile unless ``named`` is False)."""
    user = make_user(session, birth_date=birth_date)
    if not named:
        user.first_name = user.last_name = ""
        session.add(user)
        session.commit()
    return user


def run(engine, fn, **kwargs):
    """One use case in its own write transaction."""
    with transaction(engine) as s:
        return fn(s, **kwargs)


def make_team(
    engine,
    session: Session,
    contest_id: int,
    task_id: int,
    now: datetime,
    *,
    size: int = 3,
    name: str = "Команда А",
):
    """A team of ``size`` members (the captain first); returns (team id, members)."""
    members = [person(session) for _ in range(size)]
    team_id = run(
        engine,
        teams.create_team,
        actor_id=members[0].id,
        contest_id=contest_id,
        name=name,
        task_id=task_id,
        now=now,
    )
    for member in members[1:]:
        invitation = run(
            engine, teams.invite, actor_id=members[0].id, team_id=team_id, phone=member.phone, now=now
        )
        run(engine, teams.accept, actor_id=member.id, invitation_id=invitation, now=now)
    return team_id, members


def apply(engine, team_id: int, actor_id: int, now: datetime) -> None:
    run(engine, teams.submit_application, actor_id=actor_id, team_id=team_id, now=now, **PROJECT)
