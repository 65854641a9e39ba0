"""Shared reads of the commission's use cases (commission, scoring, results, ties): the contest, the
acting juror, a sitting's attendance and who holds the chair's powers there, a task's group and its
recusals. No use case of its own; every caller checks the rights.
"""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from ag_app.domain.award import chair_holder, sitting_valid
from ag_app.domain.errors import Conflict, NotAllowed, NotFound
from ag_app.domain.phone import mask_phone
from ag_app.models import (
    AwardAssignment,
    AwardAttendance,
    AwardContest,
    AwardJuror,
    AwardRecusal,
    AwardSitting,
    AwardTask,
    AwardTeam,
    User,
)
from ag_app.services.access import active_user

ADMITTED = "admitted"
ROLE_NAMES = {
    "chair": "председатель комиссии",
    "deputy": "член комиссии, к которому переходят полномочия председателя",
    "member": "член комиссии",
}
FORM_NAMES = {"in_person": "очная", "remote": "заочная"}


def person_name(user: User | None) -> str:
    """«Фамилия Имя Отчество» of a profile (its masked phone when the name is empty)."""
    if user is None:
        return "—"
    name = " ".join(part for part in (user.last_name, user.first_name, user.patronymic) if part)
    return name or mask_phone(user.phone)


def get_contest(session: Session, contest_id: int) -> AwardContest:
    """The contest, or the Russian 404."""
    contest = session.get(AwardContest, contest_id)
    if contest is None:
        raise NotFound("award.contest_not_found")
    return contest


def get_task(session: Session, task_id: int) -> AwardTask:
    """The task, or the Russian 404."""
    task = session.get(AwardTask, task_id)
    if task is None:
        raise NotFound("award.task_not_found")
    return task


def get_sitting(session: Session, sitting_id: int, *, lock: bool = False) -> AwardSitting:
    """The sitting (locked for update when ``lock``), or the Russian 404."""
    query = select(AwardSitting).where(AwardSitting.id == sitting_id)
    if lock:
        query = query.with_for_update()
    sitting = session.exec(query).first()
    if sitting is None:
        raise NotFound("award.sitting_not_found")
    return sitting


def refuse_approved(sitting: AwardSitting) -> None:
    """Nothing of a sitting changes once its results are approved."""
    if sitting.approved_at is not None:
        raise Conflict("award.sitting_approved")


def acting_juror(session: Session, actor_id: int | None, contest_id: int) -> AwardJuror:
    """The actor's seat on the contest's commission (refused for anyone else)."""
    user = active_user(session, actor_id)
    juror = session.exec(
        select(AwardJuror).where(AwardJuror.contest_id == contest_id, AwardJuror.user_id == user.id)
    ).first()
    if juror is None:
        raise NotAllowed("award.not_juror")
    return juror


def jurors_of(session: Session, contest_id: int) -> list[AwardJuror]:
    """The commission of a contest: the chair, the deputy, then the members by id."""
    order = {"chair": 0, "deputy": 1, "member": 2}
    rows = session.exec(select(AwardJuror).where(AwardJuror.contest_id == contest_id)).all()
    return sorted(rows, key=lambda j: (order.get(j.role, 3), j.id))


def names_of(session: Session, jurors: list[AwardJuror]) -> dict[int, str]:
    """Juror id → the person's name."""
    users = {j.user_id for j in jurors}
    found = (
        {u.id: u for u in session.exec(select(User).where(col(User.id).in_(users))).all()} if users else {}
    )
    return {j.id: person_name(found.get(j.user_id)) for j in jurors}


def group_of(session: Session, task_id: int) -> set[int]:
    """The jurors of the task's expert group."""
    return set(session.exec(select(AwardAssignment.juror_id).where(AwardAssignment.task_id == task_id)).all())


def recused_in(session: Session, task_id: int) -> set[int]:
    """The jurors who declared a conflict of interest with a team of the task."""
    return set(session.exec(select(AwardRecusal.juror_id).where(AwardRecusal.task_id == task_id)).all())


def admitted_teams(session: Session, task_id: int) -> list[AwardTeam]:
    """The task's admitted teams by name."""
    return list(
        session.exec(
            select(AwardTeam)
            .where(AwardTeam.task_id == task_id, AwardTeam.status == ADMITTED)
            .order_by(AwardTeam.name, AwardTeam.id)
        ).all()
    )


def present_at(session: Session, sitting_id: int) -> set[int]:
    """The jurors present at a sitting."""
    return set(
        session.exec(select(AwardAttendance.juror_id).where(AwardAttendance.sitting_id == sitting_id)).all()
    )


@dataclass(frozen=True)
class SittingFacts:
    """A sitting's attendance against the commission: quorum and who holds the chair's powers."""

    members: int
    present: frozenset[int]
    valid: bool
    # The juror holding the chair's powers at the sitting (the chair, else the deputy), or None.
    chair: int | None


def holder_among(jurors: list[AwardJuror], present: set[int] | frozenset[int]) -> int | None:
    """Who of ``present`` holds the chair's powers: the chair, else the member they pass to (К. 2.6.3)."""
    chair = next((str(j.id) for j in jurors if j.role == "chair"), None)
    deputy = next((str(j.id) for j in jurors if j.role == "deputy"), None)
    holder = chair_holder(chair, deputy, {str(p) for p in present})
    return int(holder) if holder is not None else None


def sitting_facts(session: Session, sitting: AwardSitting) -> SittingFacts:
    """Quorum (К. 2.7) and the holder of the chair's powers (К. 2.6.3) at the sitting."""
    jurors = jurors_of(session, sitting.contest_id)
    present = present_at(session, sitting.id)
    return SittingFacts(
        members=len(jurors),
        present=frozenset(present),
        valid=sitting_valid(len(present), len(jurors)),
        chair=holder_among(jurors, present),
    )
