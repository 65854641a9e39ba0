"""The open vote on equal totals (К. 2.13): the members present at the sitting vote for one of the
tied teams, once per round; members who declared a conflict of interest in the task do not vote.

When every voter has voted the round closes: ``tie_vote`` (more than half of the votes, else the
vote of the member holding the chair's powers among the leaders) places a team, and the places
that follow from it are written; with no decision a new round opens between the same teams. A
place decided opens the vote on the next undecided place, if any. The votes are open: a round's
view lists who voted for whom.

The chair's powers in a task's vote belong to the chair if they vote in it, else to the deputy if
they do (``chair_holder`` over the voters): a chair absent or recused in the task passes them on.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ag_app.db import reads
from ag_app.domain.award import PLACES, Standings, settle, tie_vote
from ag_app.domain.errors import Conflict, InvalidInput, NotAllowed, NotFound
from ag_app.i18n import message
from ag_app.models import AwardSitting, AwardStanding, AwardTask, AwardTeam, AwardTieRound, AwardTieVote
from ag_app.services.award.panel import (
    acting_juror,
    get_sitting,
    holder_among,
    jurors_of,
    names_of,
    present_at,
    recused_in,
    refuse_approved,
)


@dataclass(frozen=True)
class VoteRow:
    """One open vote: who voted for which team."""

    juror_id: int
    juror_name: str
    team_id: int
    team_name: str


@dataclass(frozen=True)
class RoundView:
    """A tie round: the place, its number, the tied teams, the votes so far and the outcome."""

    id: int
    task_id: int
    sitting_id: int
    place: int
    round: int
    # (team id, team name) in standing order.
    teams: tuple[tuple[int, str], ...]
    votes: tuple[VoteRow, ...]
    # The members who may still vote in it.
    waiting: tuple[str, ...]
    closed: bool
    decided_team_id: int | None
    decided_team_name: str


def team_ids(round_: AwardTieRound) -> list[int]:
    """The tied teams of a round, in standing order."""
    return [int(part) for part in round_.teams.split(",") if part]


def voters(session: Session, sitting: AwardSitting, task_id: int) -> set[int]:
    """Who votes on a task's tie: the members present at the sitting minus those recused in the task."""
    return present_at(session, sitting.id) - recused_in(session, task_id)


def voted_at_sitting(session: Session, sitting_id: int) -> set[int]:
    """The members who voted in any tie round of the sitting."""
    return set(
        session.exec(
            select(AwardTieVote.juror_id)
            .join(AwardTieRound, col(AwardTieRound.id) == AwardTieVote.round_id)
            .where(AwardTieRound.sitting_id == sitting_id)
        ).all()
    )


def _decided(session: Session, task_id: int) -> dict[str, int]:
    """Team → place decided by the closed rounds of the task."""
    rows = session.exec(
        select(AwardTieRound.decided_team_id, AwardTieRound.place).where(
            AwardTieRound.task_id == task_id, col(AwardTieRound.decided_team_id).is_not(None)
        )
    ).all()
    return {str(team): place for team, place in rows}


def apply_places(session: Session, task_id: int) -> Standings:
    """Write the places implied by the totals and the votes so far onto the task's standings."""
    rows = session.exec(select(AwardStanding).where(AwardStanding.task_id == task_id)).all()
    totals = {str(row.team_id): row.total for row in rows}
    result = settle(totals, _decided(session, task_id), len(PLACES))
    for row in rows:
        place = result.places.get(str(row.team_id))
        if row.place != place:
            row.place = place
            session.add(row)
    session.flush()
    return result


def _open_round(
    session: Session, task_id: int, sitting_id: int, place: int, teams: list[int], now: datetime
) -> AwardTieRound:
    last = session.exec(
        select(AwardTieRound.round)
        .where(AwardTieRound.task_id == task_id, AwardTieRound.place == place)
        .order_by(col(AwardTieRound.round).desc())
    ).first()
    round_ = AwardTieRound(
        task_id=task_id,
        sitting_id=sitting_id,
        place=place,
        round=(last or 0) + 1,
        teams=",".join(str(t) for t in teams),
        opened_at=now,
    )
    session.add(round_)
    session.flush()
    return round_


def advance(session: Session, task: AwardTask, sitting_id: int, now: datetime) -> Standings:
    """Write the places so far and open the vote on the first undecided place (if none is open)."""
    result = apply_places(session, task.id)
    tie = result.tie
    if tie is not None:
        open_one = session.exec(
            select(AwardTieRound.id).where(
                AwardTieRound.task_id == task.id, col(AwardTieRound.closed_at).is_(None)
            )
        ).first()
        if open_one is None:
            _open_round(session, task.id, sitting_id, tie.place, [int(t) for t in tie.teams], now)
    return result


def _close_if_complete(session: Session, round_: AwardTieRound, sitting: AwardSitting, now: datetime) -> None:
    """Close a round every voter has voted in: a team takes the place, or a new round opens."""
    if round_.closed_at is not None:
        return
    eligible = voters(session, sitting, round_.task_id)
    votes = {
        v.juror_id: v.team_id
        for v in session.exec(select(AwardTieVote).where(AwardTieVote.round_id == round_.id)).all()
        if v.juror_id in eligible
    }
    if not eligible or set(votes) != eligible:
        return
    # The casting vote is the chair's among the voters: a chair who declared a conflict in the task
    # does not vote on it, and their powers pass to the deputy (К. 2.6.3), as when they are absent.
    task = session.get(AwardTask, round_.task_id)
    holder = holder_among(jurors_of(session, task.contest_id), eligible)
    chosen = tie_vote({str(j): str(t) for j, t in votes.items()}, str(holder) if holder is not None else None)
    round_.closed_at = now
    round_.decided_team_id = int(chosen) if chosen is not None else None
    session.add(round_)
    session.flush()
    if chosen is None:
        _open_round(session, task.id, sitting.id, round_.place, team_ids(round_), now)
        return
    advance(session, task, sitting.id, now)


def close_complete_rounds(session: Session, sitting: AwardSitting, *, now: datetime) -> None:
    """After the attendance changed: close every open round of the sitting all its voters voted in."""
    rounds = session.exec(
        select(AwardTieRound)
        .where(AwardTieRound.sitting_id == sitting.id, col(AwardTieRound.closed_at).is_(None))
        .order_by(AwardTieRound.id)
        .with_for_update()
    ).all()
    for round_ in rounds:
        _close_if_complete(session, round_, sitting, now)


def _round(session: Session, round_id: int, *, lock: bool = False) -> AwardTieRound:
    query = select(AwardTieRound).where(AwardTieRound.id == round_id)
    if lock:
        query = query.with_for_update()
    round_ = session.exec(query).first()
    if round_ is None:
        raise NotFound("award.round_not_found")
    return round_


def cast_vote(session: Session, *, actor_id: int | None, round_id: int, team_id: int, now: datetime) -> int:
    """A present, non-recused member's open vote for one of the tied teams, once per round.

    The round's row is locked first, so the last two voters cannot both miss closing it. Returns
    the task's id.
    """
    round_ = _round(session, round_id, lock=True)
    task = session.get(AwardTask, round_.task_id)
    juror = acting_juror(session, actor_id, task.contest_id)
    sitting = get_sitting(session, round_.sitting_id)
    refuse_approved(sitting)
    if round_.closed_at is not None:
        raise Conflict("award.round_closed")
    if juror.id not in present_at(session, sitting.id):
        raise NotAllowed("award.vote_absent")
    if juror.id in recused_in(session, task.id):
        raise NotAllowed("award.vote_recused")
    if team_id not in team_ids(round_):
        raise InvalidInput("award.vote_team_not_tied")
    already = session.exec(
        select(AwardTieVote.id).where(AwardTieVote.round_id == round_.id, AwardTieVote.juror_id == juror.id)
    ).first()
    if already is not None:
        raise Conflict("award.vote_twice")
    session.add(AwardTieVote(round_id=round_.id, juror_id=juror.id, team_id=team_id, voted_at=now))
    try:
        session.flush()
    except IntegrityError:
        raise Conflict("award.vote_twice") from None
    _close_if_complete(session, round_, sitting, now)
    return task.id


def round_views(session: Session, rounds: list[AwardTieRound]) -> list[RoundView]:
    """The rounds with their teams' names, the votes cast and who still has to vote."""
    if not rounds:
        return []
    ids = {t for r in rounds for t in team_ids(r)}
    names = dict(session.exec(select(AwardTeam.id, AwardTeam.name).where(col(AwardTeam.id).in_(ids))).all())
    sittings = {r.sitting_id: session.get(AwardSitting, r.sitting_id) for r in rounds}
    contest_ids = {s.contest_id for s in sittings.values()}
    jurors = [j for c in contest_ids for j in jurors_of(session, c)]
    juror_names = names_of(session, jurors)
    out = []
    for r in rounds:
        votes = session.exec(
            select(AwardTieVote).where(AwardTieVote.round_id == r.id).order_by(AwardTieVote.id)
        ).all()
        waiting: tuple[str, ...] = ()
        if r.closed_at is None:
            done = {v.juror_id for v in votes}
            left = voters(session, sittings[r.sitting_id], r.task_id) - done
            waiting = tuple(sorted(juror_names.get(j, "—") for j in left))
        out.append(
            RoundView(
                id=r.id,
                task_id=r.task_id,
                sitting_id=r.sitting_id,
                place=r.place,
                round=r.round,
                teams=tuple((t, names.get(t, "—")) for t in team_ids(r)),
                votes=tuple(
                    VoteRow(
                        v.juror_id, juror_names.get(v.juror_id, "—"), v.team_id, names.get(v.team_id, "—")
                    )
                    for v in votes
                ),
                waiting=waiting,
                closed=r.closed_at is not None,
                decided_team_id=r.decided_team_id,
                decided_team_name=names.get(r.decided_team_id, "") if r.decided_team_id else "",
            )
        )
    return out


def task_rounds(session: Session, task_id: int) -> list[RoundView]:
    """Every round of a task, in the order they were opened."""
    rounds = session.exec(
        select(AwardTieRound).where(AwardTieRound.task_id == task_id).order_by(AwardTieRound.id)
    ).all()
    return round_views(session, list(rounds))


@dataclass(frozen=True)
class MyRound:
    """An open round as a member sees it: whether they may vote, and why not."""

    view: RoundView
    task_title: str
    can_vote: bool
    # The Russian reason they may not vote (absent, recused, already voted), or "".
    reason: str
    my_vote_team_id: int | None


@reads
def my_rounds(session: Session, *, actor_id: int | None, contest_id: int) -> list[MyRound]:
    """The open tie rounds of the contest for a member, with the votes cast so far."""
    juror = acting_juror(session, actor_id, contest_id)
    rounds = session.exec(
        select(AwardTieRound)
        .join(AwardTask, col(AwardTask.id) == AwardTieRound.task_id)
        .where(AwardTask.contest_id == contest_id, col(AwardTieRound.closed_at).is_(None))
        .order_by(AwardTask.number, AwardTieRound.place)
    ).all()
    out = []
    for view, r in zip(round_views(session, list(rounds)), rounds, strict=True):
        task = session.get(AwardTask, r.task_id)
        mine = next((v.team_id for v in view.votes if v.juror_id == juror.id), None)
        reason = ""
        if juror.id not in present_at(session, r.sitting_id):
            reason = message("award.vote_absent")
        elif juror.id in recused_in(session, r.task_id):
            reason = message("award.vote_recused")
        elif mine is not None:
            reason = message("award.vote_twice")
        out.append(MyRound(view, f"{task.number}. {task.title}", not reason, reason, mine))
    return out
