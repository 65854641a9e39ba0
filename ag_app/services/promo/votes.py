"""Vote facts: the voting system's file, or the completed ballots of one of the platform's polls.

A vote fact gives a citizen their main draw (the first window whose end is after the vote) and,
for an online vote with a category chosen, their category draw (by the later of the vote and the
registration). Facts are written once: importing the same file again changes nothing, a different
fact for a citizen who already has one is reported, never applied. A vote of a window already
closed is refused (its list is frozen); the campaign's draws are locked for the import, so a
window cannot close halfway through it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, and_, exists, select, update
from sqlalchemy.orm import aliased
from sqlmodel import Session

from ag_app.db import read_transaction, transaction
from ag_app.domain.clock import as_utc, moscow_date
from ag_app.domain.errors import Conflict
from ag_app.domain.profile import age_on
from ag_app.domain.promo import VoteRow, draw_window
from ag_app.i18n import message
from ag_app.models import Ballot, PromoCampaign, PromoCitizen, PromoDraw, User
from ag_app.services.access import Capability, require
from ag_app.services.promo.campaigns import get_campaign

BATCH = 1_000
ONLINE = "online"


@dataclass(frozen=True)
class ImportReport:
    """What an import did; line numbers of the rows it could not apply, by reason."""

    rows: int
    added: int
    unchanged: int
    unmatched: tuple[int, ...]
    not_eligible: tuple[int, ...]
    conflicting: tuple[int, ...]
    closed: tuple[int, ...]


@dataclass(frozen=True)
class _Fact:
    line: int
    user_id: int
    voted_at: datetime
    channel: str
    first_online: bool


def _lock_draws(session: Session, campaign_id: int) -> list[PromoDraw]:
    """The campaign's draws locked in id order (freezing waits for the import, and vice versa)."""
    return list(
        session.execute(
            select(PromoDraw)
            .where(PromoDraw.campaign_id == campaign_id)
            .order_by(PromoDraw.id)
            .with_for_update()
        ).scalars()
    )


def _open_windows(draws: Sequence[PromoDraw]) -> tuple[tuple[datetime, ...], set[int]]:
    main = sorted((d for d in draws if d.kind == "main"), key=lambda d: d.window)
    return tuple(as_utc(d.window_ends_at) for d in main), {d.window for d in main if d.frozen_at is None}


def _apply(session: Session, campaign_id: int, facts: Sequence[_Fact], draws: Sequence[PromoDraw]) -> dict:
    """Write the facts of one batch; returns the line numbers by outcome."""
    ends, open_windows = _open_windows(draws)
    frozen_categories = {
        (d.category, d.window) for d in draws if d.kind == "category" and d.frozen_at is not None
    }
    outcome: dict[str, list[int]] = {
        "added": [],
        "unchanged": [],
        "not_eligible": [],
        "conflicting": [],
        "closed": [],
    }
    found = session.execute(
        select(PromoCitizen, User.birth_date)
        .join(User, User.id == PromoCitizen.user_id)
        .where(PromoCitizen.campaign_id == campaign_id, PromoCitizen.user_id.in_([f.user_id for f in facts]))
    ).all()
    rows = {citizen.user_id: (citizen, birth_date) for citizen, birth_date in found}
    for fact in facts:
        if fact.user_id not in rows:
            outcome["not_eligible"].append(fact.line)
            continue
        citizen, birth_date = rows[fact.user_id]
        if citizen.voted_at is not None:
            same = (
                as_utc(citizen.voted_at) == fact.voted_at
                and citizen.vote_channel == fact.channel
                and citizen.first_online == fact.first_online
            )
            outcome["unchanged" if same else "conflicting"].append(fact.line)
            continue
        window = draw_window(fact.voted_at, ends)
        if window is not None and window not in open_windows:
            outcome["closed"].append(fact.line)
            continue
        category_window = None
        if citizen.category and fact.channel == ONLINE:
            category_window = draw_window(max(fact.voted_at, as_utc(citizen.category_at)), ends)
            if (citizen.category, category_window) in frozen_categories:
                category_window = None
        age = age_on(birth_date, moscow_date(fact.voted_at)) if birth_date else None
        session.execute(
            update(PromoCitizen)
            .where(PromoCitizen.id == citizen.id, PromoCitizen.voted_at.is_(None))
            .values(
                voted_at=fact.voted_at,
                vote_channel=fact.channel,
                first_online=fact.first_online and fact.channel == ONLINE,
                age_on_vote=age,
                main_window=window,
                category_window=category_window,
            )
        )
        citizen.voted_at = fact.voted_at
        citizen.vote_channel, citizen.first_online = fact.channel, fact.first_online
        outcome["added"].append(fact.line)
    return outcome


def _users(session: Session, rows: Sequence[VoteRow]) -> dict[int, int]:
    """Line → account id, by SNILS or phone (active accounts only)."""
    snils = {r.snils: r.line for r in rows if r.snils}
    phones = {r.phone: r.line for r in rows if r.phone}
    found: dict[int, int] = {}
    if snils:
        for user_id, value in session.execute(
            select(User.id, User.snils).where(User.snils.in_(list(snils)), User.deactivated_at.is_(None))
        ):
            found[snils[value]] = user_id
    if phones:
        for user_id, value in session.execute(
            select(User.id, User.phone).where(User.phone.in_(list(phones)), User.deactivated_at.is_(None))
        ):
            found[phones[value]] = user_id
    return found


def _report(total: int, outcome: dict[str, list[int]], unmatched: list[int]) -> ImportReport:
    return ImportReport(
        rows=total,
        added=len(outcome["added"]),
        unchanged=len(outcome["unchanged"]),
        unmatched=tuple(sorted(unmatched)),
        not_eligible=tuple(sorted(outcome["not_eligible"])),
        conflicting=tuple(sorted(outcome["conflicting"])),
        closed=tuple(sorted(outcome["closed"])),
    )


def _merge(into: dict[str, list[int]], part: dict[str, list[int]]) -> None:
    for key, lines in part.items():
        into.setdefault(key, []).extend(lines)


def import_votes(
    session: Session,
    *,
    actor_id: int | None,
    campaign_id: int,
    rows: Sequence[VoteRow],
    now: datetime,
    operator: bool = False,
) -> ImportReport:
    """Apply a parsed vote file (``domain.promo.parse_votes`` refused malformed files already).

    Only for campaigns that take their vote facts from the voting system's file. Staff only,
    unless ``operator`` (the operator's command line, as the other imports).
    """
    if not operator:
        require(session, actor_id, Capability.PROMO_MANAGE)
    campaign = get_campaign(session, campaign_id)
    if campaign.vote_source != "import":
        raise Conflict("promo.votes_from_poll")
    draws = _lock_draws(session, campaign_id)
    outcome: dict[str, list[int]] = {}
    unmatched: list[int] = []
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        users = _users(session, chunk)
        unmatched.extend(r.line for r in chunk if r.line not in users)
        facts = [
            _Fact(r.line, users[r.line], as_utc(r.voted_at), r.channel, r.first_online)
            for r in chunk
            if r.line in users
        ]
        _merge(outcome, _apply(session, campaign_id, facts, draws))
    for key in ("added", "unchanged", "not_eligible", "conflicting", "closed"):
        outcome.setdefault(key, [])
    return _report(len(rows), outcome, unmatched)


def _poll_facts(
    session: Session, campaign: PromoCampaign, draws: Sequence[PromoDraw], limit: int
) -> list[_Fact]:
    """Completed ballots of the campaign's poll whose voters have a code and no vote fact yet.

    Ballots of windows already closed are left out: they can join no draw.
    """
    closed_ends = [as_utc(d.window_ends_at) for d in draws if d.kind == "main" and d.frozen_at is not None]
    earlier = aliased(Ballot)
    first = ~exists().where(
        and_(earlier.user_id == Ballot.user_id, earlier.completed_at < Ballot.completed_at)
    )
    rows = session.execute(
        select(Ballot.id, Ballot.user_id, Ballot.completed_at, first.label("first"))
        .join(
            PromoCitizen,
            and_(PromoCitizen.user_id == Ballot.user_id, PromoCitizen.campaign_id == campaign.id),
        )
        .where(
            Ballot.poll_id == campaign.vote_poll_id,
            PromoCitizen.voted_at.is_(None),
            Ballot.completed_at >= max(closed_ends, default=datetime.min.replace(tzinfo=UTC)),
        )
        .order_by(Ballot.id)
        .limit(limit)
    ).all()
    return [
        _Fact(ballot_id, user_id, as_utc(at), ONLINE, bool(is_first))
        for ballot_id, user_id, at, is_first in rows
    ]


def sync_poll_votes(engine: Engine, *, now: datetime) -> int:
    """Vote facts from the platform's own polls, for every campaign that takes them from a poll (a job)."""
    added = 0
    with read_transaction(engine) as session:
        ids = (
            session.execute(
                select(PromoCampaign.id).where(
                    PromoCampaign.vote_source == "poll", PromoCampaign.vote_poll_id.is_not(None)
                )
            )
            .scalars()
            .all()
        )
    for campaign_id in ids:
        while True:
            with transaction(engine) as session:
                campaign = session.get(PromoCampaign, campaign_id)
                draws = _lock_draws(session, campaign_id)
                facts = _poll_facts(session, campaign, draws, BATCH)
                if not facts:
                    break
                outcome = _apply(session, campaign_id, facts, draws)
                added += len(outcome["added"])
                if len(facts) < BATCH or not outcome["added"]:
                    break
    return added


def report_lines(report: ImportReport, *, shown: int = 20) -> list[str]:
    """The rows the import could not apply, one Russian sentence per reason with the line numbers."""
    out = []
    for key, lines in (
        ("promo.import_unmatched", report.unmatched),
        ("promo.import_not_eligible", report.not_eligible),
        ("promo.import_conflicting", report.conflicting),
        ("promo.import_closed", report.closed),
    ):
        if lines:
            listed = ", ".join(str(n) for n in lines[:shown])
            if len(lines) > shown:
                listed += f" и ещё {len(lines) - shown}"
            out.append(message(key, lines=listed))
    return out
