"""The operator reviews applications (seed П. 1.14, 2.5–2.7, 3.7): admits or refuses them with a
reason, publishes the list of admitted teams, and excludes a team or one person on a ground of
П. 1.14 with a note. The list of applications with members' names is the operator's only.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from ag_app.db import reads
from ag_app.domain.award import check_ground, check_reason, check_team_size
from ag_app.domain.errors import Conflict, InvalidInput, NotFound
from ag_app.i18n import message
from ag_app.models import User
from ag_app.models.award import TEAM_STATUSES, AwardContest, AwardMember, AwardTask, AwardTeam
from ag_app.services.access import Capability, require
from ag_app.services.award.cabinet import STATUS_NAMES, full_name, ground_text
from ag_app.services.award.contests import get_contest
from ag_app.services.award.teams import LINK, after_departure, cancel_invitations, lock_team, team_size
from ag_app.services.notifications import notify

# Statuses in which a team may still be excluded (it stands in the contest or was refused).
EXCLUDABLE = ("forming", "applied", "admitted", "refused")


@dataclass(frozen=True)
class MemberRow:
    """A member of a team in the operator's list (the membership id is what «исключить» takes)."""

    id: int
    name: str
    captain: bool


@dataclass(frozen=True)
class ApplicationRow:
    """A team in the operator's list of applications."""

    id: int
    name: str
    task_id: int
    task_number: int
    task_title: str
    status: str
    status_name: str
    size: int
    members: tuple[MemberRow, ...]
    project_title: str
    prototype_url: str
    project_description: str
    technologies: str
    applied_at: datetime | None
    review_note: str
    exclusion_ground: str
    exclusion_text: str


def _members(session: Session, team: AwardTeam) -> tuple[MemberRow, ...]:
    rows = session.exec(
        select(AwardMember, User)
        .join(User, col(User.id) == col(AwardMember.user_id))
        .where(AwardMember.team_id == team.id, AwardMember.status == "member")
        .order_by(col(AwardMember.answered_at), col(AwardMember.id))
    ).all()
    return tuple(
        MemberRow(id=row.id, name=full_name(user), captain=user.id == team.captain_id) for row, user in rows
    )


@reads
def applications(
    session: Session,
    *,
    actor_id: int | None,
    contest_id: int,
    task_id: int | None = None,
    status: str | None = None,
) -> list[ApplicationRow]:
    """The contest's teams by task and name, filtered by task and status (operator only)."""
    require(session, actor_id, Capability.AWARD_MANAGE)
    get_contest(session, contest_id)
    if status is not None and status not in TEAM_STATUSES:
        raise InvalidInput("award.status_unknown")
    query = (
        select(AwardTeam, AwardTask)
        .join(AwardTask, col(AwardTask.id) == col(AwardTeam.task_id))
        .where(AwardTeam.contest_id == contest_id)
        .order_by(col(AwardTask.number), col(AwardTeam.name_key))
    )
    if task_id is not None:
        query = query.where(AwardTeam.task_id == task_id)
    if status is not None:
        query = query.where(AwardTeam.status == status)
    result = []
    for team, task in session.exec(query).all():
        members = _members(session, team)
        result.append(
            ApplicationRow(
                id=team.id,
                name=team.name,
                task_id=task.id,
                task_number=task.number,
                task_title=task.title,
                status=team.status,
                status_name=STATUS_NAMES[team.status],
                size=len(members),
                members=members,
                project_title=team.project_title,
                prototype_url=team.prototype_url,
                project_description=team.project_description,
                technologies=team.technologies,
                applied_at=team.applied_at,
                review_note=team.review_note,
                exclusion_ground=team.exclusion_ground,
                exclusion_text=ground_text(team.exclusion_ground),
            )
        )
    return result


def _tell_team(session: Session, team: AwardTeam, key: str, now: datetime, **params: object) -> None:
    for member in _members(session, team):
        row = session.get(AwardMember, member.id)
        notify(
            session,
            user_id=row.user_id,
            title=message(f"award.notify_{key}", team=team.name),
            body=message(f"award.notify_{key}_body", **params),
            link=LINK,
            now=now,
        )


def _applied_team(session: Session, actor_id: int | None, team_id: int) -> AwardTeam:
    require(session, actor_id, Capability.AWARD_MANAGE)
    team = lock_team(session, team_id)
    if team.status != "applied":
        raise Conflict("award.review_not_applied", status=STATUS_NAMES[team.status])
    return team


def admit(session: Session, *, actor_id: int | None, team_id: int, now: datetime) -> None:
    """Admit an application of a team of two to five members."""
    team = _applied_team(session, actor_id, team_id)
    check_team_size(team_size(session, team.id))
    team.status, team.reviewed_at, team.review_note = "admitted", now, ""
    session.add(team)
    session.flush()
    _tell_team(session, team, "admitted", now)


def refuse(session: Session, *, actor_id: int | None, team_id: int, reason: str, now: datetime) -> None:
    """Refuse an application with a reason (3–500 characters) the members see."""
    require(session, actor_id, Capability.AWARD_MANAGE)
    reason = check_reason(reason)
    team = _applied_team(session, actor_id, team_id)
    team.status, team.reviewed_at, team.review_note = "refused", now, reason
    session.add(team)
    session.flush()
    _tell_team(session, team, "refused", now, reason=reason)


def publish_admitted(session: Session, *, actor_id: int | None, contest_id: int, now: datetime) -> None:
    """Publish the list of admitted teams: from now on the public page shows it (kept up to date)."""
    require(session, actor_id, Capability.AWARD_MANAGE)
    contest = session.exec(
        select(AwardContest).where(AwardContest.id == contest_id).with_for_update()
    ).first()
    if contest is None:
        raise NotFound("award.contest_not_found")
    if contest.admitted_published_at is not None:
        raise Conflict("award.admitted_already_published")
    contest.admitted_published_at = now
    session.add(contest)
    session.flush()


def exclude_team(
    session: Session, *, actor_id: int | None, team_id: int, ground: str, note: str, now: datetime
) -> None:
    """Exclude a team on a ground of П. 1.14 with a note; its pending invitations are cancelled."""
    require(session, actor_id, Capability.AWARD_MANAGE)
    ground, note = check_ground(ground), check_reason(note)
    team = lock_team(session, team_id)
    if team.status not in EXCLUDABLE:
        raise Conflict("award.exclude_not_standing", status=STATUS_NAMES[team.status])
    team.status, team.exclusion_ground, team.review_note, team.reviewed_at = "excluded", ground, note, now
    cancel_invitations(session, team.id, now)
    session.add(team)
    session.flush()
    _tell_team(session, team, "excluded", now, ground=ground_text(ground), note=note)


def exclude_member(
    session: Session, *, actor_id: int | None, member_id: int, ground: str, note: str, now: datetime
) -> None:
    """Exclude one person from their team with a ground and a note; a team left with fewer than two
    members is excluded too (ground ``team_size``)."""
    require(session, actor_id, Capability.AWARD_MANAGE)
    ground, note = check_ground(ground), check_reason(note)
    row = session.get(AwardMember, member_id)
    if row is None:
        raise NotFound("award.member_not_found")
    team = lock_team(session, row.team_id)
    session.refresh(row)
    if row.status != "member":
        raise Conflict("award.member_not_active")
    row.status, row.left_at, row.exclusion_ground, row.note = "excluded", now, ground, note
    session.add(row)
    session.flush()
    notify(
        session,
        user_id=row.user_id,
        title=message("award.notify_member_excluded", team=team.name),
        body=message("award.notify_member_excluded_body", ground=ground_text(ground), note=note),
        link=LINK,
        now=now,
    )
    after_departure(session, team, left_user=row.user_id, excluded=True, now=now)
