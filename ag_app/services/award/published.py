"""The published results of a contest (public), a member's own prize, and the approval queue.

Public: for each task decided at an approved sitting, its winner and prize-winners (place, team
name, project title, prize), the approved sittings with their protocol's SHA-256 and date, and
«Результаты конкурса обжалованию не подлежат» (П. 3.15). No member of any team is named.

A member's own view: their team's place, their share, the payout status and deadline, whether a
diploma is available. The approval queue: the sittings awaiting the approval of the member who
holds the chair's powers at them, with the standings of their tasks and what still blocks them.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from ag_app.db import reads
from ag_app.domain.clock import as_utc
from ag_app.domain.errors import NotFound
from ag_app.i18n import message
from ag_app.models import AwardContest, AwardJuror, AwardSitting, AwardTeam
from ag_app.services.access import active_user
from ag_app.services.award.approval import approval_blocker
from ag_app.services.award.diploma import entitlement
from ag_app.services.award.payouts import OwnPayout, own_payouts
from ag_app.services.award.results_reads import (
    SITTING_FORMS,
    approved_sittings,
    decided_tasks,
    get_contest,
    holder_of,
    jurors_of,
    present_ids,
    prize_of,
    published_tasks,
    standings_of,
)

NO_APPEAL = "Результаты конкурса обжалованию не подлежат."
API = "/api/v1/awards"


@dataclass(frozen=True)
class Placed:
    """A winner or prize-winner of a task."""

    place: int
    team: str
    project: str
    prize: int


@dataclass(frozen=True)
class TaskResult:
    """A task's published places."""

    number: int
    title: str
    places: tuple[Placed, ...]


@dataclass(frozen=True)
class PublishedSitting:
    """An approved sitting and its protocol."""

    id: int
    held_on: date
    form: str
    approved_at: datetime
    protocol_sha256: str
    protocol_url: str


@dataclass(frozen=True)
class ContestResults:
    """The public results page of a contest."""

    contest_id: int
    year: int
    title: str
    tasks: tuple[TaskResult, ...]
    sittings: tuple[PublishedSitting, ...]
    no_appeal: str


def _teams(session: Session, ids: list[int]) -> dict[int, AwardTeam]:
    if not ids:
        return {}
    return {t.id: t for t in session.exec(select(AwardTeam).where(col(AwardTeam.id).in_(ids))).all()}


@reads
def contest_results(session: Session, *, contest_id: int) -> ContestResults:
    """The published results of a contest (empty lists while nothing is approved)."""
    contest = get_contest(session, contest_id)
    tasks = []
    for published in published_tasks(session, contest.id):
        task = published.task
        placed = [s for s in standings_of(session, task.id) if s.place is not None]
        teams = _teams(session, [s.team_id for s in placed])
        tasks.append(
            TaskResult(
                number=task.number,
                title=task.title,
                places=tuple(
                    Placed(
                        place=s.place or 0,
                        team=teams[s.team_id].name,
                        project=teams[s.team_id].project_title,
                        prize=prize_of(task, s.place or 0),
                    )
                    for s in placed
                    if s.team_id in teams
                ),
            )
        )
    sittings = tuple(
        PublishedSitting(
            id=s.id,
            held_on=s.held_on,
            form=SITTING_FORMS.get(s.form, s.form),
            approved_at=as_utc(s.approved_at),
            protocol_sha256=s.protocol_sha256,
            protocol_url=f"{API}/{contest.id}/protocol.pdf?sitting={s.id}",
        )
        for s in approved_sittings(session, contest.id)
    )
    return ContestResults(contest.id, contest.year, contest.title, tuple(tasks), sittings, NO_APPEAL)


def latest_contest_id(session: Session) -> int | None:
    """The contest with the latest year, or None when there is none."""
    return session.exec(select(AwardContest.id).order_by(col(AwardContest.year).desc())).first()


@reads
def protocol_pdf(session: Session, *, contest_id: int, sitting_id: int | None = None) -> tuple[int, bytes]:
    """The protocol of an approved sitting of the contest (the latest approved by default):
    (sitting id, PDF bytes).

    Raises:
        NotFound: no such contest, sitting of it, or approved protocol.
    """
    contest = get_contest(session, contest_id)
    if sitting_id is None:
        approved = approved_sittings(session, contest.id)
        if not approved:
            raise NotFound("award.protocol_none")
        sitting = approved[0]
    else:
        sitting = session.get(AwardSitting, sitting_id)
        if sitting is None or sitting.contest_id != contest.id:
            raise NotFound("award.sitting_unknown")
    if sitting.approved_at is None or not sitting.protocol_pdf:
        raise NotFound("award.protocol_not_approved")
    return sitting.id, bytes(sitting.protocol_pdf)


@dataclass(frozen=True)
class MyPrize:
    """A member's own results: the team's place, the share, the payout, the diploma."""

    contest_id: int
    year: int
    team: str
    task_number: int
    task_title: str
    place: int
    diploma_url: str
    payout: OwnPayout | None


@reads
def my_prize(
    session: Session, *, actor_id: int | None, now: datetime, contest_id: int | None = None
) -> MyPrize | None:
    """The actor's place in the contest's published results, or None when their team took no place
    (or nothing is published). By default the latest contest in which they took a place: a newer
    year's contest announced within the 30 days of payout data must not hide the prize."""
    user = active_user(session, actor_id)
    if contest_id is None:
        newest_first = session.exec(select(AwardContest.id).order_by(col(AwardContest.year).desc())).all()
        for candidate in newest_first:
            if entitlement(session, user_id=user.id, contest_id=candidate) is not None:
                contest_id = candidate
                break
        else:
            return None
    contest = get_contest(session, contest_id)
    found = entitlement(session, user_id=user.id, contest_id=contest.id)
    if found is None:
        return None
    payouts = [p for p in own_payouts(session, user_id=user.id, now=now, contest_id=contest.id)]
    return MyPrize(
        contest_id=contest.id,
        year=contest.year,
        team=found.team.name,
        task_number=found.task_number,
        task_title=found.task_title,
        place=found.place,
        diploma_url=f"{API}/{contest.id}/diploma.pdf",
        payout=payouts[0] if payouts else None,
    )


@dataclass(frozen=True)
class StandingLine:
    """A team's line in a task awaiting approval."""

    team: str
    project: str
    total: int
    place: int | None
    prize: int


@dataclass(frozen=True)
class PendingTask:
    """A task decided at a sitting awaiting approval."""

    number: int
    title: str
    lines: tuple[StandingLine, ...]


@dataclass(frozen=True)
class PendingSitting:
    """A sitting awaiting the actor's approval, and why it cannot be approved yet (or "")."""

    id: int
    contest_year: int
    held_on: date
    form: str
    present: int
    members: int
    tasks: tuple[PendingTask, ...]
    blocker: str


@reads
def approval_queue(session: Session, *, actor_id: int | None) -> list[PendingSitting]:
    """The unapproved sittings at which the actor holds the chair's powers, the oldest first."""
    user = active_user(session, actor_id)
    mine = session.exec(select(AwardJuror).where(AwardJuror.user_id == user.id)).all()
    out = []
    for juror in mine:
        jurors = jurors_of(session, juror.contest_id)
        contest = session.get(AwardContest, juror.contest_id)
        sittings = session.exec(
            select(AwardSitting)
            .where(AwardSitting.contest_id == juror.contest_id, col(AwardSitting.approved_at).is_(None))
            .order_by(col(AwardSitting.held_on), col(AwardSitting.id))
        ).all()
        for sitting in sittings:
            present = present_ids(session, sitting.id)
            holder = holder_of(jurors, present)
            if holder is None or holder.id != juror.id:
                continue
            tasks = []
            for task in decided_tasks(session, sitting.id):
                standings = standings_of(session, task.id)
                teams = _teams(session, [s.team_id for s in standings])
                tasks.append(
                    PendingTask(
                        task.number,
                        task.title,
                        tuple(
                            StandingLine(
                                team=teams[s.team_id].name if s.team_id in teams else "",
                                project=teams[s.team_id].project_title if s.team_id in teams else "",
                                total=s.total,
                                place=s.place,
                                prize=prize_of(task, s.place) if s.place else 0,
                            )
                            for s in standings
                        ),
                    )
                )
            blocker = approval_blocker(session, sitting, jurors)
            out.append(
                PendingSitting(
                    id=sitting.id,
                    contest_year=contest.year if contest else 0,
                    held_on=sitting.held_on,
                    form=SITTING_FORMS.get(sitting.form, sitting.form),
                    present=len(present),
                    members=len(jurors),
                    tasks=tuple(tasks),
                    blocker=message(blocker) if blocker else "",
                )
            )
    return out


@reads
def results_page(session: Session, *, contest_id: int | None = None) -> ContestResults | None:
    """«Итоги премии»: the results of the contest asked for, else of the latest one; None when
    there is no contest at all."""
    if contest_id is None:
        contest_id = latest_contest_id(session)
        if contest_id is None:
            return None
    return contest_results(session, contest_id=contest_id)
