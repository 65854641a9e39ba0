"""A resident's team in the award contest: create it, invite by phone, answer invitations, apply,
change the task while forming, and leave (seed: П. 1.4, 2.1–2.7, 3.4–3.6).

One person is invited to or in at most one team of a contest (the partial unique index
``ux_award_member_active`` backs the check up; the invitee's user row is locked while it is made).
Whatever changes a team's members or status locks the team's row first (``SELECT … FOR UPDATE``;
SQLite's write lock serialises everything anyway), so twenty acceptances into a team with one free
place let exactly one person in. The member's own view is in :mod:`ag_app.services.award.cabinet`.
"""

from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from ag_app.domain.award import (
    TEAM_MAX,
    TEAM_MIN,
    check_project,
    check_team_name,
    check_team_size,
    is_adult_on,
)
from ag_app.domain.clock import as_utc, moscow_date
from ag_app.domain.errors import Conflict, DomainError, InvalidInput, NotAllowed, NotFound
from ag_app.domain.phone import normalize_phone
from ag_app.i18n import message
from ag_app.models import User
from ag_app.models.award import AwardContest, AwardMember, AwardTask, AwardTeam
from ag_app.services.access import active_user, lock_user
from ag_app.services.award.contests import counted_teams, get_contest
from ag_app.services.notifications import notify

# Pending invitations of one team at a time (more people may be invited than places remain).
INVITES_LIMIT = 20
ACTIVE = ("invited", "member")
# Where a participant's notifications lead.
LINK = "/awards/team"


def apply_open(contest: AwardContest, now: datetime) -> bool:
    """Whether applications are accepted at ``now`` (the period's end is exclusive)."""
    return as_utc(contest.apply_opens_at) <= as_utc(now) < as_utc(contest.apply_closes_at)


def name_key(name: str) -> str:
    """A team's name folded for uniqueness within the contest (case-insensitive)."""
    return name.casefold()


def has_profile_name(user: User) -> bool:
    """Whether the profile has a first and a last name (a team lists its members by name)."""
    return bool(user.first_name.strip() and user.last_name.strip())


def check_person(user: User, now: datetime) -> None:
    """A participant: a profile with a name, 18 full years old on the Moscow day of ``now``."""
    if not has_profile_name(user):
        raise NotAllowed("award.profile_name_required")
    if not is_adult_on(user.birth_date, moscow_date(now)):
        raise NotAllowed("award.not_adult")


def active_row(session: Session, contest_id: int, user_id: int) -> AwardMember | None:
    """The person's invitation or membership in the contest (at most one)."""
    return session.exec(
        select(AwardMember).where(
            AwardMember.contest_id == contest_id,
            AwardMember.user_id == user_id,
            col(AwardMember.status).in_(ACTIVE),
        )
    ).first()


def team_size(session: Session, team_id: int) -> int:
    """The team's members (invitations not counted)."""
    return session.exec(
        select(func.count())
        .select_from(AwardMember)
        .where(AwardMember.team_id == team_id, AwardMember.status == "member")
    ).one()


def lock_team(session: Session, team_id: int) -> AwardTeam:
    """The team's row, locked for the rest of the transaction (404 when there is none)."""
    team = session.exec(
        select(AwardTeam)
        .where(AwardTeam.id == team_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if team is None:
        raise NotFound("award.team_not_found")
    return team


def _my_team(session: Session, actor_id: int | None, team_id: int) -> tuple[User, AwardTeam, AwardMember]:
    """The acting member, their team (locked) and their membership; a non-member is refused."""
    user = active_user(session, actor_id)
    team = lock_team(session, team_id)
    row = session.exec(
        select(AwardMember).where(
            AwardMember.team_id == team.id, AwardMember.user_id == user.id, AwardMember.status == "member"
        )
    ).first()
    if row is None:
        raise NotAllowed("award.not_member")
    return user, team, row


def _task_of(session: Session, contest_id: int, task_id: int) -> AwardTask:
    task = session.get(AwardTask, task_id)
    if task is None or task.contest_id != contest_id:
        raise NotFound("award.task_not_found")
    return task


def cancel_invitations(session: Session, team_id: int, now: datetime) -> None:
    """Pending invitations of a team that no longer stands are closed as declined."""
    session.execute(
        update(AwardMember)
        .where(AwardMember.team_id == team_id, AwardMember.status == "invited")
        .values(status="declined", answered_at=now, note=message("award.invitation_cancelled_note"))
    )


def create_team(
    session: Session, *, actor_id: int | None, contest_id: int, name: str, task_id: int, now: datetime
) -> int:
    """An adult resident creates a team for one task and becomes its captain; returns its id."""
    user = active_user(session, actor_id)
    contest = session.exec(
        select(AwardContest).where(AwardContest.id == contest_id).with_for_update()
    ).first()
    if contest is None:
        raise NotFound("award.contest_not_found")
    check_person(user, now)
    if as_utc(now) >= as_utc(contest.apply_closes_at):
        raise Conflict("award.applications_closed")
    task = _task_of(session, contest.id, task_id)
    name = check_team_name(name)
    lock_user(session, user.id)
    if active_row(session, contest.id, user.id) is not None:
        raise Conflict("award.already_in_team")
    taken = session.exec(
        select(AwardTeam.id).where(AwardTeam.contest_id == contest.id, AwardTeam.name_key == name_key(name))
    ).first()
    if taken is not None:
        raise Conflict("award.team_name_taken", name=name)
    team = AwardTeam(
        contest_id=contest.id,
        task_id=task.id,
        name=name,
        name_key=name_key(name),
        captain_id=user.id,
        created_at=now,
    )
    session.add(team)
    session.flush()
    session.add(
        AwardMember(
            contest_id=contest.id,
            team_id=team.id,
            user_id=user.id,
            status="member",
            invited_at=now,
            answered_at=now,
        )
    )
    session.flush()
    return team.id


def invite(session: Session, *, actor_id: int | None, team_id: int, phone: str, now: datetime) -> int:
    """A member invites a person with an account by phone while the team is forming; returns the
    invitation's id. A person already invited to or in a team of the contest is refused."""
    user, team, _ = _my_team(session, actor_id, team_id)
    if team.status != "forming":
        raise Conflict("award.team_not_forming")
    contest = get_contest(session, team.contest_id)
    if as_utc(now) >= as_utc(contest.apply_closes_at):
        raise Conflict("award.applications_closed")
    try:
        number = normalize_phone(phone if isinstance(phone, str) else "")
    except DomainError:
        raise InvalidInput("award.invite_phone_invalid") from None
    invitee = session.exec(select(User).where(User.phone == number)).first()
    if invitee is None or invitee.deactivated_at is not None:
        raise NotFound("award.invitee_unknown")
    if invitee.id == user.id:
        raise Conflict("award.invite_self")
    pending = session.exec(
        select(func.count())
        .select_from(AwardMember)
        .where(AwardMember.team_id == team.id, AwardMember.status == "invited")
    ).one()
    if pending >= INVITES_LIMIT:
        raise Conflict("award.too_many_invitations", limit=INVITES_LIMIT)
    lock_user(session, invitee.id)
    if active_row(session, contest.id, invitee.id) is not None:
        raise Conflict("award.invitee_busy")
    row = AwardMember(
        contest_id=contest.id, team_id=team.id, user_id=invitee.id, status="invited", invited_at=now
    )
    session.add(row)
    session.flush()
    notify(
        session,
        user_id=invitee.id,
        title=message("award.notify_invited", team=team.name),
        body=message("award.notify_invited_body", contest=contest.title),
        link=LINK,
        now=now,
    )
    return row.id


def _my_invitation(session: Session, actor_id: int | None, invitation_id: int) -> tuple[User, AwardMember]:
    user = active_user(session, actor_id)
    row = session.get(AwardMember, invitation_id)
    if row is None or row.user_id != user.id or row.status != "invited":
        raise NotFound("award.invitation_not_found")
    return user, row


def accept(session: Session, *, actor_id: int | None, invitation_id: int, now: datetime) -> None:
    """The invitee joins the team: adult on the day, the team forming and not yet of five."""
    user, row = _my_invitation(session, actor_id, invitation_id)
    team = lock_team(session, row.team_id)
    session.refresh(row)
    if row.status != "invited":
        raise NotFound("award.invitation_not_found")
    check_person(user, now)
    if team.status != "forming":
        raise Conflict("award.team_not_forming")
    if team_size(session, team.id) >= TEAM_MAX:
        raise Conflict("award.team_full", max=TEAM_MAX)
    done = session.execute(
        update(AwardMember)
        .where(AwardMember.id == row.id, AwardMember.status == "invited")
        .values(status="member", answered_at=now)
    )
    if done.rowcount != 1:
        raise NotFound("award.invitation_not_found")


def decline(session: Session, *, actor_id: int | None, invitation_id: int, now: datetime) -> None:
    """The invitee declines; they may then be invited to another team."""
    _, row = _my_invitation(session, actor_id, invitation_id)
    done = session.execute(
        update(AwardMember)
        .where(AwardMember.id == row.id, AwardMember.status == "invited")
        .values(status="declined", answered_at=now)
    )
    if done.rowcount != 1:
        raise NotFound("award.invitation_not_found")


def change_task(session: Session, *, actor_id: int | None, team_id: int, task_id: int, now: datetime) -> None:
    """A team solves one task: it may be changed only while the team is forming."""
    _, team, _ = _my_team(session, actor_id, team_id)
    task = _task_of(session, team.contest_id, task_id)
    if team.status != "forming":
        raise Conflict("award.task_fixed")
    team.task_id = task.id
    session.add(team)
    session.flush()


def submit_application(
    session: Session,
    *,
    actor_id: int | None,
    team_id: int,
    title: str,
    prototype_url: str,
    description: str,
    technologies: str,
    now: datetime,
) -> None:
    """Any member submits the application within the period, with 2–5 members, while the task is not full."""
    _, team, _ = _my_team(session, actor_id, team_id)
    if team.status != "forming":
        raise Conflict("award.already_applied")
    contest = get_contest(session, team.contest_id)
    if as_utc(now) < as_utc(contest.apply_opens_at):
        raise Conflict("award.applications_not_open")
    if not apply_open(contest, now):
        raise Conflict("award.applications_closed")
    check_team_size(team_size(session, team.id))
    project = check_project(title, prototype_url, description, technologies)
    task = session.exec(select(AwardTask).where(AwardTask.id == team.task_id).with_for_update()).one()
    if task.team_cap is not None and counted_teams(session, task.id) >= task.team_cap:
        raise Conflict("award.task_full", number=task.number, cap=task.team_cap)
    team.project_title, team.prototype_url = project.title, project.prototype_url
    team.project_description, team.technologies = project.description, project.technologies
    team.status, team.applied_at = "applied", now
    session.add(team)
    session.flush()


def earliest_member(session: Session, team_id: int) -> AwardMember | None:
    """The member who joined first (the captaincy passes to them)."""
    return session.exec(
        select(AwardMember)
        .where(AwardMember.team_id == team_id, AwardMember.status == "member")
        .order_by(col(AwardMember.answered_at), col(AwardMember.id))
    ).first()


def after_departure(
    session: Session, team: AwardTeam, *, left_user: int, excluded: bool, now: datetime
) -> None:
    """What a member's departure does to the team: the captaincy passes to the earliest remaining
    member; with one member left an application is lost («withdrawn») and that member is told; with
    none the team is withdrawn. A person excluded from a team that is left with fewer than two
    members excludes the team too (ground ``team_size``). A team that no longer stands has its
    pending invitations cancelled."""
    remaining = team_size(session, team.id)
    if team.captain_id == left_user:
        first = earliest_member(session, team.id)
        if first is not None:
            team.captain_id = first.user_id
    standing = team.status in ("forming", "applied", "admitted")
    alone = False
    if excluded and remaining < TEAM_MIN and standing:
        team.status, team.exclusion_ground = "excluded", "team_size"
        team.review_note, team.reviewed_at = message("award.note_team_excluded_size"), now
        alone = remaining == 1
    elif remaining == 0 and standing:
        team.status, team.review_note = "withdrawn", message("award.note_team_empty")
    elif remaining == 1 and team.status in ("applied", "admitted"):
        team.status, team.review_note = "withdrawn", message("award.note_team_alone")
        alone = True
    last = earliest_member(session, team.id) if alone else None
    if last is not None:
        notify(
            session,
            user_id=last.user_id,
            title=message("award.notify_alone", team=team.name),
            body=message(f"award.notify_alone_{team.status}"),
            link=LINK,
            now=now,
        )
    if team.status in ("withdrawn", "excluded"):
        cancel_invitations(session, team.id, now)
    session.add(team)
    session.flush()


def leave(session: Session, *, actor_id: int | None, team_id: int, now: datetime) -> None:
    """Any member withdraws from the team at any stage (see :func:`after_departure`)."""
    user, team, row = _my_team(session, actor_id, team_id)
    row.status, row.left_at = "left", now
    session.add(row)
    session.flush()
    after_departure(session, team, left_user=user.id, excluded=False, now=now)
