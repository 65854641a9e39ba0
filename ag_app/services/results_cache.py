"""Poll results read from the folded aggregates, through a short-lived snapshot per poll.

Counting a poll's results from its ballots costs time in proportion to the ballots (seconds at a
million), and a voted resident's poll page shows them on every view. Instead the counts come from
the statistics aggregates (PollStat, folded by the job) plus the ballots still pending, counted
live (:func:`ag_app.services.tally.poll_cells`): exact at one moment, whatever the number of
ballots. That reading is kept as a snapshot per poll in this process for :data:`RESULTS_TTL`
seconds, so a popular poll costs one reading per second per worker, not one per view.

The snapshot is a cache, never a source of truth: every worker reads the same aggregates, each
copy is at most :data:`RESULTS_TTL` old (other people's ballots show up within a second), and a
voter always sees their own ballot counted: when the snapshot was read before it, their answers
are added. Whether a snapshot includes a ballot is decided exactly:

- SQLite: writers are serialised and ballot ids only grow, so a snapshot that saw ballot ids up
  to N includes exactly the ballots with id ≤ N;
- PostgreSQL: the counts are read by one statement that also returns its
  ``pg_current_snapshot()``; a ballot is included when the transaction that wrote its row
  (``xmin``) is visible in it. A fold rewrites the row (``tallied``), so for a folded ballot whose
  fold the snapshot does not see yet, the answer is unknown and a fresh snapshot is read.

A snapshot is read in the asking request's own transaction (no second connection, so no
request ever waits for a connection while holding one). A ballot transaction reads it before
writing the ballot, so a snapshot only ever holds committed ballots.
"""

import threading
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlmodel import Session

from ag_app.services.snapshots import ColdCache
from ag_app.services.tally import poll_cells_seen

# How long a snapshot of a poll's results is served (seconds).
RESULTS_TTL = 1.0
# Newest «Свой вариант» texts shown per question.
OWN_TEXTS_SHOWN = 50


def _monotonic() -> float:
    """The clock of the snapshots' age (a function so tests can move it)."""
    return time.monotonic()


@dataclass(frozen=True)
class Counts:
    """A poll's counts: ballots per phone region («moscow» / «other»), each option's ballots per
    region, and the newest own-variant texts per question."""

    ballots: dict[str, int]
    options: dict[tuple[int, str], int]
    own_texts: dict[int, list[str]]
    # One viewer's copy (a snapshot plus their ballot), never shared with other viewers.
    personal: bool = False

    def with_ballot(self, ballot: "OwnBallot") -> "Counts":
        """These counts plus one ballot."""
        region = _region(ballot.region)
        ballots = dict(self.ballots)
        ballots[region] = ballots.get(region, 0) + 1
        options = dict(self.options)
        own_texts = {q: list(texts) for q, texts in self.own_texts.items()}
        for question_id, option_id, own_text in ballot.answers:
            options[(option_id, region)] = options.get((option_id, region), 0) + 1
            if own_text:
                own_texts[question_id] = [own_text, *own_texts.get(question_id, [])][:OWN_TEXTS_SHOWN]
        return Counts(ballots, options, own_texts, personal=True)


@dataclass(frozen=True)
class OwnBallot:
    """The viewer's (or voter's) ballot: what is needed to tell whether a snapshot includes it and
    to add it. ``answers`` are (question id, option id, own text)."""

    id: int
    region: str
    tallied: bool = False
    # PostgreSQL: the id of the transaction that wrote the row (``xmin``); None on SQLite.
    xmin: int | None = None
    answers: tuple[tuple[int, int, str], ...] = ()
    # Not committed yet (the ballot transaction asking): no snapshot can include it.
    uncommitted: bool = False


@dataclass(frozen=True)
class _Snapshot:
    counts: Counts
    # SQLite: the highest ballot id seen; PostgreSQL: ``pg_current_snapshot()`` as text, None
    # when no ballot was counted.
    marker: int | str | None
    # When it was read (monotonic seconds).
    taken: float


@dataclass
class _Slot:
    snapshot: _Snapshot | None = None
    reading: threading.Lock = field(default_factory=threading.Lock)


_slots: dict[tuple[str, int], _Slot] = {}
_slots_mutex = threading.Lock()


def clear_cache() -> None:
    """Forget every snapshot (a database was emptied under a running process, e.g. between tests)."""
    with _slots_mutex:
        _slots.clear()


def _region(number_region: str) -> str:
    return "moscow" if number_region == "moscow" else "other"


def _read(session: Session, poll_id: int, own_text_options: dict[int, int]) -> _Snapshot:
    """Read a poll's counts (PollStat + pending ballots) in the caller's transaction, and the
    marker of what they include."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        cells, marker = poll_cells_seen(conn, poll_id, ["region"])
    else:
        # The same read transaction (one snapshot) as the counts.
        marker = conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM ballot")).scalar_one()
        cells, _ = poll_cells_seen(conn, poll_id, ["region"])
    own_texts: dict[int, list[str]] = {}
    for option_id, question_id in own_text_options.items():
        rows = conn.execute(
            text(
                "SELECT own_text FROM ballotanswer WHERE option_id = :o AND own_text <> '' "
                "ORDER BY id DESC LIMIT :n"
            ),
            {"o": option_id, "n": OWN_TEXTS_SHOWN},
        ).scalars()
        own_texts[question_id] = list(rows)
    ballots: Counter[str] = Counter()
    options: Counter[tuple[int, str]] = Counter()
    for (key, option_id), n in cells["region"].items():
        if option_id == 0:
            ballots[_region(key)] += n
        else:
            options[(option_id, _region(key))] += n
    counts = Counts(
        ballots={"moscow": ballots["moscow"], "other": ballots["other"]},
        options=dict(options),
        own_texts=own_texts,
    )
    return _Snapshot(counts, marker, _monotonic())


def _visible(xid: int, snapshot: str) -> bool:
    """Whether transaction ``xid`` (32-bit, as in ``xmin``) had committed for a ``pg_snapshot``
    («xmin:xmax:xip,…» of 64-bit ids)."""
    low, high, running = snapshot.split(":")
    xmin, xmax = int(low), int(high)
    if xid < 3:  # bootstrap / frozen
        return True
    # The 64-bit id nearest to ``xmax`` with these low 32 bits (ids in use span less than 2³¹).
    full = (xmax & ~0xFFFFFFFF) | xid
    if full > xmax + (1 << 31):
        full -= 1 << 32
    elif full < xmax - (1 << 31):
        full += 1 << 32
    if full < xmin:
        return True
    return full < xmax and str(full) not in running.split(",")


def _includes(snapshot: _Snapshot, ballot: OwnBallot) -> bool | None:
    """Whether ``snapshot`` counted ``ballot``: True, False, or None when that cannot be told."""
    if ballot.uncommitted or snapshot.marker is None:
        return False
    if isinstance(snapshot.marker, int):
        return ballot.id <= snapshot.marker
    if ballot.xmin is not None and _visible(ballot.xmin, snapshot.marker):
        return True
    # The row of an unfolded ballot is still the one its own transaction wrote: not visible.
    return False if not ballot.tallied else None


def _snapshot(
    session: Session,
    poll_id: int,
    own_text_options: dict[int, int],
    *,
    fresh: bool,
    cached_only: bool = False,
) -> _Snapshot:
    """The poll's snapshot: the cached one while younger than the TTL (or while another thread is
    reading a new one and it is younger than twice the TTL), else a new reading (``cached_only``:
    raise :class:`ColdCache` instead of reading or waiting)."""
    key = (session.get_bind().url, poll_id)
    with _slots_mutex:
        slot = _slots.setdefault(key, _Slot())
    current = slot.snapshot
    if not fresh and current is not None and _monotonic() - current.taken < RESULTS_TTL:
        return current
    if not fresh and current is not None and _monotonic() - current.taken < 2 * RESULTS_TTL:
        # Somebody is reading already: serve the previous one meanwhile instead of queueing.
        if not slot.reading.acquire(blocking=False):
            return current
        if cached_only:
            slot.reading.release()
            raise ColdCache
    else:
        if cached_only:
            raise ColdCache
        slot.reading.acquire()
    try:
        current = slot.snapshot
        if not fresh and current is not None and _monotonic() - current.taken < RESULTS_TTL:
            return current
        new = _read(session, poll_id, own_text_options)
        slot.snapshot = new
        return new
    finally:
        slot.reading.release()


def poll_counts(
    session: Session,
    poll_id: int,
    own_text_options: dict[int, int],
    *,
    ballot: OwnBallot | None = None,
    cached_only: bool = False,
) -> Counts:
    """The poll's counts at most :data:`RESULTS_TTL` old, always including ``ballot`` if given.

    ``own_text_options`` maps each «Свой вариант» option of the poll to its question.
    ``cached_only``: raise :class:`ColdCache` rather than read a new snapshot.
    """
    snapshot = _snapshot(session, poll_id, own_text_options, fresh=False, cached_only=cached_only)
    if ballot is None:
        return snapshot.counts
    included = _includes(snapshot, ballot)
    if included is None:
        snapshot = _snapshot(session, poll_id, own_text_options, fresh=True, cached_only=cached_only)
        included = _includes(snapshot, ballot)
    if included:
        return snapshot.counts
    if not ballot.answers:
        ballot = OwnBallot(**{**ballot.__dict__, "answers": own_answers(session, ballot.id)})
    return snapshot.counts.with_ballot(ballot)


def own_ballot(session: Session, poll_id: int, user_id: int) -> OwnBallot | None:
    """The user's committed ballot of the poll (without its answers), or None."""
    dialect = session.connection().dialect.name
    xmin = "CAST(CAST(xmin AS TEXT) AS BIGINT)" if dialect == "postgresql" else "NULL"
    row = (
        session.connection()
        .execute(
            text(
                f"SELECT id, number_region, tallied, {xmin} AS xmin FROM ballot "
                "WHERE poll_id = :p AND user_id = :u"
            ),
            {"p": poll_id, "u": user_id},
        )
        .first()
    )
    if row is None:
        return None
    return OwnBallot(
        id=row.id,
        region=_region(row.number_region),
        tallied=bool(row.tallied),
        xmin=row.xmin,
    )


def own_answers(session: Session, ballot_id: int) -> tuple[tuple[int, int, str], ...]:
    """A ballot's answers as (question id, option id, own text)."""
    rows = session.connection().execute(
        text("SELECT question_id, option_id, own_text FROM ballotanswer WHERE ballot_id = :b ORDER BY id"),
        {"b": ballot_id},
    )
    return tuple((q, o, t or "") for q, o, t in rows)


def counts_rows(counts: Counts) -> Iterable[tuple[int, str, int]]:
    """The option counts as (option id, region, n) rows, as :func:`ag_app.domain.polls.tally` takes them."""
    return [(option_id, region, n) for (option_id, region), n in counts.options.items()]
