"""Reads shared by the approval, the protocol, the published results, the diplomas and the payouts.

A task is SETTLED (the jury's contract) when ``AwardTask.decided_sitting_id`` is set and none of its
tie rounds is still open; its ``AwardStanding`` rows then carry the totals and the decided places.
A task is PUBLISHED when the sitting that decided it has been approved.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlmodel import Session, col, func, select

from ag_app.domain import numfmt
from ag_app.domain.award import chair_holder, payout_deadline
from ag_app.domain.clock import MOSCOW, as_utc, moscow_date
from ag_app.domain.errors import NotFound
from ag_app.models import (
    AwardAttendance,
    AwardContest,
    AwardJuror,
    AwardMember,
    AwardSitting,
    AwardStanding,
    AwardTask,
    AwardTieRound,
    User,
)

# «Очная» / «заочная» form of a sitting.
SITTING_FORMS = {"in_person": "очная", "remote": "заочная"}
JUROR_ROLES = {
    "chair": "председатель комиссии",
    "deputy": "член комиссии, к которому переходят полномочия председателя",
    "member": "член комиссии",
}
PLACE_NAMES = {1: "1 место (победитель)", 2: "2 место (призёр)", 3: "3 место (призёр)"}


def person_name(user: User | None) -> str:
    """«Фамилия Имя Отчество» from the profile (blank parts left out)."""
    if user is None:
        return ""
    return " ".join(part for part in (user.last_name, user.first_name, user.patronymic) if part).strip()


def rubles(kopecks: int) -> str:
    """An amount as printed: «100 000,01 ₽» (no-break spaces between thousands)."""
    return numfmt.kopecks(kopecks)


def payout_due_at(approved_at: datetime) -> datetime:
    """The end (Moscow time) of the 30th calendar day after the day of the results (П. 4.2)."""
    last_day = payout_deadline(moscow_date(approved_at))
    return datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=MOSCOW).astimezone(UTC)


def get_contest(session: Session, contest_id: int) -> AwardContest:
    """The contest, or a Russian 404."""
    contest = session.get(AwardContest, contest_id)
    if contest is None:
        raise NotFound("award.contest_unknown")
    return contest


def get_sitting(session: Session, sitting_id: int) -> AwardSitting:
    """The sitting, or a Russian 404."""
    sitting = session.get(AwardSitting, sitting_id)
    if sitting is None:
        raise NotFound("award.sitting_unknown")
    return sitting


def jurors_of(session: Session, contest_id: int) -> list[AwardJuror]:
    """The commission of a contest: chair, deputy, then members, each by id."""
    order = {"chair": 0, "deputy": 1, "member": 2}
    rows = session.exec(select(AwardJuror).where(AwardJuror.contest_id == contest_id)).all()
    return sorted(rows, key=lambda j: (order.get(j.role, 3), j.id))


def present_ids(session: Session, sitting_id: int) -> set[int]:
    """The jurors present at a sitting."""
    return set(
        session.exec(select(AwardAttendance.juror_id).where(AwardAttendance.sitting_id == sitting_id)).all()
    )


def holder_of(jurors: Iterable[AwardJuror], present: set[int]) -> AwardJuror | None:
    """The juror holding the chair's powers at a sitting (the chair if present, else the deputy if
    present), or None."""
    by_role = {j.role: j for j in jurors if j.role in ("chair", "deputy")}
    chair, deputy = by_role.get("chair"), by_role.get("deputy")
    chosen = chair_holder(
        str(chair.id) if chair else None, str(deputy.id) if deputy else None, {str(i) for i in present}
    )
    if chosen is None:
        return None
    return chair if chair is not None and str(chair.id) == chosen else deputy


def decided_tasks(session: Session, sitting_id: int) -> list[AwardTask]:
    """The tasks whose results were computed at a sitting, by number."""
    return list(
        session.exec(
            select(AwardTask)
            .where(AwardTask.decided_sitting_id == sitting_id)
            .order_by(col(AwardTask.number))
        ).all()
    )


def open_tie_tasks(session: Session, task_ids: list[int]) -> set[int]:
    """The tasks among ``task_ids`` with a tie round still open (not settled)."""
    if not task_ids:
        return set()
    rows = session.exec(
        select(AwardTieRound.task_id).where(
            col(AwardTieRound.task_id).in_(task_ids), col(AwardTieRound.closed_at).is_(None)
        )
    ).all()
    return set(rows)


def standings_of(session: Session, task_id: int) -> list[AwardStanding]:
    """A task's standings: placed teams by place, then the others by total descending."""
    rows = session.exec(select(AwardStanding).where(AwardStanding.task_id == task_id)).all()
    return sorted(rows, key=lambda s: (s.place is None, s.place or 0, -s.total, s.team_id))


def team_members_at(session: Session, team_id: int) -> list[int]:
    """The team's members now, in the order they joined (the answer to the invitation; then by row)."""
    rows = session.exec(
        select(AwardMember).where(AwardMember.team_id == team_id, AwardMember.status == "member")
    ).all()
    return [m.user_id for m in sorted(rows, key=lambda m: (as_utc(m.answered_at or m.invited_at), m.id))]


def prize_of(task: AwardTask, place: int) -> int:
    """The prize of a place of a task, kopecks."""
    return {1: task.prize_1, 2: task.prize_2, 3: task.prize_3}.get(place, 0)


def approved_sittings(session: Session, contest_id: int) -> list[AwardSitting]:
    """The approved sittings of a contest, the latest approval first."""
    return list(
        session.exec(
            select(AwardSitting)
            .where(AwardSitting.contest_id == contest_id, col(AwardSitting.approved_at).is_not(None))
            .order_by(col(AwardSitting.approved_at).desc(), col(AwardSitting.id).desc())
        ).all()
    )


def commission_size(session: Session, contest_id: int) -> int:
    """How many members the commission of a contest has."""
    return session.exec(
        select(func.count()).select_from(AwardJuror).where(AwardJuror.contest_id == contest_id)
    ).one()


@dataclass(frozen=True)
class PublishedTask:
    """A task decided at an approved sitting."""

    task: AwardTask
    sitting: AwardSitting


def published_tasks(session: Session, contest_id: int) -> list[PublishedTask]:
    """The contest's tasks decided at approved sittings, by number."""
    rows = session.exec(
        select(AwardTask, AwardSitting)
        .join(AwardSitting, col(AwardSitting.id) == AwardTask.decided_sitting_id)
        .where(AwardTask.contest_id == contest_id, col(AwardSitting.approved_at).is_not(None))
        .order_by(col(AwardTask.number))
    ).all()
    return [PublishedTask(task, sitting) for task, sitting in rows]
