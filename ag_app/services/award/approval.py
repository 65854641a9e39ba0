"""The chair approves a sitting's results (commission regulation 2.6.5, 2.14; «Положение» 4.1–4.4).

Only the member holding the chair's powers at the sitting approves: the chair if present, else the
member the chair's powers pass to if present — otherwise nobody can. The sitting must have had a
quorum, must have decided at least one task, and every task decided at it must be settled (no tie
vote still open). Approval happens once. In one transaction it records who approved and when,
renders the protocol and stores its bytes and SHA-256, and creates the payouts: each place's prize
split equally (``split_prize``) between the team's members at that moment, in the order they
joined, each payable until the end of the 30th calendar day (Moscow) after the approval.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from ag_app.domain.award import sitting_valid, split_prize
from ag_app.domain.clock import as_utc
from ag_app.domain.errors import Conflict, NotAllowed, NotFound
from ag_app.models import AwardJuror, AwardPayout, AwardSitting
from ag_app.services.access import active_user
from ag_app.services.award.protocol import protocol_data, protocol_sha256, render_protocol
from ag_app.services.award.results_reads import (
    decided_tasks,
    holder_of,
    jurors_of,
    open_tie_tasks,
    payout_due_at,
    present_ids,
    prize_of,
    standings_of,
    team_members_at,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Approval:
    """What an approval did: the protocol's SHA-256 and how many payouts it created."""

    sitting_id: int
    protocol_sha256: str
    payouts: int


def _lock_sitting(session: Session, sitting_id: int) -> AwardSitting:
    sitting = session.exec(
        select(AwardSitting).where(AwardSitting.id == sitting_id).with_for_update()
    ).first()
    if sitting is None:
        raise NotFound("award.sitting_unknown")
    return sitting


def approval_blocker(session: Session, sitting: AwardSitting, jurors: list[AwardJuror]) -> str | None:
    """The i18n key of why the sitting's results cannot be approved now, or None when they can
    (the actor aside): already approved, no quorum, nobody holding the chair's powers, no task
    decided, a task not settled."""
    if sitting.approved_at is not None:
        return "award.approve_twice"
    present = present_ids(session, sitting.id)
    if not sitting_valid(len(present), len(jurors)):
        return "award.approve_no_quorum"
    if holder_of(jurors, present) is None:
        return "award.approve_no_chair"
    tasks = decided_tasks(session, sitting.id)
    if not tasks:
        return "award.approve_no_tasks"
    if open_tie_tasks(session, [t.id for t in tasks]):
        return "award.approve_unsettled"
    return None


def approve_sitting(session: Session, *, actor_id: int | None, sitting_id: int, now: datetime) -> Approval:
    """Approve a sitting's results as the member holding the chair's powers (see the module doc).

    Raises:
        NotAuthenticated: a guest. NotFound: no such sitting. NotAllowed: the actor is not the member
        holding the chair's powers at this sitting. Conflict: approved already, no quorum, nobody
        holds the chair's powers, no task decided, or a task not settled.
    """
    user = active_user(session, actor_id)
    sitting = _lock_sitting(session, sitting_id)
    jurors = jurors_of(session, sitting.contest_id)
    mine = next((j for j in jurors if j.user_id == user.id), None)
    if mine is None:
        raise NotAllowed("award.approve_not_chair")
    blocker = approval_blocker(session, sitting, jurors)
    if blocker is not None:
        raise Conflict(blocker)
    holder = holder_of(jurors, present_ids(session, sitting.id))
    if holder is None or holder.id != mine.id:
        raise NotAllowed("award.approve_not_chair")

    sitting.approved_at = as_utc(now)
    sitting.approved_by = holder.id
    due_at = payout_due_at(now)
    payouts = 0
    for task in decided_tasks(session, sitting.id):
        for standing in standings_of(session, task.id):
            if standing.place is None:
                continue
            prize = prize_of(task, standing.place)
            members = team_members_at(session, standing.team_id)
            if prize <= 0 or not members:
                continue
            shares = split_prize(prize, [str(m) for m in members])
            for member in members:
                session.add(
                    AwardPayout(
                        contest_id=task.contest_id,
                        task_id=task.id,
                        team_id=standing.team_id,
                        user_id=member,
                        place=standing.place,
                        amount=shares[str(member)],
                        due_at=due_at,
                        status="awaiting",
                    )
                )
                payouts += 1
    session.add(sitting)
    session.flush()
    pdf = render_protocol(protocol_data(session, sitting.id))
    sitting.protocol_pdf = pdf
    sitting.protocol_sha256 = protocol_sha256(pdf)
    session.add(sitting)
    session.flush()
    log.info("Итоги заседания %s утверждены: выплат %s", sitting.id, payouts)
    return Approval(sitting.id, sitting.protocol_sha256, payouts)
