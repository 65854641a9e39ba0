"""Staff statistics of a contest month: receipts per Moscow day by status, participants per day
(distinct that day and cumulative), the points distribution of the general contest, totals.

Everything is aggregated by the database (GROUP BY over the month's receipts and the general
contest's points counter): no receipt row is ever loaded here.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import text
from sqlmodel import Session, col, select

from ag_app.db import reads
from ag_app.domain.clock import moscow_date
from ag_app.domain.contest import parse_period, period_bounds, period_label
from ag_app.models import Contest
from ag_app.services.access import Capability, require
from ag_app.services.contest.scoring import ACCEPTED, REJECTED, REVIEW
from ag_app.services.dashboard import moscow_day_sql

# Points buckets of the distribution: (label, lowest, highest or None for «and more»).
BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("1", 1, 1),
    ("2", 2, 2),
    ("3–5", 3, 5),
    ("6–10", 6, 10),
    ("11–20", 11, 20),
    ("21–50", 21, 50),
    ("51+", 51, None),
)


@dataclass(frozen=True)
class DayStats:
    """One Moscow day of the month (by the day receipts were saved)."""

    day: date
    accepted: int
    review: int
    rejected: int
    # Distinct participants who saved a receipt that day.
    participants: int
    # Distinct participants who saved one on this day or earlier in the month.
    cumulative: int

    @property
    def receipts(self) -> int:
        return self.accepted + self.review + self.rejected


@dataclass(frozen=True)
class PointsBucket:
    """How many participants of the general contest have points in this range."""

    label: str
    participants: int


@dataclass(frozen=True)
class ContestStats:
    """The month's statistics for staff."""

    period: str
    days: tuple[DayStats, ...]
    buckets: tuple[PointsBucket, ...]
    receipts: int
    accepted: int
    review: int
    rejected: int
    participants: int
    # Participants and points in the rating of the general contest.
    rated: int
    points: int


def _bucket_sql() -> str:
    cases = " ".join(
        f"WHEN points <= {high} THEN {index}"
        for index, (_, _, high) in enumerate(BUCKETS)
        if high is not None
    )
    return f"CASE {cases} ELSE {len(BUCKETS) - 1} END"


def _days_of(year: int, month: int, now: datetime) -> list[date]:
    """The month's days up to today (all of them for a past month, none for a future one)."""
    start, end = period_bounds(year, month)
    first, last = moscow_date(start), moscow_date(end) - timedelta(days=1)
    last = min(last, moscow_date(now))
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@reads
def contest_stats(session: Session, *, actor_id: int | None, period: str, now: datetime) -> ContestStats:
    """Receipts and participants per day, the points distribution and totals of a month."""
    require(session, actor_id, Capability.CONTEST_REVIEW)
    year, month = parse_period(period)
    label = period_label(year, month)
    connection = session.connection()
    day = moscow_day_sql(session.get_bind().dialect.name, "saved_at")
    by_status: dict[str, dict[str, int]] = {}
    for day_text, status, n in connection.execute(
        text(f"SELECT {day} AS day, status, COUNT(*) FROM receipt WHERE period = :p GROUP BY {day}, status"),
        {"p": label},
    ):
        by_status.setdefault(str(day_text), {})[status] = int(n)
    per_day = {
        str(day_text): int(n)
        for day_text, n in connection.execute(
            text(
                f"SELECT {day} AS day, COUNT(DISTINCT participant_id) FROM receipt "
                f"WHERE period = :p GROUP BY {day}"
            ),
            {"p": label},
        )
    }
    newcomers = {
        str(day_text): int(n)
        for day_text, n in connection.execute(
            text(
                "SELECT first_day, COUNT(*) FROM ("
                f"SELECT participant_id, MIN({day}) AS first_day FROM receipt WHERE period = :p "
                "GROUP BY participant_id) firsts GROUP BY first_day"
            ),
            {"p": label},
        )
    }
    days = _days_of(year, month, now)
    # Days with receipts outside the shown range (a clock skew) still count in the totals.
    shown = {d.isoformat() for d in days}
    extra = sorted(set(by_status) - shown)
    days += [date.fromisoformat(d) for d in extra]
    days.sort()
    rows: list[DayStats] = []
    cumulative = 0
    for d in days:
        key = d.isoformat()
        counts = by_status.get(key, {})
        cumulative += newcomers.get(key, 0)
        rows.append(
            DayStats(
                day=d,
                accepted=counts.get(ACCEPTED, 0),
                review=counts.get(REVIEW, 0),
                rejected=counts.get(REJECTED, 0),
                participants=per_day.get(key, 0),
                cumulative=cumulative,
            )
        )
    general = session.exec(select(Contest.id).where(Contest.period == label, col(Contest.general))).first()
    counts_by_bucket: dict[int, int] = {}
    rated = points = 0
    if general is not None:
        for index, n, total in connection.execute(
            text(
                f"SELECT {_bucket_sql()} AS bucket, SUM(n), SUM(n * points) FROM contestpointstally "
                "WHERE contest_id = :c AND n > 0 AND points > 0 GROUP BY bucket"
            ),
            {"c": general},
        ):
            counts_by_bucket[int(index)] = int(n)
            rated += int(n)
            points += int(total)
    buckets = tuple(PointsBucket(name, counts_by_bucket.get(i, 0)) for i, (name, _, _) in enumerate(BUCKETS))
    return ContestStats(
        period=label,
        days=tuple(rows),
        buckets=buckets,
        receipts=sum(r.receipts for r in rows),
        accepted=sum(r.accepted for r in rows),
        review=sum(r.review for r in rows),
        rejected=sum(r.rejected for r in rows),
        participants=cumulative,
        rated=rated,
        points=points,
    )
