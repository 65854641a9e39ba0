"""The award contest «Лидеры цифровой трансформации» over the REST API: the public contests, a
participant's team and application, and the operator's contest form and review.

Thin: every route calls the use cases of :mod:`ag_app.services.award` with the actor taken from the
server-side session only; the services check rights, membership, deadlines and sizes. Public
answers carry no person's name, phone or user id — a team appears by its name. (The jury's and the
results' routes live in ``api/award_jury.py`` and ``api/award_results.py``.)
"""

from datetime import datetime

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from ag_app.api.deps import actor_id, clock, db
from ag_app.api.params import Count, Id, number
from ag_app.domain.clock import MOSCOW, as_utc
from ag_app.domain.errors import NotAuthenticated
from ag_app.models.award import AwardMember, AwardTeam
from ag_app.services.award import cabinet, contests, public, review, teams
from ag_app.services.award.cabinet import MemberView
from ag_app.services.award.contests import (
    CRITERIA_LIMIT,
    TASKS_LIMIT,
    ContestConfig,
    CriterionSpec,
    TaskSpec,
)
from ag_app.services.award.public import ContestItem, ContestView
from ag_app.services.award.review import ApplicationRow

router = APIRouter(tags=["Премия «Лидеры цифровой трансформации»"])

# Submitted text is refused above these lengths before any rule runs (the rules are stricter).
_SHORT = 1_000
_LONG = 20_000


class _Body(BaseModel):
    """A request body: any field not listed is refused."""

    model_config = ConfigDict(extra="forbid")


class TaskIn(_Body):
    """A task: number, title, description, optional cap on teams, prizes of places 1–3 in kopecks."""

    number: number(1, 999)
    title: str = Field(max_length=_SHORT)
    description: str = Field(default="", max_length=_LONG)
    team_cap: number(1, contests.CAP_LIMIT) | None = None
    prize_1: Count = 0
    prize_2: Count = 0
    prize_3: Count = 0


class CriterionIn(_Body):
    """An evaluation criterion: a score from 0 to ``max_score``."""

    number: number(1, 999)
    name: str = Field(max_length=_SHORT)
    description: str = Field(default="", max_length=_LONG)
    max_score: number(1, contests.SCORE_LIMIT)


class ContestIn(_Body):
    """A contest: the application period (an instant without a zone is Moscow time; the end is
    exclusive), tasks and criteria."""

    # The service refuses a year outside 2000–2100 with the other problems of the contest.
    year: number(1, 9999)
    title: str = Field(max_length=_SHORT)
    description: str = Field(default="", max_length=_LONG)
    apply_opens_at: datetime
    apply_closes_at: datetime
    tasks: list[TaskIn] = Field(max_length=TASKS_LIMIT)
    criteria: list[CriterionIn] = Field(max_length=CRITERIA_LIMIT)


class TeamIn(_Body):
    """«Создать коллектив»: its name (Latin letters allowed) and task."""

    name: str = Field(max_length=_SHORT)
    task_id: Id


class InviteIn(_Body):
    """«Пригласить» a person with an account by their phone number."""

    phone: str = Field(max_length=40)


class TaskChoiceIn(_Body):
    """Another task for a forming team."""

    task_id: Id


class ApplicationIn(_Body):
    """The application's project."""

    title: str = Field(max_length=_SHORT)
    prototype_url: str = Field(max_length=_SHORT)
    description: str = Field(max_length=_LONG)
    technologies: str = Field(max_length=_SHORT)


class ReasonIn(_Body):
    """The reason of a refusal (3–500 characters)."""

    reason: str = Field(max_length=_SHORT)


class ExclusionIn(_Body):
    """An exclusion: a ground of П. 1.14 (team_size, commercial, rules, false_data) and a note."""

    ground: str = Field(max_length=40)
    note: str = Field(max_length=_SHORT)


def _moment(value: datetime) -> datetime:
    return as_utc(value.replace(tzinfo=MOSCOW) if value.tzinfo is None else value)


def _config(body: ContestIn) -> ContestConfig:
    return ContestConfig(
        year=body.year,
        title=body.title,
        description=body.description,
        apply_opens_at=_moment(body.apply_opens_at),
        apply_closes_at=_moment(body.apply_closes_at),
        tasks=tuple(
            TaskSpec(t.number, t.title, t.description, t.team_cap, (t.prize_1, t.prize_2, t.prize_3))
            for t in body.tasks
        ),
        criteria=tuple(CriterionSpec(c.number, c.name, c.max_score, c.description) for c in body.criteria),
    )


def _guest_refused(actor: int | None) -> int:
    if actor is None:
        raise NotAuthenticated("auth.required")
    return actor


def _me(session: Session, actor: int | None, contest_id: int, now: datetime) -> MemberView:
    session.flush()
    return cabinet.my_view(session, actor_id=actor, contest_id=contest_id, now=now)


def _team_contest(session: Session, team_id: int) -> int:
    return session.get(AwardTeam, team_id).contest_id


# --- public ----------------------------------------------------------------------------------------


@router.get("/awards")
def list_contests(
    session: Session = Depends(db, scope="function"), now: datetime = Depends(clock)
) -> list[ContestItem]:
    """Every contest, the latest year first, and whether applications are accepted now."""
    return public.contest_items(session, now=now)


@router.get("/awards/{contest_id}")
def contest_detail(
    contest_id: Id, session: Session = Depends(db, scope="function"), now: datetime = Depends(clock)
) -> ContestView:
    """The contest: the application period, tasks with prizes (kopecks) and caps, criteria, and the
    admitted teams (name, task, project) once the operator has published them."""
    return public.contest_view(session, contest_id=contest_id, now=now)


# --- participants ----------------------------------------------------------------------------------


@router.get("/awards/{contest_id}/me")
def my_team(
    contest_id: Id,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> MemberView:
    """«Моя команда»: the team, its members (names for teammates only), invitations to me, the
    application's status with the refusal reason or exclusion ground, and what I may do now."""
    return cabinet.my_view(session, actor_id=_guest_refused(actor), contest_id=contest_id, now=now)


@router.post("/awards/{contest_id}/teams")
def create_team(
    contest_id: Id,
    body: TeamIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> MemberView:
    """An adult (18+ today) creates a team for one task and becomes its captain."""
    teams.create_team(
        session, actor_id=actor, contest_id=contest_id, name=body.name, task_id=body.task_id, now=now
    )
    return _me(session, actor, contest_id, now)


@router.post("/awards/teams/{team_id}/invitations")
def invite(
    team_id: Id,
    body: InviteIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> MemberView:
    """A member invites a person with an account by phone while the team is forming."""
    teams.invite(session, actor_id=actor, team_id=team_id, phone=body.phone, now=now)
    return _me(session, actor, _team_contest(session, team_id), now)


def _answer(session: Session, actor: int | None, invitation_id: int, fn, now: datetime) -> MemberView:
    fn(session, actor_id=actor, invitation_id=invitation_id, now=now)
    return _me(session, actor, session.get(AwardMember, invitation_id).contest_id, now)


@router.post("/awards/invitations/{invitation_id}/accept")
def accept(
    invitation_id: Id,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> MemberView:
    """The invitee joins the team (at most five members; 18+ today)."""
    return _answer(session, actor, invitation_id, teams.accept, now)


@router.post("/awards/invitations/{invitation_id}/decline")
def decline(
    invitation_id: Id,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> MemberView:
    """The invitee declines the invitation."""
    return _answer(session, actor, invitation_id, teams.decline, now)


@router.post("/awards/teams/{team_id}/task")
def change_task(
    team_id: Id,
    body: TaskChoiceIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> MemberView:
    """Another task for the team — only while it is forming (a team solves one task)."""
    teams.change_task(session, actor_id=actor, team_id=team_id, task_id=body.task_id, now=now)
    return _me(session, actor, _team_contest(session, team_id), now)


@router.post("/awards/teams/{team_id}/application")
def submit_application(
    team_id: Id,
    body: ApplicationIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> MemberView:
    """Any member submits the application in the period, with 2–5 members, unless the task is full."""
    teams.submit_application(
        session,
        actor_id=actor,
        team_id=team_id,
        title=body.title,
        prototype_url=body.prototype_url,
        description=body.description,
        technologies=body.technologies,
        now=now,
    )
    return _me(session, actor, _team_contest(session, team_id), now)


@router.post("/awards/teams/{team_id}/leave")
def leave(
    team_id: Id,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> MemberView:
    """A member leaves the team at any stage; a team left with one member loses its application."""
    teams.leave(session, actor_id=actor, team_id=team_id, now=now)
    return _me(session, actor, _team_contest(session, team_id), now)


# --- the operator ----------------------------------------------------------------------------------


@router.post("/staff/awards")
def create_contest(
    body: ContestIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> ContestView:
    """Publish a year's contest; every problem of the configuration is listed at once (422)."""
    contest_id = contests.create_contest(session, actor_id=actor, config=_config(body), now=now)
    return public.contest_view(session, contest_id=contest_id, now=now)


@router.put("/staff/awards/{contest_id}")
def update_contest(
    contest_id: Id,
    body: ContestIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> ContestView:
    """Change a contest; 409 when the change would alter applications or score sheets."""
    contests.update_contest(session, actor_id=actor, contest_id=contest_id, config=_config(body), now=now)
    session.flush()
    return public.contest_view(session, contest_id=contest_id, now=now)


@router.get("/staff/awards/{contest_id}/applications")
def applications(
    contest_id: Id,
    task_id: Id | None = None,
    status: str | None = None,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
) -> list[ApplicationRow]:
    """The contest's teams with members' names and sizes, filtered by task and status (operator only)."""
    return review.applications(session, actor_id=actor, contest_id=contest_id, task_id=task_id, status=status)


def _row(session: Session, actor: int | None, team_id: int) -> ApplicationRow:
    session.flush()
    team = session.get(AwardTeam, team_id)
    rows = review.applications(session, actor_id=actor, contest_id=team.contest_id, task_id=team.task_id)
    return next(row for row in rows if row.id == team_id)


@router.post("/staff/awards/teams/{team_id}/admit")
def admit(
    team_id: Id,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> ApplicationRow:
    """Admit an application."""
    review.admit(session, actor_id=actor, team_id=team_id, now=now)
    return _row(session, actor, team_id)


@router.post("/staff/awards/teams/{team_id}/refuse")
def refuse(
    team_id: Id,
    body: ReasonIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> ApplicationRow:
    """Refuse an application with a reason the members see."""
    review.refuse(session, actor_id=actor, team_id=team_id, reason=body.reason, now=now)
    return _row(session, actor, team_id)


@router.post("/staff/awards/teams/{team_id}/exclude")
def exclude_team(
    team_id: Id,
    body: ExclusionIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> ApplicationRow:
    """Exclude a team on a ground of П. 1.14 with a note."""
    review.exclude_team(session, actor_id=actor, team_id=team_id, ground=body.ground, note=body.note, now=now)
    return _row(session, actor, team_id)


@router.post("/staff/awards/members/{member_id}/exclude")
def exclude_member(
    member_id: Id,
    body: ExclusionIn,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> ApplicationRow:
    """Exclude one person; a team left with fewer than two members is excluded too."""
    review.exclude_member(
        session, actor_id=actor, member_id=member_id, ground=body.ground, note=body.note, now=now
    )
    return _row(session, actor, session.get(AwardMember, member_id).team_id)


@router.post("/staff/awards/{contest_id}/publish-admitted")
def publish_admitted(
    contest_id: Id,
    session: Session = Depends(db, scope="function"),
    actor: int | None = Depends(actor_id),
    now: datetime = Depends(clock),
) -> ContestView:
    """Publish the list of admitted teams on the contest's public page."""
    review.publish_admitted(session, actor_id=actor, contest_id=contest_id, now=now)
    session.flush()
    return public.contest_view(session, contest_id=contest_id, now=now)
