"""A participant's own view of the contest («Моя команда»): their team, its members, the invitations
to them, the application's status with the refusal reason or exclusion ground, and what they may do.

Members' names are shown only to teammates: an invited person appears with a masked phone, a
team inviting the viewer only by its name and task.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from ag_app.db import reads
from ag_app.domain.award import EXCLUSION_GROUNDS, TEAM_MAX, TEAM_MIN, is_adult_on
from ag_app.domain.clock import as_utc, moscow_date
from ag_app.domain.phone import mask_phone
from ag_app.i18n import message, statuses
from ag_app.models import User
from ag_app.models.award import AwardContest, AwardMember, AwardTask, AwardTeam
from ag_app.services.access import active_user
from ag_app.services.award.contests import counted_teams, get_contest
from ag_app.services.award.teams import INVITES_LIMIT, apply_open, has_profile_name

STATUS_NAMES = statuses("award_team", heading=True)


def full_name(user: User) -> str:
    """«Фамилия Имя Отчество» as the profile holds it (a «-» patronymic is left out)."""
    parts = [user.last_name, user.first_name, "" if user.patronymic == "-" else user.patronymic]
    return " ".join(part for part in parts if part)


def ground_text(ground: str) -> str:
    """The Russian label of an exclusion ground (empty for none)."""
    return EXCLUSION_GROUNDS.get(ground, "")


@dataclass(frozen=True)
class TeammateView:
    """A member as their teammates see them."""

    name: str
    captain: bool
    me: bool


@dataclass(frozen=True)
class PendingView:
    """A pending invitation of the team: the invitee's phone, masked."""

    id: int
    phone: str
    invited_at: datetime


@dataclass(frozen=True)
class InvitationView:
    """An invitation to the viewer: the team's name and task, never its members."""

    id: int
    team_name: str
    task_number: int
    task_title: str
    invited_at: datetime


@dataclass(frozen=True)
class TeamView:
    """The viewer's team, its members and its application."""

    id: int
    name: str
    task_id: int
    task_number: int
    task_title: str
    status: str
    status_name: str
    captain: bool
    members: tuple[TeammateView, ...]
    pending: tuple[PendingView, ...]
    size: int
    project_title: str
    prototype_url: str
    project_description: str
    technologies: str
    applied_at: datetime | None
    # The refusal reason, or the note of a withdrawal or an exclusion.
    review_note: str
    exclusion_ground: str
    exclusion_text: str


@dataclass(frozen=True)
class MemberView:
    """Everything «Моя команда» shows a participant, and what they may do now."""

    contest_id: int
    team: TeamView | None
    invitations: tuple[InvitationView, ...]
    # Why the viewer was excluded from a team (ground and note), when that is their last word.
    my_exclusion: str
    apply_open: bool
    can_create: bool
    can_invite: bool
    can_apply: bool
    can_change_task: bool
    can_leave: bool
    notes: tuple[str, ...]


def _team_view(session: Session, team: AwardTeam, viewer: int) -> TeamView:
    task = session.get(AwardTask, team.task_id)
    rows = session.exec(
        select(AwardMember, User)
        .join(User, col(User.id) == col(AwardMember.user_id))
        .where(AwardMember.team_id == team.id, col(AwardMember.status).in_(("invited", "member")))
        .order_by(col(AwardMember.answered_at), col(AwardMember.id))
    ).all()
    members = tuple(
        TeammateView(name=full_name(user), captain=user.id == team.captain_id, me=user.id == viewer)
        for row, user in rows
        if row.status == "member"
    )
    pending = tuple(
        PendingView(id=row.id, phone=mask_phone(user.phone), invited_at=row.invited_at)
        for row, user in rows
        if row.status == "invited"
    )
    return TeamView(
        id=team.id,
        name=team.name,
        task_id=team.task_id,
        task_number=task.number,
        task_title=task.title,
        status=team.status,
        status_name=STATUS_NAMES[team.status],
        captain=team.captain_id == viewer,
        members=members,
        pending=pending,
        size=len(members),
        project_title=team.project_title,
        prototype_url=team.prototype_url,
        project_description=team.project_description,
        technologies=team.technologies,
        applied_at=team.applied_at,
        review_note=team.review_note,
        exclusion_ground=team.exclusion_ground,
        exclusion_text=ground_text(team.exclusion_ground),
    )


def _invitations(session: Session, contest_id: int, user_id: int) -> tuple[InvitationView, ...]:
    rows = session.exec(
        select(AwardMember, AwardTeam, AwardTask)
        .join(AwardTeam, col(AwardTeam.id) == col(AwardMember.team_id))
        .join(AwardTask, col(AwardTask.id) == col(AwardTeam.task_id))
        .where(
            AwardMember.contest_id == contest_id,
            AwardMember.user_id == user_id,
            AwardMember.status == "invited",
        )
    ).all()
    return tuple(
        InvitationView(
            id=row.id,
            team_name=team.name,
            task_number=task.number,
            task_title=task.title,
            invited_at=row.invited_at,
        )
        for row, team, task in rows
    )


def _my_exclusion(session: Session, contest_id: int, user_id: int) -> str:
    last = session.exec(
        select(AwardMember)
        .where(AwardMember.contest_id == contest_id, AwardMember.user_id == user_id)
        .order_by(col(AwardMember.id).desc())
    ).first()
    if last is None or last.status != "excluded":
        return ""
    return message("award.my_exclusion", ground=ground_text(last.exclusion_ground), note=last.note)


def _notes(contest: AwardContest, user: User, team: AwardTeam | None, now: datetime, full: bool) -> list[str]:
    notes: list[str] = []
    if not has_profile_name(user):
        notes.append(message("award.profile_name_required"))
    elif not is_adult_on(user.birth_date, moscow_date(now)):
        notes.append(message("award.not_adult"))
    if as_utc(now) < as_utc(contest.apply_opens_at):
        notes.append(message("award.applications_not_open"))
    elif as_utc(now) >= as_utc(contest.apply_closes_at):
        notes.append(message("award.applications_closed"))
    if team is not None and team.status == "forming" and full:
        notes.append(message("award.task_full_note"))
    return notes


@reads
def my_view(session: Session, *, actor_id: int | None, contest_id: int, now: datetime) -> MemberView:
    """«Моя команда» of the acting participant in a contest."""
    user = active_user(session, actor_id)
    contest = get_contest(session, contest_id)
    row = session.exec(
        select(AwardMember).where(
            AwardMember.contest_id == contest.id,
            AwardMember.user_id == user.id,
            AwardMember.status == "member",
        )
    ).first()
    team = session.get(AwardTeam, row.team_id) if row is not None else None
    invitations = _invitations(session, contest.id, user.id)
    is_open = apply_open(contest, now)
    before_end = as_utc(now) < as_utc(contest.apply_closes_at)
    forming = team is not None and team.status == "forming"
    view = _team_view(session, team, user.id) if team is not None else None
    task = session.get(AwardTask, team.task_id) if forming else None
    full = task is not None and task.team_cap is not None and counted_teams(session, task.id) >= task.team_cap
    pending = len(view.pending) if view else 0
    return MemberView(
        contest_id=contest.id,
        team=view,
        invitations=invitations,
        my_exclusion=_my_exclusion(session, contest.id, user.id) if team is None else "",
        apply_open=is_open,
        can_create=team is None and not invitations and before_end,
        can_invite=forming and before_end and view.size < TEAM_MAX and pending < INVITES_LIMIT,
        can_apply=forming and is_open and TEAM_MIN <= view.size <= TEAM_MAX and not full,
        can_change_task=forming,
        can_leave=team is not None,
        notes=tuple(_notes(contest, user, team, now, full)),
    )
