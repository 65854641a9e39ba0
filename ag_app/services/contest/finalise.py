"""After the month: the final rating frozen, sealed, published with its winners; prizes move on.

Finalising (staff, not before the month ends, with no receipt left on review) copies the rating
into :class:`ContestResult` rows ranked by the pure rule, seals the CSV of the whole rating with
its SHA-256, gives the prizes of the prize table to the top places and notifies the winners in the
app and by e-mail. Doing it again returns the same seal. A disqualification after publication
adds a new version of the rating (re-ranked, re-sealed, with the reason) and moves the prizes.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, insert
from sqlmodel import Session, col, func, select

from ag_app.db import read_only, reads
from ag_app.domain import numfmt
from ag_app.domain.clock import MOSCOW, as_utc
from ag_app.domain.contest import Standing, mask_email, parse_period, period_ended, short_name
from ag_app.domain.contest_seal import HEADER_LINE, FinalRow, csv_lines, final_rows, row_line, sha256_of
from ag_app.domain.errors import Conflict, InvalidInput, NotFound
from ag_app.domain.profile import add_months
from ag_app.models import (
    Contest,
    ContestEntry,
    ContestParticipant,
    ContestPrize,
    ContestResult,
    ContestSeal,
    Disqualification,
    Receipt,
    User,
)
from ag_app.services.access import Capability, require
from ag_app.services.contest.contests import get_contest, prizes_of
from ag_app.services.contest.moderation import audit
from ag_app.services.contest.rating import standing_of_entry
from ag_app.services.contest.scoring import REVIEW
from ag_app.services.notifications import notify
from ag_app.services.outbox import send_email

FINAL = "final"
BATCH = 5000


def claim_deadline(published_at: datetime) -> datetime:
    """One calendar month after publication, Moscow time (SPEC §11.5), as a UTC instant.

    UTC, not Moscow: SQLite keeps a datetime's wall clock without its zone and reads it back as UTC.
    """
    local = as_utc(published_at).astimezone(MOSCOW)
    day = add_months(local.date(), 1)
    return as_utc(datetime.combine(day, local.timetz()))


@dataclass(frozen=True)
class SealView:
    """What is published with a final rating."""

    contest_id: int
    version: int
    sha256: str
    rows: int
    sealed_at: datetime
    reason: str

    def as_dict(self) -> dict:
        return {
            "contest_id": self.contest_id,
            "version": self.version,
            "sha256": self.sha256,
            "rows": self.rows,
            "sealed_at": self.sealed_at.isoformat(),
            "reason": self.reason,
        }


def _seal_view(seal: ContestSeal) -> SealView:
    return SealView(
        seal.contest_id, seal.version, seal.sha256, seal.rows, as_utc(seal.sealed_at), seal.reason
    )


def _latest_seal(session: Session, contest_id: int) -> ContestSeal | None:
    return session.exec(
        select(ContestSeal)
        .where(ContestSeal.contest_id == contest_id)
        .order_by(col(ContestSeal.version).desc())
    ).first()


_RESULT_COLUMNS = (
    "contest_id", "version", "place", "participant_id", "points", "reached_at", "last_receipt_at",
    "registered_at", "prize_rub",
)  # fmt: skip


def _store_results(session: Session, contest_id: int, version: int, rows: list[FinalRow]) -> None:
    """Insert the result rows of one version: COPY on PostgreSQL (a million rows in seconds, where
    a pipelined executemany takes a minute), batched INSERTs on SQLite."""
    values = (
        (
            contest_id,
            version,
            row.place,
            row.participant_id,
            row.points,
            row.reached_at,
            row.last_receipt_at,
            row.registered_at,
            row.prize_rub,
        )
        for row in rows
    )
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        statement = f"COPY contestresult ({', '.join(_RESULT_COLUMNS)}) FROM STDIN"
        with connection.connection.driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
            for value in values:
                copy.write_row(value)
        return
    batch: list[dict] = []
    for value in values:
        batch.append(dict(zip(_RESULT_COLUMNS, value, strict=True)))
        if len(batch) >= BATCH:
            connection.execute(insert(ContestResult), batch)
            batch = []
    if batch:
        connection.execute(insert(ContestResult), batch)


def _write_version(
    session: Session, contest: Contest, standings: list[Standing], version: int, reason: str, now: datetime
) -> tuple[ContestSeal, list[FinalRow]]:
    """Rank, store and seal one version of the final rating; returns the seal and the prize rows."""
    rows = list(final_rows(standings, prizes_of(contest)))
    _store_results(session, contest.id, version, rows)
    seal = ContestSeal(
        contest_id=contest.id,
        version=version,
        sha256=sha256_of(csv_lines(rows)),
        rows=len(rows),
        sealed_at=now,
        reason=reason,
    )
    session.add(seal)
    session.flush()
    return seal, [row for row in rows if row.prize_rub > 0]


def _announce(
    session: Session, contest: Contest, participant_id: int, place: int, amount: int, now: datetime
) -> None:
    user = session.exec(
        select(User)
        .join(ContestParticipant, ContestParticipant.user_id == User.id)
        .where(ContestParticipant.id == participant_id)
    ).one()
    title = f"Вы победитель: {place}-е место в конкурсе «{contest.title}», приз {numfmt.rubles(amount)}"
    body = (
        "Заявите приз в течение одного календарного месяца с даты публикации итогов на странице «Мои призы»."
    )
    notify(session, user_id=user.id, title=title, body=body, link="/contest/prizes", now=now)
    if user.email:
        send_email(session, to=user.email, subject=title, body=body, now=now, user_id=user.id)


def finalise_contest(session: Session, *, actor_id: int | None, contest_id: int, now: datetime) -> SealView:
    """Freeze, seal and publish a contest's final rating (idempotent: a second call changes nothing)."""
    manager = require(session, actor_id, Capability.CONTEST_MANAGE)
    contest = session.exec(select(Contest).where(Contest.id == contest_id).with_for_update()).first()
    if contest is None:
        raise NotFound("contest.not_found")
    if contest.status == FINAL:
        return _seal_view(_latest_seal(session, contest.id))
    year, month = parse_period(contest.period)
    if not period_ended(year, month, now):
        raise InvalidInput("contest.not_ended")
    pending = session.exec(
        select(func.count()).where(Receipt.period == contest.period, Receipt.status == REVIEW)
    ).one()
    if pending:
        raise Conflict("contest.reviews_pending", count=pending)
    # Columns, not ORM objects: a rating of a million rows is read in seconds.
    entries = session.connection().execute(
        select(
            ContestEntry.participant_id,
            ContestEntry.points,
            ContestEntry.reached_at,
            ContestEntry.last_receipt_at,
            ContestEntry.registered_at,
        ).where(ContestEntry.contest_id == contest.id)
    )
    standings = [
        Standing(number, points, as_utc(reached), as_utc(last), as_utc(registered))
        for number, points, reached, last, registered in entries
    ]
    seal, winners = _write_version(session, contest, standings, 1, "", now)
    contest.status, contest.published_at, contest.claim_until = FINAL, now, claim_deadline(now)
    session.add(contest)
    for row in winners:
        session.add(
            ContestPrize(
                contest_id=contest.id,
                place=row.place,
                amount_rub=row.prize_rub,
                participant_id=row.participant_id,
                status="awarded",
                claim_until=contest.claim_until,
                awarded_at=now,
            )
        )
        _announce(session, contest, row.participant_id, row.place, row.prize_rub, now)
    audit(
        session,
        period=contest.period,
        contest_id=contest.id,
        actor_id=manager.id,
        action="finalise",
        subject=f"конкурс {contest.id}",
        reason=f"SHA-256 {seal.sha256}",
        now=now,
    )
    return _seal_view(seal)


def _version_rows(session: Session, contest_id: int, version: int) -> list[ContestResult]:
    return list(
        session.exec(
            select(ContestResult)
            .where(ContestResult.contest_id == contest_id, ContestResult.version == version)
            .order_by(ContestResult.place)
        ).all()
    )


def rerank_published(
    session: Session, *, period: str, participant_id: int, reason: str, now: datetime
) -> None:
    """After a disqualification: every published rating of the period that has the participant
    gets a new version without them, and prizes move to the participants who now hold the places."""
    for contest in session.exec(
        select(Contest).where(Contest.period == period, Contest.status == FINAL)
    ).all():
        seal = _latest_seal(session, contest.id)
        rows = _version_rows(session, contest.id, seal.version)
        if all(row.participant_id != participant_id for row in rows):
            continue
        standings = [standing_of_entry(r) for r in rows if r.participant_id != participant_id]
        _, winners = _write_version(session, contest, standings, seal.version + 1, reason, now)
        _move_prizes(
            session,
            contest,
            winners,
            [r.participant_id for r in rows if r.participant_id != participant_id],
            participant_id,
            now,
        )


def _move_prizes(
    session: Session, contest: Contest, winners: list[FinalRow], order: list[int], removed: int, now: datetime
) -> None:
    prizes = session.exec(select(ContestPrize).where(ContestPrize.contest_id == contest.id)).all()
    by_place = {row.place: row for row in winners}
    for prize in sorted(prizes, key=lambda p: p.place):
        if prize.status == "passed" and prize.participant_id != removed:
            continue
        holder = by_place.get(prize.place)
        if prize.status == "passed" or holder is None:
            holders = {p.participant_id for p in prizes}
            holder_id = next((pid for pid in order if pid not in holders), None)
        else:
            holder_id = holder.participant_id
        if holder_id is None or holder_id == prize.participant_id:
            continue
        prize.participant_id, prize.awarded_at = holder_id, now
        prize.claim_until = claim_deadline(now)
        prize.status = "awarded" if prize.status != "passed" else "passed"
        session.add(prize)
        _announce(session, contest, holder_id, prize.place, prize.amount_rub, now)
    session.flush()


def pass_prize(session: Session, *, actor_id: int | None, prize_id: int, now: datetime) -> int:
    """Hand an unclaimed prize, after its month, to the next participant of the final rating."""
    manager = require(session, actor_id, Capability.CONTEST_MANAGE)
    prize = session.exec(select(ContestPrize).where(ContestPrize.id == prize_id).with_for_update()).first()
    if prize is None:
        raise NotFound("contest.prize_not_found")
    if prize.status == "claimed":
        raise Conflict("contest.prize_claimed")
    if as_utc(now) <= as_utc(prize.claim_until):
        raise Conflict("contest.claim_open", until=f"{as_utc(prize.claim_until).astimezone(MOSCOW):%d.%m.%Y}")
    contest = get_contest(session, prize.contest_id)
    seal = _latest_seal(session, contest.id)
    holders = set(
        session.exec(select(ContestPrize.participant_id).where(ContestPrize.contest_id == contest.id)).all()
    )
    disqualified = set(
        session.exec(
            select(Disqualification.participant_id).where(Disqualification.period == contest.period)
        ).all()
    )
    nxt = session.exec(
        select(ContestResult.participant_id)
        .where(
            ContestResult.contest_id == contest.id,
            ContestResult.version == seal.version,
            col(ContestResult.participant_id).not_in(holders | disqualified or {0}),
        )
        .order_by(ContestResult.place)
    ).first()
    if nxt is None:
        raise Conflict("contest.no_next_participant")
    previous = prize.participant_id
    prize.participant_id, prize.status, prize.awarded_at = nxt, "passed", now
    prize.claim_until = claim_deadline(now)
    session.add(prize)
    audit(
        session,
        period=contest.period,
        contest_id=contest.id,
        actor_id=manager.id,
        action="pass_prize",
        subject=f"приз {prize.place}-го места",
        reason=f"от участника {previous} участнику {nxt}",
        now=now,
    )
    _announce(session, contest, nxt, prize.place, prize.amount_rub, now)
    return nxt


# ------------------------------------------------------------------------------------------- public


@dataclass(frozen=True)
class Winner:
    """A published winner: no account id, phone or full name."""

    place: int
    name: str
    email: str
    number: int
    points: int
    prize: int

    def as_dict(self) -> dict:
        return self.__dict__.copy()


@reads
def final_results(session: Session, *, contest_id: int) -> tuple[SealView, list[Winner]]:
    """A published contest's seal and its winners (current prize holders with their places)."""
    contest = get_contest(session, contest_id)
    seal = _latest_seal(session, contest.id)
    if contest.status != FINAL or seal is None:
        raise NotFound("contest.not_final")
    rows = session.exec(
        select(ContestPrize, ContestResult, User)
        .join(
            ContestResult,
            (ContestResult.contest_id == ContestPrize.contest_id)
            & (ContestResult.participant_id == ContestPrize.participant_id)
            & (ContestResult.version == seal.version),
        )
        .join(ContestParticipant, ContestParticipant.id == ContestPrize.participant_id)
        .join(User, User.id == ContestParticipant.user_id)
        .where(ContestPrize.contest_id == contest.id)
        .order_by(ContestPrize.place)
    ).all()
    winners = [
        Winner(
            place=result.place,
            name=short_name(user.first_name, user.last_name),
            email=mask_email(user.email),
            number=prize.participant_id,
            points=result.points,
            prize=prize.amount_rub,
        )
        for prize, result, user in rows
    ]
    return _seal_view(seal), winners


def final_csv(engine: Engine, contest_id: int, version: int, *, batch: int = BATCH) -> Iterator[bytes]:
    """The bytes of one sealed version of a final rating (what its SHA-256 was computed over),
    streamed: the rows are read by place, a batch per short read-only transaction."""
    yield HEADER_LINE.encode("utf-8")
    columns = (
        ContestResult.place,
        ContestResult.participant_id,
        ContestResult.points,
        ContestResult.reached_at,
        ContestResult.last_receipt_at,
        ContestResult.registered_at,
        ContestResult.prize_rub,
    )
    last = 0
    while True:
        with read_only(engine) as connection:
            rows = connection.execute(
                select(*columns)
                .where(
                    ContestResult.contest_id == contest_id,
                    ContestResult.version == version,
                    ContestResult.place > last,
                )
                .order_by(ContestResult.place)
                .limit(batch)
            ).all()
        if not rows:
            return
        yield "".join(
            row_line(FinalRow(p, n, pts, as_utc(r), as_utc(lr), as_utc(reg), prize))
            for p, n, pts, r, lr, reg, prize in rows
        ).encode("utf-8")
        last = rows[-1][0]
