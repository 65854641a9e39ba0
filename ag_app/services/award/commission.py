"""The operator forms the commission of a contest (К. 2.1–2.8): its members by phone with their roles
(one chair, one member the chair's powers pass to), the expert groups of the tasks, and the sittings —
date, form (очная / заочная) and the members present, editable until the sitting is approved.

Every use case checks the MANAGE role again. A member who has a score sheet, a vote or an attendance
stays on the commission: what they did is part of the protocol.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from ag_app.db import reads
from ag_app.domain.award import sitting_valid
from ag_app.domain.errors import Conflict, InvalidInput, NotFound
from ag_app.domain.phone import normalize_phone
from ag_app.models import (
    AwardAssignment,
    AwardAttendance,
    AwardContest,
    AwardJuror,
    AwardRecusal,
    AwardSheet,
    AwardSitting,
    AwardTask,
    AwardTieVote,
    User,
)
from ag_app.services.access import Capability, require
from ag_app.services.award import ties
from ag_app.services.award.panel import (
    FORM_NAMES,
    ROLE_NAMES,
    get_contest,
    get_sitting,
    get_task,
    jurors_of,
    names_of,
    refuse_approved,
    sitting_facts,
)

# The most members a sitting's attendance list may name (a commission is far smaller).
MAX_PRESENT = 200


@dataclass(frozen=True)
class JurorRow:
    """A member of the commission as the operator's page shows them."""

    id: int
    name: str
    role: str
    role_name: str
    # The ids of the tasks of their expert group.
    task_ids: tuple[int, ...]
    # Whether they may still be removed (no sheet, vote or attendance yet).
    removable: bool


@dataclass(frozen=True)
class SittingRow:
    """A sitting: date, form, attendance against the commission, quorum and the chair's powers."""

    id: int
    held_on: date
    form: str
    form_name: str
    present_ids: tuple[int, ...]
    present_names: tuple[str, ...]
    members: int
    valid: bool
    chair_holder_id: int | None
    chair_holder_name: str
    approved: bool


@dataclass(frozen=True)
class TaskRow:
    """A task of the contest and the sitting its results were computed at (None while scored)."""

    id: int
    number: int
    title: str
    decided_sitting_id: int | None


@dataclass(frozen=True)
class CommissionView:
    """The operator's view of a contest's commission."""

    contest_id: int
    contest_title: str
    jurors: tuple[JurorRow, ...]
    tasks: tuple[TaskRow, ...]
    sittings: tuple[SittingRow, ...]


def _tasks(session: Session, contest_id: int) -> list[AwardTask]:
    return list(
        session.exec(
            select(AwardTask).where(AwardTask.contest_id == contest_id).order_by(AwardTask.number)
        ).all()
    )


def _juror(session: Session, juror_id: int) -> AwardJuror:
    juror = session.get(AwardJuror, juror_id)
    if juror is None:
        raise NotFound("award.juror_not_found")
    return juror


def _has_acted(session: Session, juror_id: int) -> bool:
    """Whether the juror has a sheet, a tie vote or an attendance (then they stay on the commission)."""
    for table in (AwardSheet, AwardTieVote, AwardAttendance):
        if session.exec(select(table.id).where(table.juror_id == juror_id).limit(1)).first() is not None:
            return True
    return False


def sitting_row(session: Session, sitting: AwardSitting, names: dict[int, str]) -> SittingRow:
    """A sitting's row with its quorum and the holder of the chair's powers."""
    facts = sitting_facts(session, sitting)
    present = sorted(facts.present, key=lambda j: names.get(j, ""))
    return SittingRow(
        id=sitting.id,
        held_on=sitting.held_on,
        form=sitting.form,
        form_name=FORM_NAMES.get(sitting.form, sitting.form),
        present_ids=tuple(present),
        present_names=tuple(names.get(j, "—") for j in present),
        members=facts.members,
        valid=facts.valid,
        chair_holder_id=facts.chair,
        chair_holder_name=names.get(facts.chair, "") if facts.chair is not None else "",
        approved=sitting.approved_at is not None,
    )


@reads
def commission_view(session: Session, *, actor_id: int | None, contest_id: int) -> CommissionView:
    """The commission with roles and groups, the tasks, and the sittings with attendance and quorum."""
    require(session, actor_id, Capability.AWARD_MANAGE)
    contest = get_contest(session, contest_id)
    jurors = jurors_of(session, contest_id)
    names = names_of(session, jurors)
    groups: dict[int, list[int]] = {}
    if jurors:
        rows = session.exec(
            select(AwardAssignment.juror_id, AwardAssignment.task_id).where(
                col(AwardAssignment.juror_id).in_([j.id for j in jurors])
            )
        ).all()
        for juror_id, task_id in rows:
            groups.setdefault(juror_id, []).append(task_id)
    tasks = _tasks(session, contest_id)
    number = {t.id: t.number for t in tasks}
    sittings = session.exec(
        select(AwardSitting)
        .where(AwardSitting.contest_id == contest_id)
        .order_by(col(AwardSitting.held_on).desc(), col(AwardSitting.id).desc())
    ).all()
    return CommissionView(
        contest_id=contest.id,
        contest_title=contest.title,
        jurors=tuple(
            JurorRow(
                id=j.id,
                name=names[j.id],
                role=j.role,
                role_name=ROLE_NAMES[j.role],
                task_ids=tuple(sorted(groups.get(j.id, ()), key=lambda t: number.get(t, 0))),
                removable=not _has_acted(session, j.id),
            )
            for j in jurors
        ),
        tasks=tuple(TaskRow(t.id, t.number, t.title, t.decided_sitting_id) for t in tasks),
        sittings=tuple(sitting_row(session, s, names) for s in sittings),
    )


@reads
def contest_choices(session: Session, *, actor_id: int | None) -> list[tuple[int, str]]:
    """Every contest for the operator's choice, the newest first: (id, «year — title»)."""
    require(session, actor_id, Capability.AWARD_MANAGE)
    rows = session.exec(select(AwardContest).order_by(col(AwardContest.year).desc())).all()
    return [(c.id, f"{c.year} — {c.title}") for c in rows]


def _check_role(role: str) -> str:
    if role not in ROLE_NAMES:
        raise InvalidInput("award.role_invalid")
    return role


def _refuse_taken_role(session: Session, contest_id: int, role: str, juror_id: int | None = None) -> None:
    """One chair and one deputy per commission."""
    if role == "member":
        return
    holder = session.exec(
        select(AwardJuror.id).where(AwardJuror.contest_id == contest_id, AwardJuror.role == role)
    ).first()
    if holder is not None and holder != juror_id:
        raise Conflict("award.role_taken", role=ROLE_NAMES[role])


def add_juror(session: Session, *, actor_id: int | None, contest_id: int, phone: str, role: str) -> int:
    """Add the person with this phone to the commission with a role; returns the member's id."""
    require(session, actor_id, Capability.AWARD_MANAGE)
    get_contest(session, contest_id)
    role = _check_role(role)
    number = normalize_phone(phone)
    user = session.exec(select(User).where(User.phone == number)).first()
    if user is None or user.deactivated_at is not None:
        raise NotFound("award.juror_phone_unknown")
    taken = session.exec(
        select(AwardJuror.id).where(AwardJuror.contest_id == contest_id, AwardJuror.user_id == user.id)
    ).first()
    if taken is not None:
        raise Conflict("award.juror_exists")
    _refuse_taken_role(session, contest_id, role)
    juror = AwardJuror(contest_id=contest_id, user_id=user.id, role=role)
    session.add(juror)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict("award.juror_exists") from None
    return juror.id


def set_role(session: Session, *, actor_id: int | None, juror_id: int, role: str) -> None:
    """Change a member's role (the chair's and the deputy's seats are one each)."""
    require(session, actor_id, Capability.AWARD_MANAGE)
    juror = _juror(session, juror_id)
    role = _check_role(role)
    _refuse_taken_role(session, juror.contest_id, role, juror.id)
    juror.role = role
    session.add(juror)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict("award.role_taken", role=ROLE_NAMES[role]) from None


def remove_juror(session: Session, *, actor_id: int | None, juror_id: int) -> None:
    """Remove a member who has no sheet, vote or attendance yet (with their groups and recusals)."""
    require(session, actor_id, Capability.AWARD_MANAGE)
    juror = _juror(session, juror_id)
    if _has_acted(session, juror.id):
        raise Conflict("award.juror_has_acted")
    session.exec(delete(AwardAssignment).where(AwardAssignment.juror_id == juror.id))
    session.exec(delete(AwardRecusal).where(AwardRecusal.juror_id == juror.id))
    session.delete(juror)
    session.flush()


def _same_contest(session: Session, juror_id: int, task_id: int) -> tuple[AwardJuror, AwardTask]:
    juror = _juror(session, juror_id)
    task = get_task(session, task_id)
    if task.contest_id != juror.contest_id:
        raise NotFound("award.task_not_found")
    return juror, task


def assign(session: Session, *, actor_id: int | None, juror_id: int, task_id: int) -> None:
    """Put a member into the expert group of a task (nothing changes when already there)."""
    require(session, actor_id, Capability.AWARD_MANAGE)
    juror, task = _same_contest(session, juror_id, task_id)
    if task.decided_sitting_id is not None:
        raise Conflict("award.task_decided")
    found = session.exec(
        select(AwardAssignment.id).where(
            AwardAssignment.juror_id == juror.id, AwardAssignment.task_id == task.id
        )
    ).first()
    if found is None:
        session.add(AwardAssignment(juror_id=juror.id, task_id=task.id))
        try:
            session.flush()
        except IntegrityError:
            raise Conflict("award.assignment_exists") from None


def unassign(session: Session, *, actor_id: int | None, juror_id: int, task_id: int) -> None:
    """Take a member out of a task's group while they have no sheet in it."""
    require(session, actor_id, Capability.AWARD_MANAGE)
    juror, task = _same_contest(session, juror_id, task_id)
    sheet = session.exec(
        select(AwardSheet.id).where(AwardSheet.juror_id == juror.id, AwardSheet.task_id == task.id).limit(1)
    ).first()
    if sheet is not None:
        raise Conflict("award.unassign_has_sheets")
    session.exec(
        delete(AwardAssignment).where(
            AwardAssignment.juror_id == juror.id, AwardAssignment.task_id == task.id
        )
    )
    session.flush()


def _check_form(form: str) -> str:
    if form not in FORM_NAMES:
        raise InvalidInput("award.sitting_form_invalid")
    return form


def _check_present(session: Session, contest_id: int, present: list[int]) -> set[int]:
    """The attendance list: members of this contest's commission only."""
    wanted = set(present)
    if len(wanted) > MAX_PRESENT:
        raise InvalidInput("award.attendance_invalid")
    members = {j.id for j in jurors_of(session, contest_id)}
    if not wanted <= members:
        raise InvalidInput("award.attendance_invalid")
    return wanted


def create_sitting(
    session: Session,
    *,
    actor_id: int | None,
    contest_id: int,
    held_on: date,
    form: str,
    present: list[int],
    now: datetime,
) -> int:
    """Record a sitting: its date, form and the members present; returns its id."""
    user = require(session, actor_id, Capability.AWARD_MANAGE)
    get_contest(session, contest_id)
    form = _check_form(form)
    wanted = _check_present(session, contest_id, present)
    sitting = AwardSitting(
        contest_id=contest_id, held_on=held_on, form=form, created_at=now, created_by=user.id
    )
    session.add(sitting)
    session.flush()
    for juror_id in sorted(wanted):
        session.add(AwardAttendance(sitting_id=sitting.id, juror_id=juror_id))
    session.flush()
    return sitting.id


def update_sitting(
    session: Session,
    *,
    actor_id: int | None,
    sitting_id: int,
    held_on: date,
    form: str,
    present: list[int],
    now: datetime,
) -> None:
    """Change a sitting's date, form and attendance until it is approved.

    A member who already voted in a tie round of the sitting stays present (the vote is on record);
    a round every remaining voter has voted in closes at once.
    """
    require(session, actor_id, Capability.AWARD_MANAGE)
    sitting = get_sitting(session, sitting_id, lock=True)
    refuse_approved(sitting)
    form = _check_form(form)
    wanted = _check_present(session, sitting.contest_id, present)
    voted = ties.voted_at_sitting(session, sitting.id)
    if not voted <= wanted:
        raise Conflict("award.attendance_voted")
    decided = session.exec(
        select(AwardTask.id).where(AwardTask.decided_sitting_id == sitting.id).limit(1)
    ).first()
    if decided is not None and not sitting_valid(len(wanted), len(jurors_of(session, sitting.contest_id))):
        raise Conflict("award.attendance_quorum_decided")
    sitting.held_on, sitting.form = held_on, form
    session.add(sitting)
    current = set(
        session.exec(select(AwardAttendance.juror_id).where(AwardAttendance.sitting_id == sitting.id)).all()
    )
    gone = current - wanted
    if gone:
        session.exec(
            delete(AwardAttendance).where(
                AwardAttendance.sitting_id == sitting.id, col(AwardAttendance.juror_id).in_(gone)
            )
        )
    for juror_id in sorted(wanted - current):
        session.add(AwardAttendance(sitting_id=sitting.id, juror_id=juror_id))
    session.flush()
    ties.close_complete_rounds(session, sitting, now=now)
